package io.uspbridge.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/** The extract tool on a small model written in the TR-181 XML dialect. */
class Tr181ExtractTest {

    private static final String MODEL = """
            <dm:document xmlns:dm="urn:broadband-forum-org:cwmp:datamodel-1-15" spec="urn:test">
              <dataType name="_AliasCommon"><string><size maxLength="64"/></string></dataType>
              <dataType name="_AliasUSP" base="_AliasCommon"><description>MUST start with a letter</description></dataType>
              <dataType name="StatsCounter64"><unsignedLong/></dataType>
              <dataType name="IPAddress"><string><size maxLength="45"/></string></dataType>
              <dataType name="IPv4Address" base="IPAddress">
                <size maxLength="15"/><pattern value=""/><pattern value="\\d+(\\.\\d+){3}"/>
              </dataType>
              <model name="Device:2.19">
                <object name="Device." access="readOnly" minEntries="1" maxEntries="1">
                  <parameter name="Protocols" access="readOnly">
                    <syntax><list/><string><enumeration value="A"/><enumeration value="B"/></string></syntax>
                  </parameter>
                  <parameter name="RoleNumberOfEntries"><syntax><unsignedInt/></syntax></parameter>
                </object>
                <object name="Device.Role.{i}." access="readWrite" minEntries="0" maxEntries="unbounded"
                    numEntriesParameter="RoleNumberOfEntries" enableParameter="Enable" mountType="mountPoint">
                  <uniqueKey functional="false"><parameter ref="Alias"/></uniqueKey>
                  <uniqueKey><parameter ref="Name"/><parameter ref="Kind"/></uniqueKey>
                  <parameter name="Alias" access="writeOnceReadOnly"><syntax><dataType ref="_AliasUSP"/></syntax></parameter>
                  <parameter name="Bytes" access="readOnly">
                    <syntax><dataType ref="StatsCounter64"><units value="bytes"/></dataType></syntax>
                  </parameter>
                  <parameter name="Peers" access="readWrite">
                    <syntax>
                      <list maxItems="4"><size maxLength="256"/></list>
                      <dataType ref="IPv4Address"/>
                      <default type="object" value="[10.0.0.1,10.0.0.2]"/>
                    </syntax>
                  </parameter>
                  <parameter name="Gone" access="readOnly" status="deleted"><syntax><boolean/></syntax></parameter>
                  <parameter name="Mode" access="readWrite" status="deprecated">
                    <syntax secured="true">
                      <string><enumeration value="On"/><enumeration value="Off" status="obsoleted"/></string>
                      <default type="object" value="On"/>
                    </syntax>
                  </parameter>
                  <parameter name="Level" access="readWrite">
                    <syntax><int><range minInclusive="-10" maxInclusive="10" step="2"/><range minInclusive="100"/></int></syntax>
                  </parameter>
                  <parameter name="Next" access="readWrite">
                    <syntax><string><pathRef refType="strong" targetParent="#.Role." targetType="row"/></string></syntax>
                  </parameter>
                  <parameter name="Protocol" access="readWrite">
                    <syntax><string><enumerationRef targetParam="#.Protocols"/></string></syntax>
                  </parameter>
                  <command name="Go()" async="true">
                    <input>
                      <parameter name="Target" mandatory="true">
                        <syntax><string><pathRef refType="weak" targetParent="#.Sub." targetType="row"/></string></syntax>
                      </parameter>
                      <object name="Window.{i}." minEntries="1" maxEntries="5">
                        <parameter name="Start"><syntax><unsignedInt/></syntax></parameter>
                      </object>
                    </input>
                    <output><parameter name="Status"><syntax><string/></syntax></parameter></output>
                  </command>
                  <event name="Done!"><parameter name="Code"><syntax><unsignedInt/><default type="parameter" value="0"/></syntax></parameter></event>
                </object>
                <object name="Device.Role.{i}.Sub." access="readOnly" minEntries="0" maxEntries="1">
                  <parameter name="Far" access="readOnly">
                    <syntax><string><pathRef targetParent=".Role." targetType="row"/></string></syntax>
                  </parameter>
                  <parameter name="Broken" access="readOnly">
                    <syntax><string><pathRef targetParent="##.Nowhere." targetType="row"/></string></syntax>
                  </parameter>
                </object>
                <object name="Device.Old." access="readOnly" minEntries="1" maxEntries="1" status="deleted"/>
              </model>
            </dm:document>
            """;

