package io.uspbridge.record;

import io.uspbridge.model.ErrorCode;
import io.uspbridge.model.ModelException;
import io.uspbridge.mtp.MtpChannel;
import io.uspbridge.mtp.ReplyAddress;
import io.uspbridge.proto.UspMsg;
import io.uspbridge.proto.UspRecord.Record;
import io.uspbridge.security.EndpointTls;
import io.uspbridge.wire.OutgoingMsg;
import java.security.SecureRandom;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.logging.Logger;
import java.util.random.RandomGenerator;

/**
 * The USP Record layer (section 3): checks every received Record, unwraps its Msg for the message layer, wraps
 * responses and agent-initiated Msgs in Records, and sends them over the right MTP.
 *
 * <pre>
 *   MTP bytes ─► parse (7100: drop) ─► version, to_id (R-E2E.1), from_id (ARC-4) ─► controller standing
 *            ─► mac_signature, when present (R-E2E.30; a failure is ignored, and restarts a context, R-E2E.23)
 *            ─► record type: no_session_context ─► Msg ─► MessageSink ─► response Record on the same MTP (REC-1)
 *                              (refused when SessionMode is Require: a context is established instead)
 *                            session_context    ─► SessionContexts ─► SessionContext of the controller
 *                                                   (sequencing, retransmission, reassembly) ─► Msgs in order
 *                                                   ─► MessageSink ─► response in the same context (REC-1)
 *                            mqtt_connect       ─► remember the controller's reply-to topic
 *                            disconnect         ─► logged; ends the controller's context
 * </pre>
 *
 * End-to-End Session Contexts are off until {@link #enableSessions} (then every controller's
 * {@code E2ESession.SessionMode} decides); while off, Session Context Records are refused with 7106. Runs on the
 * agent loop. Every rejected Record gets one log line; nothing here throws to the MTP.
 */
public final class RecordLayer implements SessionControl {
    private static final Logger LOG = Logger.getLogger(RecordLayer.class.getName());

    /** Handles SessionContext Records; until End-to-End sessions exist, refuses them (R-E2E.6a). */
    public interface SessionRecords {
        void onSessionRecord(Record record, ReplyAddress from);
    }

    private final String agentId;
    private final ControllerDirectory controllers;
    private final MessageSink sink;
    private final Function<String, MtpChannel> channels;
    private final RecordMetrics metrics;
    private SessionRecords sessions;
    /** The End-to-End Session Contexts; null until {@link #enableSessions}. */
    private SessionContexts contexts;
    /** Signs every sent Record (R-E2E.29); null when the MTP protects the Records. */
    private RecordIntegrity.RecordSigner signer;
    /** The agent's E2E TLS material (TLS12 payload security); null when it has none. */
    private EndpointTls tls;
    private final List<Consumer<MtpChannel>> channelUpListeners = new CopyOnWriteArrayList<>();
    /** msg_ids still being processed, per controller (MSG-5: duplicates are ignored). */
    private final Map<String, Set<String>> inFlight = new HashMap<>();
    /** controller + MTP pairs that had a Disconnect Record: a Connect Record goes before the next Record (R-MTP.8). */
    private final Set<String> connectOwed = new HashSet<>();

    /**
     * @param channels finds an MTP by its data-model reference ({@code Device.LocalAgent.MTP.1}); null if unknown
     */
    public RecordLayer(String agentId, ControllerDirectory controllers, MessageSink sink,
            Function<String, MtpChannel> channels, RecordMetrics metrics) {
        this.agentId = agentId;
        this.controllers = controllers;
        this.sink = sink;
        this.channels = channels;
        this.metrics = metrics;
        this.sessions = (record, from) -> {
            LOG.info(() -> "Session Context Record from " + record.getFromId()
                    + " refused: End-to-End sessions are not enabled (7106)");
            send(record.getFromId(), from, RecordCodec.disconnectRecord(record.getFromId(), agentId,
                    ErrorCode.SESSION_CONTEXT_NOT_ALLOWED, "Session Context not allowed"), false);
        };
    }

    public void setSessionRecords(SessionRecords sessions) {
        this.sessions = sessions;
    }

