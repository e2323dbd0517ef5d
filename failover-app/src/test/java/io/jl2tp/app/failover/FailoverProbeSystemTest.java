package io.jl2tp.app.failover;

import io.jl2tp.app.config.Xl2tpdConfig;
import io.jl2tp.app.config.Xl2tpdConfigParser;
import io.jl2tp.app.dial.LacManager;
import io.jl2tp.testkit.NetNs;
import io.jl2tp.testkit.RequiresRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The failover service's view of the primary, in a router namespace whose primary link leads
 * to an ISP namespace: mwan3-style probes of an IPv4 and an IPv6 target, one of them silent,
 * judged k of n; and a primary that has IPv6 only. The LAC dials an LNS that does not exist:
 * only the service's verdict (dial or not) is looked at here; FailoverSystemTest does the rest.
 */
@RequiresRoot(commands = {"ip"})
class FailoverProbeSystemTest {

    private static final String ANSWERS_V4 = "198.51.100.10";
    private static final String SILENT_V6 = "2001:db8:9::99";

    private static Xl2tpdConfig config(Path dir, String probe, int reliability) throws Exception {
        return Xl2tpdConfigParser.parse(String.join("\n",
                "[global]",
                "auth file = " + dir.resolve("l2tp-secrets"),
                "[lac aaisp]",
                "lns = 203.0.113.250",
                "redial = no",
                "[failover aaisp]",
                "primary = primary",
                "routes = no",
                "hold up = 0",
                probe == null ? "" : "probe = " + probe,
                "probe reliability = " + reliability,
                "probe interval = 1",
                "probe down = 2",
                "probe up = 2",
                ""), "t.conf");
    }

    private interface Body {
        void run(FailoverService f, NetNs rtr, NetNs isp) throws Exception;
    }

    private static void withService(Path tmp, String probe, int reliability, boolean v4OnPrimary, Body body) throws Exception {
        try (NetNs rtr = NetNs.create("fps"); NetNs isp = NetNs.create("fpi")) {
            NetNs.veth(rtr, "primary", v4OnPrimary ? "198.51.100.9/29" : null, isp, "isp", "198.51.100.10/29");
            rtr.ip("-6", "addr", "add", "2001:db8:9::9/64", "dev", "primary", "nodad");
            isp.ip("-6", "addr", "add", "2001:db8:9::10/64", "dev", "isp", "nodad");
            Xl2tpdConfig c = config(tmp, probe, reliability);
            LacManager manager = new LacManager(c, tmp);
            FailoverService f = new FailoverService(c.failovers().get("aaisp"), c.lacs().get("aaisp"), manager);
            try {
                rtr.run(f::start);
                body.run(f, rtr, isp);
            } finally {
                f.close();
                manager.close();
            }
        }
    }

    private static void await(int seconds, String what, BooleanSupplier condition, FailoverService f) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what + ": " + f.status());
            }
            Thread.sleep(50);
        }
    }

    private static int rounds(FailoverService f) {
        for (String l : f.status()) {
            int i = l.indexOf("rounds ");
            if (l.startsWith("failover: probe") && i >= 0) {
                return Integer.parseInt(l.substring(i + 7).strip());
            }
        }
        return -1;
    }

    @Test
    void aPrimaryWithOnlyIpv6IsUp(@TempDir Path tmp) throws Exception {
        withService(tmp, null, 1, false, (f, rtr, isp) -> {
            // start() judges the primary's state before it returns
            assertTrue(f.snapshot().primaryUp(), f.status().toString());
            assertEquals(0, f.failovers(), "no failover for a working IPv6-only primary");
        });
    }

    @Test
    void oneOfTwoTargetsAnsweringIsEnoughWithReliabilityOne(@TempDir Path tmp) throws Exception {
        withService(tmp, ANSWERS_V4 + " " + SILENT_V6, 1, true, (f, rtr, isp) -> {
            await(30, "four probe rounds", () -> rounds(f) >= 4, f);
            assertTrue(f.snapshot().primaryUp(), f.status().toString());
            assertEquals(0, f.failovers(), f.status().toString());
            assertTrue(f.status().stream().anyMatch(l -> l.contains("1 of 2 answered the last round (1 needed)")),
                    f.status().toString());
        });
    }

    @Test
    void withReliabilityTwoTheSilentTargetFailsThePrimaryUntilItAnswers(@TempDir Path tmp) throws Exception {
        withService(tmp, ANSWERS_V4 + " " + SILENT_V6, 2, true, (f, rtr, isp) -> {
            await(30, "the failover (probe down = 2 rounds with 1 of 2 answering)", () -> f.failovers() == 1, f);
            assertTrue(!f.snapshot().primaryUp(), f.status().toString());
            isp.ip("-6", "addr", "add", SILENT_V6 + "/64", "dev", "isp", "nodad");
            await(30, "the primary back (probe up = 2 rounds with 2 of 2)", () -> f.snapshot().primaryUp(), f);
            assertTrue(f.status().stream().anyMatch(l -> l.contains("2 of 2 answered the last round")), f.status().toString());
        });
    }

    @Test
    void anIpv6TargetAloneIsProbedToo(@TempDir Path tmp) throws Exception {
        withService(tmp, SILENT_V6, 1, false, (f, rtr, isp) -> {
            assertEquals(0, f.failovers(), "the IPv6-only primary is up until its probe says otherwise");
            await(30, "the failover: the only (IPv6) target is silent", () -> f.failovers() == 1, f);
            assertTrue(rounds(f) >= 2, "after probe down = 2 rounds: " + f.status());
        });
    }
}
