package io.jl2tp.l2tp.netty;

import io.jl2tp.l2tp.tunnel.L2tpEvent;
import io.jl2tp.l2tp.tunnel.Session;
import io.jl2tp.l2tp.tunnel.SessionConfig;
import io.jl2tp.l2tp.tunnel.Tunnel;
import io.jl2tp.l2tp.tunnel.TunnelConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** jl2tp LAC ↔ jl2tp LNS in one JVM over loopback UDP, through the Netty sockets. */
class LoopbackTest {

    private static <T extends L2tpEvent> T next(LinkedBlockingQueue<L2tpEvent> q, Class<T> type) throws InterruptedException {
        L2tpEvent e = q.poll(10, TimeUnit.SECONDS);
        assertNotNull(e, "no event, expected " + type.getSimpleName());
        return assertInstanceOf(type, e, "got " + e);
    }

    private static ByteBuf frame(String s) {
        ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(Session.HEADROOM + s.length());
        b.writerIndex(Session.HEADROOM).readerIndex(Session.HEADROOM);
        b.writeCharSequence(s, StandardCharsets.ISO_8859_1);
        return b;
    }

    @ParameterizedTest(name = "secret={0} hidden={1} over {2}, LAC socket connected={3}")
    @CsvSource({"false,false,127.0.0.1,false", "true,false,127.0.0.1,true", "true,true,127.0.0.1,false",
            "true,true,::1,true"})
    void tunnelCallFramesAndCleanTeardown(boolean secret, boolean hidden, String loopback, boolean connect)
            throws Exception {
        byte[] key = secret ? "loopback-secret".getBytes(StandardCharsets.US_ASCII) : null;
        TunnelConfig lnsCfg = TunnelConfig.defaults("jl2tp-lns").withSecret(key, secret).withHidden(hidden);
        TunnelConfig lacCfg = TunnelConfig.defaults("jl2tp-lac").withSecret(key, secret).withHidden(hidden);
        LinkedBlockingQueue<L2tpEvent> lnsEvents = new LinkedBlockingQueue<>();
        LinkedBlockingQueue<L2tpEvent> lacEvents = new LinkedBlockingQueue<>();
        List<String> atLns = new CopyOnWriteArrayList<>();
        List<String> atLac = new CopyOnWriteArrayList<>();
        java.util.concurrent.Semaphore echoed = new java.util.concurrent.Semaphore(0);
        try (L2tpSocket lns = L2tpSocket.bind(new InetSocketAddress(loopback, 0));
             L2tpSocket lac = L2tpSocket.bind(L2tpSocket.wildcardFor(java.net.InetAddress.getByName(loopback), 0))) {
            Session[] lnsSession = new Session[1];
            lns.call(() -> {
                lns.endpoint().serve(lnsCfg, s -> {
                    lnsSession[0] = s;
                    return f -> {
                        atLns.add(f.toString(StandardCharsets.ISO_8859_1));
                        f.release();
                        // echo it back, as a PPP peer would answer
                        s.send(frame("echo:" + atLns.get(atLns.size() - 1)));
                    };
                }, lnsEvents::add);
                return null;
            }).get();
            Session[] lacSession = new Session[1];
            Tunnel t = lac.call(() -> {
                Tunnel tun = lac.endpoint().connect(lns.localAddress(), lacCfg, lacEvents::add);
                lacSession[0] = tun.openSession(SessionConfig.defaults(), f -> {
                    atLac.add(f.toString(StandardCharsets.ISO_8859_1));
                    f.release();
                    echoed.release();
                });
                return tun;
            }).get();
            next(lacEvents, L2tpEvent.TunnelUp.class);
            if (connect) { // as the dialer does: data then leaves with write(2) on the connected socket
                lac.call(() -> {
                    lac.connect(t.peer());
                    return null;
                }).get();
                io.jl2tp.testkit.Await.until(java.time.Duration.ofSeconds(5), "LAC socket connected",
                        () -> t.peer().equals(lac.connectedPeer()));
            }
            next(lacEvents, L2tpEvent.SessionUp.class);
            next(lnsEvents, L2tpEvent.TunnelUp.class);
            next(lnsEvents, L2tpEvent.SessionUp.class);
            for (int i = 0; i < 100; i++) {
                lacSession[0].send(frame("frame-" + i));
            }
            assertTrue(echoed.tryAcquire(100, 10, TimeUnit.SECONDS), "100 echoes within 10 s: " + atLac.size() + " (the LNS got " + atLns.size() + ")");
            assertEquals(100, atLns.size());
            assertEquals(100, atLac.size());
            assertEquals("echo:frame-99", atLac.get(99));
            assertEquals(100, lacSession[0].txPackets());
            assertEquals(100, lnsSession[0].rxPackets());
            // A jumbo frame (PPP MRU 9000 and more) arrives whole through recvmmsg's fixed slots.
            String jumbo = "J".repeat(9100);
            lacSession[0].send(frame(jumbo));
            assertTrue(echoed.tryAcquire(1, 10, TimeUnit.SECONDS), "the jumbo echo within 10 s");
            assertEquals("echo:" + jumbo, atLac.get(100));

            lac.call(() -> {
                t.close("test over");
                return null;
            }).get();
            assertEquals(3, next(lnsEvents, L2tpEvent.SessionDown.class).result().result());
            L2tpEvent.TunnelDown down = next(lnsEvents, L2tpEvent.TunnelDown.class);
            assertTrue(down.byPeer());
            assertEquals(1, down.result().result());
            // StopCCN acknowledged, both sides lingering (§5.7)
            io.jl2tp.testkit.Await.until(java.time.Duration.ofSeconds(5), "our CDN and StopCCN acknowledged",
                    () -> lac.call(() -> t.transport().idle()).join());
            assertEquals(Tunnel.State.CLOSING, lac.call(t::state).get());
            assertEquals(1, lns.call(() -> lns.endpoint().tunnels().size()).get());
        }
    }
}
