package io.uspbridge.proxy.spi;

import java.util.List;

/**
 * An adapter-level command (permit join, include, exclude, remove device, rename device) that the core exposes in
 * the data model under the adapter's vendor-extension object.
 *
 * @param name      e.g. {@code PermitJoin} (the core adds the parentheses)
 * @param inputs    argument names, each with whether it is mandatory
 * @param outputs   output argument names
 * @param async     whether it takes long enough to run behind a Request row (e.g. include, exclude)
 */
public record AdapterCommandSpec(String name, String description, List<Argument> inputs, List<String> outputs,
        boolean async) {

    public record Argument(String name, boolean mandatory, String description) {
    }

    public AdapterCommandSpec {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }
}
