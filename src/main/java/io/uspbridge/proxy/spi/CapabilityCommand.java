package io.uspbridge.proxy.spi;

/** The capability commands of the IoT model (TR-181 {@code Toggle()}, {@code StepUp()}, {@code StepDown()}). */
public enum CapabilityCommand {
    TOGGLE, STEP_UP, STEP_DOWN
}
