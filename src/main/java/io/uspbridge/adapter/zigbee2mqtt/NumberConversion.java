package io.uspbridge.adapter.zigbee2mqtt;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * One step of turning a Zigbee2MQTT number into the capability's metric number and back: a unit change (hPa → Pa,
 * mV → V, °F → °C), the reciprocal of mired colour temperatures (mired → K), or a rescale of the device's range onto
 * the capability's (brightness 0–254 → 0–100 %). Each step is exactly invertible, so a write goes through the same
 * steps backwards.
 */
sealed interface NumberConversion {

    MathContext MATH = MathContext.DECIMAL64;

    BigDecimal toCapability(BigDecimal device);

    BigDecimal toDevice(BigDecimal capability);

    /** Whether differences scale by a constant factor (so a device step converts to a capability step). */
    boolean linear();

    /** {@code capability = device × scale + offset}. */
    record Linear(BigDecimal scale, BigDecimal offset) implements NumberConversion {
        public Linear {
            if (scale.signum() == 0) {
                throw new IllegalArgumentException("scale must not be 0");
            }
        }

        @Override
        public BigDecimal toCapability(BigDecimal device) {
            return device.multiply(scale, MATH).add(offset, MATH);
        }

        @Override
        public BigDecimal toDevice(BigDecimal capability) {
            return capability.subtract(offset, MATH).divide(scale, MATH);
        }

        @Override
        public boolean linear() {
            return true;
        }
    }

    /** {@code capability = numerator / device}, e.g. kelvin = 1 000 000 / mired. */
    record Reciprocal(BigDecimal numerator) implements NumberConversion {
        @Override
        public BigDecimal toCapability(BigDecimal device) {
            if (device.signum() == 0) {
                throw new ArithmeticException("reciprocal of 0");
            }
            return numerator.divide(device, MATH);
        }

        @Override
        public BigDecimal toDevice(BigDecimal capability) {
            return toCapability(capability);
        }

        @Override
        public boolean linear() {
            return false;
        }
    }

    /** Maps {@code [fromMin, fromMax]} linearly onto {@code [toMin, toMax]}. */
    record Rescale(BigDecimal fromMin, BigDecimal fromMax, BigDecimal toMin, BigDecimal toMax)
            implements NumberConversion {
        public Rescale {
            if (fromMin.compareTo(fromMax) == 0 || toMin.compareTo(toMax) == 0) {
                throw new IllegalArgumentException("empty range");
            }
        }

        @Override
        public BigDecimal toCapability(BigDecimal device) {
            return map(device, fromMin, fromMax, toMin, toMax);
        }

        @Override
        public BigDecimal toDevice(BigDecimal capability) {
            return map(capability, toMin, toMax, fromMin, fromMax);
        }

        private static BigDecimal map(BigDecimal v, BigDecimal aMin, BigDecimal aMax, BigDecimal bMin,
                BigDecimal bMax) {
            BigDecimal ratio = v.subtract(aMin, MATH).divide(aMax.subtract(aMin, MATH), MATH);
            return bMin.add(ratio.multiply(bMax.subtract(bMin, MATH), MATH), MATH);
        }

        @Override
        public boolean linear() {
            return true;
        }
    }
}
