package io.uspbridge.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.uspbridge.app.AgentSchema;
import io.uspbridge.model.ObjectNode;
import io.uspbridge.model.Transaction;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelPersistenceTest {

    private static final String LA = "Device.LocalAgent.";

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("state/uspbridge.db");
    }

    /** Writable parameters, rows in nested tables, aliases, instance numbers: all as they were after a restart. */
    @Test
    void aRestartRestoresValuesRowsAndInstanceNumbersExactly() {
        Map<String, String> before;
        try (TestAgent a = TestAgent.start(file(), TestSchemas.v1())) {
            a.set(LA + "Name", "hub in the hall");
            a.set(LA + "RetryMinimumWaitInterval", "30");
            a.addRow(LA, "Controller", Map.of("EndpointID", "proto::c1", "Enable", "true", "Alias", "first"));
            a.addRow(LA, "Controller", Map.of("EndpointID", "proto::c2"));
            a.addRow(LA, "Controller", Map.of("EndpointID", "proto::c3"));
            String c1 = LA + "Controller.1.";
            a.addRow(c1, "BootParameter", Map.of("ParameterName", "Device.LocalAgent.EndpointID"));
            a.addRow(c1, "BootParameter", Map.of("ParameterName", "Device.DeviceInfo.SoftwareVersion"));
            a.addRow(c1, "BootParameter", Map.of("ParameterName", "Device.DeviceInfo.HardwareVersion"));
            a.addRow(LA + "Controller.3.", "BootParameter", Map.of("ParameterName", "x"));
            a.set(c1 + "PeriodicNotifInterval", "60");
            a.set(c1 + "E2ESession.SessionMode", "Require");
            a.set(c1 + "BootParameter.2.ParameterName", "Device.DeviceInfo.ModelName");
            a.delete(c1 + "BootParameter.3.");
            a.delete(LA + "Controller.3.");                 // the highest number, with a sub-row
            a.run(m -> {                                     // a subscription that names controller 2
                try (Transaction tx = m.begin(null)) {
                    ObjectNode s = tx.addRow(m.find(LA).table("Subscription"), 0);
                    tx.set(s, "Recipient", LA + "Controller.2");
                    tx.set(s, "ReferenceList", "Device.LocalAgent.,Device.DeviceInfo.");
                    tx.commit();
                }
            });
            a.set(c1 + "Status", "Up");                      // read-only, not kept
            before = a.dump(LA);
            assertThat(before).containsEntry(LA + "Controller.1.Alias", "first")
                    .containsEntry(LA + "Controller.2.Alias", "cpe-2")
                    .containsEntry(LA + "Subscription.1.ID", "sub-1");
        }

        try (TestAgent b = TestAgent.start(file(), TestSchemas.v1())) {
            assertThat(b.restored.skipped()).isZero();
            Map<String, String> after = b.dump(LA);
            Map<String, String> expected = new java.util.TreeMap<>(before);
            expected.put(LA + "Controller.1.Status", "Down");
            assertThat(after).isEqualTo(expected);

            // ARC-5: controller 3 and boot parameter 3 were the highest numbers and are gone: never given again.
            ObjectNode c = b.addRow(LA, "Controller", Map.of());
            assertThat(c.instance()).isEqualTo(4);
            ObjectNode bp = b.addRow(LA + "Controller.1.", "BootParameter", Map.of());
            assertThat(bp.instance()).isEqualTo(4);
            assertThat(b.value(LA + "Controller.4.Alias")).isEqualTo("cpe-4");
        }
    }

    /** MSG-8: a row's discriminator (MTP.{i}.Protocol) is restored before its union member's values (MQTT.). */
    @Test
    void unionMembersAreRestoredAfterTheirDiscriminator() {
        try (TestAgent a = TestAgent.start(file(), io.uspbridge.app.AgentSchema.build())) {
            a.addRow(LA, "MTP", Map.of("Enable", "true", "Protocol", "MQTT",
                    "MQTT.ResponseTopicConfigured", "usp/agent/x", "MQTT.PublishQoS", "1"));
        }
        try (TestAgent b = TestAgent.start(file(), io.uspbridge.app.AgentSchema.build())) {
            assertThat(b.restored.skipped()).isZero();
            assertThat(b.value(LA + "MTP.1.MQTT.ResponseTopicConfigured")).isEqualTo("usp/agent/x");
        }
    }

    @Test
    void valuesOfAUnionMemberAreRestoredAfterItsDiscriminator() {
        // MTP.{i}.MQTT. exists only while Protocol is MQTT; its values sort before Protocol in the store.
        try (TestAgent a = TestAgent.start(file(), AgentSchema.build())) {
            a.addRow("Device.LocalAgent.", "MTP", Map.of("Enable", "true", "Protocol", "MQTT",
                    "MQTT.ResponseTopicConfigured", "usp/agent/kept", "MQTT.PublishQoS", "1"));
        }
        try (TestAgent a = TestAgent.start(file(), AgentSchema.build())) {
            assertThat(a.value("Device.LocalAgent.MTP.1.MQTT.ResponseTopicConfigured")).isEqualTo("usp/agent/kept");
            assertThat(a.value("Device.LocalAgent.MTP.1.MQTT.PublishQoS")).isEqualTo("1");
            assertThat(a.restored.skipped()).isZero();
        }
    }

    @Test
    void rowsOfAgentManagedTablesAreNotKeptButTheirNumbersAreNotReused() {
        try (TestAgent a = TestAgent.start(file(), TestSchemas.v1())) {
            a.addRow("Device.", "ProxiedDevice", Map.of("Name", "lamp"));
            a.addRow("Device.ProxiedDevice.1.", "Tag", Map.of("Value", "kitchen"));
            a.addRow(LA, "Request", Map.of());
            a.addRow(LA, "Request", Map.of());
            a.set("Device.ProxiedDevice.1.Name", "desk lamp");
            a.set(LA + "SoftwareVersion", "9.9");            // read-only: not kept
            assertThat(a.store.status().entries()).as("only the two counters").isEqualTo(2);
        }
        try (TestAgent b = TestAgent.start(file(), TestSchemas.v1())) {
            assertThat(b.dump("Device.ProxiedDevice.")).isEmpty();
            assertThat(b.dump(LA + "Request.")).isEmpty();
            assertThat(b.value(LA + "SoftwareVersion")).isEqualTo("1.0");
            assertThat(b.nextInstance(LA + "Request.")).isEqualTo(3);
            assertThat(b.nextInstance("Device.ProxiedDevice.")).isEqualTo(2);
        }
    }

    @Test
    void deletedRowsStayDeletedEvenWhenDeletedWithinTheSameWriteWindow() {
        try (TestAgent a = new TestAgent(file(), TestSchemas.v1(), Duration.ofHours(1))) {
            a.addRow(LA, "Controller", Map.of("EndpointID", "proto::kept"));
            a.store.flush().join();
            a.addRow(LA, "Controller", Map.of("EndpointID", "proto::brief"));
            a.addRow(LA + "Controller.2.", "BootParameter", Map.of("ParameterName", "p"));
            a.delete(LA + "Controller.2.");                  // created and deleted before any write
            a.delete(LA + "Controller.1.");                  // written, then deleted
        }
        try (TestAgent b = TestAgent.start(file(), TestSchemas.v1())) {
            assertThat(b.dump(LA + "Controller.")).isEmpty();
            assertThat(b.value(LA + "ControllerNumberOfEntries")).isEqualTo("0");
            assertThat(b.addRow(LA, "Controller", Map.of()).instance()).isEqualTo(3);
            assertThat(b.store.modelState().values().keySet()).noneMatch(k -> k.contains("Controller.2."));
        }
    }

    @Test
    void anUpgradedSchemaRestoresWhatItStillAcceptsAndForgetsTheRest() {
        try (TestAgent a = TestAgent.start(file(), TestSchemas.v1())) {
            a.set(LA + "Name", "kept");
            a.set(LA + "Legacy", "dropped with its parameter");
            a.addRow(LA, "Controller", Map.of("EndpointID", "proto::c1", "PeriodicNotifInterval", "7200",
                    "Note", "dropped with its parameter"));
            a.addRow(LA, "Controller", Map.of("EndpointID", "proto::c2", "PeriodicNotifInterval", "60"));
            a.addRow(LA, "Extra", Map.of("Text", "dropped with its table"));
            a.addRow(LA, "Extra", Map.of("Text", "dropped with its table"));
        }
        try (TestAgent b = TestAgent.start(file(), TestSchemas.v2())) {
            // Legacy, the two controllers' Note, 7200 (now out of range) and the two Extra rows.
            assertThat(b.restored.skipped()).isEqualTo(6);
            assertThat(b.restored.rows()).isEqualTo(2);
            assertThat(b.value(LA + "Name")).isEqualTo("kept");
            assertThat(b.value(LA + "Controller.1.EndpointID")).isEqualTo("proto::c1");
            assertThat(b.value(LA + "Controller.1.PeriodicNotifInterval")).as("the new default").isEqualTo("3600");
            assertThat(b.value(LA + "Controller.2.PeriodicNotifInterval")).isEqualTo("60");
            assertThat(b.value(LA + "Controller.2.Alias")).isEqualTo("cpe-2");
        }
        try (TestAgent c = TestAgent.start(file(), TestSchemas.v2())) {
            assertThat(c.restored.skipped()).as("what was skipped was forgotten, not skipped again").isZero();
            assertThat(c.restored.rows()).isEqualTo(2);
            assertThat(c.value(LA + "Controller.2.PeriodicNotifInterval")).isEqualTo("60");
        }
    }

    @Test
    void aRowThatABugKeepsFromBeingRestoredIsKeptForAFixedVersion() {
        try (TestAgent a = TestAgent.start(file(), TestSchemas.v1())) {
            a.addRow(LA, "Extra", Map.of("Text", "precious"));
            a.addRow(LA, "Controller", Map.of("EndpointID", "proto::c1"));
        }
        try (TestAgent b = TestAgent.start(file(), TestSchemas.v1WithABug())) {
            assertThat(b.restored.rows()).isEqualTo(1);
            assertThat(b.restored.skipped()).isEqualTo(1);
            assertThat(b.dump(LA + "Extra.")).isEmpty();
            assertThat(b.addRow(LA, "Controller", Map.of()).instance()).isEqualTo(2);
        }
        try (TestAgent c = TestAgent.start(file(), TestSchemas.v1())) {
            assertThat(c.restored.skipped()).isZero();
            assertThat(c.value(LA + "Extra.1.Text")).isEqualTo("precious");
        }
    }

    @Test
    void aRowTheNewSchemaRejectsAsAWholeIsSkippedAndTheOthersAreRestored() {
        try (TestAgent a = TestAgent.start(file(), TestSchemas.v1())) {
            a.addRow(LA, "Controller", Map.of("EndpointID", "proto::same", "Enable", "true"));
            a.addRow(LA, "Controller", Map.of("EndpointID", "proto::other", "Enable", "true"));
            a.addRow(LA + "Controller.2.", "BootParameter", Map.of("ParameterName", "p"));
        }
        // Stored state that breaks a unique key (e.g. written by a version with a bug): EndpointID must be unique
        // among enabled controllers.
        try (StateStore s = StateStore.open(file(), Duration.ZERO)) {
            s.putValue(LA + "Controller.2.EndpointID", "proto::same");
        }
        try (TestAgent b = TestAgent.start(file(), TestSchemas.v1())) {
            assertThat(b.restored.rows()).isEqualTo(1);
            assertThat(b.value(LA + "Controller.1.EndpointID")).isEqualTo("proto::same");
            assertThat(b.dump(LA + "Controller.2.")).isEmpty();
            assertThat(b.restored.skipped()).isEqualTo(1);
            assertThat(b.addRow(LA, "Controller", Map.of()).instance()).isEqualTo(3);
        }
    }

    @Test
    void strongReferencesSurviveWhateverOrderTheRowsAreRestoredIn() {
        String c1 = LA + "Controller.1.";
        try (TestAgent a = TestAgent.start(file(), TestSchemas.v1())) {
            a.addRow(LA + "ControllerTrust.", "Role", Map.of("Name", "admin"));
            a.addRow(LA + "ControllerTrust.", "Role", Map.of("Name", "viewer"));
            a.addRow(LA, "Controller", Map.of("EndpointID", "proto::c1"));
            a.addRow(c1, "BootParameter", Map.of("ParameterName", "p"));
            // Controller.1 sorts before ControllerTrust.Role.2, and its BootParameter.1 is restored after it.
            a.set(c1 + "AssignedRole", LA + "ControllerTrust.Role.2," + LA + "ControllerTrust.Role.1");
            a.set(c1 + "FirstBootParameter", c1 + "BootParameter.1");
            a.set(c1 + "RequireRole", "true");               // valid only with its roles (TestSchemas)
            a.run(m -> {
                try (Transaction tx = m.begin(null)) {
                    ObjectNode s = tx.addRow(m.find(LA).table("Subscription"), 0);
                    tx.set(s, "Recipient", LA + "Controller.1");
                    tx.commit();
                }
            });
        }
        try (TestAgent b = TestAgent.start(file(), TestSchemas.v1())) {
            assertThat(b.restored.skipped()).isZero();
            assertThat(b.value(c1 + "RequireRole")).isEqualTo("true");
            assertThat(b.value(c1 + "AssignedRole"))
                    .isEqualTo(LA + "ControllerTrust.Role.2," + LA + "ControllerTrust.Role.1");
            assertThat(b.value(c1 + "FirstBootParameter")).isEqualTo(c1 + "BootParameter.1");
            assertThat(b.value(LA + "Subscription.1.Recipient")).isEqualTo(LA + "Controller.1");
            b.delete(LA + "ControllerTrust.Role.2.");       // R-ARC.12: the reference is cleared, and kept so
            assertThat(b.value(c1 + "AssignedRole")).isEqualTo(LA + "ControllerTrust.Role.1");
        }
        try (TestAgent c = TestAgent.start(file(), TestSchemas.v1())) {
            assertThat(c.restored.skipped()).isZero();
            assertThat(c.value(c1 + "AssignedRole")).isEqualTo(LA + "ControllerTrust.Role.1");
        }
    }

    @Test
    void manyRapidChangesBecomeFarFewerSqliteTransactions() {
        int changes = 2_000;
        try (TestAgent a = new TestAgent(file(), TestSchemas.v1(), Duration.ofHours(1))) {
            a.addRow(LA, "Controller", Map.of("EndpointID", "proto::c1"));
            a.run(m -> {
                ObjectNode c = m.find(LA + "Controller.1.");
                for (int i = 0; i < changes; i++) {
                    m.set(c, "PeriodicNotifInterval", Integer.toString(1 + i));
                    m.set(m.find(LA), "Name", "name-" + (i % 10));
                }
            });
            assertThat(a.store.status().commits()).isZero();
            assertThat(a.store.flush().join()).isTrue();
            StoreStatus st = a.store.status();
            assertThat(st.commits()).isEqualTo(1);
            // the row, its nine values, the counter and Name: each written once, with its last value
            assertThat(st.rowsWritten()).isEqualTo(12);
        }
        try (TestAgent b = TestAgent.start(file(), TestSchemas.v1())) {
            assertThat(b.value(LA + "Controller.1.PeriodicNotifInterval")).isEqualTo(Integer.toString(changes));
            assertThat(b.value(LA + "Name")).isEqualTo("name-9");
        }
    }

    @Test
    void factoryResetForgetsEverything() {
        try (TestAgent a = TestAgent.start(file(), TestSchemas.v1())) {
            a.set(LA + "Name", "mine");
            a.addRow(LA, "Controller", Map.of("EndpointID", "proto::c1"));
            a.store.put("proxy.devices", "zigbee:0x00158d0001a2b3c4", "1");
            assertThat(a.call(() -> a.persistence.wipe().join())).isTrue();
            a.set(LA + "Name", "changed while shutting down");   // no longer recorded
            a.store.put("agent", "boot.cause", "FactoryReset");  // recorded after the wipe, on purpose
        }
        try (TestAgent b = TestAgent.start(file(), TestSchemas.v1())) {
            assertThat(b.value(LA + "Name")).isEqualTo("factory-name");
            assertThat(b.dump(LA + "Controller.")).isEmpty();
            assertThat(b.store.entries("proxy.devices")).isEmpty();
            assertThat(b.store.get("agent", "boot.cause")).hasValue("FactoryReset");
            assertThat(b.addRow(LA, "Controller", Map.of()).instance()).isEqualTo(1);
        }
    }

    @Test
    void anUnreadableFileCostsTheStateButNotTheAgent() throws Exception {
        java.nio.file.Files.createDirectories(file().getParent());
        java.nio.file.Files.write(file(), "SQLite format 3\0 but then nothing of the kind".repeat(200).getBytes());
        try (TestAgent a = TestAgent.start(file(), TestSchemas.v1())) {
            assertThat(a.store.status().state()).isEqualTo(StoreStatus.State.OK);
            assertThat(a.restored.rows()).isZero();
            a.addRow(LA, "Controller", Map.of("EndpointID", "proto::after"));
        }
        try (TestAgent b = TestAgent.start(file(), TestSchemas.v1())) {
            assertThat(b.value(LA + "Controller.1.EndpointID")).isEqualTo("proto::after");
        }
    }

    @Test
    void theAgentKeepsWorkingWhenTheStoreRunsInMemory() throws Exception {
        Path blocker = dir.resolve("not-a-directory");
        java.nio.file.Files.writeString(blocker, "a file where the store's directory should be");
        Path f = blocker.resolve("state.db");
        try (TestAgent a = TestAgent.start(f, TestSchemas.v1())) {
            assertThat(a.store.status().state()).isEqualTo(StoreStatus.State.DEGRADED);
            a.set(LA + "Name", "in memory");
            a.addRow(LA, "Controller", Map.of("EndpointID", "proto::c1"));
            assertThat(a.value(LA + "Controller.1.EndpointID")).isEqualTo("proto::c1");
            assertThat(a.store.flush().join()).isFalse();
        }
    }
}
