package io.jl2tp.l2tp.tunnel;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Session#send} runs on the event loop (PPP control) and the TUN reader (IP) at once
 * (issue 10 item 5): no transmit count may be lost, and the data path uses only its published
 * snapshot (sink, allocator, ids), not the tunnel's endpoint.
 */
class SessionDataThreadsTest {

    @Test
    void twoSendingThreadsLoseNoCount() throws Exception {
        TableHarness h = new TableHarness(true, false);
        h.run(h.tunnel::start);
        h.deliver(h.sccrp());
        Session[] s = new Session[1];
        h.run(() -> s[0] = h.tunnel.openSession(SessionConfig.defaults(), f -> f.release()));
        h.deliver(h.icrp(s[0].localId(), TableHarness.PEER_SESSION));
        assertTrue(s[0].isEstablished());
        int perThread = 200_000;
        CountDownLatch start = new CountDownLatch(1);
        Runnable sender = () -> {
            try {
                start.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            for (int i = 0; i < perThread; i++) {
                ByteBuf b = Unpooled.buffer(Session.HEADROOM + 4);
                b.writerIndex(Session.HEADROOM).readerIndex(Session.HEADROOM);
                b.writeInt(i);
                s[0].send(b);
            }
        };
        Thread a = new Thread(sender, "event-loop-like");
        Thread b = new Thread(sender, "tun-reader-like");
        a.start();
        b.start();
        start.countDown();
        a.join(60_000);
        b.join(60_000);
        assertEquals(2L * perThread, s[0].txPackets(), "no lost update");
        assertEquals(2L * perThread * 4, s[0].txBytes());
        assertEquals(0, s[0].txDrops());
    }
}
