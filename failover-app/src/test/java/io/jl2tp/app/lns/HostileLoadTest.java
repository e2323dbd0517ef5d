package io.jl2tp.app.lns;

import io.jl2tp.app.bench.HostileLac;
import io.jl2tp.app.dial.Dialer;
import io.jl2tp.app.dial.RedialPolicy;
import io.jl2tp.app.dial.Redialer;
import io.jl2tp.l2tp.netty.L2tpSocket;
import io.jl2tp.l2tp.tunnel.L2tpEvent;
import io.jl2tp.l2tp.tunnel.Session;
import io.jl2tp.l2tp.tunnel.Tunnel;
import io.jl2tp.l2tp.tunnel.TunnelConfig;
import io.jl2tp.l2tp.tunnel.SessionConfig;
import io.jl2tp.ppp.options.PppSettings;
import io.jl2tp.app.config.PppdAppOptions;
import io.jl2tp.app.config.PppdOptions;
import io.jl2tp.ppp.options.SecretsFile;
import io.jl2tp.testkit.Await;
import io.jl2tp.testkit.NetNs;
import io.jl2tp.testkit.RequiresRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 11 acceptance bullet 3, short: the row 1 and row 2 floods from one host against the LNS
 * in a namespace leave bounded state and a legitimate call still connects; refused redials leave
 * the dialer's threads and descriptors flat. The long versions are
 * {@code failover-app/bench/run-hostile.sh} and {@code run-redial-soak.sh}.
 */
@RequiresRoot(commands = {"ip"})
class HostileLoadTest {

    static final int FLOOD = 3000;
    static final int REDIALS = 30;
    /** EndpointLimits.DEFAULTS: 16 half-open tunnels per peer address, 64 half-open calls per tunnel. */
    static final int TUNNELS_PER_PEER = 16;
    static final int CALLS_PER_TUNNEL = 64;
    static final byte[] SECRET = "hostile-tunnel-secret".getBytes(StandardCharsets.US_ASCII);
    static final InetSocketAddress LNS = new InetSocketAddress("203.0.113.2", 1701);

