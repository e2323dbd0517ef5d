package io.jl2tp.bench;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A smoke run of every JMH benchmark (issue #14): one 50 ms iteration each, in this JVM, to show
 * they run and produce a score. Not a measurement: failover-app/bench/run-jmh.sh measures.
 */
class BenchmarkSmokeTest {

    @Test
    void everyBenchmarkRunsOnceAndScores() throws Exception {
        Options o = new OptionsBuilder().include("io\\.jl2tp\\..*Benchmark").forks(0).warmupIterations(0)
                .measurementIterations(1).measurementTime(TimeValue.milliseconds(50)).shouldFailOnError(true)
                .param("acfcPfc", "true").param("lengthBit", "true").build();
        Collection<RunResult> results = new Runner(o).run();
        Set<String> seen = new TreeSet<>();
        for (RunResult r : results) {
            seen.add(r.getParams().getBenchmark().replaceAll(".*\\.(\\w+\\.\\w+)$", "$1"));
            assertTrue(r.getPrimaryResult().getScore() > 0, r.getParams().getBenchmark());
        }
        assertEquals(Set.of("ControlDecodeBenchmark.decode", "DataPathBenchmark.encapsulate",
                "DataPathBenchmark.encapsulateDecapsulate"), seen);
    }
}
