package io.uspbridge.notify;

import static io.uspbridge.notify.AgentUnderTest.sub;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.uspbridge.model.ErrorCode;
import io.uspbridge.model.ModelException;
import io.uspbridge.model.ObjectNode;
import io.uspbridge.model.Transaction;
import io.uspbridge.proto.UspMsg.Notify;
import io.uspbridge.proto.UspMsg.Notify.NotificationCase;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Subscriptions and the Notify messages they produce, on a whole agent in this JVM (TP-469 1.52–1.58, 1.78, 1.84,
 * 1.93, 1.94, 2.19, 2.20). Controllers are {@code proto::ctl} (Controller.1) and {@code proto::other}
 * (Controller.2). Where a test asserts that something is <em>not</em> sent, a second subscription that fires in the
 * same transaction is the witness: Notifies of one transaction go out together and in order.
 */
class NotificationsTest {
    static final String CTL = "proto::ctl";
    static final String OTHER = "proto::other";
    static final String C1 = "Device.LocalAgent.Controller.1.";
    static final String C2 = "Device.LocalAgent.Controller.2.";
    static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    AgentUnderTest agent;

    @BeforeEach
    void start() throws Exception {
        agent = AgentUnderTest.start(dir, AgentUnderTest.fastSettings());
    }

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.close();
        }
    }

    // ---- ValueChange -------------------------------------------------------------------------------------------

    @Test
    void tp469_1_52_valueChangeOnAParameter() {
        agent.subscribe(CTL, sub("vc", "ValueChange", C1 + "ProvisioningCode"));
        agent.setAs(OTHER, C1 + "ProvisioningCode", "abc");
        await().atMost(WAIT).until(() -> agent.ctl().forSubscription("vc").size() == 1);
        Notify n = agent.ctl().forSubscription("vc").get(0);
        assertThat(n.getValueChange().getParamPath()).isEqualTo(C1 + "ProvisioningCode");
        assertThat(n.getValueChange().getParamValue()).isEqualTo("abc");
        assertThat(n.getSendResp()).as("NotifRetry is false").isFalse();
    }

    @Test
    void tp469_1_53_noNotifyAfterTheSubscriptionIsDeleted() {
        String s = agent.subscribe(CTL, sub("gone", "ValueChange", C1 + "ProvisioningCode"));
        agent.deleteAs(CTL, s);
        agent.subscribe(CTL, sub("witness", "ValueChange", C1 + "ProvisioningCode"));
        agent.setAs(CTL, C1 + "ProvisioningCode", "x");
        await().atMost(WAIT).until(() -> agent.ctl().forSubscription("witness").size() == 1);
        assertThat(agent.ctl().forSubscription("gone")).isEmpty();
    }

    @Test
    void theChangeThatCreatesASubscriptionIsNotReportedToIt() {
        // "First change relative to the value at subscription time": nothing about the state it was created in.
        agent.subscribe(CTL, sub("whole", "ValueChange", "Device.LocalAgent.Subscription."));
        agent.subscribe(CTL, sub("witness", "ValueChange", C1 + "ProvisioningCode"));
        agent.setAs(CTL, C1 + "ProvisioningCode", "x");
        await().atMost(WAIT).until(() -> agent.ctl().forSubscription("witness").size() == 1);
        assertThat(agent.ctl().forSubscription("whole")).isEmpty();
    }

    @Test
    void tp469_1_84_searchPathFiresForMatchingObjectsOnly() {
        agent.subscribe(CTL, sub("search", "ValueChange",
                "Device.LocalAgent.Controller.[EndpointID==\"proto::other\"].ProvisioningCode"));
        agent.subscribe(CTL, sub("witness", "ValueChange", C1 + "ProvisioningCode"));
        agent.setAs(CTL, C1 + "ProvisioningCode", "one");
        agent.setAs(CTL, C2 + "ProvisioningCode", "two");
        await().atMost(WAIT).until(() -> agent.ctl().forSubscription("search").size() == 1);
        assertThat(agent.ctl().forSubscription("search").get(0).getValueChange().getParamPath())
                .isEqualTo(C2 + "ProvisioningCode");
        assertThat(agent.ctl().forSubscription("witness")).hasSize(1);
    }

    @Test
    void aSearchIsEvaluatedOnTheCurrentValuesSoRowsEnterAndLeaveIt() {
        agent.subscribe(CTL, sub("coded", "ValueChange",
                "Device.LocalAgent.Controller.[ControllerCode==\"watched\"].ProvisioningCode"));
        agent.setAs(CTL, C2 + "ProvisioningCode", "before");         // not matched yet
        agent.setAs(CTL, C2 + "ControllerCode", "watched");          // enters the search
        agent.setAs(CTL, C2 + "ProvisioningCode", "inside");
        agent.setAs(CTL, C2 + "ControllerCode", "");                 // leaves it
        agent.setAs(CTL, C2 + "ProvisioningCode", "after");
        agent.subscribe(CTL, sub("witness", "ValueChange", C1 + "ProvisioningCode"));
        agent.setAs(CTL, C1 + "ProvisioningCode", "end");
        await().atMost(WAIT).until(() -> agent.ctl().forSubscription("witness").size() == 1);
        assertThat(agent.ctl().forSubscription("coded")).extracting(n -> n.getValueChange().getParamValue())
                .containsExactly("inside");
    }

    @Test
    void aWildcardCoversRowsThatAppearLaterButNotTheValuesTheyWereCreatedWith() {
        agent.subscribe(CTL, sub("bp", "ValueChange", "Device.LocalAgent.Controller.*.BootParameter.*.ParameterName"));
        agent.run(m -> m.addRow(m.find(C2), "BootParameter", Map.of("ParameterName", "Device.DeviceInfo.")));
        agent.setAs(CTL, C2 + "BootParameter.1.ParameterName", "Device.DeviceInfo.SerialNumber");
        await().atMost(WAIT).until(() -> agent.ctl().forSubscription("bp").size() == 1);
        Notify n = agent.ctl().forSubscription("bp").get(0);
        assertThat(n.getValueChange().getParamPath()).isEqualTo(C2 + "BootParameter.1.ParameterName");
        assertThat(n.getValueChange().getParamValue()).isEqualTo("Device.DeviceInfo.SerialNumber");
    }

    @Test
    void anObjectPathWatchesEveryParameterBelowIt() {
        agent.subscribe(CTL, sub("obj", "ValueChange", C2));
        agent.setAs(CTL, C2 + "ControllerCode", "a");
        agent.setAs(CTL, C2 + "E2ESession.SessionMode", "Forbid");
        await().atMost(WAIT).until(() -> agent.ctl().forSubscription("obj").size() == 2);
        assertThat(agent.ctl().forSubscription("obj")).extracting(n -> n.getValueChange().getParamPath())
                .containsExactly(C2 + "ControllerCode", C2 + "E2ESession.SessionMode");
    }

    // ---- ObjectCreation / ObjectDeletion -------------------------------------------------------------------------

    @Test
    void tp469_1_57_objectCreationCarriesTheUniqueKeys() {
        agent.subscribe(CTL, sub("create", "ObjectCreation", "Device.LocalAgent.Subscription."));
        String created = agent.subscribe(CTL, sub("new-one", "ValueChange", C1 + "ProvisioningCode"));
        await().atMost(WAIT).until(() -> agent.ctl().forSubscription("create").size() == 1);
        Notify.ObjectCreation oc = agent.ctl().forSubscription("create").get(0).getObjCreation();
        assertThat(oc.getObjPath()).isEqualTo(created);
        assertThat(oc.getUniqueKeysMap()).containsEntry("ID", "new-one")
                .containsEntry("Recipient", "Device.LocalAgent.Controller.1").containsKey("Alias");
    }

    @Test
    void tp469_1_58_objectDeletion() {
        String victim = agent.subscribe(CTL, sub("victim", "ValueChange", C1 + "ProvisioningCode"));
        agent.subscribe(CTL, sub("delete", "ObjectDeletion", "Device.LocalAgent.Subscription.*."));
        agent.deleteAs(CTL, victim);
        await().atMost(WAIT).until(() -> agent.ctl().forSubscription("delete").size() == 1);
        assertThat(agent.ctl().forSubscription("delete").get(0).getObjDeletion().getObjPath()).isEqualTo(victim);
    }

    // ---- permissions (TP-469 2.19, 2.20) --------------------------------------------------------------------------

    @Test
    void tp469_2_19_2_20_notificationsFollowTheRecipientsNotifyPermission() {
        // proto::other may not be notified about Controller.1.ProvisioningCode (Param "rw--"), but about the rest.
        restrictOther(List.of(new String[] {"1", "Device.", "rwxn", "rwxn", "rwxn", "rwxn"},
                new String[] {"2", C1 + "ProvisioningCode", "rw--", "rwxn", "rwxn", "rwxn"}));
        agent.subscribe(OTHER, sub("denied", "ValueChange", C1 + "ProvisioningCode"));
        agent.subscribe(OTHER, sub("allowed", "ValueChange", C1 + "ControllerCode"));
        agent.run(m -> m.update(tx -> {
            ObjectNode c1 = m.find(C1);
            tx.set(c1, "ProvisioningCode", "p");
            tx.set(c1, "ControllerCode", "c");
        }));
        await().atMost(WAIT).until(() -> agent.other().forSubscription("allowed").size() == 1);
        assertThat(agent.other().forSubscription("denied")).isEmpty();
    }

    @Test
    void aSearchOverParametersTheRecipientCannotReadMatchesNothing() {
        restrictOther(List.of(new String[] {"1", "Device.", "rwxn", "rwxn", "rwxn", "rwxn"},
                new String[] {"2", "Device.LocalAgent.Controller.*.ControllerCode", "-w-n", "rwxn", "rwxn", "rwxn"}));
        agent.subscribe(OTHER, sub("search", "ValueChange",
                "Device.LocalAgent.Controller.[ControllerCode==\"x\"].ProvisioningCode"));
        agent.subscribe(OTHER, sub("witness", "ValueChange", C1 + "ProvisioningCode"));
        agent.setAs(CTL, C1 + "ControllerCode", "x");
        agent.setAs(CTL, C1 + "ProvisioningCode", "y");
        await().atMost(WAIT).until(() -> agent.other().forSubscription("witness").size() == 1);
        assertThat(agent.other().forSubscription("search")).isEmpty();
    }

    /** Gives proto::other a role of its own: rows {Order, Targets, Param, Obj, InstantiatedObj, CommandEvent}. */
    void restrictOther(List<String[]> permissions) {
        agent.run(m -> m.update(tx -> {
            ObjectNode role = tx.addRow(m.findTable("Device.LocalAgent.ControllerTrust.Role."), 0);
            tx.set(role, "Name", "restricted");
            tx.set(role, "Enable", "true");
            for (String[] p : permissions) {
                ObjectNode perm = tx.addRow(role.table("Permission"), 0);
                tx.set(perm, "Enable", "true");
                tx.set(perm, "Order", p[0]);
                tx.set(perm, "Targets", p[1]);
                tx.set(perm, "Param", p[2]);
                tx.set(perm, "Obj", p[3]);
                tx.set(perm, "InstantiatedObj", p[4]);
                tx.set(perm, "CommandEvent", p[5]);
            }
            tx.set(m.find(C2), "AssignedRole", role.referencePath());
        }));
    }

    // ---- the Subscription row ----------------------------------------------------------------------------------

    @Test
    void theAgentFillsRecipientCreationDateAndAMissingId() {
        Instant before = Instant.now().minusSeconds(1);
        Map<String, String> p = sub("ignored", "ValueChange", C1 + "ProvisioningCode");
        p.remove("ID");
        String row = agent.subscribe(OTHER, p);
        assertThat(agent.value(row + "Recipient")).isEqualTo("Device.LocalAgent.Controller.2");
        assertThat(agent.value(row + "ID")).startsWith("cpe-");
        assertThat(Instant.parse(agent.value(row + "CreationDate"))).isAfter(before);
    }

    @Test
    void referenceListIsImmutableOnceSet() {
        String row = agent.subscribe(CTL, sub("fixed", "ValueChange", C1 + "ProvisioningCode"));
        assertThatThrownBy(() -> agent.setAs(CTL, row + "ReferenceList", C1 + "ControllerCode"))
                .hasRootCauseInstanceOf(ModelException.class)
                .rootCause().satisfies(e -> assertThat(((ModelException) e).error()).isEqualTo(ErrorCode.NOT_WRITABLE));
        // An empty one may be filled in later.
        Map<String, String> empty = sub("later", "ValueChange", "");
        String row2 = agent.subscribe(CTL, empty);
        agent.setAs(CTL, row2 + "ReferenceList", C1 + "ControllerCode");
        assertThat(agent.value(row2 + "ReferenceList")).isEqualTo(C1 + "ControllerCode");
    }

    @Test
    void badSubscriptionsAreRefusedWithInvalidValue() {
        Map<String, String> noType = sub("t", "ValueChange", C1 + "ProvisioningCode");
        noType.remove("NotifType");
        assertRefused(noType, ErrorCode.INVALID_VALUE);
        assertRefused(sub("t", "ObjectCreation", C1 + "ProvisioningCode"), ErrorCode.INVALID_VALUE);
        assertRefused(sub("t", "ValueChange", "Device.NoSuchObject."), ErrorCode.INVALID_VALUE);
        assertRefused(sub("t", "Event", "Device.LocalAgent.Controller.1.ProvisioningCode"), ErrorCode.INVALID_VALUE);
        assertRefused(sub("t", "ValueChange", "Device.LocalAgent.Controller.[.ProvisioningCode"),
                ErrorCode.INVALID_VALUE);
        assertRefused(sub("t", "ValueChange", C1 + "ProvisioningCode", "TriggerAction", "Config",
                "TriggerConfigSettings", "no-equals-sign"), ErrorCode.INVALID_VALUE);
    }

    private void assertRefused(Map<String, String> params, ErrorCode code) {
        assertThatThrownBy(() -> agent.subscribe(CTL, params)).rootCause()
                .satisfies(e -> assertThat(((ModelException) e).error()).isEqualTo(code));
    }

    @Test
    void anUnknownControllerCannotOwnASubscription() {
        assertThatThrownBy(() -> agent.subscribe("proto::stranger", sub("s", "ValueChange", C1 + "Enable")))
                .rootCause().satisfies(e -> assertThat(((ModelException) e).error())
                        .isEqualTo(ErrorCode.PERMISSION_DENIED));
    }

    @Test
    void tp469_1_78_deletingAControllerDeletesItsSubscriptions() {
        agent.subscribe(OTHER, sub("mine", "ValueChange", C1 + "ProvisioningCode"));
        String ctlSub = agent.subscribe(CTL, sub("kept", "ValueChange", C1 + "ProvisioningCode"));
        agent.deleteAs(CTL, C2);
        List<String> left = agent.call(() -> agent.runtime().model().findTable("Device.LocalAgent.Subscription.")
                .rows().stream().map(ObjectNode::path).toList());
        assertThat(left).containsExactly(ctlSub);
    }

    @Test
    void tp469_1_55_timeToLiveDeletesTheSubscriptionWithObjectDeletion() {
        agent.subscribe(CTL, sub("deletions", "ObjectDeletion", "Device.LocalAgent.Subscription."));
        String shortLived = agent.subscribe(CTL, sub("ttl", "ValueChange", C1 + "ProvisioningCode",
                "TimeToLive", "1"));
        await().atMost(WAIT).until(() -> agent.ctl().forSubscription("deletions").size() == 1);
        assertThat(agent.ctl().forSubscription("deletions").get(0).getObjDeletion().getObjPath())
                .isEqualTo(shortLived);
        assertThat(agent.call(() -> agent.runtime().model().find(shortLived))).isNull();
    }

    @Test
    void aDisabledSubscriptionIsNotProcessed() {
        String s = agent.subscribe(CTL, sub("off", "ValueChange", C1 + "ProvisioningCode"));
        agent.setAs(CTL, s + "Enable", "false");
        agent.subscribe(CTL, sub("witness", "ValueChange", C1 + "ProvisioningCode"));
        agent.setAs(CTL, C1 + "ProvisioningCode", "x");
        await().atMost(WAIT).until(() -> agent.ctl().forSubscription("witness").size() == 1);
        assertThat(agent.ctl().forSubscription("off")).isEmpty();
        agent.setAs(CTL, s + "Enable", "true");
        agent.setAs(CTL, C1 + "ProvisioningCode", "y");
        await().atMost(WAIT).until(() -> agent.ctl().forSubscription("off").size() == 1);
    }

    // ---- TriggerAction (TP-469 1.93, 1.94) -------------------------------------------------------------------------

    @Test
    void tp469_1_93_triggerActionConfigAppliesTheSettingsWithoutNotifying() {
        agent.subscribe(CTL, sub("cfg", "ValueChange", C2 + "ProvisioningCode", "TriggerAction", "Config",
                "TriggerConfigSettings", C2 + "ControllerCode=\"configured\""));
        agent.setAs(CTL, C2 + "ProvisioningCode", "go");
        await().atMost(WAIT).until(() -> "configured".equals(agent.value(C2 + "ControllerCode")));
        agent.subscribe(CTL, sub("witness", "ValueChange", C1 + "ProvisioningCode"));
        agent.setAs(CTL, C1 + "ProvisioningCode", "x");
        await().atMost(WAIT).until(() -> agent.ctl().forSubscription("witness").size() == 1);
        assertThat(agent.ctl().forSubscription("cfg")).isEmpty();
    }

    @Test
    void tp469_1_94_triggerActionNotifyAndConfigDoesBoth() {
        agent.subscribe(CTL, sub("both", "ValueChange", C2 + "ProvisioningCode", "TriggerAction", "NotifyAndConfig",
                "TriggerConfigSettings", C2 + "Enable=false"));
        agent.setAs(CTL, C2 + "ProvisioningCode", "go");
        await().atMost(WAIT).until(() -> agent.ctl().forSubscription("both").size() == 1);
        await().atMost(WAIT).until(() -> "false".equals(agent.value(C2 + "Enable")));
    }

    // ---- events ----------------------------------------------------------------------------------------------------

    @Test
    void tp469_1_59_periodicEventsGoOnlyToTheControllerWhoseScheduleItIs() {
        agent.setAs(CTL, C1 + "PeriodicNotifInterval", "1");
        agent.subscribe(CTL, sub("tick", "Event", "Device.LocalAgent.Periodic!"));
        await().atMost(WAIT).until(() -> agent.ctl().forSubscription("tick").size() >= 2);
        Notify.Event e = agent.ctl().forSubscription("tick").get(0).getEvent();
        assertThat(e.getObjPath()).isEqualTo("Device.LocalAgent.");
        assertThat(e.getEventName()).isEqualTo("Periodic!");
        assertThat(agent.other().received(NotificationCase.EVENT)).isEmpty();
    }

    @Test
    void anEventSubscriptionOnAnObjectPathReceivesEveryEventBelowIt() {
        agent.setAs(CTL, C1 + "PeriodicNotifInterval", "1");
        agent.subscribe(CTL, sub("all", "Event", "Device.LocalAgent."));
        await().atMost(WAIT).until(() -> !agent.ctl().forSubscription("all").isEmpty());
        assertThat(agent.ctl().forSubscription("all").get(0).getEvent().getEventName()).isEqualTo("Periodic!");
    }

    @Test
    void eventsOfTheModelReachSubscribers() {
        agent.subscribe(CTL, sub("boot", "Event", "Device.Boot!"));
        agent.run(m -> m.raiseEvent(m.root(), "Boot!", Map.of("Cause", "LocalReboot", "CommandKey", "",
                "Reason", "test", "FirmwareUpdated", "false", "ParameterMap", "{}")));
        await().atMost(WAIT).until(() -> agent.ctl().forSubscription("boot").size() == 1);
        assertThat(agent.ctl().forSubscription("boot").get(0).getEvent().getParamsMap())
                .containsEntry("Reason", "test");
    }

    @Test
    void rulesApplyInsideOneTransactionToo() {
        // A subscription added and changed in the same transaction is judged once, on its final values.
        agent.call(() -> {
            var m = agent.runtime().model();
            try (Transaction tx = m.begin(CTL)) {
                ObjectNode row = tx.addRowByController(m.findTable("Device.LocalAgent.Subscription."));
                tx.setByController(row, row.def().param("ReferenceList"), C1 + "Enable");
                tx.setByController(row, row.def().param("ReferenceList"), C1 + "ProvisioningCode");
                tx.setByController(row, row.def().param("NotifType"), "ValueChange");
                tx.setByController(row, row.def().param("Enable"), "true");
                tx.setByController(row, row.def().param("ID"), "tx");
                tx.commit();
            }
            return null;
        });
        agent.setAs(CTL, C1 + "ProvisioningCode", "z");
        await().atMost(WAIT).until(() -> agent.ctl().forSubscription("tx").size() == 1);
    }
}
