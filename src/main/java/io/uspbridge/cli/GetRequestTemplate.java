package io.uspbridge.cli;

import io.uspbridge.controller.ControllerClient;
import io.uspbridge.message.Messages;
import io.uspbridge.proto.UspMsg;
import io.uspbridge.proto.UspMsg.Header.MsgType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;

/**
 * The Record of one Get, encoded once, with a fixed-width msg_id that is the only thing that changes from request to
 * request: {@code PREFIX0000000042} for request 42. The load tool copies the bytes and writes the number in place, so
 * that measuring the agent does not cost the controller a protobuf encoding per request; every length in the Record
 * stays the same because the number's width does.
 */
final class GetRequestTemplate {
    static final int DIGITS = 10;
    private static final long LIMIT = 10_000_000_000L;

    private final String prefix;
    private final byte[] prefixBytes;
    private final byte[] record;
    private final int digitsAt;

    /**
     * @param toRecord wraps a Msg in the controller's Record ({@link ControllerClient#record(UspMsg.Msg)})
     * @param prefix the msg_id prefix, printable ASCII; it tells this run's responses from any other
     */
    GetRequestTemplate(Function<UspMsg.Msg, byte[]> toRecord, String path, String prefix) throws UsageException {
        this.prefix = prefix;
        this.prefixBytes = prefix.getBytes(StandardCharsets.US_ASCII);
        String placeholder = prefix + "0".repeat(DIGITS);
        UspMsg.Msg msg = Messages.request(placeholder, MsgType.GET, Requests.get(List.of(path), 0));
        this.record = toRecord.apply(msg);
        byte[] id = placeholder.getBytes(StandardCharsets.US_ASCII);
        int at = indexOf(record, id, 0);
        if (at < 0 || indexOf(record, id, at + 1) >= 0) {
            throw new IllegalArgumentException("the msg_id prefix must be printable ASCII that the path does not hold");
        }
        this.digitsAt = at + prefix.length();
    }

    /** The Record of request {@code n}, a fresh array. */
    byte[] request(long n) {
        if (n < 0 || n >= LIMIT) {
            throw new IllegalArgumentException("request number out of range: " + n);
        }
        byte[] b = record.clone();
        for (int i = digitsAt + DIGITS - 1; i >= digitsAt; i--) {
            b[i] = (byte) ('0' + (n % 10));
            n /= 10;
        }
        return b;
    }

    /** The msg_id of request {@code n}. */
    String msgId(long n) {
        String digits = Long.toString(n);
        return prefix + "0".repeat(DIGITS - digits.length()) + digits;
    }

    /** The request number a msg_id of this template carries; -1 when it is not one of them. */
    long number(String msgId) {
        if (msgId.length() != prefix.length() + DIGITS || !msgId.startsWith(prefix)) {
            return -1;
        }
        long n = 0;
        for (int i = prefix.length(); i < msgId.length(); i++) {
            char c = msgId.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    /**
     * The request number of the msg_id in {@code b} at {@code at}, {@code length} bytes (as {@link #number(String)}),
     * read in place: the load tool's receive callback allocates nothing.
     */
    long number(ByteBuffer b, int at, int length) {
        if (length != prefixBytes.length + DIGITS) {
            return -1;
        }
        for (int i = 0; i < prefixBytes.length; i++) {
            if (b.get(at + i) != prefixBytes[i]) {
                return -1;
            }
        }
        long n = 0;
        for (int i = at + prefixBytes.length; i < at + length; i++) {
            byte c = b.get(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
