package io.jl2tp.tun;

import io.netty.buffer.ByteBuf;

/**
 * TCP MSS clamping for packets crossing a tunnel interface (what {@code iptables … TCPMSS
 * --clamp-mss-to-pmtu} does on a router): the Maximum Segment Size option of a SYN or SYN-ACK
 * is lowered to what fits the interface's MTU, so hosts behind the router never send segments
 * that must be fragmented or are black-holed by a path that drops ICMP "too big".
 *
 * <p>Works in place on one IPv4 or IPv6 packet in a {@link ByteBuf} (absolute indices, no
 * allocation, no change of indices), and fixes the TCP checksum incrementally (RFC 1624 §3,
 * eqn. 3). Anything it does not fully understand — fragments after the first, truncated or
 * malformed headers and options, IPv6 ESP or unknown extension headers, jumbograms — passes
 * unchanged. Thread-safe (stateless).
 */
public final class MssClamp {

    /** IPv4 (20) + TCP (20) header octets without options: MSS = MTU − 40 (RFC 879, RFC 6691 §2). */
    public static final int IPV4_OVERHEAD = 40;
    /** IPv6 (40) + TCP (20): MSS = MTU − 60 (RFC 8200 §8.3). */
    public static final int IPV6_OVERHEAD = 60;

    private static final int TCP = 6;
    private static final int SYN = 0x02;
    private static final int OPT_EOL = 0;
    private static final int OPT_NOP = 1;
    private static final int OPT_MSS = 2;

    private MssClamp() {
    }

    /**
     * Clamps the MSS option of the TCP SYN in {@code buf[offset, offset + length)} to the MTU.
     *
     * @param mtu the MTU of the interface the packet enters or leaves (≥ 100)
     * @return true if the packet was changed
     */
    public static boolean clamp(ByteBuf buf, int offset, int length, int mtu) {
        if (length < 20 || offset < 0 || offset + length > buf.capacity()) {
            return false;
        }
        int version = (buf.getByte(offset) & 0xf0) >> 4;
        if (version == 4) {
            return clampIpv4(buf, offset, length, mtu - IPV4_OVERHEAD);
        }
        if (version == 6) {
            return clampIpv6(buf, offset, length, mtu - IPV6_OVERHEAD);
        }
        return false;
    }

    private static boolean clampIpv4(ByteBuf buf, int off, int length, int mss) {
        int ihl = (buf.getByte(off) & 0x0f) * 4;
        int total = buf.getUnsignedShort(off + 2);
        if (ihl < 20 || total < ihl || total > length || buf.getUnsignedByte(off + 9) != TCP) {
            return false;
        }
        if ((buf.getUnsignedShort(off + 6) & 0x1fff) != 0) {
            return false; // not the first fragment: no TCP header here (RFC 791 §3.1)
        }
        return clampTcp(buf, off + ihl, off + total, mss);
    }

    private static boolean clampIpv6(ByteBuf buf, int off, int length, int mss) {
        if (length < 40) {
            return false;
        }
        int payload = buf.getUnsignedShort(off + 4);
        int end = off + 40 + payload;
        if (payload == 0 || end > off + length) {
            return false; // a jumbogram (RFC 2675) or truncated
        }
        int next = buf.getUnsignedByte(off + 6);
        int p = off + 40;
        // RFC 8200 §4: walk the extension headers we can skip to reach the upper layer.
        while (next != TCP) {
            if (p + 8 > end) {
                return false;
            }
            switch (next) {
                case 0, 43, 60 -> { // Hop-by-Hop Options, Routing, Destination Options (§4.3-4.6)
                    next = buf.getUnsignedByte(p);
                    p += (buf.getUnsignedByte(p + 1) + 1) * 8;
                }
                case 44 -> { // Fragment (§4.5): only the first fragment holds the TCP header
                    if ((buf.getUnsignedShort(p + 2) & 0xfff8) != 0) {
                        return false;
                    }
                    next = buf.getUnsignedByte(p);
                    p += 8;
                }
                case 51 -> { // Authentication Header (RFC 4302 §2.2): length in 4-octet units minus 2
                    next = buf.getUnsignedByte(p);
                    p += (buf.getUnsignedByte(p + 1) + 2) * 4;
                }
                default -> {
                    return false; // ESP, No Next Header, anything unknown: leave it alone
                }
            }
        }
        return clampTcp(buf, p, end, mss);
    }

    /** The TCP header at {@code tcp}, the segment ending at {@code end}. */
    private static boolean clampTcp(ByteBuf buf, int tcp, int end, int mss) {
        if (tcp + 20 > end || mss <= 0) {
            return false;
        }
        if ((buf.getUnsignedByte(tcp + 13) & SYN) == 0) {
            return false; // RFC 9293 §3.7.1: MSS is only sent in segments with SYN
        }
        int optEnd = tcp + ((buf.getUnsignedByte(tcp + 12) & 0xf0) >> 4) * 4;
        if (optEnd < tcp + 20 || optEnd > end) {
            return false;
        }
        int i = tcp + 20;
        while (i < optEnd) {
            int kind = buf.getUnsignedByte(i);
            if (kind == OPT_EOL) {
                return false;
            }
            if (kind == OPT_NOP) {
                i++;
                continue;
            }
            if (i + 1 >= optEnd) {
                return false;
            }
            int len = buf.getUnsignedByte(i + 1);
            if (len < 2 || i + len > optEnd) {
                return false; // malformed option list: do not guess
            }
            if (kind == OPT_MSS && len == 4) {
                int old = buf.getUnsignedShort(i + 2);
                if (old <= mss) {
                    return false;
                }
                buf.setShort(i + 2, mss);
                // The checksum sums 16-bit words from the TCP header's start: a field at an odd
                // offset counts byte-swapped (RFC 1071 §2(B), byte order independence).
                boolean odd = ((i + 2 - tcp) & 1) != 0;
                int m = odd ? swap(old) : old;
                int m2 = odd ? swap(mss) : mss;
                int hc = buf.getUnsignedShort(tcp + 16);
                buf.setShort(tcp + 16, updateChecksum(hc, m, m2));
                return true;
            }
            i += len;
        }
        return false;
    }

    private static int swap(int v) {
        return ((v & 0xff) << 8) | ((v >> 8) & 0xff);
    }

    /** RFC 1624 §3 eqn. 3: HC' = ~(~HC + ~m + m'), in one's complement arithmetic. */
    static int updateChecksum(int hc, int m, int m2) {
        int sum = (~hc & 0xffff) + (~m & 0xffff) + m2;
        sum = (sum & 0xffff) + (sum >>> 16);
        sum = (sum & 0xffff) + (sum >>> 16);
        return ~sum & 0xffff;
    }
}
