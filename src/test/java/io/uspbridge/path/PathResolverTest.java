package io.uspbridge.path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uspbridge.model.DataModel;
import io.uspbridge.model.ModelException;
import io.uspbridge.model.ObjectNode;
import io.uspbridge.model.ParamDef;
import io.uspbridge.model.Table;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Resolution of addresses, wildcards, searches and unique keys against the fixture model (PATH-1 … PATH-6). */
class PathResolverTest {
    private static final String C = "Device.LocalAgent.Controller.";
    private static final String S = "Device.LocalAgent.Subscription.";

    private DataModel model;
    private PathResolver resolver;

    @BeforeEach
    void setUp() {
        model = PathFixture.model();
        resolver = new PathResolver(model);
    }

    private Resolution resolve(String path) {
        return resolver.resolve(path, ReadAccess.ALL);
    }

    private List<String> paths(String path) {
        return paths(resolve(path));
    }

    static List<String> paths(Resolution r) {
        return r.objects().stream().map(ObjectNode::path).toList();
    }

    static int code(Runnable r) {
        try {
            r.run();
        } catch (ModelException e) {
            return e.code();
        }
        throw new AssertionError("no ModelException");
    }

    // ---- addressing -------------------------------------------------------------------------------------------

    @Test
    void rootAndSingleObjects() {
        Resolution root = resolve("Device.");
        assertThat(root.objects()).containsExactly(model.root());
        assertThat(root.objectDef()).isSameAs(model.schema().root());
        assertThat(root.search()).isFalse();
        assertThat(root.tables()).isEmpty();
        assertThat(root.isTablePath()).isFalse();

        assertThat(paths("Device.DeviceInfo.")).containsExactly("Device.DeviceInfo.");
        assertThat(paths("Device.LocalAgent.Controller.1.E2ESession.")).containsExactly(C + "1.E2ESession.");
    }

    @Test
    void instanceParameterCommandAndEventPaths() {
        Resolution inst = resolve(C + "2.BootParameter.1.");
        assertThat(paths(inst)).containsExactly(C + "2.BootParameter.1.");
        assertThat(inst.objectDef().path()).isEqualTo(C + "{i}.BootParameter.{i}.");
        assertThat(inst.search()).isFalse();

        Resolution param = resolve(C + "1.Enable");
        assertThat(param.kind()).isEqualTo(PathKind.PARAMETER);
        assertThat(paths(param)).as("the holder (GET-3)").containsExactly(C + "1.");
        assertThat(param.objectDef().param("Enable")).isNotNull();
        assertThat(param.leafName()).isEqualTo("Enable");

        Resolution sub = resolve(C + "1.E2ESession.Status");
        assertThat(paths(sub)).containsExactly(C + "1.E2ESession.");

        Resolution cmd = resolve("Device.Reboot()");
        assertThat(cmd.kind()).isEqualTo(PathKind.COMMAND);
        assertThat(cmd.objects()).containsExactly(model.root());
        assertThat(paths(C + "3.SendOnBoardRequest()")).containsExactly(C + "3.");

        Resolution event = resolve("Device.Boot!");
        assertThat(event.kind()).isEqualTo(PathKind.EVENT);
        assertThat(event.objects()).containsExactly(model.root());
    }

    @Test
    void tablePathListsAllRowsAndTheTable() {
        Resolution r = resolve(C);
        assertThat(paths(r)).containsExactly(C + "1.", C + "2.", C + "3.");
        assertThat(r.tables()).extracting(Table::path).containsExactly(C);
        assertThat(r.objectDef().path()).as("the row definition").isEqualTo(C + "{i}.");
        assertThat(r.isTablePath()).isTrue();
        assertThat(r.search()).isFalse();
    }

    @Test
    void tp469_1_87_emptyTableIsAnExistingTableWithoutRows() {
        Resolution r = resolve(C + "3.BootParameter.");
        assertThat(r.objects()).isEmpty();
        assertThat(r.tables()).extracting(Table::path).containsExactly(C + "3.BootParameter.");
        assertThat(r.isTablePath()).isTrue();
        assertThat(r.search()).isFalse();
    }

