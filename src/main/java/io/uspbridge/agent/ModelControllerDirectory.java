package io.uspbridge.agent;

import io.uspbridge.model.DataModel;
import io.uspbridge.model.ModelChange;
import io.uspbridge.model.ObjectNode;
import io.uspbridge.model.Table;
import io.uspbridge.record.ControllerDirectory;
import io.uspbridge.record.E2ESettings;
import io.uspbridge.record.SessionMode;
import io.uspbridge.record.SessionState;
import io.uspbridge.security.AccessControl;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The record layer's view of {@code Device.LocalAgent.Controller.{i}}: who is trusted, disabled or banned, and how
 * to reach each controller ({@code Controller.{i}.MTP.{i}.MQTT.Topic} over the agent MTP named by
 * {@code AgentMTPReference}, MQTT-10). Runs on the agent loop.
 *
 * <p>Routes and E2E settings are read for every Record; they are kept per controller until a change under
 * {@code Controller.} or {@code LocalAgent.MTP.} commits, so that a Set still applies to the next Record.
 */
public final class ModelControllerDirectory implements ControllerDirectory {
    private static final String CONTROLLERS = "Device.LocalAgent.Controller.";
    private static final String AGENT_MTPS = "Device.LocalAgent.MTP.";

    private final DataModel model;
    private final AccessControl access;
    private final boolean acceptUnknown;
    private final Map<String, String> learned = new HashMap<>();
    private final Map<String, List<Route>> routesByEndpoint = new HashMap<>();
    private final Map<String, E2ESettings> e2eByEndpoint = new HashMap<>();

    public ModelControllerDirectory(DataModel model, AccessControl access, boolean acceptUnknown) {
        this.model = model;
        this.access = access;
        this.acceptUnknown = acceptUnknown;
        model.addListener(changes -> {
            for (ModelChange c : changes) {
                String p = c.object().path();
                if (p.startsWith(CONTROLLERS) || p.startsWith(AGENT_MTPS)) {
                    routesByEndpoint.clear();
                    e2eByEndpoint.clear();
                    return;
                }
            }
        });
    }

    @Override
    public Standing standing(String endpointId) {
        ObjectNode row = access.controllerRow(endpointId);
        if (row == null) {
            return Standing.UNKNOWN;
        }
        if (!row.booleanValue("Enable")) {
            return Standing.DISABLED;
        }
        return access.isBanned(endpointId) ? Standing.BANNED : Standing.TRUSTED;
    }

    @Override
    public boolean acceptsUnknownControllers() {
        return acceptUnknown;
    }

    @Override
    public List<Route> routes(String endpointId) {
        return routesByEndpoint.computeIfAbsent(endpointId, this::readRoutes);
    }

    private List<Route> readRoutes(String endpointId) {
        ObjectNode row = access.controllerRow(endpointId);
        if (row == null || !row.booleanValue("Enable")) {
            return List.of();
        }
        List<Route> routes = new ArrayList<>();
        for (ObjectNode mtp : row.rows("MTP")) {
            if (!mtp.booleanValue("Enable") || !"MQTT".equals(mtp.value("Protocol"))) {
                continue;
            }
            ObjectNode mqtt = mtp.child("MQTT");
            if (mqtt == null) {
                continue;
            }
            String agentMtp = mqtt.value("AgentMTPReference");
            if (agentMtp == null || agentMtp.isEmpty()) {
                agentMtp = defaultAgentMtp();
            }
            routes.add(new Route(agentMtp == null ? "" : agentMtp, mqtt.value("Topic"), order(mtp),
                    mqtt.booleanValue("PublishRetainResponse"), mqtt.booleanValue("PublishRetainNotify")));
        }
        routes.sort(Comparator.comparingInt(Route::order));
        return List.copyOf(routes);
    }

    private static int order(ObjectNode mtp) {
        String o = mtp.value("Order");
        try {
            return o == null || o.isEmpty() ? Integer.MAX_VALUE : Integer.parseInt(o);
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE;
        }
    }

    /** An empty AgentMTPReference means the agent's first enabled MQTT MTP. */
    private String defaultAgentMtp() {
        Table mtps = model.findTable(AGENT_MTPS);
        if (mtps == null) {
            return null;
        }
        for (ObjectNode m : mtps.rows()) {
            if (m.booleanValue("Enable") && "MQTT".equals(m.value("Protocol"))) {
                return m.referencePath();
            }
        }
        return null;
    }

    @Override
    public List<String> controllersReachableVia(String mtpReference) {
        Table t = model.findTable(CONTROLLERS);
        if (t == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (ObjectNode c : t.rows()) {
            String eid = c.value("EndpointID");
            if (eid.isEmpty() || !c.booleanValue("Enable")) {
                continue;
            }
            for (Route r : routes(eid)) {
                if (r.mtpReference().equals(mtpReference)) {
                    out.add(eid);
                    break;
                }
            }
        }
        return out;
    }

    @Override
    public void learnedAddress(String endpointId, String mtpReference, String address) {
        learned.put(endpointId + "\u0000" + mtpReference, address);
    }

    @Override
    public String learnedAddress(String endpointId, String mtpReference) {
        return learned.get(endpointId + "\u0000" + mtpReference);
    }

    /** {@code Controller.{i}.E2ESession.}, read live: a Set applies to the next Record and the next timer. */
    @Override
    public E2ESettings e2eSettings(String endpointId) {
        return e2eByEndpoint.computeIfAbsent(endpointId, this::readE2eSettings);
    }

    private E2ESettings readE2eSettings(String endpointId) {
        ObjectNode row = access.controllerRow(endpointId);
        ObjectNode e2e = row == null ? null : row.child("E2ESession");
        if (e2e == null) {
            return E2ESettings.DEFAULT;
        }
        return new E2ESettings(SessionMode.of(e2e.value("SessionMode")),
                number(e2e.value("SessionExpiration"), 0),
                (int) number(e2e.value("SessionRetryMinimumWaitInterval"), 5),
                (int) number(e2e.value("SessionRetryIntervalMultiplier"), 2000),
                (int) number(e2e.value("MaxUSPRecordSize"), 0),
                (int) number(e2e.value("MaxRetransmitTries"), 0),
                E2ESettings.Security.of(e2e.value("PayloadSecurity")));
    }

    private static long number(String value, long otherwise) {
        try {
            return value == null || value.isEmpty() ? otherwise : Long.parseLong(value);
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }

    /** Shows the record layer's view of the context in {@code E2ESession.Status} and {@code CurrentRetryCount}. */
    @Override
    public void sessionStatus(String endpointId, SessionState state, int retryCount) {
        ObjectNode row = access.controllerRow(endpointId);
        ObjectNode e2e = row == null ? null : row.child("E2ESession");
        if (e2e == null) {
            return;
        }
        String retries = Integer.toString(retryCount);
        model.update(tx -> {
            if (!state.value().equals(e2e.value("Status"))) {
                tx.set(e2e, "Status", state.value());
            }
            if (!retries.equals(e2e.value("CurrentRetryCount"))) {
                tx.set(e2e, "CurrentRetryCount", retries);
            }
        });
    }
}
