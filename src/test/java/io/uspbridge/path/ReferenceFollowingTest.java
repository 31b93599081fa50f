package io.uspbridge.path;

import static io.uspbridge.path.PathResolverTest.code;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uspbridge.model.DataModel;
import io.uspbridge.model.ObjectNode;
import io.uspbridge.model.ParamDef;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Reference following (PATH-7): {@code +}, {@code #N+}, {@code #*+}, in paths and inside search expressions. */
class ReferenceFollowingTest {
    private static final String C = "Device.LocalAgent.Controller.";
    private static final String S = "Device.LocalAgent.Subscription.";
    private static final String R = PathFixture.ROLE;
    private static final String H = "Device.Hosts.Host.";

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
        return PathResolverTest.paths(resolve(path));
    }

    @Test
    void followsASingleReference() {
        Resolution r = resolve(S + "1.Recipient+.EndpointID");
        assertThat(PathResolverTest.paths(r)).containsExactly(C + "1.");
        assertThat(r.kind()).isEqualTo(PathKind.PARAMETER);
        assertThat(r.objectDef().path()).isEqualTo(C + "{i}.");
        assertThat(r.search()).isFalse();

        Resolution object = resolve(S + "3.Recipient+.");
        assertThat(PathResolverTest.paths(object)).containsExactly(C + "2.");
        assertThat(object.kind()).isEqualTo(PathKind.OBJECT);
        assertThat(paths(S + "1.Recipient+.E2ESession.Status")).containsExactly(C + "1.E2ESession.");
        assertThat(paths(C + "1.MTP.1.MQTT.Reference+.BrokerAddress")).containsExactly("Device.MQTT.Client.1.");
        assertThat(paths(S + "1.Recipient+.SendOnBoardRequest()")).containsExactly(C + "1.");
    }

    @Test
    void listItemsByNumberOrAll() {
        assertThat(paths(C + "1.AssignedRole+.Name")).as("bare + is #1+").containsExactly(R + "1.");
        assertThat(paths(C + "1.AssignedRole#1+.Name")).containsExactly(R + "1.");
        assertThat(paths(C + "1.AssignedRole#2+.Name")).containsExactly(R + "2.");
        Resolution beyond = resolve(C + "1.AssignedRole#3+.Name");
        assertThat(beyond.objects()).isEmpty();
        assertThat(beyond.search()).isFalse();
        Resolution all = resolve(C + "1.AssignedRole#*+.Name");
        assertThat(PathResolverTest.paths(all)).containsExactly(R + "1.", R + "2.");
        assertThat(all.search()).isTrue();
        assertThat(paths(C + "*.AssignedRole#*+.Permission.*.Targets")).containsExactly(R + "1.Permission.1.",
                R + "1.Permission.2.", R + "2.Permission.1.");
        assertThat(paths(S + "3.Recipient#2+.")).as("a single reference has only item 1").isEmpty();
        assertThat(paths(S + "3.Recipient#*+.")).containsExactly(C + "2.");
    }

    @Test
    void combinedWithSearchExpressions() {
        assertThat(paths(S + "[Recipient+.EndpointID==\"proto::c1\"].")).containsExactly(S + "1.", S + "2.");
        assertThat(paths(S + "[Recipient+.E2ESession.Status==\"Up\"&&Enable==true].")).containsExactly(S + "1.");
        assertThat(paths(C + "[AssignedRole#*+.Name==\"Read Only\"].")).containsExactly(C + "1.");
        assertThat(paths(C + "[AssignedRole#2+.Name==\"Read Only\"].")).containsExactly(C + "1.");
        assertThat(paths(C + "[AssignedRole+.Name==\"Read Only\"].")).isEmpty();
        assertThat(paths(C + "[AssignedRole#*+.Name!=\"Full Access\"].")).as("some item satisfies it")
                .containsExactly(C + "1.", C + "2.");
        assertThat(paths(C + "*.MTP.[MQTT.Reference+.BrokerPort>=8000].")).containsExactly(C + "2.MTP.1.");
        assertThat(paths(C + "[Enable==true].AssignedRole#*+.Name")).containsExactly(R + "1.", R + "2.");
        assertThat(code(() -> resolve(C + "*.AssignedRole#*+.[Enable==true].")))
                .as("a followed reference names objects, not a table to search").isEqualTo(7008);
    }

    @Test
    void danglingReferencesMatchNothing() {
        // Controller 3's InheritedRole is weak; its first item names the deleted Role 4.
        assertThat(model.find(C + "3.").value("InheritedRole")).startsWith(R + "4,");
        Resolution r = resolve(C + "3.InheritedRole+.Name");
        assertThat(r.objects()).isEmpty();
        assertThat(r.search()).isFalse();
        assertThat(paths(C + "3.InheritedRole#2+.Name")).containsExactly(R + "1.");
        assertThat(paths(C + "3.InheritedRole#*+.")).containsExactly(R + "1.");
        assertThat(paths(C + "[InheritedRole#*+.Name==\"Temporary\"].")).isEmpty();
        assertThat(paths(C + "3.AssignedRole+.")).as("an empty reference").isEmpty();
    }

    @Test
    void onlyObjectReferencesCanBeFollowed() {
        assertThat(code(() -> resolve(C + "1.EndpointID+.Name"))).isEqualTo(7026);
        assertThat(code(() -> resolve(S + "1.ReferenceList#*+."))).as("a plain string list").isEqualTo(7026);
        assertThat(code(() -> resolve(C + "1.Nope+."))).isEqualTo(7026);
        assertThat(code(() -> resolve(C + "1.E2ESession+.Status"))).isEqualTo(7026);
        assertThat(code(() -> resolve(C + "Enable+."))).isEqualTo(7026);
        assertThat(code(() -> resolve(S + "[ID+.Name==\"x\"]."))).isEqualTo(7026);
        assertThatThrownBy(() -> resolve(C + "1.EndpointID+.Name"))
                .hasMessageContaining("is not a reference to an object");
    }

    @Test
    void namesAfterADeclaredTargetAreCheckedEvenWithNothingToFollow() {
        assertThat(code(() -> resolve(S + "1.Recipient+.Nope"))).isEqualTo(7026);
        assertThat(code(() -> resolve(S + "[NotifExpiration>1000].Recipient+.Nope"))).isEqualTo(7026);
        assertThat(code(() -> resolve(C + "3.AssignedRole+.Nope."))).isEqualTo(7026);
        assertThat(code(() -> resolve(S + "[Recipient+.Nope==1]."))).isEqualTo(7026);
        assertThat(code(() -> resolve(S + "[Recipient+.Enable==\"true\"]."))).isEqualTo(7008);
        Resolution empty = resolve(S + "[NotifExpiration>1000].Recipient+.Enable");
        assertThat(empty.objectDef().path()).isEqualTo(C + "{i}.");
    }

    @Test
    void referencesWithoutDeclaredTargetAreFollowedToWhateverTheyName() {
        // Host.Layer1Interface may name any kind of interface: Host 1 names an MQTT client, Host 2 a controller.
        Resolution r = resolve(H + "*.Layer1Interface+.");
        assertThat(PathResolverTest.paths(r)).containsExactly(C + "2.", "Device.MQTT.Client.1.");
        assertThat(r.objectDef()).as("objects of two kinds").isNull();
        Resolution name = resolve(H + "*.Layer1Interface+.Name");
        assertThat(PathResolverTest.paths(name)).as("only the client has a Name").containsExactly("Device.MQTT.Client.1.");
        assertThat(name.objectDef().path()).isEqualTo("Device.MQTT.Client.{i}.");
        assertThat(resolve(H + "*.Layer1Interface+.Nope").objects()).as("no error: the kind was unknown").isEmpty();
        assertThat(paths(H + "[Layer1Interface+.EndpointID==\"proto::c2\"].")).containsExactly(H + "2.");
        assertThat(paths(H + "[Layer1Interface+.BrokerPort>1000].")).containsExactly(H + "1.");
        assertThat(paths(H + "[Layer1Interface+.BrokerPort==\"x\"].")).as("type errors only where it applies")
                .isEmpty();
    }

    @Test
    void referenceCyclesAreBoundedByThePathItself() {
        ObjectNode h1 = model.find(H + "1.");
        model.set(h1, "Layer1Interface", h1.referencePath());
        String hop = "Layer1Interface+.";
        assertThat(paths(H + "1." + hop.repeat(Path.MAX_REFERENCE_HOPS))).containsExactly(H + "1.");
        assertThat(paths(H + "[" + "Layer1Interface+.".repeat(8) + "Active==true].")).containsExactly(H + "1.");
        assertThat(code(() -> resolve(H + "1." + hop.repeat(Path.MAX_REFERENCE_HOPS + 1)))).isEqualTo(7008);
    }

    @Test
    void unreadableReferencesAndTargetsAreNotFollowed() {
        ReadAccess noAssigned = new ReadAccess() {
            @Override
            public boolean canReadObject(ObjectNode node) {
                return true;
            }

            @Override
            public boolean canReadParam(ObjectNode node, ParamDef p) {
                return !p.name().equals("AssignedRole");
            }
        };
        assertThat(resolver.resolve(C + "1.AssignedRole#*+.", noAssigned).objects()).isEmpty();
        assertThat(resolver.resolve(C + "[AssignedRole#*+.Name==\"Read Only\"].", noAssigned).objects()).isEmpty();
        ReadAccess noRole2 = new ReadAccess() {
            @Override
            public boolean canReadObject(ObjectNode node) {
                return !node.path().equals(R + "2.");
            }

            @Override
            public boolean canReadParam(ObjectNode node, ParamDef p) {
                return true;
            }
        };
        assertThat(PathResolverTest.paths(resolver.resolve(C + "1.AssignedRole#*+.", noRole2)))
                .containsExactly(R + "1.");
        assertThat(resolver.resolve(C + "[AssignedRole#*+.Name==\"Read Only\"].", noRole2).objects()).isEmpty();
    }
}
