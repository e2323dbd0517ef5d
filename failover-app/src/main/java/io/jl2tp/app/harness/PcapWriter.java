package io.jl2tp.app.harness;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes UDP datagrams to a classic libpcap file (the "tcpdump" format: magic 0xa1b2c3d4,
 * version 2.4, microsecond timestamps) with link type LINKTYPE_RAW (101): each record is an
 * IPv4 or IPv6 header and a UDP header synthesized from the datagram's addresses, then the
 * payload — so tshark and Wireshark decode port 1701 as L2TP. The IPv4 header checksum and the
 * UDP checksum are computed, so a checksum-checking reader finds nothing to flag.
 *
 * <p>Records are written whole under a lock; any thread may call {@link #udp}. The file is
 * flushed by {@link #flush} and {@link #close}.
 */
public final class PcapWriter implements AutoCloseable {

    /** LINKTYPE_RAW: the packet begins with an IPv4 or IPv6 header. */
    public static final int LINKTYPE_RAW = 101;

    private static final int SNAPLEN = 65535;

    private final OutputStream out;
    private final byte[] header = new byte[16 + 40 + 8];
    private byte[] scratch = new byte[2048];
    private long ipId;
    private boolean closed;

    private PcapWriter(OutputStream out) throws IOException {
        this.out = out;
        byte[] h = new byte[24];
        ByteBuffer b = ByteBuffer.wrap(h).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(SNAPLEN).putInt(LINKTYPE_RAW);
        out.write(h);
    }

    /** Creates (or truncates) {@code file} and writes the file header. */
    public static PcapWriter create(Path file) throws IOException {
        return new PcapWriter(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16));
    }

    /** Writes to {@code out} (which this writer closes). */
    public static PcapWriter to(OutputStream out) throws IOException {
        return new PcapWriter(out);
    }

    /**
     * Records one UDP datagram from {@code src} to {@code dst} whose payload is {@code payload}'s
     * remaining octets (its position is not changed), at wall-clock time {@code epochMicros}.
     * Both addresses must be of one family.
     */
    public synchronized void udp(long epochMicros, InetSocketAddress src, InetSocketAddress dst, ByteBuffer payload)
            throws IOException {
        if (closed) {
            return;
        }
        int len = payload.remaining();
        boolean v6 = src.getAddress() instanceof Inet6Address;
        if (v6 != dst.getAddress() instanceof Inet6Address) {
            throw new IllegalArgumentException("mixed address families: " + src + " -> " + dst);
        }
        int ipLen = v6 ? 40 : 20;
        int udpLen = 8 + len;
        int total = ipLen + udpLen;
        if (scratch.length < len) {
            scratch = new byte[Math.max(len, scratch.length * 2)];
        }
        payload.duplicate().get(scratch, 0, len);
        ByteBuffer h = ByteBuffer.wrap(header);
        // Record header (little-endian, as the file header's magic says); captured length
        // truncated to the snap length, as a capturing tool would.
        int captured = Math.min(total, SNAPLEN);
        h.order(java.nio.ByteOrder.LITTLE_ENDIAN);
        h.putInt((int) (epochMicros / 1_000_000)).putInt((int) (epochMicros % 1_000_000)).putInt(captured).putInt(total);
        h.order(java.nio.ByteOrder.BIG_ENDIAN);
        byte[] s = src.getAddress().getAddress();
        byte[] d = dst.getAddress().getAddress();
        if (v6) {
            h.putInt(0x60000000).putShort((short) udpLen).put((byte) 17).put((byte) 64).put(s).put(d);
        } else {
            int start = h.position();
            h.put((byte) 0x45).put((byte) 0).putShort((short) total).putShort((short) (ipId++)).putShort((short) 0x4000)
                    .put((byte) 64).put((byte) 17).putShort((short) 0).put(s).put(d);
            h.putShort(start + 10, (short) ~fold(sum(header, start, 20, 0)));
        }
        int udp = h.position();
        h.putShort((short) src.getPort()).putShort((short) dst.getPort()).putShort((short) udpLen).putShort((short) 0);
        // UDP checksum over the pseudo-header, the UDP header and the payload (RFC 768; RFC 8200 §8.1).
        long sum = sum(s, 0, s.length, 0);
        sum = sum(d, 0, d.length, sum);
        sum += 17 + udpLen;
        sum = sum(header, udp, 8, sum);
        sum = sum(scratch, 0, len, sum);
        int c = ~fold(sum) & 0xffff;
        h.putShort(udp + 6, (short) (c == 0 ? 0xffff : c));
        int headerLen = h.position();
        int payloadCaptured = captured - (total - len);
        out.write(header, 0, headerLen);
        out.write(scratch, 0, Math.max(0, payloadCaptured));
    }

    private static long sum(byte[] b, int off, int len, long acc) {
        int i = 0;
        for (; i + 1 < len; i += 2) {
            acc += ((b[off + i] & 0xff) << 8) | (b[off + i + 1] & 0xff);
        }
        if (i < len) {
            acc += (b[off + i] & 0xff) << 8;
        }
        return acc;
    }

    private static int fold(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) sum;
    }

    /** Pushes buffered records to the file. */
    public synchronized void flush() throws IOException {
        if (!closed) {
            out.flush();
        }
    }

    /** Flushes and closes the file; idempotent. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        out.close();
    }
}
