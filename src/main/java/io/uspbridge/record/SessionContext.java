package io.uspbridge.record;

import com.google.protobuf.ByteString;
import io.uspbridge.model.ErrorCode;
import io.uspbridge.model.ModelException;
import io.uspbridge.proto.UspMsg;
import io.uspbridge.proto.UspRecord.Record;
import io.uspbridge.proto.UspRecord.SessionContextRecord;
import io.uspbridge.proto.UspRecord.SessionContextRecord.PayloadSARState;
import io.uspbridge.security.EndpointTls;
import io.uspbridge.wire.OutgoingMsg;
import java.security.GeneralSecurityException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;
import java.util.random.RandomGenerator;

/**
 * One controller's End-to-End Session Context (TR-369 section "End to End Message Exchange"; digest §4), as a pure
 * state machine: its inputs are received Records, Msgs to send and the clock; its output ({@link Output}) is the
 * Records to transmit and the Msgs to hand to the message layer, in order. It does no I/O and reads no clock, so
 * every behaviour is scripted in tests; {@link SessionContexts} drives it for the {@link RecordLayer}.
 *
 * <pre>
 *                 a Record of the controller with a new session_id (R-E2E.4, R-E2E.6)
 *        ┌──────────────────────────────────────────────────────────────────────────┐
 *        │                                                                          ▼
 *     ┌──────┐  agent starts one: Require, Reset(), a Msg    ┌─────────────┐  a Record of  ┌────┐
 *     │ DOWN │ ────────────────────────────────────────────► │ NEGOTIATING │ ────────────► │ UP │
 *     └──────┘  (seq 1, new session_id)                      └─────────────┘  the context  └────┘
 *        ▲   expiry (R-E2E.7), Forbid / Reset() → 7105,            │  ▲  retry (R-E2E.10)   │
 *        └── a Disconnect from the controller ─────────────────────┴──┘                     │
 *        ▲                                                  failure → restart (R-E2E.21):   │
 *        └───────────────────────────────────────────────── new session_id, seq 1 ◄────────┘
 * </pre>
 *
 * The transitions are declared once, in {@link #TRANSITIONS}; {@link #moveTo} refuses any other. Receiving
 * (R-E2E.20): a Record before the expected sequence_id is a duplicate and ignored (R-E2E.25); one after it is held
 * in {@link EarlyRecords} and, if the gap stays open, asked for with retransmit_id; the expected one, and the held
 * ones that follow it, are processed: retransmit request, acknowledgement of sent Records, payload through
 * {@link Reassembly} to a Msg. Sending: a Msg is segmented into Records of at most MaxUSPRecordSize bytes, each
 * kept in the {@link OutgoingWindow} until acknowledged (R-E2E.16).
 *
 * <p>Every failure the spec ties to a restart (a Record that cannot be buffered or processed, R-E2E.21; a bad
 * retransmit request; a different payload_security, R-E2E.19; an invalid session_id, R-E2E.24; sequence ids near
 * exhaustion, R-E2E.8/9) restarts the context with one log line: the agent opens a new context with its own
 * session_id and an empty Record with sequence_id 1, and the Records and segments of the old one are dropped
 * (R-E2E.22 leaves re-sending to the originator's policy; ours is not to).
 *
 * <p>TLS12 payload security (digest §4.4), when the agent has TLS material ({@link EndpointTls}): the context
 * carries a TLS session ({@link E2ETls}) whose client is the side that started the context (R-E2E.43). Its TLS
 * records travel in the Records' payloads ({@link Segmenter#pack}); Msgs to send wait until the handshake is done.
 * A failed handshake sends the TLS alert in the failed context and starts a new one after the retry wait of
 * R-E2E.10 (TP-469 3.5), the retry count growing with each failed handshake; it returns to 0 when a handshake
 * completes. A failure after the handshake (a record that does not decrypt) is a failed Record like any other.
 */
final class SessionContext {
    private static final Logger LOG = Logger.getLogger(SessionContext.class.getName());

    /** Sequence ids from here on are "within 10 000 of the maximum" of a uint64 (R-E2E.8, R-E2E.9). */
    static final long SEQUENCE_LIMIT = -1L - 10_000L;
    /** No deadline. */
    static final long NEVER = Long.MAX_VALUE;
    /** Session ids of ended contexts remembered, so that a late Record of one does not reopen it. */
    private static final int ENDED_IDS = 4;

    /** The transitions of the state machine; nothing else changes {@link #state}. */
    static final Map<SessionState, Set<SessionState>> TRANSITIONS = new EnumMap<>(Map.of(
            // the agent starts a context / the controller starts one
            SessionState.DOWN, EnumSet.of(SessionState.NEGOTIATING, SessionState.UP),
            // a Record of the context arrives / it ends (expiry, 7105, a Disconnect, the start of a restart)
            SessionState.NEGOTIATING, EnumSet.of(SessionState.UP, SessionState.DOWN),
            // it ends (a restart is an end and an agent start)
            SessionState.UP, EnumSet.of(SessionState.DOWN)));

