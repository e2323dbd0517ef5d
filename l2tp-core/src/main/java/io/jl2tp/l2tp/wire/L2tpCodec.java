package io.jl2tp.l2tp.wire;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static io.jl2tp.l2tp.wire.L2tpProtocolException.Kind.BAD_AVP_LENGTH;
import static io.jl2tp.l2tp.wire.L2tpProtocolException.Kind.BAD_AVP_VALUE;
import static io.jl2tp.l2tp.wire.L2tpProtocolException.Kind.BAD_HIDDEN_LENGTH;
import static io.jl2tp.l2tp.wire.L2tpProtocolException.Kind.BAD_VERSION;
import static io.jl2tp.l2tp.wire.L2tpProtocolException.Kind.HIDDEN_NO_RANDOM_VECTOR;
import static io.jl2tp.l2tp.wire.L2tpProtocolException.Kind.HIDDEN_NO_SECRET;
import static io.jl2tp.l2tp.wire.L2tpProtocolException.Kind.LENGTH_MISMATCH;
import static io.jl2tp.l2tp.wire.L2tpProtocolException.Kind.NO_MESSAGE_TYPE;
import static io.jl2tp.l2tp.wire.L2tpProtocolException.Kind.RESERVED_BITS;
import static io.jl2tp.l2tp.wire.L2tpProtocolException.Kind.SHORT_HEADER;
import static io.jl2tp.l2tp.wire.L2tpProtocolException.Kind.WRONG_KIND;

/**
 * The L2TPv2 control-message codec (RFC 2661 §3.1, §4). Static, stateless, no logging; usable
 * without a pipeline (tests and fuzzers call it directly).
 *
 * <p>Buffers: the decoders read from the buffer's readerIndex without moving it and never
 * retain or release it; the encoder appends to {@code out}.
 */
public final class L2tpCodec {

    private L2tpCodec() {
    }

    /** Header flag bits (RFC 2661 §3.1). */
    public static final int FLAG_T = 0x8000;
    public static final int FLAG_L = 0x4000;
    public static final int FLAG_S = 0x0800;
    public static final int FLAG_O = 0x0200;
    public static final int FLAG_P = 0x0100;
    /** Bits that must be zero (x in §3.1's diagram). */
    public static final int RESERVED_MASK = 0x34F0;
    public static final int VERSION_MASK = 0x000F;
    /** Length of a control-message header: flags, Length, Tunnel ID, Session ID, Ns, Nr. */
    public static final int CONTROL_HEADER_LENGTH = 12;

    private static final int AVP_M = 0x8000;
    private static final int AVP_H = 0x4000;
    private static final int AVP_RESERVED = 0x3C00;
    private static final int AVP_LENGTH_MASK = 0x03FF;

    /** True if the datagram has at least a flags word and its T bit is set. */
    public static boolean isControl(ByteBuf in) {
        return in.readableBytes() >= 2 && (in.getUnsignedShort(in.readerIndex()) & FLAG_T) != 0;
    }

    /** The Tunnel ID of a control or data message, or -1 if the datagram is too short. */
    public static int peekTunnelId(ByteBuf in) {
        int r = in.readerIndex();
        if (in.readableBytes() < 2) {
            return -1;
        }
        int off = (in.getUnsignedShort(r) & FLAG_L) != 0 ? 4 : 2;
        return in.readableBytes() >= off + 2 ? in.getUnsignedShort(r + off) : -1;
    }

    /** The Session ID of a control or data message, or -1 if the datagram is too short. */
    public static int peekSessionId(ByteBuf in) {
        int r = in.readerIndex();
        if (in.readableBytes() < 2) {
            return -1;
        }
        int off = (in.getUnsignedShort(r) & FLAG_L) != 0 ? 6 : 4;
        return in.readableBytes() >= off + 2 ? in.getUnsignedShort(r + off) : -1;
    }