    @ParameterizedTest(name = "tunnel secret = {0}")
    @ValueSource(booleans = {false, true})
    void floodsOfSccrqAndIcrqLeaveBoundedStateAndALegitimateCallConnects(boolean secret) throws Exception {
        byte[] key = secret ? SECRET : null;
        Set<Integer> upSessions = ConcurrentHashMap.newKeySet();
        try (NetNs lnsNs = NetNs.create("hlns"); NetNs lacNs = NetNs.create("hlac")) {
            NetNs.veth(lacNs, "wan", "203.0.113.1/24", lnsNs, "wan", "203.0.113.2/24");
            L2tpSocket lns = lnsNs.call(() -> L2tpSocket.bind(LNS));
            try {
                lns.call(() -> {
                    lns.endpoint().serve(TunnelConfig.defaults("jl2tp-lns").withSecret(key, secret),
                            s -> frame -> frame.release(), e -> {
                                if (e instanceof L2tpEvent.SessionUp up) {
                                    upSessions.add(up.session().localId());
                                }
                            });
                    return null;
                }).get(10, TimeUnit.SECONDS);
                try (HostileLac attacker = lacNs.call(() -> new HostileLac(new InetSocketAddress("203.0.113.1", 0), LNS, key))) {
                    HostileLac.Replies r = attacker.floodSccrq(FLOOD, 64);
                    assertTrue(r.sccrp() > FLOOD / 2, "the LNS kept answering SCCRQs: " + r);
                    int halfOpen = onLoop(lns, () -> (int) lns.endpoint().tunnels().stream()
                            .filter(t -> t.state() == Tunnel.State.WAIT_CTL_CONN).count());
                    assertTrue(halfOpen <= TUNNELS_PER_PEER, halfOpen + " half-open tunnels from one host after "
                            + FLOOD + " SCCRQs (cap " + TUNNELS_PER_PEER + ")");

                    attacker.openTunnel(HostileLac.REAL_TUNNEL);
                    HostileLac.Replies c = attacker.floodIcrq(FLOOD);
                    assertEquals(FLOOD, c.icrp(), "every ICRQ answered: " + c);
                    int calls = onLoop(lns, () -> lns.endpoint().tunnels().stream()
                            .filter(t -> t.localId() == attacker.lnsTunnel()).mapToInt(t -> t.sessions().size()).sum());
                    assertTrue(calls <= CALLS_PER_TUNNEL, calls + " calls held on one tunnel after " + FLOOD
                            + " ICRQs without ICCN (cap " + CALLS_PER_TUNNEL + ")");
                    assertTrue(c.cdn() >= FLOOD - CALLS_PER_TUNNEL, "the oldest half-open calls were cleared with CDN: " + c);
                }
                // A legitimate LAC from the same host still gets a tunnel and a call.
                try (HostileLac legit = lacNs.call(() -> new HostileLac(new InetSocketAddress("203.0.113.1", 0), LNS, key))) {
                    legit.openTunnel(7);
                    int session = legit.completeCall(9);
                    Await.until(Duration.ofSeconds(20), "the legitimate call is up on the LNS", () -> upSessions.contains(session));
                }
                // Nothing half-open stays: the attack's tunnels and calls time out (one retransmission cycle).
                Await.until(Duration.ofSeconds(120), "no half-open tunnel or call left on the LNS", () -> {
                    try {
                        return onLoop(lns, () -> lns.endpoint().tunnels().stream().noneMatch(t ->
                                t.state() == Tunnel.State.WAIT_CTL_CONN
                                        || t.sessions().stream().anyMatch(s -> s.state() == Session.State.WAIT_CONNECT)));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, () -> lns.endpoint().tunnels().toString());
            } finally {
                lns.close("test finished", 500);
            }
        }
    }

    private static <T> T onLoop(L2tpSocket s, java.util.concurrent.Callable<T> body) throws Exception {
        return s.call(body).get(10, TimeUnit.SECONDS);
    }

    @Test
    void refusedRedialsLeaveThreadsAndDescriptorsFlat() throws Exception {
        SecretsFile lnsUsers = SecretsFile.parse("alice * right-secret\n", "users", p -> {
            throw new IllegalStateException();
        });
        SecretsFile lacUsers = SecretsFile.parse("alice * wrong-secret\n", "users", p -> {
            throw new IllegalStateException();
        });
        try (NetNs lnsNs = NetNs.create("rlns"); NetNs lacNs = NetNs.create("rlac")) {
            NetNs.veth(lacNs, "wan", "203.0.113.1/24", lnsNs, "wan", "203.0.113.2/24");
            LnsServer lns = new LnsServer(new LnsServer.Config(LNS, TunnelConfig.defaults("jl2tp-lns"),
                    PppSettings.builder().auth(a -> a.auth(true).requireChap(true)).build(), lnsUsers,
                    (Inet4Address) InetAddress.getByName("198.51.100.1"), LnsServer.range("198.51.100.", 128, 130), List.of()),
                    e -> { });
            lnsNs.run(lns::start);
            try {
                PppdOptions lacPpp = new PppdOptions(PppSettings.builder().auth(a -> a.name("alice")).build(),
                        PppdAppOptions.builder().ifname("l2tp-refused").build(), List.of());
                // jl2tp dial's loop: a Redialer with a fixed wait, a new Dialer per attempt.
                AtomicInteger attempts = new AtomicInteger();
                AtomicReference<long[]> afterFirst = new AtomicReference<>();
                CompletableFuture<String> end = new CompletableFuture<>();
                ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
                Redialer redialer = new Redialer("soak", () -> {
                    if (attempts.incrementAndGet() == 2) {
                        afterFirst.set(counts()); // the first refusal has been released
                    }
                    return new Dialer.Config("soak", LNS, TunnelConfig.defaults("jl2tp-lac"), SessionConfig.defaults(), lacPpp,
                            lacUsers, "jl2tp-lac", null);
                }, RedialPolicy.fixed(true, Duration.ofMillis(100), REDIALS - 1), scheduler, new Redialer.Listener() {
                    @Override
                    public void up(Dialer.Status status) {
                        end.complete("a refused call came up");
                    }

                    @Override
                    public void gaveUp(String why) {
                        end.complete(null);
                    }
                });
                try {
                    lacNs.run(redialer::activate);
                    assertEquals(null, end.get(REDIALS * 30L, TimeUnit.SECONDS));
                    assertEquals(REDIALS, attempts.get());
                    long[] first = afterFirst.get();
                    // Threads end asynchronously after close: allow them a moment, no more.
                    Await.until(Duration.ofSeconds(20), "threads and descriptors back to the figures after the first refusal",
                            () -> {
                                long[] c = counts();
                                return c[0] <= first[0] && c[1] <= first[1];
                            }, () -> "after the first refusal: threads " + first[0] + ", fds " + first[1]
                                    + "; now: threads " + counts()[0] + ", fds " + counts()[1] + " " + threadNames());
                } finally {
                    redialer.deactivate("test finished");
                    scheduler.shutdownNow();
                }
            } finally {
                lns.close();
            }
        }
    }

    /** The Java threads this JVM runs (JDK-internal pools excluded) and its open descriptors. */
    static long[] counts() {
        long threads = Thread.getAllStackTraces().keySet().stream().filter(t -> t.isAlive()
                && !t.getName().startsWith("ForkJoinPool.commonPool")).count();
        long fds;
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            fds = s.count();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return new long[] {threads, fds};
    }

    static String threadNames() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName).sorted().toList().toString();
    }
}
