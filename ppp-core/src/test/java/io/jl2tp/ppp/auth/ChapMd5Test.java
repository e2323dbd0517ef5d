package io.jl2tp.ppp.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** RFC 1994 §4.1 CHAP-MD5 response, against an independently computed vector. */
class ChapMd5Test {

    /**
     * Identifier 0x2a, secret "secret", challenge 00 01 … 0f. Cross-checked independently:
     * {@code python3 -c "import hashlib; print(hashlib.md5(bytes([0x2a])+b'secret'+bytes(range(16))).hexdigest())"}
     * and {@code openssl md5} over the same 23 octets, both giving 03dc98c5a832692b49df73cf48fcb4e9.
     */
    @Test
    void rfc1994_response_knownAnswer() {
        byte[] challenge = new byte[16];
        for (int i = 0; i < 16; i++) {
            challenge[i] = (byte) i;
        }
        byte[] r = ChapMd5.response(0x2a, "secret".getBytes(StandardCharsets.US_ASCII), challenge);
        assertArrayEquals(HexFormat.of().parseHex("03dc98c5a832692b49df73cf48fcb4e9"), r);
        ChapDigest.PeerResponse pr = ChapMd5.INSTANCE.respond(0x2a, challenge, "me", Secret.of("secret"), new SecureRandom());
        assertArrayEquals(r, pr.value());
        assertTrue(ChapMd5.INSTANCE.verify(0x2a, "me", Secret.of("secret"), challenge, r).ok());
        assertFalse(ChapMd5.INSTANCE.verify(0x2b, "me", Secret.of("secret"), challenge, r).ok(), "id is hashed");
        assertFalse(ChapMd5.INSTANCE.verify(0x2a, "me", Secret.of("Secret"), challenge, r).ok());
        assertFalse(ChapMd5.INSTANCE.verify(0x2a, "me", Secret.of("secret"), challenge, new byte[15]).ok());
    }

    @RepeatedTest(5)
    void challengesAre16To24RandomOctets() {
        byte[] a = ChapMd5.INSTANCE.newChallenge(new SecureRandom());
        byte[] b = ChapMd5.INSTANCE.newChallenge(new SecureRandom());
        assertTrue(a.length >= 16 && a.length <= 24, "length " + a.length);
        assertFalse(java.util.Arrays.equals(a, b));
    }

    @Test
    void methodAndLcpOption() {
        assertEquals(AuthMethod.CHAP_MD5, ChapMd5.INSTANCE.method());
        assertEquals("CHAP authentication failed: nope", ChapMd5.INSTANCE.failureReason("nope"));
    }
}
