package io.jl2tp.app.dial;

import io.jl2tp.app.ProcessResources;
import io.jl2tp.app.lns.LnsServer;
import io.jl2tp.l2tp.tunnel.SessionConfig;
import io.jl2tp.l2tp.tunnel.TunnelConfig;
import io.jl2tp.ppp.auth.Secret;
import io.jl2tp.ppp.auth.SecretProvider;
import io.jl2tp.ppp.options.PppSettings;
import io.jl2tp.app.config.PppdOptions;
import io.jl2tp.ppp.options.SecretsFile;
import io.jl2tp.testkit.NetNs;
import io.jl2tp.testkit.RequiresRoot;
import org.junit.jupiter.api.Test;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.Set;

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
                    PppSettings.builder().auth(a -> a.auth(true).requireChap(true)).build(), users,
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
                Set<Thread> threads = ProcessResources.threads();
                Set<String> fds = ProcessResources.fds();
                int redials = 12;
                runUntilGivenUp(scheduler, redials);
                // Compared as sets, not counts: threads and descriptors of earlier tests in this JVM
                // may end meanwhile; nothing may be added.
                assertEquals(List.of(), ProcessResources.added(threads, ProcessResources.threads()),
                        "threads added by " + redials + " more refused redials");
                assertEquals(Set.of(), ProcessResources.addedFds(fds, ProcessResources.fds()),
                        "descriptors added by " + redials + " more refused redials");
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
                SessionConfig.defaults(), PppdOptions.DEFAULTS.withPpp(b -> b.auth(a -> a.name("alice"))).withApp(a -> a.ifname("l2tp-leak")),
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
}
