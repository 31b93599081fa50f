package io.uspbridge.model;

import java.util.function.Function;

/**
 * A parameter of the supported data model. Where its value lives is one of three kinds:
 * <ul>
 * <li>{@link Storage#STORED}: the tree holds the value; controllers' writes change it directly;</li>
 * <li>{@link Storage#COMPUTED}: read-only, computed on every read (e.g. {@code UpTime});</li>
 * <li>{@link Storage#BOUND}: the tree caches the value, but a write goes to the object's {@link ObjectOwner}
 * (a proxied device), and the new value arrives later like any report.</li>
 * </ul>
 * Instances are created by {@link SchemaBuilder}; after {@link Schema} is built they do not change.
 */
public final class ParamDef {

    public enum Storage { STORED, COMPUTED, BOUND }

    private final ObjectDef object;
    private final String name;
    final int index;
    ValueType type;
    Access access = Access.READ_ONLY;
    String defaultValue;
    boolean secured;
    boolean valueChangeIgnored;
    Storage storage = Storage.STORED;
    Function<ObjectNode, String> computer;
    Boolean persisted;
    KeyGenerator keyGenerator;

    ParamDef(ObjectDef object, String name, ValueType type, int index) {
        this.object = object;
        this.name = name;
        this.type = type;
        this.index = index;
    }

    /** A copy owned by another object definition (used when mounting a template under a mount point). */
    ParamDef copyFor(ObjectDef newOwner, int newIndex) {
        ParamDef p = new ParamDef(newOwner, name, type, newIndex);
        p.access = access;
        p.defaultValue = defaultValue;
        p.secured = secured;
        p.valueChangeIgnored = valueChangeIgnored;
        p.storage = storage;
        p.computer = computer;
        p.persisted = persisted;
        p.keyGenerator = keyGenerator;
        return p;
    }

    public ObjectDef object() {
        return object;
    }

    public String name() {
        return name;
    }

    public int index() {
        return index;
    }

    public ValueType type() {
        return type;
    }

    public Access access() {
        return access;
    }

    /** The TR-106 object default: the value a new row gets when the creator supplies none. */
    public String defaultValue() {
        return defaultValue != null ? defaultValue : type.defaultValue();
    }

    public boolean hasDeclaredDefault() {
        return defaultValue != null;
    }

    /** Secured parameters read as "" for controllers without a SecuredRoles role (GET-6). */
    public boolean isSecured() {
        return secured;
    }

    /** Whether ValueChange subscriptions on this parameter are honoured (GSDM value_change). */
    public boolean isValueChangeAllowed() {
        return !valueChangeIgnored && storage != Storage.COMPUTED;
    }

    public Storage storage() {
        return storage;
    }

    Function<ObjectNode, String> computer() {
        return computer;
    }

    /**
     * Whether the store keeps this parameter's value across restarts. By default every writable stored parameter
     * is kept (what a controller changed must survive); values bound to devices and computed values never are.
     */
    public boolean isPersisted() {
        if (storage != Storage.STORED) {
            return false;
        }
        return persisted != null ? persisted : access.isWritable();
    }

    /** How the agent assigns this key parameter when the creator did not (R-ADD.5); null = type default. */
    public KeyGenerator keyGenerator() {
        return keyGenerator;
    }

    /** Supported-model path, e.g. {@code Device.LocalAgent.Controller.{i}.Enable}. */
    public String supportedPath() {
        return object.path() + name;
    }

    @Override
    public String toString() {
        return supportedPath();
    }

    /** Generates a unique-key value for a new row. */
    @FunctionalInterface
    public interface KeyGenerator {
        String generate(ObjectNode newRow);
    }
}
