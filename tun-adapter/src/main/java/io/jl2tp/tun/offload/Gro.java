package io.jl2tp.tun.offload;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.io.IOException;

/**
 * Coalescing of received packets into one super-packet per write to a TUN with IFF_VNET_HDR
 * (generic receive offload in user space, as the kernel's {@code tcp_gro_receive} and
 * {@code udp_gro_receive} do for a NIC):
 *
 * <ul>
 * <li>TCP: consecutive in-order segments of one flow, with identical headers but for the
 *     sequence number, the IP length/identification and PSH, become one packet that the kernel
 *     takes with {@code gso_type} TCPV4/TCPV6 and {@code gso_size} = the first segment's
 *     payload. The receiving TCP then handles one packet where it would have handled up to 45,
 *     and its acknowledgements follow suit. Flags ACK only (PSH ends the packet).
 * <li>UDP, where the TUN took USO (TUN_F_USO4/USO6, Linux 6.2): consecutive datagrams of one
 *     flow with the same payload size (the last may be shorter; it ends the packet) and, over
 *     IPv4, consecutive identifications, become one GSO_UDP_L4 packet; the kernel cuts it back
 *     into the same datagrams, but past the TUN's write path once instead of once each.
 * </ul>
 *
 * <p>A packet is merged only if its transport checksum is valid (the merged packet carries a
 * partial checksum the kernel will not verify again) and it carries data. Everything else —
 * other protocols, SYN/FIN/RST/URG/ECE/CWR, IPv4 options or fragments, IPv6 extension headers,
 * ECN marks that differ, UDP without a checksum — is written alone, in order, after whatever is
 * pending. One instance per TUN, used by one thread; the caller calls {@link #flush} at the end
 * of each batch of received packets.
 */
public final class Gro implements AutoCloseable {

    /** Writes one buffer (a {@link VnetHdr} and a packet) to the TUN. */
    @FunctionalInterface
    public interface Out {
        void write(ByteBuf vnetAndPacket) throws IOException;
    }

    /** The longest IP packet the kernel takes in one write. */
    static final int MAX_PACKET = 65535;
    /** Datagrams in one UDP super-packet at most (UDP_MAX_SEGMENTS in the kernel is 128). */
    static final int MAX_UDP_SEGMENTS = 64;
    private static final int ACK = 0x10;
    private static final int MERGEABLE = ACK | Gso.PSH;

    private final ByteBufAllocator alloc;
    private final boolean udp;
    // The packet being built: one segment is held as received (a retained buffer, no copy); the
    // second one moves both into a 64 KiB buffer. Nothing is kept between batches.
    private ByteBuf held;
    private ByteBuf pending;
    private int segments;
    private int protocol;
    private int version;
    private int ipHl;
    private int l4Hl;            // TCP header with options, or 8
    private int size;            // payload of the first segment (gso_size)
    private long next;           // TCP: the next sequence number; UDP over IPv4: the next identification
    private boolean closedToMore; // a short or PSH segment ended the packet
    private long merged;         // segments that went out inside a super-packet

    /** TCP only. */
    public Gro(ByteBufAllocator alloc) {
        this(alloc, false);
    }

    /** @param udp also UDP, for a TUN that took USO (TUN_F_USO4 | TUN_F_USO6) */
    public Gro(ByteBufAllocator alloc, boolean udp) {
        this.alloc = alloc;
        this.udp = udp;
    }

    /** Segments written as part of a coalesced packet so far. */
    public long merged() {
        return merged;
    }

    /** True if a packet waits for {@link #flush}. */
    public boolean pending() {
        return segments > 0;
    }

