package io.uspbridge.agent;

import io.uspbridge.model.CommandCall;
import io.uspbridge.model.DataModel;
import io.uspbridge.model.ErrorCode;
import io.uspbridge.model.ModelChange;
import io.uspbridge.model.ModelException;
import io.uspbridge.model.ModelListener;
import io.uspbridge.model.ObjectNode;
import io.uspbridge.model.SchemaBuilder;
import io.uspbridge.model.Table;
import io.uspbridge.config.AgentConfig;
import io.uspbridge.record.SessionClock;
import io.uspbridge.record.SessionControl;
import io.uspbridge.security.EndpointTls;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.logging.Logger;

/**
 * The behaviour of {@code Device.LocalAgent.Controller.{i}.E2ESession.}: it turns the record layer's End-to-End
 * Session Contexts on; {@code Reset()} restarts (or starts, or with SessionMode Forbid ends) the controller's
 * context; and a change of its settings, or of the controller's Enable, EndpointID or roles, is applied at once
 * (Forbid ends a running context with 7105, Require establishes one). The record layer reads the settings live
 * (ModelControllerDirectory) and writes Status and CurrentRetryCount back. At start every controller whose
 * SessionMode is Require gets its context.
 */
public final class E2ESessionModule implements AgentModule, ModelListener {
    static final String E2E = "Device.LocalAgent.Controller.{i}.E2ESession.";
    static final String CONTROLLER = "Device.LocalAgent.Controller.{i}.";
    /** The settings the record layer applies (Status and CurrentRetryCount are its own output). */
    private static final Set<String> SETTINGS = Set.of("SessionMode", "SessionExpiration",
            "SessionRetryMinimumWaitInterval", "SessionRetryIntervalMultiplier", "MaxUSPRecordSize",
            "MaxRetransmitTries", "PayloadSecurity");
    private static final Set<String> CONTROLLER_PARAMS = Set.of("Enable", "EndpointID", "AssignedRole");

    private static final Logger LOG = Logger.getLogger(E2ESessionModule.class.getName());

    private SessionControl control;
    private DataModel model;

    @Override
    public void start(AgentContext context) {
        EndpointTls tls = loadTls(context.config().e2e(), context.endpointId());
        if (tls != null) {
            context.records().e2eTls(tls);
        }
        start(context.model(), context.records().enableSessions(SessionClock.of(context.loop())));
    }

    /**
     * The agent's E2E TLS material from {@code uspbridge.e2e.*}; null, with one log line, when it is not configured
     * or cannot be used (the agent runs on, without TLS12 payload security).
     */
    static EndpointTls loadTls(AgentConfig.E2e config, String endpointId) {
        List<Optional<String>> files = List.of(config.certificate(), config.privateKey(), config.trustAnchors());
        long given = files.stream().filter(Optional::isPresent).count();
        if (given == 0) {
            return null;
        }
        if (given < files.size()) {
            LOG.severe("E2E TLS payload security is off: uspbridge.e2e.certificate, private-key and trust-anchors "
                    + "must all be set");
            return null;
        }
        try {
            EndpointTls tls = EndpointTls.load(Path.of(config.certificate().get()),
                    Path.of(config.privateKey().get()), Path.of(config.trustAnchors().get()));
            if (!EndpointTls.namesEndpoint(tls.certificate(), endpointId)) {
                // Controllers check it (SEC-2, R-SEC.10) and will refuse the handshake.
                LOG.warning("the E2E TLS certificate " + config.certificate().get() + " does not name urn:bbf:usp:id:"
                        + endpointId + " in its subjectAltName; controllers will refuse it");
            }
            LOG.info("E2E TLS payload security offered with " + config.certificate().get());
            return tls;
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            LOG.severe("E2E TLS payload security is off: " + e.getMessage());
            return null;
        }
    }

    /** Starts on a model and a record layer with sessions enabled (what {@link #start(AgentContext)} does). */
    public void start(DataModel dataModel, SessionControl sessionControl) {
        this.model = dataModel;
        this.control = sessionControl;
        model.addListener(this);
        Table controllers = model.findTable("Device.LocalAgent.Controller.");
        if (controllers != null) {
            Set<String> all = new LinkedHashSet<>();
            controllers.rows().forEach(c -> add(all, c.value("EndpointID")));
            all.forEach(control::sessionSettingsChanged);
        }
    }

    @Override
    public void stop() {
        if (model != null) {
            model.removeListener(this);
        }
        control = null;
    }

    @Override
    public void contribute(SchemaBuilder schema) {
        schema.object(E2E).command("Reset()").sync().handler(this::reset);
    }

    private CompletionStage<Map<String, String>> reset(CommandCall call) {
        SessionControl c = control;
        if (c == null) {
            return CompletableFuture.failedFuture(new ModelException(ErrorCode.COMMAND_FAILURE,
                    "End-to-End sessions are not running"));
        }
        String endpointId = call.object().parent().value("EndpointID");
        if (endpointId == null || endpointId.isEmpty()) {
            return CompletableFuture.failedFuture(new ModelException(ErrorCode.COMMAND_FAILURE,
                    "the controller has no EndpointID"));
        }
        try {
            c.resetSession(endpointId);
        } catch (ModelException e) {
            return CompletableFuture.failedFuture(new ModelException(ErrorCode.COMMAND_FAILURE, e.getMessage()));
        }
        return CompletableFuture.completedFuture(Map.of());
    }

    @Override
    public void onChanges(List<ModelChange> changes) {
        SessionControl c = control;
        if (c == null) {
            return;
        }
        Set<String> affected = new LinkedHashSet<>();
        for (ModelChange change : changes) {
            ObjectNode o = change.object();
            String def = o.def().path();
            if (change instanceof ModelChange.ValueChanged v) {
                String p = v.param().name();
                if (def.equals(E2E) && SETTINGS.contains(p)) {
                    add(affected, o.parent().value("EndpointID"));
                } else if (def.equals(CONTROLLER) && CONTROLLER_PARAMS.contains(p)) {
                    add(affected, o.value("EndpointID"));
                    if (p.equals("EndpointID")) {
                        add(affected, v.oldValue());
                    }
                }
            } else if (def.equals(CONTROLLER)) {
                // a Controller row created (its settings apply) or deleted (its context ends)
                add(affected, o.value("EndpointID"));
            }
        }
        affected.forEach(c::sessionSettingsChanged);
    }

    private static void add(Set<String> affected, String endpointId) {
        if (endpointId != null && !endpointId.isEmpty()) {
            affected.add(endpointId);
        }
    }
}
