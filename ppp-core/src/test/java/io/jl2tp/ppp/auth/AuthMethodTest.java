package io.jl2tp.ppp.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** LCP Authentication-Protocol option data (RFC 1334 §3.1, RFC 1994 §3, RFC 2759 §2). */
class AuthMethodTest {

    @Test
    void protocolsAndOptionData() {
        assertEquals(0xC023, AuthMethod.PAP.protocol());
        assertEquals(0xC223, AuthMethod.CHAP_MD5.protocol());
        assertEquals(0xC223, AuthMethod.MSCHAP_V2.protocol());
        assertArrayEquals(new byte[] {(byte) 0xC0, 0x23}, AuthMethod.PAP.lcpOptionData());
        assertArrayEquals(new byte[] {(byte) 0xC2, 0x23, 0x05}, AuthMethod.CHAP_MD5.lcpOptionData());
        assertArrayEquals(new byte[] {(byte) 0xC2, 0x23, (byte) 0x81}, AuthMethod.MSCHAP_V2.lcpOptionData());
    }

    @Test
    void fromLcpOption() {
        for (AuthMethod m : AuthMethod.values()) {
            assertEquals(Optional.of(m), AuthMethod.fromLcpOption(m.lcpOptionData()));
        }
        assertEquals(Optional.empty(), AuthMethod.fromLcpOption(new byte[] {(byte) 0xC2, 0x23, (byte) 0x80})); // MS-CHAPv1
        assertEquals(Optional.empty(), AuthMethod.fromLcpOption(new byte[] {(byte) 0xC2, 0x23}));
        assertEquals(Optional.empty(), AuthMethod.fromLcpOption(new byte[] {(byte) 0xC0, 0x23, 0x00}));
        assertEquals(Optional.empty(), AuthMethod.fromLcpOption(new byte[] {(byte) 0xC2, 0x27})); // EAP
        assertEquals(Optional.empty(), AuthMethod.fromLcpOption(new byte[0]));
        assertEquals(Optional.empty(), AuthMethod.fromLcpOption(null));
    }

    @Test
    void optionDataIsACopy() {
        AuthMethod.PAP.lcpOptionData()[0] = 0;
        assertArrayEquals(new byte[] {(byte) 0xC0, 0x23}, AuthMethod.PAP.lcpOptionData());
    }

    @Test
    void secretNeverPrinted() {
        Secret s = Secret.of("hunter2");
        assertEquals("Secret[***]", s.toString());
        assertEquals("Secret[***]", String.valueOf(s));
    }
}
