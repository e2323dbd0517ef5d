package io.jl2tp.app.xl2tpd;

import io.jl2tp.testkit.Await;
import io.jl2tp.testkit.NetNs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * {@code jl2tp xl2tpd -D} as a separate JVM inside a test namespace, the way systemd runs it:
 * configuration, options file, secrets and the seed's hook scripts in a private directory,
 * driven through its control FIFO and stopped with SIGTERM.
 */
public final class Xl2tpdProcess implements AutoCloseable {

    public final Path dir;
    public final Path pppDir;
    public final Path control;
    public final Path pidFile;
    public final Path log;
    public final Path hookLog;
    private Process process;

    public Xl2tpdProcess(Path dir) throws IOException {
        this.dir = dir;
        this.pppDir = Files.createDirectories(dir.resolve("ppp"));
        Files.setPosixFilePermissions(pppDir, PosixFilePermissions.fromString("rwx------"));
        this.control = dir.resolve("run/control");
        this.pidFile = dir.resolve("run/pid");
        this.log = dir.resolve("xl2tpd.log");
        this.hookLog = dir.resolve("hooks.log");
    }

    /** Writes a file with the given mode. */
    public Path write(String name, String text, String mode) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
        return p;
    }

    /**
     * The seed's L2TP ip-up and ip-down scripts as written (../shared/seed), with only the Nix
     * store paths replaced: bash and ip by the system's, logger by a stand-in that appends its
     * message to {@link #hookLog} (a test namespace has no syslog to read back).
     */
    public void installSeedHooks() throws IOException {
        String logger = write("logger", "#!/bin/sh\necho \"$*\" >> '" + hookLog + "'\n", "rwx------").toString();
        String ip = NetNs.host("sh", "-c", "command -v ip").strip();
        String up = """
                #!${pkgs.bash}/bin/bash
                ${pkgs.logger}/bin/logger "$1 is up"
                if [ $IFNAME = "l2tp-aaisp" ]; then
                ${pkgs.logger}/bin/logger "AAISP - L2TP failover online"
                ${pkgs.logger}/bin/logger "Add default routes via L2TP"
                ${pkgs.iproute2}/bin/ip route add 194.4.172.12/32 via 192.168.100.1 metric 10
                ${pkgs.iproute2}/bin/ip route add default dev l2tp-aaisp scope link metric 100
                ${pkgs.iproute2}/bin/ip -6 route add default dev l2tp-aaisp scope link metric 100
                fi
                """;
        String down = """
                #!${pkgs.bash}/bin/bash
                ${pkgs.logger}/bin/logger "$1 is down"
                if [ $IFNAME = "l2tp-aaisp" ]; then
                ${pkgs.logger}/bin/logger "AAISP - L2TP failover offline"
                ${pkgs.logger}/bin/logger "Remove default route via L2TP"
                ${pkgs.iproute2}/bin/ip route del default dev l2tp-aaisp scope link metric 100
                ${pkgs.iproute2}/bin/ip -6 route del default dev l2tp-aaisp scope link metric 100
                ${pkgs.iproute2}/bin/ip route del 194.4.172.12/32 via 192.168.100.1 metric 10
                fi
                """;
        for (String[] s : new String[][] {{"ip-up", up}, {"ip-down", down}}) {
            String text = s[1].replace("${pkgs.bash}/bin/bash", "/bin/bash")
                    .replace("${pkgs.logger}/bin/logger", logger)
                    .replace("${pkgs.iproute2}/bin/ip", ip);
            Path p = pppDir.resolve(s[0]);
            Files.writeString(p, text);
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        // A third hook records pppd's positional arguments and environment as the scripts see them.
        Path v6 = pppDir.resolve("ipv6-up");
        Files.writeString(v6, "#!/bin/sh\necho \"ipv6-up args: $*\" >> '" + hookLog + "'\n");
        Files.setPosixFilePermissions(v6, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** Starts {@code jl2tp xl2tpd -D -c CONF -p PID -C CONTROL --ppp-dir PPP} in {@code ns}. */
    public void start(NetNs ns, Path conf, String... extraArgs) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns.name(), java, "-cp",
                System.getProperty("java.class.path"), "io.jl2tp.app.cli.Main", "xl2tpd", "-D", "-c", conf.toString(), "-p",
                pidFile.toString(), "-C", control.toString(), "--ppp-dir", pppDir.toString()));
        cmd.addAll(List.of(extraArgs));
        process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        await(30, "the control FIFO", () -> Files.exists(control));
    }

    /** Writes one command into the control FIFO, as {@code echo "c aaisp" > control} does. */
    public void control(String command) throws IOException {
        Files.writeString(control, command + "\n", StandardCharsets.US_ASCII);
    }

    public String log() {
        return read(log);
    }

    public String hookLog() {
        return read(hookLog);
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** Waits for {@code condition} (testkit {@link Await}); fails with the daemon's log if it does not hold in time. */
    public void await(int seconds, String what, BooleanSupplier condition) throws InterruptedException {
        Await.until(Duration.ofSeconds(seconds), what, () -> {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (process != null && !process.isAlive()) { // no point waiting for a daemon that has gone
                throw new AssertionError("jl2tp exited with " + process.exitValue() + " while waiting for " + what
                        + "\n--- jl2tp log:\n" + tail(log()));
            }
            return false;
        }, () -> "--- jl2tp log:\n" + tail(log()) + "\n--- hooks:\n" + hookLog());
    }

    public static String tail(String s) {
        List<String> lines = s.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }

    /** SIGTERM; returns the exit status, or -1 if it did not exit within {@code seconds}. */
    public int terminate(int seconds) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            return -1;
        }
        return process.exitValue();
    }

    public Process process() {
        return process;
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
