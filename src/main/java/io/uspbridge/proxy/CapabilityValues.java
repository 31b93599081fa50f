package io.uspbridge.proxy;

import io.uspbridge.model.ErrorCode;
import io.uspbridge.model.ModelException;
import io.uspbridge.model.ValueType;
import io.uspbridge.proxy.spi.CapabilityClass;
import io.uspbridge.proxy.spi.CapabilityValue;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The two forms of a capability's value: the adapter's typed {@link CapabilityValue} and the canonical text of the
 * class object's {@code Value} (or {@code Values}) parameter. Which form goes with which class is fixed by the
 * SPI: Binary for BinaryControl/BinarySensor, Level for LevelControl/LevelSensor, Enumerated for
 * EnumControl/EnumSensor, MultiLevel for MultiLevelSensor, Blob for BlobSensor.
 */
final class CapabilityValues {
    private CapabilityValues() {
    }

    /** The parameter of the class object that holds the value. */
    static String valueParam(CapabilityClass c) {
        return c == CapabilityClass.MULTI_LEVEL_SENSOR ? "Values" : "Value";
    }

    /**
     * The canonical text of {@code v} for a capability of class {@code c}.
     *
     * @throws IllegalArgumentException when the value is not of the class's form (an adapter bug, logged by the
     *                                  caller)
     */
    static String toModel(CapabilityClass c, CapabilityValue v) {
        return switch (c) {
            case BINARY_CONTROL, BINARY_SENSOR -> {
                if (v instanceof CapabilityValue.Binary b) {
                    yield Boolean.toString(b.value());
                }
                throw mismatch(c, v);
            }
            case LEVEL_CONTROL, LEVEL_SENSOR -> {
                if (v instanceof CapabilityValue.Level l) {
                    yield ValueType.formatDecimal(l.value());
                }
                throw mismatch(c, v);
            }
            case ENUM_CONTROL, ENUM_SENSOR -> {
                if (v instanceof CapabilityValue.Enumerated e) {
                    yield e.value();
                }
                throw mismatch(c, v);
            }
            case MULTI_LEVEL_SENSOR -> {
                if (v instanceof CapabilityValue.MultiLevel m) {
                    List<String> items = new ArrayList<>(m.values().size());
                    m.values().forEach(d -> items.add(ValueType.formatDecimal(d)));
                    yield String.join(",", items);
                }
                throw mismatch(c, v);
            }
            case BLOB_SENSOR -> {
                if (v instanceof CapabilityValue.Blob b) {
                    yield Base64.getEncoder().encodeToString(b.data());
                }
                throw mismatch(c, v);
            }
        };
    }

    /**
     * The typed value of canonical text a controller wrote to a control's {@code Value} (the model has already
     * checked its type).
     */
    static CapabilityValue fromModel(CapabilityClass c, String canonical) {
        return switch (c) {
            case BINARY_CONTROL, BINARY_SENSOR -> new CapabilityValue.Binary("true".equals(canonical));
            case LEVEL_CONTROL, LEVEL_SENSOR -> new CapabilityValue.Level(decimal(canonical));
            case ENUM_CONTROL, ENUM_SENSOR -> new CapabilityValue.Enumerated(canonical);
            case MULTI_LEVEL_SENSOR -> new CapabilityValue.MultiLevel(
                    ValueType.splitList(canonical).stream().map(CapabilityValues::decimal).toList());
            case BLOB_SENSOR -> new CapabilityValue.Blob(Base64.getDecoder().decode(canonical));
        };
    }

    static BigDecimal decimal(String canonical) {
        try {
            return new BigDecimal(canonical);
        } catch (NumberFormatException e) {
            throw new ModelException(ErrorCode.INVALID_TYPE, "'" + canonical + "' is not a decimal");
        }
    }

    private static IllegalArgumentException mismatch(CapabilityClass c, CapabilityValue v) {
        return new IllegalArgumentException("a " + c.modelName() + " takes no " + v.getClass().getSimpleName()
                + " value (" + v + ")");
    }
}
