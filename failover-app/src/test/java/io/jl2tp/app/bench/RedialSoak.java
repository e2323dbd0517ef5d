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
     * after scheduling this attempt) has ended; with {@code heap}, also the heap in use after a GC.
     */
    private static void report(int refusals, boolean heap) {
        try {
            long until = System.nanoTime() + 2_000_000_000L;
            while (Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().startsWith("hangup-") && t.isAlive())
                    && System.nanoTime() < until) {
                Thread.sleep(5);
            }
            String used = "";
            if (heap) {
                System.gc();
                used = " heap_after_gc_kb " + (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) / 1024;
            }
            System.out.printf("refusal %d threads %d fds %d rss_kb %d%s%n", refusals, count("/proc/self/task"),
                    count("/proc/self/fd"), rssKb(), used);
        } catch (IOException | InterruptedException e) {
            System.out.println("cannot read /proc/self: " + e);
        }
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
