package io.uspbridge.proxy.spi;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;

/**
 * A capability's value in a protocol-neutral, typed form. Adapters convert their device's representation (a
 * Zigbee2MQTT {@code "ON"}, a Z-Wave byte) to and from these; the core converts them to the data model.
 * Units are the capability's declared metric unit.
 */
public sealed interface CapabilityValue {

    record Binary(boolean value) implements CapabilityValue {
    }

    /**
     * A number, kept in a canonical form (no trailing zeros, no exponent) so that equal numbers are equal values:
     * {@code Level.of(40)} equals {@code new Level(new BigDecimal("40.00"))}.
     */
    record Level(BigDecimal value) implements CapabilityValue {
        public Level {
            BigDecimal s = value.stripTrailingZeros();
            value = s.scale() < 0 ? s.setScale(0) : s;
        }

        public static Level of(double v) {
            return new Level(BigDecimal.valueOf(v));
        }
    }

    record Enumerated(String value) implements CapabilityValue {
    }

    record MultiLevel(List<BigDecimal> values) implements CapabilityValue {
        public MultiLevel {
            values = List.copyOf(values);
        }
    }

    record Blob(byte[] data) implements CapabilityValue {
        public Blob {
            data = data.clone();
        }

        @Override
        public byte[] data() {
            return data.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Blob b && Arrays.equals(data, b.data);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "Blob[" + data.length + " bytes]";
        }
    }
}
