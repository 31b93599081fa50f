package io.uspbridge.wire;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
import io.uspbridge.proto.UspMsg;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A Msg the agent sends, as its exact serialised size and a way to write those bytes once into a caller's array.
 * The message layer answers with one; the record layer writes it into the Record's payload without another copy.
 * Most answers are small protobuf Msgs ({@link #of}); a Get's answer is written straight from the data model
 * instead (message.GetRespWriter), because a GetResp of 1,000 devices as protobuf objects, then as a Msg array, then
 * as a Record array, was ≈ 30–40 MB of transients alive together (docs/SCALE.md).
 *
 * <p>The bytes must be exactly those of protobuf-java's {@code toByteArray()} of the equivalent Msg.
 */
public interface OutgoingMsg {

    /** The msg_id of the Msg's header (for logs). */
    String msgId();

    /** The serialised size in bytes. */
    int size();

    /** Writes exactly {@link #size()} bytes at {@code dst[offset]}. */
    void writeTo(byte[] dst, int offset);

    /** The serialised Msg in one exactly-sized array. */
    default byte[] toByteArray() {
        byte[] out = new byte[size()];
        writeTo(out, 0);
        return out;
    }

    /** The serialised Msg; the array is new and never changed, so it is wrapped, not copied. */
    default ByteString toByteString() {
        return UnsafeByteOperations.unsafeWrap(toByteArray());
    }

    /** The Msg parsed back from its bytes (tests, diagnostics; not for the hot path). */
    default UspMsg.Msg parse() {
        try {
            return UspMsg.Msg.parseFrom(toByteArray());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("an outgoing Msg does not parse: " + e.getMessage(), e);
        }
    }

    /** A Msg built with protobuf-java; null for null (no answer). */
    static OutgoingMsg of(UspMsg.Msg msg) {
        return msg == null ? null : new Built(msg);
    }

    /** A Msg built with protobuf-java, which encodes it (its size is memoised, so it is measured once). */
    record Built(UspMsg.Msg msg) implements OutgoingMsg {
        @Override
        public String msgId() {
            return msg.getHeader().getMsgId();
        }

        @Override
        public int size() {
            return msg.getSerializedSize();
        }

        @Override
        public void writeTo(byte[] dst, int offset) {
            CodedOutputStream out = CodedOutputStream.newInstance(dst, offset, size());
            try {
                msg.writeTo(out);
                out.checkNoSpaceLeft();
            } catch (IOException e) {
                throw new UncheckedIOException("a Msg wrote a different size than it measured", e);
            }
        }

        @Override
        public ByteString toByteString() {
            return msg.toByteString();
        }

        @Override
        public UspMsg.Msg parse() {
            return msg;
        }
    }
}
