package io.uspbridge.path;

import static io.uspbridge.path.PathResolverTest.code;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uspbridge.model.DataModel;
import io.uspbridge.model.ModelException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bad input from a controller: whatever arrives, the answer is a clear 7008 or 7026 with a short message, never a
 * crash, a stack overflow or unbounded work.
 */
class HostilePathTest {
    private static final String C = "Device.LocalAgent.Controller.";

    private DataModel model;
    private PathResolver resolver;

    @BeforeEach
    void setUp() {
        model = PathFixture.model();
        resolver = new PathResolver(model);
    }

    private static ModelException parseError(String text) {
        try {
            Path.parse(text);
        } catch (ModelException e) {
            return e;
        }
        throw new AssertionError("parsed: " + Path.excerpt(text));
    }

    @Test
    void pathLengthIsBounded() {
        String literal = "x".repeat(Path.MAX_LENGTH - (C + "[EndpointID==\"\"].").length());
        String atLimit = C + "[EndpointID==\"" + literal + "\"].";
        assertThat(atLimit).hasSize(Path.MAX_LENGTH);
        Resolution r = resolver.resolve(atLimit, ReadAccess.ALL);
        assertThat(r.objects()).isEmpty();
        assertThat(r.search()).as("a complete key address").isFalse();

        ModelException e = parseError(C + "[EndpointID==\"" + literal + "x\"].");
        assertThat(e.code()).isEqualTo(7008);
        assertThat(e.getMessage()).contains("at most " + Path.MAX_LENGTH).hasSizeLessThan(200);
    }

    @Test
    void segmentsConditionsHopsAndNamesAreBounded() {
        assertThat(code(() -> Path.parse("Device." + "A.".repeat(Path.MAX_SEGMENTS + 1)))).isEqualTo(7008);
        assertThat(code(() -> resolver.resolve("Device." + "A.".repeat(Path.MAX_SEGMENTS), ReadAccess.ALL)))
                .as("at the limit it parses; the name is unknown").isEqualTo(7026);

        String many = "Enable==true&&".repeat(Path.MAX_CONDITIONS) + "Enable==true";
        assertThat(parseError(C + "[" + many + "].").getMessage()).contains("more than " + Path.MAX_CONDITIONS);
        String justEnough = "Enable==true&&".repeat(Path.MAX_CONDITIONS - 1) + "Enable==true";
        assertThat(PathResolverTest.paths(resolver.resolve(C + "[" + justEnough + "].", ReadAccess.ALL)))
                .containsExactly(C + "1.", C + "3.");

        assertThat(parseError(C + "1." + "AssignedRole+.".repeat(Path.MAX_REFERENCE_HOPS + 1)).getMessage())
                .contains("more than " + Path.MAX_REFERENCE_HOPS + " references");
        assertThat(code(() -> Path.parse(C + "[" + "A+.".repeat(Path.MAX_REFERENCE_HOPS + 1) + "B==1]."))).isEqualTo(7008);

        assertThat(parseError("Device." + "N".repeat(Path.MAX_NAME_LENGTH + 1) + ".").getMessage())
                .contains("longer than " + Path.MAX_NAME_LENGTH);
    }

    @Test
    void pathologicalShapesFailFastAndShort() {
        String[] bad = {
            "Device." + "[".repeat(30_000),
            "Device.X." + "[".repeat(30_000),
            "Device.X.[" + "A==1&&".repeat(5_000),
            "Device.X.[A==\"" + "%22".repeat(10_000),
            "Device.X.[A==\"" + "%".repeat(30_000) + "\"",
            ".".repeat(30_000),
            "Device." + "1.".repeat(15_000),
            "Device.X.1." + "*.".repeat(15_000),
            "Device.X." + "#".repeat(30_000),
            "Device.X+" + "+".repeat(30_000),
            "Device.X." + "\u0000".repeat(30_000),
            "\uFEFFDevice.",
            "Device.\uD800.",
            "Device.X.[A==\"\uD800\"].Y\uDC00",
        };
        for (String text : bad) {
            ModelException e = parseError(text);
            assertThat(e.code()).as(Path.excerpt(text)).isEqualTo(7008);
            assertThat(e.getMessage()).hasSizeLessThan(400).doesNotContain("\u0000");
        }
    }

    @Test
    void literalsMayHoldAnythingButTheirClosingQuote() {
        // Control characters, brackets and non-ASCII text are data inside a string literal.
        Resolution r = resolver.resolve(C + "[ProvisioningCode==\"a\u0001b]&&[ü\uD83D\uDE00\"].", ReadAccess.ALL);
        assertThat(r.objects()).isEmpty();
        assertThat(r.search()).isTrue();
    }

    @Test
    void parsingIsRepeatableAndTheCacheStaysCorrect() {
        for (int i = 0; i < 5_000; i++) {
            Path p = Path.parse(C + (i + 1) + ".Enable");
            assertThat(((PathSegment.InstanceNumber) p.segments().get(2)).number()).isEqualTo(i + 1);
        }
        assertThat(Path.parse(C + "7.Enable")).isEqualTo(Path.parse(C + "7.Enable"));
        // A failure is never cached as a success, nor the other way round.
        assertThatThrownBy(() -> Path.parse(C + "0.")).isInstanceOf(ModelException.class);
        assertThatThrownBy(() -> Path.parse(C + "0.")).isInstanceOf(ModelException.class);
    }

    @Test
    void supportedPathsAreBoundedToo() {
        SupportedPathResolver gsdm = new SupportedPathResolver(model);
        assertThat(code(() -> gsdm.resolve("Device." + "A.".repeat(20_000)))).isEqualTo(7008);
        assertThat(code(() -> gsdm.resolve("Device." + "{i}.".repeat(10_000)))).isEqualTo(7008);
        assertThat(code(() -> gsdm.resolve("Device." + "x".repeat(Path.MAX_LENGTH)))).isEqualTo(7008);
        assertThat(code(() -> gsdm.resolve("Device.LocalAgent.Controller.{i}.\u0000"))).isEqualTo(7008);
    }

    @Test
    void referenceValuesAreBounded() {
        ReferenceResolver refs = new ReferenceResolver(model);
        assertThatThrownBy(() -> refs.apply(C + "[EndpointID==\"" + "x".repeat(Path.MAX_LENGTH) + "\"]"))
                .isInstanceOfSatisfying(ModelException.class, e -> {
                    assertThat(e.code()).isEqualTo(7012);
                    assertThat(e.getMessage()).hasSizeLessThan(600);
                });
    }
}
