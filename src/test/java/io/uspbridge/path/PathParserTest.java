package io.uspbridge.path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uspbridge.model.ModelException;
import io.uspbridge.path.PathSegment.InstanceNumber;
import io.uspbridge.path.PathSegment.Name;
import io.uspbridge.path.PathSegment.ReferenceFollow;
import io.uspbridge.path.PathSegment.SearchExpression;
import io.uspbridge.path.PathSegment.Wildcard;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The PATH-2 grammar: what parses, into what, and what is rejected with 7008 and a message saying where. */
class PathParserTest {

    private static SearchExpression expr(Path p, int segment) {
        return (SearchExpression) p.segments().get(segment);
    }

    @Test
    void objectPathsOfEveryForm() {
        Path root = Path.parse("Device.");
        assertThat(root.kind()).isEqualTo(PathKind.OBJECT);
        assertThat(root.rootName()).isEqualTo("Device");
        assertThat(root.segments()).isEmpty();
        assertThat(root.leafName()).isNull();

        Path table = Path.parse("Device.LocalAgent.Controller.");
        assertThat(table.segments()).containsExactly(new Name("LocalAgent"), new Name("Controller"));
        assertThat(table.hasWildcardOrSearch()).isFalse();

        Path inst = Path.parse("Device.LocalAgent.Controller.12.BootParameter.3.");
        assertThat(inst.kind()).isEqualTo(PathKind.OBJECT);
        assertThat(inst.segments()).containsExactly(new Name("LocalAgent"), new Name("Controller"),
                new InstanceNumber(12), new Name("BootParameter"), new InstanceNumber(3));

        Path wild = Path.parse("Device.LocalAgent.Subscription.*.");
        assertThat(wild.segments().get(2)).isEqualTo(Wildcard.INSTANCE);
        assertThat(wild.hasWildcardOrSearch()).isTrue();
    }

    @Test
    void parameterCommandAndEventPaths() {
        Path param = Path.parse("Device.LocalAgent.Controller.1.Enable");
        assertThat(param.kind()).isEqualTo(PathKind.PARAMETER);
        assertThat(param.leafName()).isEqualTo("Enable");
        assertThat(param.segments().get(param.segments().size() - 1)).isEqualTo(new Name("Enable"));

        Path cmd = Path.parse("Device.Reboot()");
        assertThat(cmd.kind()).isEqualTo(PathKind.COMMAND);
        assertThat(cmd.leafName()).isEqualTo("Reboot()");
        assertThat(cmd.segments()).containsExactly(new Name("Reboot()"));

        Path event = Path.parse("Device.Boot!");
        assertThat(event.kind()).isEqualTo(PathKind.EVENT);
        assertThat(event.leafName()).isEqualTo("Boot!");

        Path searchedCmd = Path.parse("Device.ProxiedDevice.*.IoTCapability.[Class==\"BinaryControl\"].BinaryControl.Toggle()");
        assertThat(searchedCmd.kind()).isEqualTo(PathKind.COMMAND);
        assertThat(searchedCmd.leafName()).isEqualTo("Toggle()");
    }

    @Test
    void searchExpressionsWithEveryOperator() {
        Path p = Path.parse("Device.X.[A==1&&B!=\"x\"&&C~=\"y\"&&D<2&&E>3&&F<=4&&G>=5].");
        List<SearchCondition> cs = expr(p, 1).conditions();
        assertThat(cs).extracting(SearchCondition::operator).containsExactly(SearchOperator.EQ, SearchOperator.NE,
                SearchOperator.CONTAINS, SearchOperator.LT, SearchOperator.GT, SearchOperator.LE, SearchOperator.GE);
        assertThat(cs).extracting(SearchCondition::paramName).containsExactly("A", "B", "C", "D", "E", "F", "G");
        assertThat(cs.get(0).value()).isEqualTo(new SearchValue("1", false));
        assertThat(cs.get(1).value()).isEqualTo(new SearchValue("x", true));
        assertThat(p.hasWildcardOrSearch()).isTrue();
    }

    @Test
    void quotedLiteralsArePercentDecoded() {
        SearchCondition c = expr(Path.parse("Device.X.[Name==\"say %22hi%22 100%25 50% %2\"].Y"), 1).conditions().get(0);
        assertThat(c.value().text()).isEqualTo("say \"hi\" 100% 50% %2");
        assertThat(c.value().quoted()).isTrue();
        SearchCondition empty = expr(Path.parse("Device.X.[Name==\"\"]."), 1).conditions().get(0);
        assertThat(empty.value()).isEqualTo(new SearchValue("", true));
        SearchCondition brackets = expr(Path.parse("Device.X.[Name==\"a]&&b[\"]."), 1).conditions().get(0);
        assertThat(brackets.value().text()).as("brackets and && inside a literal are text").isEqualTo("a]&&b[");
    }

