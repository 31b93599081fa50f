package io.uspbridge.path;

import static io.uspbridge.path.PathResolverTest.code;
import static io.uspbridge.path.PathResolverTest.paths;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uspbridge.model.DataModel;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Typed comparison in search expressions (PATH-6): constants are converted to the parameter's type, the operators
 * that do not apply to a type and constants that do not fit it are invalid path syntax (7008).
 */
class SearchTypingTest {
    private static final String C = "Device.LocalAgent.Controller.";
    private static final String S = "Device.LocalAgent.Subscription.";
    private static final String H = "Device.Hosts.Host.";
    private static final String SS = "Device.PeriodicStatistics.SampleSet.";
    private static final String P = PathFixture.ROLE + "1.Permission.";

    private DataModel model;
    private PathResolver resolver;

    @BeforeEach
    void setUp() {
        model = PathFixture.model();
        resolver = new PathResolver(model);
    }

    private List<String> paths(String path) {
        return PathResolverTest.paths(resolver.resolve(path, ReadAccess.ALL));
    }

    @Test
    void numbersAreComparedAfterConversion() {
        // "int values 123, +123 and 0123 all represent the same value"
        assertThat(paths(S + "[NotifExpiration==10].")).containsExactly(S + "2.");
        assertThat(paths(S + "[NotifExpiration==+10].")).containsExactly(S + "2.");
        assertThat(paths(S + "[NotifExpiration==010].")).containsExactly(S + "2.");
        assertThat(paths(S + "[NotifExpiration!=0010].")).containsExactly(S + "1.", S + "3.");
        assertThat(paths(H + "[LeaseTimeRemaining<0].")).containsExactly(H + "1.");
        assertThat(paths(H + "[LeaseTimeRemaining==-1].")).containsExactly(H + "1.");
        assertThat(paths(H + "[LeaseTimeRemaining>=-1].")).containsExactly(H + "1.", H + "2.");
        assertThat(paths(SS + "[Ratio>0.75].")).containsExactly(SS + "2.");
        assertThat(paths(SS + "[Ratio==.50].")).containsExactly(SS + "1.");
        assertThat(paths(SS + "[Ratio==+2.250].")).containsExactly(SS + "2.");
        assertThat(paths(SS + "[Ratio<3].")).containsExactly(SS + "1.", SS + "2.");
    }

    @Test
    void constantsOutsideTheParametersRangeAreStillComparisons() {
        assertThat(paths(C + "[PeriodicNotifInterval>0].")).containsExactly(C + "1.", C + "2.", C + "3.");
        assertThat(paths("Device.MQTT.Client.[BrokerPort<70000].")).hasSize(2);
        assertThat(paths(S + "[NotifExpiration>-5].")).hasSize(3);
        assertThat(paths(S + "[NotifExpiration<99999999999999999999999].")).hasSize(3);
    }

    @Test
    void booleansAreUnquotedAndOneEqualsTrue() {
        assertThat(paths(S + "[Enable==1].")).isEqualTo(paths(S + "[Enable==true]."))
                .containsExactly(S + "1.", S + "3.");
        assertThat(paths(S + "[Enable==0].")).containsExactly(S + "2.");
        assertThat(paths(S + "[Enable!=false].")).containsExactly(S + "1.", S + "3.");
    }

    @Test
    void stringsAreQuotedWithPercentEscapes() {
        assertThat(paths(C + "[ProvisioningCode==\"\"].")).containsExactly(C + "1.", C + "2.", C + "3.");
        assertThat(paths(S + "[ID==\"sub%22%253\"].")).as("ID is sub\"%3").containsExactly(S + "3.");
        assertThat(paths(S + "[NotifType==\"Event\"].")).containsExactly(S + "3.");
        assertThat(paths(S + "[NotifType==\"NotAnEnumValue\"].")).as("no match, no error").isEmpty();
        assertThat(paths(S + "[Recipient==\"Device.LocalAgent.Controller.2\"].")).containsExactly(S + "3.");
    }

    @Test
    void dateTimesAreComparedAsInstants() {
        assertThat(paths(S + "[CreationDate>2024-06-01T00:00:00Z].")).containsExactly(S + "3.");
        assertThat(paths(S + "[CreationDate==2025-06-01T14:00:00+02:00].")).containsExactly(S + "3.");
        assertThat(paths(S + "[CreationDate==\"2024-01-01T00:00:00Z\"].")).as("quoted accepted too")
                .containsExactly(S + "1.");
        // Subscription 2 has the Unknown Time: equal to itself, never before or after anything.
        assertThat(paths(S + "[CreationDate==0001-01-01T00:00:00Z].")).containsExactly(S + "2.");
        assertThat(paths(S + "[CreationDate!=0001-01-01T00:00:00Z].")).containsExactly(S + "1.", S + "3.");
        assertThat(paths(S + "[CreationDate<2030-01-01T00:00:00Z].")).containsExactly(S + "1.", S + "3.");
        assertThat(paths(S + "[CreationDate>1970-01-01T00:00:00Z].")).containsExactly(S + "1.", S + "3.");
    }

    @Test
    void hexBinaryIgnoresCase() {
        assertThat(paths(H + "[ClientID==\"0a1b\"].")).containsExactly(H + "1.");
        assertThat(paths(H + "[ClientID==FF].")).containsExactly(H + "2.");
        assertThat(paths(H + "[ClientID!=FF].")).containsExactly(H + "1.");
    }

