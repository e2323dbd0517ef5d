package io.jl2tp.tun.offload;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * User-space segmentation ({@link Gso}) and coalescing ({@link Gro}) of TCP over a TUN with
 * IFF_VNET_HDR. Checksums are checked with a separate, plain 16-bit RFC 1071 sum over byte
 * arrays; the round trip Gso(Gro(segments)) must give back the very segments, in order.
 */
class OffloadTest {

    private static final int HEADROOM = 16;
    // Pooled (and leak-checked by the test JVM's detector) except in the long seeded test.
    private ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    private final List<ByteBuf> toRelease = new ArrayList<>();

    @AfterEach
    void release() {
        toRelease.forEach(b -> {
            if (b.refCnt() > 0) {
                b.release(b.refCnt());
            }
        });
    }

    // ---- reference implementation (byte arrays, 16 bits at a time) ----

    static int sum16(byte[] b, int from, int to, long acc) {
        for (int i = from; i < to; i += 2) {
            int hi = b[i] & 0xff;
            int lo = i + 1 < to ? b[i + 1] & 0xff : 0;
            acc += (hi << 8) | lo;
        }
        while ((acc >>> 16) != 0) {
            acc = (acc & 0xffff) + (acc >>> 16);
        }
        return (int) acc;
    }

    static boolean ipv4HeaderValid(byte[] p) {
        return sum16(p, 0, 20, 0) == 0xffff;
    }

    static boolean transportValid(byte[] p, int protocol) {
        boolean v4 = (p[0] & 0xf0) == 0x40;
        int hl = v4 ? (p[0] & 0x0f) * 4 : 40;
        int len = p.length - hl;
        long pseudo = protocol + len;
        if (v4) {
            pseudo += sum16(p, 12, 20, 0);
        } else {
            pseudo += sum16(p, 8, 40, 0);
        }
        return sum16(p, hl, p.length, pseudo) == 0xffff;
    }

    static byte[] bytes(ByteBuf b) {
        byte[] a = new byte[b.readableBytes()];
        b.getBytes(b.readerIndex(), a);
        return a;
    }

    // ---- packet builders ----

    /**
     * The IP header of a {@code length}-octet packet from 198.51.100.1 to 198.51.100.128, or
     * 2001:db8::1 to 2001:db8::2 with {@code flowLabel}: IPv4 with DF, {@code id} and its checksum.
     */
    static void ipHeader(ByteBuf b, boolean v6, int flowLabel, int id, int protocol, int length) {
        if (v6) {
            b.setInt(0, 0x60000000 | flowLabel);
            b.setShort(4, length - 40);
            b.setByte(6, protocol);
            b.setByte(7, 64);
            b.setBytes(8, new byte[] {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});
            b.setBytes(24, new byte[] {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2});
            return;
        }
        b.setByte(0, 0x45);
        b.setShort(2, length);
        b.setShort(4, id);
        b.setShort(6, 0x4000); // DF
        b.setByte(8, 64);
        b.setByte(9, protocol);
        b.setBytes(12, new byte[] {(byte) 198, 51, 100, 1, (byte) 198, 51, 100, (byte) 128});
        b.setShort(10, ~sum16(b.array(), 0, 20, 0) & 0xffff);
    }

    /** An IPv4 or IPv6 TCP packet with payload, valid checksums unless {@code partial} (then the pseudo sum only). */
    static byte[] tcp(boolean v6, int seq, int id, int flags, byte[] payload, byte[] options, boolean partial) {
        int ipHl = v6 ? 40 : 20;
        int tcpHl = 20 + options.length;
        byte[] p = new byte[ipHl + tcpHl + payload.length];
        ByteBuf b = Unpooled.wrappedBuffer(p);
        ipHeader(b, v6, 0x12345, id, 6, p.length);
        int t = ipHl;
        b.setShort(t, 5201);
        b.setShort(t + 2, 40000);
        b.setInt(t + 4, seq);
        b.setInt(t + 8, 0x01020304);
        b.setByte(t + 12, (tcpHl / 4) << 4);
        b.setByte(t + 13, flags);
        b.setShort(t + 14, 501);
        b.setBytes(t + 20, options);
        b.setBytes(t + tcpHl, payload);
        long pseudo = 6 + (p.length - ipHl) + (v6 ? sum16(p, 8, 40, 0) : sum16(p, 12, 20, 0));
        if (partial) {
            int f = (int) pseudo;
            while ((f >>> 16) != 0) {
                f = (f & 0xffff) + (f >>> 16);
            }
            b.setShort(t + 16, f);
        } else {
            b.setShort(t + 16, ~sum16(p, t, p.length, pseudo) & 0xffff);
        }
        return p;
    }

