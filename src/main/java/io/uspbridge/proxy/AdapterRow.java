package io.uspbridge.proxy;

import io.uspbridge.model.CommandDef;
import io.uspbridge.model.CommandHandler;
import io.uspbridge.model.ErrorCode;
import io.uspbridge.model.ModelException;
import io.uspbridge.model.ObjectNode;
import io.uspbridge.model.ObjectOwner;
import io.uspbridge.model.ParamDef;
import io.uspbridge.model.Transaction;
import io.uspbridge.model.ValueType;
import io.uspbridge.proxy.spi.Adapter;
import io.uspbridge.proxy.spi.AdapterCommandSpec;
import io.uspbridge.proxy.spi.AdapterStatus;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.logging.Logger;

/**
 * One running adapter's row of {@code Device.X_USPBRIDGE-IO_Adapter.{i}.}: its name, protocol, link status and last
 * error, how many devices it proxies, and its adapter-level commands. A command's arguments are checked against the
 * adapter's own {@link AdapterCommandSpec} (7027 for a missing mandatory or malformed one); a {@code DEVICE}
 * argument is a reference to one of this adapter's {@code ProxiedDevice} rows (an instance path or a unique-key
 * address), which the adapter receives as the device's key — any other text is passed on as it is, for devices the
 * adapter knows but could not represent (an unsupported Zigbee device, by IEEE address or friendly name). An output
 * value that is the key of one of this adapter's devices is answered as that device's row. Lives on the agent loop.
 */
final class AdapterRow implements ObjectOwner {
    private static final Logger LOG = Logger.getLogger(AdapterRow.class.getName());

    private final Adapter adapter;
    private final DeviceRegistry registry;
    private final Map<String, AdapterCommandSpec> commands = new LinkedHashMap<>();
    private ObjectNode row;

    AdapterRow(Adapter adapter, DeviceRegistry registry) {
        this.adapter = adapter;
        this.registry = registry;
        for (AdapterCommandSpec c : adapter.commands()) {
            commands.put(c.name() + "()", c);
        }
    }

    Adapter adapter() {
        return adapter;
    }

    String id() {
        return adapter.id();
    }

    ObjectNode row() {
        return row;
    }

    /** Creates the row with its fixed values; the adapter is not connected yet. */
    void create(Transaction tx, ObjectNode parent, int instance) {
        row = tx.addRow(parent.table(ProxySchema.ADAPTER_TABLE_NAME), instance);
        tx.set(row, "Name", Texts.cut(adapter.id(), 64));
        tx.set(row, "ProxyProtocol", Texts.cut(adapter.proxyProtocol(), 64));
        tx.set(row, "Status", "Disconnected");
        tx.set(row, "SupportedCommands", String.join(",", commands.values().stream()
                .map(AdapterCommandSpec::name).toList()));
        tx.model().setOwner(row, this);
    }

    void status(Transaction tx, AdapterStatus s) {
        tx.set(row, "Status", s.connected() ? "Connected" : "Disconnected");
        tx.set(row, "LastError", Texts.cut(s.lastError(), 1024));
        tx.set(row, "LastChange", Texts.dateTime(s.since()));
    }

    void deviceCount(Transaction tx, int n) {
        tx.set(row, "DeviceCount", Integer.toString(n));
    }

    @Override
    public CompletionStage<Void> write(ObjectNode node, Map<ParamDef, String> values) {
        return CompletableFuture.failedFuture(new ModelException(ErrorCode.NOT_WRITABLE,
                node.path() + " has no parameters a device stands behind"));
    }

    @Override
    public CommandHandler commandHandler(ObjectNode node, CommandDef command) {
        AdapterCommandSpec spec = commands.get(command.name());
        if (spec == null) {
            return call -> CompletableFuture.failedFuture(new ModelException(ErrorCode.COMMAND_FAILURE,
                    "adapter " + adapter.id() + " does not offer " + command.name() + "; it offers "
                            + String.join(", ", commands.keySet())));
        }
        return call -> run(spec, call.inputArgs(), node.path() + command.name());
    }

    private CompletableFuture<Map<String, String>> run(AdapterCommandSpec spec, Map<String, String> given,
            String what) {
        Map<String, String> args;
        try {
            args = arguments(spec, given);
        } catch (ModelException e) {
            return CompletableFuture.failedFuture(e);
        }
        LOG.info(() -> "proxy: " + what + " " + args);
        CompletionStage<Map<String, String>> stage;
        try {
            stage = adapter.runCommand(spec.name(), args);
        } catch (RuntimeException e) {
            stage = CompletableFuture.failedFuture(e);
        }
        return registry.trackCommand(stage).handle((out, e) -> {
            if (e != null) {
                ModelException m = AdapterErrors.forCommand(e, what);
                LOG.info(() -> "proxy: " + what + " failed: " + m.getMessage());
                throw m;
            }
            Map<String, String> outputs = new LinkedHashMap<>();
            (out == null ? Map.<String, String>of() : out).forEach((k, v) -> outputs.put(k, registry.asReference(v, this)));
            return outputs;
        });
    }

    /** The adapter's arguments from the controller's: kinds checked, device references turned into keys. */
    private Map<String, String> arguments(AdapterCommandSpec spec, Map<String, String> given) {
        Map<String, String> out = new LinkedHashMap<>();
        for (AdapterCommandSpec.Argument a : spec.inputs()) {
            String v = given.get(a.name());
            if (v == null || v.isEmpty() && a.kind() != AdapterCommandSpec.Kind.STRING) {
                if (a.mandatory()) {
                    throw new ModelException(ErrorCode.INVALID_COMMAND_ARGUMENTS, "the mandatory input argument '"
                            + a.name() + "' of " + spec.name() + "() is missing");
                }
                continue;
            }
            try {
                out.put(a.name(), switch (a.kind()) {
                    case STRING -> v;
                    case BOOLEAN -> ValueType.bool().canonical(v);
                    case UNSIGNED_INT -> ValueType.unsignedInt().canonical(v);
                    case DEVICE -> registry.deviceKeyOf(v, this);
                });
            } catch (ModelException e) {
                throw new ModelException(ErrorCode.INVALID_COMMAND_ARGUMENTS, "the input argument '" + a.name()
                        + "' of " + spec.name() + "() is invalid: " + e.getMessage());
            }
        }
        return out;
    }
}