    /**
     * Turns End-to-End Session Contexts on (digest §4), with the agent loop's timers and the default limits. From
     * then on each controller's {@code E2ESession.} settings decide how its Records travel.
     */
    public RecordLayer enableSessions(SessionClock clock) {
        return enableSessions(clock, SessionLimits.DEFAULT, new SecureRandom());
    }

    /** {@link #enableSessions(SessionClock)} with chosen limits and randomness (session ids, retry jitter). */
    public RecordLayer enableSessions(SessionClock clock, SessionLimits limits, RandomGenerator random) {
        if (contexts != null) {
            throw new IllegalStateException("sessions are already enabled");
        }
        contexts = new SessionContexts(agentId, controllers, clock, limits, random,
                signer == null ? 0 : signer.overhead(), new ContextWire(), tls);
        return this;
    }

    /**
     * Offers TLS12 payload security in Session Contexts (digest §4.4) with the agent's key, certificate and the
     * trust anchors for controller certificates. Call before {@link #enableSessions}.
     */
    public RecordLayer e2eTls(EndpointTls material) {
        if (contexts != null) {
            throw new IllegalStateException("set the E2E TLS material before enabling sessions");
        }
        this.tls = material;
        return this;
    }

    /**
     * Signs every Record the agent sends with its key (R-E2E.29, signature method), for MTPs that do not protect
     * Records. Call before {@link #enableSessions}, whose Records must leave room for the signature.
     */
    public RecordLayer signWith(RecordIntegrity.RecordSigner recordSigner) {
        if (contexts != null) {
            throw new IllegalStateException("set the signer before enabling sessions");
        }
        this.signer = recordSigner;
        return this;
    }

    /**
     * Calls {@code listener} on the agent loop each time an MTP came up, after the MQTT Connect Records went out
     * (R-MTP.6): the notification engine sends what waited for a link (a queued Boot!, Notify retries) then.
     */
    public void addChannelUpListener(Consumer<MtpChannel> listener) {
        channelUpListeners.add(listener);
    }

    public String agentId() {
        return agentId;
    }

    /** A Record arrived on an MTP. */
    public void onRecord(byte[] bytes, ReplyAddress from) {
        metrics.recordReceived();
        long start = System.nanoTime();
        Record record;
        try {
            record = RecordCodec.parse(bytes);
        } catch (ModelException e) {
            reject("parse", "a Record that could not be parsed (" + bytes.length + " bytes) on "
                    + from.channel().reference() + " was dropped");
            return;
        }
        if (!accept(record, from)) {
            return;
        }
        String problem = RecordIntegrity.problem(record, new Date());
        if (problem != null) {
            reject("integrity", "a Record from " + record.getFromId() + " failed its integrity check and was "
                    + "ignored: " + problem + " (R-E2E.23)");
            if (contexts != null && record.hasSessionContext()) {
                contexts.integrityFailed(record.getFromId(), "a Record failed its integrity check: " + problem);
            }
            return;
        }
        switch (record.getRecordTypeCase()) {
            case NO_SESSION_CONTEXT -> {
                if (contexts != null && controllers.e2eSettings(record.getFromId()).mode() == SessionMode.REQUIRE) {
                    // SessionMode Require: no Msg is exchanged outside a Session Context.
                    reject("session_required", "a NoSessionContext Record from " + record.getFromId()
                            + " was refused: its E2ESession.SessionMode is Require");
                    contexts.requireContext(record.getFromId(), from);
                } else {
                    onNoSessionContext(record, from, start);
                }
            }
            case SESSION_CONTEXT -> {
                if (contexts != null) {
                    contexts.onRecord(record, from);
                } else {
                    sessions.onSessionRecord(record, from);
                }
            }
            case MQTT_CONNECT -> {
                String topic = record.getMqttConnect().getSubscribedTopic();
                if (!topic.isEmpty()) {
                    controllers.learnedAddress(record.getFromId(), from.channel().reference(), topic);
                }
                LOG.fine(() -> "MQTT Connect Record from " + record.getFromId() + " (reply-to " + topic + ")");
            }
            case DISCONNECT -> {
                String reason = record.getDisconnect().getReasonCode() + " " + record.getDisconnect().getReason();
                LOG.info(() -> "Disconnect Record from " + record.getFromId() + ": " + reason);
                oweConnect(record.getFromId(), from.channel());
                if (contexts != null) {
                    contexts.onDisconnect(record.getFromId(), reason);
                }
            }
            case RECORDTYPE_NOT_SET -> reject("type", "a Record from " + record.getFromId()
                    + " without a record type was dropped (R-ENC.4)");
            default -> LOG.fine(() -> "ignored " + record.getRecordTypeCase() + " Record from " + record.getFromId());
        }
    }