    /** A UDP datagram over IPv4 or IPv6 with a valid checksum (or the pseudo sum only if {@code partial}). */
    static byte[] udp(boolean v6, int id, byte[] payload, boolean partial) {
        int ipHl = v6 ? 40 : 20;
        byte[] p = new byte[ipHl + 8 + payload.length];
        ByteBuf b = Unpooled.wrappedBuffer(p);
        ipHeader(b, v6, 0, id, 17, p.length);
        b.setShort(ipHl, 40001);
        b.setShort(ipHl + 2, 5201);
        b.setShort(ipHl + 4, 8 + payload.length);
        b.setBytes(ipHl + 8, payload);
        long pseudo = 17 + (8 + payload.length) + (v6 ? sum16(p, 8, 40, 0) : sum16(p, 12, 20, 0));
        if (partial) {
            b.setShort(ipHl + 6, sum16(p, 0, 0, pseudo));
        } else {
            int c = ~sum16(p, ipHl, p.length, pseudo) & 0xffff;
            b.setShort(ipHl + 6, c == 0 ? 0xffff : c);
        }
        return p;
    }

    /** {@code packet} behind a virtio_net_hdr in a pooled direct buffer. */
    ByteBuf withVnet(byte[] packet, int flags, int gsoType, int hdrLen, int gsoSize, int csumStart, int csumOffset) {
        ByteBuf b = alloc.directBuffer(VnetHdr.SIZE + packet.length);
        toRelease.add(b);
        b.writerIndex(VnetHdr.SIZE);
        VnetHdr.write(b, 0, flags, gsoType, hdrLen, gsoSize, csumStart, csumOffset);
        b.writeBytes(packet);
        return b;
    }

    /** A received packet as the L2TP path hands it over: some consumed header octets before it. */
    ByteBuf received(byte[] packet, int headroom) {
        ByteBuf b = alloc.directBuffer(headroom + packet.length);
        toRelease.add(b);
        b.writerIndex(headroom).readerIndex(headroom);
        b.writeBytes(packet);
        return b;
    }

    List<byte[]> split(ByteBuf in) {
        List<byte[]> out = new ArrayList<>();
        int n = Gso.split(in, HEADROOM, alloc, p -> {
            assertEquals(HEADROOM, p.readerIndex());
            out.add(bytes(p));
            p.release();
        });
        assertEquals(n, out.size());
        return out;
    }

    static byte[] random(Random r, int n) {
        byte[] a = new byte[n];
        r.nextBytes(a);
        return a;
    }

    // ---- Gso ----

    @Test
    void theChecksumOverNativeMemoryMatchesTheReferenceAtEveryOffsetAndLength() {
        java.util.Random r = new java.util.Random(1071);
        byte[] data = new byte[2100];
        r.nextBytes(data);
        ByteBuf direct = PooledByteBufAllocator.DEFAULT.directBuffer(data.length);
        toRelease.add(direct);
        direct.writeBytes(data);
        ByteBuf heap = Unpooled.wrappedBuffer(data);
        for (int n = 0; n < 3000; n++) {
            int from = r.nextInt(64);
            int len = n < 100 ? n : r.nextInt(data.length - from + 1);
            long acc = r.nextInt(1 << 20);
            int want = sum16(data, from, from + len, acc);
            assertEquals(want, Checksum.fold(Checksum.add(direct, from, len, acc)), "direct, from " + from + " len " + len);
            assertEquals(want, Checksum.fold(Checksum.add(heap, from, len, acc)), "heap, from " + from + " len " + len);
        }
        // All ones: the sum wraps many times (the folded result of a non-zero sum is never 0).
        ByteBuf ones = PooledByteBufAllocator.DEFAULT.directBuffer(1500);
        toRelease.add(ones);
        byte[] ff = new byte[1500];
        Arrays.fill(ff, (byte) 0xff);
        ones.writeBytes(ff);
        assertEquals(0xffff, Checksum.fold(Checksum.add(ones, 0, 1500, 0)));
        assertThrows(IndexOutOfBoundsException.class, () -> Checksum.add(direct, 2000, 101, 0));
    }

