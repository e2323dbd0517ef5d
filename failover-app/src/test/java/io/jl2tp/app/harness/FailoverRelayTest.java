package io.jl2tp.app.harness;

import io.jl2tp.app.xl2tpd.Xl2tpdProcess;
import io.jl2tp.testkit.NetNs;
import io.jl2tp.testkit.RequiresRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The failover service of {@code jl2tp xl2tpd} ({@code [failover aaisp]}) whose backup path is a
 * 4G-like one: the relay between the router and the LNS drops 20 % each way and delays each
 * datagram 60 ± 20 ms each way ({@link RelayRig#addPrimary}: the relay's namespace is the 4G
 * router). Primary down: the session comes up through the lossy path, the default routes move
 * to the tunnel and pings pass. Primary back: after {@code hold up} the session and tunnel are
 * closed (RFC 2661 §5.7 CDN and StopCCN, retransmitted through the loss) and both ends let go.
 */
@RequiresRoot(commands = {"ip", "ping"})
class FailoverRelayTest {

    private static final long MS = 1_000_000L;
    private static final Impairment.Profile PATH_4G = Impairment.Profile.NONE.withLoss(20).withDelay(60 * MS, 20 * MS);
    private static final String TUN = "l2tp-aaisp";

    private static Path config(Xl2tpdProcess d) throws Exception {
        // LCP echo every 2 s, 10 misses: at 36 % round-trip loss ten in a row (p ≈ 4e-5) do not happen by chance.
        Path options = d.write("options", "name alice\nnoauth\nifname " + TUN + "\nlcp-echo-interval 2\nlcp-echo-failure 10\n",
                "rw-r--r--");
        d.write("ppp/chap-secrets", "alice * s3cret\n", "rw-------");
        return d.write("xl2tpd.conf", String.join("\n",
                "[lac aaisp]",
                "lns = " + RelayRig.RELAY.getAddress().getHostAddress(),
                "redial = yes",
                "redial timeout = 2",
                "pppoptfile = " + options,
                "[failover aaisp]",
                "primary = " + RelayRig.PRIMARY,
                "backup = wan",
                "routes = yes",
                "route metric = 100",
                "hold up = 2",
                ""), "rw-r--r--");
    }

    private static boolean tunnelUp(RelayRig rig) {
        NetNs.Result r = rig.lac.run(5, TimeUnit.SECONDS, "ip", "addr", "show", "dev", TUN);
        return r.status() == 0 && r.output().contains("peer 198.51.100.1/32");
    }

    private static boolean tunnelGone(RelayRig rig) {
        return rig.lac.run(5, TimeUnit.SECONDS, "ip", "link", "show", TUN).status() != 0;
    }

    private static String routes(RelayRig rig) {
        return rig.lac.exec("ip", "route", "show");
    }

    @Test
    void failoverThroughTwentyPercentLossAndSixtyMsDelayAndBack(@TempDir Path tmp) throws Exception {
        try (RelayRig rig = new RelayRig("ifo", 2, 10); Xl2tpdProcess d = new Xl2tpdProcess(tmp)) {
            rig.addPrimary("ifo");
            rig.startLns();
            ImpairRelay relay = rig.startRelay(PATH_4G, PATH_4G, 20_261_202, null);
            d.start(rig.lac, config(d));
            d.await(10, "watching", () -> d.log().contains("watching " + RelayRig.PRIMARY));
            // Deliberate: the first evaluation's time; with the primary up nothing may be dialled.
            Thread.sleep(2000);
            assertTrue(tunnelGone(rig), "primary up: no session\n" + Xl2tpdProcess.tail(d.log()));
            assertEquals(0, relay.stats(ImpairRelay.Direction.UP).impairment().received(), "primary up: nothing sent to the LNS");

            rig.primaryDown();
            d.await(180, "the tunnel through the lossy path", () -> tunnelUp(rig));
            d.await(10, "the default route via the tunnel", () -> routes(rig).contains("default dev " + TUN + " scope link metric 100"));
            assertTrue(routes(rig).contains("203.0.113.2 via 203.0.113.2 dev wan metric 10"), "the LNS (the relay) via the backup:\n"
                    + routes(rig));
            NetNs.Result ping = ImpairDialTest.pingThrough(rig.lac);
            assertEquals(0, ping.status(), ping.output() + "\n" + Xl2tpdProcess.tail(d.log()));
            String route = rig.lac.exec("ip", "route", "get", "192.0.2.99");
            assertTrue(route.contains("dev " + TUN), "traffic to the Internet uses the tunnel: " + route);
            assertEquals(1, rig.lns.calls(), "one call at the LNS");
            assertTrue(d.log().contains("session up ") && d.log().contains(" ms after the primary went down"), Xl2tpdProcess.tail(d.log()));

            rig.primaryUp();
            d.await(5, "the tunnel's default route withdrawn", () -> !routes(rig).contains("default dev " + TUN));
            assertTrue(routes(rig).contains("default via " + RelayRig.ISP_GW + " dev " + RelayRig.PRIMARY), routes(rig));
            // hold up (2 s), then the CDN and StopCCN through the loss: each is retransmitted until acknowledged.
            d.await(60, "the hang-up after hold up", () -> tunnelGone(rig));
            d.await(60, "the LNS to clear the call", () -> rig.lns.calls() == 0 && RelayRig.interfaces(rig.lnsNs, "lns").isEmpty());
            d.await(10, "the address back in the pool (released after the interface)", () -> rig.lns.freeAddresses() == 3);
            d.await(10, "the LNS route to go", () -> !routes(rig).contains("203.0.113.2 via"));
            // Deliberate: longer than redial timeout, to show that nothing is dialled again while the primary is up.
            Thread.sleep(3000);
            assertTrue(tunnelGone(rig), Xl2tpdProcess.tail(d.log()));
            assertEquals(0, rig.lns.calls());
            assertFalse(d.log().contains("Exception"), Xl2tpdProcess.tail(d.log()));
            assertEquals(0, d.terminate(30), Xl2tpdProcess.tail(d.log()));

            relay.close();
            List<ImpairRelay.Stats> stats = List.of(relay.stats(ImpairRelay.Direction.UP), relay.stats(ImpairRelay.Direction.DOWN));
            assertTrue(stats.stream().allMatch(s -> s.impairment().lost() > 0 && s.impairment().delayed() > 0), stats.toString());
            System.out.println("failover through the relay: " + stats.get(0).line() + " / " + stats.get(1).line());
            d.log().lines().filter(l -> l.contains("FailoverService") || l.contains("LCP") || l.contains("CHAP")
                    || l.contains("IP address") || l.contains("Tunnel")).forEach(System.out::println);
        }
    }
}
