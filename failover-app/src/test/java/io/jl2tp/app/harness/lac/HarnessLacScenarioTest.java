package io.jl2tp.app.harness.lac;

import io.jl2tp.app.harness.lns.HarnessLns;
import io.jl2tp.app.harness.lns.HarnessLnsConfig;
import io.jl2tp.app.harness.scenario.ScenarioParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The harness LAC's own misbehaviour, seen from the harness LNS. */
@Timeout(90)
class HarnessLacScenarioTest {

    private static HarnessLac lac(HarnessLns lns, int sessions, String scenario) throws Exception {
        return HarnessLac.start(new HarnessLacConfig().lns(new InetSocketAddress(InetAddress.getLoopbackAddress(), lns.port()))
                .sessionsPerTunnel(sessions).user("alice", "s3cret").pings(1).scenario(ScenarioParser.parse(scenario, "test")));
    }

    private static void await(java.util.function.BooleanSupplier c, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!c.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
            Thread.sleep(50);
        }
    }

    @Test
    void aLostSccrqAndWithheldZlbsStillBringTheCallsUp() throws Exception {
        try (HarnessLns lns = HarnessLns.start(new HarnessLnsConfig().user("alice", "s3cret"));
             HarnessLac lac = lac(lns, 2, "drop control 1\nwithhold-zlb\n")) {
            HarnessLac.Result r = lac.awaitSettled(Duration.ofSeconds(40));
            assertEquals(2, r.reachedUp(), LacReport.text(r, true));
            assertEquals(1L, r.misbehaviour().get("dropped"), r.misbehaviour().toString());
            assertTrue(r.misbehaviour().get("zlbs-withheld") > 0, r.misbehaviour().toString());
        }
    }

    @Test
    void authRejectMakesTheLnsRefuseTheLac() throws Exception {
        try (HarnessLns lns = HarnessLns.start(new HarnessLnsConfig().user("alice", "s3cret"));
             HarnessLac lac = lac(lns, 1, "auth reject")) {
            HarnessLac.Result r = lac.awaitSettled(Duration.ofSeconds(30));
            assertEquals(0, r.reachedUp());
            assertTrue(r.failures().keySet().stream().allMatch(k -> k.startsWith("auth-failed")), r.failures().toString());
        }
    }

    @Test
    void theLacsStopCcnAndCdnReachTheLnsWithTheirResults() throws Exception {
        try (HarnessLns lns = HarnessLns.start(new HarnessLnsConfig().user("alice", "s3cret"));
             HarnessLac lac = lac(lns, 2, "after 1s send wen\nafter 2s cdn result 2 error 6 \"lac cdn\"")) {
            assertEquals(2, lac.awaitSettled(Duration.ofSeconds(30)).reachedUp());
            await(() -> lns.status().endedByCause().values().stream().mapToInt(Integer::intValue).sum() == 2, "the CDNs");
            Map<String, Integer> ended = lns.status().endedByCause();
            assertTrue(ended.keySet().stream().allMatch(k -> k.contains("result 2") && k.contains("lac cdn")), ended.toString());
        }
        try (HarnessLns lns = HarnessLns.start(new HarnessLnsConfig().user("alice", "s3cret"));
             HarnessLac lac = lac(lns, 1, "after 1s stopccn result 2 error 0 \"lac stop\"")) {
            assertEquals(1, lac.awaitSettled(Duration.ofSeconds(30)).reachedUp());
            await(() -> !lns.status().endedByCause().isEmpty(), "the StopCCN");
            Map<String, Integer> ended = lns.status().endedByCause();
            assertTrue(ended.keySet().stream().allMatch(k -> k.contains("result 2") && k.contains("lac stop")), ended.toString());
        }
    }
}
