package io.jl2tp.l2tp.wire;

import io.netty.buffer.ByteBuf;

import static io.jl2tp.l2tp.wire.L2tpCodec.FLAG_L;
import static io.jl2tp.l2tp.wire.L2tpCodec.FLAG_O;
import static io.jl2tp.l2tp.wire.L2tpCodec.FLAG_P;
import static io.jl2tp.l2tp.wire.L2tpCodec.FLAG_S;
import static io.jl2tp.l2tp.wire.L2tpCodec.FLAG_T;
import static io.jl2tp.l2tp.wire.L2tpCodec.RESERVED_MASK;
import static io.jl2tp.l2tp.wire.L2tpCodec.VERSION_MASK;

/**
 * The header of an L2TP data message (RFC 2661 §3.1, T=0), decoded into a reusable holder so
 * the data path allocates nothing per packet: one {@code DataHeader} per receiving thread.
 *
 * <pre>
 *  |T|L|x|x|S|x|O|P|x|x|x|x|  Ver  |          Length (opt)         |
 *  |           Tunnel ID           |           Session ID          |
 *  |             Ns (opt)          |             Nr (opt)          |
 *  |      Offset Size (opt)        |    Offset pad... (opt)
 * </pre>
 */
public final class DataHeader {

    /** Flags word as received. */
    public int flags;
    /** Tunnel ID. */
    public int tunnelId;
    /** Session ID. */
    public int sessionId;
    /** Ns, or -1 without the S bit. */
    public int ns;
    /** Nr, or -1 without the S bit. */
    public int nr;
    /** Offset Size, or -1 without the O bit. */
    public int offsetSize;
    /** Absolute index of the first payload octet (the PPP frame) in the decoded buffer. */
    public int payloadIndex;
    /** Payload length in octets. */
    public int payloadLength;

    /** A copy of this header, for a message held past the decoding of the next one. */
    public DataHeader copy() {
        DataHeader c = new DataHeader();
        c.flags = flags;
        c.tunnelId = tunnelId;
        c.sessionId = sessionId;
        c.ns = ns;
        c.nr = nr;
        c.offsetSize = offsetSize;
        c.payloadIndex = payloadIndex;
        c.payloadLength = payloadLength;
        return c;
    }

    /** True if the message carried Ns/Nr. */
    public boolean hasSequence() {
        return (flags & FLAG_S) != 0;
    }

    /** True if the P (priority) bit was set. */
    public boolean priority() {
        return (flags & FLAG_P) != 0;
    }

    /**
     * Decodes the data-message header at {@code in}'s readerIndex (without moving it). With the L
     * bit, the payload ends at Length; otherwise at the end of the datagram. If O is set, the
     * Offset Size and pad are skipped (§3.1: the receiver MUST skip them).
     */
    public DataHeader decode(ByteBuf in) throws L2tpProtocolException {
        int base = in.readerIndex();
        int n = in.readableBytes();
        if (n < 6) {
            throw new L2tpProtocolException(L2tpProtocolException.Kind.SHORT_HEADER, n + " octets");
        }
        int f = in.getUnsignedShort(base);
        if ((f & VERSION_MASK) != 2) {
            throw new L2tpProtocolException(L2tpProtocolException.Kind.BAD_VERSION, "Ver " + (f & VERSION_MASK));
        }
        if ((f & FLAG_T) != 0) {
            throw new L2tpProtocolException(L2tpProtocolException.Kind.WRONG_KIND, "T bit set: a control message");
        }
        if ((f & RESERVED_MASK) != 0) {
            throw new L2tpProtocolException(L2tpProtocolException.Kind.RESERVED_BITS, String.format("flags 0x%04x", f));
        }
        int off = 2;
        int end = n;
        if ((f & FLAG_L) != 0) {
            int length = in.getUnsignedShort(base + 2);
            if (length > n) {
                throw new L2tpProtocolException(L2tpProtocolException.Kind.LENGTH_MISMATCH, "Length " + length + " in a datagram of " + n);
            }
            end = length;
            off = 4;
        }
        int need = off + 4 + ((f & FLAG_S) != 0 ? 4 : 0) + ((f & FLAG_O) != 0 ? 2 : 0);
        if (end < need) {
            throw new L2tpProtocolException(L2tpProtocolException.Kind.SHORT_HEADER, end + " octets, header needs " + need);
        }
        tunnelId = in.getUnsignedShort(base + off);
        sessionId = in.getUnsignedShort(base + off + 2);
        off += 4;
        if ((f & FLAG_S) != 0) {
            ns = in.getUnsignedShort(base + off);
            nr = in.getUnsignedShort(base + off + 2);
            off += 4;
        } else {
            ns = -1;
            nr = -1;
        }
        if ((f & FLAG_O) != 0) {
            offsetSize = in.getUnsignedShort(base + off);
            off += 2;
            if (off + offsetSize > end) {
                throw new L2tpProtocolException(L2tpProtocolException.Kind.LENGTH_MISMATCH,
                        "Offset Size " + offsetSize + " beyond the message");
            }
            off += offsetSize;
        } else {
            offsetSize = -1;
        }
        flags = f;
        payloadIndex = base + off;
        payloadLength = end - off;
        return this;
    }

    /**
     * The longest data header jl2tp sends (RFC 2661 §3.1: flags, Length, Tunnel ID, Session ID,
     * Ns, Nr; we never send the Offset field): 12 octets. A sender that leaves this much
     * headroom in front of a PPP frame lets {@link #prepend} write the header in place.
     */
    public static final int MAX_LENGTH = 12;

    /** Header length for a data message with the given options (no offset field). */
    public static int headerLength(boolean length, boolean sequence) {
        return 6 + (length ? 2 : 0) + (sequence ? 4 : 0);
    }

    /**
     * Prepends a data header in front of the payload that starts at {@code buf}'s readerIndex,
     * writing into the headroom and moving readerIndex back; the payload is not copied.
     *
     * @throws IndexOutOfBoundsException if the headroom is smaller than {@link #headerLength}
     */
    public static void prepend(ByteBuf buf, int tunnelId, int sessionId, boolean length, boolean sequence, int ns, int nr) {
        int hl = headerLength(length, sequence);
        int start = buf.readerIndex() - hl;
        if (start < 0) {
            throw new IndexOutOfBoundsException("need " + hl + " octets of headroom, have " + buf.readerIndex());
        }
        int total = buf.readableBytes() + hl;
        int i = start;
        buf.setShort(i, (length ? FLAG_L : 0) | (sequence ? FLAG_S : 0) | 2);
        i += 2;
        if (length) {
            buf.setShort(i, total);
            i += 2;
        }
        buf.setShort(i, tunnelId);
        buf.setShort(i + 2, sessionId);
        i += 4;
        if (sequence) {
            buf.setShort(i, ns);
            buf.setShort(i + 2, nr);
        }
        buf.readerIndex(start);
    }
}
