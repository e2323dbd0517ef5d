package io.jl2tp.ppp.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** Peer ↔ authenticator over an in-memory pipe, in virtual time, for PAP, CHAP-MD5 and MS-CHAPv2. */
class AuthPairTest {

    private static final AuthConfig CFG = AuthConfig.DEFAULTS;

    @ParameterizedTest
    @EnumSource(AuthMethod.class)
    void rightSecret_bothSidesSucceed(AuthMethod m) {
        AuthPair p = new AuthPair(m, CFG);
        p.peerSecrets.put("alice", "lns", "s3cret");
        p.authSecrets.put("alice", "lns", "s3cret");
        p.start();
        assertEquals(1, p.peer.events.size(), p.peer.events.toString());
        assertTrue(p.peer.events.get(0).startsWith("succeeded alice"), p.peer.events.toString());
        assertEquals(1, p.auth.events.size(), p.auth.events.toString());
        assertTrue(p.auth.events.get(0).startsWith("succeeded alice"), p.auth.events.toString());
        if (m == AuthMethod.MSCHAP_V2) {
            assertEquals(List.of("succeeded alice Access granted"), p.peer.events);
        }
        if (m == AuthMethod.PAP) {
            assertEquals(List.of("succeeded alice Login ok"), p.peer.events);
        }
        // RFC 1334 §2.2.2 / RFC 1994 §4.2: the reply's Identifier is copied from the request/Response.
        int reply = m == AuthMethod.PAP ? 0 : 1;
        assertEquals(p.peer.id(0), p.auth.id(reply));
        if (m != AuthMethod.PAP) {
            // RFC 1994 §4.1: the Response's Identifier is copied from the Challenge.
            assertEquals(p.auth.id(0), p.peer.id(0));
        }
        // No timers left behind for PAP; CHAP without chap-interval has none either.
        assertEquals(0, p.loop.pendingTasks());
    }

    @ParameterizedTest
    @EnumSource(AuthMethod.class)
    void wrongSecret_bothSidesFailWithReasons(AuthMethod m) {
        AuthPair p = new AuthPair(m, CFG);
        p.peerSecrets.put("alice", "lns", "guess");
        p.authSecrets.put("alice", "lns", "s3cret");
        p.start();
        assertEquals(1, p.peer.events.size(), p.peer.events.toString());
        assertEquals(1, p.auth.events.size(), p.auth.events.toString());
        String expectedPeer = switch (m) {
            case PAP -> "failed PAP authentication failed: Login incorrect";
            case CHAP_MD5 -> "failed CHAP authentication failed: Access denied";
            case MSCHAP_V2 -> "failed MS-CHAPv2 authentication failed: error 691 (authentication failure): Authentication failed";
        };
        assertEquals(expectedPeer, p.peer.events.get(0));
        String expectedAuth = m == AuthMethod.PAP
                ? "failed PAP password mismatch for alice"
                : "failed CHAP response from alice is wrong (wrong secret)";
        assertEquals(expectedAuth, p.auth.events.get(0));
        for (String e : p.peer.events) {
            assertTrue(!e.contains("guess") && !e.contains("s3cret"), "secret leaked: " + e);
        }
        assertEquals(0, p.loop.pendingTasks());
    }

    @ParameterizedTest
    @EnumSource(AuthMethod.class)
    void authenticatorWithoutSecretForPeer_fails(AuthMethod m) {
        AuthPair p = new AuthPair(m, CFG);
        p.peerSecrets.put("alice", "lns", "s3cret");
        p.start();
        assertTrue(p.auth.events.get(0).startsWith("failed no "), p.auth.events.toString());
        assertTrue(p.auth.events.get(0).contains("secret for alice to lns"), p.auth.events.toString());
        assertTrue(p.peer.events.get(0).startsWith("failed "), p.peer.events.toString());
    }

