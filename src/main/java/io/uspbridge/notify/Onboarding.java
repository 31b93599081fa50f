package io.uspbridge.notify;

import io.uspbridge.model.AgentLoop;
import io.uspbridge.model.DataModel;
import io.uspbridge.model.ModelChange;
import io.uspbridge.model.ObjectDef;
import io.uspbridge.model.ObjectNode;
import io.uspbridge.model.Table;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * OnBoardRequest (9.4 item 5, R-NOT.5/6/6a, TR-181 {@code Controller.{i}.OnBoardingComplete}): while a Controller
 * row is enabled and its OnBoardingComplete is false, the agent sends it an OnBoardRequest — at start-up, when the
 * row is created or enabled that way, when OnBoardingComplete becomes false, and on {@code SendOnBoardRequest()}.
 * It always asks for a NotifyResp (subscription_id "") and is retried with the Notify retry algorithm, never
 * expiring. After the NotifyResp the agent waits {@code OnBoardingRestartTime} seconds (0: never) and sends again
 * while onboarding is still not complete; OnBoardingComplete=true (or disabling the row) stops all of it.
 * One OnBoardRequest per controller is in flight at a time. Runs on the agent loop.
 */
final class Onboarding {
    private static final Logger LOG = Logger.getLogger(Onboarding.class.getName());
    static final String CONTROLLERS = "Device.LocalAgent.Controller.";

    private final DataModel model;
    private final AgentLoop loop;
    private final NotifyDelivery delivery;
    private final NotifyMessages messages;
    private final String versions;
    private final ObjectDef controllerDef;
    private final Map<ObjectNode, NotifyDelivery.Outgoing> inFlight = new IdentityHashMap<>();
    private final Map<ObjectNode, ScheduledFuture<?>> restarts = new IdentityHashMap<>();

    /** @param versions the agent's supported USP versions, as in GetSupportedProtocol */
    Onboarding(DataModel model, AgentLoop loop, NotifyDelivery delivery, NotifyMessages messages, String versions) {
        this.model = model;
        this.loop = loop;
        this.delivery = delivery;
        this.messages = messages;
        this.versions = versions;
        this.controllerDef = model.schema().object(CONTROLLERS);
    }

    /** At start-up: every enabled controller that has not completed onboarding. */
    void start() {
        Table t = model.findTable(CONTROLLERS);
        if (t != null) {
            t.rows().forEach(this::reconsider);
        }
    }

    void onChanges(List<ModelChange> changes) {
        for (ModelChange c : changes) {
            if (c.object().def() != controllerDef) {
                continue;
            }
            if (c instanceof ModelChange.ObjectDeleted) {
                cancel(c.object());
            } else if (c instanceof ModelChange.ObjectCreated) {
                reconsider(c.object());
            } else if (c instanceof ModelChange.ValueChanged vc) {
                String p = vc.param().name();
                if (p.equals("EndpointID")) {
                    cancel(c.object());           // a request in flight went to the old Endpoint ID
                    reconsider(c.object());
                } else if (p.equals("Enable") || p.equals("OnBoardingComplete")) {
                    reconsider(c.object());
                }
            }
        }
    }

    /** {@code SendOnBoardRequest()} on a row whose OnBoardingComplete already was false: send a fresh one now. */
    void sendNow(ObjectNode controller) {
        cancel(controller);
        reconsider(controller);
    }

    private void reconsider(ObjectNode row) {
        if (!wanted(row)) {
            cancel(row);
            return;
        }
        if (inFlight.containsKey(row) || restarts.containsKey(row)) {
            return;
        }
        String eid = row.value("EndpointID");
        String oui = model.value("Device.DeviceInfo.ManufacturerOUI");
        String productClass = model.value("Device.DeviceInfo.ProductClass");
        String serial = model.value("Device.DeviceInfo.SerialNumber");
        NotifyDelivery.Outgoing o = delivery.send(eid,
                messages.onBoardRequest(nz(oui), nz(productClass), nz(serial), versions), true, 0,
                () -> delivered(row));
        inFlight.put(row, o);
        LOG.info(() -> "OnBoardRequest to " + eid + " (" + row.path() + ")");
    }

    private boolean wanted(ObjectNode row) {
        return row.isLive() && row.booleanValue("Enable") && !row.booleanValue("OnBoardingComplete")
                && !row.value("EndpointID").isEmpty();
    }

    private void delivered(ObjectNode row) {
        inFlight.remove(row);
        long restart = row.isLive() ? Long.parseLong(row.value("OnBoardingRestartTime")) : 0;
        if (restart > 0 && wanted(row)) {
            restarts.put(row, loop.schedule(() -> {
                restarts.remove(row);
                reconsider(row);
            }, restart, TimeUnit.SECONDS));
        }
    }

    private void cancel(ObjectNode row) {
        NotifyDelivery.Outgoing o = inFlight.remove(row);
        if (o != null) {
            o.cancel();
        }
        ScheduledFuture<?> f = restarts.remove(row);
        if (f != null) {
            f.cancel(false);
        }
    }

    void close() {
        restarts.values().forEach(f -> f.cancel(false));
        restarts.clear();
        inFlight.clear();
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
