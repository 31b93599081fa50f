package io.uspbridge.model;

/**
 * An input or output argument of a command, or an argument of an event. {@code name} is relative to the command
 * and may name a multi-instance argument object with {@code {i}} (e.g. {@code TimeWindow.{i}.Start}).
 */
public record ArgDef(String name, ValueType type, boolean mandatory, String defaultValue) {
}
