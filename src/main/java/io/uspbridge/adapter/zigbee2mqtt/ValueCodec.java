package io.uspbridge.adapter.zigbee2mqtt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import io.uspbridge.proxy.spi.AdapterException;
import io.uspbridge.proxy.spi.CapabilityValue;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Converts one feature's value between Zigbee2MQTT JSON (state reports and {@code /set} payloads) and the
 * protocol-neutral {@link CapabilityValue}. Decoding returns null for a value that does not fit (a preset string
 * where a number is expected, an unknown enum value): such a report is ignored, never fatal.
 */
sealed interface ValueCodec {

    /** The capability value of a reported JSON value, or null when it cannot be one. */
    CapabilityValue decode(JsonNode reported);

    /** The JSON value to send in {@code /set}; throws {@link AdapterException} (INVALID_VALUE) when it cannot. */
    JsonNode encode(CapabilityValue value);

    /** Whether a reported device value is the one a write asked for. */
    default boolean confirms(JsonNode reported, JsonNode sent) {
        return reported.equals(sent);
    }

    static AdapterException invalid(String message) {
        return new AdapterException(AdapterException.Reason.INVALID_VALUE, message);
    }

    /** A binary feature: {@code value_on} ↔ true, {@code value_off} ↔ false (strings or booleans). */
    record Binary(JsonNode on, JsonNode off, String toggle) implements ValueCodec {
        @Override
        public CapabilityValue decode(JsonNode reported) {
            if (reported.equals(on)) {
                return new CapabilityValue.Binary(true);
            }
            if (reported.equals(off)) {
                return new CapabilityValue.Binary(false);
            }
            return null;
        }

        @Override
        public JsonNode encode(CapabilityValue value) {
            if (value instanceof CapabilityValue.Binary b) {
                return b.value() ? on : off;
            }
            throw invalid("a boolean is needed, not " + value);
        }
    }

    /**
     * A numeric feature: unit conversion and range scaling on the way in, the same steps backwards and rounding to
     * what the device accepts on the way out.
     *
     * @param decimals  digits kept after the point in capability values, or null to keep them all when no
     *                  conversion applies (and 4 when one does)
     * @param deviceMin the device's {@code value_min}, or null
     * @param deviceMax the device's {@code value_max}, or null
     * @param deviceStep the device's {@code value_step}, or null
     * @param integral  whether the device takes whole numbers only (no step and integral bounds)
     */
    record Numeric(List<NumberConversion> conversions, Integer decimals, BigDecimal deviceMin,
            BigDecimal deviceMax, BigDecimal deviceStep, boolean integral) implements ValueCodec {

        public Numeric {
            conversions = List.copyOf(conversions);
        }

        @Override
        public CapabilityValue decode(JsonNode reported) {
            if (!reported.isNumber()) {
                return null;
            }
            try {
                return new CapabilityValue.Level(toCapability(reported.decimalValue()));
            } catch (ArithmeticException e) {
                return null;
            }
        }

        BigDecimal toCapability(BigDecimal device) {
            BigDecimal v = device;
            for (NumberConversion c : conversions) {
                v = c.toCapability(v);
            }
            return round(v, RoundingMode.HALF_UP);
        }

        /** Rounds a capability value to the decimals this feature keeps. */
        BigDecimal round(BigDecimal v, RoundingMode mode) {
            Integer keep = decimals != null ? decimals : conversions.isEmpty() ? null : 4;
            if (keep != null) {
                v = v.setScale(keep, mode);
            }
            return plain(v);
        }

        @Override
        public JsonNode encode(CapabilityValue value) {
            if (!(value instanceof CapabilityValue.Level level)) {
                throw invalid("a number is needed, not " + value);
            }
            BigDecimal v = level.value();
            try {
                for (int i = conversions.size() - 1; i >= 0; i--) {
                    v = conversions.get(i).toDevice(v);
                }
            } catch (ArithmeticException e) {
                throw invalid(level.value().toPlainString() + " cannot be converted for the device");
            }
            if (deviceStep != null && deviceStep.signum() > 0) {
                BigDecimal base = deviceMin != null ? deviceMin : BigDecimal.ZERO;
                BigDecimal steps = v.subtract(base).divide(deviceStep, 0, RoundingMode.HALF_UP);
                v = base.add(steps.multiply(deviceStep));
            } else if (integral) {
                v = v.setScale(0, RoundingMode.HALF_UP);
            }
            // Conversions are exact only to 16 digits: clamp what rounding pushed a hair outside the device range.
            if (deviceMin != null && v.compareTo(deviceMin) < 0) {
                v = deviceMin;
            }
            if (deviceMax != null && v.compareTo(deviceMax) > 0) {
                v = deviceMax;
            }
            v = plain(v);
            if (v.scale() <= 0) {
                try {
                    return JsonNodeFactory.instance.numberNode(v.longValueExact());
                } catch (ArithmeticException e) {
                    return DecimalNode.valueOf(v);
                }
            }
            return DecimalNode.valueOf(v);
        }

        @Override
        public boolean confirms(JsonNode reported, JsonNode sent) {
            if (!reported.isNumber() || !sent.isNumber()) {
                return false;
            }
            BigDecimal tolerance = deviceStep != null ? deviceStep.divide(BigDecimal.valueOf(2))
                    : integral ? new BigDecimal("0.5") : new BigDecimal("0.000001");
            return reported.decimalValue().subtract(sent.decimalValue()).abs().compareTo(tolerance) <= 0;
        }

        /** No trailing zeros, and never an exponent (101320, not 1.0132E+5). */
        static BigDecimal plain(BigDecimal v) {
            BigDecimal s = v.stripTrailingZeros();
            return s.scale() < 0 ? s.setScale(0) : s;
        }
    }