    /**
     * Decodes one control message from the readable bytes of {@code in} (one datagram).
     * Trailing bytes beyond the Length field are ignored.
     *
     * @throws L2tpProtocolException for anything that is not a valid control message
     */
    public static ControlMessage decodeControl(ByteBuf in, HiddenAvpContext hidden) throws L2tpProtocolException {
        int base = in.readerIndex();
        int n = in.readableBytes();
        if (n < 2) {
            throw new L2tpProtocolException(SHORT_HEADER, n + " octets");
        }
        int flags = in.getUnsignedShort(base);
        int ver = flags & VERSION_MASK;
        if (ver != 2) {
            // RFC 2661 §3.1: "... MUST be silently discarded" for unknown versions (Ver 3 = L2TPv3).
            throw new L2tpProtocolException(BAD_VERSION, "Ver " + ver);
        }
        if ((flags & FLAG_T) == 0) {
            throw new L2tpProtocolException(WRONG_KIND, "T bit clear: a data message");
        }
        if (n < CONTROL_HEADER_LENGTH) {
            throw new L2tpProtocolException(SHORT_HEADER, n + " octets, a control header needs 12");
        }
        // RFC 2661 §3.1: control messages MUST have L and S set and O and P clear; x bits zero.
        if ((flags & RESERVED_MASK) != 0 || (flags & FLAG_L) == 0 || (flags & FLAG_S) == 0
                || (flags & (FLAG_O | FLAG_P)) != 0) {
            throw new L2tpProtocolException(RESERVED_BITS, String.format("flags 0x%04x", flags));
        }
        int length = in.getUnsignedShort(base + 2);
        if (length < CONTROL_HEADER_LENGTH || length > n) {
            throw new L2tpProtocolException(LENGTH_MISMATCH, "Length " + length + " in a datagram of " + n);
        }
        int tunnelId = in.getUnsignedShort(base + 4);
        int sessionId = in.getUnsignedShort(base + 6);
        int ns = in.getUnsignedShort(base + 8);
        int nr = in.getUnsignedShort(base + 10);

        List<Avp> avps = new ArrayList<>();
        byte[] rv = null;
        int off = base + CONTROL_HEADER_LENGTH;
        int end = base + length;
        while (off < end) {
            if (end - off < 6) {
                throw new L2tpProtocolException(BAD_AVP_LENGTH, (end - off) + " trailing octets, an AVP needs 6");
            }
            int fl = in.getUnsignedShort(off);
            int avpLen = fl & AVP_LENGTH_MASK;
            if (avpLen < 6 || off + avpLen > end) {
                throw new L2tpProtocolException(BAD_AVP_LENGTH, "AVP length " + avpLen + " at offset " + (off - base));
            }
            int vendor = in.getUnsignedShort(off + 2);
            int type = in.getUnsignedShort(off + 4);
            boolean m = (fl & AVP_M) != 0;
            boolean h = (fl & AVP_H) != 0;
            int reserved = (fl & AVP_RESERVED) >>> 10;
            byte[] raw = new byte[avpLen - 6];
            in.getBytes(off + 6, raw);
            byte[] wire = null;
            byte[] plain = raw;
            if (h) {
                if (!hidden.hasSecret()) {
                    throw new L2tpProtocolException(HIDDEN_NO_SECRET, AvpType.name(type) + " is hidden and no secret is configured");
                }
                if (rv == null) {
                    throw new L2tpProtocolException(HIDDEN_NO_RANDOM_VECTOR, AvpType.name(type) + " is hidden and no Random Vector precedes it");
                }
                wire = raw;
                byte[] dec = raw.clone();
                hidden.crypt(type, rv, dec, false);
                if (dec.length < 2) {
                    throw new L2tpProtocolException(BAD_HIDDEN_LENGTH, AvpType.name(type) + ": hidden value of " + dec.length + " octets");
                }
                int orig = ((dec[0] & 0xff) << 8) | (dec[1] & 0xff);
                if (orig > dec.length - 2) {
                    throw new L2tpProtocolException(BAD_HIDDEN_LENGTH, AvpType.name(type) + ": original length " + orig
                            + " > " + (dec.length - 2));
                }
                plain = new byte[orig];
                System.arraycopy(dec, 2, plain, 0, orig);
            }
            AvpValue value = (vendor == 0 && reserved == 0) ? typedValue(type, plain) : new AvpValue.Raw(plain);
            if (vendor == 0 && type == AvpType.RANDOM_VECTOR && reserved == 0 && !h) {
                rv = plain; // §4.3: the most recent Random Vector applies to later hidden AVPs
            }
            if (avps.isEmpty() && !(vendor == 0 && type == AvpType.MESSAGE_TYPE)) {
                // RFC 2661 §4.1: the Message Type AVP MUST be the first AVP in a message.
                throw new L2tpProtocolException(NO_MESSAGE_TYPE, "first AVP is " + AvpType.name(type));
            }
            avps.add(new Avp(vendor, type, m, h, reserved, value, wire));
            off += avpLen;
        }
        return new ControlMessage(tunnelId, sessionId, ns, nr, avps);
    }