    @ParameterizedTest
    @EnumSource(AuthMethod.class)
    void peerWithoutSecret_fails(AuthMethod m) {
        AuthPair p = new AuthPair(m, CFG);
        p.authSecrets.put("alice", "lns", "s3cret");
        p.start();
        assertTrue(p.peer.events.get(0).matches("failed no (PAP|CHAP) secret for alice to lns"),
                p.peer.events.toString());
    }

    @Test
    void pap_retransmitsWithNewIdentifierUntilMaxThenTimesOut() {
        AuthPair p = new AuthPair(AuthMethod.PAP, CFG.withRequestTimeout(Duration.ZERO));
        p.peerSecrets.put("alice", "lns", "s3cret");
        p.peer.dropAll = true;
        p.start();
        p.loop.advance(29_999, TimeUnit.MILLISECONDS);
        assertEquals(10, p.peer.sent.size());
        assertEquals(List.of(), p.peer.events);
        p.loop.advance(1, TimeUnit.MILLISECONDS);
        assertEquals(List.of("failed timeout: no response to 10 PAP Authenticate-Requests"), p.peer.events);
        Set<Integer> ids = new HashSet<>();
        for (int i = 0; i < 10; i++) {
            assertEquals(Pap.AUTH_REQ, p.peer.code(i));
            assertEquals(3_000L * i, p.peer.sentAtMillis.get(i));
            ids.add(p.peer.id(i));
        }
        // RFC 1334 §2.2.1: the Identifier MUST change for each Authenticate-Request.
        assertEquals(10, ids.size());
        assertEquals(0, p.loop.pendingTasks());
    }

    @Test
    void pap_firstRequestLost_succeedsOnRetransmission() {
        AuthPair p = new AuthPair(AuthMethod.PAP, CFG);
        p.peerSecrets.put("alice", "lns", "s3cret");
        p.authSecrets.put("alice", "lns", "s3cret");
        p.peer.dropNext = 1;
        p.start();
        assertEquals(List.of(), p.peer.events);
        p.loop.advance(3, TimeUnit.SECONDS);
        assertEquals(List.of("succeeded alice Login ok"), p.peer.events);
        assertNotEquals(p.peer.id(0), p.peer.id(1));
        assertEquals(p.peer.id(1), p.auth.id(0), "Ack copies the request's Identifier");
    }

    @Test
    void pap_lostAck_isRepeated() {
        AuthPair p = new AuthPair(AuthMethod.PAP, CFG);
        p.peerSecrets.put("alice", "lns", "s3cret");
        p.authSecrets.put("alice", "lns", "s3cret");
        p.auth.dropNext = 1;
        p.start();
        assertEquals(List.of("succeeded alice Login ok"), p.auth.events);
        p.loop.advance(3, TimeUnit.SECONDS);
        assertEquals(List.of("succeeded alice Login ok"), p.peer.events);
        assertEquals(List.of("succeeded alice Login ok"), p.auth.events, "reported once");
        assertEquals(2, p.auth.sent.size());
        assertEquals(Pap.AUTH_ACK, p.auth.code(1));
    }

    @Test
    void pap_authenticatorTimesOutWithoutRequest() {
        AuthPair p = new AuthPair(AuthMethod.PAP, CFG);
        p.auth.proto.start();
        p.loop.advance(29, TimeUnit.SECONDS);
        assertEquals(List.of(), p.auth.events);
        p.loop.advance(1, TimeUnit.SECONDS);
        assertEquals(List.of("failed timeout: peer sent no PAP Authenticate-Request"), p.auth.events);
    }

