package io.jl2tp.app.xl2tpd;

import io.jl2tp.testkit.Capture;
import io.jl2tp.testkit.L2tpnsFixture;
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
 * {@code jl2tp xl2tpd} as the seed runs xl2tpd: its [lac] shape, its pppd options, its ip-up and
 * ip-down scripts, dialled and hung up through the control FIFO — against the real l2tpns LNS.
 */
@RequiresRoot(commands = {"ip", "ping", "l2tpns", "freeradius", "tcpdump", "tshark"})
class Xl2tpdAgainstL2tpnsTest {

    private static final String IF = "l2tp-aaisp";

    private static Path seedLikeConfig(Xl2tpdProcess d, int redialTimeout, String extraOptions) throws Exception {
        Path options = d.write("options.xl2tpd", String.join("\n", "+ipv6", "ipv6cp-use-ipaddr", "name alice", "noauth",
                "ifname " + IF, extraOptions, ""), "rw-r--r--");
        d.write("ppp/chap-secrets", "alice * s3cret\n", "rw-------");
        return d.write("xl2tpd.conf", String.join("\n",
                "[global]",
                "max retries = 36",
                "auth file = " + d.dir.resolve("l2tp-secrets"),
                "",
                "[lac aaisp]",
                "lns = " + L2tpnsFixture.LNS_IP,
                "require authentication = no",
                "redial = yes",
                "redial timeout = " + redialTimeout,
                "pppoptfile = " + options,
                ""), "rw-r--r--");
    }

    private static boolean hasAddress(NetNs ns, String text) {
        NetNs.Result r = ns.run(5, TimeUnit.SECONDS, "ip", "addr", "show", "dev", IF);
        return r.status() == 0 && r.output().contains(text);
    }

    private static boolean interfaceGone(NetNs ns) {
        return ns.run(5, TimeUnit.SECONDS, "ip", "link", "show", IF).status() != 0;
    }

    @Test
    void seedSetupDialsPingsHangsUpAndRedials(@TempDir Path tmp) throws Exception {
        try (L2tpnsFixture lns = L2tpnsFixture.start(); Xl2tpdProcess d = new Xl2tpdProcess(tmp)) {
            NetNs lac = lns.lacNamespace();
            d.installSeedHooks();
            Path conf = seedLikeConfig(d, 2, "");
            Capture capture = Capture.start(lac, "veth-lac", tmp.resolve("session.pcap"), "udp port 1701");
            d.start(lac, conf);
            d.await(10, "the start-up line", () -> d.log().contains("jl2tp xl2tpd started"));
            assertTrue(interfaceGone(lac), "no interface before 'c aaisp'");

            d.control("c aaisp");
            d.await(30, "the pool address on " + IF, () -> hasAddress(lac, L2tpnsFixture.POOL_FIRST + " peer "
                    + L2tpnsFixture.LNS_PPP_IP + "/32"));
            NetNs.Result ping = lac.run(20, TimeUnit.SECONDS, "ping", "-c", "3", "-W", "2", "-I", IF, L2tpnsFixture.LNS_PPP_IP);
            assertEquals(0, ping.status(), ping.output());

            // IPv6: the LNS's router advertisement gives the interface a global address (SLAAC
            // on the IPV6CP interface identifier), and the LNS answers on its own.
            d.await(30, "a global IPv6 address from the RA", () -> hasAddress(lac, "inet6 " + L2tpnsFixture.IPV6_PREFIX.replace("::", ":")));
            NetNs.Result ping6 = lac.run(20, TimeUnit.SECONDS, "ping", "-6", "-c", "3", "-W", "2", L2tpnsFixture.LNS_IPV6);
            assertEquals(0, ping6.status(), ping6.output() + "\n" + lac.exec("ip", "-6", "addr") + lac.exec("ip", "-6", "route"));

            // The seed's ip-up ran, with pppd's interface argument and environment.
            d.await(10, "ip-up", () -> d.hookLog().contains("AAISP - L2TP failover online"));
            assertTrue(d.hookLog().contains(IF + " is up"), d.hookLog());
            String routes = lac.exec("ip", "route", "show", "default");
            assertTrue(routes.contains("default dev " + IF + " scope link metric 100"), routes);
            String routes6 = lac.exec("ip", "-6", "route", "show", "default");
            assertTrue(routes6.contains("default dev " + IF), routes6);
            d.await(10, "ipv6-up", () -> d.hookLog().contains("ipv6-up args: " + IF + "  0 fe80::"));

            // 's aaisp' reports the real state.
            Path reply = tmp.resolve("status.reply");
            d.control("@" + reply + " s aaisp");
            d.await(10, "the status reply", () -> java.nio.file.Files.exists(reply) && readQuietly(reply).contains("00 OK"));
            String status = readQuietly(reply);
            assertTrue(status.contains("phase: up") && status.contains("local " + L2tpnsFixture.POOL_FIRST), status);

            d.control("d aaisp");
            d.await(15, "the interface to go", () -> interfaceGone(lac));
            d.await(10, "ip-down", () -> d.hookLog().contains("AAISP - L2TP failover offline"));
            assertTrue(d.hookLog().contains(IF + " is down"), d.hookLog());
            assertTrue(!lac.exec("ip", "route", "show", "default").contains(IF), "default route gone");
            Thread.sleep(3000); // past 'redial timeout': 'd' must have stopped redialling
            assertTrue(interfaceGone(lac), "no redial after 'd aaisp'\n" + Xl2tpdProcess.tail(d.log()));

            // l2tpns accepts the next dial.
            d.control("c aaisp");
            d.await(30, "the second session", () -> hasAddress(lac, L2tpnsFixture.POOL_FIRST));
            ping = lac.run(20, TimeUnit.SECONDS, "ping", "-c", "2", "-W", "2", L2tpnsFixture.LNS_PPP_IP);
            assertEquals(0, ping.status(), ping.output());

            // SIGTERM: LCP Terminate, CDN, StopCCN, ip-down, interface gone, exit 0, within 2 s.
            long t0 = System.nanoTime();
            int exit = d.terminate(10);
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertEquals(0, exit, Xl2tpdProcess.tail(d.log()));
            assertTrue(ms < 2000, "SIGTERM to exit took " + ms + " ms\n" + Xl2tpdProcess.tail(d.log()));
            assertTrue(interfaceGone(lac));
            assertTrue(d.hookLog().lines().filter(l -> l.equals(IF + " is down")).count() == 2, d.hookLog());
            assertTrue(!java.nio.file.Files.exists(d.pidFile), "pid file removed");

            // The whole capture — two sessions, set-up to StopCCN — decodes cleanly in tshark.
            capture.close();
            List<String> problems = capture.problems(null);
            assertTrue(problems.isEmpty(), String.join("\n", problems));
            String summary = String.join("\n", capture.summary(null));
            for (String m : new String[] {"SCCRQ", "SCCRP", "SCCCN", "ICRQ", "ICRP", "ICCN", "CDN", "StopCCN"}) {
                assertTrue(summary.contains(m), m + " missing from capture:\n" + summary);
            }
        }
    }

