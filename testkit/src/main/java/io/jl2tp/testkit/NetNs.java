package io.jl2tp.testkit;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A network namespace that a test creates and deletes: {@code ip netns add} with a name unique
 * to this JVM ({@code jl2tp-<tag>-<pid>-<n>}), commands run inside it with
 * {@code ip netns exec}, and Java code run inside it with {@link #call(Callable)}, which moves
 * only the calling thread there ({@code setns(2)}, CLONE_NEWNET) and back. Sockets, TUN devices
 * and netlink sockets opened inside {@code call} stay in the namespace after it returns.
 *
 * <p>{@link #close()} deletes the namespace (and with it every interface inside). Requires root.
 */
public final class NetNs implements AutoCloseable {

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final int CLONE_NEWNET = 0x40000000;
    private static final int O_RDONLY = 0;

    static {
        Native.register(NetNs.class, "c");
    }

    private static native int open(String path, int flags) throws LastErrorException;

    private static native int close(int fd) throws LastErrorException;

    private static native int setns(int fd, int nstype) throws LastErrorException;

    private final String name;
    private volatile boolean closed;

    private NetNs(String name) {
        this.name = name;
    }

    /** Creates a namespace named {@code jl2tp-<tag>-<pid>-<n>} with loopback up. */
    public static NetNs create(String tag) {
        String name = "jl2tp-" + tag + "-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
        if (name.length() > 40) {
            throw new IllegalArgumentException("namespace name too long: " + name);
        }
        host("ip", "netns", "add", name);
        NetNs ns = new NetNs(name);
        ns.ip("link", "set", "lo", "up");
        return ns;
    }

    /** The namespace's name (as for {@code ip netns}). */
    public String name() {
        return name;
    }

    /** Runs {@code ip ARGS} inside this namespace; throws with its output if it fails. */
    public String ip(String... args) {
        List<String> cmd = new ArrayList<>(List.of("ip", "-n", name));
        cmd.addAll(List.of(args));
        return host(cmd.toArray(String[]::new));
    }

    /** Runs a command inside this namespace; throws with its output if it exits non-zero. */
    public String exec(String... command) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", name));
        cmd.addAll(List.of(command));
        return host(cmd.toArray(String[]::new));
    }

    /** Runs a command inside this namespace and returns its exit status and output. */
    public Result run(long timeout, TimeUnit unit, String... command) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", name));
        cmd.addAll(List.of(command));
        return hostRun(timeout, unit, cmd.toArray(String[]::new));
    }

    /** Starts a long-running command inside this namespace (caller destroys it). */
    public Process start(String... command) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", name));
        cmd.addAll(List.of(command));
        try {
            return new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs {@code body} on the calling thread with the thread moved into this namespace, then
     * moves the thread back to the namespace it was in.
     */
    public <T> T call(Callable<T> body) throws Exception {
        int target = open("/run/netns/" + name, O_RDONLY);
        int home = open("/proc/thread-self/ns/net", O_RDONLY);
        try {
            setns(target, CLONE_NEWNET);
            try {
                return body.call();
            } finally {
                setns(home, CLONE_NEWNET);
            }
        } finally {
            close(target);
            close(home);
        }
    }

    /** {@link #call} for bodies without a result. */
    public void run(ThrowingRunnable body) throws Exception {
        call(() -> {
            body.run();
            return null;
        });
    }

    /** A body for {@link #run(ThrowingRunnable)}. */
    @FunctionalInterface
    public interface ThrowingRunnable {
        void run() throws Exception;
    }

    /**
     * Joins {@code a} and {@code b} with a veth pair named {@code ifA}/{@code ifB}, assigns the
     * given addresses (CIDR, may be null) and brings both ends up.
     */
    public static void veth(NetNs a, String ifA, String cidrA, NetNs b, String ifB, String cidrB) {
        // Create inside a so that the names never touch the root namespace.
        a.ip("link", "add", ifA, "type", "veth", "peer", "name", ifB, "netns", b.name());
        if (cidrA != null) {
            a.ip("addr", "add", cidrA, "dev", ifA);
        }
        if (cidrB != null) {
            b.ip("addr", "add", cidrB, "dev", ifB);
        }
        a.ip("link", "set", ifA, "up");
        b.ip("link", "set", ifB, "up");
    }

    /** Deletes the namespace; idempotent. Processes left in it keep it alive: kill them first. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        hostRun(10, TimeUnit.SECONDS, "ip", "netns", "del", name);
    }

    @Override
    public String toString() {
        return "netns " + name;
    }

    /** True if this JVM runs as root (uid 0). */
    public static boolean isRoot() {
        try {
            return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
        } catch (Throwable t) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    /** Runs a command in the caller's namespace; throws with its output if it exits non-zero. */
    public static String host(String... command) {
        Result r = hostRun(60, TimeUnit.SECONDS, command);
        if (r.status() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited " + r.status() + ": " + r.output().strip());
        }
        return r.output();
    }

    /** Runs a command to completion (killing it after the timeout) and returns status and output. */
    public static Result hostRun(long timeout, TimeUnit unit, String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[][] out = new byte[1][];
            Thread reader = new Thread(() -> {
                try {
                    out[0] = p.getInputStream().readAllBytes();
                } catch (IOException e) {
                    out[0] = new byte[0];
                }
            }, "exec-reader");
            reader.start();
            if (!p.waitFor(timeout, unit)) {
                p.destroyForcibly();
                reader.join(1000);
                return new Result(-1, "timed out after " + unit.toMillis(timeout) + " ms: " + String.join(" ", command));
            }
            reader.join();
            return new Result(p.exitValue(), new String(out[0] == null ? new byte[0] : out[0], StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Exit status and combined output of a command. */
    public record Result(int status, String output) {
    }
}