    @ParameterizedTest
    @EnumSource(value = AuthMethod.class, names = {"CHAP_MD5", "MSCHAP_V2"})
    void chap_challengeRetransmittedWithNewIdAndValueThenSucceeds(AuthMethod m) {
        AuthPair p = new AuthPair(m, CFG);
        p.peerSecrets.put("alice", "lns", "s3cret");
        p.authSecrets.put("alice", "lns", "s3cret");
        p.auth.dropNext = 2;
        p.start();
        p.loop.advance(5_999, TimeUnit.MILLISECONDS);
        assertEquals(List.of(), p.peer.events);
        p.loop.advance(1, TimeUnit.MILLISECONDS);
        assertTrue(p.peer.events.get(0).startsWith("succeeded"), p.peer.events.toString());
        assertEquals(List.of(0L, 3_000L, 6_000L), p.auth.sentAtMillis.subList(0, 3));
        // RFC 1994 §4.1: Identifier and Value MUST change each time a Challenge is sent.
        Set<Integer> ids = new HashSet<>(List.of(p.auth.id(0), p.auth.id(1), p.auth.id(2)));
        assertEquals(3, ids.size());
        Set<String> values = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            byte[] c = p.auth.sent.get(i);
            values.add(java.util.HexFormat.of().formatHex(c, 5, 5 + (c[4] & 0xFF)));
        }
        assertEquals(3, values.size());
        assertEquals(p.auth.id(2), p.peer.id(0), "Response copies the Challenge's Identifier");
    }

    @ParameterizedTest
    @EnumSource(value = AuthMethod.class, names = {"CHAP_MD5", "MSCHAP_V2"})
    void chap_noResponse_timesOutAfterMaxChallenges(AuthMethod m) {
        AuthPair p = new AuthPair(m, CFG.withMaxTransmits(4).withRestart(Duration.ofSeconds(2)));
        p.auth.dropAll = true;
        p.start();
        p.loop.advance(7_999, TimeUnit.MILLISECONDS);
        assertEquals(4, p.auth.sent.size());
        assertEquals(List.of(), p.auth.events);
        p.loop.advance(1, TimeUnit.MILLISECONDS);
        assertEquals(List.of("failed timeout: peer did not answer 4 CHAP Challenges"), p.auth.events);
        assertEquals(0, p.loop.pendingTasks());
    }

    @ParameterizedTest
    @EnumSource(value = AuthMethod.class, names = {"CHAP_MD5", "MSCHAP_V2"})
    void chap_rechallengesWhileOpened(AuthMethod m) {
        AuthPair p = new AuthPair(m, CFG.withRechallenge(Duration.ofSeconds(60)));
        p.peerSecrets.put("alice", "lns", "s3cret");
        p.authSecrets.put("alice", "lns", "s3cret");
        p.start();
        assertEquals(1, p.peer.events.size());
        for (int round = 1; round <= 3; round++) {
            p.loop.advance(60, TimeUnit.SECONDS);
            assertEquals(2 * round + 2, p.auth.sent.size(), "challenge + success per round");
        }
        // Each round is a new Challenge with a new Identifier and value, answered each time.
        assertEquals(Chap.CHALLENGE, p.auth.code(2));
        assertNotEquals(p.auth.id(0), p.auth.id(2));
        assertEquals(Chap.SUCCESS, p.auth.code(3));
        assertEquals(4, p.peer.sent.size());
        assertEquals(1, p.peer.events.size(), "re-authentication is not re-reported");
        assertEquals(1, p.auth.events.size());
        // Now the peer's secret changes: the next re-challenge fails on both sides.
        p.peerSecrets.put("alice", "lns", "changed");
        p.loop.advance(60, TimeUnit.SECONDS);
        assertTrue(p.auth.events.get(1).startsWith("failed CHAP response from alice is wrong"), p.auth.events.toString());
        assertTrue(p.peer.events.get(1).startsWith("failed "), p.peer.events.toString());
        assertEquals(0, p.loop.pendingTasks());
    }

    @Test
    void chap_reChallengeAnsweredUnderAnotherNameFails() {
        AuthPair p = new AuthPair(AuthMethod.CHAP_MD5, CFG.withRechallenge(Duration.ofSeconds(30)));
        p.peerSecrets.put("alice", "lns", "s3cret");
        p.authSecrets.put("alice", "lns", "s3cret").put("mallory", "lns", "m-secret");
        p.start();
        assertEquals(1, p.auth.events.size());
        // The re-challenge is answered by a different (also known) identity.
        p.peer.proto.stop();
        p.peer.proto = AuthProtocols.peer(AuthMethod.CHAP_MD5, "mallory",
                new AuthPair.Secrets().put("mallory", "lns", "m-secret"), null, CFG, p.loop, p.peer);
        p.peer.proto.start();
        p.loop.advance(30, TimeUnit.SECONDS);
        assertEquals("failed peer answered a re-challenge as mallory after authenticating as alice", p.auth.events.get(1));
        assertEquals(Chap.FAILURE, p.auth.code(p.auth.sent.size() - 1));
    }

    @Test
    void chap_lostSuccess_isRepeatedOnDuplicateResponse() {
        AuthPair p = new AuthPair(AuthMethod.CHAP_MD5, CFG);
        p.peerSecrets.put("alice", "lns", "s3cret");
        p.authSecrets.put("alice", "lns", "s3cret");
        p.auth.dropNext = 0;
        p.start();
        // Replay the peer's Response: the authenticator repeats its Success, reports nothing new.
        byte[] resp = p.peer.sent.get(0);
        feed(p.auth.proto, resp);
        p.loop.runPending();
        assertEquals(3, p.auth.sent.size());
        assertEquals(Chap.SUCCESS, p.auth.code(2));
        assertEquals(1, p.auth.events.size());
        assertEquals(1, p.peer.events.size());
    }

    @ParameterizedTest
    @EnumSource(value = AuthMethod.class, names = {"CHAP_MD5", "MSCHAP_V2"})
    void chap_lostSuccess_peerRepeatsItsResponseAndGetsTheSuccessAgain(AuthMethod m) {
        // RFC 1994 §4.2: the authenticator has moved on and sends no new Challenge; only a
        // repeated Response brings the lost Success back.
        AuthPair p = new AuthPair(m, CFG);
        p.peerSecrets.put("alice", "lns", "s3cret");
        p.authSecrets.put("alice", "lns", "s3cret");
        p.peer.proto.start();
        p.auth.proto.start();   // the Challenge is on its way
        p.auth.dropNext = 1;    // the authenticator's next packet, the Success, is lost
        p.loop.runPending();
        assertEquals(List.of(), p.peer.events, "no Success yet");
        assertEquals(1, p.auth.events.size(), "the authenticator has succeeded");
        p.loop.advance(3, TimeUnit.SECONDS);
        assertEquals(2, p.peer.sent.size(), "the Response, repeated after the restart time");
        assertArrayEquals(p.peer.sent.get(0), p.peer.sent.get(1), "the same Response, the same Identifier");
        assertEquals(1, p.peer.events.size(), "the repeated Success arrived");
        assertTrue(p.peer.events.get(0).startsWith("succeeded "), p.peer.events.toString());
        assertEquals(1, p.auth.events.size(), "the authenticator reports nothing new");
        p.loop.advance(60, TimeUnit.SECONDS);
        assertEquals(2, p.peer.sent.size(), "answered: nothing more is sent");
    }

    @Test
    void chap_peerWithoutAnyVerdictGivesUpAfterMaxTransmits() {
        AuthPair p = new AuthPair(AuthMethod.CHAP_MD5, CFG);
        p.peerSecrets.put("alice", "lns", "s3cret");
        p.authSecrets.put("alice", "lns", "s3cret");
        p.peer.proto.start();
        p.auth.proto.start();   // the Challenge is on its way; nothing the authenticator sends after it arrives
        p.auth.dropAll = true;
        p.loop.runPending();
        p.loop.advance(CFG.restart().toSeconds() * CFG.maxTransmits() + 1, TimeUnit.SECONDS);
        assertEquals(CFG.maxTransmits(), p.peer.sent.size());
        assertEquals(List.of("failed timeout: no Success or Failure after " + CFG.maxTransmits() + " CHAP Responses"),
                p.peer.events);
    }

    @ParameterizedTest
    @EnumSource(value = AuthMethod.class, names = {"CHAP_MD5", "MSCHAP_V2"})
    void chap_peerIgnoresSuccessOrFailureWithAnotherIdentifier(AuthMethod m) {
        AuthPair p = new AuthPair(m, CFG);
        p.peerSecrets.put("alice", "lns", "s3cret");
        p.authSecrets.put("alice", "lns", "s3cret");
        p.auth.tamper = b -> {
            if ((b[0] & 0xFF) == Chap.SUCCESS || (b[0] & 0xFF) == Chap.FAILURE) {
                b = b.clone();
                b[1]++;
            }
            return b;
        };
        p.start();
        assertEquals(1, p.auth.events.size());
        assertEquals(List.of(), p.peer.events, "a reply not matching our Response's Identifier decides nothing");
        byte[] failure = {Chap.FAILURE, (byte) (p.peer.id(0) + 1), 0, 4};
        feed(p.peer.proto, failure);
        assertEquals(List.of(), p.peer.events);
    }

    @Test
    void chap_lateResponseToAnEarlierChallengeIsIgnored() {
        AuthPair p = new AuthPair(AuthMethod.CHAP_MD5, CFG);
        p.peerSecrets.put("alice", "lns", "s3cret");
        p.authSecrets.put("alice", "lns", "s3cret");
        p.peer.dropNext = 1;
        p.start();
        byte[] late = p.peer.sent.get(0);
        p.loop.advance(3, TimeUnit.SECONDS);   // second challenge answered
        assertEquals(1, p.auth.events.size());
        feed(p.auth.proto, late);
        p.loop.runPending();
        assertEquals(3, p.auth.sent.size(), "no reply to a Response for a superseded Challenge");
        assertEquals(1, p.auth.events.size());
    }

    @ParameterizedTest
    @EnumSource(value = AuthMethod.class, names = {"CHAP_MD5", "MSCHAP_V2"})
    void chap_emptySecretIsNoSecret(AuthMethod m) {
        // RFC 1994 §2.3: "the length of the secret MUST be at least 1 octet".
        AuthPair p = new AuthPair(m, CFG);
        p.peerSecrets.put("alice", "lns", "");
        p.authSecrets.put("alice", "lns", "");
        p.start();
        assertEquals(List.of("failed no CHAP secret for alice to lns"), p.peer.events);
    }

    @Test
    void mschapv2_peerFailsOnWrongAuthenticatorResponse() {
        AuthPair p = new AuthPair(AuthMethod.MSCHAP_V2, CFG);
        p.peerSecrets.put("alice", "lns", "s3cret");
        p.authSecrets.put("alice", "lns", "s3cret");
        p.auth.tamper = b -> {
            if ((b[0] & 0xFF) == Chap.SUCCESS) {
                b = b.clone();
                b[4 + 2] = (byte) (b[4 + 2] == '0' ? '1' : '0'); // first hex digit after "S="
            }
            return b;
        };
        p.start();
        assertEquals(List.of("failed MS-CHAPv2 mutual authentication failed: wrong authenticator response"),
                p.peer.events);
    }

    @Test
    void mschapv2_peerFailsOnMissingAuthenticatorResponse() {
        AuthPair p = new AuthPair(AuthMethod.MSCHAP_V2, CFG);
        p.peerSecrets.put("alice", "lns", "s3cret");
        p.authSecrets.put("alice", "lns", "s3cret");
        p.auth.tamper = b -> {
            if ((b[0] & 0xFF) != Chap.SUCCESS) {
                return b;
            }
            byte[] msg = "M=Access granted".getBytes(StandardCharsets.US_ASCII);
            byte[] out = new byte[4 + msg.length];
            out[0] = b[0];
            out[1] = b[1];
            out[3] = (byte) out.length;
            System.arraycopy(msg, 0, out, 4, msg.length);
            return out;
        };
        p.start();
        assertEquals(List.of("failed MS-CHAPv2 Success without authenticator response"), p.peer.events);
    }

    @Test
    void mschapv2_peerIgnoresChallengeOfWrongLength() {
        // RFC 2759 §3: the MS-CHAPv2 Challenge Value is 16 octets.
        AuthPair p = new AuthPair(AuthMethod.MSCHAP_V2, CFG);
        p.peerSecrets.put("alice", "lns", "s3cret");
        p.peer.proto.start();
        byte[] eight = {Chap.CHALLENGE, 9, 0, 4 + 1 + 8 + 3, 8, 1, 2, 3, 4, 5, 6, 7, 8, 'l', 'n', 's'};
        feed(p.peer.proto, eight);
        assertEquals(List.of(), p.peer.sent);
        assertEquals(List.of(), p.peer.events);
        byte[] sixteen = new byte[4 + 1 + 16 + 3];
        sixteen[0] = Chap.CHALLENGE;
        sixteen[1] = 10;
        sixteen[3] = (byte) sixteen.length;
        sixteen[4] = 16;
        sixteen[21] = 'l';
        sixteen[22] = 'n';
        sixteen[23] = 's';
        feed(p.peer.proto, sixteen);
        assertEquals(1, p.peer.sent.size());
        assertEquals(4 + 1 + 49 + 5, p.peer.sent.get(0).length, "Response: Value-Size 49 and the name");
        assertEquals(49, p.peer.sent.get(0)[4]);
    }

    @Test
    void mschapv2_repeatedIdenticalChallengeGetsTheIdenticalResponse() {
        // pppd retransmits an unchanged Challenge when our Response is late; it then verifies
        // the first Response and repeats that Success for the second. Both must match.
        AuthPair p = new AuthPair(AuthMethod.MSCHAP_V2, CFG);
        p.peerSecrets.put("alice", "lns", "s3cret");
        p.authSecrets.put("alice", "lns", "s3cret");
        p.peer.dropAll = true;
        p.auth.dropAll = true;
        p.start();
        byte[] challenge = p.auth.sent.get(0);
        feed(p.peer.proto, challenge);
        feed(p.peer.proto, challenge);
        assertEquals(2, p.peer.sent.size());
        assertTrue(java.util.Arrays.equals(p.peer.sent.get(0), p.peer.sent.get(1)), "identical Responses");
        // The authenticator verifies the first one; its Success satisfies the peer.
        feed(p.auth.proto, p.peer.sent.get(0));
        byte[] success = p.auth.sent.get(p.auth.sent.size() - 1);
        assertEquals(Chap.SUCCESS, success[0]);
        feed(p.peer.proto, success);
        assertEquals(List.of("succeeded alice Access granted"), p.peer.events);
    }

    @Test
    void mschapv2_domainUser() {
        AuthPair p = new AuthPair(AuthMethod.MSCHAP_V2, "BIGCO\\alice", CFG);
        p.peerSecrets.put("BIGCO\\alice", "lns", "s3cret");
        p.authSecrets.put("BIGCO\\alice", "lns", "s3cret");
        p.start();
        assertEquals(List.of("succeeded BIGCO\\alice Access granted"), p.peer.events);
        assertEquals(1, p.auth.events.size());
    }

    @ParameterizedTest
    @EnumSource(AuthMethod.class)
    void stopCancelsTimersAndSilencesTheProtocol(AuthMethod m) {
        AuthPair p = new AuthPair(m, CFG);
        p.peerSecrets.put("alice", "lns", "s3cret");
        p.peer.dropAll = true;
        p.auth.dropAll = true;
        p.start();
        p.peer.proto.stop();
        p.auth.proto.stop();
        p.peer.proto.stop(); // idempotent
        int sentPeer = p.peer.sent.size();
        int sentAuth = p.auth.sent.size();
        p.loop.advance(5, TimeUnit.MINUTES);
        assertEquals(sentPeer, p.peer.sent.size());
        assertEquals(sentAuth, p.auth.sent.size());
        assertEquals(List.of(), p.peer.events);
        assertEquals(List.of(), p.auth.events);
        assertEquals(0, p.loop.pendingTasks());
    }

    /** Delivers {@code bytes} to {@code proto} and releases the buffer. */
    private static void feed(AuthProtocol proto, byte[] bytes) {
        io.netty.buffer.ByteBuf b = io.netty.buffer.Unpooled.wrappedBuffer(bytes);
        try {
            proto.input(b);
        } finally {
            b.release();
        }
    }
}
