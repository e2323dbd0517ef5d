package io.jl2tp.app.harness.lns;

import io.jl2tp.app.harness.lac.HarnessLac;
import io.jl2tp.app.harness.lac.HarnessLacConfig;
import io.jl2tp.app.harness.lac.LacReport;
import io.jl2tp.app.harness.scenario.Scenario;
import io.jl2tp.app.harness.scenario.ScenarioParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each misbehaviour of the harness LNS, seen from the harness LAC on loopback: what the LAC
 * reports is what the scenario asked for.
 */
@Timeout(120)
class HarnessLnsScenarioTest {

    private static HarnessLns lns(String scenario) throws Exception {
        return HarnessLns.start(new HarnessLnsConfig().user("alice", "s3cret")
                .scenario(ScenarioParser.parse(scenario, "test")));
    }

    private static HarnessLac lac(HarnessLns lns, int tunnels, int sessions, Scenario scenario) throws Exception {
        return HarnessLac.start(new HarnessLacConfig().lns(new InetSocketAddress(InetAddress.getLoopbackAddress(), lns.port()))
                .tunnels(tunnels).sessionsPerTunnel(sessions).user("alice", "s3cret").pings(1).scenario(scenario));
    }

    private static void await(BooleanSupplier done, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    @Test
    void droppedDuplicatedReorderedAndDelayedControlMessagesAndNoZlbsStillBringEveryCallUp() throws Exception {
        try (HarnessLns lns = lns("""
                drop control 2
                duplicate control 3
                reorder control 4
                delay control 5 300ms
                withhold-zlb
                """);
             HarnessLac lac = lac(lns, 2, 4, Scenario.NONE)) {
            // The LNS's control messages per tunnel: SCCRP (Ns 0), then an ICRP per call (Ns 1-4).
            HarnessLac.Result r = lac.awaitSettled(Duration.ofSeconds(40));
            assertEquals(8, r.reachedUp(), LacReport.text(r, true));
            assertEquals(8, r.pingsAnswered(), LacReport.text(r, true));
            Map<String, Long> m = lns.status().misbehaviour();
            // Once per tunnel each; the retransmission repairs the dropped ICRP (§5.8).
            assertEquals(2L, m.get("dropped"), m.toString());
            assertEquals(2L, m.get("duplicated"), m.toString());
            assertEquals(2L, m.get("reordered"), m.toString());
            assertEquals(2L, m.get("delayed"), m.toString());
            assertTrue(m.get("zlbs-withheld") > 0, m.toString());
        }
    }

    @Test
    void stopCcnAfterTimeCarriesTheChosenResultToTheLac() throws Exception {
        try (HarnessLns lns = lns("after 2s stopccn result 6 error 0 \"maintenance\"");
             HarnessLac lac = lac(lns, 1, 2, Scenario.NONE)) {
            HarnessLac.Result r = lac.awaitSettled(Duration.ofSeconds(30));
            assertEquals(2, r.reachedUp(), LacReport.text(r, true));
            await(() -> lac.result().endedAfterUp().values().stream().mapToInt(Integer::intValue).sum() == 2, "the StopCCN");
            String causes = lac.result().endedAfterUp().toString();
            assertTrue(causes.contains("result 6") && causes.contains("maintenance"), causes);
        }
    }

    @Test
    void cdnWithDisconnectCodeAndLcpTerminateEndTheCalls() throws Exception {
        try (HarnessLns lns = lns("after 1s cdn result 3 error 0 disconnect 12 \"admin reset\"");
             HarnessLac lac = lac(lns, 1, 2, Scenario.NONE)) {
            lac.awaitSettled(Duration.ofSeconds(30));
            await(() -> lac.result().endedAfterUp().values().stream().mapToInt(Integer::intValue).sum() == 2, "the CDNs");
            String causes = lac.result().endedAfterUp().toString();
            assertTrue(causes.contains("result 3") && causes.contains("admin reset"), causes);
        }
        try (HarnessLns lns = lns("after 1s lcp-terminate \"bye\"");
             HarnessLac lac = lac(lns, 1, 1, Scenario.NONE)) {
            lac.awaitSettled(Duration.ofSeconds(30));
            await(() -> !lac.result().endedAfterUp().isEmpty(), "the LCP Terminate-Request");
            assertTrue(lac.result().endedAfterUp().toString().contains("peer-terminated"), lac.result().endedAfterUp().toString());
        }
    }

    @Test
    void authRejectAndNakForeverFailEveryCallWithTheirCause() throws Exception {
        try (HarnessLns lns = lns("auth reject"); HarnessLac lac = lac(lns, 1, 2, Scenario.NONE)) {
            HarnessLac.Result r = lac.awaitSettled(Duration.ofSeconds(30));
            assertEquals(0, r.reachedUp());
            assertTrue(r.failures().keySet().stream().allMatch(k -> k.startsWith("auth-failed")), r.failures().toString());
        }
        try (HarnessLns lns = lns("nak-forever lcp mru"); HarnessLac lac = lac(lns, 1, 1, Scenario.NONE)) {
            HarnessLac.Result r = lac.awaitSettled(Duration.ofSeconds(60));
            assertEquals(0, r.reachedUp());
            assertTrue(r.failures().keySet().stream().allMatch(k -> k.startsWith("negotiation-failed")), r.failures().toString());
        }
    }

    @Test
    void anUnknownMandatoryAvpMakesTheLacTearTheTunnelDown() throws Exception {
        // RFC 2661 §4.1: an unrecognised AVP with the M bit set MUST end the tunnel.
        try (HarnessLns lns = lns("after 1s send unknown-mbit-avp"); HarnessLac lac = lac(lns, 1, 1, Scenario.NONE)) {
            lac.awaitSettled(Duration.ofSeconds(30));
            await(() -> !lac.result().endedAfterUp().isEmpty(), "the tunnel teardown");
            String causes = lac.result().endedAfterUp().toString();
            assertTrue(causes.contains("unknown mandatory AVP"), causes);
        }
    }

    @Test
    void aCsurqIsAnUnknownMessageTypeToJl2tpAndEndsTheTunnel() throws Exception {
        // jl2tp does not implement RFC 5515: its Message Type AVP has the M bit, so §4.1 applies.
        try (HarnessLns lns = lns("after 1s send hello\nafter 2s send csurq"); HarnessLac lac = lac(lns, 1, 2, Scenario.NONE)) {
            assertEquals(2, lac.awaitSettled(Duration.ofSeconds(30)).reachedUp());
            await(() -> lac.result().endedAfterUp().values().stream().mapToInt(Integer::intValue).sum() == 2, "the teardown");
            String causes = lac.result().endedAfterUp().toString();
            assertTrue(causes.contains("unknown message type 29"), causes);
        }
    }

    @Test
    void controlCommandsActOnTheRunningLns() throws Exception {
        try (HarnessLns lns = lns(""); HarnessLac lac = lac(lns, 2, 2, Scenario.NONE)) {
            assertEquals(4, lac.awaitSettled(Duration.ofSeconds(30)).reachedUp());
            assertTrue(lns.command("status").startsWith("tunnels 2/2 sessions 4/4 echo-answered 4"), lns.command("status"));
            assertEquals("ok: 4 sessions", lns.command("send sli"));
            int sid = lns.status().calls().get(0).sessionId();
            assertEquals("ok: 1 session", lns.command("session " + sid + " cdn result 2 error 6 \"one\""));
            await(() -> lac.result().upNow() == 3, "one call down");
            assertEquals("ok: 2 tunnels", lns.command("stopccn result 6"));
            await(() -> lac.result().upNow() == 0, "every call down");
            assertEquals("error: unknown directive 'reboot' (drop, delay, duplicate, reorder, withhold-zlb, auth, nak-forever,"
                    + " after, stopccn, cdn, lcp-terminate, send)", lns.command("reboot"));
            assertEquals("error: 'x' is not a session id", lns.command("session x cdn result 1"));
        }
    }
}