    /** The checks every Record passes before anything else (R-E2E.1, ARC-4, 13.3, section 12). */
    private boolean accept(Record record, ReplyAddress from) {
        if (!agentId.equals(record.getToId())) {
            reject("to_id", "a Record for '" + record.getToId() + "' (not this agent) from '" + record.getFromId()
                    + "' was dropped (R-E2E.1)");
            return false;
        }
        String sender = record.getFromId();
        if (sender.isEmpty()) {
            reject("from_id", "a Record without from_id was dropped");
            return false;
        }
        if (sender.equals(agentId)) {
            reject("from_id", "a Record from this agent's own Endpoint ID was dropped (R-ARC.2)");
            return false;
        }
        if (record.getVersion().isEmpty()) {
            // The version is required (3.1); a higher one than ours is processed gracefully, an absent one is not.
            reject("version", "a Record from " + sender + " without a USP version was dropped");
            return false;
        }
        switch (controllers.standing(sender)) {
            case TRUSTED -> {
                return true;
            }
            case UNKNOWN -> {
                if (controllers.acceptsUnknownControllers()) {
                    return true;
                }
                reject("unknown", "a Record from unknown controller " + sender
                        + " was refused (no Controller row; unknown controllers are not accepted)");
                return false;
            }
            case DISABLED -> {
                reject("disabled", "a Record from disabled controller " + sender + " was refused");
                return false;
            }
            default -> {
                reject("banned", "a Record from banned controller " + sender + " was refused");
                return false;
            }
        }
    }

    private void onNoSessionContext(Record record, ReplyAddress from, long start) {
        String sender = record.getFromId();
        if (record.getPayloadSecurity() != Record.PayloadSecurity.PLAINTEXT) {
            reject("payload_security", "a NoSessionContext Record from " + sender
                    + " asked for TLS payload security, which needs a Session Context (R-E2E.41)");
            return;
        }
        if (record.getNoSessionContext().getPayload().isEmpty()) {
            reject("payload", "an empty NoSessionContext Record from " + sender + " was dropped (R-E2E.26)");
            return;
        }
        UspMsg.Msg msg;
        try {
            msg = RecordCodec.parseMsg(record.getNoSessionContext().getPayload());
        } catch (ModelException e) {
            Optional<String> msgId = RecordCodec.requestMsgId(record.getNoSessionContext().getPayload());
            if (msgId.isEmpty()) {
                reject("msg", "a Record from " + sender + " carried no decodable Msg and was dropped");
                return;
            }
            // R-MTP.5: the request's msg_id can be read, so the controller learns why it gets no response.
            reject("msg", "request " + msgId.get() + " from " + sender + " could not be decoded (" + e.getMessage()
                    + "); answered with Error 7100");
            reply(sender, from, OutgoingMsg.of(RecordCodec.errorMsg(msgId.get(), ErrorCode.RECORD_NOT_PARSED,
                    "the Msg could not be decoded: " + e.getMessage())));
            return;
        }
        dispatch(msg, sender, start, response -> reply(sender, from, response));
    }

