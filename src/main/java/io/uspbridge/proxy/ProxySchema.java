package io.uspbridge.proxy;

import io.uspbridge.model.ParamDef;
import io.uspbridge.model.SchemaBuilder;
import io.uspbridge.model.SchemaContributor;
import io.uspbridge.model.ValueType;
import io.uspbridge.proxy.spi.Adapter;
import io.uspbridge.proxy.spi.AdapterCommandSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the proxy adds to the standard declarations of {@link IoTSchema}:
 * <ul>
 * <li>the {@code Value} of BinaryControl, LevelControl and EnumControl is bound to the device (declared on the
 * template, so every mounted copy has it): a controller's Set goes to the capability's owner, which writes to the
 * device, and the tree changes when the device reports;</li>
 * <li>{@code ProxiedDevice.{i}.X_USPBRIDGE-IO_DeviceKey}: the adapter's key of the device (a Zigbee IEEE address,
 * a virtual device's name), for operators;</li>
 * <li>{@code Device.X_USPBRIDGE-IO_Adapter.{i}.}, a vendor table (TR-106 3.3: {@code X_<domain>_}, the project's
 * domain uspbridge.io) with one row per running adapter: its name, protocol, link status, last error, how many
 * devices it proxies, and its adapter-level commands (permit join, add/remove/rename device …), defined by the
 * vendor model {@value #VENDOR_MODEL_URI} (GSDM-6). A proxied device's {@code InterfaceReference} names its
 * adapter's row: the protocol object used to reach it (PRX-3).</li>
 * </ul>
 *
 * <p>The table's commands are the union of the running adapters' commands (the supported model is one for all
 * rows). A row whose adapter lacks a command answers it with 7022; {@code SupportedCommands} lists what each row
 * offers. Where two adapters give an argument of the same name different kinds it is declared as a string and each
 * adapter's own kind is checked when it runs; an argument is mandatory only where every adapter offering the
 * command requires it, and each adapter's own mandatory arguments are checked before it is called (7027).
 */
public final class ProxySchema implements SchemaContributor {

    /** The vendor model that defines {@code Device.X_USPBRIDGE-IO_Adapter.{i}.} (GSDM-6). */
    public static final String VENDOR_MODEL_URI = "urn:uspbridge-io:uspbridge-1-0";
    public static final String VENDOR = "X_USPBRIDGE-IO_";
    public static final String ADAPTER_TABLE_NAME = VENDOR + "Adapter";
    public static final String ADAPTER_TABLE = "Device." + ADAPTER_TABLE_NAME + ".{i}.";
    public static final String DEVICE_KEY = VENDOR + "DeviceKey";

    private static final String[] CONTROLS = {"BinaryControl", "LevelControl", "EnumControl"};

    private final List<Adapter> adapters;

    public ProxySchema(List<Adapter> adapters) {
        this.adapters = List.copyOf(adapters);
    }

    @Override
    public void contribute(SchemaBuilder schema) {
        for (String c : CONTROLS) {
            SchemaBuilder.ObjectBuilder o = schema.object(IoTSchema.CAPABILITY + c + ".");
            ParamDef value = o.def().param("Value");
            o.param("Value", value.type()).bound();
        }
        schema.table(IoTSchema.PROXIED_DEVICE).param(DEVICE_KEY, ValueType.string(256));

        SchemaBuilder.ObjectBuilder t = schema.table(ADAPTER_TABLE).alias().nonFunctionalKey("Name")
                .dataModelUri(VENDOR_MODEL_URI);
        t.param("Name", ValueType.string(64));
        t.param("ProxyProtocol", ValueType.string(64));
        t.param("Status", ValueType.enumeration("Connected", "Disconnected"));
        t.param("LastError", ValueType.string(1024));
        t.param("LastChange", ValueType.dateTime());
        t.param("DeviceCount", ValueType.unsignedInt());
        t.param("SupportedCommands", ValueType.string(64).list());
        declareCommands(t);
    }

    private void declareCommands(SchemaBuilder.ObjectBuilder table) {
        Map<String, List<AdapterCommandSpec>> byName = new LinkedHashMap<>();
        for (Adapter a : adapters) {
            for (AdapterCommandSpec c : a.commands()) {
                byName.computeIfAbsent(c.name(), n -> new ArrayList<>()).add(c);
            }
        }
        byName.forEach((name, specs) -> {
            SchemaBuilder.CommandBuilder cmd = table.command(name + "()");
            if (specs.stream().anyMatch(AdapterCommandSpec::async)) {
                cmd.async();
            }
            Map<String, List<AdapterCommandSpec.Argument>> args = new LinkedHashMap<>();
            for (AdapterCommandSpec s : specs) {
                s.inputs().forEach(a -> args.computeIfAbsent(a.name(), n -> new ArrayList<>()).add(a));
            }
            args.forEach((argName, variants) -> {
                ValueType type = variants.stream().map(a -> a.kind()).distinct().count() == 1
                        ? typeOf(variants.get(0).kind()) : ValueType.string();
                boolean mandatory = variants.size() == specs.size()
                        && variants.stream().allMatch(AdapterCommandSpec.Argument::mandatory);
                if (mandatory) {
                    cmd.mandatoryInput(argName, type);
                } else {
                    cmd.input(argName, type);
                }
            });
            for (AdapterCommandSpec s : specs) {
                s.outputs().forEach(o -> cmd.output(o, ValueType.string()));
            }
        });
    }

    /** The declared type of an argument kind; a device is a reference to its ProxiedDevice row. */
    static ValueType typeOf(AdapterCommandSpec.Kind kind) {
        return switch (kind) {
            case STRING -> ValueType.string();
            case BOOLEAN -> ValueType.bool();
            case UNSIGNED_INT -> ValueType.unsignedInt();
            case DEVICE -> ValueType.string().pathRef("Device.ProxiedDevice.", true);
        };
    }
}
