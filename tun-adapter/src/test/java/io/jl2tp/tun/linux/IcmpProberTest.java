package io.jl2tp.tun.linux;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The echo requests the prober sends (no socket needed). */
class IcmpProberTest {

    @Test
    void ipv4EchoRequestCarriesIdSeqTargetAndAValidChecksum() {
        byte[] p = IcmpProber.echoRequest(false, 0x1234, 0xabcd, 2);
        assertEquals(8, p[0]);
        assertEquals(0x12, p[4]);
        assertEquals(0x34, p[5]);
        assertEquals((byte) 0xab, p[6]);
        assertEquals((byte) 0xcd, p[7]);
        assertEquals(2, p[13]);
        assertEquals(0, IcmpProber.checksum(p), "a packet with its checksum sums to zero (RFC 1071)");
    }

    @Test
    void ipv6EchoRequestIsType128AndLeavesTheChecksumToTheKernel() {
        byte[] p = IcmpProber.echoRequest(true, 7, 9, 1);
        assertEquals((byte) 128, p[0]);
        assertEquals(0, p[2]);
        assertEquals(0, p[3]);
        assertEquals(1, p[13]);
    }
}