    @Test
    void unquotedNumbersDateTimesAndBooleans() {
        List<SearchCondition> cs = expr(Path.parse(
                "Device.X.[A==-12&&B==+0123&&C<2021-06-06T08:00:00Z&&D==true&&E==1.5&&F==08].Y"), 1).conditions();
        assertThat(cs).extracting(c -> c.value().text())
                .containsExactly("-12", "+0123", "2021-06-06T08:00:00Z", "true", "1.5", "08");
        assertThat(cs).allSatisfy(c -> assertThat(c.value().quoted()).isFalse());
    }

    @Test
    void whitespaceIsToleratedAroundOperatorsAndConjunctions() {
        // R-ARC.9a: Agents SHOULD tolerate whitespace on either side of an Expression Operator.
        Path spaced = Path.parse("Device.X.[ Type == \"Normal\"  &&\tStats.ErrorsSent >= 0 ].");
        Path tight = Path.parse("Device.X.[Type==\"Normal\"&&Stats.ErrorsSent>=0].");
        assertThat(spaced.segments()).isEqualTo(tight.segments());
    }

    @Test
    void referenceFollowingForms() {
        Path p = Path.parse("Device.NAT.PortMapping.1.Interface+.Name");
        assertThat(p.segments()).containsExactly(new Name("NAT"), new Name("PortMapping"), new InstanceNumber(1),
                new ReferenceFollow("Interface", 1), new Name("Name"));
        assertThat(p.hasWildcardOrSearch()).isFalse();

        Path nth = Path.parse("Device.LocalAgent.Controller.1.AssignedRole#2+.Name");
        assertThat(nth.segments().get(3)).isEqualTo(new ReferenceFollow("AssignedRole", 2));

        Path all = Path.parse("Device.LocalAgent.Controller.1.AssignedRole#*+.Permission.*.Targets");
        ReferenceFollow f = (ReferenceFollow) all.segments().get(3);
        assertThat(f.all()).isTrue();
        assertThat(all.hasWildcardOrSearch()).as("#*+ may match many").isTrue();

        Path object = Path.parse("Device.LocalAgent.Subscription.1.Recipient+.");
        assertThat(object.kind()).isEqualTo(PathKind.OBJECT);
        assertThat(object.segments().get(3)).isEqualTo(new ReferenceFollow("Recipient", 1));

        SearchCondition c = expr(Path.parse(
                "Device.WiFi.AccessPoint.[SSIDReference+.SSID==\"MyHome\"&&A#*+.B.C#3+.D>1].Enable"), 2)
                .conditions().get(0);
        assertThat(c.relPath()).containsExactly(new ReferenceFollow("SSIDReference", 1), new Name("SSID"));
        SearchCondition c2 = expr(Path.parse("Device.W.[A#*+.B.C#3+.D>1]."), 1).conditions().get(0);
        assertThat(c2.relPath()).containsExactly(new ReferenceFollow("A", ReferenceFollow.ALL), new Name("B"),
                new ReferenceFollow("C", 3), new Name("D"));
        assertThat(c2.relPathText()).isEqualTo("A#*+.B.C#3+.D");
    }

    @Test
    void uniqueKeyAddressingParsesAsAnExpression() {
        Path p = Path.parse("Device.NAT.PortMapping.[RemoteHost==\"\"&&ExternalPort==0&&Protocol==\"TCP\"].");
        assertThat(expr(p, 2).conditions()).hasSize(3);
        assertThat(p.hasWildcardOrSearch()).as("syntactically a bracket; only the resolver knows the keys").isTrue();
    }

    @Test
    void vendorNamesWithHyphensAndUnderscores() {
        Path p = Path.parse("Device.X_EXAMPLE-COM_Thing._private.Param_2");
        assertThat(p.segments()).containsExactly(new Name("X_EXAMPLE-COM_Thing"), new Name("_private"),
                new Name("Param_2"));
    }

    @Test
    void segmentsPrintBackAsWritten() {
        String text = "Device.A.[B==\"x%22y\"&&C<=-3].D#*+.E.2.F+.G#4+.H";
        Path p = Path.parse(text);
        StringBuilder sb = new StringBuilder("Device.");
        for (PathSegment s : p.segments()) {
            sb.append(s).append(s == p.segments().get(p.segments().size() - 1) ? "" : ".");
        }
        assertThat(sb.toString()).isEqualTo(text);
        assertThat(p.text()).isEqualTo(text);
        assertThat(p).isEqualTo(Path.parse(text)).hasSameHashCodeAs(Path.parse(text));
    }

