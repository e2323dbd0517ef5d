package io.jl2tp.l2tp.netty;

import io.jl2tp.l2tp.tunnel.DatagramSink;
import io.jl2tp.testkit.NetNs;
import io.jl2tp.testkit.RequiresRoot;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Where the kernel refuses a segmented run — here datagrams longer than the path MTU, which only
 * separate sends can fragment (EMSGSIZE) — the run goes out one datagram at a time, nothing is
 * lost, datagrams that long are not batched again and shorter ones still are; other refusals
 * stop batching after {@value SendBatch#REFUSALS_BEFORE_OFF}. In a namespace whose loopback has
 * an MTU of 1000.
 */
@RequiresRoot
class SendBatchRefusalTest {

    @Test
    void refusedRunsAreSentOneByOneAndThenBatchingStops() throws Exception {
        // Netty settles once, where it is first used, whether its sockets are dual-stack: here,
        // not in a namespace whose loopback is too small for IPv6 (other tests bind ::1).
        L2tpSocket.bind(new InetSocketAddress("127.0.0.1", 0)).close();
        try (NetNs ns = NetNs.create("gso")) {
            ns.ip("link", "set", "lo", "mtu", "1000", "up");
            ns.run(() -> {
                try (DatagramSocket rx = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
                     L2tpSocket sock = L2tpSocket.bind(new InetSocketAddress("127.0.0.1", 0))) {
                    rx.setReceiveBufferSize(4 << 20);
                    rx.setSoTimeout(5000);
                    InetSocketAddress to = new InetSocketAddress("127.0.0.1", rx.getLocalPort());
                    DatagramSink sink = sock.dataSink();
                    int runs = SendBatch.REFUSALS_BEFORE_OFF + 2;
                    byte[] in = new byte[65536];
                    assertTrue(SendBatch.begin());
                    try {
                        for (int run = 0; run < runs; run++) {
                            for (int i = 0; i < 4; i++) {
                                byte[] d = new byte[1200];
                                Arrays.fill(d, (byte) (run * 4 + i));
                                ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(1200);
                                b.writeBytes(d);
                                sink.send(b, to);
                            }
                            SendBatch.flush();
                            for (int i = 0; i < 4; i++) {
                                DatagramPacket p = new DatagramPacket(in, in.length);
                                try {
                                    rx.receive(p);
                                } catch (java.net.SocketTimeoutException e) {
                                    throw new AssertionError("run " + run + " datagram " + i + " lost; send failures "
                                            + sock.sendFailures() + ", segmented " + Arrays.toString(sock.segmentedSends()), e);
                                }
                                assertEquals(1200, p.getLength(), "run " + run + ", datagram " + i);
                                byte[] want = new byte[1200];
                                Arrays.fill(want, (byte) (run * 4 + i));
                                assertArrayEquals(want, Arrays.copyOf(p.getData(), p.getLength()));
                            }
                        }
                    } finally {
                        SendBatch.end();
                    }
                    assertEquals(0, sock.segmentedSends()[0], "no run went segmented");
                    assertEquals(0, sock.sendFailures());
                    L2tpSocket.DirectSink direct = (L2tpSocket.DirectSink) sink;
                    assertEquals(1199, direct.longestSegment(), "1200-octet datagrams are no longer batched");
                    assertTrue(direct.gso(), "shorter ones still are");
                    assertTrue(SendBatch.begin());
                    try {
                        for (int i = 0; i < 4; i++) {
                            ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(500);
                            b.writeZero(500);
                            sink.send(b, to);
                        }
                    } finally {
                        SendBatch.end();
                    }
                    for (int i = 0; i < 4; i++) {
                        DatagramPacket p = new DatagramPacket(in, in.length);
                        rx.receive(p);
                        assertEquals(500, p.getLength());
                    }
                    assertEquals(1, sock.segmentedSends()[0], "the 500-octet run went segmented");
                    // Any other refusal (EIO: no checksum offload on the device) counts towards off.
                    for (int i = 0; i < SendBatch.REFUSALS_BEFORE_OFF; i++) {
                        assertTrue(direct.gso());
                        direct.refused(new io.netty.channel.unix.Errors.NativeIoException("sendmmsg", -5), 500);
                    }
                    assertFalse(direct.gso(), "batching off after the refusals");
                }
            });
        }
    }
}
