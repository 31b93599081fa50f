package io.uspbridge.record;

import io.uspbridge.model.ErrorCode;
import io.uspbridge.model.ModelException;
import io.uspbridge.mtp.MtpChannel;
import io.uspbridge.mtp.ReplyAddress;
import io.uspbridge.proto.UspMsg;
import io.uspbridge.proto.UspRecord.Record;
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

/**
 * The USP Record layer (section 3): checks every received Record, unwraps its Msg for the message layer, wraps
 * responses and agent-initiated Msgs in Records, and sends them over the right MTP.
 *
 * <pre>
 *   MTP bytes ─► parse (7100: drop) ─► version, to_id (R-E2E.1), from_id (ARC-4) ─► controller standing
 *            ─► record type: no_session_context ─► Msg ─► MessageSink ─► response Record on the same MTP (REC-1)
 *                            session_context    ─► SessionRecords (End-to-End sessions)
 *                            mqtt_connect       ─► remember the controller's reply-to topic
 *                            disconnect         ─► logged
 * </pre>
 *
 * Runs on the agent loop. Every rejected Record gets one log line; nothing here throws to the MTP.
 */
public final class RecordLayer {
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
    private final List<Consumer<MtpChannel>> channelUpListeners = new CopyOnWriteArrayList<>();
    /** msg_ids still being processed, per controller (MSG-5: duplicates are ignored). */
    private final Map<String, Set<String>> inFlight = new HashMap<>();

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
            send(from, RecordCodec.disconnect(record.getFromId(), agentId, ErrorCode.SESSION_CONTEXT_NOT_ALLOWED,
                    "Session Context not allowed"), false);
        };
    }

    public void setSessionRecords(SessionRecords sessions) {
        this.sessions = sessions;
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
        switch (record.getRecordTypeCase()) {
            case NO_SESSION_CONTEXT -> onNoSessionContext(record, from, start);
            case SESSION_CONTEXT -> sessions.onSessionRecord(record, from);
            case MQTT_CONNECT -> {
                String topic = record.getMqttConnect().getSubscribedTopic();
                if (!topic.isEmpty()) {
                    controllers.learnedAddress(record.getFromId(), from.channel().reference(), topic);
                }
                LOG.fine(() -> "MQTT Connect Record from " + record.getFromId() + " (reply-to " + topic + ")");
            }
            case DISCONNECT -> LOG.info(() -> "Disconnect Record from " + record.getFromId() + ": "
                    + record.getDisconnect().getReasonCode() + " " + record.getDisconnect().getReason());
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
            reply(sender, from, RecordCodec.noSessionContext(sender, agentId, RecordCodec.errorMsg(msgId.get(),
                    ErrorCode.RECORD_NOT_PARSED, "the Msg could not be decoded: " + e.getMessage())));
            return;
        }
        String msgId = msg.getHeader().getMsgId();
        Set<String> ids = inFlight.computeIfAbsent(sender, k -> new HashSet<>());
        if (!msgId.isEmpty() && !ids.add(msgId)) {
            LOG.info(() -> "duplicate msg_id '" + msgId + "' from " + sender + " ignored while in process (R-MSG.4)");
            return;
        }
        CompletionStage<UspMsg.Msg> answer;
        try {
            answer = sink.onMessage(msg, sender);
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
                reply(sender, from, RecordCodec.noSessionContext(sender, agentId, response));
                metrics.requestCompleted(System.nanoTime() - start);
            }
        });
    }

    /** Sends a response on the MTP the request came in on (REC-1), to its reply address or the configured one. */
    private void reply(String controller, ReplyAddress from, byte[] record) {
        String address = from.address();
        if (address == null || address.isEmpty()) {
            ControllerDirectory.Route route = routeVia(controller, from.channel().reference());
            address = route != null ? route.address()
                    : controllers.learnedAddress(controller, from.channel().reference());
        }
        if (address == null || address.isEmpty()) {
            LOG.warning("no reply address for " + controller + " on " + from.channel().reference()
                    + "; response dropped (configure Controller.{i}.MTP.{i}.MQTT.Topic)");
            return;
        }
        ControllerDirectory.Route route = routeVia(controller, from.channel().reference());
        send(new ReplyAddress(from.channel(), address), record, route != null && route.retainResponse());
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
        byte[] record = RecordCodec.noSessionContext(controller, agentId, msg);
        for (ControllerDirectory.Route r : controllers.routes(controller)) {
            MtpChannel ch = channels.apply(r.mtpReference());
            if (ch != null && ch.isUp() && !r.address().isEmpty()) {
                return send(new ReplyAddress(ch, r.address()), record, r.retainNotify());
            }
        }
        return CompletableFuture.failedFuture(new ModelException(ErrorCode.MESSAGE_FAILED,
                "no MTP is up towards " + controller));
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
            send(new ReplyAddress(channel, route.address()),
                    RecordCodec.mqttConnect(controller, agentId, channel.agentAddress()), false);
        }
    }

    private CompletionStage<Void> send(ReplyAddress to, byte[] record, boolean retain) {
        metrics.recordSent();
        return to.channel().send(record, to.address(), retain).whenComplete((v, e) -> {
            if (e != null) {
                LOG.fine(() -> "sending a Record to " + to.address() + " failed: " + e.getMessage());
            }
        });
    }

    private void reject(String reason, String line) {
        metrics.recordRejected(reason);
        LOG.info(line);
    }

    /** Controllers' msg_ids currently in process (for tests and diagnostics). */
    List<String> inFlight(String controller) {
        return List.copyOf(inFlight.getOrDefault(controller, Set.of()));
    }
}
