package io.jl2tp.tun.offload;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.io.IOException;

/**
 * Coalescing of received TCP segments into one super-packet per write to a TUN with
 * IFF_VNET_HDR (generic receive offload in user space, as the kernel's {@code tcp_gro_receive}
 * does for a NIC): consecutive in-order segments of one TCP flow, with identical headers but
 * for the sequence number, the IP length/identification and PSH, are appended to one packet
 * that the kernel takes with {@code gso_type} TCPV4/TCPV6 and {@code gso_size} = the first
 * segment's payload. The receiving TCP then handles one packet where it would have handled up
 * to 45, and its acknowledgements follow suit.
 *
 * <p>A segment is merged only if its TCP checksum is valid (the merged packet carries a
 * partial checksum the kernel will not verify again), it carries data, and its flags are ACK
 * (and PSH, which ends the packet). Everything else — other protocols, SYN/FIN/RST/URG/ECE/CWR,
 * IPv4 options or fragments, IPv6 extension headers, ECN marks that differ — is written alone,
 * in order, after whatever is pending. One instance per TUN, used by one thread; the caller
 * calls {@link #flush} at the end of each batch of received packets.
 */
public final class Gro implements AutoCloseable {

    /** Writes one buffer (a {@link VnetHdr} and a packet) to the TUN. */
    @FunctionalInterface
    public interface Out {
        void write(ByteBuf vnetAndPacket) throws IOException;
    }

    /** The longest IP packet the kernel takes in one write. */
    static final int MAX_PACKET = 65535;
    private static final int ACK = 0x10;
    private static final int MERGEABLE = ACK | Gso.PSH;

    private final ByteBufAllocator alloc;
    // The packet being built: one segment is held as received (a retained buffer, no copy); the
    // second one moves both into a 64 KiB buffer. Nothing is kept between batches.
    private ByteBuf held;
    private ByteBuf pending;
    private int segments;
    private int version;
    private int ipHl;
    private int tcpHl;
    private int mss;             // payload of the first segment
    private long nextSeq;
    private boolean closedToMore; // a short or PSH segment ended the packet
    private long merged;         // segments that went out inside a super-packet

    public Gro(ByteBufAllocator alloc) {
        this.alloc = alloc;
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
        if (!candidate(ip, p, len, v, hl)) {
            flush(out);
            writeAlone(ip, out);
            return;
        }
        int t = p + hl;
        int doff = (ip.getUnsignedByte(t + 12) >> 4) * 4;
        int payload = len - hl - doff;
        boolean psh = (ip.getUnsignedByte(t + 13) & Gso.PSH) != 0;
        if (segments > 0 && appendable(ip, p, v, hl, doff, payload)) {
            if (pending == null) {
                pending = alloc.directBuffer(VnetHdr.SIZE + MAX_PACKET, VnetHdr.SIZE + MAX_PACKET);
                pending.writerIndex(VnetHdr.SIZE);
                pending.writeBytes(held, held.readerIndex(), held.readableBytes());
                held.release();
                held = null;
            }
            pending.writeBytes(ip, p + hl + doff, payload);
            segments++;
            nextSeq = (nextSeq + payload) & 0xffffffffL;
            if (psh) {
                int pt = VnetHdr.SIZE + ipHl;
                pending.setByte(pt + 13, pending.getUnsignedByte(pt + 13) | Gso.PSH);
            }
            if (psh || payload < mss) {
                closedToMore = true;
            }
            return;
        }
        flush(out);
        held = ip.retain();
        segments = 1;
        version = v;
        ipHl = hl;
        tcpHl = doff;
        mss = payload;
        nextSeq = (ip.getUnsignedInt(t + 4) + payload) & 0xffffffffL;
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
            int tcpLen = len - ipHl;
            long pseudo = version == 4 ? Checksum.pseudoIpv4(b, ip, Gso.TCP, tcpLen)
                    : Checksum.pseudoIpv6(b, ip, Gso.TCP, tcpLen);
            // CHECKSUM_PARTIAL: the field holds the folded pseudo-header sum, not complemented;
            // the kernel completes each segment's checksum from csum_start.
            b.setShort(ip + ipHl + 16, Checksum.fold(pseudo));
            VnetHdr.write(b, 0, VnetHdr.F_NEEDS_CSUM, version == 4 ? VnetHdr.GSO_TCPV4 : VnetHdr.GSO_TCPV6,
                    ipHl + tcpHl, mss, ipHl, 16);
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

    /** TCP with data, ACK (+PSH) only, no IP options/fragments/extension headers, valid checksum. */
    private static boolean candidate(ByteBuf ip, int p, int len, int v, int hl) {
        if (v == 4) {
            if (hl != 20 || ip.getUnsignedByte(p + 9) != Gso.TCP || ip.getUnsignedShort(p + 2) != len
                    || (ip.getUnsignedShort(p + 6) & 0x3fff) != 0) { // MF or a fragment offset
                return false;
            }
        } else if (v == 6) {
            if (len < 60 || ip.getUnsignedByte(p + 6) != Gso.TCP || ip.getUnsignedShort(p + 4) != len - 40) {
                return false;
            }
        } else {
            return false;
        }
        int t = p + hl;
        if (hl + 20 > len) {
            return false;
        }
        int doff = (ip.getUnsignedByte(t + 12) >> 4) * 4;
        if (doff < 20 || hl + doff >= len) {
            return false; // no payload
        }
        int flags = ip.getUnsignedByte(t + 13);
        if ((flags & ~MERGEABLE) != 0 || (flags & ACK) == 0) {
            return false;
        }
        int tcpLen = len - hl;
        long acc = v == 4 ? Checksum.pseudoIpv4(ip, p, Gso.TCP, tcpLen) : Checksum.pseudoIpv6(ip, p, Gso.TCP, tcpLen);
        return Checksum.fold(Checksum.add(ip, t, tcpLen, acc)) == 0xffff; // RFC 1071 §1: a valid sum is all ones
    }

    private boolean appendable(ByteBuf ip, int p, int v, int hl, int doff, int payload) {
        ByteBuf head = held != null ? held : pending;
        int q = held != null ? held.readerIndex() : VnetHdr.SIZE;
        int size = held != null ? held.readableBytes() : pending.writerIndex() - VnetHdr.SIZE;
        if (closedToMore || v != version || hl != ipHl || doff != tcpHl || payload > mss
                || size + payload > MAX_PACKET) {
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
        if (ip.getInt(t) != head.getInt(pt)                                   // ports
                || ip.getUnsignedInt(t + 4) != nextSeq                       // in order, no gap
                || ip.getInt(t + 8) != head.getInt(pt + 8)                   // acknowledgement
                || ip.getUnsignedByte(t + 12) != head.getUnsignedByte(pt + 12)
                || (ip.getUnsignedByte(t + 13) & ~Gso.PSH) != (head.getUnsignedByte(pt + 13) & ~Gso.PSH)
                || ip.getUnsignedShort(t + 14) != head.getUnsignedShort(pt + 14) // window
                || ip.getUnsignedShort(t + 18) != head.getUnsignedShort(pt + 18)) { // urgent pointer
            return false;
        }
        return sameBytes(ip, t + 20, head, pt + 20, doff - 20); // options, timestamps included (as tcp_gro_receive)
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
