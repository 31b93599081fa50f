package io.uspbridge.notify;

/** {@code Device.LocalAgent.Subscription.{i}.NotifType}: what a subscription reports (9.2). */
enum NotifType {
    VALUE_CHANGE("ValueChange"),
    OBJECT_CREATION("ObjectCreation"),
    OBJECT_DELETION("ObjectDeletion"),
    OPERATION_COMPLETE("OperationComplete"),
    EVENT("Event");

    private final String dmName;

    NotifType(String dmName) {
        this.dmName = dmName;
    }

    /** The enumeration value in the data model. */
    String dmName() {
        return dmName;
    }

    /** The type for a data-model value, or null for "" or anything else. */
    static NotifType of(String dmValue) {
        for (NotifType t : values()) {
            if (t.dmName.equals(dmValue)) {
                return t;
            }
        }
        return null;
    }
}
