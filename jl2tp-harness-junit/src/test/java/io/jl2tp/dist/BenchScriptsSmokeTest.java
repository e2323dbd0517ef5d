package io.jl2tp.dist;

import io.jl2tp.testkit.RequiresRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Smoke runs of issue 14's benchmark scripts in failover-app/bench (throughput and CPU per packet
 * against the C relay, the A/B CPU comparison of two builds, footprint, start-up), each for a
 * second or one round: only that they run through and print their figures. The figures themselves
 * go to docs/benchmarks.md, never into a test. They use the shaded jar, which failover-app
 * packages before this module's tests run.
 */
@RequiresRoot(commands = {"ip", "iperf3", "gcc", "python3"})
class BenchScriptsSmokeTest {

    private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
    private static final String NUMBER = "[0-9]+(\\.[0-9]+)?";

    private static String run(String... command) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("bash"));
        cmd.addAll(List.of(command));
        Process p = new ProcessBuilder(cmd).directory(ROOT.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), out);
        assertEquals(0, p.exitValue(), out);
        String ns = new String(new ProcessBuilder("ip", "netns", "list").start().getInputStream().readAllBytes(),
                StandardCharsets.UTF_8);
        assertFalse(ns.contains("jl2tp-tput-") || ns.contains("jl2tp-ab-") || ns.contains("jl2tp-fp-")
                || ns.contains("jl2tp-ready-"), "the script removed its namespaces: " + ns);
        return out;
    }

    private static void assertLine(String out, String regex) {
        Pattern p = Pattern.compile(regex);
        assertTrue(out.lines().anyMatch(l -> p.matcher(l).find()), regex + " in\n" + out);
    }

    @Test
    void throughputAndCpuPerPacketAgainstTheCRelay() throws Exception {
        String out = run("failover-app/bench/run-throughput.sh", "1", "0", "1");
        assertLine(out, "^medians over the rounds: TCP " + NUMBER + ", CPU per packet " + NUMBER + "$");
        assertLine(out, "^RSS after the run: dialer [0-9]+ MiB, LNS [0-9]+ MiB$");
    }

    @Test
    void cpuPerPacketOfTwoBuildsSideBySide(@TempDir Path dir) throws Exception {
        Path jar = ROOT.resolve("failover-app/target/jl2tp.jar");
        Path a = Files.createDirectories(dir.resolve("a")).resolve("jl2tp.jar");
        Path b = Files.createDirectories(dir.resolve("b")).resolve("jl2tp.jar");
        Files.copy(jar, a);
        Files.copy(jar, b);
        String out = run("failover-app/bench/run-cpu-ab.sh", a.toString(), b.toString(), "1", "1");
        assertLine(out, "^1 +" + NUMBER + " +" + NUMBER + " +" + NUMBER + " +" + NUMBER + " +" + NUMBER + " +" + NUMBER);
        assertLine(out, "^medians over the rounds: A/relay " + NUMBER + ", B/relay " + NUMBER + ", B/A " + NUMBER + "$");
    }

    @Test
    void footprintAndStartUp() throws Exception {
        String out = run("failover-app/bench/run-footprint.sh", "1", "1");
        assertLine(out, "^--check: ");
        assertLine(out, "^start -> READY=1: " + NUMBER + " s \\(CPU " + NUMBER + " s\\); start -> session up");
        assertLine(out, "^RSS after 1 s of traffic: VmHWM: [0-9]+ MiB  VmRSS: [0-9]+ MiB");
    }

    @Test
    void startUpWithTwoOptionSetsInterleaved() throws Exception {
        String out = run("failover-app/bench/run-ready.sh", "1", "", "-Xss512k");
        assertLine(out, "^\\[shipped\\] start -> READY=1: median " + NUMBER + " s");
        assertLine(out, "^\\[-Xss512k\\] start -> READY=1: median " + NUMBER + " s");
    }
}
