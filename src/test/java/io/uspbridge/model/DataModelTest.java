package io.uspbridge.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DataModelTest {

    private DataModel model;
    private final List<ModelChange> feed = new ArrayList<>();

    static Schema testSchema() {
        SchemaBuilder b = new SchemaBuilder("Device", "urn:test");
        b.object("Device.").param("UpTime", ValueType.unsignedInt()).computed(n -> "42");
        b.object("Device.LocalAgent.");
        SchemaBuilder.ObjectBuilder c = b.table("Device.LocalAgent.Controller.{i}.").access(TableAccess.ADD_DELETE)
                .alias().functionalKey("EndpointID").enableParam("Enable");
        c.param("EndpointID", ValueType.string()).writable();
        c.param("Enable", ValueType.bool()).writable().defaultValue("false");
        c.param("PeriodicNotifInterval", ValueType.unsignedInt().range(1, null)).writable().defaultValue("86400");
        b.table("Device.LocalAgent.Controller.{i}.BootParameter.{i}.").access(TableAccess.ADD_DELETE).alias()
                .param("ParameterName", ValueType.string(256)).writable();
        b.object("Device.LocalAgent.Controller.{i}.E2ESession.").param("Status", ValueType.string());
        SchemaBuilder.ObjectBuilder s = b.table("Device.LocalAgent.Subscription.{i}.")
                .access(TableAccess.ADD_DELETE).alias();
        s.param("Recipient", ValueType.string().pathRef("Device.LocalAgent.Controller.", true));
        s.param("ReferenceList", ValueType.string(256).list()).writable();
        s.param("ID", ValueType.string(64).minLength(1)).writable().generatedBy(r -> "sub-" + r.instance());
        s.nonFunctionalKey("Recipient", "ID");
        s.param("Note", ValueType.string().pathRef("Device.LocalAgent.Controller.", false)).writable();
        b.table("Device.ProxiedDevice.{i}.").mountPoint().param("Name", ValueType.string(64)).writable();
        SchemaBuilder.ObjectBuilder cap = b.table("Device.IoTCapability.{i}.");
        cap.param("Class", ValueType.enumeration("BinaryControl", "LevelControl"));
        b.object("Device.IoTCapability.{i}.BinaryControl.").optional()
                .param("Value", ValueType.bool()).writable().bound();
        b.mount("Device.ProxiedDevice.{i}.", "Device.IoTCapability.{i}.");
        return b.build();
    }

    @BeforeEach
    void setUp() {
        model = new DataModel(testSchema());
        model.addListener(feed::addAll);
    }

    private ObjectNode agent() {
        return model.find("Device.LocalAgent.");
    }

    @Test
    void rowsGetGrowingInstanceNumbersAndTheCountFollows() {
        ObjectNode c1 = model.addRow(agent(), "Controller", Map.of("EndpointID", "proto::c1"));
        ObjectNode c2 = model.addRow(agent(), "Controller", Map.of("EndpointID", "proto::c2"));
        assertThat(c1.path()).isEqualTo("Device.LocalAgent.Controller.1.");
        assertThat(c2.path()).isEqualTo("Device.LocalAgent.Controller.2.");
        assertThat(agent().value("ControllerNumberOfEntries")).isEqualTo("2");

        model.delete(c2);
        ObjectNode c3 = model.addRow(agent(), "Controller", Map.of());
        assertThat(c3.instance()).as("numbers are never reused (ARC-5)").isEqualTo(3);
        assertThat(agent().value("ControllerNumberOfEntries")).isEqualTo("2");
        assertThat(model.find("Device.LocalAgent.Controller.2.")).isNull();
        assertThat(model.find("Device.LocalAgent.Controller.3")).isSameAs(c3);
    }

    @Test
    void aFeatureExtendsADeclaredParameterWithoutRedeclaringIt() {
        SchemaBuilder b = new SchemaBuilder("Device", "urn:test");
        b.table("Device.Thing.{i}.").access(TableAccess.ADD_DELETE).nonFunctionalKey("Key")
                .param("Key", ValueType.string(64).minLength(1)).writable();
        b.table("Device.Thing.{i}.").param("Stamp", ValueType.dateTime());
        // A later contribution: a key generator and persistence, keeping the declared type.
        b.table("Device.Thing.{i}.").param("Key").generatedBy(r -> "gen-" + r.instance());
        b.table("Device.Thing.{i}.").param("Stamp").persisted(true);
        assertThatThrownBy(() -> b.table("Device.Thing.{i}.").param("Nope"))
                .isInstanceOf(IllegalArgumentException.class);
        DataModel m = new DataModel(b.build());
        ObjectNode row = m.addRow(m.root(), "Thing", Map.of());
        assertThat(row.value("Key")).isEqualTo("gen-1");
        assertThat(row.def().param("Key").type().toString()).isEqualTo(ValueType.string(64).minLength(1).toString());
        assertThat(row.def().param("Stamp").isPersisted()).isTrue();
    }

    @Test
    void aliasesAndGeneratedKeysAreAssignedWhenNotGiven() {
        ObjectNode c = model.addRow(agent(), "Controller", Map.of());
        assertThat(c.value("Alias")).isEqualTo("cpe-1");
        ObjectNode given = model.addRow(agent(), "Controller", Map.of("Alias", "mine"));
        assertThat(given.value("Alias")).isEqualTo("mine");
        ObjectNode s = model.addRow(agent(), "Subscription", Map.of());
        assertThat(s.value("ID")).isEqualTo("sub-1");
    }

    @Test
    void newRowsAndTheirDefaultsProduceOneCreationAndNoValueChanges() {
        model.addRow(agent(), "Controller", Map.of("EndpointID", "proto::c1", "Enable", "true"));
        assertThat(feed).hasSize(2);
        assertThat(feed.get(0)).isInstanceOf(ModelChange.ValueChanged.class); // ControllerNumberOfEntries 0 → 1
        assertThat(((ModelChange.ValueChanged) feed.get(0)).path())
                .isEqualTo("Device.LocalAgent.ControllerNumberOfEntries");
        assertThat(feed.get(1)).isInstanceOfSatisfying(ModelChange.ObjectCreated.class,
                oc -> assertThat(oc.object().value("EndpointID")).isEqualTo("proto::c1"));
    }

    @Test
    void changesReachTheFeedOnlyOnCommit() {
        ObjectNode c = model.addRow(agent(), "Controller", Map.of());
        feed.clear();
        try (Transaction tx = model.begin("proto::ctl")) {
            tx.setByController(c, c.def().param("Enable"), "1");
            assertThat(feed).isEmpty();
            tx.commit();
        }
        assertThat(feed).singleElement().isInstanceOfSatisfying(ModelChange.ValueChanged.class, vc -> {
            assertThat(vc.path()).isEqualTo("Device.LocalAgent.Controller.1.Enable");
            assertThat(vc.oldValue()).isEqualTo("false");
            assertThat(vc.newValue()).isEqualTo("true");
        });
    }

    @Test
    void rollbackRestoresValuesRowsAndCountsAndPublishesNothing() {
        ObjectNode c = model.addRow(agent(), "Controller", Map.of("EndpointID", "a"));
        feed.clear();
        try (Transaction tx = model.begin(null)) {
            tx.set(c, "EndpointID", "b");
            ObjectNode extra = tx.addRow(agent().table("Controller"), 0);
            tx.delete(c);
            assertThat(extra.isLive()).isTrue();
            tx.rollback();
        }
        assertThat(c.isLive()).isTrue();
        assertThat(c.value("EndpointID")).isEqualTo("a");
        assertThat(agent().rows("Controller")).containsExactly(c);
        assertThat(agent().value("ControllerNumberOfEntries")).isEqualTo("1");
        assertThat(feed).isEmpty();
    }

    @Test
    void savepointUndoesOnlyTheFailedPart() {
        ObjectNode c = model.addRow(agent(), "Controller", Map.of());
        try (Transaction tx = model.begin(null)) {
            tx.set(c, "EndpointID", "kept");
            Transaction.Savepoint sp = tx.savepoint();
            tx.set(c, "PeriodicNotifInterval", "60");
            tx.rollbackTo(sp);
            tx.commit();
        }
        assertThat(c.value("EndpointID")).isEqualTo("kept");
        assertThat(c.value("PeriodicNotifInterval")).isEqualTo("86400");
    }

    @Test
    void controllerWritesFollowAccessRules() {
        ObjectNode c = model.addRow(agent(), "Controller", Map.of());
        try (Transaction tx = model.begin("proto::ctl")) {
            assertThatThrownBy(() -> tx.setByController(c, c.def().param("Alias"), "other"))
                    .as("write-once Alias already assigned").extracting(e -> ((ModelException) e).code())
                    .isEqualTo(7013);
            assertThatThrownBy(() -> tx.setByController(c, c.def().param("Enable"), "yes"))
                    .extracting(e -> ((ModelException) e).code()).isEqualTo(7011);
            assertThatThrownBy(() -> tx.setByController(c, c.def().param("PeriodicNotifInterval"), "0"))
                    .extracting(e -> ((ModelException) e).code()).isEqualTo(7012);
            assertThatThrownBy(() -> tx.setByController(model.root(), model.root().def().param("UpTime"), "1"))
                    .extracting(e -> ((ModelException) e).code()).isEqualTo(7013);
        }
    }

    @Test
    void nonFunctionalKeysAreFixedAfterCreation() {
        ObjectNode ctl = model.addRow(agent(), "Controller", Map.of());
        ObjectNode s = model.addRow(agent(), "Subscription", Map.of("Recipient", ctl.referencePath()));
        try (Transaction tx = model.begin("proto::ctl")) {
            assertThatThrownBy(() -> tx.setByController(s, s.def().param("ID"), "new"))
                    .extracting(e -> ((ModelException) e).code()).isEqualTo(7013);
        }
    }

    @Test
    void duplicateKeysAreRefusedAtValidation() {
        model.addRow(agent(), "Controller", Map.of("EndpointID", "same", "Enable", "true"));
        try (Transaction tx = model.begin("proto::ctl")) {
            ObjectNode c = tx.addRowByController(agent().table("Controller"));
            tx.setByController(c, c.def().param("EndpointID"), "same");
            tx.setByController(c, c.def().param("Enable"), "true");
            assertThatThrownBy(tx::validate).extracting(e -> ((ModelException) e).code()).isEqualTo(7025);
        }
        assertThat(agent().rows("Controller")).hasSize(1);
    }

    @Test
    void functionalKeysNeedOnlyBeUniqueAmongEnabledRows() {
        model.addRow(agent(), "Controller", Map.of("EndpointID", "same", "Enable", "true"));
        ObjectNode disabled = model.addRow(agent(), "Controller", Map.of("EndpointID", "same"));
        assertThat(disabled.isLive()).isTrue();
        assertThatThrownBy(() -> model.set(disabled, "Enable", "true"))
                .extracting(e -> ((ModelException) e).code()).isEqualTo(7025);
    }

    @Test
    void strongReferencesMustExistAndAreClearedWhenTheTargetGoes() {
        ObjectNode ctl = model.addRow(agent(), "Controller", Map.of());
        assertThatThrownBy(() -> model.addRow(agent(), "Subscription",
                Map.of("Recipient", "Device.LocalAgent.Controller.9")))
                .extracting(e -> ((ModelException) e).code()).isEqualTo(7012);
        ObjectNode s = model.addRow(agent(), "Subscription",
                Map.of("Recipient", "Device.LocalAgent.Controller.1.", "Note", "Device.LocalAgent.Controller.1"));
        assertThat(s.value("Recipient")).as("canonical: no trailing dot").isEqualTo("Device.LocalAgent.Controller.1");
        ObjectNode weak = model.addRow(agent(), "Subscription", Map.of("Note", "Device.Nowhere.1"));
        assertThat(weak.value("Note")).isEqualTo("Device.Nowhere.1");

        model.delete(ctl);
        assertThat(s.value("Recipient")).isEmpty();
        assertThat(s.value("Note")).as("weak references stay").isEqualTo("Device.LocalAgent.Controller.1");
    }

    @Test
    void deletingARowDeletesItsSubRowsInnermostFirst() {
        ObjectNode ctl = model.addRow(agent(), "Controller", Map.of());
        ObjectNode bp = model.addRow(ctl, "BootParameter", Map.of("ParameterName", "Device.LocalAgent.EndpointID"));
        feed.clear();
        model.delete(ctl);
        assertThat(bp.isLive()).isFalse();
        assertThat(feed).filteredOn(ModelChange.ObjectDeleted.class::isInstance)
                .extracting(ch -> ch.object().path())
                .containsExactly("Device.LocalAgent.Controller.1.BootParameter.1.", "Device.LocalAgent.Controller.1.");
    }

    @Test
    void lifecycleHooksRunInsideTheTransaction() {
        SchemaBuilder b = new SchemaBuilder("Device", "urn:test");
        SchemaBuilder.ObjectBuilder t = b.table("Device.Thing.{i}.").access(TableAccess.ADD_DELETE);
        t.param("Min", ValueType.integer()).writable();
        t.param("Max", ValueType.integer()).writable().defaultValue("10");
        t.lifecycle(new RowLifecycle() {
            @Override
            public void validate(ObjectNode object, Transaction tx) {
                if (Integer.parseInt(object.value("Min")) > Integer.parseInt(object.value("Max"))) {
                    throw new ModelException(ErrorCode.VALUE_CONFLICT, "Min > Max");
                }
            }
        });
        DataModel m = new DataModel(b.build());
        ObjectNode row = m.addRow(m.root(), "Thing", Map.of("Min", "5"));
        try (Transaction tx = m.begin(null)) {
            tx.set(row, "Max", "1");
            tx.set(row, "Min", "0");   // the whole request is judged, not each value (MSG-8)
            tx.commit();
        }
        assertThatThrownBy(() -> m.set(row, "Min", "2")).extracting(e -> ((ModelException) e).code())
                .isEqualTo(7014);
        assertThat(row.value("Min")).isEqualTo("0");
    }

    @Test
    void mountedObjectsLiveUnderEachMountPointRow() {
        ObjectNode pd = model.addRow(model.root(), "ProxiedDevice", Map.of("Name", "lamp"));
        assertThat(pd.value("IoTCapabilityNumberOfEntries")).isEqualTo("0");
        ObjectNode cap = model.addRow(pd, "IoTCapability", Map.of("Class", "BinaryControl"));
        assertThat(cap.child("BinaryControl")).as("optional until its owner creates it").isNull();
        ObjectNode bc = model.ensureChild(cap, "BinaryControl");
        assertThat(bc.path()).isEqualTo("Device.ProxiedDevice.1.IoTCapability.1.BinaryControl.");
        assertThat(model.schema().object("Device.ProxiedDevice.{i}.IoTCapability.{i}.BinaryControl.")).isNotNull();
        assertThat(pd.value("IoTCapabilityNumberOfEntries")).isEqualTo("1");
    }

    @Test
    void boundWritesMustGoThroughTheOwner() {
        ObjectNode pd = model.addRow(model.root(), "ProxiedDevice", Map.of());
        ObjectNode cap = model.addRow(pd, "IoTCapability", Map.of("Class", "BinaryControl"));
        ObjectNode bc = model.ensureChild(cap, "BinaryControl");
        List<Map<ParamDef, String>> writes = new ArrayList<>();
        model.setOwner(bc, (node, values) -> {
            writes.add(values);
            return CompletableFuture.completedFuture(null);
        });
        try (Transaction tx = model.begin("proto::ctl")) {
            assertThatThrownBy(() -> tx.setByController(bc, bc.def().param("Value"), "true"))
                    .isInstanceOf(IllegalStateException.class);
        }
        bc.owner().write(bc, Map.of(bc.def().param("Value"), "true"));
        assertThat(writes).hasSize(1);
        model.set(bc, "Value", "true"); // the device's report
        assertThat(bc.value("Value")).isEqualTo("true");
    }

    @Test
    void mountedCopiesTakeDeclarationsButNotTheTemplatesBehaviour() {
        SchemaBuilder b = new SchemaBuilder("Device", "urn:test");
        b.object("Device.Info.").param("UpTime", ValueType.unsignedInt()).computed(n -> "99");
        b.object("Device.Info.").command("Reset()").handler(call -> null);
        b.object("Device.Info.").command("Reset()").input("Delay", ValueType.unsignedInt())
                .input("Delay", ValueType.unsignedInt().range(1, 10));
        b.table("Device.Remote.{i}.").mountPoint();
        b.mount("Device.Remote.{i}.", "Device.Info.");
        Schema s = b.build();
        ObjectDef copy = s.object("Device.Remote.{i}.Info.");
        assertThat(copy.param("UpTime").storage()).isEqualTo(ParamDef.Storage.STORED);
        assertThat(copy.param("UpTime").access()).isEqualTo(Access.READ_ONLY);
        assertThat(copy.command("Reset()").handler()).isNull();
        assertThat(s.object("Device.Info.").command("Reset()").handler()).isNotNull();
        assertThat(copy.command("Reset()").inputArgs()).as("declaring an argument twice refines it")
                .singleElement().satisfies(a -> assertThat(a.type().ranges()).hasSize(1));
        DataModel m = new DataModel(s);
        ObjectNode remote = m.addRow(m.root(), "Remote", Map.of());
        ObjectNode info = m.ensureChild(remote, "Info");
        assertThat(info.value("UpTime")).isEqualTo("0");
        assertThat(m.find("Device.Info.").value("UpTime")).isEqualTo("99");
    }

    @Test
    void unionMembersFollowTheirDiscriminator() {
        SchemaBuilder b = new SchemaBuilder("Device", "urn:test");
        SchemaBuilder.ObjectBuilder mtp = b.table("Device.MTP.{i}.").access(TableAccess.ADD_DELETE);
        mtp.param("Protocol", ValueType.enumeration("MQTT", "STOMP")).writable();
        b.object("Device.MTP.{i}.MQTT.").presentWhen("Protocol", "MQTT")
                .param("Topic", ValueType.string()).writable();
        b.object("Device.MTP.{i}.STOMP.").presentWhen("Protocol", "STOMP")
                .param("Destination", ValueType.string()).writable();
        DataModel m = new DataModel(b.build());
        ObjectNode row = m.addRow(m.root(), "MTP", Map.of("Protocol", "MQTT", "MQTT.Topic", "a/b"));
        assertThat(row.child("MQTT").value("Topic")).isEqualTo("a/b");
        assertThat(row.child("STOMP")).isNull();
        m.set(row, "Protocol", "STOMP");
        assertThat(row.child("MQTT")).isNull();
        assertThat(row.child("STOMP")).isNotNull();
        try (Transaction tx = m.begin(null)) {
            tx.set(row, "Protocol", "MQTT");
            tx.rollback();
        }
        assertThat(row.child("MQTT")).as("rolled back with the discriminator").isNull();
        assertThat(row.child("STOMP")).isNotNull();
    }

    @Test
    void computedValuesAreReadLive() {
        assertThat(model.root().value("UpTime")).isEqualTo("42");
        assertThat(model.root().def().param("UpTime").isValueChangeAllowed()).isFalse();
    }

    @Test
    void changesFromAnotherThreadAreRefusedOnceBound() throws Exception {
        model.bindToCurrentThread();
        Thread t = new Thread(() -> assertThatThrownBy(() -> model.addRow(agent(), "Controller", Map.of()))
                .isInstanceOf(IllegalStateException.class));
        t.start();
        t.join();
        assertThat(agent().rows("Controller")).isEmpty();
    }

    @Test
    void supportedPathOfReplacesInstanceNumbers() {
        assertThat(Schema.supportedPathOf("Device.LocalAgent.Controller.12.MTP.3.Enable"))
                .isEqualTo("Device.LocalAgent.Controller.{i}.MTP.{i}.Enable");
    }

    @Test
    void aMemoLastsUntilOneOfTheObjectsValuesChangesOrAChangeIsUndone() {
        ObjectNode c = model.addRow(agent(), "Controller", Map.of("EndpointID", "proto::c1"));
        c.memo("derived");
        model.set(c, "EndpointID", "proto::c1");
        assertThat(c.memo()).as("an unchanged value").isEqualTo("derived");
        model.set(agent(), "ControllerNumberOfEntries", "1");
        assertThat(c.memo()).as("another object's value").isEqualTo("derived");

        model.set(c, "Enable", "true");
        assertThat(c.memo()).isNull();

        Transaction tx = model.begin("test");
        tx.set(c, "PeriodicNotifInterval", "60");
        c.memo("derived from 60");
        tx.rollback();
        tx.close();
        assertThat(c.memo()).as("derived from a value the rollback undid").isNull();
        assertThat(c.value("PeriodicNotifInterval")).isEqualTo("86400");
    }

    @Test
    void forEachChildObjectVisitsWhatChildObjectsLists() {
        model.addRow(agent(), "Controller", Map.of("EndpointID", "proto::c1"));
        model.addRow(agent(), "Controller", Map.of("EndpointID", "proto::c2"));
        model.addRow(agent(), "Subscription", Map.of("Recipient", "Device.LocalAgent.Controller.1"));
        List<ObjectNode> visited = new ArrayList<>();
        agent().forEachChildObject(visited::add);
        assertThat(visited).isEqualTo(agent().childObjects()).extracting(ObjectNode::path).containsExactly(
                "Device.LocalAgent.Controller.1.", "Device.LocalAgent.Controller.2.",
                "Device.LocalAgent.Subscription.1.");
    }
}
