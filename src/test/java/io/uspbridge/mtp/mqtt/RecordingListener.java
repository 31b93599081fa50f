package io.uspbridge.mtp.mqtt;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Collects what an {@link MqttMtp} reports, for assertions. */
final class RecordingListener implements MqttMtpListener {
    static final Duration WAIT = Duration.ofSeconds(20);

    /** One received Record. */
    record Received(byte[] record, String responseTopic, String topic, String thread) {
    }

    final BlockingQueue<Received> records = new LinkedBlockingQueue<>();
    final List<MqttLinkStatus> statuses = new CopyOnWriteArrayList<>();
    final List<String> assignedIds = new CopyOnWriteArrayList<>();

    @Override
    public void recordReceived(byte[] record, String responseTopic, String topic) {
        records.add(new Received(record, responseTopic, topic, Thread.currentThread().getName()));
    }

    @Override
    public void statusChanged(MqttLinkStatus status) {
        statuses.add(status);
    }

    @Override
    public void clientIdAssigned(String clientId) {
        assignedIds.add(clientId);
    }

    /** The next Record, waiting at most {@link #WAIT}. */
    Received nextRecord() throws InterruptedException {
        Received r = records.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (r == null) {
            throw new AssertionError("no Record received within " + WAIT);
        }
        return r;
    }

    /** Waits until a reported status matches. */
    MqttLinkStatus awaitStatus(Predicate<MqttLinkStatus> p) {
        await().atMost(WAIT).until(() -> statuses.stream().anyMatch(p));
        return statuses.stream().filter(p).reduce((a, b) -> b).orElseThrow();
    }

    static void awaitState(MqttMtp mtp, MqttLinkState state) {
        await().atMost(WAIT).until(() -> mtp.status().state() == state);
    }
}
