package io.jl2tp.app.harness;

import io.jl2tp.app.dial.Dialer;
import io.jl2tp.app.lns.LnsServer;
import io.jl2tp.l2tp.tunnel.SessionConfig;
import io.jl2tp.l2tp.tunnel.TunnelConfig;
import io.jl2tp.app.config.PppdAppOptions;
import io.jl2tp.app.config.PppdOptions;
import io.jl2tp.ppp.options.PppSettings;
import io.jl2tp.ppp.options.SecretsFile;
import io.jl2tp.testkit.NetNs;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Three namespaces in a row — LAC, relay, LNS — joined by two veth pairs, with the impairment
 * relay in the middle:
 * <pre>
 *   lac: wan 203.0.113.1/30 ── relay: lac 203.0.113.2/30   (the relay listens on 203.0.113.2:1701)
 *                              relay: lns 203.0.113.5/30 ── lns: wan 203.0.113.6/30 (the LNS on :1701)
 * </pre>
 * The relay namespace does not forward IP: the LAC reaches the LNS only through the relay.
 * The LNS is jl2tp's own (in this JVM, or as a {@code jl2tp lns} process so that it can be
 * killed), users {@code alice}/{@code s3cret}, CHAP, LCP echo as the test chooses.
 */
final class RelayRig implements AutoCloseable {

    static final InetSocketAddress RELAY = new InetSocketAddress("203.0.113.2", 1701);
    static final InetSocketAddress LNS = new InetSocketAddress("203.0.113.6", 1701);
    static final SecretsFile USERS = users();

