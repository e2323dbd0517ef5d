package io.jl2tp.app.dial;

import io.jl2tp.l2tp.netty.L2tpSocket;
import io.jl2tp.l2tp.tunnel.L2tpEvent;
import io.jl2tp.l2tp.tunnel.SessionConfig;
import io.jl2tp.l2tp.tunnel.Tunnel;
import io.jl2tp.l2tp.tunnel.TunnelConfig;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code standby = warm} (issue 14) against jl2tp's own LNS role on loopback: the tunnel stays up
 * with HELLOs and no call; an LNS that closes it gets it re-opened after a growing back-off; the
 * hand-over places a call with ICRQ/ICRP/ICCN only — no second SCCRQ reaches the LNS.
 */
class StandbyTunnelTest {

    private static final byte[] SECRET = "standby-secret".getBytes(StandardCharsets.US_ASCII);

    @Test
    void keptUpWithHellosReopenedWithBackoffAfterTheLnsClosesItAndHandedOverForACallOnly() throws Exception {
        InetAddress lo = InetAddress.getLoopbackAddress();
        L2tpSocket lns = L2tpSocket.bind(new InetSocketAddress(lo, 0));
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        AtomicInteger tunnelsAccepted = new AtomicInteger();
        AtomicInteger callsAccepted = new AtomicInteger();
        StandbyTunnel standby = null;
        try {
            lns.call(() -> {
                lns.endpoint().serve(TunnelConfig.defaults("lns").withSecret(SECRET, true), session -> {
                    callsAccepted.incrementAndGet();
                    return frame -> frame.release();
                }, e -> {
                    if (e instanceof L2tpEvent.TunnelUp) {
                        tunnelsAccepted.incrementAndGet();
                    }
                });
                return null;
            }).get();
            standby = new StandbyTunnel("test", lns.localAddress(), TunnelConfig.defaults("lac").withSecret(SECRET, true)
                    .withHelloInterval(Duration.ofSeconds(1)), new InetSocketAddress(lo, 0), scheduler, 300);
            standby.open();
            StandbyTunnel s = standby;
            await(5, "the standby tunnel", s::established);
            await(5, "the LNS's side of it (SCCCN)", () -> tunnelsAccepted.get() == 1);
            assertTrue(s.status().startsWith("standby tunnel: up"), s.status());

            // HELLO (RFC 2661 §6.5) after a second of silence: the LNS sees its Ns advance past SCCRQ (0), SCCCN (1).
            await(5, "a HELLO at the LNS", () -> lnsTunnels(lns).stream().anyMatch(t -> t.transport().expectedNr() >= 3));
            assertTrue(s.established(), "still up, no call");
            assertEquals(0, callsAccepted.get());

            // The LNS closes the idle tunnel (StopCCN): re-opened after the back-off (300 ms), then 600 ms.
            long first = closeAndTimeReopen(lns, s, 2);
            assertTrue(first >= 280, "not before the back-off: " + first + " ms");
            long second = closeAndTimeReopen(lns, s, 3);
            assertTrue(second >= 580 && second > first, "the back-off grows: " + first + " ms, then " + second + " ms");
            await(5, "the LNS's side of the third tunnel", () -> tunnelsAccepted.get() == 3);

            // Failover: the call goes into the standby tunnel — no SCCRQ, just ICRQ/ICRP/ICCN.
            List<L2tpEvent> events = new CopyOnWriteArrayList<>();
            CompletableFuture<Void> up = new CompletableFuture<>();
            StandbyTunnel.Handover h = s.take(e -> {
                events.add(e);
                if (e instanceof L2tpEvent.SessionUp) {
                    up.complete(null);
                }
            });
            assertNotNull(h);
            assertTrue(s.status().equals("standby tunnel: none"), s.status());
            h.socket().call(() -> h.tunnel().openSession(SessionConfig.defaults(), frame -> frame.release())).get();
            up.get(5, TimeUnit.SECONDS); // the LAC's side: ICRP received, ICCN sent
            await(5, "the LNS to accept the call (ICCN)", () -> callsAccepted.get() == 1);
            assertEquals(3, tunnelsAccepted.get(), "no new tunnel for the call");
            assertEquals(Tunnel.State.ESTABLISHED, h.socket().call(() -> h.tunnel().state()).get());
            assertTrue(events.stream().noneMatch(e -> e instanceof L2tpEvent.TunnelUp), events.toString());
            assertNull(s.take(e -> { }), "handed over once");
            h.socket().close("test over", 500);
        } finally {
            if (standby != null) {
                standby.close();
            }
            lns.close("test over", 500);
            scheduler.shutdownNow();
        }
    }

    /** Closes the LNS's established tunnels and returns the milliseconds until the standby has tunnel number {@code opens} up. */
    private static long closeAndTimeReopen(L2tpSocket lns, StandbyTunnel s, int opens) throws Exception {
        long t0 = System.nanoTime();
        lns.call(() -> {
            for (Tunnel t : lns.endpoint().tunnels()) {
                if (t.state() == Tunnel.State.ESTABLISHED) {
                    t.close("idle tunnel");
                }
            }
            return null;
        }).get();
        await(5, "the standby to notice", () -> !s.established() || s.opens() >= opens);
        await(10, "re-opening number " + (opens - 1), () -> s.opens() >= opens && s.established());
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }

    private static List<Tunnel> lnsTunnels(L2tpSocket lns) {
        try {
            return lns.call(() -> List.copyOf(lns.endpoint().tunnels())).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void await(int seconds, String what, BooleanSupplier ok) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!ok.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + what + " within " + seconds + " s");
            }
            Thread.sleep(10);
        }
    }
}
