package io.jl2tp.app.bench;

import io.jl2tp.app.config.PppdAppOptions;
import io.jl2tp.app.config.PppdOptions;
import io.jl2tp.app.dial.Dialer;
import io.jl2tp.app.dial.RedialPolicy;
import io.jl2tp.app.dial.Redialer;
import io.jl2tp.l2tp.tunnel.SessionConfig;
import io.jl2tp.l2tp.tunnel.TunnelConfig;
import io.jl2tp.ppp.auth.Secret;
import io.jl2tp.ppp.auth.SecretProvider;
import io.jl2tp.ppp.options.PppSettings;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * {@code jl2tp dial}'s redial loop — a {@link Redialer} with a fixed wait, building a new
 * {@link Dialer} per attempt — against an LNS that refuses every call, with a wait below the
 * command line's 1 s minimum so that 1 000 refusals fit in minutes. When attempt k+1 starts,
 * refusal k has been released: it prints the process's threads (/proc/self/task), descriptors
 * (/proc/self/fd) and VmRSS then, and once more when the redialer gives up after N refusals.
 * Used by {@code failover-app/bench/run-redial-soak.sh}.
 *
 * <p>{@code RedialSoak LNS-ADDR N WAIT-MS USER PASSWORD-FILE}
 */
public final class RedialSoak {

    private RedialSoak() {
    }

    public static void main(String[] args) throws Exception {
        InetSocketAddress lns = new InetSocketAddress(args[0], 1701);
        int n = Integer.parseInt(args[1]);
        Duration wait = Duration.ofMillis(Long.parseLong(args[2]));
        String user = args[3];
        SecretProvider secrets = SecretProvider.fixed(Secret.of(Files.readString(Path.of(args[4])).strip()));
        PppdOptions ppp = new PppdOptions(PppSettings.builder().auth(a -> a.name(user)).build(),
                PppdAppOptions.builder().ifname("l2tp-soak").build(), List.of());
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dial");
            t.setDaemon(true);
            return t;
        });
        AtomicInteger attempts = new AtomicInteger();
        CompletableFuture<String> done = new CompletableFuture<>();
        // max redials = N - 1: N attempts, all refused, then the redialer gives up.
        Redialer redialer = new Redialer("soak", () -> {
            int k = attempts.incrementAndGet();
            if (k > 1) {
                report(k - 1, k == 2);
            }
            return new Dialer.Config("soak", lns, TunnelConfig.defaults("jl2tp-soak"), SessionConfig.defaults(), ppp, secrets,
                    "jl2tp-soak", null);
        }, RedialPolicy.fixed(true, wait, n - 1), scheduler, new Redialer.Listener() {
            @Override
            public void up(Dialer.Status status) {
                done.complete("attempt " + attempts.get() + " came up: the LNS should refuse every call");
            }

            @Override
            public void gaveUp(String why) {
                done.complete(null);
            }
        });
        redialer.activate();
        String error = done.get();
        if (error != null) {
            System.out.println(error);
            System.exit(1);
        }
        Thread.sleep(wait.toMillis());
        report(n, true);
        redialer.deactivate("soak finished");
        scheduler.shutdownNow();
        System.exit(0);
    }

    /**
     * Counts once the previous attempt's hang-up thread (Redialer's "hangup-…", which ends right
     * after scheduling this attempt) and its event loop ("l2tp-loop") have ended. With
     * {@code settle} (the first and the last sample, which the script compares), also once Netty's
     * {@code globalEventExecutor} thread has ended: each closed socket's event-loop group
     * notifies its termination listeners on that process-wide singleton, which starts on demand
     * and ends after 1 s without work, so with redials every 200 ms it is alive in some samples
     * and not in others (found by sampling /proc/self/task/N/comm: the only thread name that
     * varied). It is one thread at most, never one per attempt; waiting for it is not done per
     * sample because it costs the 1 s quiet period each time. The same for the JDK's "process
     * reaper" (see below). Also the heap in use after a GC.
     */
    private static void report(int refusals, boolean settle) {
        try {
            long until = System.nanoTime() + 5_000_000_000L;
            while (Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.isAlive()
                    && (t.getName().startsWith("hangup-") || t.getName().equals("l2tp-loop")))
                    && System.nanoTime() < until) {
                Thread.sleep(5);
            }
            if (settle) {
                // JNA's first library load runs "/sbin/ldconfig -p" once per process (found with
                // strace -f -e execve); the JDK waits for it on a "process reaper" thread that ends
                // 60 s after its last use. Per attempt the dialer starts no process (no hooks here);
                // a child that never exits would keep its reaper, and the wait below would time out.
                long reaperUntil = System.nanoTime() + 75_000_000_000L;
                while (Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.isAlive()
                        && t.getName().equals("process reaper")) && System.nanoTime() < reaperUntil) {
                    Thread.sleep(100);
                }
            }
            boolean heap = settle;
            if (settle && !io.netty.util.concurrent.GlobalEventExecutor.INSTANCE.awaitInactivity(5, TimeUnit.SECONDS)) {
                System.out.println("globalEventExecutor still busy after 5 s");
            }
            String used = "";
            if (heap) {
                System.gc();
                used = " heap_after_gc_kb " + (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) / 1024;
            }
            List<String> names = threadNames();
            if (firstThreads == null) {
                firstThreads = names;
            }
            System.out.printf("refusal %d threads %d fds %d rss_kb %d%s%s%n", refusals, names.size(),
                    count("/proc/self/fd"), rssKb(), used, difference(firstThreads, names));
            if (System.getenv("SOAK_THREAD_LOG") != null) {
                System.out.println("  threads " + names);
            }
        } catch (IOException | InterruptedException e) {
            System.out.println("cannot read /proc/self: " + e);
        }
    }

    private static List<String> firstThreads;

    /** The names (comm) of every thread of this process, Java and native, sorted. */
    static List<String> threadNames() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/task"))) {
            return s.map(t -> {
                try {
                    return Files.readString(t.resolve("comm")).strip();
                } catch (IOException e) {
                    return "?"; // ended while listed
                }
            }).sorted().toList();
        }
    }

    /** " +name … -name …" for the threads that differ from the first sample, or "". */
    static String difference(List<String> first, List<String> now) {
        java.util.List<String> added = new java.util.ArrayList<>(now);
        java.util.List<String> gone = new java.util.ArrayList<>(first);
        for (String n : first) {
            added.remove(n);
        }
        for (String n : now) {
            gone.remove(n);
        }
        StringBuilder b = new StringBuilder();
        added.forEach(n -> b.append(" +").append(n.replace(' ', '_')));
        gone.forEach(n -> b.append(" -").append(n.replace(' ', '_')));
        return b.length() == 0 ? "" : " differs" + b;
    }

    static long count(String dir) throws IOException {
        try (Stream<Path> s = Files.list(Path.of(dir))) {
            return s.count();
        }
    }

    static long rssKb() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmRSS:"))
                .mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).findFirst().orElse(-1);
    }
}