    /** What one input produced, both in order. */
    record Output(List<Record> transmit, List<UspMsg.Msg> deliver) {
        static final Output NONE = new Output(List.of(), List.of());
    }

    private final String agentId;
    private final String controllerId;
    private final SessionLimits limits;
    private final RandomGenerator random;
    /** Bytes every sent Record must leave free (mac_signature and sender_cert added when it is signed). */
    private final int reservedBytes;
    private E2ESettings settings;

    private SessionState state = SessionState.DOWN;
    private long sessionId;
    private Record.PayloadSecurity security = Record.PayloadSecurity.PLAINTEXT;
    private long nextSequenceId;
    private long expectedId;
    private boolean exhausted;
    private boolean overflowLogged;
    private final OutgoingWindow sent;
    private final EarlyRecords early;
    private final Reassembly reassembly;
    private final ArrayDeque<Long> endedIds = new ArrayDeque<>();
    /** The agent's TLS material; null when it has none (TLS12 contexts are then refused, 7102). */
    private final EndpointTls tlsMaterial;
    /** The TLS session of a TLS12 context; null for PLAINTEXT and while Down. */
    private E2ETls tls;
    /** Serialized Msgs waiting for the TLS handshake, and their bytes. */
    private final ArrayDeque<ByteString> held = new ArrayDeque<>();
    private long heldBytes;
    /** A TLS12 context whose handshake starts at {@link #retryAt} (after a failed one, R-E2E.10). */
    private boolean handshakeDue;
    private long lastActivity;
    private int retryCount;
    private long retryAt = NEVER;
    private long gapAt = NEVER;
    private int gapRequests;
    /** Counts contexts, so that processing notices a restart made by the Record it is working on. */
    private long generation;

    private List<Record> transmit;
    private List<UspMsg.Msg> deliver;

    SessionContext(String agentId, String controllerId, E2ESettings settings, SessionLimits limits,
            RandomGenerator random, int reservedBytes) {
        this(agentId, controllerId, settings, limits, random, reservedBytes, null);
    }

    SessionContext(String agentId, String controllerId, E2ESettings settings, SessionLimits limits,
            RandomGenerator random, int reservedBytes, EndpointTls tlsMaterial) {
        this.tlsMaterial = tlsMaterial;
        this.settings = settings;
        this.agentId = agentId;
        this.controllerId = controllerId;
        this.limits = limits;
        this.random = random;
        this.reservedBytes = reservedBytes;
        this.sent = new OutgoingWindow(limits.maxUnacknowledged(), limits.maxUnacknowledgedBytes());
        this.early = new EarlyRecords(limits.maxEarlyRecords(), limits.maxEarlyBytes());
        this.reassembly = new Reassembly(limits.maxReassembledBytes(), limits.maxSegments());
    }

    // ---- inputs ---------------------------------------------------------------------------------------------

    /**
     * Applies the controller's current E2ESession settings. A change to Forbid ends a running context with 7105;
     * a change to Require establishes one (the DM's SessionMode enumeration).
     */
    Output configure(E2ESettings next, long now) {
        begin();
        SessionMode before = settings.mode();
        settings = next;
        if (next.mode() != before) {
            if (next.mode() == SessionMode.FORBID && state != SessionState.DOWN) {
                terminate("SessionMode changed to Forbid");
            } else if (next.mode() == SessionMode.REQUIRE && state == SessionState.DOWN) {
                if (next.payloadSecurity() == E2ESettings.Security.TLS && tlsMaterial == null) {
                    LOG.warning(() -> "E2E session with " + controllerId + " cannot be established for "
                            + "SessionMode Require: PayloadSecurity is TLS and the agent has no E2E TLS certificate"
                            + " (uspbridge.e2e.*)");
                } else {
                    establish(now, "SessionMode changed to Require", true);
                }
            }
        }
        return end();
    }

