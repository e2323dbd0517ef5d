package io.jl2tp.l2tp.netty;

import io.jl2tp.l2tp.tunnel.DatagramSink;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link SendBatch}: what a TUN reader sends in one burst leaves as UDP_SEGMENT runs, and the
 * receiver gets exactly the datagrams, in order, that separate sends would have given it.
 * Over loopback, from a thread that is not the socket's event loop (as the TUN reader).
 */
class SendBatchTest {

    /** Sends {@code datagrams} through {@code sock}'s data sink, batched or not; returns what arrived. */
    private static List<byte[]> roundTrip(String loopback, boolean connect, boolean batched, List<byte[]> datagrams)
            throws Exception {
        InetAddress lo = InetAddress.getByName(loopback);
        try (DatagramSocket rx = new DatagramSocket(new InetSocketAddress(lo, 0));
             L2tpSocket sock = L2tpSocket.bind(new InetSocketAddress(lo, 0))) {
            rx.setReceiveBufferSize(4 << 20);
            rx.setSoTimeout(5000);
            InetSocketAddress to = new InetSocketAddress(lo, rx.getLocalPort());
            if (connect) {
                sock.call(() -> {
                    sock.connect(to);
                    return null;
                }).get();
                for (int i = 0; i < 100 && sock.connectedPeer() == null; i++) {
                    Thread.sleep(10);
                }
                assertEquals(to, sock.connectedPeer());
            }
            DatagramSink sink = sock.dataSink();
            if (batched) {
                assertTrue(SendBatch.begin(), "Netty's sendmmsg binding is reachable");
            }
            try {
                for (byte[] d : datagrams) {
                    ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(d.length + 16);
                    b.writerIndex(16).readerIndex(16); // as a data message: headroom in front
                    b.writeBytes(d);
                    sink.send(b, new InetSocketAddress(lo, rx.getLocalPort())); // a fresh, equal address each time
                }
            } finally {
                SendBatch.end();
            }
            List<byte[]> got = new ArrayList<>();
            byte[] in = new byte[65536];
            for (int i = 0; i < datagrams.size(); i++) {
                DatagramPacket p = new DatagramPacket(in, in.length);
                rx.receive(p);
                got.add(Arrays.copyOf(p.getData(), p.getLength()));
            }
            long[] seg = sock.segmentedSends();
            if (batched) {
                assertTrue(seg[0] > 0, "at least one run went segmented");
            } else {
                assertEquals(0, seg[0], "no batch open: one send per datagram");
            }
            assertEquals(0, sock.sendFailures());
            return got;
        }
    }

    private static byte[] datagram(Random r, int len, int seq) {
        byte[] d = new byte[len];
        r.nextBytes(d);
        d[0] = (byte) (seq >> 8);
        d[len > 1 ? 1 : 0] = (byte) seq;
        return d;
    }

    @ParameterizedTest(name = "{0}, connected={1}")
    @CsvSource({"127.0.0.1,false", "127.0.0.1,true", "::1,false", "::1,true"})
    void aRunOfEqualDatagramsAndAShorterLastArriveAsSent(String loopback, boolean connect) throws Exception {
        Random r = new Random(1);
        List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < 150; i++) { // more than one run: 64 segments and 60 KiB end a run
            sent.add(datagram(r, i == 149 ? 300 : 1428, i));
        }
        List<byte[]> got = roundTrip(loopback, connect, true, sent);
        for (int i = 0; i < sent.size(); i++) {
            assertArrayEquals(sent.get(i), got.get(i), "datagram " + i);
        }
    }

    @Test
    void mixedLengthsSplitIntoRunsAndKeepTheirOrder() throws Exception {
        for (long seed = 1; seed <= 20; seed++) {
            Random r = new Random(seed);
            List<byte[]> sent = new ArrayList<>();
            int len = 1 + r.nextInt(1500);
            for (int i = 0; i < 200; i++) {
                if (r.nextInt(6) == 0) {
                    len = 1 + r.nextInt(r.nextBoolean() ? 1500 : 9000);
                }
                sent.add(datagram(r, len, i));
            }
            List<byte[]> got = roundTrip("127.0.0.1", seed % 2 == 0, true, sent);
            for (int i = 0; i < sent.size(); i++) {
                assertArrayEquals(sent.get(i), got.get(i), "seed " + seed + ", datagram " + i);
            }
        }
    }

    @Test
    void withoutABatchEachDatagramIsSentAlone() throws Exception {
        Random r = new Random(7);
        List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            sent.add(datagram(r, 1000, i));
        }
        List<byte[]> got = roundTrip("127.0.0.1", false, false, sent);
        for (int i = 0; i < sent.size(); i++) {
            assertArrayEquals(sent.get(i), got.get(i));
        }
    }

    @Test
    void refusalsAreTheErrorsThatMeanNotSegmentedHere() {
        assertTrue(SendBatch.refusal(new io.netty.channel.unix.Errors.NativeIoException("sendmmsg", -5)));   // EIO
        assertTrue(SendBatch.refusal(new io.netty.channel.unix.Errors.NativeIoException("sendmmsg", -22)));  // EINVAL
        assertTrue(SendBatch.refusal(new io.netty.channel.unix.Errors.NativeIoException("sendmmsg", -92)));  // ENOPROTOOPT
        assertTrue(SendBatch.refusal(new io.netty.channel.unix.Errors.NativeIoException("sendmmsg", -90)));  // EMSGSIZE
        assertTrue(!SendBatch.refusal(new io.netty.channel.unix.Errors.NativeIoException("sendmmsg", -111))); // ECONNREFUSED
        assertTrue(!SendBatch.refusal(new io.netty.channel.unix.Errors.NativeIoException("sendmmsg", -101))); // ENETUNREACH
    }
}
