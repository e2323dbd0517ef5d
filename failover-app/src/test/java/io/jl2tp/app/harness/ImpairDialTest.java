package io.jl2tp.app.harness;

import io.jl2tp.app.dial.Dialer;
import io.jl2tp.app.xl2tpd.Xl2tpdProcess;
import io.jl2tp.ppp.PppEvent;
import io.jl2tp.testkit.NetNs;
import io.jl2tp.testkit.RequiresRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Dialling jl2tp's own LNS through the impairment relay over a 4G-like path: 20 % loss each way
 * and 60 ± 20 ms delay each way (so a 120 ms round trip, with reordering from the jitter). The
 * session comes up, gets its IPv4 address, and answers pings — with the in-JVM dialer and with
 * {@code jl2tp xl2tpd} as a daemon. The relay's counters show the impairment really happened.
 */
@RequiresRoot(commands = {"ip", "ping"})
class ImpairDialTest {

    private static final long MS = 1_000_000L;
    private static final Impairment.Profile PATH_4G = Impairment.Profile.NONE.withLoss(20).withDelay(60 * MS, 20 * MS);

    /**
     * Pings the LNS through the tunnel until one answer comes back (at most 90 s). At 20 % loss
     * each way a round trip succeeds 64 % of the time, and a late retransmission can make PPP
     * renegotiate IPCP (RFC 1661 §4.3) for a few seconds right after it came up.
     */
    static NetNs.Result pingThrough(NetNs lac) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        NetNs.Result r;
        do {
            r = lac.run(30, TimeUnit.SECONDS, "ping", "-c", "10", "-i", "0.3", "-W", "2", "198.51.100.1");
        } while (r.status() != 0 && System.nanoTime() < deadline);
        return r;
    }

    @Test
    void dialerComesUpThroughTwentyPercentLossAndSixtyMsDelay(@TempDir Path tmp) throws Exception {
        try (RelayRig rig = new RelayRig("idl", 5, 10)) {
            rig.startLns();
            ImpairRelay relay = rig.startRelay(PATH_4G, PATH_4G, 20_261_202, tmp.resolve("dial.pcap"));
            Dialer dialer = rig.dial();
            try {
                PppEvent.IpUp up = dialer.ipUp().get(180, TimeUnit.SECONDS);
                assertEquals("198.51.100.128", up.local().getHostAddress());
                String addr = rig.lac.exec("ip", "addr", "show", "dev", "l2tp-rig");
                assertTrue(addr.contains("198.51.100.128 peer 198.51.100.1/32"), addr);
                NetNs.Result ping = pingThrough(rig.lac);
                assertEquals(0, ping.status(), ping.output());
            } finally {
                dialer.hangUp("test finished", 3000);
            }
            relay.close();
            ImpairRelay.Stats upStats = relay.stats(ImpairRelay.Direction.UP);
            ImpairRelay.Stats downStats = relay.stats(ImpairRelay.Direction.DOWN);
            assertTrue(upStats.impairment().lost() > 0 && downStats.impairment().lost() > 0, upStats.line() + " / " + downStats.line());
            assertTrue(upStats.impairment().delayed() == upStats.impairment().forwarded(), upStats.line());
            RelayRig.await(30, "the LNS to clear the call", () -> RelayRig.interfaces(rig.lnsNs, "lns").isEmpty());
            assertTrue(RelayRig.interfaces(rig.lac, "l2tp-rig").isEmpty(), "the LAC's interface is gone");
        }
    }

    @Test
    void xl2tpdDaemonComesUpThroughTheSamePath(@TempDir Path tmp) throws Exception {
        try (RelayRig rig = new RelayRig("ixl", 5, 10); Xl2tpdProcess d = new Xl2tpdProcess(tmp)) {
            rig.startLns();
            ImpairRelay relay = rig.startRelay(PATH_4G, PATH_4G, 7, null);
            Path options = d.write("options", "name alice\nnoauth\nifname l2tp0\nlcp-echo-interval 1\nlcp-echo-failure 5\n",
                    "rw-r--r--");
            d.write("ppp/chap-secrets", "alice * s3cret\n", "rw-------");
            Path conf = d.write("xl2tpd.conf", String.join("\n",
                    "[lac relay]",
                    "lns = 203.0.113.2",
                    "redial = yes",
                    "redial timeout = 2",
                    "autodial = yes",
                    "pppoptfile = " + options,
                    ""), "rw-r--r--");
            d.start(rig.lac, conf);
            d.await(180, "IPCP up through the relay", () -> rig.lac.run(5, TimeUnit.SECONDS, "ip", "addr", "show", "dev", "l2tp0")
                    .output().contains("peer 198.51.100.1/32"));
            NetNs.Result ping = pingThrough(rig.lac);
            assertEquals(0, ping.status(), ping.output() + "\n" + Xl2tpdProcess.tail(d.log()));
            assertEquals(0, d.terminate(30), Xl2tpdProcess.tail(d.log()));
            relay.close();
            List<ImpairRelay.Stats> stats = List.of(relay.stats(ImpairRelay.Direction.UP), relay.stats(ImpairRelay.Direction.DOWN));
            assertTrue(stats.stream().allMatch(s -> s.impairment().lost() > 0), stats.toString());
        }
    }
}
