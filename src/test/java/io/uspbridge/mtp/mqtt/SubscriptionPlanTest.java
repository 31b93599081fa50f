package io.uspbridge.mtp.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.uspbridge.mtp.mqtt.MqttClientSettings.Subscription;
import io.uspbridge.mtp.mqtt.SubscriptionPlan.Entry;
import io.uspbridge.mtp.mqtt.SubscriptionPlan.Source;
import java.util.List;
import org.junit.jupiter.api.Test;

/** MQTT-4 (a)–(d), MQTT-5 and MQTT-8 as a pure function of the settings and the CONNACK. */
class SubscriptionPlanTest {
    private static final List<Subscription> NONE = List.of();

    @Test
    void configuredRowsThenSubscribeTopicsThenResponseInformation() {
        SubscriptionPlan p = SubscriptionPlan.of(
                List.of(Subscription.enabled("a/1", 0), new Subscription("a/off", 1, false)),
                List.of("b/1", "b/2"), "reply/x", "configured/x", 1);
        assertThat(p.entries()).containsExactly(
                new Entry("a/1", 0, Source.CONFIGURED),
                new Entry("b/1", 1, Source.SUBSCRIBE_TOPIC),
                new Entry("b/2", 1, Source.SUBSCRIBE_TOPIC),
                new Entry("reply/x", 1, Source.RESPONSE_INFORMATION));
        assertThat(p.replyToTopic()).isEqualTo("reply/x"); // Response Information beats ResponseTopicConfigured
        assertThat(p.hasRequiredTopic()).isTrue();
    }

    @Test
    void aReplyToTopicAlreadyCoveredIsNotAddedAgain() {
        SubscriptionPlan byWildcard = SubscriptionPlan.of(List.of(Subscription.enabled("usp/agent/#", 1)),
                List.of(), "usp/agent/me", "", 1);
        assertThat(byWildcard.filters()).containsExactly("usp/agent/#");

        SubscriptionPlan bySubscribeTopic = SubscriptionPlan.of(NONE, List.of("usp/+/me"), null, "usp/agent/me", 1);
        assertThat(bySubscribeTopic.filters()).containsExactly("usp/+/me");
        assertThat(bySubscribeTopic.replyToTopic()).isEqualTo("usp/agent/me");
    }

    @Test
    void withoutResponseInformationResponseTopicConfiguredIsTheReplyToAndIsSubscribed() {
        SubscriptionPlan p = SubscriptionPlan.of(List.of(Subscription.enabled("other/t", 0)), List.of(), null,
                "usp/agent/me", 1);
        assertThat(p.entries()).containsExactly(new Entry("other/t", 0, Source.CONFIGURED),
                new Entry("usp/agent/me", 1, Source.RESPONSE_TOPIC_CONFIGURED));
        assertThat(p.replyToTopic()).isEqualTo("usp/agent/me");
    }

    @Test
    void nothingConfiguredAndNoSubscribeTopicIsTheMqtt5Case() {
        SubscriptionPlan p = SubscriptionPlan.of(List.of(new Subscription("a", 0, false)), List.of(),
                "reply/x", "", 1);
        assertThat(p.hasRequiredTopic()).isFalse(); // R-MQTT.16 even though a reply-to exists
        assertThat(SubscriptionPlan.of(NONE, List.of("b"), null, "", 1).hasRequiredTopic()).isTrue();
    }

    @Test
    void noReplyToTopicAtAll() {
        SubscriptionPlan p = SubscriptionPlan.of(List.of(Subscription.enabled("a", 0)), List.of(), null, "", 1);
        assertThat(p.replyToTopic()).isNull();
        assertThat(p.filters()).containsExactly("a");
    }

    @Test
    void duplicatesAreSubscribedOnceAndInvalidBrokerTopicsIgnored() {
        SubscriptionPlan p = SubscriptionPlan.of(
                List.of(Subscription.enabled("a", 0), Subscription.enabled("a", 1)),
                List.of("a", "bad/#/x", "b"), "reply/+", "cfg", 1);
        assertThat(p.entries()).containsExactly(new Entry("a", 1, Source.CONFIGURED),
                new Entry("b", 1, Source.SUBSCRIBE_TOPIC), new Entry("cfg", 1, Source.RESPONSE_TOPIC_CONFIGURED));
        // Response Information with a wildcard cannot be a reply-to topic: ResponseTopicConfigured is used.
        assertThat(p.replyToTopic()).isEqualTo("cfg");
    }
}
