package io.uspbridge.model;

import java.util.List;

/** An event of the supported model ({@code Boot!}), with its arguments. */
public final class EventDef {
    private final ObjectDef object;
    private final String name;
    List<ArgDef> args = List.of();

    EventDef(ObjectDef object, String name) {
        this.object = object;
        this.name = name;
    }

    EventDef copyFor(ObjectDef newOwner) {
        EventDef e = new EventDef(newOwner, name);
        e.args = args;
        return e;
    }

    public ObjectDef object() {
        return object;
    }

    /** The name with its exclamation mark, e.g. {@code Boot!}. */
    public String name() {
        return name;
    }

    public List<ArgDef> args() {
        return args;
    }

    public String supportedPath() {
        return object.path() + name;
    }

    @Override
    public String toString() {
        return supportedPath();
    }
}
