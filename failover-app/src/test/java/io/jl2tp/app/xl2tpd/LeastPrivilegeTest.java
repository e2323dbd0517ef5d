package io.jl2tp.app.xl2tpd;

import io.jl2tp.app.lns.LnsServer;
import io.jl2tp.l2tp.tunnel.TunnelConfig;
import io.jl2tp.ppp.options.PppSettings;
import io.jl2tp.ppp.options.SecretsFile;
import io.jl2tp.testkit.NetNs;
import io.jl2tp.testkit.RequiresRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 11 §4, least privilege: {@code jl2tp xl2tpd} started as the shipped systemd unit and
 * NixOS module start it — a non-root uid and gid with no supplementary groups, CAP_NET_ADMIN and
 * CAP_NET_RAW as ambient capabilities and nothing else in the bounding set, no_new_privs, its
 * temporary files (JNA's and Netty's native libraries) in its own directory — dials jl2tp's own
 * LNS through the control FIFO: the session comes up, IPv4 is on the interface, pings pass, the
 * ip-up hook (run with the daemon's capabilities) adds a route, DNS lands in the ppp directory,
 * and SIGTERM ends it cleanly. systemd is not PID 1 in the test environment, so util-linux
 * {@code setpriv} applies the unit's User=, AmbientCapabilities=, CapabilityBoundingSet= and
 * NoNewPrivileges=, and strace checks SystemCallFilter=@system-service (the set as this
 * machine's systemd defines it) and RestrictAddressFamilies= against every call made.
 */
@RequiresRoot(commands = {"ip", "ping", "setpriv", "unshare", "mknod", "strace", "systemd-analyze"})
class LeastPrivilegeTest {

    /** CAP_NET_ADMIN (12) and CAP_NET_RAW (13): the whole capability set, as /proc/PID/status shows it. */
    private static final long CAPS = (1L << 12) | (1L << 13);

    @Test
    void dialsAsUnprivilegedUserWithNetAdminAndNetRawOnly(@TempDir Path tmp) throws Exception {
        // What the shipped unit grants (the NixOS module's equivalents are checked by dist/nixos/check).
        Map<String, List<String>> unit = serviceSection(Path.of(System.getProperty("user.dir")).resolveSibling(
                "dist/systemd/jl2tp.service"));
        List<String> user = unit.getOrDefault("User", List.of());
        assertTrue(user.size() == 1 && !user.get(0).equals("root") && !user.get(0).equals("0"), "User= not root: " + user);
        assertEquals(List.of("yes"), unit.get("NoNewPrivileges"), "NoNewPrivileges=");
        String caps = "-all" + capabilities(unit, "AmbientCapabilities");
        assertEquals(caps, "-all" + capabilities(unit, "CapabilityBoundingSet"), "bounding set = ambient set");
        assertEquals("-all,+net_admin,+net_raw", caps, "CAP_NET_ADMIN and CAP_NET_RAW, nothing else");
        List<String> filters = words(unit, "SystemCallFilter");
        Set<String> allowedFamilies = new TreeSet<>(words(unit, "RestrictAddressFamilies"));
        assertEquals(Set.of("AF_INET", "AF_INET6", "AF_NETLINK", "AF_UNIX"), allowedFamilies, "RestrictAddressFamilies=");
        assertEquals(List.of("@system-service"), filters, "SystemCallFilter=");
        int uid = 60000 + (int) (ProcessHandle.current().pid() % 5000);
        SecretsFile users = SecretsFile.parse("alice * s3cret\n", "users", p -> {
            throw new IllegalStateException();
        });
        try (NetNs lnsNs = NetNs.create("lplns"); NetNs lacNs = NetNs.create("lplac")) {
            NetNs.veth(lacNs, "wan", "203.0.113.1/24", lnsNs, "wan", "203.0.113.2/24");
            LnsServer lns = new LnsServer(new LnsServer.Config(new InetSocketAddress("203.0.113.2", 1701),
                    TunnelConfig.defaults("jl2tp-lns"), PppSettings.builder().auth(a -> a.auth(true).requireChap(true)).ipv6cp(v -> v.enabled(true)).build(), users,
                    (Inet4Address) InetAddress.getByName("198.51.100.1"), LnsServer.range("198.51.100.", 128, 130),
                    List.of((Inet4Address) InetAddress.getByName("198.51.100.53"))), e -> { });
            lnsNs.run(lns::start);
            Process daemon = null;
            try {
                // The unit's directories: configuration, ppp directory (secrets, hooks), RuntimeDirectory
                // (FIFO, pid file) and CacheDirectory (java.io.tmpdir), all owned by the daemon's user.
                Path etc = Files.createDirectories(tmp.resolve("etc"));
                Path ppp = Files.createDirectories(etc.resolve("ppp"));
                Path run = Files.createDirectories(tmp.resolve("run"));
                Path cache = Files.createDirectories(tmp.resolve("cache"));
                Path hookLog = tmp.resolve("hooks.log");
                Path options = write(etc.resolve("options"), "name alice\nnoauth\n+ipv6\nipv6cp-use-ipaddr\nusepeerdns\nifname l2tp0\n", "rw-r--r--");
                write(ppp.resolve("chap-secrets"), "alice * s3cret\n", "rw-------");
                write(ppp.resolve("ip-up"), "#!/bin/sh\necho \"ip-up $* uid=$(id -u)\" >> '" + hookLog + "'\n"
                        + "ip route add 203.0.113.77/32 dev \"$1\" >> '" + hookLog + "' 2>&1\n", "rwx------");
                Path conf = write(etc.resolve("xl2tpd.conf"), String.join("\n", "[lac own]", "lns = 203.0.113.2",
                        "redial = no", "pppoptfile = " + options, ""), "rw-r--r--");
                Files.writeString(hookLog, "");
                Path cp = copyClassPath(tmp.resolve("cp"));
                chownTree(tmp, uid);
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));

                String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
                List<String> cmd = new ArrayList<>();
                if (!Files.getPosixFilePermissions(Path.of("/dev/net/tun")).containsAll(PosixFilePermissions.fromString(
                        "rw-rw-rw-"))) {
                    // systemd's udev rules (50-udev-default.rules) make /dev/net/tun 0666 on every systemd
                    // system, NixOS and Debian included; a container without udev may leave it 0600. The
                    // daemon then runs in a private mount namespace with a 0666 node of the same device
                    // bound over it, as udev would have left it — the host's node stays as it is.
                    Path node = tmp.resolve("tun");
                    Process mk = new ProcessBuilder("mknod", "-m", "666", node.toString(), "c", "10", "200").inheritIO().start();
                    assertTrue(mk.waitFor(10, TimeUnit.SECONDS) && mk.exitValue() == 0, "mknod");
                    cmd.addAll(List.of("unshare", "--mount", "--propagation", "private", "sh", "-c",
                            "mount --bind \"$0\" /dev/net/tun && exec \"$@\"", node.toString()));
                }
                Path trace = tmp.resolve("strace.txt");
                cmd.addAll(List.of("ip", "netns", "exec", lacNs.name(), "strace", "-f", "-qq", "-o", trace.toString(),
                        "setpriv", "--reuid=" + uid,
                        "--regid=" + uid, "--clear-groups", "--inh-caps=" + caps, "--ambient-caps=" + caps,
                        "--bounding-set=" + caps, "--no-new-privs", "--",
                        java, "-Djava.io.tmpdir=" + cache, "-Djna.tmpdir=" + cache, "-cp", cp.toString(), "io.jl2tp.app.cli.Main", "xl2tpd", "-D",
                        "-c", conf.toString(), "-p", run.resolve("pid").toString(), "-C", run.resolve("control").toString(),
                        "--ppp-dir", ppp.toString()));
                Path log = tmp.resolve("jl2tp.log");
                ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
                pb.environment().put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
                daemon = pb.start();
                Process d = daemon;
                await(d, log, 60, "the control FIFO", () -> Files.exists(run.resolve("control")));
                await(d, log, 10, "the pid file", () -> Files.exists(run.resolve("pid")));
                long jvm = Long.parseLong(Files.readString(run.resolve("pid")).strip());

                // Who it runs as: /proc/PID/status of the JVM (strace's child, setpriv exec'd it).
                String status = Files.readString(Path.of("/proc", Long.toString(jvm), "status"));
                assertTrue(status.matches("(?s).*\\nUid:\\s+" + uid + "\\s+" + uid + "\\s+" + uid + "\\s+" + uid + "\\n.*"), status);
                assertTrue(status.matches("(?s).*\\nGroups:\\s*\\n.*"), status);
                for (String set : List.of("CapEff", "CapPrm", "CapAmb", "CapBnd")) {
                    assertEquals(CAPS, capability(status, set), set + " in\n" + status);
                }
                assertTrue(status.contains("NoNewPrivs:\t1"), status);

                Files.writeString(run.resolve("control"), "c own\n", StandardCharsets.US_ASCII);
                await(d, log, 60, "IPCP up", () -> lacNs.run(5, TimeUnit.SECONDS, "ip", "addr", "show", "dev", "l2tp0")
                        .output().contains("198.51.100.128 peer 198.51.100.1/32"));
                // +ipv6: IPV6CP's link-local address (addr_gen_mode written under /proc/sys/net with CAP_NET_ADMIN).
                await(d, log, 30, "IPv6 link-local", () -> lacNs.run(5, TimeUnit.SECONDS, "ip", "-6", "addr", "show", "dev",
                        "l2tp0").output().contains("inet6 fe80::"));
                NetNs.Result ping = lacNs.run(20, TimeUnit.SECONDS, "ping", "-c", "3", "-W", "2", "198.51.100.1");
                assertEquals(0, ping.status(), ping.output() + "\n" + Files.readString(log));
                await(d, log, 20, "the ip-up hook's route", () -> lacNs.run(5, TimeUnit.SECONDS, "ip", "route", "show",
                        "203.0.113.77").output().contains("dev l2tp0"));
                assertTrue(Files.readString(hookLog).contains("ip-up l2tp0 ") && Files.readString(hookLog).contains(
                        "uid=" + uid), Files.readString(hookLog));
                await(d, log, 20, "resolv.conf", () -> Files.exists(ppp.resolve("resolv.conf")));
                assertEquals("nameserver 198.51.100.53\n", Files.readString(ppp.resolve("resolv.conf")));
                try (Stream<Path> left = Files.list(Path.of("/tmp"))) {
                    assertFalse(left.filter(p -> !p.equals(tmp)).anyMatch(p -> {
                        try {
                            return Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS)
                                    .equals(uid);
                        } catch (IOException e) {
                            return false;
                        }
                    }), "nothing written to the shared /tmp: java.io.tmpdir is the daemon's own directory");
                }

                ProcessHandle.of(jvm).orElseThrow().destroy(); // SIGTERM, as systemctl stop
                assertTrue(d.waitFor(20, TimeUnit.SECONDS), Files.readString(log));
                assertEquals(0, d.exitValue(), Files.readString(log));
                assertFalse(lacNs.run(5, TimeUnit.SECONDS, "ip", "link", "show", "l2tp0").status() == 0,
                        "the interface is gone");
                assertFalse(Files.exists(run.resolve("pid")), "pid file removed");
                String text = Files.readString(log);
                assertFalse(text.contains("Operation not permitted") || text.contains("EPERM"), text);

                // SystemCallFilter=@system-service and RestrictAddressFamilies= hold for everything the
                // JVM, JNA, Netty and the hook scripts did from the exec of java on.
                Set<String> allowed = new HashSet<>();
                filters.forEach(f -> allowed.addAll(syscallSet(f)));
                Set<String> used = new TreeSet<>();
                Set<String> families = new TreeSet<>();
                boolean afterExec = false;
                for (String line : Files.readAllLines(trace)) {
                    afterExec |= line.matches("\\d+ +execve\\(\"[^\"]*/bin/java\".*= 0");
                    Matcher m = SYSCALL.matcher(line);
                    if (afterExec && m.find()) {
                        used.add(m.group(1));
                    }
                    Matcher f = SOCKET.matcher(line);
                    if (afterExec && f.find()) {
                        families.add(f.group(1));
                    }
                }
                assertTrue(used.size() > 40 && used.contains("ioctl") && used.contains("sendmsg"), "traced: " + used);
                Set<String> outside = new TreeSet<>(used);
                outside.removeAll(allowed);
                assertTrue(outside.isEmpty(), "system calls outside @system-service: " + outside);
                assertTrue(allowedFamilies.containsAll(families),
                        "address families: " + families);
            } finally {
                if (daemon != null && daemon.isAlive()) {
                    daemon.destroyForcibly();
                    daemon.waitFor(10, TimeUnit.SECONDS);
                }
                lns.close();
            }
        }
    }

    /** The [Service] section of a unit file: each key's values in order (continuation lines joined). */
    private static Map<String, List<String>> serviceSection(Path unitFile) throws IOException {
        Map<String, List<String>> out = new HashMap<>();
        String section = "";
        String text = Files.readString(unitFile).replace("\\\n", " ");
        for (String line : text.split("\n")) {
            line = line.strip();
            if (line.startsWith("[")) {
                section = line;
            } else if (section.equals("[Service]") && !line.startsWith("#") && line.contains("=")) {
                int eq = line.indexOf('=');
                out.computeIfAbsent(line.substring(0, eq).strip(), k -> new ArrayList<>()).add(line.substring(eq + 1).strip());
            }
        }
        return out;
    }

    private static List<String> words(Map<String, List<String>> unit, String key) {
        List<String> out = new ArrayList<>();
        for (String v : unit.getOrDefault(key, List.of())) {
            out.addAll(List.of(v.split("\\s+")));
        }
        return out;
    }

    /** CAP_NET_ADMIN CAP_NET_RAW → ",+net_admin,+net_raw" (setpriv's spelling), sorted. */
    private static String capabilities(Map<String, List<String>> unit, String key) {
        return words(unit, key).stream().map(c -> ",+" + c.toLowerCase(java.util.Locale.ROOT).replaceFirst("^cap_", ""))
                .sorted().reduce("", String::concat);
    }

    private static final Pattern SYSCALL = Pattern.compile("^\\d+ +(?:<\\.\\.\\. )?([a-z0-9_]+)[( ]");
    private static final Pattern SOCKET = Pattern.compile("^\\d+ +socket\\((AF_[A-Z0-9]+),");

    /** A systemd syscall set, its nested sets expanded, as `systemd-analyze syscall-filter` prints them. */
    private static Set<String> syscallSet(String name) {
        Map<String, List<String>> sets = new HashMap<>();
        String current = null;
        for (String line : NetNs.host("systemd-analyze", "syscall-filter").split("\n")) {
            if (line.startsWith("@")) {
                current = line.strip();
                sets.put(current, new ArrayList<>());
            } else if (current != null && line.startsWith("    ") && !line.strip().startsWith("#")) {
                sets.get(current).add(line.strip());
            }
        }
        Set<String> out = new HashSet<>();
        List<String> todo = new ArrayList<>(List.of(name));
        Set<String> seen = new HashSet<>();
        while (!todo.isEmpty()) {
            String s = todo.remove(todo.size() - 1);
            if (!seen.add(s)) {
                continue;
            }
            for (String e : sets.getOrDefault(s, List.of())) {
                if (e.startsWith("@")) {
                    todo.add(e);
                } else {
                    out.add(e);
                }
            }
        }
        assertTrue(out.contains("read") && out.contains("socket"), name + ": " + out);
        return out;
    }

    private static long capability(String status, String set) {
        for (String line : status.split("\n")) {
            if (line.startsWith(set + ":")) {
                return Long.parseUnsignedLong(line.substring(set.length() + 1).strip(), 16);
            }
        }
        throw new AssertionError(set + " missing in\n" + status);
    }

    private static Path write(Path p, String text, String mode) throws IOException {
        Files.writeString(p, text);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
        return p;
    }

    /**
     * The test class path, copied where the daemon's user can read it (the Maven repository
     * under /root is not); returns the new class path.
     */
    private static Path copyClassPath(Path dir) throws IOException {
        Files.createDirectories(dir);
        List<String> entries = new ArrayList<>();
        int n = 0;
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path src = Path.of(e);
            if (!Files.exists(src)) {
                continue;
            }
            Path dst = dir.resolve(n++ + "-" + src.getFileName());
            if (Files.isDirectory(src)) {
                try (Stream<Path> files = Files.walk(src)) {
                    for (Path f : (Iterable<Path>) files::iterator) {
                        Path t = dst.resolve(src.relativize(f).toString());
                        if (Files.isDirectory(f)) {
                            Files.createDirectories(t);
                        } else {
                            Files.copy(f, t, StandardCopyOption.REPLACE_EXISTING);
                        }
                    }
                }
            } else {
                Files.copy(src, dst);
            }
            entries.add(dst.toString());
        }
        return Path.of(String.join(File.pathSeparator, entries));
    }

    private static void chownTree(Path root, int uid) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("chown", "-R", uid + ":" + uid, root.toString()).inheritIO().start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "chown");
    }

    private static void await(Process d, Path log, int seconds, String what, BooleanSupplier condition)
            throws InterruptedException, IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (!d.isAlive()) {
                throw new AssertionError("jl2tp exited with " + d.exitValue() + " while waiting for " + what + "\n"
                        + Xl2tpdProcess.tail(Files.readString(log)));
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what + "\n" + Xl2tpdProcess.tail(Files.readString(log)));
            }
            Thread.sleep(50);
        }
    }
}
