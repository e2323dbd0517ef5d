package io.jl2tp.ppp.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** RFC 2759 §9 known-answer vectors and the MS-CHAPv2 message handling. */
class MsChapV2Test {

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    // RFC 2759 §9.2 "Hash Example": user name "User", password "clientPass".
    static final String USER = "User";
    static final Secret PASSWORD = Secret.of("clientPass");
    static final byte[] AUTH_CHALLENGE = hex("5B 5D 7C 7D 7B 3F 2F 3E 3C 2C 60 21 32 26 26 28");
    static final byte[] PEER_CHALLENGE = hex("21 40 23 24 25 5E 26 2A 28 29 5F 2B 3A 33 7C 7E");
    static final byte[] CHALLENGE = hex("D0 2E 43 86 BC E9 12 26");
    static final byte[] PASSWORD_HASH = hex("44 EB BA 8D 53 12 B8 D6 11 47 44 11 F5 69 89 AE");
    static final byte[] NT_RESPONSE = hex("82 30 9E CD 8D 70 8B 5E A0 8F AA 39 81 CD 83 54 42 33 11 4A 3D 85 D6 DF");
    static final byte[] PASSWORD_HASH_HASH = hex("41 C0 0C 58 4B D2 D9 1C 40 17 A2 A1 2F A5 9F 3F");
    static final String AUTH_RESPONSE = "S=407A5589115FD0D6209F510FE9C04566932CDA56";

    @Test
    void rfc2759_9_2_unicodePassword() {
        assertArrayEquals(hex("63 00 6C 00 69 00 65 00 6E 00 74 00 50 00 61 00 73 00 73 00"), PASSWORD.unicode());
    }

    @Test
    void rfc2759_9_2_challengeHash() {
        assertArrayEquals(CHALLENGE, MsChapV2.challengeHash(PEER_CHALLENGE, AUTH_CHALLENGE, USER));
    }

    @Test
    void rfc2759_9_2_ntPasswordHashAndHashHash() {
        assertArrayEquals(PASSWORD_HASH, MsChapV2.ntPasswordHash(PASSWORD.unicode()));
        assertArrayEquals(PASSWORD_HASH_HASH, MsChapV2.hashNtPasswordHash(PASSWORD_HASH));
    }

    @Test
    void rfc2759_9_2_ntResponse() {
        assertArrayEquals(NT_RESPONSE, MsChapV2.challengeResponse(CHALLENGE, PASSWORD_HASH));
        assertArrayEquals(NT_RESPONSE,
                MsChapV2.generateNtResponse(AUTH_CHALLENGE, PEER_CHALLENGE, USER, PASSWORD.unicode()));
    }

    @Test
    void rfc2759_9_2_authenticatorResponse() {
        assertEquals(AUTH_RESPONSE, MsChapV2.generateAuthenticatorResponse(
                PASSWORD.unicode(), NT_RESPONSE, PEER_CHALLENGE, AUTH_CHALLENGE, USER));
    }

    @Test
    void rfc2759_9_3_desKeyParity() {
        // "MyPw" → PasswordHash FC 15 6A F7 ED CD 6C 0E DD E3 33 7D 42 7F 4E AC
        byte[] hash = MsChapV2.ntPasswordHash(Secret.of("MyPw").unicode());
        assertArrayEquals(hex("FC 15 6A F7 ED CD 6C 0E DD E3 33 7D 42 7F 4E AC"), hash);
        assertArrayEquals(hex("FD 0B 5B 5E 7F 6E 34 D9"), MsChapV2.expandDesKey(hash, 0));
        assertArrayEquals(hex("0E 6E 79 67 37 EA 08 FE"), MsChapV2.expandDesKey(hash, 7));
    }

    @Test
    void responseValueLayoutIs49Octets() {
        ChapDigest.PeerResponse r = MsChapV2.INSTANCE.respond(AUTH_CHALLENGE, PEER_CHALLENGE, USER, PASSWORD);
        byte[] v = r.value();
        assertEquals(49, v.length);
        assertArrayEquals(PEER_CHALLENGE, java.util.Arrays.copyOfRange(v, 0, 16));
        assertArrayEquals(new byte[8], java.util.Arrays.copyOfRange(v, 16, 24));
        assertArrayEquals(NT_RESPONSE, java.util.Arrays.copyOfRange(v, 24, 48));
        assertEquals(0, v[48]);
    }

    @Test
    void domainIsStrippedFromTheHashedUserName() {
        // RFC 2759 §4: only the user name, without the domain, is hashed.
        assertArrayEquals(NT_RESPONSE,
                MsChapV2.generateNtResponse(AUTH_CHALLENGE, PEER_CHALLENGE, "BIGCO\\User", PASSWORD.unicode()));
        assertEquals("johndoe", MsChapV2.stripDomain("BIGCO\\johndoe"));
        assertEquals("johndoe", MsChapV2.stripDomain("johndoe"));
    }

    @Test
    void peerChecksTheAuthenticatorResponse() {
        ChapDigest.PeerResponse r = MsChapV2.INSTANCE.respond(AUTH_CHALLENGE, PEER_CHALLENGE, USER, PASSWORD);
        assertEquals(Optional.empty(), r.checkSuccess(AUTH_RESPONSE + " M=Access granted"));
        assertEquals("Access granted", r.successText(AUTH_RESPONSE + " M=Access granted"));
        assertEquals(Optional.empty(), r.checkSuccess(AUTH_RESPONSE.toLowerCase().replace("s=", "S=")));
        assertTrue(r.checkSuccess("S=407A5589115FD0D6209F510FE9C04566932CDA57 M=x").isPresent(), "wrong digit");
        assertTrue(r.checkSuccess("M=Access granted").isPresent(), "missing");
        assertTrue(r.checkSuccess("").isPresent(), "empty");
        assertTrue(r.checkSuccess("S=407A").isPresent(), "truncated");
    }

    @Test
    void authenticatorVerifiesAndBuildsSuccessMessage() {
        byte[] value = MsChapV2.INSTANCE.respond(AUTH_CHALLENGE, PEER_CHALLENGE, USER, PASSWORD).value();
        ChapDigest.Verdict v = MsChapV2.INSTANCE.verify(7, USER, PASSWORD, AUTH_CHALLENGE, value);
        assertTrue(v.ok());
        assertEquals(AUTH_RESPONSE + " M=Access granted", v.message());
        ChapDigest.Verdict bad = MsChapV2.INSTANCE.verify(7, USER, Secret.of("other"), AUTH_CHALLENGE, value);
        assertFalse(bad.ok());
        assertEquals("E=691 R=0 C=5B5D7C7D7B3F2F3E3C2C602132262628 V=3 M=Authentication failed", bad.message());
        assertFalse(MsChapV2.INSTANCE.verify(7, USER, PASSWORD, AUTH_CHALLENGE, new byte[48]).ok());
    }

    @Test
    void failureMessagesAreDescribed() {
        assertEquals("error 691 (authentication failure): Authentication failed",
                MsChapV2.describeFailure("E=691 R=0 C=5B5D7C7D7B3F2F3E3C2C602132262628 V=3 M=Authentication failed"));
        assertEquals("error 648 (password expired)", MsChapV2.describeFailure("E=648 R=0 C=00 V=3"));
        assertEquals("error 1 (unknown error): x", MsChapV2.describeFailure("E=1 M=x"));
        assertEquals("garbage", MsChapV2.describeFailure("garbage"));
        assertEquals("Failure without message", MsChapV2.describeFailure(""));
    }
}