    @Test
    void containsTestsOneItemOfAList() {
        assertThat(paths(SS + "[SampleSeconds~=5].")).containsExactly(SS + "1.");
        assertThat(paths(SS + "[SampleSeconds~=+05].")).containsExactly(SS + "1.");
        assertThat(paths(SS + "[SampleSeconds~=1].")).as("an item, not a substring").isEmpty();
        assertThat(paths(P + "[Targets~=\"Device.DeviceInfo.\"].")).containsExactly(P + "2.");
        assertThat(paths(P + "[Targets~=\"Device.\"].")).containsExactly(P + "1.");
        assertThat(paths(C + "[AssignedRole~=\"" + PathFixture.ROLE + "2\"].")).containsExactly(C + "1.");
    }

    @Test
    void equalityOnAListComparesTheWholeList() {
        assertThat(paths(S + "[ReferenceList==\"Device.DeviceInfo., Device.LocalAgent.\"].")).containsExactly(S + "1.");
        assertThat(paths(S + "[ReferenceList==\"Device.DeviceInfo.\"].")).isEmpty();
        assertThat(paths(SS + "[SampleSeconds==\"15\"].")).containsExactly(SS + "2.");
        assertThat(paths(SS + "[SampleSeconds!=\"15\"].")).containsExactly(SS + "1.");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        S + "[Enable==\"true\"].",                 // TR-369's own example: a boolean is not a string
        S + "[Enable==yes].",
        S + "[Enable==2].",
        S + "[Enable>true].",                      // only == and != for booleans
        S + "[Enable~=true].",                     // ~= only for lists
        S + "[NotifType==Event].",                 // strings must be quoted
        S + "[NotifType>\"Event\"].",              // only == and != for strings (and enumerations)
        S + "[NotifType<=\"Event\"].",
        S + "[ID~=\"sub-1\"].",
        S + "[NotifExpiration==\"10\"].",          // numbers are not quoted
        S + "[NotifExpiration==1.5].",             // not an integer
        S + "[NotifExpiration==1e3].",
        S + "[NotifExpiration==ten].",
        S + "[NotifExpiration==-].",
        SS + "[Ratio==1.2.3].",
        SS + "[Ratio==\"0.5\"].",
        S + "[CreationDate<0001-01-01T00:00:00Z].", // the Unknown Time only with == and !=
        S + "[CreationDate>=\"0001-01-01T00:00:00Z\"].",
        S + "[CreationDate>yesterday].",
        S + "[CreationDate==2024-13-01T00:00:00Z].",
        H + "[ClientID<\"00\"].",                  // hexBinary: == and != only
        H + "[ClientID==0G].",
        SS + "[SampleSeconds~=\"5\"].",            // a list of numbers holds numbers
        SS + "[SampleSeconds~=five].",
        SS + "[SampleSeconds>5].",                 // lists are not ordered
        SS + "[SampleSeconds==5].",                // the whole list is a string
        P + "[Targets~=Device.].",                 // a list of strings holds strings
        P + "[Targets<\"x\"].",
    })
    void typeInvalidExpressionsAre7008(String path) {
        assertThat(code(() -> resolver.resolve(path, ReadAccess.ALL))).isEqualTo(7008);
    }

    @Test
    void typeErrorsSayWhy() {
        assertThatThrownBy(() -> resolver.resolve(S + "[Enable==\"true\"].", ReadAccess.ALL))
                .hasMessageContaining("Enable is a boolean: write true, false, 1 or 0 without quotes");
        assertThatThrownBy(() -> resolver.resolve(S + "[NotifType>\"Event\"].", ReadAccess.ALL))
                .hasMessageContaining("only == and != apply, not >");
        assertThatThrownBy(() -> resolver.resolve(S + "[Enable~=true].", ReadAccess.ALL))
                .hasMessageContaining("'~=' applies only to list parameters");
        assertThatThrownBy(() -> resolver.resolve(S + "[CreationDate<0001-01-01T00:00:00Z].", ReadAccess.ALL))
                .hasMessageContaining("the Unknown Time can only be compared with == or !=");
    }

    @Test
    void computedValuesThatAreNotNumbersMatchNoComparison() {
        // A computed parameter may read "" (e.g. an unavailable counter): it satisfies no numeric comparison.
        io.uspbridge.model.SchemaBuilder b = new io.uspbridge.model.SchemaBuilder("Device", "urn:test");
        b.object("Device.");
        b.table("Device.Counter.{i}.").param("Value", io.uspbridge.model.ValueType.unsignedInt())
                .computed(n -> n.instance() == 1 ? "" : "7");
        DataModel m = new DataModel(b.build());
        m.addRow(m.root(), "Counter", java.util.Map.of());
        m.addRow(m.root(), "Counter", java.util.Map.of());
        PathResolver r = new PathResolver(m);
        assertThat(PathResolverTest.paths(r.resolve("Device.Counter.[Value>=0].", ReadAccess.ALL)))
                .containsExactly("Device.Counter.2.");
        assertThat(PathResolverTest.paths(r.resolve("Device.Counter.[Value!=7].", ReadAccess.ALL))).isEmpty();
    }
}
