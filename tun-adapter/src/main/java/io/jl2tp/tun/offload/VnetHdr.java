package io.jl2tp.tun.offload;

import io.netty.buffer.ByteBuf;

import java.nio.ByteOrder;

/**
 * {@code struct virtio_net_hdr} (linux/virtio_net.h), the 10 octets in front of every packet
 * read from or written to a TUN opened with IFF_VNET_HDR:
 *
 * <pre>
 *  u8 flags        NEEDS_CSUM: the checksum at csum_start + csum_offset is partial (the
 *                  pseudo-header sum); whoever sends the packet on must complete it
 *  u8 gso_type     NONE, TCPV4, TCPV6 (| ECN), UDP_L4: a super-packet to cut into gso_size segments
 *  u16 hdr_len     IP + TCP header octets
 *  u16 gso_size    payload octets per segment (the MSS)
 *  u16 csum_start  where the checksummed data starts (the transport header)
 *  u16 csum_offset where the checksum field is, from csum_start (16 for TCP, 6 for UDP)
 * </pre>
 *
 * The 16-bit fields are in the virtio "legacy" byte order, which for TUN without TUNSETVNETLE/BE
 * is the host's own.
 */
public final class VnetHdr {

    /** sizeof(struct virtio_net_hdr). */
    public static final int SIZE = 10;

    public static final int F_NEEDS_CSUM = 1;
    public static final int GSO_NONE = 0;
    public static final int GSO_TCPV4 = 1;
    public static final int GSO_TCPV6 = 4;
    /** UDP segmentation (USO, TUN_F_USO4/USO6, Linux 6.2): IPv4 or IPv6, {@code gso_size} payload octets each. */
    public static final int GSO_UDP_L4 = 5;
    public static final int GSO_ECN = 0x80;

    private static final boolean LE = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    private VnetHdr() {
    }

    static int u16(ByteBuf b, int i) {
        return LE ? b.getUnsignedShortLE(i) : b.getUnsignedShort(i);
    }

    static void u16(ByteBuf b, int i, int v) {
        if (LE) {
            b.setShortLE(i, v);
        } else {
            b.setShort(i, v);
        }
    }

    /** Writes a header at {@code i}. */
    public static void write(ByteBuf b, int i, int flags, int gsoType, int hdrLen, int gsoSize, int csumStart,
                             int csumOffset) {
        b.setByte(i, flags);
        b.setByte(i + 1, gsoType);
        u16(b, i + 2, hdrLen);
        u16(b, i + 4, gsoSize);
        u16(b, i + 6, csumStart);
        u16(b, i + 8, csumOffset);
    }

    /** Writes the header of a plain packet (no offload, checksums complete) at {@code i}. */
    public static void writePlain(ByteBuf b, int i) {
        b.setLong(i, 0);
        b.setShort(i + 8, 0);
    }
}
