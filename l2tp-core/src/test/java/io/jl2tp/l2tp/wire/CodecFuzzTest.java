package io.jl2tp.l2tp.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzz-style robustness: 120 000 random and mutated datagrams (seeded, reproducible) through the
 * control and data decoders. Only {@link L2tpProtocolException} may come out, and every buffer is
 * released (the paranoid leak detector runs in every test JVM; refCnt is checked too).
 */
class CodecFuzzTest {

    @Test
    void randomAndMutatedDatagramsOnlyEverGiveTypedErrors() throws Exception {
        List<byte[]> seeds = new ArrayList<>();
        for (Golden.Datagram d : Golden.all()) {
            seeds.add(d.bytes());
        }
        seeds.add(java.util.HexFormat.of().parseHex(L2tpCodecTest.HIDDEN_GOLDEN));
        HiddenAvpContext[] contexts = {HiddenAvpContext.NONE,
            HiddenAvpContext.of("tunnelsecret".getBytes(StandardCharsets.US_ASCII))};
        Random r = new Random(0x5eed);
        DataHeader holder = new DataHeader();
        int decoded = 0;
        int rejected = 0;
        for (int i = 0; i < 120_000; i++) {
            byte[] d = mutate(seeds.get(r.nextInt(seeds.size())), r, i);
            ByteBuf buf = PooledByteBufAllocator.DEFAULT.buffer(d.length);
            buf.writeBytes(d);
            try {
                if (L2tpCodec.isControl(buf)) {
                    ControlMessage m = L2tpCodec.decodeControl(buf, contexts[i & 1]);
                    m.toString();
                    MessageSpec.missingMandatory(m);
                } else {
                    holder.decode(buf);
                    assertTrue(holder.payloadIndex + holder.payloadLength <= buf.writerIndex());
                }
                decoded++;
            } catch (L2tpProtocolException e) {
                rejected++;
            } finally {
                assertEquals(1, buf.refCnt(), "the codec never releases or retains the caller's buffer");
                buf.release();
            }
        }
        assertTrue(decoded > 1000 && rejected > 1000, "both outcomes exercised: " + decoded + "/" + rejected);
    }

    private static byte[] mutate(byte[] seed, Random r, int i) {
        switch (i % 6) {
            case 0: { // pure noise with a plausible first byte
                byte[] d = new byte[r.nextInt(80)];
                r.nextBytes(d);
                if (d.length > 1 && r.nextBoolean()) {
                    d[0] = (byte) 0xc8;
                    d[1] = 0x02;
                }
                return d;
            }
            case 1: { // bit flips
                byte[] d = seed.clone();
                for (int k = 0; k < 1 + r.nextInt(4); k++) {
                    int p = r.nextInt(d.length);
                    d[p] ^= (byte) (1 << r.nextInt(8));
                }
                return d;
            }
            case 2: // truncation
                return java.util.Arrays.copyOf(seed, r.nextInt(seed.length + 1));
            case 3: { // corrupt the Length field or an AVP length
                byte[] d = seed.clone();
                if (d.length > 4) {
                    int p = r.nextBoolean() ? 2 : 12 + r.nextInt(Math.max(1, d.length - 12));
                    if (p + 1 < d.length) {
                        d[p] = (byte) r.nextInt(256);
                        d[p + 1] = (byte) r.nextInt(256);
                    }
                }
                return d;
            }
            case 4: { // splice two datagrams
                byte[] d = new byte[seed.length + 8 + r.nextInt(40)];
                System.arraycopy(seed, 0, d, 0, seed.length);
                r.nextBytes(java.util.Arrays.copyOfRange(d, seed.length, d.length));
                for (int k = seed.length; k < d.length; k++) {
                    d[k] = (byte) r.nextInt(256);
                }
                return d;
            }
            default: { // set the H bit on a random AVP-ish position
                byte[] d = seed.clone();
                if (d.length > 14) {
                    int p = 12 + r.nextInt(d.length - 13);
                    d[p] |= 0x40;
                }
                return d;
            }
        }
    }
}
