package io.jl2tp.app.harness;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The relay for real, on 127.0.0.1: a client socket, the relay, and an echo server that answers
 * every datagram. Waits are on events with generous deadlines; only lower bounds of time (a
 * delay is at least the delay) are asserted.
 */
class ImpairRelayTest {

    private static final InetSocketAddress LOOPBACK = new InetSocketAddress("127.0.0.1", 0);

    private DatagramChannel server;
    private Thread echo;
    private final Set<InetSocketAddress> serverSaw = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile int serverReceived;

    @BeforeEach
    void echoServer() throws IOException {
        server = DatagramChannel.open().bind(LOOPBACK);
        echo = new Thread(() -> {
            ByteBuffer b = ByteBuffer.allocate(65_535);
            while (server.isOpen()) {
                try {
                    b.clear();
                    InetSocketAddress from = (InetSocketAddress) server.receive(b);
                    serverReceived++;
                    serverSaw.add(from);
                    b.flip();
                    server.send(b, from);
                } catch (IOException e) {
                    return;
                }
            }
        }, "echo");
        echo.setDaemon(true);
        echo.start();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        echo.join(5000);
    }

    private InetSocketAddress serverAddress() throws IOException {
        return (InetSocketAddress) server.getLocalAddress();
    }

    private static DatagramChannel client() throws IOException {
        DatagramChannel c = DatagramChannel.open().bind(LOOPBACK);
        c.socket().setSoTimeout(200);
        return c;
    }

    /** Receives one datagram's first int (a sequence number), or null after {@code ms} of silence. */
    private static Integer receive(DatagramChannel c, int ms) throws IOException {
        c.socket().setSoTimeout(ms);
        java.net.DatagramPacket p = new java.net.DatagramPacket(new byte[2048], 2048);
        try {
            c.socket().receive(p);
        } catch (SocketTimeoutException e) {
            return null;
        }
        return ByteBuffer.wrap(p.getData(), 0, p.getLength()).getInt();
    }

