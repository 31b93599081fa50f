package io.uspbridge.path;

import io.uspbridge.model.DataModel;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Cost of path resolution on the Get hot path. Not part of {@code ./mvnw verify}; run with
 * {@code ./mvnw -q -B test -Dtest=PathResolverBenchmark -DexcludedTestGroups=interop -DincludedTestGroups=bench}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PathResolverBenchmark {
    private PathResolver resolver;
    private PathResolver bigResolver;

    @Setup
    public void setUp() {
        DataModel m = PathFixture.model();
        resolver = new PathResolver(m);
        // 1000 subscriptions: a search must look at every row.
        DataModel big = PathFixture.model();
        var agent = big.find("Device.LocalAgent.");
        for (int i = 0; i < 1000; i++) {
            big.addRow(agent, "Subscription", PathFixture.values("Enable", i % 2 == 0 ? "true" : "false",
                    "Recipient", "Device.LocalAgent.Controller.1", "NotifExpiration", Integer.toString(i)));
        }
        bigResolver = new PathResolver(big);
    }

    @Benchmark
    public Resolution root() {
        return resolver.resolve("Device.", ReadAccess.ALL);
    }

    @Benchmark
    public Resolution deviceInfo() {
        return resolver.resolve("Device.DeviceInfo.", ReadAccess.ALL);
    }

    @Benchmark
    public Resolution parameter() {
        return resolver.resolve("Device.LocalAgent.Controller.2.BootParameter.1.Enable", ReadAccess.ALL);
    }

    @Benchmark
    public Resolution uniqueKey() {
        return resolver.resolve("Device.LocalAgent.Controller.[EndpointID==\"proto::c2\"].Enable", ReadAccess.ALL);
    }

    @Benchmark
    public Resolution searchOver1000Rows() {
        return bigResolver.resolve("Device.LocalAgent.Subscription.[Enable==true&&NotifExpiration>=500].",
                ReadAccess.ALL);
    }

    @Benchmark
    public Path parseUncachedSearch() {
        return new PathParser("Device.LocalAgent.Subscription.[Recipient+.EndpointID==\"proto::c1\"&&Enable==true].ID")
                .parse();
    }

    @Test
    @Tag("bench")
    void run() throws Exception {
        new Runner(new OptionsBuilder().include(PathResolverBenchmark.class.getName()).forks(0)
                .warmupIterations(3).warmupTime(TimeValue.seconds(1))
                .measurementIterations(5).measurementTime(TimeValue.seconds(1)).build()).run();
    }
}
