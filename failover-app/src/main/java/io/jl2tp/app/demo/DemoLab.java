package io.jl2tp.app.demo;

import io.jl2tp.tun.linux.LibC;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * The demo's little lab: two network namespaces joined by a veth, made and removed with
 * iproute2 — the one program the demo runs (the product itself never runs {@code ip}) — and
 * {@link #in} to run Java code on a thread moved into one of them with setns(2).
 */
final class DemoLab implements AutoCloseable {

    private static final int CLONE_NEWNET = LibC.CLONE_NEWNET;

    final String lns;
    final String lac;
    private final List<String> created = new ArrayList<>();

    DemoLab() {
        long pid = ProcessHandle.current().pid();
        this.lns = "jl2tp-demo-lns-" + pid;
        this.lac = "jl2tp-demo-lac-" + pid;
    }

    /** Creates both namespaces and the veth wan (LAC 203.0.113.1/24) ↔ wan (LNS 203.0.113.2/24). */
    void build() throws IOException {
        for (String ns : List.of(lns, lac)) {
            run("ip", "netns", "add", ns);
            created.add(ns);
            run("ip", "-n", ns, "link", "set", "lo", "up");
        }
        run("ip", "-n", lac, "link", "add", "wan", "type", "veth", "peer", "name", "wan", "netns", lns);
        run("ip", "-n", lac, "addr", "add", "203.0.113.1/24", "dev", "wan");
        run("ip", "-n", lns, "addr", "add", "203.0.113.2/24", "dev", "wan");
        run("ip", "-n", lac, "link", "set", "wan", "up");
        run("ip", "-n", lns, "link", "set", "wan", "up");
    }

    /** Runs {@code body} on this thread inside namespace {@code ns}, then moves back. */
    static <T> T in(String ns, Callable<T> body) throws Exception {
        int target = LibC.open("/run/netns/" + ns, 0);
        int home = LibC.open("/proc/thread-self/ns/net", 0);
        try {
            LibC.setns(target, CLONE_NEWNET);
            try {
                return body.call();
            } finally {
                LibC.setns(home, CLONE_NEWNET);
            }
        } finally {
            LibC.close(target);
            LibC.close(home);
        }
    }

    /** Runs a command and returns its output; throws if it fails. */
    static String run(String... cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + ": timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out.strip());
        }
        return out;
    }

    /** Deletes what was created (killing anything left inside). */
    @Override
    public void close() {
        for (String ns : created) {
            try {
                for (String pid : run("ip", "netns", "pids", ns).split("\\s+")) {
                    if (pid.matches("\\d+")) {
                        ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
                    }
                }
                run("ip", "netns", "del", ns);
            } catch (IOException ignored) {
                // best effort: report nothing more than what failed already
            }
        }
        created.clear();
    }
}
