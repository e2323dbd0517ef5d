package io.jl2tp.app.harness.lac;

import io.jl2tp.app.harness.lns.HarnessLns;
import io.jl2tp.app.harness.lns.HarnessLnsConfig;
import io.jl2tp.app.harness.session.CallStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Harness LAC against harness LNS on loopback, no root: N tunnels × M calls up, every echo answered. */
@Timeout(60)
class HarnessLacAgainstLnsTest {

    @Test
    void tunnelsTimesSessionsComeUpAndEveryEchoIsAnswered() throws Exception {
        try (HarnessLns lns = HarnessLns.start(new HarnessLnsConfig().user("alice", "s3cret"))) {
            HarnessLac.Result r;
            try (HarnessLac lac = HarnessLac.start(new HarnessLacConfig()
                    .lns(new InetSocketAddress(InetAddress.getLoopbackAddress(), lns.port()))
                    .tunnels(3).sessionsPerTunnel(4).user("alice", "s3cret").pings(2))) {
                r = lac.awaitSettled(Duration.ofSeconds(40));
                HarnessLns.Status s = lns.status();
                assertEquals(3, s.tunnelsEstablished(), HarnessLns.describe(s));
                assertEquals(12, s.sessionsUp(), HarnessLns.describe(s));
                assertEquals(24, s.echoAnswered(), HarnessLns.describe(s));
                // Every call got its own address from the pool.
                assertEquals(12, s.calls().stream().map(CallStatus::ipv4Remote).distinct().count());
            }
            assertEquals(12, r.placed(), LacReport.text(r, true));
            assertEquals(12, r.reachedUp(), LacReport.text(r, true));
            assertEquals(Map.of(), r.failures());
            assertEquals(24, r.pingsSent());
            assertEquals(24, r.pingsAnswered(), LacReport.text(r, true));
            assertTrue(r.setupP50Millis() > 0 && r.setupP99Millis() >= r.setupP50Millis());
            assertTrue(r.rttP99Millis() > 0);
            assertTrue(LacReport.json(r).startsWith("{\"placed\":12,\"reachedUp\":12,"));
            // The LAC closed its tunnels: the LNS saw them go.
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (lns.status().tunnels() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(0, lns.status().sessions());
        }
    }

    @Test
    void icmpv6EchoIsAnsweredInUserSpaceToo() throws Exception {
        try (HarnessLns lns = HarnessLns.start(new HarnessLnsConfig().user("alice", "s3cret"));
             HarnessLac lac = HarnessLac.start(new HarnessLacConfig()
                     .lns(new InetSocketAddress(InetAddress.getLoopbackAddress(), lns.port()))
                     .sessionsPerTunnel(2).user("alice", "s3cret").pings(2).pingIpv6(true))) {
            lac.awaitSettled(Duration.ofSeconds(30));
            // The settling waits for the IPv4 pings; the IPv6 ones left at about the same time.
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (lac.result().pingsAnswered() < 8 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            HarnessLac.Result r = lac.result();
            assertEquals(2, r.reachedUp(), LacReport.text(r, true));
            assertEquals(8, r.pingsSent(), LacReport.text(r, true));
            assertEquals(8, r.pingsAnswered(), LacReport.text(r, true));
            assertEquals(8, lns.status().echoAnswered());
            assertTrue(r.calls().stream().allMatch(c -> c.ipv6Remote() != null && c.ipv6Remote().startsWith("fe80::")),
                    LacReport.text(r, true));
        }
    }

    @Test
    void afterCloseTheLastStatusAndResultRemain() throws Exception {
        HarnessLns lns = HarnessLns.start(new HarnessLnsConfig().user("alice", "s3cret"));
        int port = lns.port();
        HarnessLac lac = HarnessLac.start(new HarnessLacConfig().lns(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))
                .user("alice", "s3cret").pings(0));
        assertEquals(1, lac.awaitSettled(Duration.ofSeconds(30)).reachedUp());
        assertEquals(1, lns.status().sessionsUp());
        lac.close();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (lns.status().sessions() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        lns.close();
        lns.close(); // idempotent
        assertEquals(port, lns.port());
        assertEquals(1, lac.result().reachedUp(), "the result as it was when closing began");
        assertEquals(1, lns.status().endedByCause().values().stream().mapToInt(Integer::intValue).sum(),
                "the status as it was when closing began: the LAC's hang-up counted");
        assertEquals("error: the LNS is closed", lns.command("status"));
        assertEquals("error: the LAC is closed", lac.command("status"));
    }

    @Test
    void aWrongSecretFailsEveryCallWithTheAuthenticationCause() throws Exception {
        try (HarnessLns lns = HarnessLns.start(new HarnessLnsConfig().user("alice", "s3cret"));
             HarnessLac lac = HarnessLac.start(new HarnessLacConfig()
                     .lns(new InetSocketAddress(InetAddress.getLoopbackAddress(), lns.port()))
                     .sessionsPerTunnel(2).user("alice", "wrong"))) {
            HarnessLac.Result r = lac.awaitSettled(Duration.ofSeconds(30));
            assertEquals(0, r.reachedUp(), LacReport.text(r, true));
            assertEquals(2, r.failures().values().stream().mapToInt(Integer::intValue).sum(), LacReport.text(r, true));
            assertTrue(r.failures().keySet().stream().allMatch(k -> k.startsWith("auth-failed")), r.failures().toString());
            assertFalse(r.failures().isEmpty());
        }
    }
}