    /**
     * Takes one IP packet (the readable bytes of {@code ip}; not released, retained if held):
     * merged into the pending super-packet, or written (after the pending one) as it is.
     */
    public void write(ByteBuf ip, Out out) throws IOException {
        int p = ip.readerIndex();
        int len = ip.readableBytes();
        int v = len >= 20 ? ip.getUnsignedByte(p) >> 4 : 0;
        int hl = v == 4 ? (ip.getUnsignedByte(p) & 0x0f) * 4 : 40;
        int proto = candidate(ip, p, len, v, hl);
        if (proto == 0) {
            flush(out);
            writeAlone(ip, out);
            return;
        }
        int t = p + hl;
        int l4 = proto == Gso.TCP ? (ip.getUnsignedByte(t + 12) >> 4) * 4 : 8;
        int payload = len - hl - l4;
        boolean psh = proto == Gso.TCP && (ip.getUnsignedByte(t + 13) & Gso.PSH) != 0;
        if (segments > 0 && appendable(ip, p, proto, v, hl, l4, payload)) {
            if (pending == null) {
                pending = alloc.directBuffer(VnetHdr.SIZE + MAX_PACKET, VnetHdr.SIZE + MAX_PACKET);
                pending.writerIndex(VnetHdr.SIZE);
                pending.writeBytes(held, held.readerIndex(), held.readableBytes());
                held.release();
                held = null;
            }
            pending.writeBytes(ip, t + l4, payload);
            segments++;
            if (proto == Gso.TCP) {
                next = (next + payload) & 0xffffffffL;
                if (psh) {
                    int pt = VnetHdr.SIZE + ipHl;
                    pending.setByte(pt + 13, pending.getUnsignedByte(pt + 13) | Gso.PSH);
                }
            } else {
                next = (next + 1) & 0xffff;
            }
            if (psh || payload < size || (proto == Gso.UDP && segments >= MAX_UDP_SEGMENTS)) {
                closedToMore = true;
            }
            return;
        }
        flush(out);
        held = ip.retain();
        segments = 1;
        protocol = proto;
        version = v;
        ipHl = hl;
        l4Hl = l4;
        size = payload;
        next = proto == Gso.TCP ? (ip.getUnsignedInt(t + 4) + payload) & 0xffffffffL
                : v == 4 ? (ip.getUnsignedShort(p + 4) + 1) & 0xffff : 0;
        closedToMore = psh;
    }

    /** Writes the pending packet, if any. */
    public void flush(Out out) throws IOException {
        if (segments == 0) {
            return;
        }
        int n = segments;
        segments = 0;
        if (held != null) {
            ByteBuf h = held;
            held = null;
            try {
                writeAlone(h, out);
            } finally {
                h.release();
            }
            return;
        }
        ByteBuf b = pending;
        pending = null;
        try {
            int ip = VnetHdr.SIZE;
            int len = b.writerIndex() - ip;
            if (version == 4) {
                b.setShort(ip + 2, len);
                b.setShort(ip + 10, 0);
                b.setShort(ip + 10, Checksum.finish(Checksum.add(b, ip, ipHl, 0)));
            } else {
                b.setShort(ip + 4, len - 40);
            }
            int l4Len = len - ipHl;
            long pseudo = version == 4 ? Checksum.pseudoIpv4(b, ip, protocol, l4Len)
                    : Checksum.pseudoIpv6(b, ip, protocol, l4Len);
            // CHECKSUM_PARTIAL: the field holds the folded pseudo-header sum, not complemented;
            // the kernel completes each segment's checksum from csum_start.
            int csumOffset = protocol == Gso.TCP ? 16 : 6;
            if (protocol == Gso.UDP) {
                b.setShort(ip + ipHl + 4, l4Len);
            }
            b.setShort(ip + ipHl + csumOffset, Checksum.fold(pseudo));
            int type = protocol == Gso.UDP ? VnetHdr.GSO_UDP_L4 : version == 4 ? VnetHdr.GSO_TCPV4 : VnetHdr.GSO_TCPV6;
            VnetHdr.write(b, 0, VnetHdr.F_NEEDS_CSUM, type, ipHl + l4Hl, size, ipHl, csumOffset);
            merged += n;
            out.write(b);
        } finally {
            b.release();
        }
    }

    private void writeAlone(ByteBuf ip, Out out) throws IOException {
        int r = ip.readerIndex();
        if (r >= VnetHdr.SIZE) {
            // The octets before the packet are the L2TP/PPP headers already read: the header goes there.
            VnetHdr.writePlain(ip, r - VnetHdr.SIZE);
            ip.readerIndex(r - VnetHdr.SIZE);
            try {
                out.write(ip);
            } finally {
                ip.readerIndex(r);
            }
            return;
        }
        int len = Math.min(ip.readableBytes(), MAX_PACKET);
        ByteBuf b = alloc.directBuffer(VnetHdr.SIZE + len);
        try {
            VnetHdr.writePlain(b, 0);
            b.writerIndex(VnetHdr.SIZE);
            b.writeBytes(ip, r, len);
            out.write(b);
        } finally {
            b.release();
        }
    }

