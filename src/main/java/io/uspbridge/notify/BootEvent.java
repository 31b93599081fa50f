package io.uspbridge.notify;

import io.uspbridge.agent.BootCause;
import io.uspbridge.json.JsonTrees;
import io.uspbridge.model.DataModel;
import io.uspbridge.model.EventDef;
import io.uspbridge.model.ModelException;
import io.uspbridge.model.ObjectNode;
import io.uspbridge.model.ParamDef;
import io.uspbridge.model.Table;
import io.uspbridge.path.PathKind;
import io.uspbridge.path.PathResolver;
import io.uspbridge.path.ReadAccess;
import io.uspbridge.path.Resolution;
import io.uspbridge.security.Permissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Logger;

/**
 * {@code Device.Boot!} (9.4 item 1): raised once after every start, with the cause of this run (the
 * {@code Reboot()}/{@code FactoryReset()} that caused it, with its command_key, or a local start). Each subscribed
 * controller gets its own {@code ParameterMap}: a JSON object of the values its enabled
 * {@code Controller.{i}.BootParameter.{i}.ParameterName} entries name (wildcards and object paths allowed), as far as
 * that controller may read them. Only persistent subscriptions exist at that point (the others were removed at
 * start-up), and the Notify waits in the delivery queue until a link to the controller is up.
 */
final class BootEvent implements NotificationEngine.EventArguments {
    private static final Logger LOG = Logger.getLogger(BootEvent.class.getName());

    private final DataModel model;
    private final EventDef boot;
    private final PathResolver resolver;

    BootEvent(DataModel model) {
        this.model = model;
        this.boot = model.root().def().event("Boot!");
        this.resolver = new PathResolver(model);
    }

    void raise(BootCause cause) {
        if (boot == null) {
            return;
        }
        Map<String, String> args = new LinkedHashMap<>();
        args.put("CommandKey", cause.commandKey());
        args.put("Cause", cause.cause());
        args.put("Reason", cause.reason());
        args.put("FirmwareUpdated", Boolean.toString(cause.firmwareUpdated()));
        args.put("ParameterMap", "{}");     // filled in per recipient
        model.raiseEvent(model.root(), "Boot!", args);
        LOG.info(() -> "Boot! raised: Cause " + cause.cause() + (cause.commandKey().isEmpty() ? ""
                : ", CommandKey " + cause.commandKey()));
    }

    @Override
    public Map<String, String> forRecipient(ObjectNode recipient, Permissions permissions, ObjectNode node,
            EventDef event, Map<String, String> args) {
        if (event != boot || recipient == null) {
            return args;
        }
        Map<String, String> out = new LinkedHashMap<>(args);
        out.put("ParameterMap", parameterMap(recipient, permissions));
        return out;
    }

    /** The JSON object of the controller's enabled BootParameter matches, e.g. {@code {"Device.X.Y":"v"}}. */
    String parameterMap(ObjectNode controller, Permissions perms) {
        Map<String, String> values = new LinkedHashMap<>();
        ReadAccess access = perms.readAccess();
        Table t = controller.table("BootParameter");
        if (t != null) {
            for (ObjectNode bp : t.rows()) {
                String name = bp.value("ParameterName");
                if (!bp.booleanValue("Enable") || name.isEmpty()) {
                    continue;
                }
                try {
                    Resolution r = resolver.resolve(name, access);
                    if (r.kind() == PathKind.PARAMETER) {
                        for (ObjectNode n : r.objects()) {
                            put(values, n, n.def().param(r.leafName()), perms);
                        }
                    } else if (r.kind() == PathKind.OBJECT) {
                        for (ObjectNode n : r.objects()) {
                            putAll(values, n, perms, access);
                        }
                    }
                } catch (ModelException e) {
                    LOG.fine(() -> controller.path() + " BootParameter '" + name + "' names nothing: " + e.getMessage());
                }
            }
        }
        return JsonTrees.write(values);
    }

    private static void put(Map<String, String> values, ObjectNode n, ParamDef p, Permissions perms) {
        if (p != null && perms.canReadParam(n, p)) {
            values.put(n.path() + p.name(), RecipientView.value(perms, n, p, n.value(p)));
        }
    }

    private static void putAll(Map<String, String> values, ObjectNode n, Permissions perms, ReadAccess access) {
        for (ParamDef p : n.def().params()) {
            put(values, n, p, perms);
        }
        for (ObjectNode c : n.childObjects()) {
            if (access.canReadObject(c)) {
                putAll(values, c, perms, access);
            }
        }
    }
}
