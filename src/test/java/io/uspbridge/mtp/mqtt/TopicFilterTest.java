package io.uspbridge.mtp.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TopicFilterTest {
    @ParameterizedTest
    @CsvSource({
        "usp/agent/a, usp/agent/a, true",
        "usp/agent/+, usp/agent/a, true",
        "usp/+/a, usp/agent/a, true",
        "usp/#, usp/agent/a, true",
        "usp/agent/#, usp/agent, true", // '#' also matches the parent level
        "#, usp/agent/a, true",
        "+/+/+, usp/agent/a, true",
        "usp/agent/+, usp/agent/a/b, false",
        "usp/agent/a, usp/agent/b, false",
        "usp/agent, usp/agent/a, false",
        "+/agent/a, $SYS/agent/a, false", // wildcards at the first level skip '$' topics
        "#, $SYS/x, false",
        "$SYS/#, $SYS/x, true",
        "$share/g/usp/agent/+, usp/agent/a, true",
        "usp/agent/os::012345-hub, usp/agent/os::012345-hub, true", // ':' is legal in topics (MQTT-13)
    })
    void matches(String filter, String topic, boolean expected) {
        assertThat(TopicFilter.matches(filter, topic)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"a/b, true", "a/+/b, true", "a/#, true", "#, true", "+, true", "a/b#, false", "a/#/b, false",
        "a+/b, false", "'', false"})
    void validFilters(String filter, boolean valid) {
        assertThat(TopicFilter.isValidFilter(filter)).isEqualTo(valid);
    }

    @ParameterizedTest
    @CsvSource({"a/b, true", "usp/agent/x, true", "a/+, false", "a/#, false", "'', false"})
    void validTopicNames(String topic, boolean valid) {
        assertThat(TopicFilter.isValidTopicName(topic)).isEqualTo(valid);
    }
}
