package io.uspbridge.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Runs the notification latency tool in-process with 1,000 ValueChange subscriptions: only with
 * {@code ./mvnw -Pbench test -Dtest=NotificationLatencyTest}. The figures go to the console and to
 * {@code target/notification-latency.txt}; speed is reported, never asserted (only that nothing was lost).
 */
@Tag("bench")
class NotificationLatencyTest {

    @Test
    void measure() throws Exception {
        NotificationLatency.Report r = NotificationLatency.run(NotificationLatency.Options.defaults());
        System.out.println(r);
        Files.writeString(Path.of("target", "notification-latency.txt"), r + System.lineSeparator());
        assertThat(r.lost()).isZero();
    }
}
