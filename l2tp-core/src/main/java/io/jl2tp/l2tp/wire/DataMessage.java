package io.jl2tp.l2tp.wire;

import io.netty.buffer.ByteBuf;

import java.util.Arrays;

/**
 * A whole data message as a value (RFC 2661 §3.1), for tests, the harness and tools; the data
 * path itself uses {@link DataHeader} and never builds one of these per packet.
 *
 * @param flags     the flags word (T clear, Ver 2)
 * @param tunnelId  Tunnel ID
 * @param sessionId Session ID
 * @param ns        Ns, or -1
 * @param nr        Nr, or -1
 * @param offsetPad the Offset pad octets (null without the O bit)
 * @param payload   the PPP frame
 */
public record DataMessage(int flags, int tunnelId, int sessionId, int ns, int nr, byte[] offsetPad, byte[] payload) {

    /** Decodes one data message. */
    public static DataMessage decode(ByteBuf in) throws L2tpProtocolException {
        DataHeader h = new DataHeader().decode(in);
        byte[] pad = null;
        if (h.offsetSize >= 0) {
            pad = new byte[h.offsetSize];
            in.getBytes(h.payloadIndex - h.offsetSize, pad);
        }
        byte[] payload = new byte[h.payloadLength];
        in.getBytes(h.payloadIndex, payload);
        return new DataMessage(h.flags, h.tunnelId, h.sessionId, h.ns, h.nr, pad, payload);
    }

    /** Encodes this message, Length and offsets included as the flags say. */
    public void encode(ByteBuf out) {
        int start = out.writerIndex();
        out.writeShort(flags);
        if ((flags & L2tpCodec.FLAG_L) != 0) {
            out.writeShort(0);
        }
        out.writeShort(tunnelId);
        out.writeShort(sessionId);
        if ((flags & L2tpCodec.FLAG_S) != 0) {
            out.writeShort(ns);
            out.writeShort(nr);
        }
        if ((flags & L2tpCodec.FLAG_O) != 0) {
            byte[] p = offsetPad == null ? new byte[0] : offsetPad;
            out.writeShort(p.length);
            out.writeBytes(p);
        }
        out.writeBytes(payload);
        if ((flags & L2tpCodec.FLAG_L) != 0) {
            out.setShort(start + 2, out.writerIndex() - start);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DataMessage d && d.flags == flags && d.tunnelId == tunnelId && d.sessionId == sessionId
                && d.ns == ns && d.nr == nr && Arrays.equals(d.offsetPad, offsetPad) && Arrays.equals(d.payload, payload);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(payload) * 31 + tunnelId * 7 + sessionId;
    }
}
