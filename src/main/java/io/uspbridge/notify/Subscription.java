package io.uspbridge.notify;

import io.uspbridge.model.DataModel;
import io.uspbridge.model.ErrorCode;
import io.uspbridge.model.ModelException;
import io.uspbridge.model.ObjectNode;
import io.uspbridge.model.ValueType;
import java.util.ArrayList;
import java.util.List;

/**
 * An enabled {@code Device.LocalAgent.Subscription.{i}} row, compiled: what it watches and how it notifies. Built
 * from the committed row each time the row changes, and not changed afterwards.
 */
final class Subscription {
    final ObjectNode row;
    /** The Controller row that receives (Recipient); null when it is empty or no longer exists. */
    final ObjectNode recipient;
    final String id;
    final NotifType type;
    final List<Watch> watches = new ArrayList<>();
    final boolean notifRetry;
    /** NotifExpiration in seconds; 0 = retry until delivered. */
    final long notifExpiration;
    /** TriggerAction Notify or NotifyAndConfig. */
    final boolean sendsNotify;
    /** TriggerAction Config or NotifyAndConfig (TP-469 1.93, 1.94). */
    final boolean appliesConfig;
    final List<String> configSettings;

    private Subscription(ObjectNode row, ObjectNode recipient, NotifType type) {
        this.row = row;
        this.recipient = recipient;
        this.id = row.value("ID");
        this.type = type;
        this.notifRetry = row.booleanValue("NotifRetry");
        this.notifExpiration = Long.parseLong(row.value("NotifExpiration"));
        String action = row.value("TriggerAction");
        this.sendsNotify = !"Config".equals(action);
        this.appliesConfig = "Config".equals(action) || "NotifyAndConfig".equals(action);
        this.configSettings = ValueType.splitList(row.value("TriggerConfigSettings"));
    }

    /**
     * Compiles a row's current values.
     *
     * @throws ModelException 7012 when NotifType is missing or a ReferenceList entry cannot be used with it
     */
    static Subscription compile(DataModel model, ObjectNode row) {
        NotifType type = NotifType.of(row.value("NotifType"));
        if (type == null) {
            throw new ModelException(ErrorCode.INVALID_VALUE, row.path() + "NotifType is required");
        }
        String recipientRef = row.value("Recipient");
        ObjectNode recipient = recipientRef.isEmpty() ? null : model.find(recipientRef);
        Subscription s = new Subscription(row, recipient, type);
        for (String ref : ValueType.splitList(row.value("ReferenceList"))) {
            if (!ref.isEmpty()) {
                s.watches.add(Watch.compile(model, type, ref, s));
            }
        }
        return s;
    }

    /** The recipient's Endpoint ID when it may receive now (its row exists and is enabled); else null. */
    String recipientEndpoint() {
        if (recipient == null || !recipient.isLive() || !recipient.booleanValue("Enable")) {
            return null;
        }
        String eid = recipient.value("EndpointID");
        return eid.isEmpty() ? null : eid;
    }

    @Override
    public String toString() {
        return row.path() + " (" + type.dmName() + " " + watches + ")";
    }
}