    /** Interprets the value of an IETF AVP by the §4.4 table; unknown types stay raw. */
    private static AvpValue typedValue(int type, byte[] v) throws L2tpProtocolException {
        AvpType.Info info = AvpType.info(type);
        if (info == null) {
            return new AvpValue.Raw(v);
        }
        if (v.length < info.minLength() || v.length > info.maxLength()) {
            throw new L2tpProtocolException(BAD_AVP_VALUE, info.name() + ": " + v.length + " octets, expected "
                    + (info.minLength() == info.maxLength() ? String.valueOf(info.minLength())
                    : info.minLength() + ".." + info.maxLength()));
        }
        return switch (info.shape()) {
            case U16 -> new AvpValue.U16(u16(v, 0));
            case U32 -> new AvpValue.U32(u32(v, 0));
            case BYTES -> new AvpValue.Bytes(v);
            case TEXT -> new AvpValue.Text(new String(v, StandardCharsets.ISO_8859_1));
            case EMPTY -> new AvpValue.Empty();
            case PROTOCOL_VERSION -> new AvpValue.ProtocolVersionValue(v[0] & 0xff, v[1] & 0xff);
            case RESULT_CODE -> {
                if (v.length == 3) {
                    throw new L2tpProtocolException(BAD_AVP_VALUE, "Result Code: 3 octets (error code cut short)");
                }
                Integer err = v.length >= 4 ? u16(v, 2) : null;
                String msg = v.length > 4 ? new String(v, 4, v.length - 4, StandardCharsets.ISO_8859_1) : null;
                yield new AvpValue.ResultCodeValue(u16(v, 0), err, msg);
            }
            case Q931 -> new AvpValue.Q931Value(u16(v, 0), v[2] & 0xff,
                    v.length > 3 ? new String(v, 3, v.length - 3, StandardCharsets.ISO_8859_1) : null);
            case CALL_ERRORS -> new AvpValue.CallErrorsValue(u16(v, 0), u32(v, 2), u32(v, 6), u32(v, 10), u32(v, 14),
                    u32(v, 18), u32(v, 22));
            case ACCM -> new AvpValue.AccmValue(u16(v, 0), u32(v, 2), u32(v, 6));
        };
    }

    private static int u16(byte[] v, int off) {
        return ((v[off] & 0xff) << 8) | (v[off + 1] & 0xff);
    }

    private static long u32(byte[] v, int off) {
        return ((long) u16(v, off) << 16) | u16(v, off + 2);
    }