    private static void send(DatagramChannel c, InetSocketAddress to, int seq) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(64);
        b.putInt(seq).position(64).flip();
        c.send(b, to);
    }

    @Test
    void relaysBothWaysUnimpaired() throws Exception {
        try (ImpairRelay relay = ImpairRelay.start(ImpairRelay.Config.of(LOOPBACK, serverAddress()));
             DatagramChannel c = client()) {
            for (int i = 0; i < 100; i++) {
                send(c, relay.localAddress(), i);
                assertEquals(i, receive(c, 5000), "echo of " + i);
            }
            relay.close();
            assertEquals(100, relay.stats(ImpairRelay.Direction.UP).impairment().forwarded());
            assertEquals(100, relay.stats(ImpairRelay.Direction.DOWN).impairment().forwarded());
            assertEquals(1, serverSaw.size(), "one upstream socket for one client");
        }
    }

    @Test
    void lossBothWaysIsCountedAndMatchesWhatArrives() throws Exception {
        ImpairRelay.Config cfg = ImpairRelay.Config.of(LOOPBACK, serverAddress())
                .with(Impairment.Profile.NONE.withLoss(20), Impairment.Profile.NONE.withLoss(20)).withSeed(42);
        int n = 2000;
        int echoed = 0;
        try (ImpairRelay relay = ImpairRelay.start(cfg); DatagramChannel c = client()) {
            // Lock-step in small batches so that no socket buffer overflows: losses are the relay's only.
            for (int i = 0; i < n; i += 20) {
                for (int k = i; k < i + 20; k++) {
                    send(c, relay.localAddress(), k);
                }
                long up = awaitCount(() -> relay.stats(ImpairRelay.Direction.UP).received(), i + 20);
                assertEquals(i + 20, up);
                long expectDown = relay.stats(ImpairRelay.Direction.UP).impairment().forwarded();
                awaitCount(() -> relay.stats(ImpairRelay.Direction.DOWN).received(), expectDown);
                while (receive(c, 20) != null) {
                    echoed++;
                }
            }
            while (receive(c, 300) != null) {
                echoed++;
            }
            relay.close();
            ImpairRelay.Stats up = relay.stats(ImpairRelay.Direction.UP);
            ImpairRelay.Stats down = relay.stats(ImpairRelay.Direction.DOWN);
            assertEquals(n, up.received());
            // 20 % each way, independently: within 3σ of 400 lost upstream.
            assertTrue(Math.abs(up.impairment().lost() - 400) <= 3 * Math.sqrt(n * 0.2 * 0.8), up.line());
            assertEquals(up.impairment().forwarded(), serverReceived, "the server got what the relay forwarded");
            assertEquals(serverReceived, down.received());
            assertEquals(down.impairment().forwarded(), echoed, "the client got what the relay forwarded back");
            double sigma = Math.sqrt(down.received() * 0.2 * 0.8);
            assertTrue(Math.abs(down.impairment().lost() - down.received() * 0.2) <= 3 * sigma, down.line());
        }
    }

    private static long awaitCount(java.util.function.LongSupplier counter, long atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        long v;
        while ((v = counter.getAsLong()) < atLeast) {
            assertTrue(System.nanoTime() < deadline, "counter stuck at " + v + " < " + atLeast);
            Thread.sleep(5);
        }
        return v;
    }

    /** Sends 0..n-1 through a relay impairing the way up only; what the client got back, in order, and the counters. */
    private record Through(java.util.List<Integer> seen, Impairment.Counters counted) {
    }

    private Through through(Impairment.Profile up, long seed, int n) throws Exception {
        ImpairRelay.Config cfg = ImpairRelay.Config.of(LOOPBACK, serverAddress()).with(up, Impairment.Profile.NONE).withSeed(seed);
        java.util.List<Integer> seen = new java.util.ArrayList<>();
        try (ImpairRelay relay = ImpairRelay.start(cfg); DatagramChannel c = client()) {
            for (int i = 0; i < n; i += 20) {
                for (int k = i; k < i + 20; k++) {
                    send(c, relay.localAddress(), k);
                }
                awaitCount(() -> relay.stats(ImpairRelay.Direction.UP).received(), i + 20);
                Integer got;
                while ((got = receive(c, 20)) != null) {
                    seen.add(got);
                }
            }
            Integer got;
            while ((got = receive(c, 500)) != null) { // the last held one leaves after 200 ms
                seen.add(got);
            }
            relay.close();
            return new Through(seen, relay.stats(ImpairRelay.Direction.UP).impairment());
        }
    }

    /**
     * Reordering through real sockets, with a fixed seed: the datagrams the client sees after a
     * later one are exactly those the relay counted as reordered, within 3σ of 10 % of 2000.
     */
    @Test
    void reorderingArrivesAsCounted() throws Exception {
        int n = 2000;
        Through t = through(Impairment.Profile.NONE.withReorder(10, 1), 7, n);
        assertEquals(n, t.seen().size(), "every datagram arrived once");
        assertEquals(n, t.seen().stream().distinct().count());
        int displaced = 0;
        int highest = -1;
        for (int v : t.seen()) {
            if (v < highest) {
                displaced++;
            }
            highest = Math.max(highest, v);
        }
        assertEquals(t.counted().reordered(), displaced, "the client saw what the relay counted as reordered");
        assertTrue(Math.abs(displaced - 200) <= 3 * Math.sqrt(n * 0.1 * 0.9), "reordered " + displaced);
    }

    /** Duplication through real sockets, with a fixed seed: the second copies arrive as counted, within 3σ of 10 %. */
    @Test
    void duplicationArrivesAsCounted() throws Exception {
        int n = 2000;
        Through t = through(Impairment.Profile.NONE.withDuplicate(10), 7, n);
        assertEquals(n, t.seen().stream().distinct().count(), "every datagram arrived");
        long copies = t.seen().size() - n;
        assertEquals(t.counted().duplicated(), copies, "the second copies the client saw are those counted");
        assertTrue(Math.abs(copies - 200) <= 3 * Math.sqrt(n * 0.1 * 0.9), "duplicated " + copies);
        for (int i = 1; i < t.seen().size(); i++) {
            assertTrue(t.seen().get(i) >= t.seen().get(i - 1), "a copy follows its original, nothing is reordered");
        }
    }

    @Test
    void delayIsAtLeastTheDelayEachWay() throws Exception {
        long ms = 1_000_000L;
        ImpairRelay.Config cfg = ImpairRelay.Config.of(LOOPBACK, serverAddress())
                .with(Impairment.Profile.NONE.withDelay(150 * ms, 0), Impairment.Profile.NONE.withDelay(100 * ms, 0));
        try (ImpairRelay relay = ImpairRelay.start(cfg); DatagramChannel c = client()) {
            for (int i = 0; i < 5; i++) {
                long t0 = System.nanoTime();
                send(c, relay.localAddress(), i);
                assertEquals(i, receive(c, 10_000));
                long rtt = System.nanoTime() - t0;
                assertTrue(rtt >= 250 * ms, "round trip " + rtt / 1e6 + " ms < 250 ms");
            }
            relay.close();
            assertEquals(5, relay.stats(ImpairRelay.Direction.UP).impairment().delayed());
            assertEquals(5, relay.stats(ImpairRelay.Direction.DOWN).impairment().delayed());
        }
    }

    @Test
    void duplicationDeliversSecondCopies() throws Exception {
        ImpairRelay.Config cfg = ImpairRelay.Config.of(LOOPBACK, serverAddress())
                .with(Impairment.Profile.NONE.withDuplicate(100), Impairment.Profile.NONE);
        try (ImpairRelay relay = ImpairRelay.start(cfg); DatagramChannel c = client()) {
            send(c, relay.localAddress(), 5);
            assertEquals(5, receive(c, 5000));
            assertEquals(5, receive(c, 5000));
            assertNull(receive(c, 300));
            relay.close();
            assertEquals(1, relay.stats(ImpairRelay.Direction.UP).impairment().duplicated());
            assertEquals(2, relay.stats(ImpairRelay.Direction.DOWN).received());
        }
    }

    @Test
    void blackHoleDropsBothWaysUntilItEnds() throws Exception {
        try (ImpairRelay relay = ImpairRelay.start(ImpairRelay.Config.of(LOOPBACK, serverAddress()));
             DatagramChannel c = client()) {
            send(c, relay.localAddress(), 1);
            assertEquals(1, receive(c, 5000));
            relay.blackhole(Duration.ofMinutes(5));
            assertTrue(relay.blackholeOn());
            for (int i = 0; i < 10; i++) {
                send(c, relay.localAddress(), 100 + i);
            }
            assertNull(receive(c, 500));
            awaitCount(() -> relay.stats(ImpairRelay.Direction.UP).blackholed(), 10);
            relay.blackhole(Duration.ZERO);
            assertFalse(relay.blackholeOn());
            send(c, relay.localAddress(), 2);
            assertEquals(2, receive(c, 5000));
            relay.close();
            assertEquals(10, relay.stats(ImpairRelay.Direction.UP).blackholed());
            assertEquals(2, relay.stats(ImpairRelay.Direction.UP).impairment().forwarded());
        }
    }

    @Test
    void aBlackHoleEndsByItself() throws Exception {
        try (ImpairRelay relay = ImpairRelay.start(ImpairRelay.Config.of(LOOPBACK, serverAddress()));
             DatagramChannel c = client()) {
            relay.blackhole(Duration.ofMillis(300));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            Integer got = null;
            int seq = 0;
            while (got == null && System.nanoTime() < deadline) {
                send(c, relay.localAddress(), seq++);
                got = receive(c, 100);
            }
            assertTrue(got != null, "traffic passes again after the black hole");
            assertFalse(relay.blackholeOn());
        }
    }

    @Test
    void eachClientGetsItsOwnUpstreamSocketAndItsOwnReplies() throws Exception {
        try (ImpairRelay relay = ImpairRelay.start(ImpairRelay.Config.of(LOOPBACK, serverAddress()));
             DatagramChannel a = client(); DatagramChannel b = client()) {
            send(a, relay.localAddress(), 10);
            send(b, relay.localAddress(), 20);
            assertEquals(10, receive(a, 5000));
            assertEquals(20, receive(b, 5000));
            assertNull(receive(a, 200));
            assertEquals(2, serverSaw.size());
            assertEquals(2, relay.clients());
        }
    }

    @Test
    void repliesFromAnyOtherAddressAreRefused() throws Exception {
        try (ImpairRelay relay = ImpairRelay.start(ImpairRelay.Config.of(LOOPBACK, serverAddress()));
             DatagramChannel c = client();
             DatagramChannel stranger = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.2", 0))) {
            send(c, relay.localAddress(), 1);
            assertEquals(1, receive(c, 5000));
            InetSocketAddress upstream = serverSaw.iterator().next();
            send(stranger, upstream, 666);
            awaitCount(() -> relay.stats(ImpairRelay.Direction.DOWN).refused(), 1);
            assertNull(receive(c, 300));
        }
    }

    @Test
    void idleMappingsAreClosed() throws Exception {
        ImpairRelay.Config cfg = new ImpairRelay.Config(LOOPBACK, serverAddress(), Impairment.Profile.NONE,
                Impairment.Profile.NONE, 1, null, 8, Duration.ofMillis(100));
        try (ImpairRelay relay = ImpairRelay.start(cfg); DatagramChannel c = client()) {
            send(c, relay.localAddress(), 1);
            assertEquals(1, receive(c, 5000));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (relay.clients() > 0) {
                assertTrue(System.nanoTime() < deadline, "mapping not closed");
                Thread.sleep(20);
            }
            send(c, relay.localAddress(), 2);
            assertEquals(2, receive(c, 5000), "a new mapping after the old one closed");
            assertEquals(2, serverSaw.size(), "from a new upstream socket");
        }
    }

    @Test
    void clientsBeyondTheLimitAreRefused() throws Exception {
        ImpairRelay.Config cfg = new ImpairRelay.Config(LOOPBACK, serverAddress(), Impairment.Profile.NONE,
                Impairment.Profile.NONE, 1, null, 1, Duration.ofMinutes(5));
        try (ImpairRelay relay = ImpairRelay.start(cfg); DatagramChannel a = client(); DatagramChannel b = client()) {
            send(a, relay.localAddress(), 1);
            assertEquals(1, receive(a, 5000));
            send(b, relay.localAddress(), 2);
            awaitCount(() -> relay.stats(ImpairRelay.Direction.UP).refused(), 1);
            assertNull(receive(b, 200));
        }
    }

    @Test
    void closeReleasesTheThreadAndEverySocket() throws Exception {
        int fdsBefore = fds();
        ImpairRelay relay = ImpairRelay.start(ImpairRelay.Config.of(LOOPBACK, serverAddress()));
        try (DatagramChannel a = client(); DatagramChannel b = client()) {
            send(a, relay.localAddress(), 1);
            send(b, relay.localAddress(), 2);
            assertEquals(1, receive(a, 5000));
            assertEquals(2, receive(b, 5000));
            relay.close();
            relay.close();
        }
        assertFalse(Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("impair-relay")),
                "relay thread gone");
        int after = fds();
        assertTrue(after <= fdsBefore, "descriptors " + fdsBefore + " -> " + after + ": the relay left some open");
    }

    @Test
    void writesWhatItReceivedAndSentToAPcap(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("relay.pcap");
        try (ImpairRelay relay = ImpairRelay.start(ImpairRelay.Config.of(LOOPBACK, serverAddress()).withPcap(file));
             DatagramChannel c = client()) {
            send(c, relay.localAddress(), 1);
            assertEquals(1, receive(c, 5000));
        }
        // 24-octet header, then four records (client→relay, relay→server, server→relay, relay→client),
        // each 16 + 20 + 8 + 64 octets.
        assertEquals(24 + 4 * (16 + 20 + 8 + 64), Files.size(file));
    }

    static int fds() throws IOException {
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            return (int) s.count();
        }
    }
}
