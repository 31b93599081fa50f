package io.uspbridge.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collection;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs the JMH benchmarks of this package: only with {@code ./mvnw -Pbench test} (tag {@code bench}); the figures
 * go to the console and to {@code target/jmh-result.json}. Speed is measured and reported, never asserted.
 */
@Tag("bench")
class BenchmarksTest {

    @Test
    void runTheBenchmarks() throws RunnerException {
        String include = System.getProperty("bench.include", BenchmarksTest.class.getPackageName() + ".*Benchmark");
        Collection<RunResult> results = new Runner(new OptionsBuilder().include(include)
                .result("target/jmh-result.json").resultFormat(ResultFormatType.JSON).build()).run();
        assertThat(results).isNotEmpty();
    }
}