    /**
     * Hands a Msg to the message layer and its answer to {@code respond}; a msg_id still in process is a duplicate
     * and ignored (R-MSG.4), whichever record type carried it.
     */
    private void dispatch(UspMsg.Msg msg, String sender, long start, Consumer<OutgoingMsg> respond) {
        String msgId = msg.getHeader().getMsgId();
        Set<String> ids = inFlight.computeIfAbsent(sender, k -> new HashSet<>());
        if (!msgId.isEmpty() && !ids.add(msgId)) {
            LOG.info(() -> "duplicate msg_id '" + msgId + "' from " + sender + " ignored while in process (R-MSG.4)");
            return;
        }
        CompletionStage<OutgoingMsg> answer;
        try {
            answer = sink.answer(msg, sender);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answer.whenComplete((response, failure) -> {
            ids.remove(msgId);
            if (ids.isEmpty()) {
                inFlight.remove(sender);
            }
            if (failure != null) {
                LOG.severe("message " + msgId + " from " + sender + " failed inside the agent: " + failure);
                return;
            }
            if (response != null) {
                respond.accept(response);
                metrics.requestCompleted(System.nanoTime() - start);
            }
        });
    }

    /** Sends a response on the MTP the request came in on (REC-1), to its reply address or the configured one. */
    private void reply(String controller, ReplyAddress from, OutgoingMsg msg) {
        ReplyAddress to = replyAddress(controller, from);
        if (to == null) {
            LOG.warning("no reply address for " + controller + " on " + from.channel().reference()
                    + "; response dropped (configure Controller.{i}.MTP.{i}.MQTT.Topic)");
            return;
        }
        ControllerDirectory.Route route = routeVia(controller, from.channel().reference());
        send(controller, to, msg, route != null && route.retainResponse());
    }

    /** The address on {@code from}'s MTP: the peer's reply address, else the configured or announced one. */
    private ReplyAddress replyAddress(String controller, ReplyAddress from) {
        String address = from.address();
        if (address == null || address.isEmpty()) {
            ControllerDirectory.Route route = routeVia(controller, from.channel().reference());
            address = route != null ? route.address()
                    : controllers.learnedAddress(controller, from.channel().reference());
        }
        return address == null || address.isEmpty() ? null : new ReplyAddress(from.channel(), address);
    }

    private ControllerDirectory.Route routeVia(String controller, String mtpReference) {
        for (ControllerDirectory.Route r : controllers.routes(controller)) {
            if (r.mtpReference().isEmpty() || r.mtpReference().equals(mtpReference)) {
                return r;
            }
        }
        return null;
    }

    /**
     * Sends an agent-initiated Msg (Notify) to a controller over its best route that is up (MQTT-10): the
     * Controller.{i}.MTP.{i} rows in Order, else the reply-to address the controller announced.
     */
    public CompletionStage<Void> sendToController(String controller, UspMsg.Msg msg) {
        if (contexts != null && contexts.carriesAgentMessages(controller)) {
            // SessionMode Require, or Allow with a context running.
            return contexts.send(controller, OutgoingMsg.of(msg), false);
        }
        Target t = bestRoute(controller);
        if (t == null) {
            return CompletableFuture.failedFuture(new ModelException(ErrorCode.MESSAGE_FAILED,
                    "no MTP is up towards " + controller));
        }
        return send(controller, t.to(), OutgoingMsg.of(msg), t.route().retainNotify());
    }

    private record Target(ReplyAddress to, ControllerDirectory.Route route) {
    }

    /** The controller's best route that is up (MQTT-10), or null. */
    private Target bestRoute(String controller) {
        for (ControllerDirectory.Route r : controllers.routes(controller)) {
            MtpChannel ch = channels.apply(r.mtpReference());
            if (ch != null && ch.isUp() && !r.address().isEmpty()) {
                return new Target(new ReplyAddress(ch, r.address()), r);
            }
        }
        return null;
    }

    @Override
    public void resetSession(String controller) {
        if (contexts == null) {
            throw new ModelException(ErrorCode.SESSION_CONTEXT_NOT_ALLOWED, "End-to-End sessions are not enabled");
        }
        contexts.reset(controller);
    }

    @Override
    public void sessionSettingsChanged(String controller) {
        if (contexts != null) {
            contexts.settingsChanged(controller);
        }
    }

    @Override
    public SessionState sessionState(String controller) {
        return contexts == null ? SessionState.DOWN : contexts.state(controller);
    }

    /** The record layer's side of the Session Contexts. */
    private final class ContextWire implements SessionContexts.Wire {
        @Override
        public ReplyAddress route(String controller, ReplyAddress lastFrom) {
            if (lastFrom != null && lastFrom.channel().isUp()) {
                ReplyAddress to = replyAddress(controller, lastFrom);
                if (to != null) {
                    return to;
                }
            }
            Target t = bestRoute(controller);
            return t == null ? null : t.to();
        }

        @Override
        public CompletionStage<Void> transmit(String controller, List<Record> records, ReplyAddress to) {
            CompletableFuture<?>[] all = new CompletableFuture<?>[records.size()];
            for (int i = 0; i < all.length; i++) {
                all[i] = send(controller, to, records.get(i), false).toCompletableFuture();
            }
            return CompletableFuture.allOf(all);
        }

        @Override
        public void deliver(String controller, UspMsg.Msg msg) {
            // REC-1: the answer to a Msg that came in a Session Context goes back in it.
            dispatch(msg, controller, System.nanoTime(), response -> contexts.send(controller, response, true)
                    .whenComplete((v, e) -> {
                        if (e != null) {
                            LOG.warning("response " + response.msgId() + " to " + controller
                                    + " not sent in its Session Context: " + e.getMessage());
                        }
                    }));
        }
    }

    /** An MTP came up: send the MQTT Connect Record to every controller reachable over it (R-MTP.6, REC-2). */
    public void onChannelUp(MtpChannel channel) {
        if ("MQTT".equals(channel.protocol())) {
            sendConnectRecords(channel);
        }
        for (Consumer<MtpChannel> l : channelUpListeners) {
            l.accept(channel);
        }
    }

    private void sendConnectRecords(MtpChannel channel) {
        for (String controller : controllers.controllersReachableVia(channel.reference())) {
            ControllerDirectory.Route route = routeVia(controller, channel.reference());
            if (route == null || route.address().isEmpty()) {
                continue;
            }
            send(controller, new ReplyAddress(channel, route.address()),
                    RecordCodec.mqttConnectRecord(controller, agentId, channel.agentAddress()), false);
        }
    }

    /**
     * Sends one Record to a controller: signed when a signer is set, and after a Disconnect Record on this MQTT
     * channel preceded by a Connect Record (R-MTP.8).
     */
    private CompletionStage<Void> send(String controller, ReplyAddress to, Record record, boolean retain) {
        if (record.hasDisconnect()) {
            oweConnect(controller, to.channel());
        } else if (record.hasMqttConnect()) {
            connectOwed.remove(controller + "\u0000" + to.channel().reference());    // this one pays it
        } else {
            connectIfOwed(controller, to);
        }
        return transmit(to, signer == null ? record.toByteArray() : signer.sign(record).toByteArray(), retain);
    }

    /**
     * Sends a Msg in a NoSessionContext Record: written once from the encoded Msg into the Record's array, unless
     * the Record is signed (the signature needs the Record's fields).
     */
    private CompletionStage<Void> send(String controller, ReplyAddress to, OutgoingMsg msg, boolean retain) {
        connectIfOwed(controller, to);
        byte[] bytes = signer == null ? RecordCodec.noSessionContext(controller, agentId, msg)
                : signer.sign(RecordCodec.noSessionContextRecord(controller, agentId, msg)).toByteArray();
        return transmit(to, bytes, retain);
    }

    /** After a Disconnect Record on this MQTT channel, a Connect Record goes before the next Record (R-MTP.8). */
    private void connectIfOwed(String controller, ReplyAddress to) {
        if (connectOwed.remove(controller + "\u0000" + to.channel().reference())) {
            Record connect = RecordCodec.mqttConnectRecord(controller, agentId, to.channel().agentAddress());
            transmit(to, signer == null ? connect.toByteArray() : signer.sign(connect).toByteArray(), false);
        }
    }

    private void oweConnect(String controller, MtpChannel channel) {
        if ("MQTT".equals(channel.protocol())) {
            connectOwed.add(controller + "\u0000" + channel.reference());
        }
    }

    private CompletionStage<Void> transmit(ReplyAddress to, byte[] bytes, boolean retain) {
        metrics.recordSent();
        return to.channel().send(bytes, to.address(), retain).whenComplete((v, e) -> {
            if (e != null) {
                LOG.fine(() -> "sending a Record to " + to.address() + " failed: " + e.getMessage());
            }
        });
    }

    private void reject(String reason, String line) {
        metrics.recordRejected(reason);
        LOG.info(line);
    }

    /** The Session Contexts, for tests; null while they are off. */
    SessionContexts contexts() {
        return contexts;
    }

    /** Controllers' msg_ids currently in process (for tests and diagnostics). */
    List<String> inFlight(String controller) {
        return List.copyOf(inFlight.getOrDefault(controller, Set.of()));
    }
}
