package io.uspbridge.model;

/** Parameter access as TR-181 declares it. */
public enum Access {
    /** readOnly: a Set is refused with 7013. */
    READ_ONLY,
    /** readWrite. */
    READ_WRITE,
    /**
     * writeOnceReadOnly: may be given when the object is created (Add) or, while still empty, by one Set; refused
     * with 7013 afterwards (MSG-10). Reported as PARAM_READ_WRITE by GetSupportedDM.
     */
    WRITE_ONCE;

    public boolean isWritable() {
        return this != READ_ONLY;
    }
}
