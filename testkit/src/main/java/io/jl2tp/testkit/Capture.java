package io.jl2tp.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A packet capture with tcpdump inside a test namespace (immediate mode, so that nothing waits
 * in the kernel ring when it stops), checked afterwards with tshark — the
 * independent wire-format oracle (../shared/peers/README.md). {@link #problems} lists every
 * packet tshark calls malformed or flags with an expert warning or error; a clean capture gives
 * an empty list.
 */
public final class Capture implements AutoCloseable {

    private final Process tcpdump;
    private final Path file;
    private final Path log;

    private Capture(Process tcpdump, Path file, Path log) {
        this.tcpdump = tcpdump;
        this.file = file;
        this.log = log;
    }

    /** Starts {@code tcpdump -i IFACE -U -w FILE FILTER} in {@code ns}; returns once it listens. */
    public static Capture start(NetNs ns, String iface, Path file, String filter) throws Exception {
        Path log = file.resolveSibling(file.getFileName() + ".log");
        Process p = new ProcessBuilder("ip", "netns", "exec", ns.name(), "tcpdump", "-i", iface, "-U", "--immediate-mode", "-n", "-w",
                file.toString(), filter).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!Files.readString(log).contains("listening on")) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                p.destroyForcibly();
                throw new IllegalStateException("tcpdump did not start: " + Files.readString(log));
            }
            Thread.sleep(20);
        }
        return new Capture(p, file, log);
    }

    /** The capture file. */
    public Path file() {
        return file;
    }

    /** Stops tcpdump (SIGTERM: it flushes and closes the file). Idempotent. */
    @Override
    public void close() {
        if (tcpdump.isAlive()) {
            tcpdump.destroy();
            try {
                if (!tcpdump.waitFor(10, TimeUnit.SECONDS)) {
                    tcpdump.destroyForcibly();
                }
            } catch (InterruptedException e) {
                tcpdump.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Packets tshark finds malformed or flags with an expert note of severity Warning or above,
     * one summary line each (IP header checksums checked; UDP checksums are left alone, since
     * veth offload leaves them partial in captures).
     *
     * @param secret the tunnel secret, so tshark can check tunnel authentication and unhide
     *               hidden AVPs; null when none is used
     */
    public List<String> problems(String secret) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("tshark", "-n", "-r", file.toString(), "-o", "ip.check_checksum:TRUE"));
        if (secret != null) {
            cmd.addAll(List.of("-o", "l2tp.shared_secret:" + secret));
        }
        cmd.addAll(List.of("-Y", "_ws.malformed || _ws.expert.severity >= \"Warning\""));
        return lines(tshark(cmd));
    }

    /** tshark's one-line summary of every packet. */
    public List<String> summary(String secret) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("tshark", "-n", "-r", file.toString()));
        if (secret != null) {
            cmd.addAll(List.of("-o", "l2tp.shared_secret:" + secret));
        }
        return lines(tshark(cmd));
    }

    private String tshark(List<String> cmd) throws Exception {
        Path out = Files.createTempFile("jl2tp-tshark-", ".txt");
        try {
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("tshark did not finish: " + cmd);
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("tshark failed (" + p.exitValue() + "): " + cmd + "; tcpdump said: "
                        + readQuietly(log));
            }
            return Files.readString(out, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static List<String> lines(String s) {
        return s.lines().filter(l -> !l.isBlank()).toList();
    }

    private static String readQuietly(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "";
        }
    }
}