    @Test
    void aSuperPacketIsCutIntoSegmentsWithTheirOwnLengthsSequenceAndChecksums() {
        for (boolean v6 : new boolean[] {false, true}) {
            Random r = new Random(7);
            byte[] payload = random(r, 10_000);
            byte[] options = {1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2}; // NOP NOP timestamps
            int flags = 0x10 | 0x08 | 0x01 | 0x80; // ACK PSH FIN CWR
            byte[] sup = tcp(v6, 1_000_000, 77, flags, payload, options, true);
            int ipHl = v6 ? 40 : 20;
            List<byte[]> segs = split(withVnet(sup, VnetHdr.F_NEEDS_CSUM, v6 ? VnetHdr.GSO_TCPV6 : VnetHdr.GSO_TCPV4,
                    ipHl + 32, 1400, ipHl, 16));
            assertEquals(8, segs.size()); // 7 × 1400 + 200
            byte[] joined = new byte[0];
            for (int i = 0; i < segs.size(); i++) {
                byte[] s = segs.get(i);
                ByteBuf b = Unpooled.wrappedBuffer(s);
                int plen = i < 7 ? 1400 : 200;
                assertEquals(ipHl + 32 + plen, s.length);
                if (v6) {
                    assertEquals(32 + plen, b.getUnsignedShort(4));
                } else {
                    assertEquals(s.length, b.getUnsignedShort(2));
                    assertEquals(77 + i, b.getUnsignedShort(4));
                    assertTrue(ipv4HeaderValid(s), "IPv4 header checksum of segment " + i);
                }
                assertTrue(transportValid(s, 6), "TCP checksum of segment " + i);
                assertEquals(1_000_000L + 1400L * i, b.getUnsignedInt(ipHl + 4));
                int f = b.getUnsignedByte(ipHl + 13);
                assertEquals(0x10 | (i == 0 ? 0x80 : 0) | (i == 7 ? 0x09 : 0), f, "flags of segment " + i);
                assertArrayEquals(options, Arrays.copyOfRange(s, ipHl + 20, ipHl + 32));
                byte[] p = Arrays.copyOfRange(s, ipHl + 32, s.length);
                byte[] j = Arrays.copyOf(joined, joined.length + p.length);
                System.arraycopy(p, 0, j, joined.length, p.length);
                joined = j;
            }
            assertArrayEquals(payload, joined);
        }
    }

    @Test
    void aPartialChecksumIsCompletedOnAPlainPacket() {
        Random r = new Random(3);
        // UDP over IPv4 with the pseudo-header sum in its checksum field (CHECKSUM_PARTIAL)
        byte[] data = random(r, 1001);
        byte[] p = new byte[28 + data.length];
        ByteBuf b = Unpooled.wrappedBuffer(p);
        b.setByte(0, 0x45);
        b.setShort(2, p.length);
        b.setByte(8, 64);
        b.setByte(9, 17);
        b.setBytes(12, new byte[] {(byte) 198, 51, 100, 1, (byte) 198, 51, 100, 2});
        b.setShort(10, ~sum16(p, 0, 20, 0) & 0xffff);
        b.setShort(20, 1234);
        b.setShort(22, 5678);
        b.setShort(24, 8 + data.length);
        b.setBytes(28, data);
        b.setShort(26, sum16(p, 12, 20, 17 + 8 + data.length));
        List<byte[]> out = split(withVnet(p, VnetHdr.F_NEEDS_CSUM, VnetHdr.GSO_NONE, 0, 0, 20, 6));
        assertEquals(1, out.size());
        assertTrue(transportValid(out.get(0), 17));
        // and a plain packet passes unchanged
        byte[] plain = tcp(false, 5, 6, 0x18, random(r, 100), new byte[0], false);
        assertArrayEquals(plain, split(withVnet(plain, 0, VnetHdr.GSO_NONE, 0, 0, 0, 0)).get(0));
    }

