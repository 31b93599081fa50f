package io.uspbridge.path;

import static io.uspbridge.path.PathResolverTest.code;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uspbridge.model.DataModel;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** GetSupportedDM paths (GSDM-1): supported-model paths with {i}, and instantiated paths of existing objects. */
class SupportedPathResolverTest {
    private DataModel model;
    private SupportedPathResolver resolver;

    @BeforeEach
    void setUp() {
        model = PathFixture.model();
        resolver = new SupportedPathResolver(model);
    }

    @Test
    void supportedObjectPaths() {
        SupportedTarget root = resolver.resolve("Device.");
        assertThat(root.objectDef()).isSameAs(model.schema().root());
        assertThat(root.instance()).isNull();
        assertThat(root.kind()).isEqualTo(PathKind.OBJECT);
        assertThat(root.leafName()).isNull();

        SupportedTarget c = resolver.resolve("Device.LocalAgent.Controller.{i}.");
        assertThat(c.objectDef().path()).isEqualTo("Device.LocalAgent.Controller.{i}.");
        assertThat(c.instance()).isNull();
        assertThat(resolver.resolve("Device.LocalAgent.Controller.").objectDef())
                .as("the final {i}. may be omitted").isSameAs(c.objectDef());
        assertThat(resolver.resolve("Device.LocalAgent.Controller.{i}.BootParameter.").objectDef().path())
                .isEqualTo("Device.LocalAgent.Controller.{i}.BootParameter.{i}.");
        assertThat(resolver.resolve("Device.LocalAgent.Controller.{i}.E2ESession.").objectDef().path())
                .isEqualTo("Device.LocalAgent.Controller.{i}.E2ESession.");
        assertThat(resolver.resolve("Device.ProxiedDevice.{i}.IoTCapability.{i}.BinaryControl.").objectDef().path())
                .isEqualTo("Device.ProxiedDevice.{i}.IoTCapability.{i}.BinaryControl.");
    }

    @Test
    void tp469_1_107_parameter() {
        SupportedTarget t = resolver.resolve("Device.LocalAgent.Controller.{i}.Enable");
        assertThat(t.kind()).isEqualTo(PathKind.PARAMETER);
        assertThat(t.leafName()).isEqualTo("Enable");
        assertThat(t.objectDef().path()).isEqualTo("Device.LocalAgent.Controller.{i}.");
        assertThat(resolver.resolve("Device.DeviceInfo.SerialNumber").kind()).isEqualTo(PathKind.PARAMETER);
    }

    @Test
    void tp469_1_105_command() {
        SupportedTarget t = resolver.resolve("Device.Reboot()");
        assertThat(t.kind()).isEqualTo(PathKind.COMMAND);
        assertThat(t.leafName()).isEqualTo("Reboot()");
        assertThat(resolver.resolve("Device.ProxiedDevice.{i}.IoTCapability.{i}.BinaryControl.Toggle()").kind())
                .isEqualTo(PathKind.COMMAND);
    }

    @Test
    void tp469_1_106_event() {
        SupportedTarget t = resolver.resolve("Device.Boot!");
        assertThat(t.kind()).isEqualTo(PathKind.EVENT);
        assertThat(t.leafName()).isEqualTo("Boot!");
        assertThat(t.objectDef()).isSameAs(model.schema().root());
    }

