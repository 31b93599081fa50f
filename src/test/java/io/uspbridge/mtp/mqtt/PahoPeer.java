package io.uspbridge.mtp.mqtt;

import io.uspbridge.net.PahoPublishing;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * A plain Paho MQTT 5 client playing the other side (a controller, or a scripted agent) in tests: it subscribes,
 * records every PUBLISH it receives with its properties, and publishes with chosen properties.
 */
public final class PahoPeer implements AutoCloseable {
    static final long TIMEOUT_MS = 10_000;

    /** One received PUBLISH. */
    public record Received(String topic, byte[] payload, int qos, boolean retained, String contentType,
                    String responseTopic) {
    }

    private final MqttAsyncClient client;
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();

    PahoPeer(String url, String clientId) throws MqttException {
        client = new MqttAsyncClient(url, clientId, new MemoryPersistence());
        client.setCallback(new MqttCallback() {
            @Override
            public void disconnected(MqttDisconnectResponse r) {
            }

            @Override
            public void mqttErrorOccurred(MqttException e) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage m) {
                MqttProperties p = m.getProperties();
                received.add(new Received(topic, m.getPayload(), m.getQos(), m.isRetained(),
                        p == null ? null : p.getContentType(), p == null ? null : p.getResponseTopic()));
            }

            @Override
            public void deliveryComplete(IMqttToken t) {
            }

            @Override
            public void connectComplete(boolean reconnect, String uri) {
            }

            @Override
            public void authPacketArrived(int reason, MqttProperties p) {
            }
        });
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        client.connect(o).waitForCompletion(TIMEOUT_MS);
    }

    public static PahoPeer connect(String url, String clientId) throws MqttException {
        return new PahoPeer(url, clientId);
    }

    public PahoPeer subscribe(String filter, int qos) throws MqttException {
        IMqttToken t = client.subscribe(filter, qos);
        t.waitForCompletion(TIMEOUT_MS);
        return this;
    }

    /** Publishes and waits for its completion ({@link PahoPublishing#publishAndWait}). */
    public void publish(String topic, byte[] payload, int qos, String contentType, String responseTopic)
            throws MqttException {
        MqttMessage m = new MqttMessage(payload);
        m.setQos(qos);
        MqttProperties p = new MqttProperties();
        if (contentType != null) {
            p.setContentType(contentType);
        }
        if (responseTopic != null) {
            p.setResponseTopic(responseTopic);
        }
        m.setProperties(p);
        PahoPublishing.publishAndWait(client, topic, m, Duration.ofMillis(TIMEOUT_MS));
    }

    /** The next PUBLISH received, waiting as long as it takes (for a peer's own worker thread). */
    public Received take() throws InterruptedException {
        return received.take();
    }

    /** The next PUBLISH received, waiting at most the test timeout; fails when none arrives. */
    public Received next() throws InterruptedException {
        Received r = received.poll(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        if (r == null) {
            throw new AssertionError("no PUBLISH received within " + TIMEOUT_MS + " ms");
        }
        return r;
    }

    /** Everything received so far, without waiting. */
    List<Received> drain() {
        List<Received> out = new java.util.ArrayList<>();
        received.drainTo(out);
        return out;
    }

    @Override
    public void close() throws MqttException {
        try {
            if (client.isConnected()) {
                client.disconnect().waitForCompletion(TIMEOUT_MS);
            }
        } finally {
            client.close();
        }
    }
}
