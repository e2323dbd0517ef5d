package io.jl2tp.harness.junit;

import io.jl2tp.app.harness.lac.HarnessLac;
import io.jl2tp.app.harness.lns.HarnessLns;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static io.jl2tp.harness.junit.L2tpHarness.Role.LAC;
import static io.jl2tp.harness.junit.L2tpHarness.Role.LNS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * The extension as a user meets it: a harness LAC dialling a harness LNS, both from parameters,
 * in user space on loopback (no root); a scenario that makes the LNS refuse authentication; the
 * pcap kept when a test fails (a deliberately failing test run through the JUnit launcher) and
 * not when it passes; bad annotation values as one clear error.
 */
class L2tpHarnessExtensionTest {

    @Test
    void aHarnessLacDialsAHarnessLns(@L2tpHarness(role = LNS, users = "alice:s3cret") RunningHarness lns,
                                     @L2tpHarness(role = LAC, users = "alice:s3cret", tunnels = 2, sessions = 3) RunningHarness lac)
            throws Exception {
        HarnessLac.Result r = lac.awaitSettled(Duration.ofSeconds(60));
        assertEquals(6, r.reachedUp(), r.toString());
        assertEquals(r.pingsSent(), r.pingsAnswered(), "every echo through every call answered: " + r);
        HarnessLns.Status s = lns.awaitSessionsUp(6, Duration.ofSeconds(10));
        assertEquals(2, s.tunnelsEstablished());
        assertTrue(s.echoAnswered() >= r.pingsAnswered(), lns.status());
        assertTrue(lns.port() > 0 && lns.address().getAddress().isLoopbackAddress());
        assertTrue(lns.status().startsWith("tunnels 2/2 sessions 6/6 "), lns.status());
        assertTrue(Files.exists(lns.pcap()) && Files.exists(lac.pcap()), "pcaps are written while the test runs");
        assertThrows(IllegalStateException.class, lns::lac);
    }

    @Test
    void aScenarioMakesTheLnsRefuseAuthentication(@L2tpHarness(users = "alice:s3cret", scenario = "auth reject") RunningHarness lns,
                                                  @L2tpHarness(role = LAC, users = "alice:s3cret") RunningHarness lac)
            throws Exception {
        HarnessLac.Result r = lac.awaitSettled(Duration.ofSeconds(60));
        assertEquals(0, r.reachedUp(), r.toString());
        assertEquals(1, r.failures().values().stream().mapToInt(Integer::intValue).sum(), r.toString());
        assertEquals(0, lns.lns().status().sessionsUp());
    }

    /** Only run by {@link #aFailedTestKeepsItsPcaps} through the launcher (surefire skips nested classes). */
    static class FailingExample {
        static final AtomicReference<Path> PCAP = new AtomicReference<>();
        static volatile boolean fail;

        @Test
        void dialsThenFails(@L2tpHarness(users = "bob:pw") RunningHarness lns,
                            @L2tpHarness(role = LAC, users = "bob:pw") RunningHarness lac) throws Exception {
            PCAP.set(lns.pcap());
            assertEquals(1, lac.awaitSettled(Duration.ofSeconds(60)).reachedUp());
            assertFalse(fail, "deliberately failed");
        }

        @Test
        void badUser(@L2tpHarness(users = "no-colon") RunningHarness lns) {
        }
    }

    private static TestExecutionSummary runExample(boolean fail, Path pcapDir) {
        String old = System.getProperty("jl2tp.harness.pcapDir");
        System.setProperty("jl2tp.harness.pcapDir", pcapDir.toString());
        FailingExample.fail = fail;
        try {
            Launcher launcher = LauncherFactory.create();
            SummaryGeneratingListener listener = new SummaryGeneratingListener();
            launcher.execute(org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request()
                    .selectors(selectClass(FailingExample.class)).build(), listener);
            return listener.getSummary();
        } finally {
            if (old == null) {
                System.clearProperty("jl2tp.harness.pcapDir");
            } else {
                System.setProperty("jl2tp.harness.pcapDir", old);
            }
        }
    }

    private static List<Path> files(Path dir) throws Exception {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    @Test
    void aFailedTestKeepsItsPcaps(@TempDir Path tmp) throws Exception {
        Path passed = tmp.resolve("passed");
        TestExecutionSummary ok = runExample(false, passed);
        assertEquals(2, ok.getTestsStartedCount());
        assertEquals(1, ok.getTestsSucceededCount(), "dialsThenFails passes when not told to fail");
        assertEquals(List.of(), files(passed), "a passing test keeps no pcap");
        assertFalse(Files.exists(FailingExample.PCAP.get().getParent()), "its temporary directory is gone");

        Path failed = tmp.resolve("failed");
        TestExecutionSummary bad = runExample(true, failed);
        assertEquals(2, bad.getTestsFailedCount());
        List<String> messages = bad.getFailures().stream().map(f -> f.getException().getMessage()).sorted().toList();
        assertTrue(messages.contains("@L2tpHarness lns0: users: 'no-colon' is not name:secret"), messages.toString());
        assertTrue(messages.contains("deliberately failed ==> expected: <false> but was: <true>"), messages.toString());
        List<Path> kept = files(failed);
        String prefix = FailingExample.class.getName() + ".dialsThenFails-";
        assertEquals(List.of(prefix + "lac1.pcap", prefix + "lns0.pcap"),
                kept.stream().map(p -> p.getFileName().toString()).toList());
        for (Path p : kept) {
            byte[] b = Files.readAllBytes(p);
            // libpcap magic (either byte order), and more than the 24-octet file header: packets.
            int magic = (b[0] & 0xFF) << 24 | (b[1] & 0xFF) << 16 | (b[2] & 0xFF) << 8 | (b[3] & 0xFF);
            assertTrue(magic == 0xa1b2c3d4 || magic == 0xd4c3b2a1, p + String.format(": magic %08x", magic));
            assertTrue(b.length > 24 + 16 + 28, p + ": " + b.length + " octets");
        }
    }
}