    /** A Session Context Record from the controller (it passed the Record layer's checks). */
    Output receive(Record record, long now) {
        begin();
        SessionContextRecord sc = record.getSessionContext();
        long sid = sc.getSessionId();
        if (settings.mode() == SessionMode.FORBID) {
            // R-E2E.6a
            LOG.info(() -> "Session Context Record from " + controllerId + " refused: SessionMode is Forbid (7106)");
            close();
            transmit.add(RecordCodec.disconnectRecord(controllerId, agentId, ErrorCode.SESSION_CONTEXT_NOT_ALLOWED,
                    "Session Context not allowed"));
            return end();
        }
        Record.PayloadSecurity ps = record.getPayloadSecurity();
        if (state != SessionState.DOWN && sid == sessionId && ps != security) {
            fail(now, "a Record with payload_security " + ps + " arrived in a " + security + " context (R-E2E.19)");
            return end();
        }
        if (ps != Record.PayloadSecurity.PLAINTEXT
                && (ps != Record.PayloadSecurity.TLS12 || tlsMaterial == null)) {
            LOG.info(() -> "Session Context from " + controllerId + " with " + ps
                    + " payload security refused: the agent has no E2E TLS certificate (7102)");
            close();
            transmit.add(RecordCodec.disconnectRecord(controllerId, agentId,
                    ErrorCode.SECURE_SESSION_NOT_SUPPORTED, "TLS payload security is not supported"));
            return end();
        }
        if (Long.compareUnsigned(sid, 2) < 0) {
            // R-E2E.3: session ids are greater than 1.
            LOG.info(() -> "Session Context Record from " + controllerId + " with invalid session_id " + sid
                    + " ignored (R-E2E.24)");
            if (state != SessionState.DOWN) {
                fail(now, "a Record carried the invalid session_id " + sid + " (R-E2E.24)");
            }
            return end();
        }
        if (state == SessionState.DOWN || sid != sessionId) {
            if (endedIds.contains(sid)) {
                if (state == SessionState.DOWN) {
                    // R-E2E.7: the controller carries on in a context that expired or ended: a new one starts.
                    establish(now, "a Record of the ended session " + Long.toUnsignedString(sid), true);
                } else {
                    LOG.fine(() -> "a late Record of ended session " + Long.toUnsignedString(sid) + " from "
                            + controllerId + " ignored");
                }
                return end();
            }
            // R-E2E.4, R-E2E.6: a new session_id starts a new context, whatever its sequence_id: when its first
            // Records were lost, this one waits for them like any early Record.
            String replaced = state == SessionState.DOWN ? "" : " (replacing " + Long.toUnsignedString(sessionId) + ")";
            LOG.info(() -> "E2E session " + Long.toUnsignedString(sid) + " started by " + controllerId + replaced);
            close();
            open(sid, false, ps, now);
        }
        accept(record, now);
        return end();
    }

    /**
     * Sends a Msg in the context. When there is none, one is started: for a response (REC-1) with the security
     * of the context the request came in, for an agent-initiated Msg with the configured PayloadSecurity.
     *
     * @throws ModelException when the Msg cannot be sent in a context (Forbid, TLS, a Record size too small)
     */
    Output send(OutgoingMsg msg, boolean response, long now) {
        begin();
        if (settings.mode() == SessionMode.FORBID) {
            throw new ModelException(ErrorCode.SESSION_CONTEXT_NOT_ALLOWED, "SessionMode is Forbid");
        }
        ByteString payload = msg.toByteString();
        if (heldBytes + payload.size() > limits.maxUnacknowledgedBytes()
                && (state == SessionState.DOWN ? configuredSecurity() : security) == Record.PayloadSecurity.TLS12
                && (tls == null || !tls.handshakeDone())) {
            throw new ModelException(ErrorCode.MESSAGE_FAILED, "the E2E TLS session with " + controllerId
                    + " is not established and " + held.size() + " Msgs (" + heldBytes + " bytes) wait for it");
        }
        int capacity = Segmenter.capacity(envelope(), settings.maxRecordSize(), reservedBytes);
        if (settings.maxRecordSize() > 0 && capacity < 1) {
            throw new ModelException(ErrorCode.MESSAGE_FAILED, "MaxUSPRecordSize " + settings.maxRecordSize()
                    + " leaves no room for a payload in a Record to " + controllerId);
        }
        if (state == SessionState.DOWN) {
            if (!response) {
                requireStartable();
            }
            establish(now, response ? "a response to a request of an ended context" : "a Msg to send", false);
        } else if (exhausted) {
            restart(now, "sequence ids are near exhaustion (R-E2E.9)", security);
        }
        if (security == Record.PayloadSecurity.TLS12) {
            if (tls != null && tls.handshakeDone()) {
                seal(payload, now);
            } else {
                held.addLast(payload);
                heldBytes += payload.size();
            }
        } else {
            List<ByteString> pieces = Segmenter.split(payload, capacity);
            for (int i = 0; i < pieces.size(); i++) {
                newRecord(pieces.get(i), Segmenter.state(i, pieces.size()), 0);
            }
        }
        lastActivity = now;
        return end();
    }