    @Test
    void validPathToAMissingInstanceIsEmptyAndNotASearch() {
        // GET-5: a non-search path not in the instantiated model; the handler answers 7026 (Get) or success (Delete).
        Resolution r = resolve(C + "9.");
        assertThat(r.objects()).isEmpty();
        assertThat(r.search()).isFalse();
        assertThat(r.objectDef().path()).isEqualTo(C + "{i}.");

        Resolution deep = resolve(C + "9.BootParameter.1.Enable");
        assertThat(deep.objects()).isEmpty();
        assertThat(deep.search()).isFalse();
        assertThat(deep.objectDef().path()).isEqualTo(C + "{i}.BootParameter.{i}.");

        Resolution table = resolve(C + "9.BootParameter.");
        assertThat(table.tables()).isEmpty();
        assertThat(table.isTablePath()).as("still a table path, of a parent that does not exist").isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "Device.LocalAgent.InvalidObject.",              // TP-469 1.4, 1.26
        "Device.LocalAgent.Controller.1.InvalidParameter", // TP-469 1.41
        "Device.LocalAgent.Controller.Enable",           // a table needs an instance before a parameter
        "Device.LocalAgent.Controller.BootParameter.",   // ... and before a child
        "Device.DeviceInfo.1.",                          // instance of a single object
        "Device.DeviceInfo.*.",
        "Device.DeviceInfo.[Manufacturer==\"x\"].",
        "Device.LocalAgent.Controller.1.Enable.",        // a parameter used as object
        "Device.LocalAgent.Controller.1.E2ESession",     // an object used as parameter
        "Device.LocalAgent.Controller.1.Reboot()",       // command of another object
        "Device.Reboot",                                 // a command written as a parameter
        "Device.LocalAgent.EndpointID()",
        "Device.Nope!",
        "Device.DeviceInfo.Boot!",
        "Other.",                                        // another root
        "Devices.DeviceInfo.",
        "Device.LocalAgent.Controller.*.Nope",           // unknown even when searching (GET-5)
        "Device.LocalAgent.Controller.[Enable==true].Nope.",
    })
    void notInTheSupportedModelIs7026(String path) {
        assertThat(code(() -> resolve(path))).isEqualTo(7026);
    }

    @Test
    void errorMessagesExplainTheMistake() {
        assertThatThrownBy(() -> resolve("Device.Reboot")).hasMessageContaining("it is a command (Reboot())");
        assertThatThrownBy(() -> resolve(C + "Enable"))
                .hasMessageContaining(C + " is a table: an instance number, '*' or a search expression");
        assertThatThrownBy(() -> resolve(C + "1.Enable.")).hasMessageContaining("(it is a parameter)");
        assertThatThrownBy(() -> resolve("Device.DeviceInfo.1.")).hasMessageContaining("which is not a table");
        assertThatThrownBy(() -> resolve("Other.")).hasMessageContaining("the root object is 'Device.'");
    }

    // ---- wildcards (PATH-5) and search expressions (PATH-6) ---------------------------------------------------

    @Test
    void tp469_1_44_wildcardOnAParameter() {
        Resolution r = resolve(S + "*.Enable");
        assertThat(paths(r)).containsExactly(S + "1.", S + "2.", S + "3.");
        assertThat(r.search()).isTrue();
    }

    @Test
    void tp469_1_45_wildcardOnAnObject() {
        Resolution r = resolve(S + "*.");
        assertThat(paths(r)).containsExactly(S + "1.", S + "2.", S + "3.");
        assertThat(r.tables()).as("an instance path, not a table path").isEmpty();
        assertThat(r.isTablePath()).isFalse();
    }

    @Test
    void tp469_1_19_and_1_34_wildcardsOverNestedTables() {
        assertThat(paths(C + "*.BootParameter.*."))
                .containsExactly(C + "1.BootParameter.1.", C + "1.BootParameter.2.", C + "2.BootParameter.1.");
        assertThat(paths(C + "*.MTP.*.MQTT.Reference"))
                .containsExactly(C + "1.MTP.1.MQTT.", C + "2.MTP.1.MQTT.", C + "2.MTP.2.MQTT.");
    }

    @Test
    void tp469_1_46_searchEquivalence() {
        Resolution r = resolve(S + "[Enable==true].");
        assertThat(paths(r)).containsExactly(S + "1.", S + "3.");
        assertThat(r.search()).isTrue();
    }

    @Test
    void tp469_1_47_searchNonEquivalence() {
        assertThat(paths(S + "[Enable!=true].")).containsExactly(S + "2.");
    }

    @Test
    void tp469_1_48_searchExclusiveGreater() {
        assertThat(paths(S + "[NotifExpiration>10].")).containsExactly(S + "3.");
    }

    @Test
    void tp469_1_49_searchExclusiveLesser() {
        assertThat(paths(S + "[NotifExpiration<10].")).containsExactly(S + "1.");
    }

    @Test
    void tp469_1_50_searchInclusiveGreater() {
        assertThat(paths(S + "[NotifExpiration>=10].")).containsExactly(S + "2.", S + "3.");
    }

    @Test
    void tp469_1_51_searchInclusiveLesser() {
        assertThat(paths(S + "[NotifExpiration<=10].NotifExpiration")).containsExactly(S + "1.", S + "2.");
    }

    @Test
    void tp469_1_22_searchWithSeveralComponents() {
        assertThat(paths(S + "[Enable==true&&NotifType==\"Event\"]."))
                .containsExactly(S + "3.");
        assertThat(paths(S + "[ Enable == true && NotifExpiration >= 5 ].")).containsExactly(S + "1.", S + "3.");
    }

    @Test
    void tp469_1_23_and_1_82_searchMatchingNothingIsAnEmptySearch() {
        Resolution r = resolve(S + "[NotifExpiration>1000].");
        assertThat(r.objects()).isEmpty();
        assertThat(r.search()).as("MSG-6: empty success, not 7026").isTrue();
        assertThat(r.objectDef().path()).isEqualTo(S + "{i}.");
    }

    @Test
    void tp469_1_86_searchOverAnEmptyTable() {
        Resolution r = resolve(C + "3.BootParameter.[Enable==true].");
        assertThat(r.objects()).isEmpty();
        assertThat(r.search()).isTrue();
    }

    @Test
    void tp469_1_83_nestedSearchMatchingNothing() {
        Resolution r = resolve(C + "*.BootParameter.[ParameterName==\"Device.Nothing.\"].");
        assertThat(r.objects()).isEmpty();
        assertThat(r.search()).isTrue();
    }

    @Test
    void tp469_1_35_searchOnANestedTable() {
        assertThat(paths(C + "1.BootParameter.[Enable==true].")).containsExactly(C + "1.BootParameter.1.");
        assertThat(paths(C + "*.BootParameter.[Enable==true].")).containsExactly(C + "1.BootParameter.1.",
                C + "2.BootParameter.1.");
    }

    @Test
    void tp469_1_95_searchAddressesTheTablesToAddTo() {
        Resolution r = resolve(C + "[Enable==true].BootParameter.");
        assertThat(r.isTablePath()).isTrue();
        assertThat(r.tables()).extracting(Table::path).containsExactly(C + "1.BootParameter.", C + "3.BootParameter.");
        assertThat(paths(r)).containsExactly(C + "1.BootParameter.1.", C + "1.BootParameter.2.");
        assertThat(r.search()).isTrue();
    }

    @Test
    void searchesAtSeveralLevels() {
        assertThat(paths(C + "[Enable==true].BootParameter.[Enable==false].ParameterName"))
                .containsExactly(C + "1.BootParameter.2.");
        assertThat(paths(C + "*.MTP.[Protocol==\"WebSocket\"].")).containsExactly(C + "2.MTP.2.");
    }

    @Test
    void relativePathsCrossSingleInstanceObjects() {
        assertThat(paths(C + "[E2ESession.Status==\"Up\"].")).containsExactly(C + "1.");
        assertThat(paths(C + "*.MTP.[MQTT.Topic==\"usp/c1\"].")).containsExactly(C + "1.MTP.1.");
    }

    @Test
    void relativePathsMustNotDescendIntoATable() {
        ModelException e = (ModelException) org.assertj.core.api.Assertions.catchThrowable(
                () -> resolve(C + "[BootParameter.Enable==true]."));
        assertThat(e.code()).isEqualTo(7026);
        assertThat(e.getMessage()).contains("descends into the table " + C + "{i}.BootParameter.");
    }

    @Test
    void unknownParametersInAnExpressionAre7026() {
        assertThat(code(() -> resolve(S + "[Nope==1]."))).isEqualTo(7026);
        assertThat(code(() -> resolve(C + "[E2ESession.Nope==\"x\"]."))).isEqualTo(7026);
        assertThat(code(() -> resolve(C + "[E2ESession==\"x\"].")))
                .as("an object is not a parameter").isEqualTo(7026);
        assertThat(code(() -> resolve(C + "[Nope.Status==\"x\"].")))
                .isEqualTo(7026);
        assertThatThrownBy(() -> resolve(C + "[E2ESession==\"x\"]."))
                .hasMessageContaining("'E2ESession' is an object, not a parameter");
    }

    @Test
    void expressionsAreCheckedEvenWhenThereAreNoRowsToTest() {
        assertThat(code(() -> resolve(C + "3.BootParameter.[Nope==true].")))
                .isEqualTo(7026);
        assertThat(code(() -> resolve(C + "3.BootParameter.[Enable==\"true\"].")))
                .isEqualTo(7008);
        assertThat(code(() -> resolve(C + "9.BootParameter.[Enable>true].")))
                .isEqualTo(7008);
    }

    // ---- unique-key addressing (PATH-4) -----------------------------------------------------------------------

    @Test
    void tp469_1_18_and_1_33_uniqueKeyAddressingIsNotASearch() {
        Resolution r = resolve(C + "[EndpointID==\"proto::c2\"].");
        assertThat(paths(r)).containsExactly(C + "2.");
        assertThat(r.search()).isFalse();

        Resolution alias = resolve(C + "[Alias==\"cpe-3\"].");
        assertThat(paths(alias)).containsExactly(C + "3.");
        assertThat(alias.search()).isFalse();
    }

    @Test
    void tp469_1_43_uniqueKeyAddressedParameter() {
        Resolution r = resolve(C + "[EndpointID==\"proto::c1\"].PeriodicNotifInterval");
        assertThat(paths(r)).containsExactly(C + "1.");
        assertThat(r.search()).isFalse();
    }

    @Test
    void tp469_1_10_uniqueKeyAddressedParentOfATable() {
        Resolution r = resolve(C + "[EndpointID==\"proto::c1\"].BootParameter.");
        assertThat(r.tables()).extracting(Table::path).containsExactly(C + "1.BootParameter.");
        assertThat(r.search()).isFalse();
    }

    @Test
    void multiParameterKeysNeedEveryParameterInAnyOrder() {
        Resolution both = resolve(S + "[ID==\"sub-1\"&&Recipient==\"Device.LocalAgent.Controller.1\"].");
        assertThat(paths(both)).containsExactly(S + "1.");
        assertThat(both.search()).isFalse();

        Resolution partial = resolve(S + "[Recipient==\"Device.LocalAgent.Controller.1\"].");
        assertThat(paths(partial)).as("omitting a key parameter makes it a search").containsExactly(S + "1.", S + "2.");
        assertThat(partial.search()).isTrue();

        Resolution extra = resolve(C + "[EndpointID==\"proto::c1\"&&Enable==true].");
        assertThat(extra.search()).as("more than a key: a search").isTrue();
        assertThat(resolve(C + "[EndpointID!=\"proto::c1\"].").search()).isTrue();
        assertThat(resolve(C + "[EndpointID==\"proto::c1\"&&EndpointID==\"proto::c1\"].").search()).isTrue();
    }

    @Test
    void uniqueKeyAddressOfAMissingRowIsEmptyAndNotASearch() {
        // GET-5: an unmatched complete unique-key address is 7026 for Get, so the handler must see search=false.
        Resolution r = resolve(C + "[EndpointID==\"proto::nobody\"].");
        assertThat(r.objects()).isEmpty();
        assertThat(r.search()).isFalse();
    }

    @Test
    void numericKeysAreComparedAsNumbers() {
        Resolution r = resolve(PathFixture.ROLE + "1.Permission.[Order==+02].");
        assertThat(paths(r)).containsExactly(PathFixture.ROLE + "1.Permission.2.");
        assertThat(r.search()).isFalse();
    }

    // ---- mount points ---------------------------------------------------------------------------------------

    @Test
    void mountedObjectsResolveLikeAnyOther() {
        String pd = "Device.ProxiedDevice.";
        assertThat(paths(pd + "*.IoTCapability.*.")).containsExactly(pd + "1.IoTCapability.1.",
                pd + "1.IoTCapability.2.", pd + "2.IoTCapability.1.");
        Resolution value = resolve(pd + "*.IoTCapability.*.BinaryControl.Value");
        assertThat(paths(value)).as("sensor's optional BinaryControl is absent: not matched")
                .containsExactly(pd + "1.IoTCapability.1.BinaryControl.");
        assertThat(value.objectDef().path()).isEqualTo(pd + "{i}.IoTCapability.{i}.BinaryControl.");
        assertThat(paths(pd + "1.IoTCapability.[Class==\"LevelControl\"].LevelControl.Value"))
                .containsExactly(pd + "1.IoTCapability.2.LevelControl.");
        assertThat(paths(pd + "*.IoTCapability.*.BinaryControl.Toggle()"))
                .containsExactly(pd + "1.IoTCapability.1.BinaryControl.");

        Resolution absent = resolve(pd + "2.IoTCapability.1.BinaryControl.");
        assertThat(absent.objects()).isEmpty();
        assertThat(absent.search()).isFalse();

        Resolution key = resolve(pd + "[Name==\"lamp\"].IoTCapability.[Name==\"dimmer\"].LevelControl.Unit");
        assertThat(paths(key)).containsExactly(pd + "1.IoTCapability.2.LevelControl.");
        assertThat(key.search()).isFalse();
        assertThat(paths(pd + "*.IoTCapability.[LevelControl.Value>40].")).containsExactly(pd + "1.IoTCapability.2.");
    }

    // ---- tree order, no duplicates ----------------------------------------------------------------------------

    @Test
    void resultsAreInTreeOrderWithoutDuplicates() {
        // Subscriptions 1 and 2 both name Controller 1: it is listed once, and before Controller 2.
        assertThat(paths(S + "[NotifExpiration>0].Recipient+.")).containsExactly(C + "1.", C + "2.");
        // Several routes to one Permission table: Controllers 1 and 3 both hold Role 1.
        model.set(model.find(C + "3."), "AssignedRole", PathFixture.ROLE + "1");
        assertThat(paths(C + "*.AssignedRole#*+.Permission.[Enable==true]."))
                .containsExactly(PathFixture.ROLE + "1.Permission.1.");
        assertThat(paths(C + "*.AssignedRole#*+.Permission.*.Targets")).containsExactly(
                PathFixture.ROLE + "1.Permission.1.", PathFixture.ROLE + "1.Permission.2.",
                PathFixture.ROLE + "2.Permission.1.");
        Resolution tables = resolve(C + "*.AssignedRole#*+.Permission.");
        assertThat(tables.tables()).extracting(Table::path).containsExactly(PathFixture.ROLE + "1.Permission.",
                PathFixture.ROLE + "2.Permission.", PathFixture.ROLE + "3.Permission.");
    }

    @Test
    void referencesListedOutOfOrderComeBackInTreeOrder() {
        model.set(model.find(C + "3."), "AssignedRole", PathFixture.ROLE + "3," + PathFixture.ROLE + "1");
        assertThat(paths(C + "3.AssignedRole#*+.")).containsExactly(PathFixture.ROLE + "1.", PathFixture.ROLE + "3.");
    }

    // ---- what the controller may read -------------------------------------------------------------------------

    /** Denies reading the objects and parameters the predicates select. */
    private static ReadAccess deny(Predicate<ObjectNode> object, Predicate<ParamDef> param) {
        return new ReadAccess() {
            @Override
            public boolean canReadObject(ObjectNode node) {
                return !object.test(node);
            }

            @Override
            public boolean canReadParam(ObjectNode node, ParamDef p) {
                return !param.test(p);
            }
        };
    }

    @Test
    void unreadableObjectsAreAbsent() {
        ReadAccess noC2 = deny(n -> n.path().startsWith(C + "2."), p -> false);
        assertThat(paths(resolver.resolve(C + "*.", noC2))).containsExactly(C + "1.", C + "3.");
        assertThat(paths(resolver.resolve(C, noC2))).containsExactly(C + "1.", C + "3.");
        assertThat(paths(resolver.resolve(C + "*.BootParameter.*.", noC2)))
                .containsExactly(C + "1.BootParameter.1.", C + "1.BootParameter.2.");
        Resolution direct = resolver.resolve(C + "2.Enable", noC2);
        assertThat(direct.objects()).isEmpty();
        assertThat(direct.search()).isFalse();
        assertThat(resolver.resolve(C + "[EndpointID==\"proto::c2\"].", noC2).objects()).isEmpty();
        assertThat(resolver.resolve("Device.", deny(n -> true, p -> false)).objects()).isEmpty();
        ReadAccess noE2E = deny(n -> n.def().name().equals("E2ESession"), p -> false);
        assertThat(resolver.resolve(C + "*.E2ESession.Status", noE2E).objects()).isEmpty();
        assertThat(resolver.resolve(C + "[E2ESession.Status==\"Down\"].", noE2E).objects()).isEmpty();
    }

    @Test
    void searchingOnAnUnreadableParameterTreatsTheInstanceAsAbsent() {
        ReadAccess noEnable = deny(n -> false, p -> p.name().equals("Enable"));
        assertThat(resolver.resolve(S + "[Enable==true].", noEnable).objects()).isEmpty();
        assertThat(resolver.resolve(S + "[Enable!=true].", noEnable).objects())
                .as("whatever the operator").isEmpty();
        assertThat(paths(resolver.resolve(S + "[NotifExpiration<=10].", noEnable)))
                .as("other parameters still searchable").containsExactly(S + "1.", S + "2.");
        assertThat(resolver.resolve(C + "[EndpointID==\"proto::c1\"].",
                deny(n -> false, p -> p.name().equals("EndpointID"))).objects())
                .as("also for unique-key addressing").isEmpty();
        // The leaf parameter's own permission is the handler's decision (Set needs write, not read).
        assertThat(paths(resolver.resolve(S + "1.Enable", noEnable))).containsExactly(S + "1.");
    }
}
