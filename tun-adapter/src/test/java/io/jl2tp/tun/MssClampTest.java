package io.jl2tp.tun;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MSS clamping on hand-built IPv4/IPv6 TCP segments; every checksum after a change is checked
 * by recomputing it from scratch (pseudo-header included), not by the incremental formula.
 */
class MssClampTest {

    private static final byte[] SRC4 = {(byte) 198, 51, 100, 1};
    private static final byte[] DST4 = {(byte) 203, 0, 113, 7};
    private static final byte[] SRC6 = ip6(0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1);
    private static final byte[] DST6 = ip6(0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2);
    private static final int SYN = 0x02;
    private static final int ACK = 0x10;

    private static byte[] ip6(int... b) {
        byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = (byte) b[i];
        }
        return out;
    }

    /** MSS option (kind 2, length 4). */
    private static byte[] mss(int v) {
        return new byte[] {2, 4, (byte) (v >> 8), (byte) v};
    }

    private static byte[] cat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            o.writeBytes(p);
        }
        return o.toByteArray();
    }

    /** A TCP header with the given flags and options (padded with EOL to a multiple of 4) and a payload. */
    private static byte[] tcp(int flags, byte[] options, int payload) {
        int optLen = (options.length + 3) & ~3;
        byte[] t = new byte[20 + optLen + payload];
        t[0] = (byte) 0xc3; // source port 50000
        t[1] = 0x50;
        t[2] = 0x01; // destination port 443
        t[3] = (byte) 0xbb;
        t[4] = 0x12;
        t[7] = 0x34;
        t[12] = (byte) (((20 + optLen) / 4) << 4);
        t[13] = (byte) flags;
        t[14] = (byte) 0xfa;
        System.arraycopy(options, 0, t, 20, options.length);
        for (int i = 0; i < payload; i++) {
            t[20 + optLen + i] = (byte) (i * 7 + 3);
        }
        return t;
    }

    /** An IPv4 packet around {@code segment}, TCP checksum set. */
    private static byte[] ipv4(byte[] segment) {
        byte[] p = new byte[20 + segment.length];
        p[0] = 0x45;
        p[2] = (byte) (p.length >> 8);
        p[3] = (byte) p.length;
        p[6] = 0x40; // DF
        p[8] = 64;
        p[9] = 6;
        System.arraycopy(SRC4, 0, p, 12, 4);
        System.arraycopy(DST4, 0, p, 16, 4);
        System.arraycopy(segment, 0, p, 20, segment.length);
        int sum = tcpChecksum4(p, 20);
        p[20 + 16] = (byte) (sum >> 8);
        p[20 + 17] = (byte) sum;
        return p;
    }

    /** An IPv6 packet: extension headers {@code ext} (first next-header {@code firstNext}) then TCP. */
    private static byte[] ipv6(int firstNext, byte[] ext, byte[] segment) {
        byte[] p = new byte[40 + ext.length + segment.length];
        p[0] = 0x60;
        int payload = ext.length + segment.length;
        p[4] = (byte) (payload >> 8);
        p[5] = (byte) payload;
        p[6] = (byte) firstNext;
        p[7] = 64;
        System.arraycopy(SRC6, 0, p, 8, 16);
        System.arraycopy(DST6, 0, p, 24, 16);
        System.arraycopy(ext, 0, p, 40, ext.length);
        int tcp = 40 + ext.length;
        System.arraycopy(segment, 0, p, tcp, segment.length);
        int sum = tcpChecksum6(p, tcp);
        p[tcp + 16] = (byte) (sum >> 8);
        p[tcp + 17] = (byte) sum;
        return p;
    }

    private static long add(long sum, byte[] b, int from, int to) {
        for (int i = from; i < to; i += 2) {
            sum += ((b[i] & 0xff) << 8) | (i + 1 < to ? b[i + 1] & 0xff : 0);
        }
        return sum;
    }

    private static int fold(long sum) {
        while ((sum >> 16) != 0) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        return (int) (~sum & 0xffff);
    }

    /** The TCP checksum from scratch with the checksum field taken as 0 (RFC 9293 §3.1). */
    private static int tcpChecksum4(byte[] p, int tcp) {
        byte[] c = p.clone();
        c[tcp + 16] = 0;
        c[tcp + 17] = 0;
        int len = c.length - tcp;
        long sum = add(0, c, 12, 20) + 6 + len;
        return fold(add(sum, c, tcp, c.length));
    }

    /** The same over the IPv6 pseudo-header (RFC 8200 §8.1). */
    private static int tcpChecksum6(byte[] p, int tcp) {
        byte[] c = p.clone();
        c[tcp + 16] = 0;
        c[tcp + 17] = 0;
        int len = c.length - tcp;
        long sum = add(0, c, 8, 40) + 6 + len;
        return fold(add(sum, c, tcp, c.length));
    }

    private static int field(byte[] p, int at) {
        return ((p[at] & 0xff) << 8) | (p[at + 1] & 0xff);
    }

    /** Clamps a copy of {@code p} placed at an offset inside a larger buffer; returns the result. */
    private static byte[] clamp(byte[] p, int mtu, boolean expectChange) {
        ByteBuf buf = Unpooled.buffer(p.length + 48);
        buf.writerIndex(16).readerIndex(16);
        buf.writeBytes(p);
        buf.writeZero(32);
        assertEquals(expectChange, MssClamp.clamp(buf, 16, p.length, mtu));
        assertEquals(16, buf.readerIndex(), "indices untouched");
        byte[] out = new byte[p.length];
        buf.getBytes(16, out);
        return out;
    }

    @Test
    void ipv4SynWithMss1460IsClampedToMtuMinus40AndStaysValid() {
        byte[] p = ipv4(tcp(SYN, cat(mss(1460), new byte[] {1, 1, 4, 2}), 0));
        byte[] out = clamp(p, 1456, true);
        assertEquals(1416, field(out, 20 + 22));
        assertEquals(tcpChecksum4(out, 20), field(out, 20 + 16), "checksum valid after the change");
    }

    @Test
    void synAckIsClampedToo() {
        byte[] out = clamp(ipv4(tcp(SYN | ACK, mss(1460), 0)), 1400, true);
        assertEquals(1360, field(out, 42));
        assertEquals(tcpChecksum4(out, 20), field(out, 36));
    }

    @Test
    void anMssAlreadySmallIsLeftAlone() {
        byte[] p = ipv4(tcp(SYN, mss(1200), 0));
        assertArrayEquals(p, clamp(p, 1456, false));
        byte[] exact = ipv4(tcp(SYN, mss(1416), 0));
        assertArrayEquals(exact, clamp(exact, 1456, false));
    }

    @Test
    void aSynWithoutMssOptionIsLeftAlone() {
        byte[] p = ipv4(tcp(SYN, new byte[] {1, 1, 4, 2, 3, 3, 7}, 0)); // NOP NOP SACK-perm, wscale 7
        assertArrayEquals(p, clamp(p, 1300, false));
        byte[] none = ipv4(tcp(SYN, new byte[0], 0));
        assertArrayEquals(none, clamp(none, 1300, false));
    }

    @Test
    void nonSynSegmentsAreUntouchedEvenWithAnMssOption() {
        byte[] p = ipv4(tcp(ACK, mss(1460), 100));
        assertArrayEquals(p, clamp(p, 1300, false));
    }

    @Test
    void mssAtAnOddOffsetKeepsTheChecksumRight() {
        for (int nops = 0; nops < 4; nops++) {
            for (int mssValue : new int[] {1460, 0xffff, 0x05ff, 0xff05}) {
                byte[] opts = new byte[nops + 3 + 4];
                java.util.Arrays.fill(opts, 0, nops, (byte) 1);
                opts[nops] = 3; // window scale first: shifts MSS by three octets
                opts[nops + 1] = 3;
                opts[nops + 2] = 8;
                System.arraycopy(mss(mssValue), 0, opts, nops + 3, 4);
                byte[] out = clamp(ipv4(tcp(SYN, opts, 13)), 1337, true);
                int at = 20 + 20 + nops + 3 + 2;
                assertEquals(1297, field(out, at), "nops=" + nops);
                assertEquals(tcpChecksum4(out, 20), field(out, 36), "nops=" + nops + " mss=" + mssValue);
            }
        }
    }

    @Test
    void malformedOptionListsAreLeftAlone() {
        byte[][] bad = {
            {5, 0, 2, 4, 5, (byte) 0xb4},        // length 0 before the MSS
            {5, 1, 2, 4, 5, (byte) 0xb4},        // length 1
            {4, 2, 8, 40, 2, 4, 5, (byte) 0xb4}, // a length running past the header
            {2, 3, 5, (byte) 0xb4},              // MSS with length 3
            {2, 6, 5, (byte) 0xb4, 0, 0},        // MSS with length 6
            {0, 0, 0, 0, 2, 4, 5, (byte) 0xb4},  // after End of Option List
            {1, 1, 1, 2},                        // a kind without its length octet at the end
        };
        for (byte[] opts : bad) {
            byte[] p = ipv4(tcp(SYN, opts, 0));
            assertArrayEquals(p, clamp(p, 1300, false), java.util.Arrays.toString(opts));
        }
    }

    @Test
    void truncatedAndOddPacketsNeverThrow() {
        byte[] p = ipv4(tcp(SYN, mss(1460), 0));
        for (int len = 0; len < p.length; len++) {
            ByteBuf buf = Unpooled.wrappedBuffer(p.clone(), 0, len);
            assertFalse(MssClamp.clamp(buf, 0, len, 1300), "length " + len);
        }
        byte[] badDataOffset = p.clone();
        badDataOffset[32] = (byte) 0xf0; // 60-octet header in a 24-octet segment
        assertArrayEquals(badDataOffset, clamp(badDataOffset, 1300, false));
        byte[] udp = p.clone();
        udp[9] = 17;
        assertArrayEquals(udp, clamp(udp, 1300, false));
        Random rnd = new Random(1624);
        for (int n = 0; n < 20000; n++) {
            byte[] junk = new byte[rnd.nextInt(90)];
            rnd.nextBytes(junk);
            if (junk.length > 0) {
                junk[0] = (byte) ((rnd.nextBoolean() ? 0x40 : 0x60) | (junk[0] & 0x0f));
            }
            MssClamp.clamp(Unpooled.wrappedBuffer(junk), 0, junk.length, rnd.nextInt(2000)); // must not throw
        }
    }

    @Test
    void laterIpv4FragmentsAreLeftAlone() {
        byte[] p = ipv4(tcp(SYN, mss(1460), 0));
        p[6] = 0x00;
        p[7] = 0x10; // fragment offset 16 × 8
        assertArrayEquals(p, clamp(p, 1300, false));
    }

    @Test
    void ipv6SynIsClampedToMtuMinus60() {
        byte[] p = ipv6(6, new byte[0], tcp(SYN, cat(mss(1440), new byte[] {1, 3, 3, 7}), 0));
        byte[] out = clamp(p, 1456, true);
        assertEquals(1396, field(out, 40 + 22));
        assertEquals(tcpChecksum6(out, 40), field(out, 40 + 16));
    }

    @Test
    void ipv6ExtensionHeadersAreWalked() {
        // Hop-by-Hop (8 octets of PadN) → Destination Options (16 octets) → Fragment (offset 0) → TCP
        byte[] hbh = {60, 0, 1, 4, 0, 0, 0, 0};
        byte[] dst = {44, 1, 1, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        byte[] frag = {6, 0, 0, 1, 0, 0, 0x12, 0x34};
        byte[] p = ipv6(0, cat(hbh, dst, frag), tcp(SYN, cat(new byte[] {1}, mss(1440)), 0));
        int tcpAt = 40 + 32;
        byte[] out = clamp(p, 1280, true);
        assertEquals(1220, field(out, tcpAt + 21 + 2));
        assertEquals(tcpChecksum6(out, tcpAt), field(out, tcpAt + 16));
    }

    @Test
    void ipv6EspLaterFragmentsAndJumbogramsAreLeftAlone() {
        byte[] esp = ipv6(50, new byte[] {0, 0, 1, 0, 0, 0, 0, 1}, tcp(SYN, mss(1440), 0));
        assertArrayEquals(esp, clamp(esp, 1280, false));
        byte[] frag = ipv6(44, new byte[] {6, 0, 0, 0x09, 0, 0, 0x12, 0x34}, tcp(SYN, mss(1440), 0)); // offset 1
        assertArrayEquals(frag, clamp(frag, 1280, false));
        byte[] jumbo = ipv6(6, new byte[0], tcp(SYN, mss(1440), 0));
        jumbo[4] = 0;
        jumbo[5] = 0;
        assertArrayEquals(jumbo, clamp(jumbo, 1280, false));
    }

    @Test
    void randomOptionLayoutsAlwaysEndWithAValidChecksum() {
        Random rnd = new Random(2385);
        for (int n = 0; n < 2000; n++) {
            ByteArrayOutputStream o = new ByteArrayOutputStream();
            int before = rnd.nextInt(4);
            for (int i = 0; i < before; i++) {
                if (rnd.nextBoolean()) {
                    o.write(1);
                } else {
                    o.writeBytes(new byte[] {8, 10, 1, 2, 3, 4, 5, 6, 7, 8}); // timestamps
                }
            }
            int value = 536 + rnd.nextInt(65536 - 536);
            o.writeBytes(mss(value));
            boolean v6 = rnd.nextBoolean();
            int mtu = 1280 + rnd.nextInt(300);
            byte[] seg = tcp(SYN | (rnd.nextBoolean() ? ACK : 0), o.toByteArray(), rnd.nextInt(5));
            byte[] p = v6 ? ipv6(6, new byte[0], seg) : ipv4(seg);
            int limit = mtu - (v6 ? 60 : 40);
            byte[] out = clamp(p, mtu, value > limit);
            int tcpAt = v6 ? 40 : 20;
            assertEquals(v6 ? tcpChecksum6(out, tcpAt) : tcpChecksum4(out, tcpAt), field(out, tcpAt + 16), "layout " + n);
        }
    }

    @Test
    void rfc1624Example() {
        // RFC 1624 §4: HC = 0xDD2F, m = 0x5555 → m' = 0x3285 gives HC' = 0x0000.
        assertEquals(0x0000, MssClamp.updateChecksum(0xDD2F, 0x5555, 0x3285));
    }
}
