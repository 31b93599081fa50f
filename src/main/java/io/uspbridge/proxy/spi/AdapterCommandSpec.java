package io.uspbridge.proxy.spi;

import java.util.List;
import java.util.Objects;

/**
 * An adapter-level command (permit join, include, exclude, remove device, rename device) that the core exposes in
 * the data model under the adapter's vendor-extension object.
 *
 * @param name      e.g. {@code PermitJoin} (the core adds the parentheses)
 * @param inputs    the input arguments, in order
 * @param outputs   output argument names
 * @param async     whether it takes long enough to run behind a Request row (e.g. include, exclude)
 */
public record AdapterCommandSpec(String name, String description, List<Argument> inputs, List<String> outputs,
        boolean async) {

    /**
     * What an input argument holds, so that the core can check it before the adapter sees it and can translate
     * what only the core knows: a {@link #DEVICE} argument arrives at the controller as a reference to a
     * {@code Device.ProxiedDevice.{i}} row, and the adapter receives that device's key.
     */
    public enum Kind {
        /** Free text, passed on unchanged. */
        STRING,
        /** {@code true}/{@code false} (the core normalises {@code 1}/{@code 0}). */
        BOOLEAN,
        /** A non-negative integer in decimal, e.g. a duration in seconds. */
        UNSIGNED_INT,
        /** One of this adapter's devices; the adapter receives its {@link DeviceDescription#key()}. */
        DEVICE
    }

    /**
     * @param mandatory    whether a missing value is an error (the core answers 7027 before calling the adapter)
     * @param defaultValue the value the adapter assumes when an optional argument is absent (informational), or
     *                     empty
     */
    public record Argument(String name, Kind kind, boolean mandatory, String defaultValue, String description) {
        public Argument {
            Objects.requireNonNull(name, "name");
            kind = kind == null ? Kind.STRING : kind;
            defaultValue = defaultValue == null ? "" : defaultValue;
            description = description == null ? "" : description;
        }

        /** A free-text argument. */
        public Argument(String name, boolean mandatory, String description) {
            this(name, Kind.STRING, mandatory, "", description);
        }
    }

    public AdapterCommandSpec {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }
}
