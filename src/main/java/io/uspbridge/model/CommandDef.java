package io.uspbridge.model;

import java.util.List;

/**
 * A command of the supported model ({@code Reboot()}, {@code Toggle()}). Synchronous commands answer in the
 * OperateResponse; asynchronous ones run behind a {@code Device.LocalAgent.Request.{i}} row (OPR-2, OPR-3).
 */
public final class CommandDef {
    private final ObjectDef object;
    private final String name;
    boolean async;
    List<ArgDef> inputArgs = List.of();
    List<ArgDef> outputArgs = List.of();
    CommandHandler handler;

    CommandDef(ObjectDef object, String name) {
        this.object = object;
        this.name = name;
    }

    CommandDef copyFor(ObjectDef newOwner) {
        CommandDef c = new CommandDef(newOwner, name);
        c.async = async;
        c.inputArgs = inputArgs;
        c.outputArgs = outputArgs;
        c.handler = handler;
        return c;
    }

    public ObjectDef object() {
        return object;
    }

    /** The name with its parentheses, e.g. {@code Reboot()}. */
    public String name() {
        return name;
    }

    public boolean isAsync() {
        return async;
    }

    public List<ArgDef> inputArgs() {
        return inputArgs;
    }

    public List<ArgDef> outputArgs() {
        return outputArgs;
    }

    /** The handler declared with the schema; an object's {@link ObjectOwner} may supply its own instead. */
    public CommandHandler handler() {
        return handler;
    }

    public String supportedPath() {
        return object.path() + name;
    }

    @Override
    public String toString() {
        return supportedPath();
    }
}
