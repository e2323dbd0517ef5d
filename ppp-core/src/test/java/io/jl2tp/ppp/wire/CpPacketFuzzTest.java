package io.jl2tp.ppp.wire;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Jazzer target for the control-packet codec (RFC 1661 §5, §6) shared by LCP, IPCP and IPV6CP:
 * only {@link PppProtocolException} may escape, and what decodes re-encodes to the same octets
 * (up to Length; the rest is padding, §5), options included.
 */
class CpPacketFuzzTest {

    @FuzzTest(maxDuration = "30m", maxExecutions = 1_000_000)
    void cpPacket(byte[] info) {
        ByteBuf in = Unpooled.buffer(info.length + 2).writeZero(2).writeBytes(info).readerIndex(2);
        try {
            CpPacket p;
            try {
                p = CpPacket.decode(in);
            } catch (PppProtocolException e) {
                assertTrue(e.getMessage() != null);
                return;
            }
            assertEquals(2, in.readerIndex(), "decode does not consume");
            ByteBuf out = Unpooled.buffer();
            try {
                p.encode(out);
                assertEquals(p.length(), out.readableBytes());
                assertArrayEquals(Arrays.copyOf(info, p.length()), ByteBufUtil.getBytes(out));
                assertEquals(p, CpPacket.decode(out));
            } catch (PppProtocolException e) {
                throw new AssertionError("an encoded packet does not decode", e);
            } finally {
                out.release();
            }
            p.toString();
            CpPacket.codeName(p.code());
            List<CpOption> options;
            try {
                options = CpOption.parse(p.data());
            } catch (PppProtocolException e) {
                assertTrue(e.getMessage() != null);
                return;
            }
            assertArrayEquals(p.data(), CpOption.encode(options), "options re-encode to their octets");
            for (CpOption o : options) {
                o.toString();
                // u16/u32 read exactly 2/4 octets and refuse any other length (a malformed option)
                try {
                    int v = o.u16();
                    assertTrue(o.data().length == 2 && v >= 0 && v <= 0xffff);
                } catch (PppProtocolException e) {
                    assertTrue(o.data().length != 2);
                }
                try {
                    long v = o.u32();
                    assertTrue(o.data().length == 4 && v >= 0 && v <= 0xffffffffL);
                } catch (PppProtocolException e) {
                    assertTrue(o.data().length != 4);
                }
            }
        } finally {
            assertEquals(1, in.refCnt());
            in.release();
        }
    }
}
