package io.jl2tp.app.harness.session;

import io.jl2tp.tun.testing.Packets;
import io.netty.buffer.ByteBuf;

/**
 * The packets of a harness traffic stream: IPv4 (RFC 791) + UDP (RFC 768) to and from port
 * {@link #PORT}, whose payload starts with a 24-octet header — magic "JL2S", flow id (the
 * sender's session id, top bit set for LNS→LAC), a 64-bit sequence number counting from 0,
 * and the send time in microseconds of {@link StreamClock} — followed by filler octets.
 * Built in a caller-owned scratch array (no allocation per packet), checksums computed with
 * {@link Packets#checksum} (RFC 1071). Stateless; any thread.
 */
public final class StreamPacket {

    /** UDP port of stream traffic at both ends (as BNG Blaster's session traffic). */
    public static final int PORT = 65056;
    /** "JL2S". */
    public static final int MAGIC = 0x4a4c3253;
    /** Octets of the stream header at the start of the UDP payload. */
    public static final int HEADER = 24;
    /** IPv4 + UDP headers in front of the payload. */
    public static final int OVERHEAD = 28;
    /** Largest payload: a 1500-octet IPv4 packet (the PPP default MRU, RFC 1661 §6.1). */
    public static final int MAX_PAYLOAD = 1500 - OVERHEAD;
    /** Flow-id bit of LNS→LAC (downstream) streams. */
    public static final int DOWNSTREAM = 0x8000_0000;

    private StreamPacket() {
    }

    /**
     * Writes the IPv4+UDP packet with a {@code payload}-octet UDP payload ({@link #HEADER} to
     * {@link #MAX_PAYLOAD}) into {@code p[0, OVERHEAD + payload)} and returns its length. The
     * filler after the header depends only on its position, so a scratch array filled once can
     * be rewritten with {@link #restamp} for every further packet.
     */
    public static int build(byte[] p, byte[] src, byte[] dst, int flow, long seq, long sentMicros, int payload) {
        if (payload < HEADER || payload > MAX_PAYLOAD || p.length < OVERHEAD + payload) {
            throw new IllegalArgumentException("stream payload must be " + HEADER + "-" + MAX_PAYLOAD + ": " + payload);
        }
        int len = OVERHEAD + payload;
        java.util.Arrays.fill(p, 0, OVERHEAD, (byte) 0);
        p[0] = 0x45;
        put16(p, 2, len);
        p[6] = 0x40; // DF
        p[8] = 64;
        p[9] = 17;
        System.arraycopy(src, 0, p, 12, 4);
        System.arraycopy(dst, 0, p, 16, 4);
        put16(p, 20, PORT);
        put16(p, 22, PORT);
        put16(p, 24, 8 + payload);
        put32(p, 28, MAGIC);
        put32(p, 32, flow);
        for (int i = OVERHEAD + HEADER; i < len; i++) {
            p[i] = (byte) i;
        }
        restamp(p, len, seq, sentMicros);
        return len;
    }

    /** Rewrites sequence number, time, IP identification and both checksums of a {@link #build built} packet. */
    public static void restamp(byte[] p, int len, long seq, long sentMicros) {
        put64(p, 36, seq);
        put64(p, 44, sentMicros);
        put16(p, 4, (int) seq);                     // RFC 791 identification: the low 16 bits of seq
        put16(p, 10, 0);
        put16(p, 10, Packets.checksum(p, 0, 20, 0));
        put16(p, 26, 0);
        int c = Packets.checksum(p, 20, len - 20, pseudo(p, len - 20));
        put16(p, 26, c == 0 ? 0xffff : c);          // RFC 768: a computed zero is sent as all ones
    }

    /** The RFC 768 pseudo-header sum: source, destination, protocol 17, UDP length. */
    private static int pseudo(byte[] p, int udpLength) {
        int s = 0;
        for (int i = 12; i < 20; i += 2) {
            s += ((p[i] & 0xff) << 8) | (p[i + 1] & 0xff);
        }
        return s + 17 + udpLength;
    }