    /** Time has passed: expiry (R-E2E.7), establishment retries (R-E2E.10), gap requests, stalled reassembly. */
    Output tick(long now) {
        begin();
        if (state == SessionState.DOWN) {
            return end();
        }
        if (expiresAt() <= now) {
            LOG.info(() -> "E2E session " + Long.toUnsignedString(sessionId) + " with " + controllerId
                    + " expired after " + settings.expirationSeconds() + " s without activity (R-E2E.7)");
            close();
            return end();
        }
        if (state == SessionState.NEGOTIATING && retryAt <= now && handshakeDue) {
            // R-E2E.10: the retry after a failed TLS handshake, in a new context
            handshakeDue = false;
            LOG.info(() -> "E2E session " + Long.toUnsignedString(sessionId) + " with " + controllerId
                    + ": TLS handshake retry " + retryCount);
            startHandshake(now);
            retryAt = now + RetryWait.millis(retryCount + 1, settings, random);
        } else if (state == SessionState.NEGOTIATING && retryAt <= now) {
            retryCount++;
            List<Record> again = sent.records();
            LOG.info(() -> "E2E session " + Long.toUnsignedString(sessionId) + " with " + controllerId
                    + " not answered: retry " + retryCount + " resends " + again.size() + " Record(s)");
            transmit.addAll(again);
            retryAt = now + RetryWait.millis(retryCount + 1, settings, random);
        }
        if (!early.isEmpty() && gapAt <= now) {
            if (gapRequests >= limits.gapRequests()) {
                fail(now, "sequence_id " + Long.toUnsignedString(expectedId) + " never arrived after "
                        + gapRequests + " retransmit requests");
                return end();
            }
            gapRequests++;
            LOG.fine(() -> "asking " + controllerId + " to retransmit sequence_id "
                    + Long.toUnsignedString(expectedId));
            newRecord(null, PayloadSARState.NONE, expectedId);
            gapAt = now + RetryWait.millis(gapRequests + 1, settings, random);
        }
        if (reassembly.inProgress() && reassembly.lastSegmentAt() + limits.reassemblyIdleMillis() <= now) {
            fail(now, "a segmented payload stalled: no segment for " + limits.reassemblyIdleMillis() / 1000 + " s");
        }
        return end();
    }

    /**
     * {@code E2ESession.Reset()}: restarts the context, or starts one when there is none; with SessionMode Forbid
     * it ends a running one (7105).
     *
     * @throws ModelException when a context cannot be started (TLS payload security)
     */
    Output reset(long now) {
        begin();
        if (settings.mode() == SessionMode.FORBID) {
            if (state != SessionState.DOWN) {
                terminate("Reset() with SessionMode Forbid");
            }
            return end();
        }
        requireStartable();
        if (state == SessionState.DOWN) {
            establish(now, "Reset()", true);
        } else {
            restart(now, "Reset()", configuredSecurity());
        }
        return end();
    }

    /**
     * Starts a context when there is none (SessionMode Require, R-E2E.3); nothing when one runs.
     *
     * @throws ModelException when one cannot be started (Forbid; TLS payload security)
     */
    Output start(long now, String why) {
        begin();
        if (state == SessionState.DOWN) {
            requireStartable();
            establish(now, why, true);
        }
        return end();
    }

    private void requireStartable() {
        if (settings.mode() == SessionMode.FORBID) {
            throw new ModelException(ErrorCode.SESSION_CONTEXT_NOT_ALLOWED, "SessionMode is Forbid");
        }
        if (settings.payloadSecurity() == E2ESettings.Security.TLS && tlsMaterial == null) {
            throw new ModelException(ErrorCode.SECURE_SESSION_NOT_SUPPORTED, "an E2E session with " + controllerId
                    + " needs TLS payload security (PayloadSecurity) and the agent has no E2E TLS certificate"
                    + " (uspbridge.e2e.*); configure one or set PayloadSecurity to Plaintext");
        }
    }

    /**
     * The payload security of the contexts the agent starts: PayloadSecurity. Without TLS material only a response
     * to a request of an ended context gets this far (requireStartable refuses the rest): it goes in PLAINTEXT.
     */
    private Record.PayloadSecurity configuredSecurity() {
        return settings.payloadSecurity() == E2ESettings.Security.TLS && tlsMaterial != null
                ? Record.PayloadSecurity.TLS12 : Record.PayloadSecurity.PLAINTEXT;
    }

    /** A failure outside the context's own checks (integrity, R-E2E.23) fails the current Record. */
    Output failRecord(String reason, long now) {
        begin();
        if (state != SessionState.DOWN) {
            fail(now, reason);
        }
        return end();
    }

    /** The controller sent a Disconnect Record: the context is over, nothing is answered. */
    Output disconnected(String reason) {
        begin();
        if (state != SessionState.DOWN) {
            LOG.info(() -> "E2E session " + Long.toUnsignedString(sessionId) + " with " + controllerId
                    + " ended by the controller: " + reason);
            close();
        }
        return end();
    }

