package io.uspbridge.record;

import io.uspbridge.mtp.MtpChannel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** An MTP for tests above the record layer: always up, keeps every Record the agent sends (from any thread). */
public final class RecordingChannel implements MtpChannel {
    private final List<byte[]> sent = Collections.synchronizedList(new ArrayList<>());

    public List<byte[]> sent() {
        return sent;
    }

    /** The last Record sent, or null. */
    public byte[] last() {
        synchronized (sent) {
            return sent.isEmpty() ? null : sent.get(sent.size() - 1);
        }
    }

    @Override
    public String reference() {
        return "Device.LocalAgent.MTP.1";
    }

    @Override
    public String protocol() {
        return "MQTT";
    }

    @Override
    public boolean isUp() {
        return true;
    }

    @Override
    public String agentAddress() {
        return "usp/agent";
    }

    @Override
    public CompletionStage<Void> send(byte[] record, String address, boolean retain) {
        sent.add(record);
        return CompletableFuture.completedFuture(null);
    }
}