    /**
     * True if {@code ip} (readable bytes: one IPv4 packet) is UDP to port {@link #PORT} with the
     * stream magic — a stream packet, valid or not. Reads without consuming.
     */
    public static boolean isStream(ByteBuf ip) {
        int r = ip.readerIndex();
        if (ip.readableBytes() < OVERHEAD + HEADER || (ip.getByte(r) & 0xf0) != 0x40 || ip.getByte(r + 9) != 17) {
            return false;
        }
        int ihl = (ip.getByte(r) & 0xf) * 4;
        return ihl >= 20 && ip.readableBytes() >= ihl + 8 + HEADER && ip.getUnsignedShort(r + ihl + 2) == PORT
                && ip.getInt(r + ihl + 8) == MAGIC;
    }

    /**
     * Checks a packet that {@link #isStream} accepted, copied into {@code scratch}: the IPv4
     * header checksum and the UDP checksum. Returns the offset of the stream header in
     * {@code scratch} (read it with {@link #flow}, {@link #seq}, {@link #sentMicros}), or -1 if
     * the packet is truncated, a fragment, longer than {@code scratch}, or a checksum is wrong.
     */
    public static int check(ByteBuf ip, byte[] scratch) {
        int n = ip.readableBytes();
        if (n > scratch.length) {
            return -1;
        }
        ip.getBytes(ip.readerIndex(), scratch, 0, n);
        return check(scratch, n);
    }

    /** {@link #check(ByteBuf, byte[])} of {@code p[0, n)}. */
    public static int check(byte[] p, int n) {
        int ihl = (p[0] & 0xf) * 4;
        int total = get16(p, 2);
        if (ihl < 20 || total > n || total < ihl + 8 + HEADER || (get16(p, 6) & 0x3fff) != 0) {
            return -1; // truncated, or a fragment (MF set or offset non-zero, RFC 791)
        }
        if (Packets.checksum(p, 0, ihl, 0) != 0) {
            return -1;
        }
        int udpLength = get16(p, ihl + 4);
        if (udpLength < 8 + HEADER || ihl + udpLength > total) {
            return -1;
        }
        if (get16(p, ihl + 6) != 0) { // zero: no checksum sent (RFC 768)
            int s = 0;
            for (int i = 12; i < 20; i += 2) {
                s += get16(p, i);
            }
            if (Packets.checksum(p, ihl, udpLength, s + 17 + udpLength) != 0) {
                return -1;
            }
        }
        int h = ihl + 8;
        if (get32(p, h) != MAGIC) {
            return -1;
        }
        return h;
    }

    /** The flow id of a checked packet whose stream header is at {@code h}. */
    public static int flow(byte[] p, int h) {
        return get32(p, h + 4);
    }

    /** The sequence number of a checked packet. */
    public static long seq(byte[] p, int h) {
        return get64(p, h + 8);
    }

    /** The send time (µs, {@link StreamClock}) of a checked packet. */
    public static long sentMicros(byte[] p, int h) {
        return get64(p, h + 16);
    }

    private static void put16(byte[] p, int off, int v) {
        p[off] = (byte) (v >> 8);
        p[off + 1] = (byte) v;
    }

    private static void put32(byte[] p, int off, int v) {
        put16(p, off, v >>> 16);
        put16(p, off + 2, v);
    }

    private static void put64(byte[] p, int off, long v) {
        put32(p, off, (int) (v >>> 32));
        put32(p, off + 4, (int) v);
    }

    private static int get16(byte[] p, int off) {
        return ((p[off] & 0xff) << 8) | (p[off + 1] & 0xff);
    }

    private static int get32(byte[] p, int off) {
        return (get16(p, off) << 16) | get16(p, off + 2);
    }

    private static long get64(byte[] p, int off) {
        return ((long) get32(p, off) << 32) | (get32(p, off + 4) & 0xffff_ffffL);
    }
}
