package io.uspbridge.model;

import java.util.Map;

/** A write of bound parameters that failed for some of them; each failed parameter has its own error. */
public class ParamWriteException extends RuntimeException {
    private final Map<ParamDef, ModelException> failures;

    public ParamWriteException(Map<ParamDef, ModelException> failures) {
        super("write failed for " + failures.keySet(), null, false, false);
        this.failures = Map.copyOf(failures);
    }

    public Map<ParamDef, ModelException> failures() {
        return failures;
    }
}
