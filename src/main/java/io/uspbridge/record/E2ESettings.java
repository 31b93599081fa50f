package io.uspbridge.record;

/**
 * A controller's {@code Device.LocalAgent.Controller.{i}.E2ESession.} settings, read afresh for every Record and
 * every timer, so that a change applies at once.
 *
 * @param mode                      SessionMode
 * @param expirationSeconds         SessionExpiration: idle seconds until the context expires; 0 = never (R-E2E.7)
 * @param retryMinimumWaitSeconds   SessionRetryMinimumWaitInterval, m of the retry algorithm (R-E2E.10)
 * @param retryIntervalMultiplier   SessionRetryIntervalMultiplier, k of the retry algorithm (thousandths)
 * @param maxRecordSize             MaxUSPRecordSize: largest Record the agent sends; 0 = no segmentation
 * @param maxRetransmitTries        MaxRetransmitTries: how often one Record is resent on request; -1 = no limit
 * @param payloadSecurity           PayloadSecurity for the contexts the agent starts
 */
public record E2ESettings(SessionMode mode, long expirationSeconds, int retryMinimumWaitSeconds,
        int retryIntervalMultiplier, int maxRecordSize, int maxRetransmitTries, Security payloadSecurity) {

    /** {@code E2ESession.PayloadSecurity}. */
    public enum Security {
        PLAINTEXT("Plaintext"),
        TLS("TLS");

        private final String value;

        Security(String value) {
            this.value = value;
        }

        public String value() {
            return value;
        }

        /** The security for a TR-181 value; an unknown value counts as the object default, TLS. */
        public static Security of(String value) {
            return "Plaintext".equals(value) ? PLAINTEXT : TLS;
        }
    }

    /** The TR-181 object defaults (SessionMode has none; the agent's is Allow, see LocalAgentSchema). */
    public static final E2ESettings DEFAULT = new E2ESettings(SessionMode.ALLOW, 0, 5, 2000, 0, 0, Security.TLS);

    public E2ESettings {
        if (mode == null || payloadSecurity == null) {
            throw new IllegalArgumentException("mode and payload security are required");
        }
        // Out-of-range values cannot come from the model (it validates them); clamp anyway, so that the timers
        // and the segmenter never see a value they cannot work with.
        expirationSeconds = Math.max(0, expirationSeconds);
        retryMinimumWaitSeconds = Math.max(1, Math.min(65535, retryMinimumWaitSeconds));
        retryIntervalMultiplier = Math.max(1000, Math.min(65535, retryIntervalMultiplier));
        maxRecordSize = maxRecordSize <= 0 ? 0 : Math.max(512, maxRecordSize);
        maxRetransmitTries = Math.max(-1, Math.min(10, maxRetransmitTries));
    }

    public E2ESettings withMode(SessionMode m) {
        return new E2ESettings(m, expirationSeconds, retryMinimumWaitSeconds, retryIntervalMultiplier,
                maxRecordSize, maxRetransmitTries, payloadSecurity);
    }

    public E2ESettings withExpiration(long seconds) {
        return new E2ESettings(mode, seconds, retryMinimumWaitSeconds, retryIntervalMultiplier, maxRecordSize,
                maxRetransmitTries, payloadSecurity);
    }

    public E2ESettings withMaxRecordSize(int bytes) {
        return new E2ESettings(mode, expirationSeconds, retryMinimumWaitSeconds, retryIntervalMultiplier, bytes,
                maxRetransmitTries, payloadSecurity);
    }

    public E2ESettings withMaxRetransmitTries(int tries) {
        return new E2ESettings(mode, expirationSeconds, retryMinimumWaitSeconds, retryIntervalMultiplier,
                maxRecordSize, tries, payloadSecurity);
    }

    public E2ESettings withPayloadSecurity(Security s) {
        return new E2ESettings(mode, expirationSeconds, retryMinimumWaitSeconds, retryIntervalMultiplier,
                maxRecordSize, maxRetransmitTries, s);
    }

    public E2ESettings withRetry(int minimumWaitSeconds, int intervalMultiplier) {
        return new E2ESettings(mode, expirationSeconds, minimumWaitSeconds, intervalMultiplier, maxRecordSize,
                maxRetransmitTries, payloadSecurity);
    }
}
