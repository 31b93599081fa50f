package io.uspbridge.path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uspbridge.model.DataModel;
import io.uspbridge.model.ModelException;
import io.uspbridge.model.ObjectNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Reference values a controller writes (PATH-8, R-ARC.11): accepted by key, stored and reported by number. */
class ReferenceResolverTest {
    private static final String C = "Device.LocalAgent.Controller.";
    private static final String R = PathFixture.ROLE;

    private DataModel model;
    private ReferenceResolver refs;

    @BeforeEach
    void setUp() {
        model = PathFixture.model();
        refs = new ReferenceResolver(model);
    }

    @Test
    void instancePathsWithOrWithoutTrailingDot() {
        assertThat(refs.apply(C + "2")).isEqualTo(C + "2");
        assertThat(refs.apply(C + "2.")).isEqualTo(C + "2");
        assertThat(refs.apply("Device.DeviceInfo")).isEqualTo("Device.DeviceInfo");
        assertThat(refs.apply(C + "1.E2ESession.")).isEqualTo(C + "1.E2ESession");
    }

    @Test
    void uniqueKeyAddressesBecomeInstanceNumbers() {
        assertThat(refs.apply(C + "[EndpointID==\"proto::c2\"]")).isEqualTo(C + "2");
        assertThat(refs.apply(C + "[Alias==\"cpe-3\"].")).isEqualTo(C + "3");
        assertThat(refs.apply(R + "[Name==\"Full Access\"].Permission.[Order==2]")).isEqualTo(R + "1.Permission.2");
        assertThat(refs.apply("Device.LocalAgent.Subscription.[Recipient==\"" + C + "2\"&&ID==\"sub%22%253\"]"))
                .isEqualTo("Device.LocalAgent.Subscription.3");
    }

    @Test
    void parameterReferences() {
        assertThat(refs.apply(C + "1.Enable")).isEqualTo(C + "1.Enable");
        assertThat(refs.apply(C + "[EndpointID==\"proto::c1\"].E2ESession.Status"))
                .isEqualTo(C + "1.E2ESession.Status");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "Device.LocalAgent.Controller.9",                       // does not exist
        "Device.LocalAgent.Controller.[EndpointID==\"nobody\"]",
        "Device.LocalAgent.Controller.*",                       // a reference names one object
        "Device.LocalAgent.Controller.[Enable==true]",          // a search, even if it matched one
        "Device.LocalAgent.Controller.1.AssignedRole#*+",
        "Device.LocalAgent.Controller",                         // a table
        "Device.LocalAgent.Controller.",
        "Device.LocalAgent.Nope.1",                             // not supported
        "Device.LocalAgent.Controller.1.Nope",
        "not a path",
        "Device.LocalAgent.Controller.1.Reboot()",
        "Device.LocalAgent.Controller.[Enable==\"true\"]",
    })
    void invalidReferencesAre7012(String raw) {
        assertThatThrownBy(() -> refs.apply(raw)).isInstanceOfSatisfying(ModelException.class, e -> {
            assertThat(e.code()).isEqualTo(7012);
            assertThat(e.getMessage()).contains("is not a valid reference");
        });
    }

    @Test
    void failuresSayWhy() {
        assertThatThrownBy(() -> refs.apply(C + "9")).hasMessageContaining("does not name an existing object");
        assertThatThrownBy(() -> refs.apply(C + "*")).hasMessageContaining("must name one object");
        assertThatThrownBy(() -> refs.apply(C)).hasMessageContaining("names a table");
    }

    @Test
    void installedInTheModelStrongReferencesAcceptKeysAndReportNumbers() {
        // The fixture wrote Controller 2's AssignedRole as Role.[Name=="Untrusted"].
        assertThat(model.find(C + "2.").value("AssignedRole")).isEqualTo(R + "3");
        ObjectNode c3 = model.find(C + "3.");
        model.set(c3, "AssignedRole", R + "[Name==\"Read Only\"], " + R + "1.");
        assertThat(c3.value("AssignedRole")).isEqualTo(R + "2," + R + "1");
        assertThatThrownBy(() -> model.set(c3, "AssignedRole", R + "[Name==\"Nobody\"]"))
                .extracting(e -> ((ModelException) e).code()).isEqualTo(7012);
        assertThatThrownBy(() -> model.set(c3, "AssignedRole", C + "1"))
                .as("outside the declared target").extracting(e -> ((ModelException) e).code()).isEqualTo(7012);
        ObjectNode host = model.find("Device.Hosts.Host.1.");
        model.set(host, "Layer1Interface", "Device.Nowhere.[X==1]");
        assertThat(host.value("Layer1Interface")).as("a weak reference may dangle").isEqualTo("Device.Nowhere.[X==1]");
        model.set(host, "Layer1Interface", "Device.MQTT.Client.[Name==\"broker-b\"]");
        assertThat(host.value("Layer1Interface")).isEqualTo("Device.MQTT.Client.2");
    }
}
