package io.uspbridge.agent;

import io.uspbridge.model.CommandCall;
import io.uspbridge.model.ErrorCode;
import io.uspbridge.model.ModelChange;
import io.uspbridge.model.ModelException;
import io.uspbridge.model.ModelListener;
import io.uspbridge.model.ObjectNode;
import io.uspbridge.model.SchemaBuilder;
import io.uspbridge.model.SchemaContributor;
import io.uspbridge.record.SessionControl;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The behaviour of {@code Device.LocalAgent.Controller.{i}.E2ESession.}: {@code Reset()} restarts (or starts, or
 * with SessionMode Forbid ends) the controller's Session Context, and a change of its settings, or of the
 * controller's Enable, EndpointID or roles, is applied by the record layer at once (Forbid ends a running context
 * with 7105, Require establishes one). The record layer reads the settings live (ModelControllerDirectory) and
 * writes Status and CurrentRetryCount back.
 *
 * <p>Wiring: contribute it to the schema, add it as a model listener, then {@link #attach} the record layer
 * once it exists; until then Reset() fails with 7022.
 */
public final class E2ESessionFeature implements SchemaContributor, ModelListener {
    static final String E2E = "Device.LocalAgent.Controller.{i}.E2ESession.";
    static final String CONTROLLER = "Device.LocalAgent.Controller.{i}.";
    /** The settings the record layer applies (Status and CurrentRetryCount are its own output). */
    private static final Set<String> SETTINGS = Set.of("SessionMode", "SessionExpiration",
            "SessionRetryMinimumWaitInterval", "SessionRetryIntervalMultiplier", "MaxUSPRecordSize",
            "MaxRetransmitTries", "PayloadSecurity");
    private static final Set<String> CONTROLLER_PARAMS = Set.of("Enable", "EndpointID", "AssignedRole");

    private volatile SessionControl control;

    /** Connects the record layer (called once it is built, before traffic starts). */
    public void attach(SessionControl sessionControl) {
        this.control = sessionControl;
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
