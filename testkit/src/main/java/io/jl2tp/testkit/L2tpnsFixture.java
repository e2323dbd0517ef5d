package io.jl2tp.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The real, independent LNS for interoperability tests: Debian's l2tpns 2.4.1 (userspace L2TP +
 * PPP + TUN) with FreeRADIUS for PPP authentication, in a network namespace of its own, joined by
 * a veth to a LAC namespace where the test runs its client ({@link #lacNamespace()}, with
 * {@link NetNs#call}).
 *
 * <pre>
 *  LAC ns: veth-lac 203.0.113.1/24  ──  LNS ns: veth-lns 203.0.113.2/24, l2tpns on UDP 1701
 *  PPP: LNS 198.51.100.1, pool 198.51.100.128/25, DNS 198.51.100.53/.54,
 *       IPv6 prefix 2001:db8:1::/64 (RA over PPP), LNS answers ping6 on 2001:db8:1::1
 *  user alice / s3cret (CHAP-MD5 or PAP), tunnel secret "tunnelsecret"
 * </pre>
 *
 * Everything (configuration, FreeRADIUS's private copy of /etc/freeradius/3.0, pool file, logs)
 * lives in a private runtime directory; the namespaces have unique names; {@link #close()}
 * stops both daemons and removes namespaces and files, also after a failed start. The same
 * workarounds as the reference script are needed: cluster interface {@code lo}, a short
 * cluster heartbeat timeout (a lone l2tpns ignores L2TP until it is cluster master), and a
 * bind mount of the pool file over the hard-coded /etc/l2tpns/ip_pool in a private mount
 * namespace. Both daemons run in sessions of their own ({@code setsid}): l2tpns signals its whole
 * process group when it stops, which would otherwise include the test JVM and Maven.
 */
public final class L2tpnsFixture implements AutoCloseable {

    /** Fixture settings. */
    public record Options(String user, String password, String tunnelSecret, int debug) {
        /** alice / s3cret, tunnel secret "tunnelsecret", l2tpns debug 3. */
        public static Options defaults() {
            return new Options("alice", "s3cret", "tunnelsecret", 3);
        }
    }

    public static final String LAC_IP = "203.0.113.1";
    public static final String LNS_IP = "203.0.113.2";
    public static final String LNS_PPP_IP = "198.51.100.1";
    public static final String POOL_FIRST = "198.51.100.128";
    public static final String DNS1 = "198.51.100.53";
    public static final String DNS2 = "198.51.100.54";
    public static final String IPV6_PREFIX = "2001:db8:1::";
    public static final String LNS_IPV6 = "2001:db8:1::1";
    private static final String RADIUS_SECRET = "testing123";

    private final Options options;
    private final Path rt;
    private NetNs lns;
    private NetNs lac;
    private Process radius;
    private Process l2tpns;

    private L2tpnsFixture(Options options, Path rt) {
        this.options = options;
        this.rt = rt;
    }

    /** Starts FreeRADIUS and l2tpns and waits until l2tpns answers; cleans up on failure. */
    public static L2tpnsFixture start(Options options) throws Exception {
        Path rt = Files.createTempDirectory("jl2tp-l2tpns-");
        L2tpnsFixture f = new L2tpnsFixture(options, rt);
        try {
            f.setUp();
            return f;
        } catch (Exception | Error e) {
            f.close();
            throw e;
        }
    }

    /** Starts with {@link Options#defaults()}. */
    public static L2tpnsFixture start() throws Exception {
        return start(Options.defaults());
    }

    private void setUp() throws Exception {
        lns = NetNs.create("lns");
        lac = NetNs.create("lac");
        NetNs.veth(lac, "veth-lac", LAC_IP + "/24", lns, "veth-lns", LNS_IP + "/24");
        // The LAC may also reach the PPP pool's LNS address directly (not needed for L2TP).
        lac.ip("route", "replace", "198.51.100.0/24", "via", LNS_IP, "dev", "veth-lac");
        startRadius();
        startLns();
    }

    private void startRadius() throws Exception {
        Path r = rt.resolve("raddb");
        NetNs.host("cp", "-a", "/etc/freeradius/3.0", r.toString());
        Path conf = r.resolve("radiusd.conf");
        String c = Files.readString(conf)
                .replaceAll("(?m)^raddbdir = .*", "raddbdir = " + r)
                .replaceAll("(?m)^\\s*user = freerad", "#user = freerad")
                .replaceAll("(?m)^\\s*group = freerad", "#group = freerad")
                .replaceAll("(?m)^logdir = .*", "logdir = " + rt)
                .replaceAll("(?m)^run_dir = .*", "run_dir = " + rt);
        Files.writeString(conf, c);
        Files.deleteIfExists(r.resolve("sites-enabled/inner-tunnel"));
        Files.writeString(r.resolve("mods-config/files/authorize"),
                options.user() + "\tCleartext-Password := \"" + options.password() + "\"\n"
                        + "\tService-Type = Framed-User,\n\tFramed-Protocol = PPP\n");
        radius = new ProcessBuilder("ip", "netns", "exec", lns.name(), "setsid", "freeradius", "-X", "-d", r.toString())
                .redirectErrorStream(true).redirectOutput(rt.resolve("radius.log").toFile()).start();
        waitFor(() -> radiusLog().contains("Ready to process requests"), radius, "FreeRADIUS", this::radiusLog, 30);
    }

    /** Starts l2tpns (again, after {@link #stopLns()}) and waits until it is cluster master. */
    public void startLns() throws Exception {
        Path cfg = rt.resolve("startup-config");
        Path pool = rt.resolve("ip_pool");
        Path log = rt.resolve("l2tpns.log");
        Files.writeString(pool, "198.51.100.128/25\n");
        Files.writeString(log, "");
        Files.writeString(cfg, String.join("\n",
                "set debug " + options.debug(),
                "set log_file \"" + log + "\"",
                "set pid_file \"" + rt.resolve("l2tpns.pid") + "\"",
                "set hostname \"lns-l2tpns\"",
                "set l2tp_secret \"" + options.tunnelSecret() + "\"",
                "set bind_address " + LNS_IP,
                "set iftun_address " + LNS_PPP_IP,
                "set peer_address " + LNS_PPP_IP,
                "set send_garp no",
                "set primary_dns " + DNS1,
                "set secondary_dns " + DNS2,
                "set primary_radius 127.0.0.1",
                "set primary_radius_port 1812",
                "set radius_secret \"" + RADIUS_SECRET + "\"",
                "set radius_authtypes \"chap,pap\"",
                "set radius_accounting no",
                "set cli_bind_address 127.0.0.1",
                "set ipv6_prefix " + IPV6_PREFIX,
                "set primary_ipv6_dns 2001:db8::53",
                "set echo_timeout 10",
                "set idle_echo_timeout 240",
                "set ppp_keepalive yes",
                "set cluster_interface \"lo\"",
                "set cluster_hb_interval 5",
                "set cluster_hb_timeout 15",
                ""));
        l2tpns = new ProcessBuilder("ip", "netns", "exec", lns.name(), "setsid", "unshare", "--mount", "--propagation", "private",
                "sh", "-c", "mount --bind '" + pool + "' /etc/l2tpns/ip_pool && exec /usr/sbin/l2tpns -c '" + cfg + "'")
                .redirectErrorStream(true).redirectOutput(rt.resolve("l2tpns.stdout").toFile()).start();
        waitFor(() -> log().contains("declaring myself the master"), l2tpns, "l2tpns", this::log, 30);
    }

    /** Kills l2tpns (as if the LNS died); FreeRADIUS and the namespaces stay. */
    public void stopLns() {
        stop(l2tpns);
        l2tpns = null;
    }

    /** Kills l2tpns with SIGKILL (the LNS vanishes without a word: no StopCCN, no CDN). */
    public void killLns() throws InterruptedException {
        if (l2tpns != null) {
            l2tpns.destroyForcibly();
            l2tpns.waitFor(5, TimeUnit.SECONDS);
            l2tpns = null;
        }
    }

    private interface Check {
        boolean ok() throws Exception;
    }

    private interface Text {
        String get();
    }

    private static void waitFor(Check check, Process p, String what, Text log, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            if (check.ok()) {
                return;
            }
            if (!p.isAlive()) {
                throw new IllegalStateException(what + " exited with " + p.exitValue() + ":\n" + tail(log.get()));
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException(what + " did not become ready within " + seconds + " s:\n" + tail(log.get()));
    }

    private static String tail(String s) {
        String[] lines = s.split("\n");
        return String.join("\n", List.of(lines).subList(Math.max(0, lines.length - 25), lines.length));
    }

    /** The LNS's address on the veth (UDP 1701). */
    public String lnsAddress() {
        return LNS_IP;
    }

    /** UDP port of the LNS. */
    public int port() {
        return 1701;
    }

    /** Where the test runs its LAC. */
    public NetNs lacNamespace() {
        return lac;
    }

    /** The LNS's namespace. */
    public NetNs lnsNamespace() {
        return lns;
    }

    public String user() {
        return options.user();
    }

    public String password() {
        return options.password();
    }

    public String tunnelSecret() {
        return options.tunnelSecret();
    }

    /** l2tpns's log so far. */
    public String log() {
        return read(rt.resolve("l2tpns.log"));
    }

    /** FreeRADIUS's debug output so far. */
    public String radiusLog() {
        return read(rt.resolve("radius.log"));
    }

    /** The runtime directory (configs and logs). */
    public Path runtimeDir() {
        return rt;
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p, java.nio.charset.StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static void stop(Process p) {
        if (p == null) {
            return;
        }
        p.destroy();
        try {
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops both daemons, kills anything left in the namespaces, removes them and the files. */
    @Override
    public void close() {
        stop(l2tpns);
        stop(radius);
        for (NetNs ns : new NetNs[] {lns, lac}) {
            if (ns == null) {
                continue;
            }
            NetNs.Result pids = NetNs.hostRun(5, TimeUnit.SECONDS, "ip", "netns", "pids", ns.name());
            for (String pid : pids.output().split("\\s+")) {
                if (pid.matches("\\d+")) {
                    NetNs.hostRun(5, TimeUnit.SECONDS, "kill", "-9", pid);
                }
            }
            ns.close();
        }
        try (Stream<Path> files = Files.walk(rt)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