    /** Ends a running context with a Disconnect Record 7105 (R-E2E.6b), e.g. when the controller is disabled. */
    Output end(String reason) {
        begin();
        if (state != SessionState.DOWN) {
            terminate(reason);
        }
        return end();
    }

    // ---- what the driver reads --------------------------------------------------------------------------------

    SessionState state() {
        return state;
    }

    /** {@code E2ESession.CurrentRetryCount}. */
    int retryCount() {
        return retryCount;
    }

    long sessionId() {
        return sessionId;
    }

    E2ESettings settings() {
        return settings;
    }

    /** Whether agent-initiated Msgs go through the context (R-E2E, SessionMode). */
    boolean carriesAgentMessages() {
        return settings.mode() == SessionMode.REQUIRE
                || settings.mode() == SessionMode.ALLOW && state != SessionState.DOWN;
    }

    /** The next time {@link #tick} has work, or {@link #NEVER}. */
    long nextDeadline() {
        if (state == SessionState.DOWN) {
            return NEVER;
        }
        long t = expiresAt();
        if (state == SessionState.NEGOTIATING) {
            t = Math.min(t, retryAt);
        }
        if (!early.isEmpty()) {
            t = Math.min(t, gapAt);
        }
        if (reassembly.inProgress()) {
            t = Math.min(t, reassembly.lastSegmentAt() + limits.reassemblyIdleMillis());
        }
        return t;
    }

    /** Memory held, for tests and diagnostics: unacknowledged, early, reassembly and waiting Msg bytes. */
    long heldBytes() {
        return sent.bytes() + early.bytes() + reassembly.bufferedBytes() + heldBytes;
    }

    /** The context's payload security. */
    Record.PayloadSecurity security() {
        return security;
    }

    /** Whether the context's E2E TLS handshake is done. */
    boolean tlsEstablished() {
        return tls != null && tls.handshakeDone();
    }

    int unacknowledged() {
        return sent.size();
    }

    int earlyRecords() {
        return early.size();
    }

    // ---- receiving --------------------------------------------------------------------------------------------

    /** R-E2E.20 for a Record of the current context. */
    private void accept(Record record, long now) {
        SessionContextRecord sc = record.getSessionContext();
        long seq = sc.getSequenceId();
        if (seq == 0) {
            fail(now, "a Record carried sequence_id 0");
            return;
        }
        if (Long.compareUnsigned(seq, SEQUENCE_LIMIT) >= 0) {
            fail(now, "received sequence_id " + Long.toUnsignedString(seq) + " is near exhaustion (R-E2E.8)");
            return;
        }
        // A Record of the context arrived: the peer is there (R-E2E.12 resets the retry count).
        lastActivity = now;
        if (tls == null || tls.handshakeDone()) {
            // a TLS context counts as answered when its handshake is done (failed handshakes count as retries)
            retryCount = 0;
        }
        retryAt = NEVER;
        handshakeDue = false;
        if (state == SessionState.NEGOTIATING) {
            moveTo(SessionState.UP);
        }
        int order = Long.compareUnsigned(seq, expectedId);
        if (order < 0) {
            LOG.fine(() -> "duplicate Record " + Long.toUnsignedString(seq) + " from " + controllerId
                    + " ignored (R-E2E.25)");
            return;
        }
        if (order > 0) {
            switch (early.offer(seq, expectedId, record)) {
                case BUFFERED -> {
                    if (gapAt == NEVER) {
                        gapAt = now + RetryWait.millis(1, settings, random);
                    }
                }
                case DUPLICATE -> LOG.fine(() -> "duplicate early Record " + Long.toUnsignedString(seq) + " from "
                        + controllerId + " ignored (R-E2E.25)");
                case TOO_FAR -> fail(now, "sequence_id " + Long.toUnsignedString(seq) + " is more than "
                        + limits.maxEarlyRecords() + " ahead of the expected " + Long.toUnsignedString(expectedId));
                case FULL -> fail(now, "no room to hold Record " + Long.toUnsignedString(seq) + " until "
                        + Long.toUnsignedString(expectedId) + " arrives (" + early.size() + " Records, "
                        + early.bytes() + " bytes held)");
            }
            return;
        }
        long context = generation;
        process(record, now);
        for (Record next = early.take(expectedId); next != null && context == generation;
                next = early.take(expectedId)) {
            process(next, now);
        }
        if (context == generation && early.isEmpty()) {
            gapAt = NEVER;
            gapRequests = 0;
        }
    }

