package io.uspbridge.model;

/** Whether controllers may add or delete rows of a multi-instance object (TR-181 object access). */
public enum TableAccess {
    /** Agent-managed (e.g. ProxiedDevice, Request): Add → 7019, Delete → 7024 / not allowed. */
    READ_ONLY,
    ADD_DELETE,
    ADD_ONLY,
    DELETE_ONLY;

    public boolean canAdd() {
        return this == ADD_DELETE || this == ADD_ONLY;
    }

    public boolean canDelete() {
        return this == ADD_DELETE || this == DELETE_ONLY;
    }
}
