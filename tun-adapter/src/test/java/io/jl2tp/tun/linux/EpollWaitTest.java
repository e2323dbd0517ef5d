package io.jl2tp.tun.linux;

import com.sun.jna.Memory;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The TUN reader's wait through Netty's epoll_wait (the fast path's; JNA poll is the fallback). */
class EpollWaitTest {

    @Test
    void nettysEpollWaitIsReachableWhereverTheFastPathIs() {
        // Without it the reader silently falls back to poll(2) through JNA: a CPU-per-packet
        // regression that no functional test would notice.
        assertEquals(LinuxTunDevice.FAST_PATH, EpollWait.available());
        assertTrue(EpollWait.available(), "Netty's epoll transport is on this test's class path");
    }

    @Test
    void aWaiterWakesWhenEitherFdBecomesReadableAndStaysAwakeWhileItIs() throws Exception {
        int a = LibC.eventfd(0, LibC.EFD_CLOEXEC | LibC.EFD_NONBLOCK);
        int b = LibC.eventfd(0, LibC.EFD_CLOEXEC | LibC.EFD_NONBLOCK);
        EpollWait w = EpollWait.open(a, b);
        assertNotNull(w);
        try {
            CountDownLatch woke = new CountDownLatch(1);
            Thread t = new Thread(() -> {
                try {
                    w.await();
                    woke.countDown();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            t.setDaemon(true);
            t.start();
            assertFalse(woke.await(200, TimeUnit.MILLISECONDS), "nothing readable yet: the waiter blocks");
            Memory one = new Memory(8);
            one.setLong(0, 1);
            LibC.write(b, one, 8);
            assertTrue(woke.await(5, TimeUnit.SECONDS), "the second fd woke the waiter");
            t.join(5000);
            // level-triggered: b is still readable, so the next wait returns at once
            w.await();
        } finally {
            w.close();
            LibC.close(a);
            LibC.close(b);
        }
    }
}
