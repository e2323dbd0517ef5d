package io.jl2tp.app.failover;

import io.jl2tp.testkit.L2tpnsFixture;
import io.jl2tp.testkit.NetNs;

import java.util.concurrent.TimeUnit;

/**
 * The seed's topology in namespaces, around the real l2tpns:
 *
 * <pre>
 *   isp ns ── pppoe-aaisp ──┐                        (primary: 198.51.100.8/30, default metric 100)
 *                        router ns (jl2tp runs here)
 *   4G ns ──── wan-4g ──────┘                        (backup: 198.51.100.16/29, default metric 200)
 *     │ forwards
 *   LNS ns: l2tpns on 203.0.113.2  (the fixture's "LAC" namespace is the 4G router, 203.0.113.1)
 * </pre>
 */
final class FailoverRig implements AutoCloseable {

    static final String PRIMARY = "pppoe-aaisp";
    static final String BACKUP = "wan-4g";
    static final String ISP_GW = "198.51.100.10";
    static final String FOURG_GW = "198.51.100.17";

    final L2tpnsFixture lns;
    final NetNs router;
    final NetNs isp;
    final NetNs fourG;

    private FailoverRig(L2tpnsFixture lns, NetNs router, NetNs isp) {
        this.lns = lns;
        this.router = router;
        this.isp = isp;
        this.fourG = lns.lacNamespace();
    }

    static FailoverRig start() throws Exception {
        L2tpnsFixture lns = L2tpnsFixture.start();
        NetNs router = null;
        NetNs isp = null;
        try {
            router = NetNs.create("rtr");
            isp = NetNs.create("isp");
            FailoverRig rig = new FailoverRig(lns, router, isp);
            NetNs.veth(router, PRIMARY, "198.51.100.9/30", isp, "isp", ISP_GW + "/30");
            NetNs.veth(router, BACKUP, "198.51.100.18/29", rig.fourG, "lan", FOURG_GW + "/29");
            rig.fourG.exec("sysctl", "-qw", "net.ipv4.ip_forward=1");
            lns.lnsNamespace().ip("route", "add", "198.51.100.16/29", "via", L2tpnsFixture.LAC_IP);
            router.ip("route", "add", "default", "via", FOURG_GW, "dev", BACKUP, "metric", "200");
            rig.primaryUp();
            return rig;
        } catch (Exception | Error e) {
            if (isp != null) {
                isp.close();
            }
            if (router != null) {
                router.close();
            }
            lns.close();
            throw e;
        }
    }

    /** The PPPoE link comes up and its ip-up adds the default route (metric 100), as in the seed. */
    void primaryUp() {
        router.ip("link", "set", PRIMARY, "up");
        router.ip("route", "replace", "default", "via", ISP_GW, "dev", PRIMARY, "metric", "100");
    }

    /** The PPPoE link drops (its routes go with it). */
    void primaryDown() {
        router.ip("link", "set", PRIMARY, "down");
    }

    String routes() {
        return router.exec("ip", "route", "show") + router.exec("ip", "-6", "route", "show");
    }

    boolean tunnelUp() {
        NetNs.Result r = router.run(5, TimeUnit.SECONDS, "ip", "addr", "show", "dev", "l2tp-aaisp");
        return r.status() == 0 && r.output().contains(L2tpnsFixture.POOL_FIRST);
    }

    boolean tunnelGone() {
        return router.run(5, TimeUnit.SECONDS, "ip", "link", "show", "l2tp-aaisp").status() != 0;
    }

    @Override
    public void close() {
        for (NetNs ns : new NetNs[] {router, isp}) {
            NetNs.Result pids = NetNs.hostRun(5, TimeUnit.SECONDS, "ip", "netns", "pids", ns.name());
            for (String pid : pids.output().split("\\s+")) {
                if (pid.matches("\\d+")) {
                    NetNs.hostRun(5, TimeUnit.SECONDS, "kill", "-9", pid);
                }
            }
            ns.close();
        }
        lns.close();
    }
}
