package io.jl2tp.tun.offload;

import io.netty.buffer.ByteBuf;

/**
 * The Internet checksum (RFC 1071): the 16-bit one's complement of the one's complement sum of
 * the data taken as 16-bit big-endian words. Sums are carried in a {@code long} and folded at
 * the end (RFC 1071 §2(B): the sum may be accumulated in wider words), four octets at a time.
 * Absolute indices; no allocation; stateless.
 */
public final class Checksum {

    private Checksum() {
    }

    /** Adds {@code buf[from, from + len)} to {@code acc} (an odd tail is padded with a zero octet). */
    public static long add(ByteBuf buf, int from, int len, long acc) {
        int i = from;
        int end = from + len;
        // Eight octets a load, as two 32-bit words: at most 2^32 − 1 per add, so a long holds
        // the sum of any packet (< 2^17 words) without overflow.
        for (; i + 8 <= end; i += 8) {
            long x = buf.getLong(i);
            acc += (x >>> 32) + (x & 0xffffffffL);
        }
        if (i + 4 <= end) {
            acc += buf.getUnsignedInt(i);
            i += 4;
        }
        if (i + 2 <= end) {
            acc += buf.getUnsignedShort(i);
            i += 2;
        }
        if (i < end) {
            acc += (buf.getUnsignedByte(i) << 8);
        }
        return acc;
    }

    /** Folds a wide sum to 16 bits with end-around carry (not complemented). */
    public static int fold(long acc) {
        while ((acc >>> 16) != 0) {
            acc = (acc & 0xffff) + (acc >>> 16);
        }
        return (int) acc;
    }

    /** The checksum field value for a sum: its complement, folded. */
    public static int finish(long acc) {
        return ~fold(acc) & 0xffff;
    }

    /**
     * The pseudo-header sum of TCP/UDP over IPv4 (RFC 793 §3.1, RFC 768): source and destination
     * address of the IPv4 header at {@code ip}, the protocol and the upper-layer length.
     */
    public static long pseudoIpv4(ByteBuf buf, int ip, int protocol, int length) {
        return buf.getUnsignedInt(ip + 12) + buf.getUnsignedInt(ip + 16) + protocol + length;
    }

    /**
     * The pseudo-header sum over IPv6 (RFC 8200 §8.1): source and destination address of the IPv6
     * header at {@code ip}, the upper-layer length and the next-header value.
     */
    public static long pseudoIpv6(ByteBuf buf, int ip, int protocol, int length) {
        return add(buf, ip + 8, 32, 0) + protocol + length;
    }
}
