package io.jl2tp.tun.offload;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Segmentation in user space of what a TUN with offloads (IFF_VNET_HDR + TUNSETOFFLOAD
 * TSO4/TSO6/CSUM) hands over: a TCP super-packet of up to 64 KiB is cut into segments of
 * {@code gso_size} payload octets, each a complete IP packet with its own length, IPv4
 * identification and header checksum, sequence number and TCP checksum — what the kernel's
 * {@code tcp_gso_segment} would have done before handing each to the device; a packet with
 * a partial checksum (NEEDS_CSUM) gets it completed. One read of the TUN then carries what
 * took the kernel and us one read per segment.
 *
 * <p>Stateless; allocation only for the packets produced (pooled, with headroom for the
 * caller's headers).
 */
public final class Gso {

    /** Receives each packet produced; ownership passes. */
    @FunctionalInterface
    public interface Sink {
        void accept(ByteBuf packet);
    }

    static final int TCP = 6;
    static final int UDP = 17;
    static final int FIN = 0x01;
    static final int PSH = 0x08;
    static final int CWR = 0x80;

    private Gso() {
    }

    /**
     * Handles a plain packet (no segmentation) where it was read: completes a partial checksum
     * and moves {@code in}'s readerIndex past the {@link VnetHdr}, so that the packet can go on
     * without a copy.
     *
     * @return 1 if {@code in} now holds the one packet, 0 if it is a super-packet for
     *         {@link #split}, -1 if it is malformed
     */
    public static int unwrap(ByteBuf in) {
        int h = in.readerIndex();
        int ip = h + VnetHdr.SIZE;
        int len = in.writerIndex() - ip;
        if (len < 20) {
            return -1;
        }
        if ((in.getUnsignedByte(h + 1) & ~VnetHdr.GSO_ECN) != VnetHdr.GSO_NONE) {
            return 0;
        }
        if ((in.getUnsignedByte(h) & VnetHdr.F_NEEDS_CSUM) != 0
                && !completeChecksum(in, ip, len, VnetHdr.u16(in, h + 6), VnetHdr.u16(in, h + 8))) {
            return -1;
        }
        in.readerIndex(ip);
        return 1;
    }

    /**
     * Splits what one read returned: {@code in}'s readable bytes are a {@link VnetHdr} and an IP
     * packet. Each resulting IP packet goes to {@code sink} in a new buffer with {@code headroom}
     * octets before its readerIndex. {@code in} is not released.
     *
     * @return the number of packets produced, or -1 if the header or packet is malformed or of a
     *         kind not offered (UDP segmentation); nothing is produced then
     */
    public static int split(ByteBuf in, int headroom, ByteBufAllocator alloc, Sink sink) {
        int h = in.readerIndex();
        int ip = h + VnetHdr.SIZE;
        int len = in.writerIndex() - ip;
        if (len < 20) {
            return -1;
        }
        int flags = in.getUnsignedByte(h);
        int gsoType = in.getUnsignedByte(h + 1) & ~VnetHdr.GSO_ECN;
        if (gsoType == VnetHdr.GSO_NONE) {
            if ((flags & VnetHdr.F_NEEDS_CSUM) != 0 && !completeChecksum(in, ip, len, VnetHdr.u16(in, h + 6),
                    VnetHdr.u16(in, h + 8))) {
                return -1;
            }
            ByteBuf out = alloc.directBuffer(headroom + len);
            out.writerIndex(headroom).readerIndex(headroom);
            out.writeBytes(in, ip, len);
            sink.accept(out);
            return 1;
        }
        if (gsoType == VnetHdr.GSO_UDP_L4) {
            return segment(in, ip, len, VnetHdr.u16(in, h + 4), UDP, headroom, alloc, sink);
        }
        if (gsoType != VnetHdr.GSO_TCPV4 && gsoType != VnetHdr.GSO_TCPV6) {
            return -1;
        }
        if ((in.getUnsignedByte(ip) >> 4) != (gsoType == VnetHdr.GSO_TCPV4 ? 4 : 6)) {
            return -1;
        }
        return segment(in, ip, len, VnetHdr.u16(in, h + 4), TCP, headroom, alloc, sink);
    }

    /**
     * Completes a partial checksum in place: the field at {@code start + offset} holds the
     * pseudo-header sum; the one's complement sum runs from {@code start} to the end (RFC 1071).
     * A UDP checksum that computes to 0 is sent as 0xFFFF (RFC 768).
     */
    static boolean completeChecksum(ByteBuf b, int ip, int len, int start, int offset) {
        if (start < 20 || start + offset + 2 > len) {
            return false;
        }
        int sum = Checksum.finish(Checksum.add(b, ip + start, len - start, 0));
        if (sum == 0 && offset == 6) {
            sum = 0xffff;
        }
        b.setShort(ip + start + offset, sum);
        return true;
    }

    /**
     * Cuts a super-packet as the kernel's {@code tcp_gso_segment} / {@code __udp_gso_segment}
     * would: the payload after the one transport header is cut into {@code size}-octet pieces
     * (the last may be shorter), each a packet with its own IPv4 length, identification and
     * header checksum or IPv6 payload length, and its own transport checksum; TCP also gets its
     * sequence number, FIN/PSH on the last piece only and CWR on the first only, UDP its length.
     */
    private static int segment(ByteBuf in, int ip, int len, int size, int protocol, int headroom,
                               ByteBufAllocator alloc, Sink sink) {
        int version = in.getUnsignedByte(ip) >> 4;
        int ipHl;
        if (version == 4) {
            ipHl = (in.getUnsignedByte(ip) & 0x0f) * 4;
            if (ipHl < 20 || in.getUnsignedByte(ip + 9) != protocol || in.getUnsignedShort(ip + 2) != len) {
                return -1;
            }
        } else if (version == 6) {
            ipHl = 40;
            // The kernel's TSO6/USO6 over a TUN carries the transport header right after the
            // fixed header (RFC 8200 §4: no extension headers).
            if (len < 48 || in.getUnsignedByte(ip + 6) != protocol || in.getUnsignedShort(ip + 4) != len - 40) {
                return -1;
            }
        } else {
            return -1;
        }
        int t = ip + ipHl;
        int l4Hl = 8;
        if (protocol == TCP) {
            if (ipHl + 20 > len) {
                return -1;
            }
            l4Hl = (in.getUnsignedByte(t + 12) >> 4) * 4;
            if (l4Hl < 20) {
                return -1;
            }
        }
        int hl = ipHl + l4Hl;
        int payload = len - hl;
        if (payload < 0 || size <= 0) {
            return -1;
        }
        long seq0 = protocol == TCP ? in.getUnsignedInt(t + 4) : 0;
        int tcpFlags = protocol == TCP ? in.getUnsignedByte(t + 13) : 0;
        int id0 = version == 4 ? in.getUnsignedShort(ip + 4) : 0;
        int n = Math.max(1, (payload + size - 1) / size);
        for (int i = 0; i < n; i++) {
            int plen = Math.min(size, payload - i * size);
            int l4Len = l4Hl + plen;
            ByteBuf s = alloc.directBuffer(headroom + hl + plen);
            s.writerIndex(headroom).readerIndex(headroom);
            s.writeBytes(in, ip, hl);
            s.writeBytes(in, ip + hl + i * size, plen);
            int q = headroom;
            if (version == 4) {
                s.setShort(q + 2, hl + plen);
                s.setShort(q + 4, id0 + i); // as inet_gso_segment: one identification per segment
                s.setShort(q + 10, 0);
                s.setShort(q + 10, Checksum.finish(Checksum.add(s, q, ipHl, 0)));
            } else {
                s.setShort(q + 4, l4Len);
            }
            int u = q + ipHl;
            int csum;
            if (protocol == TCP) {
                s.setInt(u + 4, (int) (seq0 + (long) i * size));
                int f = tcpFlags;
                if (i < n - 1) {
                    f &= ~(FIN | PSH); // RFC 793: FIN and PSH belong to the last octet of the data
                }
                if (i > 0) {
                    f &= ~CWR; // RFC 3168 §6.1.2: CWR on the first segment only (as tcp_gso_segment)
                }
                s.setByte(u + 13, f);
                csum = u + 16;
            } else {
                s.setShort(u + 4, l4Len);
                csum = u + 6;
            }
            s.setShort(csum, 0);
            long acc = version == 4 ? Checksum.pseudoIpv4(s, q, protocol, l4Len)
                    : Checksum.pseudoIpv6(s, q, protocol, l4Len);
            int sum = Checksum.finish(Checksum.add(s, u, l4Len, acc));
            s.setShort(csum, sum == 0 && protocol == UDP ? 0xffff : sum); // RFC 768: a computed 0 is sent as all ones
            sink.accept(s);
        }
        return n;
    }
}
