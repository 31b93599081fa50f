package io.uspbridge.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.eclipse.paho.mqttv5.client.logging.LoggerFactory;
import org.junit.jupiter.api.Test;

class PahoJulLoggerTest {

    @Test
    void pahoLogsThroughJavaUtilLoggingWithItsCatalogAndLevels() {
        PahoJulLogger.install();
        String name = "org.eclipse.paho.test.PahoJulLoggerTest";
        org.eclipse.paho.mqttv5.client.logging.Logger paho =
                LoggerFactory.getLogger(LoggerFactory.MQTT_CLIENT_MSG_CAT, name);
        assertThat(paho).isInstanceOf(PahoJulLogger.class);
        paho.setResourceName("client-1");

        Logger jul = Logger.getLogger(name);
        List<LogRecord> seen = new CopyOnWriteArrayList<>();
        Handler h = new Handler() {
            @Override
            public void publish(LogRecord r) {
                seen.add(r);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        jul.addHandler(h);
        jul.setUseParentHandlers(false);
        try {
            jul.setLevel(Level.INFO);
            assertThat(paho.isLoggable(org.eclipse.paho.mqttv5.client.logging.Logger.FINE)).isFalse();
            paho.fine("C", "m", "200", new Object[] {"not", "formatted"});
            assertThat(seen).isEmpty();

            jul.setLevel(Level.ALL);
            paho.fine("C", "m", "no catalog key {0}", new Object[] {42});
            paho.warning("C", "m", "plain");
            assertThat(seen).extracting(LogRecord::getLevel).containsExactly(Level.FINE, Level.WARNING);
            assertThat(seen.get(0).getMessage()).isEqualTo("client-1: no catalog key 42");
            assertThat(seen.get(0).getSourceClassName()).isEqualTo("C");
            assertThat(seen.get(1).getLoggerName()).isEqualTo(name);
        } finally {
            jul.removeHandler(h);
            jul.setLevel(null);
        }
    }
}