    private static SecretsFile users() {
        try {
            return SecretsFile.parse("alice * s3cret\n", "users", p -> {
                throw new IllegalStateException();
            });
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    final NetNs lac;
    final NetNs relayNs;
    final NetNs lnsNs;
    /** The failover's primary link's far end ({@link #addPrimary}), or null. */
    NetNs isp;
    ImpairRelay relay;
    LnsServer lns;
    Process lnsProcess;
    Path lnsLog;
    final int echoInterval;
    final int echoFailure;

    /** With LCP echo every {@code echoInterval} s on both sides, {@code echoFailure} misses ending the session. */
    RelayRig(String tag, int echoInterval, int echoFailure) {
        this.echoInterval = echoInterval;
        this.echoFailure = echoFailure;
        NetNs a = null;
        NetNs b = null;
        NetNs c = null;
        try {
            a = NetNs.create(tag + "l");
            b = NetNs.create(tag + "r");
            c = NetNs.create(tag + "n");
            NetNs.veth(a, "wan", "203.0.113.1/30", b, "lac", "203.0.113.2/30");
            NetNs.veth(b, "lns", "203.0.113.5/30", c, "wan", "203.0.113.6/30");
        } catch (RuntimeException e) {
            for (NetNs n : new NetNs[] {a, b, c}) {
                if (n != null) {
                    n.close();
                }
            }
            throw e;
        }
        this.lac = a;
        this.relayNs = b;
        this.lnsNs = c;
    }

    /** The failover's primary link in the LAC namespace (the LAC is then the seed's router). */
    static final String PRIMARY = "pppoe-aaisp";
    static final String ISP_GW = "198.51.100.10";

    /**
     * Makes the LAC namespace the seed's router: a primary link {@value #PRIMARY} to an ISP
     * namespace with the default route (metric 100) and, as backup, the default route via the
     * relay's namespace on {@code wan} (metric 200) — the relay is the 4G router, and the LNS is
     * reachable only through it.
     */
    void addPrimary(String tag) {
        isp = NetNs.create(tag + "i");
        NetNs.veth(lac, PRIMARY, "198.51.100.9/30", isp, "isp", ISP_GW + "/30");
        lac.ip("route", "add", "default", "via", RELAY.getAddress().getHostAddress(), "dev", "wan", "metric", "200");
        primaryUp();
    }

    /** The primary link comes up and its ip-up adds the default route (metric 100), as in the seed. */
    void primaryUp() {
        lac.ip("link", "set", PRIMARY, "up");
        lac.ip("route", "replace", "default", "via", ISP_GW, "dev", PRIMARY, "metric", "100");
    }

    /** The primary link drops (its routes go with it). */
    void primaryDown() {
        lac.ip("link", "set", PRIMARY, "down");
    }

    /** Starts the relay in its namespace with these profiles and seed. */
    ImpairRelay startRelay(Impairment.Profile up, Impairment.Profile down, long seed, Path pcap) throws Exception {
        ImpairRelay.Config cfg = ImpairRelay.Config.of(RELAY, LNS).with(up, down).withSeed(seed).withPcap(pcap);
        relay = relayNs.call(() -> ImpairRelay.start(cfg));
        return relay;
    }

    /** LNS-side PPP: CHAP, and the rig's LCP echo. */
    PppSettings lnsPpp() {
        return PppSettings.builder().auth(a -> a.auth(true).requireChap(true))
                .lcp(l -> l.echoInterval(echoInterval).echoFailure(echoFailure)).build();
    }

    /** Starts jl2tp's LNS in this JVM, in the LNS namespace. */
    LnsServer startLns() throws Exception {
        LnsServer s = new LnsServer(new LnsServer.Config(LNS, TunnelConfig.defaults("jl2tp-lns"), lnsPpp(), USERS,
                (Inet4Address) InetAddress.getByName("198.51.100.1"), LnsServer.range("198.51.100.", 128, 130),
                List.of((Inet4Address) InetAddress.getByName("198.51.100.53"))), e -> { });
        lnsNs.run(s::start);
        lns = s;
        return s;
    }

    /** Starts {@code jl2tp lns} as its own process in the LNS namespace (so that it can be killed). */
    Process startLnsProcess(Path dir) throws Exception {
        Path secrets = dir.resolve("lns-secrets");
        if (!Files.exists(secrets)) {
            Files.writeString(secrets, "alice * s3cret\n");
            Files.setPosixFilePermissions(secrets, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            Files.writeString(dir.resolve("lns-options"), "lcp-echo-interval " + echoInterval + "\nlcp-echo-failure "
                    + echoFailure + "\n");
        }
        lnsLog = dir.resolve("lns.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        lnsProcess = new ProcessBuilder("ip", "netns", "exec", lnsNs.name(), java, "-cp", System.getProperty("java.class.path"),
                "io.jl2tp.app.cli.Main", "lns", "--listen", "203.0.113.6:1701", "--secrets", secrets.toString(),
                "--ppp-options", dir.resolve("lns-options").toString(), "--pool", "198.51.100.128-130")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(lnsLog.toFile())).start();
        lnsProcess.getOutputStream().close(); // no pipe left open in this JVM (the fd counts)
        await(60, "the LNS process to listen", () -> read(lnsLog).contains("LNS listening on"));
        return lnsProcess;
    }

    /** SIGKILL to the LNS process: no StopCCN, no CDN, the port simply goes dead. */
    void killLnsProcess() throws InterruptedException {
        lnsProcess.destroyForcibly();
        lnsProcess.waitFor(30, TimeUnit.SECONDS);
    }

    /** LAC-side PPP: CHAP as alice, and the rig's LCP echo. */
    PppdOptions lacPpp() {
        return new PppdOptions(PppSettings.builder().auth(a -> a.name("alice"))
                .lcp(l -> l.echoInterval(echoInterval).echoFailure(echoFailure)).build(),
                PppdAppOptions.builder().ifname("l2tp-rig").build(), List.of());
    }

    /** A dialer towards the relay, created and started in the LAC namespace. */
    Dialer dial(TunnelConfig tunnel) throws Exception {
        Dialer d = new Dialer(new Dialer.Config("rig", RELAY, tunnel, SessionConfig.defaults(), lacPpp(), USERS, "jl2tp-lac",
                null), e -> { });
        lac.run(d::start);
        return d;
    }

    Dialer dial() throws Exception {
        return dial(TunnelConfig.defaults("jl2tp-lac"));
    }

    /** Interfaces named {@code prefix*} in {@code ns}. */
    static List<String> interfaces(NetNs ns, String prefix) {
        return ns.ip("-o", "link", "show").lines().map(l -> l.split(":")[1].strip().split("@")[0])
                .filter(n -> n.startsWith(prefix)).toList();
    }

    static String read(Path p) {
        try {
            return p != null && Files.exists(p) ? Files.readString(p) : "";
        } catch (IOException e) {
            return "";
        }
    }

    static void await(int seconds, String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + seconds + " s waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    /** Threads of this JVM (from /proc, as an operator would count them). */
    static int threads() throws IOException {
        try (var s = Files.list(Path.of("/proc/self/task"))) {
            return (int) s.count();
        }
    }

    /** Open descriptors of this JVM. */
    static int fds() throws IOException {
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            return (int) s.count();
        }
    }

    @Override
    public void close() {
        if (relay != null) {
            relay.close();
        }
        if (lns != null) {
            lns.close();
        }
        if (lnsProcess != null && lnsProcess.isAlive()) {
            lnsProcess.destroyForcibly();
            try {
                lnsProcess.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        lac.close();
        if (isp != null) {
            isp.close();
        }
        relayNs.close();
        lnsNs.close();
    }
}
