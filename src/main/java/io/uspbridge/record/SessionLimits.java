package io.uspbridge.record;

/**
 * The memory a controller's Session Context may use, whatever its peer sends. TR-369 fixes none of these; they are
 * the agent's, sized for a hub with a few hundred MB of RAM and a handful of controllers. A peer that would push a
 * context past one of them makes the Record fail, and a failed Record restarts the context (R-E2E.21), which
 * frees everything it held.
 *
 * @param maxReassembledBytes  largest Msg reassembled from segments (a request larger than this is refused)
 * @param maxSegments          most segments of one reassembled Msg (a flood of tiny segments is refused)
 * @param maxEarlyRecords      most Records held while an earlier one is missing, and the furthest ahead of the
 *                             expected sequence_id a Record may be
 * @param maxEarlyBytes        most bytes (whole Records) held early
 * @param maxUnacknowledged    most sent Records kept for retransmission (R-E2E.16) until the peer acknowledges them
 * @param maxUnacknowledgedBytes most bytes of those Records; past either limit the oldest is dropped, and a later
 *                             request to retransmit it restarts the context (R-E2E.21)
 * @param reassemblyIdleMillis how long a started reassembly may wait for its next segment
 * @param gapRequests          how many times the agent asks for a missing Record (retransmit_id) before it gives
 *                             the gap up and restarts the context
 */
public record SessionLimits(int maxReassembledBytes, int maxSegments, int maxEarlyRecords, int maxEarlyBytes,
        int maxUnacknowledged, long maxUnacknowledgedBytes, long reassemblyIdleMillis, int gapRequests) {

    /**
     * 4 MiB reassembled Msgs in at most 16384 segments; 1024 early Records or 4 MiB; 8192 unacknowledged Records
     * or 8 MiB (a 1 MB Get response in 512-byte Records is about 2300 Records); 60 s between two segments; 5 gap
     * requests. At most about 16 MiB per controller.
     */
    public static final SessionLimits DEFAULT = new SessionLimits(4 << 20, 16_384, 1024, 4 << 20, 8192, 8L << 20,
            60_000, 5);

    public SessionLimits {
        if (maxReassembledBytes < 1 || maxSegments < 1 || maxEarlyRecords < 1 || maxEarlyBytes < 1
                || maxUnacknowledged < 1 || maxUnacknowledgedBytes < 1 || reassemblyIdleMillis < 1
                || gapRequests < 0) {
            throw new IllegalArgumentException("session limits must be positive");
        }
    }
}