    /** The Record with the expected sequence_id: retransmit request, acknowledgement, payload. */
    private void process(Record record, long now) {
        SessionContextRecord sc = record.getSessionContext();
        long context = generation;
        expectedId = sc.getSequenceId() + 1;
        if (sc.getRetransmitId() != 0) {
            retransmit(sc.getRetransmitId(), now);
            if (context != generation) {
                return;
            }
        }
        // The peer may claim more than was sent (TP-469 3.11 does): everything sent is then acknowledged.
        long acknowledged = Long.compareUnsigned(sc.getExpectedId(), nextSequenceId) > 0 ? nextSequenceId
                : sc.getExpectedId();
        sent.acknowledgeBelow(acknowledged);
        if (sc.getPayloadCount() == 0) {
            return;
        }
        if (security == Record.PayloadSecurity.TLS12) {
            processTls(sc, now);
            return;
        }
        if (sc.getPayloadCount() > 1) {
            fail(now, "a PLAINTEXT Record carried " + sc.getPayloadCount() + " payloads");
            return;
        }
        if (sc.getPayloadSarState() != sc.getPayloadrecSarState()) {
            fail(now, "a PLAINTEXT Record's payload_sar_state " + sc.getPayloadSarState()
                    + " differs from its payloadrec_sar_state " + sc.getPayloadrecSarState());
            return;
        }
        reassembleAndDeliver(sc, sc.getPayload(0), "the payload", now);
    }

    /**
     * The payloads of a TLS12 Record: TLS bytes into the context's TLS session; what it answers (handshake) goes
     * out; the application data it releases is a piece of a Msg, reassembled by payload_sar_state.
     */
    private void processTls(SessionContextRecord sc, long now) {
        ByteString bytes = ByteString.copyFrom(sc.getPayloadList());
        boolean wasDone = tls.handshakeDone();
        long context = generation;
        E2ETls.Step step;
        try {
            step = tls.receive(bytes);
        } catch (E2ETls.Failure e) {
            tlsFailed(now, wasDone, e);
            return;
        }
        sendTls(step.transmit());
        if (!wasDone && tls.handshakeDone()) {
            handshakeDone(now);
            if (context != generation) {
                return;
            }
        }
        reassembleAndDeliver(sc, step.data(), "the TLS application data", now);
    }

    /**
     * One piece of a Msg (a PLAINTEXT payload or the application data a TLS Record released) into the reassembly by
     * payload_sar_state; a completed Msg is delivered. {@code what} names the piece in the failure line.
     */
    private void reassembleAndDeliver(SessionContextRecord sc, ByteString piece, String what, long now) {
        ByteString whole;
        try {
            whole = reassembly.accept(sc.getPayloadSarState(), piece, now);
        } catch (Reassembly.Failure e) {
            fail(now, "reassembly failed at sequence_id " + Long.toUnsignedString(sc.getSequenceId()) + ": "
                    + e.getMessage());
            return;
        }
        if (whole == null || whole.isEmpty()) {
            return;
        }
        try {
            deliver.add(RecordCodec.parseMsg(whole));
        } catch (ModelException e) {
            fail(now, what + " ending at sequence_id " + Long.toUnsignedString(sc.getSequenceId())
                    + " is not a USP Msg (" + whole.size() + " bytes)");
        }
    }

    private void handshakeDone(long now) {
        String protocol = tls.protocol();
        LOG.info(() -> "E2E session " + Long.toUnsignedString(sessionId) + " with " + controllerId
                + ": TLS established (" + protocol + ")");
        retryCount = 0;
        long context = generation;
        while (!held.isEmpty() && context == generation) {
            ByteString m = held.removeFirst();
            heldBytes -= m.size();
            seal(m, now);
        }
    }

    /** Encrypts a serialized Msg and sends its TLS records (E2E-15). */
    private void seal(ByteString payload, long now) {
        List<ByteString> records;
        try {
            records = tls.seal(payload);
        } catch (E2ETls.Failure e) {
            tlsFailed(now, true, e);
            return;
        }
        sendTls(records);
    }

    /**
     * The TLS session failed. Its alert goes to the peer in this context (TP-469 3.5). A failed handshake starts a
     * new context after the retry wait (R-E2E.10–13); a failure after it fails the Record (R-E2E.21).
     */
    private void tlsFailed(long now, boolean afterHandshake, E2ETls.Failure e) {
        sendTls(e.alert);
        if (afterHandshake) {
            fail(now, "E2E TLS failed: " + e.getMessage());
            return;
        }
        long old = sessionId;
        int retries = retryCount + 1;
        long id = newSessionId();
        ArrayDeque<ByteString> waiting = new ArrayDeque<>(held);
        close();
        open(id, true, Record.PayloadSecurity.TLS12, now);
        held.addAll(waiting);
        waiting.forEach(m -> heldBytes += m.size());
        retryCount = retries;
        retryAt = now + RetryWait.millis(retries, settings, random);
        handshakeDue = true;
        LOG.warning(() -> "E2E session " + Long.toUnsignedString(old) + " with " + controllerId
                + ": TLS handshake failed: " + e.getMessage() + "; new session " + Long.toUnsignedString(id)
                + " tries again in " + (retryAt - now) / 1000 + " s (retry " + retries + ")");
    }

