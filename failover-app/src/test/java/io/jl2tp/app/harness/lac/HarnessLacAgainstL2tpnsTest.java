package io.jl2tp.app.harness.lac;

import io.jl2tp.testkit.L2tpnsFixture;
import io.jl2tp.testkit.RequiresRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The harness LAC against the real, independent l2tpns in namespaces, as far as it goes. */
@RequiresRoot(commands = {"l2tpns", "freeradius"})
@Timeout(180)
class HarnessLacAgainstL2tpnsTest {

    private static HarnessLac dial(L2tpnsFixture lns, int tunnels, int sessions) throws Exception {
        HarnessLacConfig config = new HarnessLacConfig()
                .lns(new InetSocketAddress(lns.lnsAddress(), lns.port()))
                .bind(new InetSocketAddress(L2tpnsFixture.LAC_IP, 0))
                .tunnels(tunnels).sessionsPerTunnel(sessions).user(lns.user(), lns.password()).pings(2).rate(20);
        return lns.lacNamespace().call(() -> HarnessLac.start(config));
    }

    @Test
    void aCallComesUpAndL2tpnsAnswersPingsThroughIt() throws Exception {
        try (L2tpnsFixture lns = L2tpnsFixture.start()) {
            HarnessLac lac = dial(lns, 1, 1);
            try {
                HarnessLac.Result r = lac.awaitSettled(Duration.ofSeconds(60));
                String report = LacReport.text(r, true) + "\n" + lns.log();
                assertEquals(1, r.reachedUp(), report);
                assertEquals(Map.of(), r.failures(), report);
                assertEquals(2, r.pingsAnswered(), report);
                assertEquals(L2tpnsFixture.LNS_PPP_IP, r.calls().get(0).ipv4Remote(), report);
                assertEquals(L2tpnsFixture.POOL_FIRST, r.calls().get(0).ipv4Local(), report);
            } finally {
                lac.close();
            }
        }
    }

    /**
     * Known l2tpns behaviour, asserted so that a change is noticed: one session per user name
     * (its allow_duplicate_users is off by default). Every call of the same user authenticates,
     * and each new one makes l2tpns shut the earlier ones down with CDN result 3 — at most one
     * survives (none, when the last two authenticate at once, as seen here).
     */
    @Test
    void l2tpnsKeepsOneSessionPerUser() throws Exception {
        try (L2tpnsFixture lns = L2tpnsFixture.start()) {
            HarnessLac lac = dial(lns, 2, 2);
            try {
                lac.awaitSettled(Duration.ofSeconds(60));
                long deadline = System.nanoTime() + 30_000_000_000L;
                HarnessLac.Result r = lac.result();
                while (System.nanoTime() < deadline && r.upNow() + sum(r.failures()) + sum(r.endedAfterUp()) < 4) {
                    Thread.sleep(100);
                    r = lac.result();
                }
                String report = LacReport.text(r, true) + "\n" + lns.log();
                assertTrue(r.upNow() <= 1, report);
                assertEquals(4 - r.upNow(), sum(r.failures()) + sum(r.endedAfterUp()), report);
                assertTrue(r.failures().keySet().stream().allMatch(k -> k.contains("result 3")), report);
                assertTrue(r.endedAfterUp().keySet().stream().allMatch(k -> k.contains("result 3")), report);
                assertTrue(lns.log().contains("Duplicate session for users"), report);
            } finally {
                lac.close();
            }
        }
    }

    private static int sum(Map<String, Integer> m) {
        return m.values().stream().mapToInt(Integer::intValue).sum();
    }
}
