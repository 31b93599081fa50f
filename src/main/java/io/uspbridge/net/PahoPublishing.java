package io.uspbridge.net;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;

/** Publishing with Paho 1.2.5 and waiting until the broker has the message, for clients that send one at a time. */
public final class PahoPublishing {
    private PahoPublishing() {
    }

    /**
     * Publishes and waits for completion (the PUBACK at QoS 1), at most {@code timeout}. Paho 1.2.5 completes a
     * PUBACKed token before it lowers its in-flight count, so the next publish can be refused for a moment
     * (eclipse-paho/paho.mqtt.java#993): that refusal is tried again every millisecond until {@code timeout}.
     */
    public static void publishAndWait(MqttAsyncClient client, String topic, MqttMessage message, Duration timeout)
            throws MqttException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                client.publish(topic, message).waitForCompletion(timeout.toMillis());
                return;
            } catch (MqttException e) {
                if (e.getReasonCode() != MqttClientException.REASON_CODE_MAX_INFLIGHT
                        || System.nanoTime() > deadline) {
                    throw e;
                }
                LockSupport.parkNanos(1_000_000);
            }
        }
    }
}
