package io.uspbridge.mtp.mqtt;

import io.uspbridge.mtp.mqtt.MqttClientSettings.Subscription;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The topic filters an MQTT MTP subscribes to after CONNACK, and the agent's reply-to topic (MQTT-4, MQTT-8):
 * <ol type="a">
 *   <li>every enabled {@code Client.{i}.Subscription.{i}.Topic};</li>
 *   <li>every CONNACK User Property {@code subscribe-topic};</li>
 *   <li>the CONNACK Response Information, unless (a) or (b) already cover it (exactly or by a wildcard);</li>
 *   <li>without Response Information, {@code ResponseTopicConfigured}, unless already covered.</li>
 * </ol>
 * The agent's reply-to topic is the Response Information when the broker sent one, else ResponseTopicConfigured.
 *
 * @param entries          the filters to subscribe to, each once, in the order above
 * @param replyToTopic     the agent's reply-to topic, or null when there is none
 * @param hasRequiredTopic false when there is no enabled Subscription row and no subscribe-topic: then the link must
 *                         DISCONNECT and consider itself disabled (R-MQTT.16)
 */
record SubscriptionPlan(List<Entry> entries, String replyToTopic, boolean hasRequiredTopic) {

    /** Where a filter comes from. */
    enum Source {
        CONFIGURED, SUBSCRIBE_TOPIC, RESPONSE_INFORMATION, RESPONSE_TOPIC_CONFIGURED
    }

    /** One filter with the QoS to request. */
    record Entry(String filter, int qos, Source source) {
    }

    SubscriptionPlan {
        entries = List.copyOf(entries);
    }

    /**
     * @param configured              the Subscription rows (disabled ones are skipped)
     * @param subscribeTopics         CONNACK {@code subscribe-topic} values (invalid filters are skipped)
     * @param responseInformation     CONNACK Response Information, or null
     * @param responseTopicConfigured ResponseTopicConfigured, possibly empty
     * @param ownQos                  the QoS requested for the filters the link adds itself ((b)–(d))
     */
    static SubscriptionPlan of(Collection<Subscription> configured, Collection<String> subscribeTopics,
                               String responseInformation, String responseTopicConfigured, int ownQos) {
        Map<String, Entry> byFilter = new LinkedHashMap<>();
        for (Subscription s : configured) {
            if (s.enable()) {
                byFilter.merge(s.topic(), new Entry(s.topic(), s.qos(), Source.CONFIGURED),
                        (a, b) -> a.qos() >= b.qos() ? a : b);
            }
        }
        boolean anyConfigured = !byFilter.isEmpty();
        boolean anyBrokerTopic = false;
        for (String t : subscribeTopics) {
            if (TopicFilter.isValidFilter(t)) {
                anyBrokerTopic = true;
                byFilter.putIfAbsent(t, new Entry(t, ownQos, Source.SUBSCRIBE_TOPIC));
            }
        }
        String replyTo = null;
        if (responseInformation != null && TopicFilter.isValidTopicName(responseInformation)) {
            replyTo = responseInformation;
            if (!covered(byFilter.keySet(), replyTo)) {
                byFilter.put(replyTo, new Entry(replyTo, ownQos, Source.RESPONSE_INFORMATION));
            }
        } else if (responseTopicConfigured != null && !responseTopicConfigured.isEmpty()) {
            replyTo = responseTopicConfigured;
            if (!covered(byFilter.keySet(), replyTo)) {
                byFilter.put(replyTo, new Entry(replyTo, ownQos, Source.RESPONSE_TOPIC_CONFIGURED));
            }
        }
        return new SubscriptionPlan(new ArrayList<>(byFilter.values()), replyTo, anyConfigured || anyBrokerTopic);
    }

    /** True when one of {@code filters} receives messages published to {@code topic}. */
    static boolean covered(Collection<String> filters, String topic) {
        for (String f : filters) {
            if (TopicFilter.matches(f, topic)) {
                return true;
            }
        }
        return false;
    }

    List<String> filters() {
        return entries.stream().map(Entry::filter).toList();
    }

    Entry entry(String filter) {
        for (Entry e : entries) {
            if (e.filter().equals(filter)) {
                return e;
            }
        }
        return null;
    }
}
