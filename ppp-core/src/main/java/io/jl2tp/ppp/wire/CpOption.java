package io.jl2tp.ppp.wire;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/** One Configuration Option (RFC 1661 §6): Type, Length, Data. */
public record CpOption(int type, byte[] data) {

    /**
     * Parses an option list. A Length below 2 or past the end is malformed (pppd's lcp_reqci
     * rejects the rest in that case; we report it so the caller can decide).
     */
    public static List<CpOption> parse(byte[] options) throws PppProtocolException {
        List<CpOption> out = new ArrayList<>();
        int i = 0;
        while (i < options.length) {
            if (options.length - i < 2) {
                throw new PppProtocolException("option header cut short at offset " + i);
            }
            int type = options[i] & 0xff;
            int len = options[i + 1] & 0xff;
            if (len < 2 || i + len > options.length) {
                throw new PppProtocolException("option " + type + " has length " + len + " at offset " + i);
            }
            out.add(new CpOption(type, Arrays.copyOfRange(options, i + 2, i + len)));
            i += len;
        }
        return out;
    }

    /** Serialises options in order. */
    public static byte[] encode(List<CpOption> options) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (CpOption o : options) {
            b.write(o.type);
            b.write(2 + o.data.length);
            b.writeBytes(o.data);
        }
        return b.toByteArray();
    }

    /** A 16-bit value option. */
    public static CpOption u16(int type, int v) {
        return new CpOption(type, new byte[] {(byte) (v >>> 8), (byte) v});
    }

    /** A 32-bit value option. */
    public static CpOption u32(int type, long v) {
        return new CpOption(type, new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
    }

    /** The data as an unsigned 16-bit value; a malformed option unless it has exactly 2 octets. */
    public int u16() throws PppProtocolException {
        requireLength(2);
        return ((data[0] & 0xff) << 8) | (data[1] & 0xff);
    }

    /** The data as an unsigned 32-bit value; a malformed option unless it has exactly 4 octets. */
    public long u32() throws PppProtocolException {
        requireLength(4);
        return ((long) (data[0] & 0xff) << 24) | ((data[1] & 0xff) << 16) | ((data[2] & 0xff) << 8) | (data[3] & 0xff);
    }

    /** Throws unless the data has {@code n} octets. */
    public void requireLength(int n) throws PppProtocolException {
        if (data.length != n) {
            throw new PppProtocolException("option " + type + " carries " + data.length + " octets, expected " + n);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CpOption c && c.type == type && Arrays.equals(c.data, data);
    }

    @Override
    public int hashCode() {
        return type * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "<" + type + (data.length > 0 ? " " + HexFormat.of().formatHex(data) : "") + ">";
    }
}
