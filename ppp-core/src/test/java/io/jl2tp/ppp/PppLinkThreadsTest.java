package io.jl2tp.ppp;

import static io.jl2tp.ppp.PppPair.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jl2tp.ppp.options.PppSettings;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 10 item 5: what other threads see of a link. The transmit counter counts every frame
 * although the event loop and the TUN reader both send; {@link PppLink#terminated()} lets the
 * application wait for the Dead phase instead of polling {@link PppLink#phase()}.
 */
class PppLinkThreadsTest {

    private static final String SECRETS = "alice * s3cret\n";

    private static PppPair upPair() throws Exception {
        PppPair p = new PppPair(PppSettings.builder().auth(a -> a.name("alice")).build(), SECRETS,
                PppSettings.builder().auth(a -> a.auth(true).requireChap(true)).build(), SECRETS);
        p.start();
        p.run(5_000);
        assertEquals(PppEvent.Phase.NETWORK, p.peer.phase());
        return p;
    }

    @Test
    void txFramesCountsEveryFrameSentFromSeveralThreads() throws Exception {
        PppPair p = upPair();
        long before = p.peer.txFrames();
        p.cut = true; // the pipe releases frames at once, on the sending thread
        int perThread = 200_000;
        int threads = 2;
        CountDownLatch go = new CountDownLatch(1);
        Thread[] senders = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            senders[t] = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    ByteBuf ip = Unpooled.buffer(PppLink.HEADROOM + 20);
                    ip.writerIndex(PppLink.HEADROOM).readerIndex(PppLink.HEADROOM).writeZero(20);
                    p.peer.sendIp(PppLink.PROTO_IPV4, ip);
                }
            });
            senders[t].start();
        }
        go.countDown();
        for (Thread s : senders) {
            s.join(TimeUnit.MINUTES.toMillis(2));
            assertFalse(s.isAlive(), "sender finished");
        }
        assertEquals(before + (long) perThread * threads, p.peer.txFrames(), "no lost update");
    }

    @Test
    void terminatedCompletesWithTheDownEventWhenTheLinkIsDead() throws Exception {
        PppPair p = upPair();
        CompletableFuture<PppEvent.Down> t = p.peer.terminated();
        assertFalse(t.isDone());
        p.clock.execute(() -> p.peer.close("User request"));
        p.run(10_000);
        assertEquals(PppEvent.Phase.DEAD, p.peer.phase());
        List<PppEvent.Down> downs = of(p.peerEvents, PppEvent.Down.class);
        assertEquals(1, downs.size());
        assertSame(downs.get(0), t.getNow(null));
        assertEquals(PppEvent.Reason.ADMIN_CLOSE, t.getNow(null).reason());
        assertTrue(p.authenticator.terminated().isDone(), "the authenticator saw Terminate-Request and is Dead too");
    }

    @Test
    void terminatedCompletesOnLowerDownAndOnCloseOfALinkNeverStarted() throws Exception {
        PppPair p = upPair();
        p.clock.execute(() -> p.peer.lowerDown("session closed"));
        p.run(100);
        assertEquals(PppEvent.Reason.LOWER_DOWN, p.peer.terminated().getNow(null).reason());

        PppPair idle = new PppPair(PppSettings.DEFAULTS, SECRETS, PppSettings.DEFAULTS, SECRETS);
        CompletableFuture<PppEvent.Down> t = idle.peer.terminated();
        idle.clock.execute(() -> idle.peer.close("never dialled"));
        idle.run(10);
        assertEquals(PppEvent.Reason.ADMIN_CLOSE, t.getNow(null).reason());
        assertEquals(PppEvent.Phase.DEAD, idle.peer.phase());
    }

    @Test
    void completingTheReturnedFutureDoesNotEndTheLink() throws Exception {
        PppPair p = upPair();
        p.peer.terminated().complete(new PppEvent.Down(PppEvent.Reason.ADMIN_CLOSE, "not really"));
        assertFalse(p.peer.terminated().isDone());
        assertEquals(PppEvent.Phase.NETWORK, p.peer.phase());
    }

    /** A listener that reacts to Down by closing the lower layer (as the dialer does) must not get a second Down. */
    @Test
    void downIsReportedOnceEvenWhenTheListenerReEnters() {
        io.jl2tp.testkit.VirtualScheduler loop = new io.jl2tp.testkit.VirtualScheduler();
        List<PppEvent> events = new java.util.ArrayList<>();
        PppLink[] link = new PppLink[1];
        link[0] = new PppLink(PppSettings.DEFAULTS, new PppLink.Settings("h", (c, s) -> java.util.Optional.empty(),
                (c, s) -> java.util.Optional.empty(), null, ""), loop, io.netty.buffer.ByteBuf::release, e -> {
                    events.add(e);
                    if (e instanceof PppEvent.Down) {
                        link[0].lowerDown("tunnel closed by the listener");
                    }
                }, io.netty.buffer.UnpooledByteBufAllocator.DEFAULT, new java.util.Random(1));
        loop.execute(() -> link[0].close("hang-up"));
        loop.runPending();
        assertEquals(1, of(events, PppEvent.Down.class).size(), events.toString());
        assertEquals(PppEvent.Reason.ADMIN_CLOSE, link[0].terminated().getNow(null).reason());
    }
}