    // ---- invalid syntax: 7008, with a message naming what and where -------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {
        "",                                        // empty
        "Device",                                  // no dot: neither object nor parameter path
        ".Device.",                                // empty root
        "Device..LocalAgent.",                     // empty name
        "Device.LocalAgent..",                     // empty name at the end
        "Device.1.",                               // instance directly after the root
        "Device.LocalAgent.Controller.0.",         // instance numbers start at 1
        "Device.LocalAgent.Controller.01.",        // no leading zero
        "Device.LocalAgent.Controller.1",          // instance path without trailing dot
        "Device.LocalAgent.Controller.1.2.",       // two instance identifiers in a row
        "Device.LocalAgent.Controller.*.*.",       // two instance identifiers in a row
        "Device.LocalAgent.Controller.99999999999.", // beyond any instance number
        "Device.LocalAgent.Controller.1x.",        // junk after the number
        "Device.LocalAgent.Controller.**.",
        "Device.LocalAgent.Controller.[].",        // empty expression
        "Device.LocalAgent.Controller.[ ].",
        "Device.LocalAgent.Controller.[Enable==true]", // no dot after the expression
        "Device.LocalAgent.Controller.[Enable==true.", // unclosed
        "Device.LocalAgent.Controller.[Enable=true].", // single =
        "Device.LocalAgent.Controller.[Enable true].", // no operator
        "Device.LocalAgent.Controller.[Enable==].",    // no value
        "Device.LocalAgent.Controller.[==true].",      // no name
        "Device.LocalAgent.Controller.[Enable==true||Alias==\"a\"].", // no OR
        "Device.LocalAgent.Controller.[Enable==true&Alias==\"a\"].",  // single &
        "Device.LocalAgent.Controller.[Enable==true&&].",             // dangling &&
        "Device.LocalAgent.Controller.[Alias==\"abc].",                // unterminated string
        "Device.LocalAgent.Controller.[Alias==abc def].",              // two tokens
        "Device.LocalAgent.Controller.{Alias==\"a\"}.",               // curly brackets are not TR-369 syntax
        "Device.LocalAgent.Controller.[BootParameter.*.Enable==true].", // descends into a table
        "Device.LocalAgent.Controller.[BootParameter.1.Enable==true].",
        "Device.LocalAgent.Controller.[1==1].",
        "Device.LocalAgent.Controller.1.Enable.Reboot()x",
        "Device.Reboot().",                        // commands end the path
        "Device.Reboot(",                          // unclosed command
        "Device.Boot!.",                           // events end the path
        "Device.Boot!x",
        "Device.LocalAgent.Controller.1.AssignedRole+",  // reference follow must be followed by '.'
        "Device.LocalAgent.Controller.1.AssignedRole#+.", // '#' needs a number or '*'
        "Device.LocalAgent.Controller.1.AssignedRole#0+.",
        "Device.LocalAgent.Controller.1.AssignedRole#2.",
        "Device.LocalAgent.Controller.1.AssignedRole+.1.", // an instance must follow a table name, not a reference
        "Device.LocalAgent.Controller.1.Enable ",  // trailing space
        " Device.",                                // leading space
        "Device. LocalAgent.",
        "Device.Local Agent.",
        "Device.LocalAgent.Contrôleur.",           // non-ASCII name
        "Device.LocalAgent\u0000.",                // control characters
        "Device.\nLocalAgent.",
        "Device.LocalAgent.Controller.[Alias==\u0007].",
        "Device.LocalAgent.Controller.1.Enable=true",
        "Device.1Agent.",                          // names do not start with a digit
        "Device.-Agent.",
    })
    void invalidSyntaxIs7008(String text) {
        assertThatThrownBy(() -> Path.parse(text))
                .isInstanceOfSatisfying(ModelException.class, e -> {
                    assertThat(e.code()).isEqualTo(7008);
                    assertThat(e.getMessage()).startsWith("invalid path").doesNotContain("\u0000", "\n", "\u0007");
                });
    }

    @Test
    void messagesSayWhatIsWrongAndWhere() {
        assertThatThrownBy(() -> Path.parse("Device.LocalAgent.Controller.[Enable=true]."))
                .hasMessageContaining("expected an operator").hasMessageContaining("'='")
                .hasMessageContaining("equality is written '=='").hasMessageContaining("at character 37");
        assertThatThrownBy(() -> Path.parse("Device.LocalAgent.Controller.0."))
                .hasMessageContaining("start at 1").hasMessageContaining("at character 30");
        assertThatThrownBy(() -> Path.parse("Device.LocalAgent\u0000."))
                .hasMessageContaining("control character U+0000").hasMessageContaining("\\u0000");
        assertThatThrownBy(() -> Path.parse("Device.LocalAgent.Controller.[]."))
                .hasMessageContaining("empty search expression");
        assertThatThrownBy(() -> Path.parse("Device.LocalAgent.Controller.[Alias==\"x]."))
                .hasMessageContaining("not closed");
        assertThatThrownBy(() -> Path.parse("Device.LocalAgent.Controller.[A==1||B==2]."))
                .hasMessageContaining("'||' is not supported");
        assertThatThrownBy(() -> Path.parse("Device.LocalAgent.Controller.[BootParameter.*.Enable==true]."))
                .hasMessageContaining("cannot descend into a table");
        assertThatThrownBy(() -> Path.parse(null)).isInstanceOf(ModelException.class)
                .extracting(e -> ((ModelException) e).code()).isEqualTo(7008);
    }
}
