package io.jl2tp.app.harness.session;

import io.jl2tp.tun.testing.Packets;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Stream packets: built, restamped and checked again, with both checksums verified independently. */
class StreamPacketTest {

    private static final byte[] SRC = {100, 64, 0, 2};
    private static final byte[] DST = {100, 64, 0, 1};

    @ParameterizedTest(name = "payload {0}")
    @ValueSource(ints = {24, 25, 128, 1472})
    void buildThenCheckRoundTrips(int payload) {
        byte[] p = new byte[StreamPacket.OVERHEAD + payload];
        int len = StreamPacket.build(p, SRC, DST, 0x8000_1234, 7, 1_700_000_000_000_000L, payload);
        assertEquals(28 + payload, len);
        assertChecksumsHold(p, len);
        assertEquals(0x45, p[0]);
        assertEquals(17, p[9]);
        assertEquals(len, ((p[2] & 0xff) << 8) | (p[3] & 0xff));
        assertEquals(8 + payload, ((p[24] & 0xff) << 8) | (p[25] & 0xff));
        ByteBuf buf = Unpooled.wrappedBuffer(p, 0, len);
        assertTrue(StreamPacket.isStream(buf));
        byte[] scratch = new byte[1500];
        int h = StreamPacket.check(buf, scratch);
        assertEquals(28, h);
        assertEquals(0x8000_1234, StreamPacket.flow(scratch, h));
        assertEquals(7, StreamPacket.seq(scratch, h));
        assertEquals(1_700_000_000_000_000L, StreamPacket.sentMicros(scratch, h));

        // Restamping keeps both checksums right and changes only what it should.
        StreamPacket.restamp(p, len, 0x1_0000_0005L, 42);
        assertChecksumsHold(p, len);
        h = StreamPacket.check(Unpooled.wrappedBuffer(p, 0, len), scratch);
        assertEquals(0x1_0000_0005L, StreamPacket.seq(scratch, h));
        assertEquals(42, StreamPacket.sentMicros(scratch, h));
        assertEquals(5, ((p[4] & 0xff) << 8) | (p[5] & 0xff), "IP identification: the low 16 bits of seq");
    }

    /** RFC 1071: summing a header including its checksum gives 0; the UDP sum covers the RFC 768 pseudo-header. */
    private static void assertChecksumsHold(byte[] p, int len) {
        assertEquals(0, Packets.checksum(p, 0, 20, 0), "IPv4 header checksum");
        int pseudo = 0;
        for (int i = 12; i < 20; i += 2) {
            pseudo += ((p[i] & 0xff) << 8) | (p[i + 1] & 0xff);
        }
        pseudo += 17 + (len - 20);
        assertEquals(0, Packets.checksum(p, 20, len - 20, pseudo), "UDP checksum");
        assertTrue(((p[26] & 0xff) | (p[27] & 0xff)) != 0, "a UDP checksum is sent");
    }

    @Test
    void aFlippedBitAnywhereIsCaughtByAChecksum() {
        byte[] p = new byte[28 + 64];
        int len = StreamPacket.build(p, SRC, DST, 1, 99, 5, 64);
        byte[] scratch = new byte[1500];
        for (int i = 0; i < len; i++) {
            if (i == 0 || (i >= 2 && i < 4) || (i >= 24 && i < 26)) {
                continue; // version/IHL and the length fields are checked before the sums
            }
            byte[] q = p.clone();
            q[i] ^= 0x10;
            assertEquals(-1, StreamPacket.check(q, len), "bit flipped in octet " + i);
        }
        assertEquals(28, StreamPacket.check(p, len));
        assertEquals(-1, StreamPacket.check(Unpooled.wrappedBuffer(p, 0, len), new byte[len - 1]), "longer than scratch");
    }

    @Test
    void fragmentsTruncationAndOtherTrafficAreRejected() {
        byte[] p = new byte[28 + 64];
        int len = StreamPacket.build(p, SRC, DST, 1, 3, 5, 64);
        byte[] frag = p.clone();
        frag[6] = 0x20; // MF
        frag[10] = 0;
        frag[11] = 0;
        int c = Packets.checksum(frag, 0, 20, 0);
        frag[10] = (byte) (c >> 8);
        frag[11] = (byte) c;
        assertEquals(-1, StreamPacket.check(frag, len));
        assertEquals(-1, StreamPacket.check(p, len - 1), "IP total length beyond what arrived");
        byte[] otherPort = p.clone();
        otherPort[23] = 53;
        assertFalse(StreamPacket.isStream(Unpooled.wrappedBuffer(otherPort)));
        byte[] noMagic = p.clone();
        noMagic[28] = 'X';
        assertFalse(StreamPacket.isStream(Unpooled.wrappedBuffer(noMagic)));
        assertFalse(StreamPacket.isStream(Unpooled.wrappedBuffer(Packets.echoReply(
                IcmpEcho.request(addr(SRC), addr(DST), 1, 1, 56)))));
        assertFalse(StreamPacket.isStream(Unpooled.wrappedBuffer(p, 0, 40)), "too short for the stream header");
    }

    @Test
    void payloadOutsideLimitsIsRefused() {
        byte[] p = new byte[1600];
        assertThrows(IllegalArgumentException.class, () -> StreamPacket.build(p, SRC, DST, 1, 0, 0, 23));
        assertThrows(IllegalArgumentException.class, () -> StreamPacket.build(p, SRC, DST, 1, 0, 0, 1473));
        assertThrows(IllegalArgumentException.class, () -> StreamPacket.build(new byte[100], SRC, DST, 1, 0, 0, 128));
    }

    private static java.net.InetAddress addr(byte[] a) {
        try {
            return java.net.InetAddress.getByAddress(a);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
