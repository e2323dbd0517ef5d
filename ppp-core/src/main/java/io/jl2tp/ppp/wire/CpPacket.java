package io.jl2tp.ppp.wire;

import io.netty.buffer.ByteBuf;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A control-protocol packet (LCP, IPCP, IPV6CP; RFC 1661 §5): Code, Identifier, Length, Data.
 * Octets after Length are padding and are ignored (§5).
 */
public record CpPacket(int code, int id, byte[] data) {

    public static final int CONF_REQ = 1;
    public static final int CONF_ACK = 2;
    public static final int CONF_NAK = 3;
    public static final int CONF_REJ = 4;
    public static final int TERM_REQ = 5;
    public static final int TERM_ACK = 6;
    public static final int CODE_REJ = 7;
    public static final int PROT_REJ = 8;
    public static final int ECHO_REQ = 9;
    public static final int ECHO_REP = 10;
    public static final int DISC_REQ = 11;

    /** Decodes the packet at the buffer's readable bytes (the PPP information field). */
    public static CpPacket decode(ByteBuf in) throws PppProtocolException {
        int n = in.readableBytes();
        if (n < 4) {
            throw new PppProtocolException("control packet of " + n + " octets, the header needs 4");
        }
        int r = in.readerIndex();
        int len = in.getUnsignedShort(r + 2);
        if (len < 4 || len > n) {
            throw new PppProtocolException("Length " + len + " in a packet of " + n + " octets");
        }
        byte[] data = new byte[len - 4];
        in.getBytes(r + 4, data);
        return new CpPacket(in.getUnsignedByte(r), in.getUnsignedByte(r + 1), data);
    }

    /** Appends the packet to {@code out}. */
    public void encode(ByteBuf out) {
        out.writeByte(code);
        out.writeByte(id);
        out.writeShort(4 + data.length);
        out.writeBytes(data);
    }

    /** Length on the wire. */
    public int length() {
        return 4 + data.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CpPacket p && p.code == code && p.id == id && Arrays.equals(p.data, data);
    }

    @Override
    public int hashCode() {
        return code * 31 + id + Arrays.hashCode(data);
    }

    /** pppd-style code name. */
    public static String codeName(int code) {
        return switch (code) {
            case CONF_REQ -> "ConfReq";
            case CONF_ACK -> "ConfAck";
            case CONF_NAK -> "ConfNak";
            case CONF_REJ -> "ConfRej";
            case TERM_REQ -> "TermReq";
            case TERM_ACK -> "TermAck";
            case CODE_REJ -> "CodeRej";
            case PROT_REJ -> "ProtRej";
            case ECHO_REQ -> "EchoReq";
            case ECHO_REP -> "EchoRep";
            case DISC_REQ -> "DiscReq";
            default -> "code=0x" + Integer.toHexString(code);
        };
    }

    @Override
    public String toString() {
        return codeName(code) + " id=0x" + Integer.toHexString(id) + (data.length > 0 ? " " + HexFormat.of().formatHex(data) : "");
    }
}