    @Test
    void aPlainPacketIsUnwrappedWhereItWasReadAndASuperPacketIsLeftForSplit() {
        Random r = new Random(4);
        byte[] partial = tcp(false, 9, 9, 0x18, random(r, 333), new byte[0], true);
        ByteBuf in = withVnet(partial, VnetHdr.F_NEEDS_CSUM, VnetHdr.GSO_NONE, 0, 0, 20, 16);
        assertEquals(1, Gso.unwrap(in));
        assertEquals(VnetHdr.SIZE, in.readerIndex());
        assertTrue(transportValid(bytes(in), 6));
        ByteBuf sup = withVnet(tcp(false, 1, 1, 0x10, random(r, 3000), new byte[0], true), VnetHdr.F_NEEDS_CSUM,
                VnetHdr.GSO_TCPV4, 40, 1400, 20, 16);
        assertEquals(0, Gso.unwrap(sup));
        assertEquals(0, sup.readerIndex());
        assertEquals(-1, Gso.unwrap(withVnet(partial, VnetHdr.F_NEEDS_CSUM, VnetHdr.GSO_NONE, 0, 0, 20, 400)));
    }

    @Test
    void malformedOrUnofferedOffloadsAreRefusedWithoutOutput() {
        byte[] ok = tcp(false, 1, 1, 0x10, new byte[3000], new byte[0], true);
        List<ByteBuf> got = new ArrayList<>();
        Gso.Sink sink = got::add;
        assertEquals(-1, Gso.split(withVnet(ok, 1, VnetHdr.GSO_TCPV4, 40, 0, 20, 16), HEADROOM, alloc, sink)); // mss 0
        assertEquals(-1, Gso.split(withVnet(ok, 1, 3 /* UDP UFO */, 28, 1400, 20, 6), HEADROOM, alloc, sink));
        assertEquals(-1, Gso.split(withVnet(ok, 1, VnetHdr.GSO_TCPV6, 60, 1400, 40, 16), HEADROOM, alloc, sink));
        assertEquals(-1, Gso.split(withVnet(Arrays.copyOf(ok, 2000), 1, VnetHdr.GSO_TCPV4, 40, 1400, 20, 16),
                HEADROOM, alloc, sink)); // IPv4 length ≠ read length
        assertEquals(-1, Gso.split(withVnet(ok, 1, VnetHdr.GSO_NONE, 0, 0, 3030, 16), HEADROOM, alloc, sink)); // field past the end
        assertEquals(-1, Gso.split(withVnet(new byte[12], 0, VnetHdr.GSO_NONE, 0, 0, 0, 0), HEADROOM, alloc, sink));
        assertTrue(got.isEmpty());
    }

    // ---- Gro ----

    record Written(int flags, int gsoType, int hdrLen, int gsoSize, int csumStart, int csumOffset, byte[] packet) {
    }

    List<Written> sink = new ArrayList<>();
    Gro.Out out = b -> {
        int h = b.readerIndex();
        sink.add(new Written(b.getUnsignedByte(h), b.getUnsignedByte(h + 1), VnetHdr.u16(b, h + 2),
                VnetHdr.u16(b, h + 4), VnetHdr.u16(b, h + 6), VnetHdr.u16(b, h + 8),
                Arrays.copyOfRange(bytes(b), VnetHdr.SIZE, b.readableBytes())));
    };

    /** What the kernel makes of the writes: each super-packet cut again (by Gso, which does what tcp_gso_segment does). */
    List<byte[]> asKernelSeesIt() {
        List<byte[]> packets = new ArrayList<>();
        for (Written w : sink) {
            if (w.gsoType() == VnetHdr.GSO_NONE) {
                assertEquals(0, w.flags());
                packets.add(w.packet());
            } else {
                packets.addAll(split(withVnet(w.packet(), w.flags(), w.gsoType(), w.hdrLen(), w.gsoSize(),
                        w.csumStart(), w.csumOffset())));
            }
        }
        return packets;
    }

