package io.jl2tp.l2tp.wire;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Jazzer targets for the L2TP codec (issue #11): every datagram a peer can send goes through
 * {@link L2tpCodec#decodeControl} or {@link DataHeader#decode}, and the only thing allowed out
 * is {@link L2tpProtocolException}. The control decoder runs with the tunnel secret of the
 * captured l2tpns exchange, so hidden AVPs (RFC 2661 §4.3) are decrypted, and without one.
 *
 * <p>In a normal build these replay {@code L2tpCodecFuzzTestInputs/<method>/} (the l2tpns
 * captures, the RFC hidden-AVP sample and any regression inputs); {@code -Pfuzz} fuzzes them.
 */
class L2tpCodecFuzzTest {

    /** The secret of l2tpns-secret.hex and of L2tpCodecTest's hidden-AVP vector. */
    private static final HiddenAvpContext SECRET =
            HiddenAvpContext.of("tunnelsecret".getBytes(StandardCharsets.US_ASCII));

    /** Offset the datagram is placed at, so absolute indices (readerIndex ≠ 0) are exercised. */
    private static final int PREFIX = 3;

    private static ByteBuf at(byte[] datagram) {
        ByteBuf b = Unpooled.buffer(PREFIX + datagram.length);
        b.writeZero(PREFIX).writeBytes(datagram).readerIndex(PREFIX);
        return b;
    }

    /**
     * Control messages: decode with and without a secret; a decoded message must survive
     * everything the tunnel does with it (type, mandatory-AVP check, toString) and re-encode to
     * the octets it came from (up to Length: trailing octets are ignored, §3.1).
     */
    @FuzzTest(maxDuration = "30m", maxExecutions = 1_000_000)
    void controlMessage(byte[] datagram) throws Exception {
        for (HiddenAvpContext ctx : new HiddenAvpContext[] {SECRET, HiddenAvpContext.NONE}) {
            ByteBuf in = at(datagram);
            try {
                boolean control = L2tpCodec.isControl(in);
                ControlMessage m;
                try {
                    m = L2tpCodec.decodeControl(in, ctx);
                } catch (L2tpProtocolException e) {
                    assertTrue(e.getMessage() != null && e.kind() != null);
                    continue;
                }
                assertTrue(control, "decoded a control message without the T bit");
                assertEquals(PREFIX, in.readerIndex(), "the decoder does not move readerIndex");
                assertEquals(m.tunnelId(), L2tpCodec.peekTunnelId(in));
                assertEquals(m.sessionId(), L2tpCodec.peekSessionId(in));
                exercise(m);

                int length = in.getUnsignedShort(PREFIX + 2);
                byte[] wire = Arrays.copyOfRange(datagram, 0, length);
                byte[] again = encode(m, ctx);
                assertArrayEquals(wire, again, "decode → encode is the identity on the wire octets");
                ControlMessage m2 = L2tpCodec.decodeControl(Unpooled.wrappedBuffer(again), ctx);
                assertEquals(m.toString(), m2.toString());
                assertArrayEquals(again, encode(m2, ctx));
            } finally {
                assertEquals(1, in.refCnt(), "the codec never releases or retains the caller's buffer");
                in.release();
            }
        }
    }

    /** What the tunnel and the logs do with every decoded message. */
    private static void exercise(ControlMessage m) {
        assertTrue(m.toString() != null);
        MessageType t = m.messageType();
        assertEquals(m.isZlb(), t == null);
        MessageSpec.missingMandatory(m);
        m.unknownMandatory();
        m.resultCode();
        m.assignedTunnelId();
        m.assignedSessionId();
        for (Avp a : m.avps()) {
            a.toString();
            a.bytes();
            a.isRecognised();
            assertTrue(a.value().length() >= 0 && a.value().length() <= 1023 - 6);
        }
    }

    private static byte[] encode(ControlMessage m, HiddenAvpContext ctx) {
        ByteBuf out = Unpooled.buffer();
        try {
            int n = L2tpCodec.encodeControl(m, out, ctx);
            assertEquals(n, out.readableBytes());
            return ByteBufUtil.getBytes(out);
        } finally {
            out.release();
        }
    }

    /**
     * Data messages: the reusable {@link DataHeader} the data path uses and the
     * {@link DataMessage} value must agree, the payload must lie inside the datagram, and a
     * decoded message re-encodes to its octets (up to Length when L is set).
     */
    @FuzzTest(maxDuration = "30m", maxExecutions = 1_000_000)
    void dataMessage(byte[] datagram) throws Exception {
        ByteBuf in = at(datagram);
        try {
            DataHeader h = new DataHeader();
            try {
                h.decode(in);
            } catch (L2tpProtocolException e) {
                assertTrue(e.getMessage() != null && e.kind() != null);
                assertThrowsSame(in, e.kind());
                return;
            }
            assertTrue(!L2tpCodec.isControl(in), "decoded a data message with the T bit");
            assertEquals(PREFIX, in.readerIndex());
            assertTrue(h.payloadIndex >= PREFIX && h.payloadLength >= 0
                    && h.payloadIndex + h.payloadLength <= in.writerIndex(), "payload inside the datagram");
            assertEquals(h.tunnelId, L2tpCodec.peekTunnelId(in));
            assertEquals(h.sessionId, L2tpCodec.peekSessionId(in));
            assertEquals(h.hasSequence(), h.ns >= 0);
            assertEquals(h.hasSequence(), h.nr >= 0);

            DataMessage m = DataMessage.decode(in);
            assertEquals(h.tunnelId, m.tunnelId());
            assertEquals(h.sessionId, m.sessionId());
            assertEquals(h.payloadLength, m.payload().length);
            int end = h.payloadIndex + h.payloadLength - PREFIX;
            ByteBuf out = Unpooled.buffer();
            try {
                m.encode(out);
                assertArrayEquals(Arrays.copyOfRange(datagram, 0, end), ByteBufUtil.getBytes(out),
                        "decode → encode is the identity on the message octets");
                assertEquals(m, DataMessage.decode(out));
            } finally {
                out.release();
            }
        } finally {
            assertEquals(1, in.refCnt(), "the decoder never releases or retains the caller's buffer");
            in.release();
        }
    }

    /** DataMessage.decode rejects what DataHeader rejects, with the same kind. */
    private static void assertThrowsSame(ByteBuf in, L2tpProtocolException.Kind kind) {
        try {
            DataMessage.decode(in);
        } catch (L2tpProtocolException e) {
            assertEquals(kind, e.kind());
            return;
        }
        throw new AssertionError("DataMessage.decode accepted what DataHeader.decode rejected");
    }
}
