package io.uspbridge.mtp.mqtt;

/**
 * MQTT topic names and topic filters (MQTT 5.0 section 4.7): validity and matching. Used to decide whether a topic
 * the agent must listen on is already covered by another subscription (MQTT-4 (c)/(d)), and to refuse to publish to a
 * filter.
 */
public final class TopicFilter {
    private TopicFilter() {
    }

    /** A topic name a PUBLISH may carry: at least one character, no wildcard, no NUL. */
    public static boolean isValidTopicName(String topic) {
        return topic != null && !topic.isEmpty() && topic.length() <= 65535
                && topic.indexOf('+') < 0 && topic.indexOf('#') < 0 && topic.indexOf('\0') < 0;
    }

    /** A topic filter a SUBSCRIBE may carry: '+' fills a whole level, '#' only as the whole last level. */
    public static boolean isValidFilter(String filter) {
        if (filter == null || filter.isEmpty() || filter.length() > 65535 || filter.indexOf('\0') >= 0) {
            return false;
        }
        String[] levels = filter.split("/", -1);
        for (int i = 0; i < levels.length; i++) {
            String level = levels[i];
            if (level.indexOf('#') >= 0 && (!level.equals("#") || i != levels.length - 1)) {
                return false;
            }
            if (level.indexOf('+') >= 0 && !level.equals("+")) {
                return false;
            }
        }
        return true;
    }

    /**
     * True when a subscription with {@code filter} receives messages published to {@code topic}. Wildcards at the
     * first level do not match topics that begin with '$' (MQTT 5.0 section 4.7.2); shared subscriptions
     * ({@code $share/group/filter}) are matched on their filter part.
     */
    public static boolean matches(String filter, String topic) {
        if (filter == null || topic == null) {
            return false;
        }
        if (filter.startsWith("$share/")) {
            int slash = filter.indexOf('/', "$share/".length());
            if (slash < 0) {
                return false;
            }
            filter = filter.substring(slash + 1);
        }
        if (filter.equals(topic)) {
            return true;
        }
        String[] f = filter.split("/", -1);
        String[] t = topic.split("/", -1);
        if (topic.startsWith("$") && (f[0].equals("+") || f[0].equals("#"))) {
            return false;
        }
        for (int i = 0; i < f.length; i++) {
            if (f[i].equals("#")) {
                // "a/#" also matches the parent level "a".
                return true;
            }
            if (i >= t.length) {
                return false;
            }
            if (!f[i].equals("+") && !f[i].equals(t[i])) {
                return false;
            }
        }
        return f.length == t.length;
    }
}