    /**
     * An enum feature.
     *
     * @param toCapability device value (as text) → TR-181 value
     * @param toDevice     TR-181 value → the device's JSON value (a string or, for some devices, a number)
     */
    record Enumerated(Map<String, String> toCapability, Map<String, JsonNode> toDevice) implements ValueCodec {
        public Enumerated {
            toCapability = Map.copyOf(toCapability);
            toDevice = Map.copyOf(toDevice);
        }

        @Override
        public CapabilityValue decode(JsonNode reported) {
            if (!reported.isValueNode() || reported.isNull()) {
                return null;
            }
            String mapped = toCapability.get(reported.asText());
            return mapped == null ? null : new CapabilityValue.Enumerated(mapped);
        }

        @Override
        public JsonNode encode(CapabilityValue value) {
            if (value instanceof CapabilityValue.Enumerated e) {
                JsonNode device = toDevice.get(e.value());
                if (device == null) {
                    throw invalid("\"" + e.value() + "\" is not one of " + toDevice.keySet());
                }
                return device;
            }
            throw invalid("one of " + toDevice.keySet() + " is needed, not " + value);
        }
    }

    /** A text feature read as a BlobSensor: its UTF-8 bytes. */
    record Text() implements ValueCodec {
        @Override
        public CapabilityValue decode(JsonNode reported) {
            return reported.isTextual() ? new CapabilityValue.Blob(reported.asText().getBytes(StandardCharsets.UTF_8))
                    : null;
        }

        @Override
        public JsonNode encode(CapabilityValue value) {
            if (value instanceof CapabilityValue.Blob b) {
                return TextNode.valueOf(new String(b.data(), StandardCharsets.UTF_8));
            }
            throw invalid("text is needed, not " + value);
        }
    }

    /** Any other feature read as a BlobSensor: the JSON text of its value (lists, objects). */
    record Json() implements ValueCodec {
        @Override
        public CapabilityValue decode(JsonNode reported) {
            return reported.isNull() ? null
                    : new CapabilityValue.Blob(reported.toString().getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public JsonNode encode(CapabilityValue value) {
            throw new AdapterException(AdapterException.Reason.NOT_SUPPORTED, "a JSON blob cannot be written");
        }
    }
}