    /**
     * Appends {@code msg} to {@code out}. Hidden AVPs are encrypted with the context's secret
     * using the Random Vector AVP that precedes them; if none does, a fresh Random Vector AVP is
     * inserted before the first hidden AVP (§4.3). A received hidden AVP is written back with its
     * original octets. Returns the number of octets written.
     *
     * @throws IllegalStateException if the message has hidden AVPs and the context no secret
     */
    public static int encodeControl(ControlMessage msg, ByteBuf out, HiddenAvpContext hidden) {
        int start = out.writerIndex();
        out.writeShort(FLAG_T | FLAG_L | FLAG_S | 2);
        out.writeShort(0); // length, patched below
        out.writeShort(msg.tunnelId());
        out.writeShort(msg.sessionId());
        out.writeShort(msg.ns());
        out.writeShort(msg.nr());
        byte[] rv = null;
        for (Avp a : msg.avps()) {
            if (a.vendorId() == 0 && a.type() == AvpType.RANDOM_VECTOR && !a.hidden()) {
                rv = a.bytes();
            }
            if (!a.hidden()) {
                writeAvp(out, a, a.mandatory(), false, a.value().length(), a.value());
                continue;
            }
            if (a.hiddenWire() != null) {
                writeAvpHeader(out, a, a.hiddenWire().length);
                out.writeBytes(a.hiddenWire());
                continue;
            }
            if (!hidden.hasSecret()) {
                throw new IllegalStateException("cannot hide " + AvpType.name(a.type()) + ": no tunnel secret");
            }
            if (rv == null) {
                rv = hidden.newRandomVector();
                Avp rva = Avp.randomVector(rv);
                writeAvp(out, rva, true, false, rv.length, rva.value());
            }
            int len = a.value().length();
            // RFC 2661 §4.3: the subformat MAY be padded to mask the value's size. We pad to whole
            // 16-octet MD5 blocks (at least one): peers such as l2tpns refuse a short hidden value
            // ("Short hidden AVP") that an unpadded 2-octet Framing Capabilities would be.
            byte[] plain = new byte[hiddenSubformatLength(len)];
            plain[0] = (byte) (len >>> 8);
            plain[1] = (byte) len;
            ByteBuf tmp = io.netty.buffer.Unpooled.wrappedBuffer(plain, 2, len).writerIndex(0);
            a.value().encode(tmp);
            hidden.fillPadding(plain, 2 + len);
            hidden.crypt(a.type(), rv, plain, true);
            writeAvpHeader(out, a, plain.length);
            out.writeBytes(plain);
        }
        int length = out.writerIndex() - start;
        out.setShort(start + 2, length);
        return length;
    }

    /** Length of the Hidden AVP Subformat for a value of {@code valueLength} octets: padded to 16-octet blocks. */
    static int hiddenSubformatLength(int valueLength) {
        int n = 2 + valueLength;
        return Math.max(16, (n + 15) & ~15);
    }

    private static void writeAvp(ByteBuf out, Avp a, boolean m, boolean h, int valueLen, AvpValue value) {
        int total = 6 + valueLen;
        if (total > AVP_LENGTH_MASK) {
            throw new IllegalArgumentException(AvpType.name(a.type()) + " too long: " + total + " octets");
        }
        out.writeShort((m ? AVP_M : 0) | (h ? AVP_H : 0) | (a.reservedFlags() << 10) | total);
        out.writeShort(a.vendorId());
        out.writeShort(a.type());
        value.encode(out);
    }

    private static void writeAvpHeader(ByteBuf out, Avp a, int valueLen) {
        int total = 6 + valueLen;
        if (total > AVP_LENGTH_MASK) {
            throw new IllegalArgumentException(AvpType.name(a.type()) + " too long: " + total + " octets");
        }
        out.writeShort((a.mandatory() ? AVP_M : 0) | AVP_H | (a.reservedFlags() << 10) | total);
        out.writeShort(a.vendorId());
        out.writeShort(a.type());
    }

    /**
     * Rewrites the Nr field of an encoded control message in place (a retransmission carries
     * the same Ns but the current Nr, RFC 2661 §5.8).
     */
    public static void patchNr(ByteBuf encoded, int nr) {
        encoded.setShort(encoded.readerIndex() + 10, nr);
    }
}
