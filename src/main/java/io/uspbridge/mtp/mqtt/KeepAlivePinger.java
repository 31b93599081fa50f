package io.uspbridge.mtp.mqtt;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttPingSender;
import org.eclipse.paho.mqttv5.client.MqttToken;
import org.eclipse.paho.mqttv5.client.internal.ClientComms;

/**
 * Keep Alive for one Paho connection on a shared scheduler (Paho's own sender starts a timer thread per client), and
 * the PINGREQ/PINGRESP count for {@code Stats.MQTTMessagesSent/Received}. Paho decides whether a PINGREQ is due and
 * whether the broker stopped answering (then it closes the connection); this class only calls it on time.
 */
final class KeepAlivePinger implements MqttPingSender {
    private final ScheduledExecutorService scheduler;
    private final StatsCounters stats;
    private volatile ClientComms comms;
    private ScheduledFuture<?> next;

    KeepAlivePinger(ScheduledExecutorService scheduler, StatsCounters stats) {
        this.scheduler = scheduler;
        this.stats = stats;
    }

    @Override
    public void init(ClientComms clientComms) {
        this.comms = clientComms;
    }

    @Override
    public void start() {
        schedule(comms.getKeepAlive());
    }

    @Override
    public synchronized void stop() {
        if (next != null) {
            next.cancel(false);
            next = null;
        }
    }

    @Override
    public synchronized void schedule(long delayInMilliseconds) {
        if (next != null) {
            next.cancel(false);
        }
        next = scheduler.schedule(this::check, Math.max(1, delayInMilliseconds), TimeUnit.MILLISECONDS);
    }

    private void check() {
        ClientComms c = comms;
        if (c == null) {
            return;
        }
        // checkForActivity reschedules us through schedule(); a token means it queued a PINGREQ.
        MqttToken ping = c.checkForActivity(new MqttActionListener() {
            @Override
            public void onSuccess(IMqttToken token) {
                stats.packetsReceived(1);
            }

            @Override
            public void onFailure(IMqttToken token, Throwable cause) {
                // the connection-lost path reports it
            }
        });
        if (ping != null) {
            stats.packetsSent(1);
        }
    }
}
