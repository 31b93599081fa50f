package io.uspbridge.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.uspbridge.app.AgentSchema;
import io.uspbridge.model.Schema;
import io.uspbridge.tools.Tr181Conformance;
import org.junit.jupiter.api.Test;

/**
 * The agent's supported data model agrees with TR-181 2.19, declaration by declaration. The reference is the
 * committed extract of the TR-181 XML ({@code src/test/resources/tr181/}); {@link Tr181Conformance} says what is
 * compared, and {@code Tr181ConformanceCheckerTest} shows that it finds what is wrong.
 */
class Tr181ConformanceTest {

    private static final Tr181Conformance TR181 = Tr181Conformance.load();

    @Test
    void everyDeclaredObjectParameterCommandAndEventConformsToTr181() {
        Tr181Conformance.Report report = TR181.check(AgentSchema.build());

        assertThat(report.mismatches()).isEmpty();
        // 33 objects of objects.txt and 28 mounted copies (IoTCapability and its 8 class objects under three mount
        // points, DeviceInfo under ProxiedDevice); every command and event argument of TR-181 is declared.
        assertThat(report.objects()).isGreaterThanOrEqualTo(61);
        assertThat(report.params()).isGreaterThan(400);
        assertThat(report.commands()).isGreaterThanOrEqualTo(27);
        assertThat(report.events()).isGreaterThanOrEqualTo(2);
        assertThat(report.args()).isGreaterThanOrEqualTo(10);
    }

    @Test
    void everyObjectOfTheExtractIsDeclared() {
        Schema schema = AgentSchema.build();

        // objects.txt names what we implement, so a listed object that is not declared is a gap. (The reverse, a
        // declared object that the extract lacks, is a mismatch of the check above.)
        assertThat(TR181.objectPaths()).isNotEmpty()
                .allSatisfy(path -> assertThat(schema.object(path)).as(path).isNotNull());
    }
}