    /**
     * The LNS dies without a word (SIGKILL: no StopCCN, no CDN, no LCP Terminate). LCP echo
     * notices, the session is torn down (ip-down, interface gone), and once the LNS is back the
     * dialer is up again within 'redial timeout' plus set-up time.
     */
    @Test
    void lnsKilledMidSessionIsNoticedAndRedialled(@TempDir Path tmp) throws Exception {
        int redialTimeout = 5;
        try (L2tpnsFixture lns = L2tpnsFixture.start(); Xl2tpdProcess d = new Xl2tpdProcess(tmp)) {
            NetNs lac = lns.lacNamespace();
            d.installSeedHooks();
            Path conf = seedLikeConfig(d, redialTimeout, "lcp-echo-interval 1\nlcp-echo-failure 3");
            d.start(lac, conf);
            d.control("c aaisp");
            d.await(30, "the first session", () -> hasAddress(lac, L2tpnsFixture.POOL_FIRST));

            long killed = System.nanoTime();
            lns.killLns();
            d.await(30, "the loss to be noticed", () -> interfaceGone(lac));
            long noticedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
            d.await(10, "ip-down", () -> d.hookLog().contains(IF + " is down"));
            assertTrue(d.log().contains("no response to 3 echo-requests"), Xl2tpdProcess.tail(d.log()));

            lns.startLns();
            long back = System.nanoTime();
            d.await(60, "the redialled session", () -> hasAddress(lac, L2tpnsFixture.POOL_FIRST));
            long backMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - back);
            System.out.printf("LNS killed: loss noticed after %d ms; back %d ms after the LNS returned%n", noticedMs, backMs);
            assertTrue(backMs <= (redialTimeout + 5) * 1000L, "back after " + backMs + " ms\n" + Xl2tpdProcess.tail(d.log()));
            assertTrue(d.log().contains("redialling in"), Xl2tpdProcess.tail(d.log()));
            NetNs.Result ping = lac.run(20, TimeUnit.SECONDS, "ping", "-c", "2", "-W", "2", L2tpnsFixture.LNS_PPP_IP);
            assertEquals(0, ping.status(), ping.output());
            assertEquals(0, d.terminate(10), Xl2tpdProcess.tail(d.log()));
        }
    }

    private static String readQuietly(Path p) {
        try {
            return java.nio.file.Files.readString(p);
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
