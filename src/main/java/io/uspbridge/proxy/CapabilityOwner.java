package io.uspbridge.proxy;

import io.uspbridge.model.CommandDef;
import io.uspbridge.model.CommandHandler;
import io.uspbridge.model.ErrorCode;
import io.uspbridge.model.ModelException;
import io.uspbridge.model.ObjectNode;
import io.uspbridge.model.ObjectOwner;
import io.uspbridge.model.ParamDef;
import io.uspbridge.model.ValueType;
import io.uspbridge.proxy.spi.CapabilityClass;
import io.uspbridge.proxy.spi.CapabilityCommand;
import io.uspbridge.proxy.spi.CapabilityValue;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Stands behind a control's class object (BinaryControl, LevelControl, EnumControl): journey 3 of ARCHITECTURE.md.
 *
 * <ul>
 * <li>A controller's Set of {@code Value} is checked against the capability (LevelControl within
 * MinValue..MaxValue, EnumControl one of ValidValues: else 7012 before the device is asked), converted to the
 * adapter's typed value and written; the stage completes when the device acknowledged (the adapter completes on
 * the device's report of the new state), failed, or the proxy's write timeout passed — with the codes of
 * {@link AdapterErrors}. The tree changes only by the device's report.</li>
 * <li>{@code Toggle()}, {@code StepUp()}, {@code StepDown()} (asynchronous, behind a Request row): the adapter's
 * native command when it has one ({@code Adapter.invoke}), else computed here and written — Toggle inverts Value;
 * LevelControl steps by StepValue and clamps to MinValue/MaxValue without an error (at the limit nothing is written);
 * EnumControl moves to the next/previous entry of ValidValues with wrap-around. They complete with no output
 * arguments.</li>
 * </ul>
 */
final class CapabilityOwner implements ObjectOwner {
    private final Capability capability;

    CapabilityOwner(Capability capability) {
        this.capability = capability;
    }

    @Override
    public CompletionStage<Void> write(ObjectNode node, Map<ParamDef, String> values) {
        String what = "writing " + node.path() + "Value";
        try {
            ParamDef p = node.def().param("Value");
            String v = values.get(p);
            if (v == null || values.size() != 1) {
                throw new ModelException(ErrorCode.NOT_WRITABLE, node.path() + ": only Value goes to the device");
            }
            checkAcceptable(node, v);
            CapabilityValue value = CapabilityValues.fromModel(capability.capabilityClass(), v);
            return writeValue(value).exceptionallyCompose(e -> CompletableFuture.failedFuture(
                    AdapterErrors.forWrite(e, what)));
        } catch (ModelException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** LevelControl: within MinValue..MaxValue; EnumControl: one of ValidValues (TR-181 Value descriptions). */
    private void checkAcceptable(ObjectNode node, String v) {
        switch (capability.capabilityClass()) {
            case LEVEL_CONTROL -> {
                BigDecimal d = CapabilityValues.decimal(v);
                BigDecimal min = capability.description().min();
                BigDecimal max = capability.description().max();
                if (min != null && d.compareTo(min) < 0 || max != null && d.compareTo(max) > 0) {
                    throw new ModelException(ErrorCode.INVALID_VALUE, v + " is outside " + node.path() + "MinValue.."
                            + "MaxValue (" + node.value("MinValue") + ".." + node.value("MaxValue") + ")");
                }
            }
            case ENUM_CONTROL -> {
                List<String> valid = ValueType.splitList(node.value("ValidValues"));
                if (!valid.contains(v)) {
                    throw new ModelException(ErrorCode.INVALID_VALUE, "'" + v + "' is not one of " + node.path()
                            + "ValidValues (" + String.join(",", valid) + ")");
                }
            }
            default -> {
            }
        }
    }

    @Override
    public CommandHandler commandHandler(ObjectNode node, CommandDef command) {
        CapabilityCommand c = switch (command.name()) {
            case "Toggle()" -> CapabilityCommand.TOGGLE;
            case "StepUp()" -> CapabilityCommand.STEP_UP;
            case "StepDown()" -> CapabilityCommand.STEP_DOWN;
            default -> null;
        };
        if (c == null) {
            return null;
        }
        return call -> run(call.object(), c).handle((v, e) -> {
            if (e != null) {
                throw AdapterErrors.forCommand(e, call.object().path() + command.name());
            }
            return Map.<String, String>of();
        });
    }

    private CompletableFuture<Void> run(ObjectNode node, CapabilityCommand c) {
        ProxiedDevice d = capability.device;
        CompletionStage<Void> nativeCommand;
        try {
            nativeCommand = d.adapter.adapter().invoke(d.key, capability.nodeKey, capability.key, c);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (nativeCommand != null) {
            return d.registry.track(d, nativeCommand);
        }
        CapabilityValue next;
        try {
            next = computed(node, c);
        } catch (ModelException e) {
            return CompletableFuture.failedFuture(e);
        }
        return next == null ? CompletableFuture.completedFuture(null) : writeValue(next);
    }

    /** The value a command leads to, or null when it changes nothing (a LevelControl at its limit). */
    private CapabilityValue computed(ObjectNode node, CapabilityCommand c) {
        CapabilityClass cls = capability.capabilityClass();
        if (c == CapabilityCommand.TOGGLE) {
            if (cls != CapabilityClass.BINARY_CONTROL) {
                throw new ModelException(ErrorCode.COMMAND_FAILURE, "Toggle() needs a BinaryControl");
            }
            return new CapabilityValue.Binary(!"true".equals(node.value("Value")));
        }
        int direction = c == CapabilityCommand.STEP_UP ? 1 : -1;
        if (cls == CapabilityClass.LEVEL_CONTROL) {
            BigDecimal step = CapabilityValues.decimal(node.value("StepValue"));
            if (step.signum() <= 0) {
                throw new ModelException(ErrorCode.COMMAND_FAILURE, node.path() + "StepValue is " + step.toPlainString()
                        + ": StepUp()/StepDown() need a positive step");
            }
            BigDecimal current = CapabilityValues.decimal(node.value("Value"));
            BigDecimal next = direction > 0 ? current.add(step) : current.subtract(step);
            BigDecimal min = CapabilityValues.decimal(node.value("MinValue"));
            BigDecimal max = CapabilityValues.decimal(node.value("MaxValue"));
            if (capability.description().max() != null && next.compareTo(max) > 0) {
                next = max;     // clamped without an error (TR-181 StepUp())
            }
            if (capability.description().min() != null && next.compareTo(min) < 0) {
                next = min;
            }
            return next.compareTo(current) == 0 ? null : new CapabilityValue.Level(next);
        }
        if (cls == CapabilityClass.ENUM_CONTROL) {
            List<String> valid = ValueType.splitList(node.value("ValidValues"));
            if (valid.isEmpty()) {
                throw new ModelException(ErrorCode.COMMAND_FAILURE, node.path() + "ValidValues is empty");
            }
            int i = valid.indexOf(node.value("Value"));
            int n = valid.size();
            int next = i < 0 ? (direction > 0 ? 0 : n - 1) : Math.floorMod(i + direction, n);
            return new CapabilityValue.Enumerated(valid.get(next));
        }
        throw new ModelException(ErrorCode.COMMAND_FAILURE, c + " needs a LevelControl or EnumControl");
    }

    private CompletableFuture<Void> writeValue(CapabilityValue value) {
        ProxiedDevice d = capability.device;
        CompletionStage<Void> stage;
        try {
            stage = d.adapter.adapter().write(d.key, capability.nodeKey, capability.key, value);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return d.registry.track(d, stage);
    }
}
