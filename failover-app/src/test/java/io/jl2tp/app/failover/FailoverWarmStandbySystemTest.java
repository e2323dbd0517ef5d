package io.jl2tp.app.failover;

import io.jl2tp.app.xl2tpd.Xl2tpdProcess;
import io.jl2tp.testkit.L2tpnsFixture;
import io.jl2tp.testkit.NetNs;
import io.jl2tp.testkit.RequiresRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code standby = warm} (issue 14) in the seed's topology ({@link FailoverRig}, l2tpns as the
 * LNS): while the primary is up the L2TP tunnel stands by over the backup link with no call; the
 * failover places only the call in it (no second SCCRQ); after the hand-back the tunnel stands by
 * again. (An LNS closing the idle tunnel and the back-off are {@code StandbyTunnelTest}'s.)
 */
@RequiresRoot(commands = {"ip", "ping", "l2tpns", "freeradius"})
class FailoverWarmStandbySystemTest {

    private static final String TUN = "l2tp-aaisp";

    private static Path config(Xl2tpdProcess d) throws Exception {
        Path options = d.write("options.xl2tpd", "+ipv6\nipv6cp-use-ipaddr\nname alice\nnoauth\nifname " + TUN + "\n",
                "rw-r--r--");
        d.write("ppp/chap-secrets", "alice * s3cret\n", "rw-------");
        return d.write("xl2tpd.conf", String.join("\n",
                "[global]",
                "max retries = 36",
                "hello interval = 1",
                "auth file = " + d.dir.resolve("l2tp-secrets"),
                "[lac aaisp]",
                "lns = " + L2tpnsFixture.LNS_IP,
                "require authentication = no",
                "redial = yes",
                "redial timeout = 2",
                "pppoptfile = " + options,
                "[failover aaisp]",
                "primary = " + FailoverRig.PRIMARY,
                "backup = " + FailoverRig.BACKUP,
                "routes = yes",
                "route metric = 100",
                "hold up = 2",
                "standby = warm",
                ""), "rw-r--r--");
    }

    private static String status(Xl2tpdProcess d, Path tmp) throws Exception {
        Path reply = tmp.resolve("s-" + System.nanoTime());
        d.control("@" + reply + " s aaisp");
        d.await(10, "status", () -> Files.exists(reply) && read(reply).contains("failover:"));
        return read(reply);
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            return "";
        }
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + what.length())) {
            n++;
        }
        return n;
    }

    @Test
    void theTunnelStandsByOverTheBackupAndTheFailoverOnlyPlacesTheCall(@TempDir Path tmp) throws Exception {
        try (FailoverRig rig = FailoverRig.start(); Xl2tpdProcess d = new Xl2tpdProcess(tmp)) {
            d.start(rig.router, config(d));
            d.await(30, "the standby tunnel", () -> d.log().contains("standby tunnel") && d.log().contains("up (LNS's id"));
            String routes = rig.routes();
            assertTrue(routes.contains(L2tpnsFixture.LNS_IP + " via " + FailoverRig.FOURG_GW + " dev " + FailoverRig.BACKUP
                    + " metric 10"), "the standby tunnel goes over the backup:\n" + routes);
            // HELLOs every second keep it; still no call, no interface.
            Thread.sleep(3000);
            String s = status(d, tmp);
            assertTrue(s.contains("standby tunnel: up") && s.contains("session standby"), s + Xl2tpdProcess.tail(d.log()));
            assertTrue(rig.tunnelGone(), "no session while the primary is up");

            rig.primaryDown();
            d.await(30, "the session", rig::tunnelUp);
            String log = d.log();
            assertTrue(log.contains("placing the call in the standby tunnel"), Xl2tpdProcess.tail(log));
            assertEquals(1, count(log, "Connecting to LNS"), "one SCCRQ: the standby's\n" + Xl2tpdProcess.tail(log));
            NetNs.Result ping = rig.router.run(20, TimeUnit.SECONDS, "ping", "-c", "3", "-W", "2", L2tpnsFixture.LNS_PPP_IP);
            assertEquals(0, ping.status(), ping.output());

            rig.primaryUp();
            d.await(15, "the hang-up after hold up", rig::tunnelGone);
            d.await(30, "the tunnel standing by again", () -> count(d.log(), "up (LNS's id") >= 2);
            assertTrue(rig.routes().contains(L2tpnsFixture.LNS_IP + " via " + FailoverRig.FOURG_GW),
                    "the LNS route stays for the standby tunnel:\n" + rig.routes());
            assertTrue(status(d, tmp).contains("standby tunnel: up"), Xl2tpdProcess.tail(d.log()));
            assertEquals(0, d.terminate(10), Xl2tpdProcess.tail(d.log()));
        }
    }
}
