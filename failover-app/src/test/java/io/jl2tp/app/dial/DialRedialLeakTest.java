package io.jl2tp.app.dial;

import io.jl2tp.app.lns.LnsServer;
import io.jl2tp.l2tp.tunnel.SessionConfig;
import io.jl2tp.l2tp.tunnel.TunnelConfig;
import io.jl2tp.ppp.auth.Secret;
import io.jl2tp.ppp.auth.SecretProvider;
import io.jl2tp.ppp.options.PppOptions;
import io.jl2tp.ppp.options.SecretsFile;
import io.jl2tp.testkit.NetNs;
import io.jl2tp.testkit.RequiresRoot;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Issue 11 row 4: redialling an LNS that refuses us (wrong CHAP secret) holds the same threads
 * and descriptors after N attempts as after the first: every attempt's event loop, UDP socket,
 * TUN interface and threads are released with its session.
 */
@RequiresRoot(commands = {"ip"})
class DialRedialLeakTest {

    private static final InetSocketAddress LNS = new InetSocketAddress("203.0.113.2", 1701);

    @Test
    void refusedRedialsLeakNoThreadOrDescriptor() throws Exception {
        SecretsFile users = SecretsFile.parse("alice * s3cret\n", "users", p -> {
            throw new IllegalStateException();
        });
        try (NetNs lnsNs = NetNs.create("rlns"); NetNs lacNs = NetNs.create("rlac")) {
            NetNs.veth(lacNs, "wan", "203.0.113.1/24", lnsNs, "wan", "203.0.113.2/24");
            LnsServer lns = new LnsServer(new LnsServer.Config(LNS, TunnelConfig.defaults("jl2tp-lns"),
                    PppOptions.builder().auth(true).requireChap(true).build(), users,
                    (Inet4Address) InetAddress.getByName("198.51.100.1"), LnsServer.range("198.51.100.", 128, 130), List.of()),
                    e -> { });
            lnsNs.run(lns::start);
            // The dial thread lives in the LAC's namespace, so each attempt's interface appears there.
            ScheduledExecutorService scheduler = lacNs.call(() -> {
                ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "redial-test");
                    t.setDaemon(true);
                    return t;
                });
                s.submit(() -> { }).get();
                return s;
            });
            try {
                runUntilGivenUp(scheduler, 1);        // the first attempt and its first redial
                long threads = threads();
                long fds = fds();
                int redials = 12;
                runUntilGivenUp(scheduler, redials);
                assertEquals(threads, threads(), "threads after " + redials + " more refused redials: " + threadNames());
                assertEquals(fds, fds(), "descriptors after " + redials + " more refused redials");
                assertFalse(lacNs.exec("ip", "-o", "link").contains("l2tp-leak"), "no interface left behind");
                assertEquals(0, lns.calls(), "the LNS holds no call");
            } finally {
                scheduler.shutdownNow();
                lns.close();
            }
        }
    }

    /** Dials with the wrong secret; the LNS refuses each time; returns once the redialer gave up and released all. */
    private static void runUntilGivenUp(ScheduledExecutorService scheduler, int maxRedials) throws Exception {
        CompletableFuture<String> gaveUp = new CompletableFuture<>();
        RedialPolicy fast = new RedialPolicy(true, Duration.ofMillis(50), false, Duration.ofMillis(50), maxRedials, 0);
        Redialer r = new Redialer("leak", () -> new Dialer.Config("leak", LNS, TunnelConfig.defaults("jl2tp-lac"),
                SessionConfig.defaults(), PppOptions.builder().name("alice").ifname("l2tp-leak").build(),
                SecretProvider.fixed(Secret.of("wrong")), "jl2tp-lac", null), fast, scheduler, new Redialer.Listener() {
                    @Override
                    public void gaveUp(String why) {
                        gaveUp.complete(why);
                    }
                });
        r.activate();
        gaveUp.get(120, TimeUnit.SECONDS);
        assertEquals(maxRedials + 1, r.failures(), "every attempt was made and refused");
        // The last session's release thread completed down() and is ending: wait for it.
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("hangup-leak")) {
                t.join(30_000);
            }
        }
    }

    /** Live threads, minus the JDK's and Netty's own idle-timed pools that come and go by themselves. */
    private static long threads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).filter(t -> !transientPool(t.getName())).count();
    }

    private static List<String> threadNames() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName).sorted().toList();
    }

    private static boolean transientPool(String name) {
        return name.startsWith("globalEventExecutor") || name.startsWith("ForkJoinPool") || name.startsWith("process reaper")
                || name.equals("Attach Listener") || name.startsWith("surefire-forkedjvm");
    }

    private static long fds() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }

    static {
        ManagementFactory.getThreadMXBean(); // loaded before the first count
    }
}
