package io.jl2tp.l2tp.netty;

import io.jl2tp.l2tp.tunnel.L2tpEvent;
import io.jl2tp.l2tp.tunnel.Session;
import io.jl2tp.l2tp.tunnel.SessionConfig;
import io.jl2tp.l2tp.tunnel.Tunnel;
import io.jl2tp.l2tp.tunnel.TunnelConfig;
import io.jl2tp.testkit.L2tpnsFixture;
import io.jl2tp.testkit.RequiresRoot;
import io.netty.buffer.ByteBufUtil;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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

/** jl2tp LAC ↔ the real l2tpns LNS, in network namespaces made by the test. */
@RequiresRoot(commands = {"l2tpns", "freeradius"})
class L2tpnsInteropTest {

    private static L2tpnsFixture lns;

    @BeforeAll
    static void startLns() throws Exception {
        lns = L2tpnsFixture.start();
    }

    @AfterAll
    static void stopLns() {
        if (lns != null) {
            lns.close();
        }
    }

    private record Dial(Tunnel tunnel, Session session, LinkedBlockingQueue<L2tpEvent> events,
                        List<String> frames) {
    }

    private Dial dial(L2tpSocket sock, TunnelConfig cfg) throws Exception {
        LinkedBlockingQueue<L2tpEvent> events = new LinkedBlockingQueue<>();
        List<String> frames = new CopyOnWriteArrayList<>();
        InetSocketAddress addr = new InetSocketAddress(lns.lnsAddress(), lns.port());
        Session[] s = new Session[1];
        Tunnel t = sock.call(() -> {
            Tunnel tun = sock.endpoint().connect(addr, cfg, events::add);
            s[0] = tun.openSession(SessionConfig.defaults(), f -> {
                frames.add(ByteBufUtil.hexDump(f));
                f.release();
            });
            return tun;
        }).get(5, TimeUnit.SECONDS);
        return new Dial(t, s[0], events, frames);
    }

    private static <T extends L2tpEvent> T next(LinkedBlockingQueue<L2tpEvent> q, Class<T> type) throws InterruptedException {
        L2tpEvent e = q.poll(15, TimeUnit.SECONDS);
        assertNotNull(e, "no event within 15 s, expected " + type.getSimpleName());
        return assertInstanceOf(type, e, "got " + e);
    }

    private void establishReceiveLcpAndTearDown(L2tpSocket sock, TunnelConfig cfg) throws Exception {
        Dial d = dial(sock, cfg);
        L2tpEvent.TunnelUp up = next(d.events, L2tpEvent.TunnelUp.class);
        assertEquals("lns-l2tpns", up.tunnel().peerHostName());
        next(d.events, L2tpEvent.SessionUp.class);
        // l2tpns starts LCP at once: a Configure-Request (FF 03 C0 21 01 …) arrives as data.
        io.jl2tp.testkit.Await.until(java.time.Duration.ofSeconds(10), "a frame from l2tpns within 10 s",
                () -> sock.call(() -> !d.frames.isEmpty()).join());
        assertTrue(!d.frames.isEmpty() && d.frames.get(0).startsWith("ff03c02101"), "LCP ConfReq from l2tpns: " + d.frames);
        assertTrue(d.session.rxPackets() >= 1);
        sock.call(() -> {
            d.tunnel.close("test finished");
            return null;
        }).get(5, TimeUnit.SECONDS);
        L2tpEvent.SessionDown sd = next(d.events, L2tpEvent.SessionDown.class);
        assertEquals(3, sd.result().result());
        next(d.events, L2tpEvent.TunnelDown.class);
        // l2tpns acknowledges CDN and StopCCN (ZLB): our transport goes idle.
        io.jl2tp.testkit.Await.until(java.time.Duration.ofSeconds(10), "l2tpns acknowledged CDN and StopCCN",
                () -> sock.call(() -> d.tunnel.transport().idle()).join());
    }

    @Test
    void tunnelAndCallEstablishAndTearDownCleanlyThenTheNextTunnelFromTheSameSourceWorks() throws Exception {
        try (L2tpSocket sock = lns.lacNamespace().call(() -> L2tpSocket.bind(new InetSocketAddress(L2tpnsFixture.LAC_IP, 0)))) {
            establishReceiveLcpAndTearDown(sock, TunnelConfig.defaults("jl2tp-test"));
            establishReceiveLcpAndTearDown(sock, TunnelConfig.defaults("jl2tp-test"));
        }
    }

    @Test
    void tunnelAuthenticationWithL2tpns() throws Exception {
        byte[] secret = lns.tunnelSecret().getBytes(StandardCharsets.US_ASCII);
        try (L2tpSocket sock = lns.lacNamespace().call(() -> L2tpSocket.bind(new InetSocketAddress(L2tpnsFixture.LAC_IP, 0)))) {
            establishReceiveLcpAndTearDown(sock, TunnelConfig.defaults("jl2tp-test").withSecret(secret, true));
        }
    }

    @Test
    void aWrongTunnelSecretIsDetected() throws Exception {
        byte[] wrong = "not-the-secret".getBytes(StandardCharsets.US_ASCII);
        try (L2tpSocket sock = lns.lacNamespace().call(() -> L2tpSocket.bind(new InetSocketAddress(L2tpnsFixture.LAC_IP, 0)))) {
            Dial d = dial(sock, TunnelConfig.defaults("jl2tp-test").withSecret(wrong, true));
            next(d.events, L2tpEvent.SessionDown.class); // the call that waited for the tunnel
            L2tpEvent.TunnelDown down = next(d.events, L2tpEvent.TunnelDown.class);
            assertEquals(4, down.result().result(), down.reason());
            // and l2tpns was told with a StopCCN: a new tunnel from the same socket still works
            establishReceiveLcpAndTearDown(sock, TunnelConfig.defaults("jl2tp-test"));
        }
    }
}
