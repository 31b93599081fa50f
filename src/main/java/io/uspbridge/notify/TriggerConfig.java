package io.uspbridge.notify;

import io.uspbridge.model.AgentLoop;
import io.uspbridge.model.DataModel;
import io.uspbridge.model.ModelException;
import io.uspbridge.model.ObjectNode;
import io.uspbridge.model.ParamDef;
import io.uspbridge.model.Transaction;
import io.uspbridge.path.PathKind;
import io.uspbridge.path.PathResolver;
import io.uspbridge.path.ReadAccess;
import io.uspbridge.path.Resolution;
import io.uspbridge.security.Permissions;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * {@code TriggerAction} Config and NotifyAndConfig (9.4 item 6, TP-469 1.93/1.94): when a subscription fires, its
 * {@code TriggerConfigSettings} ({@code <path>=<value>}, strings quoted, numbers bare) are applied as a Set by the
 * subscription's controller — with that controller's write permissions — in one transaction: all of them or, if one
 * fails, none (logged). The change is made in a task of its own, after the batch that fired it was handled.
 *
 * <p>A change made here does not fire further Config triggers (its notifications are sent as usual): two
 * subscriptions configuring each other's watched parameters would otherwise loop forever.
 */
final class TriggerConfig {
    private static final Logger LOG = Logger.getLogger(TriggerConfig.class.getName());

    /** One setting: a parameter path (possibly a search path) and its value as the parameter takes it. */
    record Setting(String path, String value) {
    }

    private final DataModel model;
    private final AgentLoop loop;
    private final Function<String, Permissions> permissions;
    private final PathResolver resolver;
    private boolean applying;

    TriggerConfig(DataModel model, AgentLoop loop, Function<String, Permissions> permissions) {
        this.model = model;
        this.loop = loop;
        this.permissions = permissions;
        this.resolver = new PathResolver(model);
    }

    /**
     * Parses one TriggerConfigSettings entry.
     *
     * @throws IllegalArgumentException when it has no {@code =} or no path
     */
    static Setting parse(String entry) {
        int eq = entry.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("'" + entry + "' is not of the form <parameter path>=<value>");
        }
        String path = entry.substring(0, eq).trim();
        String value = entry.substring(eq + 1).trim();
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            value = value.substring(1, value.length() - 1).replace("\\\"", "\"");
        }
        return new Setting(path, value);
    }

    /** Applies the subscription's settings as {@code recipient}, soon (never inside the batch that fired it). */
    void apply(Subscription s, String recipient) {
        if (applying || s.configSettings.isEmpty()) {
            return;
        }
        List<String> settings = s.configSettings;
        String sub = s.row.path();
        loop.execute(() -> applyNow(sub, settings, recipient));
    }

    private void applyNow(String subscription, List<String> settings, String recipient) {
        Permissions perms = permissions.apply(recipient);
        ReadAccess access = perms.readAccess();
        applying = true;
        try (Transaction tx = model.begin(recipient)) {
            int changed = 0;
            for (String entry : settings) {
                Setting st = parse(entry);
                Resolution r = resolver.resolve(st.path(), access);
                if (r.kind() != PathKind.PARAMETER) {
                    throw new IllegalArgumentException(st.path() + " is not a parameter path");
                }
                List<ObjectNode> targets = new ArrayList<>(r.objects());
                for (ObjectNode n : targets) {
                    ParamDef p = n.def().param(r.leafName());
                    if (!perms.canWriteParam(n, p)) {
                        throw new IllegalArgumentException("no permission to write " + n.path() + p.name());
                    }
                    if (p.storage() == ParamDef.Storage.BOUND) {
                        throw new IllegalArgumentException(n.path() + p.name() + " is bound to a device; trigger"
                                + " configuration writes only the agent's own parameters");
                    }
                    tx.setByController(n, p, st.value());
                    changed++;
                }
            }
            tx.commit();
            int n = changed;
            LOG.info(() -> "subscription " + subscription + " applied its TriggerConfigSettings (" + n
                    + " parameters)");
        } catch (ModelException | IllegalArgumentException e) {
            LOG.warning("subscription " + subscription + " could not apply its TriggerConfigSettings: "
                    + e.getMessage());
        } finally {
            applying = false;
        }
    }
}
