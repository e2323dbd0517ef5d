package io.jl2tp.app.harness;

import io.jl2tp.testkit.RequiresRoot;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A smoke run of the benchmark script {@code failover-app/bench/run-failover-relay.sh} (and so
 * of the lib.sh that run-failover.sh shares): one counted failover through the relay at 5 ms
 * each way, with this build's classes instead of the jar. Only that it runs and reports is
 * checked; the figures belong in docs/benchmarks.md, not here.
 */
@RequiresRoot(commands = {"ip", "ping", "python3"})
class FailoverRelayBenchSmokeTest {

    @Test
    void theScriptRunsOnceAndReportsInRoundTrips() throws Exception {
        Path script = Path.of("bench", "run-failover-relay.sh").toAbsolutePath();
        assertTrue(Files.isExecutable(script), script.toString());
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder("bash", script.toString(), "1", "5").redirectErrorStream(true);
        pb.environment().put("JL2TP", java + " -cp " + System.getProperty("java.class.path") + " io.jl2tp.app.cli.Main");
        Process p = pb.start();
        p.getOutputStream().close();
        boolean done = p.waitFor(240, TimeUnit.SECONDS);
        if (!done) {
            p.destroy(); // its EXIT trap removes the namespaces
            p.waitFor(30, TimeUnit.SECONDS);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(done, "the script did not finish in 240 s:\n" + out);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("warm-up: ") && out.contains("run 1: "), out);
        assertTrue(out.matches("(?s).*median \\d+(\\.\\d+)? ms = \\d+\\.\\d RTT, max \\d+ ms = \\d+\\.\\d RTT.*"), out);
        assertTrue(out.contains("session up ") && out.contains("ms after the primary went down"), out);
        assertTrue(out.contains("\nup   ") && out.contains("\ndown "), "the relay's counters at exit:\n" + out);
        System.out.println(out);
    }
}
