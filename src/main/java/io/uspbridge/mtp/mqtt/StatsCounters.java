package io.uspbridge.mtp.mqtt;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/** The live counters behind {@link MqttClientStats}; updated from the MQTT client's threads and the control thread. */
final class StatsCounters {
    private final Clock clock;
    private volatile Instant established;
    private volatile Instant lastSent;
    private volatile Instant lastReceived;
    private final AtomicLong publishSent = new AtomicLong();
    private final AtomicLong publishReceived = new AtomicLong();
    private final AtomicLong subscribeSent = new AtomicLong();
    private final AtomicLong unsubscribeSent = new AtomicLong();
    private final AtomicLong packetsSent = new AtomicLong();
    private final AtomicLong packetsReceived = new AtomicLong();
    private final AtomicLong connectionErrors = new AtomicLong();
    private final AtomicLong publishErrors = new AtomicLong();
    private final AtomicLong publishDiscarded = new AtomicLong();

    StatsCounters(Clock clock) {
        this.clock = clock;
    }

    /** Stats restart when the client is re-enabled or pointed at another broker (TR-181). */
    void reset() {
        established = null;
        lastSent = null;
        lastReceived = null;
        for (AtomicLong a : new AtomicLong[] {publishSent, publishReceived, subscribeSent, unsubscribeSent,
                packetsSent, packetsReceived, connectionErrors, publishErrors, publishDiscarded}) {
            a.set(0);
        }
    }

    void connected() {
        established = clock.instant();
    }

    void disconnected() {
        established = null;
    }

    void packetsSent(int n) {
        packetsSent.addAndGet(n);
    }

    void packetsReceived(int n) {
        packetsReceived.addAndGet(n);
    }

    void subscribeSent() {
        subscribeSent.incrementAndGet();
        packetsSent.incrementAndGet();
    }

    void unsubscribeSent() {
        unsubscribeSent.incrementAndGet();
        packetsSent.incrementAndGet();
    }

    /** A PUBLISH went out; {@code qos} decides the acknowledgement packets that belong to it. */
    void publishSent(int qos, boolean acknowledged) {
        publishSent.incrementAndGet();
        lastSent = clock.instant();
        packetsSent.addAndGet(qos == 2 ? 2 : 1); // PUBLISH (+ PUBREL)
        if (acknowledged) {
            packetsReceived.addAndGet(qos); // PUBACK, or PUBREC + PUBCOMP
        }
    }

    void publishReceived(int qos) {
        publishReceived.incrementAndGet();
        lastReceived = clock.instant();
        packetsReceived.addAndGet(qos == 2 ? 2 : 1); // PUBLISH (+ PUBREL)
        packetsSent.addAndGet(qos); // PUBACK, or PUBREC + PUBCOMP
    }

    void publishDiscarded() {
        publishDiscarded.incrementAndGet();
    }

    void connectionError() {
        connectionErrors.incrementAndGet();
    }

    void publishError() {
        publishErrors.incrementAndGet();
    }

    MqttClientStats snapshot() {
        return new MqttClientStats(established, lastSent, lastReceived, publishSent.get(), publishReceived.get(),
                subscribeSent.get(), unsubscribeSent.get(), packetsSent.get(), packetsReceived.get(),
                connectionErrors.get(), publishErrors.get(), publishDiscarded.get());
    }
}