    @Test
    void instantiatedPathsOfExistingObjects() {
        // GSDM-5: controllers explore each divergent mount-point instance by its instance path.
        SupportedTarget pd = resolver.resolve("Device.ProxiedDevice.1.");
        assertThat(pd.instance()).isSameAs(model.find("Device.ProxiedDevice.1."));
        assertThat(pd.objectDef().path()).isEqualTo("Device.ProxiedDevice.{i}.");

        SupportedTarget value = resolver.resolve("Device.ProxiedDevice.1.IoTCapability.1.BinaryControl.Value");
        assertThat(value.kind()).isEqualTo(PathKind.PARAMETER);
        assertThat(value.instance()).isSameAs(model.find("Device.ProxiedDevice.1.IoTCapability.1.BinaryControl."));
        assertThat(value.instance().def()).isSameAs(value.objectDef());

        SupportedTarget caps = resolver.resolve("Device.ProxiedDevice.1.IoTCapability.{i}.");
        assertThat(caps.objectDef().path()).isEqualTo("Device.ProxiedDevice.{i}.IoTCapability.{i}.");
        assertThat(caps.instance()).as("the instantiated part ends at the device")
                .isSameAs(model.find("Device.ProxiedDevice.1."));
        assertThat(resolver.resolve("Device.ProxiedDevice.1.IoTCapability.").instance())
                .isSameAs(model.find("Device.ProxiedDevice.1."));
        assertThat(resolver.resolve("Device.LocalAgent.Controller.2.BootParameter.1.").instance())
                .isSameAs(model.find("Device.LocalAgent.Controller.2.BootParameter.1."));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "Device",
        "Device.LocalAgent.Controller.{i}.1.",        // {i} followed by an instance number
        "Device.ProxiedDevice.{i}.IoTCapability.1.",  // an instance number below a placeholder
        "Device.LocalAgent.Controller.{i}.{i}.",
        "Device.LocalAgent.Controller.1.2.",
        "Device.LocalAgent.Controller.*.",            // no wildcards
        "Device.LocalAgent.Controller.[Enable==true].", // no searches
        "Device.LocalAgent.Controller.{j}.",
        "Device.LocalAgent.Controller.{i}",
        "Device.LocalAgent.Controller.0.",
        "Device.LocalAgent.Controller.01.",
        "Device.{i}.",
        "Device..LocalAgent.",
        "Device.LocalAgent.Controller.{i}.En able",
        "Device.Reboot().",
        "Device.Boot!x",
        "Device.LocalAgent.\u0000.",
        " Device.",
    })
    void syntaxErrorsAre7008(String path) {
        assertThat(code(() -> resolver.resolve(path))).isEqualTo(7008);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "Device.LocalAgent.InvalidObject.",           // TP-469 1.77
        "Other.",
        "Device.LocalAgent.{i}.",                     // not a table
        "Device.LocalAgent.1.",
        "Device.LocalAgent.Controller.BootParameter.", // only the final {i}. may be omitted
        "Device.LocalAgent.Controller.Enable",
        "Device.LocalAgent.Controller.{i}.Nope",
        "Device.LocalAgent.Controller.{i}.Reboot()",
        "Device.Nope!",
        "Device.ProxiedDevice.9.",                    // an instance that does not exist
        "Device.ProxiedDevice.2.IoTCapability.1.BinaryControl.", // an absent optional object
        "Device.ProxiedDevice.1.IoTCapability.7.Name",
    })
    void notSupportedOrNotExistingIs7026(String path) {
        assertThat(code(() -> resolver.resolve(path))).isEqualTo(7026);
    }

    @Test
    void messagesNameTheProblem() {
        assertThatThrownBy(() -> resolver.resolve("Device.LocalAgent.Controller.{i}.1."))
                .hasMessageContaining("an instance number cannot follow '{i}'");
        assertThatThrownBy(() -> resolver.resolve("Device.LocalAgent.Controller.BootParameter."))
                .hasMessageContaining("only the final '{i}.' may be omitted");
        assertThatThrownBy(() -> resolver.resolve("Device.ProxiedDevice.9."))
                .hasMessageContaining("Device.ProxiedDevice.9. does not exist");
    }

    @Test
    void theSupportedTemplateOfAnAbsentOptionalObjectIsSupported() {
        assertThat(resolver.resolve("Device.IoTCapability.{i}.BinaryControl.").objectDef().path())
                .isEqualTo("Device.IoTCapability.{i}.BinaryControl.");
    }
}