    /** Starts the TLS handshake of an agent-started context: its first flight is the first Record. */
    private void startHandshake(long now) {
        List<ByteString> hello;
        try {
            hello = tls.begin();
        } catch (E2ETls.Failure e) {
            tlsFailed(now, false, e);
            return;
        }
        sendTls(hello);
    }

    /** Sends TLS records in Records of at most MaxUSPRecordSize (E2E-15). */
    private void sendTls(List<ByteString> tlsRecords) {
        if (tlsRecords.isEmpty()) {
            return;
        }
        // A MaxUSPRecordSize too small for the headers and the signature: the Records exceed it rather than
        // the handshake failing for good (send() refuses Msgs in that case).
        int capacity = Math.max(256, Segmenter.capacity(envelope(), settings.maxRecordSize(), reservedBytes));
        List<Segmenter.Packed> packed = Segmenter.pack(tlsRecords, capacity);
        for (int i = 0; i < packed.size(); i++) {
            Segmenter.Packed p = packed.get(i);
            newRecord(p.payloads(), Segmenter.state(i, packed.size()), p.recState(), 0);
        }
    }

    /** Resends a kept Record (R-E2E.20 3.2), at most MaxRetransmitTries times. */
    private void retransmit(long id, long now) {
        OutgoingWindow.Sent s = sent.get(id);
        if (s == null) {
            fail(now, "retransmit_id " + Long.toUnsignedString(id) + " asks for a Record that is not kept");
            return;
        }
        int max = settings.maxRetransmitTries();
        if (max >= 0 && s.retransmits >= max) {
            fail(now, "Record " + Long.toUnsignedString(id) + " was asked for again after " + s.retransmits
                    + " retransmission(s) (MaxRetransmitTries " + max + ")");
            return;
        }
        s.retransmits++;
        transmit.add(s.record);
    }

    // ---- sending ----------------------------------------------------------------------------------------------

    /** Writes the next Record of the context and keeps it for retransmission (R-E2E.14–17). */
    private void newRecord(ByteString payload, PayloadSARState sar, long retransmitId) {
        newRecord(payload == null ? List.of() : List.of(payload), sar, sar, retransmitId);
    }

    private void newRecord(List<ByteString> payloads, PayloadSARState sar, PayloadSARState recSar,
            long retransmitId) {
        long seq = nextSequenceId++;
        SessionContextRecord.Builder sc = SessionContextRecord.newBuilder().setSessionId(sessionId)
                .setSequenceId(seq).setExpectedId(expectedId).setRetransmitId(retransmitId)
                .setPayloadSarState(sar).setPayloadrecSarState(recSar).addAllPayload(payloads);
        Record r = envelope().setSessionContext(sc).build();
        if (sent.add(seq, r, r.getSerializedSize()) > 0 && !overflowLogged) {
            overflowLogged = true; // once per context: the peer does not acknowledge, every further Record drops one
            LOG.warning(() -> "E2E session " + Long.toUnsignedString(sessionId) + " with " + controllerId
                    + ": the controller does not acknowledge; the oldest unacknowledged Records are dropped from "
                    + "the retransmit buffer (" + limits.maxUnacknowledged() + " Records / "
                    + limits.maxUnacknowledgedBytes() + " bytes kept)");
        }
        if (Long.compareUnsigned(nextSequenceId, SEQUENCE_LIMIT) >= 0) {
            exhausted = true; // R-E2E.9: a new context on the next contact
        }
        transmit.add(r);
    }

    private Record.Builder envelope() {
        return Record.newBuilder().setVersion(RecordCodec.VERSION).setToId(controllerId).setFromId(agentId)
                .setPayloadSecurity(security);
    }

    // ---- lifecycle --------------------------------------------------------------------------------------------

    /**
     * The agent starts a context with a new session_id (R-E2E.3). Its Record with sequence_id 1 is the Msg that
     * follows, or, when none does ({@code announce}), an empty one.
     */
    private void establish(long now, String why, boolean announce) {
        long id = newSessionId();
        LOG.info(() -> "E2E session " + Long.toUnsignedString(id) + " with " + controllerId + " started by the agent ("
                + why + ")");
        open(id, true, configuredSecurity(), now);
        if (tls != null) {
            startHandshake(now);
        } else if (announce) {
            newRecord(null, PayloadSARState.NONE, 0);
        }
    }