    @Test
    void consecutiveSegmentsOfOneFlowBecomeOneWriteAndCutBackToTheSameSegments() throws Exception {
        for (boolean v6 : new boolean[] {false, true}) {
            sink.clear();
            Random r = new Random(11);
            List<byte[]> segs = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                segs.add(tcp(v6, 5000 + i * 1400, 300 + i, 0x10 | (i == 9 ? 0x08 : 0), random(r, 1400),
                        new byte[] {1, 1, 8, 10, 0, 0, 0, 9, 0, 0, 0, 8}, false));
            }
            try (Gro gro = new Gro(alloc)) {
                for (byte[] s : segs) {
                    gro.write(received(s, 12), out);
                }
                gro.flush(out);
                assertEquals(10, gro.merged());
            }
            assertEquals(1, sink.size());
            Written w = sink.get(0);
            int ipHl = v6 ? 40 : 20;
            assertEquals(VnetHdr.F_NEEDS_CSUM, w.flags());
            assertEquals(v6 ? VnetHdr.GSO_TCPV6 : VnetHdr.GSO_TCPV4, w.gsoType());
            assertEquals(1400, w.gsoSize());
            assertEquals(ipHl + 32, w.hdrLen());
            assertEquals(ipHl, w.csumStart());
            assertEquals(16, w.csumOffset());
            assertEquals(ipHl + 32 + 14_000, w.packet().length);
            List<byte[]> back = asKernelSeesIt();
            assertEquals(segs.size(), back.size());
            for (int i = 0; i < segs.size(); i++) {
                assertArrayEquals(segs.get(i), back.get(i), "segment " + i + (v6 ? " (IPv6)" : ""));
            }
        }
    }

    @Test
    void whatMustNotMergeIsWrittenAloneInOrder() throws Exception {
        Random r = new Random(5);
        byte[] a = tcp(false, 100, 1, 0x10, random(r, 1000), new byte[0], false);
        byte[] gap = tcp(false, 100 + 1000 + 1, 2, 0x10, random(r, 1000), new byte[0], false); // a hole before it
        byte[] syn = tcp(false, 7, 3, 0x02, new byte[0], new byte[0], false);
        byte[] bad = tcp(false, 2101, 4, 0x10, random(r, 1000), new byte[0], false);
        bad[bad.length - 1] ^= 1;                                                                // corrupted
        byte[] udp = Arrays.copyOf(syn, syn.length);
        udp[9] = 17;
        byte[] c = tcp(false, 9000, 5, 0x10, random(r, 500), new byte[0], false);
        byte[] d = tcp(false, 9500, 6, 0x10, random(r, 500), new byte[0], false);            // after a short one
        List<byte[]> in = List.of(a, gap, syn, bad, udp, c, d);
        try (Gro gro = new Gro(alloc)) {
            for (byte[] p : in) {
                gro.write(received(p, 4), out); // too little room in front: copied
            }
            gro.flush(out);
            assertEquals(2, gro.merged()); // only c + d
        }
        List<byte[]> back = asKernelSeesIt();
        assertEquals(in.size(), back.size());
        for (int i = 0; i < in.size(); i++) {
            assertArrayEquals(in.get(i), back.get(i), "packet " + i);
        }
        assertEquals(6, sink.size());
    }

    @Test
    void seededRandomMixesComeBackAsTheyWentIn() throws Exception {
        alloc = new io.netty.buffer.UnpooledByteBufAllocator(true, true); // the paranoid detector costs seconds here
        for (int seed = 0; seed < 200; seed++) {
            sink.clear();
            Random r = new Random(seed);
            int[] seq = {r.nextInt(), r.nextInt()};
            int[] id = {r.nextInt(0xffff), r.nextInt(0xffff), r.nextInt(0xffff)};
            List<byte[]> in = new ArrayList<>();
            int n = 1 + r.nextInt(60);
            for (int i = 0; i < n; i++) {
                int flow = r.nextInt(8) == 0 ? 1 : r.nextInt(5) == 0 ? 2 : 0;
                boolean v6 = flow == 1;
                if (flow == 2) { // a UDP flow, sometimes with a gap in the identifications
                    byte[] d = udp(false, id[2], random(r, r.nextInt(3) == 0 ? 1 + r.nextInt(1400) : 1400), false);
                    id[2] = (id[2] + (r.nextInt(20) == 0 ? 2 : 1)) & 0xffff;
                    in.add(d);
                    continue;
                }
                int len = r.nextInt(4) == 0 ? 1 + r.nextInt(1400) : 1400;
                int flags = 0x10 | (r.nextInt(10) == 0 ? 0x08 : 0);
                byte[] p = tcp(v6, seq[flow], id[flow], flags, random(r, len), new byte[0], false);
                if (r.nextInt(30) == 0) {
                    p[p.length - 1] ^= 0x40; // corrupted: must pass alone and unchanged
                }
                seq[flow] += len;
                id[flow] = (id[flow] + 1) & 0xffff;
                in.add(p);
            }
            try (Gro gro = new Gro(alloc, true)) {
                for (byte[] p : in) {
                    gro.write(received(p, r.nextBoolean() ? 12 : 2), out);
                    if (r.nextInt(16) == 0) {
                        gro.flush(out);
                    }
                }
                gro.flush(out);
            }
            List<byte[]> back = asKernelSeesIt();
            assertEquals(in.size(), back.size(), "seed " + seed);
            for (int i = 0; i < in.size(); i++) {
                assertArrayEquals(in.get(i), back.get(i), "seed " + seed + ", packet " + i);
            }
        }
    }

    @Test
    void udpDatagramsOfOneFlowBecomeOneUsoWriteWhereTheTunTookUso() throws Exception {
        for (boolean v6 : new boolean[] {false, true}) {
            sink.clear();
            Random r = new Random(21);
            List<byte[]> in = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                in.add(udp(v6, 100 + i, random(r, i < 6 ? 1400 : 333), false));
            }
            try (Gro gro = new Gro(alloc, true)) {
                for (byte[] p : in) {
                    gro.write(received(p, 12), out);
                }
                gro.flush(out);
                assertEquals(7, gro.merged());
            }
            assertEquals(1, sink.size());
            Written w = sink.get(0);
            assertEquals(VnetHdr.GSO_UDP_L4, w.gsoType());
            assertEquals(1400, w.gsoSize());
            assertEquals(6, w.csumOffset());
            List<byte[]> back = asKernelSeesIt();
            assertEquals(in.size(), back.size());
            for (int i = 0; i < in.size(); i++) {
                assertArrayEquals(in.get(i), back.get(i), "datagram " + i + (v6 ? " (IPv6)" : ""));
                assertTrue(transportValid(back.get(i), 17));
            }
        }
        // without USO, UDP passes one by one
        sink.clear();
        try (Gro gro = new Gro(alloc, false)) {
            gro.write(received(udp(false, 1, new byte[100], false), 12), out);
            gro.write(received(udp(false, 2, new byte[100], false), 12), out);
            gro.flush(out);
            assertEquals(0, gro.merged());
        }
        assertEquals(2, sink.size());
    }

    @Test
    void aUdpSuperPacketFromTheKernelIsCutIntoDatagrams() {
        for (boolean v6 : new boolean[] {false, true}) {
            Random r = new Random(8);
            byte[] payload = random(r, 5000);
            byte[] sup = udp(v6, 500, payload, true);
            int ipHl = v6 ? 40 : 20;
            List<byte[]> out = split(withVnet(sup, VnetHdr.F_NEEDS_CSUM, VnetHdr.GSO_UDP_L4, ipHl + 8, 1200, ipHl, 6));
            assertEquals(5, out.size());
            for (int i = 0; i < out.size(); i++) {
                byte[] d = out.get(i);
                int plen = i < 4 ? 1200 : 200;
                assertEquals(ipHl + 8 + plen, d.length);
                assertEquals(8 + plen, Unpooled.wrappedBuffer(d).getUnsignedShort(ipHl + 4));
                assertTrue(transportValid(d, 17), "UDP checksum of datagram " + i);
                if (!v6) {
                    assertTrue(ipv4HeaderValid(d));
                    assertEquals(500 + i, Unpooled.wrappedBuffer(d).getUnsignedShort(4));
                }
                assertArrayEquals(Arrays.copyOfRange(payload, i * 1200, i * 1200 + plen), Arrays.copyOfRange(d, ipHl + 8, d.length));
            }
        }
    }

    @Test
    void aSuperPacketStopsAtSixtyFourKibibytes() throws Exception {
        Random r = new Random(9);
        try (Gro gro = new Gro(alloc)) {
            for (int i = 0; i < 60; i++) {
                gro.write(received(tcp(false, i * 1400, i, 0x10, random(r, 1400), new byte[0], false), 12), out);
            }
            gro.flush(out);
        }
        assertEquals(2, sink.size());
        assertTrue(sink.get(0).packet().length <= 65535);
        assertEquals(60, asKernelSeesIt().size());
    }
}