    /**
     * The transport protocol if the packet may be merged — TCP with data and ACK (+PSH) only, or
     * (with USO) UDP with data and a checksum; no IPv4 options or fragments, no IPv6 extension
     * headers; a valid checksum — else 0.
     */
    private int candidate(ByteBuf ip, int p, int len, int v, int hl) {
        int proto;
        if (v == 4) {
            proto = len >= 20 ? ip.getUnsignedByte(p + 9) : 0;
            if (hl != 20 || ip.getUnsignedShort(p + 2) != len
                    || (ip.getUnsignedShort(p + 6) & 0x3fff) != 0) { // MF or a fragment offset
                return 0;
            }
        } else if (v == 6) {
            proto = ip.getUnsignedByte(p + 6);
            if (len < 48 || ip.getUnsignedShort(p + 4) != len - 40) {
                return 0;
            }
        } else {
            return 0;
        }
        int t = p + hl;
        if (proto == Gso.TCP) {
            if (hl + 20 > len) {
                return 0;
            }
            int doff = (ip.getUnsignedByte(t + 12) >> 4) * 4;
            if (doff < 20 || hl + doff >= len) {
                return 0; // no payload
            }
            int flags = ip.getUnsignedByte(t + 13);
            if ((flags & ~MERGEABLE) != 0 || (flags & ACK) == 0) {
                return 0;
            }
        } else if (proto == Gso.UDP && udp) {
            if (hl + 8 >= len || ip.getUnsignedShort(t + 4) != len - hl || ip.getUnsignedShort(t + 6) == 0) {
                return 0; // no payload, a length that disagrees, or no checksum (RFC 768)
            }
        } else {
            return 0;
        }
        int l4Len = len - hl;
        long acc = v == 4 ? Checksum.pseudoIpv4(ip, p, proto, l4Len) : Checksum.pseudoIpv6(ip, p, proto, l4Len);
        return Checksum.fold(Checksum.add(ip, t, l4Len, acc)) == 0xffff ? proto : 0; // RFC 1071 §1: all ones
    }

    private boolean appendable(ByteBuf ip, int p, int proto, int v, int hl, int l4, int payload) {
        ByteBuf head = held != null ? held : pending;
        int q = held != null ? held.readerIndex() : VnetHdr.SIZE;
        int total = held != null ? held.readableBytes() : pending.writerIndex() - VnetHdr.SIZE;
        if (closedToMore || proto != protocol || v != version || hl != ipHl || l4 != l4Hl || payload > size
                || total + payload > MAX_PACKET) {
            return false;
        }
        if (v == 4) {
            // version/IHL/TOS (ECN marks included), flags (DF), TTL/protocol, addresses
            if (ip.getUnsignedShort(p) != head.getUnsignedShort(q)
                    || ip.getUnsignedShort(p + 6) != head.getUnsignedShort(q + 6)
                    || ip.getUnsignedShort(p + 8) != head.getUnsignedShort(q + 8)
                    || ip.getLong(p + 12) != head.getLong(q + 12)) {
                return false;
            }
        } else {
            // traffic class and flow label, next header and hop limit, addresses
            if (ip.getInt(p) != head.getInt(q) || ip.getUnsignedShort(p + 6) != head.getUnsignedShort(q + 6)
                    || !sameBytes(ip, p + 8, head, q + 8, 32)) {
                return false;
            }
        }
        int t = p + hl;
        int pt = q + ipHl;
        if (ip.getInt(t) != head.getInt(pt)) { // ports
            return false;
        }
        if (proto == Gso.UDP) {
            // the kernel numbers the datagrams it cuts from the first one on (IPv4)
            return v == 6 || ip.getUnsignedShort(p + 4) == next;
        }
        if (ip.getUnsignedInt(t + 4) != next                                    // in order, no gap
                || ip.getInt(t + 8) != head.getInt(pt + 8)                      // acknowledgement
                || ip.getUnsignedByte(t + 12) != head.getUnsignedByte(pt + 12)
                || (ip.getUnsignedByte(t + 13) & ~Gso.PSH) != (head.getUnsignedByte(pt + 13) & ~Gso.PSH)
                || ip.getUnsignedShort(t + 14) != head.getUnsignedShort(pt + 14) // window
                || ip.getUnsignedShort(t + 18) != head.getUnsignedShort(pt + 18)) { // urgent pointer
            return false;
        }
        return sameBytes(ip, t + 20, head, pt + 20, l4 - 20); // options, timestamps included (as tcp_gro_receive)
    }

    private static boolean sameBytes(ByteBuf a, int ai, ByteBuf b, int bi, int n) {
        for (int i = 0; i < n; i++) {
            if (a.getByte(ai + i) != b.getByte(bi + i)) {
                return false;
            }
        }
        return true;
    }

    /** Drops what is pending (the call is going away). */
    @Override
    public void close() {
        segments = 0;
        if (held != null) {
            held.release();
            held = null;
        }
        if (pending != null) {
            pending.release();
            pending = null;
        }
    }
}