    /** R-E2E.21: the one place a failed Record restarts the context. */
    private void fail(long now, String reason) {
        restart(now, reason, security);
    }

    private void restart(long now, String reason, Record.PayloadSecurity keep) {
        long old = sessionId;
        long id = newSessionId();
        int dropped = sent.size();
        LOG.info(() -> "E2E session " + Long.toUnsignedString(old) + " with " + controllerId + " restarted as "
                + Long.toUnsignedString(id) + ": " + reason + (dropped > 0 ? " (" + dropped
                + " unacknowledged Record(s) dropped)" : ""));
        // Msgs that waited for a handshake wait for the new one; sent Records are dropped (see above).
        ArrayDeque<ByteString> waiting = new ArrayDeque<>(held);
        close();
        open(id, true, keep, now);
        if (tls != null) {
            held.addAll(waiting);
            waiting.forEach(m -> heldBytes += m.size());
            startHandshake(now);
        } else {
            newRecord(null, PayloadSARState.NONE, 0);
            // PayloadSecurity changed to Plaintext meanwhile (Reset()): what waited for TLS goes now
            int capacity = Math.max(1, Segmenter.capacity(envelope(), settings.maxRecordSize(), reservedBytes));
            for (ByteString m : waiting) {
                List<ByteString> pieces = Segmenter.split(m, capacity);
                for (int i = 0; i < pieces.size(); i++) {
                    newRecord(pieces.get(i), Segmenter.state(i, pieces.size()), 0);
                }
            }
        }
    }

    /** Ends the context with a Disconnect Record 7105 (R-E2E.6b). */
    private void terminate(String reason) {
        LOG.info(() -> "E2E session " + Long.toUnsignedString(sessionId) + " with " + controllerId + " ended: "
                + reason + " (7105)");
        close();
        transmit.add(RecordCodec.disconnectRecord(controllerId, agentId, ErrorCode.SESSION_CONTEXT_TERMINATED,
                "Session Context terminated: " + reason));
    }

    private void open(long id, boolean byAgent, Record.PayloadSecurity payloadSecurity, long now) {
        generation++;
        sessionId = id;
        security = payloadSecurity;
        nextSequenceId = 1;
        expectedId = 1;
        exhausted = false;
        overflowLogged = false;
        sent.clear();
        early.clear();
        reassembly.clear();
        gapAt = NEVER;
        gapRequests = 0;
        lastActivity = now;
        handshakeDue = false;
        tls = null;
        if (payloadSecurity == Record.PayloadSecurity.TLS12) {
            try {
                tls = new E2ETls(tlsMaterial.newEngine(controllerId, byAgent));
            } catch (GeneralSecurityException e) {
                // the material was checked when it was loaded: this is a broken installation
                throw new IllegalStateException("no E2E TLS engine: " + e.getMessage(), e);
            }
        }
        if (byAgent) {
            retryAt = now + RetryWait.millis(retryCount + 1, settings, random);
            moveTo(SessionState.NEGOTIATING);
        } else {
            retryAt = NEVER;
            retryCount = 0;
            moveTo(SessionState.UP);
        }
    }

    /** Forgets the context and everything it held. */
    private void close() {
        if (state == SessionState.DOWN) {
            return;
        }
        generation++;
        endedIds.addLast(sessionId);
        if (endedIds.size() > ENDED_IDS) {
            endedIds.removeFirst();
        }
        sent.clear();
        early.clear();
        reassembly.clear();
        tls = null;
        held.clear();
        heldBytes = 0;
        handshakeDue = false;
        retryAt = NEVER;
        gapAt = NEVER;
        gapRequests = 0;
        retryCount = 0;
        sessionId = 0;
        moveTo(SessionState.DOWN);
    }

    private void moveTo(SessionState next) {
        if (!TRANSITIONS.get(state).contains(next)) {
            throw new IllegalStateException("E2E session with " + controllerId + ": no transition " + state + " → "
                    + next);
        }
        state = next;
    }

    private long expiresAt() {
        long s = settings.expirationSeconds();
        return s == 0 ? NEVER : lastActivity + s * 1000;
    }

    /** Greater than 1 (R-E2E.3), never one used with this controller lately. */
    private long newSessionId() {
        long id;
        do {
            id = random.nextLong() >>> 1;
        } while (id < 2 || id == sessionId || endedIds.contains(id));
        return id;
    }

    private void begin() {
        transmit = new ArrayList<>(2);
        deliver = new ArrayList<>(1);
    }

    private Output end() {
        Output o = transmit.isEmpty() && deliver.isEmpty() ? Output.NONE : new Output(transmit, deliver);
        transmit = null;
        deliver = null;
        return o;
    }
}
