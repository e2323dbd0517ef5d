package io.jl2tp.app.demo;

import io.jl2tp.testkit.RequiresRoot;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A smoke run of {@code failover-app/bench/run-setup-latency.sh} (issue 14): every case it
 * measures — fresh JVM, one JVM in a row, through the delaying relay cold and with a warm
 * standby tunnel — runs twice and yields its row. Only that it works: its figures go to
 * docs/benchmarks.md, not into a test.
 */
@RequiresRoot(commands = {"ip"})
class SetupLatencyBenchTest {

    @Test
    void theBenchmarkScriptProducesEveryRow() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(List.of("bash", "bench/run-setup-latency.sh", "--smoke", "2", "5"))
                .redirectErrorStream(true);
        pb.environment().put("JL2TP", java + " -cp " + System.getProperty("java.class.path") + " io.jl2tp.app.cli.Main");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), out);
        assertEquals(0, p.exitValue(), out);
        for (String row : new String[] {"fresh JVM each", "one JVM, 2 in a row", "relay +5 ms each way, cold: SCCRQ",
            "relay +5 ms each way, standby = warm: ICRQ"}) {
            assertTrue(out.lines().anyMatch(l -> l.contains(row) && l.matches("\\| .* \\| 2 \\| [\\d.]+ ms \\| .*")), row + " in\n" + out);
        }
        assertFalse(DemoLab.run("ip", "netns", "list").contains("jl2tp-demo-"), "namespaces removed");
    }
}