    private static Tr181Extract parse() throws Exception {
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(MODEL.getBytes(StandardCharsets.UTF_8)));
        return Tr181Extract.of(doc);
    }

    @Test
    void writesObjectsParametersCommandsAndEventsWithResolvedTypesAndReferences() throws Exception {
        Tr181Extract tool = parse();
        List<String> lines = tool.extract(List.of("Device.", "Device.Role.{i}."), "mini.xml").stream()
                .filter(l -> !l.startsWith("#")).toList();

        assertThat(tool.problems()).isEmpty();
        assertThat(lines).containsExactly(
                "object\tDevice.\taccess=readOnly\tminEntries=1\tmaxEntries=1",
                "param\tDevice.Protocols\taccess=readOnly\ttype=string\tlist=true\tenum=A\tenum=B",
                // a missing access means readOnly
                "param\tDevice.RoleNumberOfEntries\taccess=readOnly\ttype=unsignedInt",
                "object\tDevice.Role.{i}.\taccess=readWrite\tminEntries=0\tmaxEntries=unbounded"
                        + "\tnumEntries=RoleNumberOfEntries\tenable=Enable\tkey=nonfunctional:Alias"
                        + "\tkey=functional:Name,Kind\tmountType=mountPoint",
                // _AliasUSP takes its facets from its base _AliasCommon
                "param\tDevice.Role.{i}.Alias\taccess=writeOnceReadOnly\ttype=string\tdataType=_AliasUSP"
                        + "\tmaxLength=64",
                "param\tDevice.Role.{i}.Bytes\taccess=readOnly\ttype=unsignedLong\tdataType=StatsCounter64"
                        + "\tunits=bytes",
                // the derived type replaces its base's size and adds patterns; list size and brackets handled
                "param\tDevice.Role.{i}.Peers\taccess=readWrite\ttype=string\tdataType=IPv4Address\tlist=true"
                        + "\tmaxItems=4\tlistMaxLength=256\tmaxLength=15\tpattern=\tpattern=\\d+(\\.\\d+){3}"
                        + "\tdefault=object:10.0.0.1,10.0.0.2",
                // deleted parameter and obsoleted enumeration value left out; deprecated kept and marked
                "param\tDevice.Role.{i}.Mode\taccess=readWrite\ttype=string\tenum=On\tdefault=object:On"
                        + "\tsecured=true\tstatus=deprecated",
                "param\tDevice.Role.{i}.Level\taccess=readWrite\ttype=int\trange=-10:10:2\trange=100:",
                "param\tDevice.Role.{i}.Next\taccess=readWrite\ttype=string\tpathRef=strong\ttargetType=row"
                        + "\ttarget=Device.Role.",
                "param\tDevice.Role.{i}.Protocol\taccess=readWrite\ttype=string\tenumRef=Device.Protocols",
                "command\tDevice.Role.{i}.Go()\tasync=true",
                // in an argument, # climbs from the command: #.Sub. is the command's object's Sub.
                "input\tDevice.Role.{i}.Go()\tTarget\tmandatory=true\ttype=string\tpathRef=weak\ttargetType=row"
                        + "\ttarget=Device.Role.{i}.Sub.",
                "input\tDevice.Role.{i}.Go()\tWindow.{i}.\tminEntries=1\tmaxEntries=5",
                "input\tDevice.Role.{i}.Go()\tWindow.{i}.Start\tmandatory=false\ttype=unsignedInt",
                "output\tDevice.Role.{i}.Go()\tStatus\ttype=string",
                "event\tDevice.Role.{i}.Done!",
                "arg\tDevice.Role.{i}.Done!\tCode\ttype=unsignedInt\tdefault=parameter:0");
    }

    @Test
    void unknownDeletedAndUnresolvableItemsAreProblems() throws Exception {
        Tr181Extract tool = parse();
        List<String> lines = tool.extract(List.of("Device.Role.{i}.Sub.", "Device.Old.", "Device.Nothing."), "x");

        assertThat(lines).contains("param\tDevice.Role.{i}.Sub.Far\taccess=readOnly\ttype=string\tpathRef=weak"
                + "\ttargetType=row\ttarget=Device.Role.");
        assertThat(tool.problems()).containsExactlyInAnyOrder(
                "object Device.Old. is deleted in the model",
                "object Device.Nothing. is not in the model",
                "Device.Role.{i}.Sub.Broken: reference target ##.Nowhere. resolves to unknown Device.Nowhere.");
    }

    @Test
    void relativePathsClimbOneLevelPerHash() {
        List<String> controllerMtpMqtt = Tr181Extract.levels("Device.LocalAgent.Controller.{i}.MTP.{i}.MQTT.");
        assertThat(controllerMtpMqtt).containsExactly("Device", "LocalAgent", "Controller.{i}", "MTP.{i}", "MQTT");
        assertThat(Tr181Extract.resolvePath("###.MTP.", controllerMtpMqtt)).isEqualTo("Device.LocalAgent.MTP.");
        assertThat(Tr181Extract.resolvePath(".MQTT.Client.", controllerMtpMqtt)).isEqualTo("Device.MQTT.Client.");
        assertThat(Tr181Extract.resolvePath("Role.", Tr181Extract.levels("Device.LocalAgent.ControllerTrust.")))
                .isEqualTo("Device.LocalAgent.ControllerTrust.Role.");
        assertThat(Tr181Extract.resolvePath("Device.X.", controllerMtpMqtt)).isEqualTo("Device.X.");
    }
}
