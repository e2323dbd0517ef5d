package io.jl2tp.ppp.auth;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;

/**
 * A decoded PAP/CHAP packet: Code, Identifier and the data after the Length field
 * (RFC 1334 §2.2, RFC 1994 §4). Package-private: the wire helpers shared by PAP and CHAP.
 *
 * @param code the Code octet (0..255)
 * @param id   the Identifier octet (0..255)
 * @param data the octets after the 4-octet header, up to Length (padding beyond Length dropped)
 */
record AuthPacket(int code, int id, byte[] data) {

    /** Size of Code + Identifier + Length. */
    static final int HEADER = 4;

    /**
     * Decodes {@code buf} without consuming it, or returns null if it is malformed: shorter
     * than the header, a Length below 4, or a Length larger than the bytes received.
     * RFC 1994 §4 / RFC 1334 §2.2: "Octets outside the range of the Length field should be
     * treated as Data Link Layer padding and should be ignored on reception."
     */
    static AuthPacket decode(ByteBuf buf) {
        if (buf == null || buf.readableBytes() < HEADER) {
            return null;
        }
        int r = buf.readerIndex();
        int code = buf.getUnsignedByte(r);
        int id = buf.getUnsignedByte(r + 1);
        int length = buf.getUnsignedShort(r + 2);
        if (length < HEADER || length > buf.readableBytes()) {
            return null;
        }
        byte[] data = new byte[length - HEADER];
        buf.getBytes(r + HEADER, data);
        return new AuthPacket(code, id, data);
    }

    /** Encodes Code, Identifier, Length and the concatenated {@code parts} into a new buffer. */
    static ByteBuf encode(int code, int id, byte[]... parts) {
        int len = HEADER;
        for (byte[] p : parts) {
            len += p.length;
        }
        if (len > 0xFFFF) {
            throw new IllegalArgumentException("auth packet too long: " + len);
        }
        ByteBuf out = Unpooled.buffer(len, len);
        out.writeByte(code).writeByte(id).writeShort(len);
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out;
    }

    /** A single octet holding {@code n} (0..255), for length prefixes. */
    static byte[] octet(int n) {
        return new byte[] {(byte) n};
    }

    /** Text from packet bytes for display: UTF-8 with control characters replaced by '?'. */
    static String printable(byte[] b, int off, int len) {
        String s = new String(b, off, len, StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            sb.append(Character.isISOControl(c) ? '?' : c);
        }
        return sb.toString();
    }

    /** {@code s} with control characters replaced by '?', for names a remote chose. */
    static String printable(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return printable(b, 0, b.length);
    }

    /** Lower-case hex of {@code b}, for identifiers in DEBUG lines (never secrets). */
    static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder(b.length * 2);
        for (byte x : b) {
            sb.append(Character.forDigit((x >> 4) & 0xF, 16)).append(Character.forDigit(x & 0xF, 16));
        }
        return sb.toString();
    }
}
