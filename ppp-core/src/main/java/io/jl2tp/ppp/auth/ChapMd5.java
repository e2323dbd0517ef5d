package io.jl2tp.ppp.auth;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Optional;

/**
 * CHAP with MD5, RFC 1994 §2 / §4.1: Response Value = MD5(Identifier ‖ secret ‖ Challenge),
 * 16 octets. Like pppd's {@code chap-md5.c}, challenges are 16 to 24 random octets.
 *
 * <p>Threads: stateless; safe from any thread.
 */
public final class ChapMd5 implements ChapDigest {

    /** The shared instance (stateless). */
    public static final ChapMd5 INSTANCE = new ChapMd5();

    /** Shortest challenge we send (pppd MD5_MIN_CHALLENGE). */
    static final int MIN_CHALLENGE = 16;
    /** Longest challenge we send (pppd MD5_MAX_CHALLENGE). */
    static final int MAX_CHALLENGE = 24;
    /** Length of an MD5 Response Value. */
    static final int RESPONSE_LEN = 16;

    private ChapMd5() {
    }

    /** MD5(id ‖ secret ‖ challenge), RFC 1994 §4.1: "The Response Value is the one-way hash
     * calculated over a stream of octets consisting of the Identifier, followed by
     * (concatenated with) the "secret", followed by (concatenated with) the Challenge Value." */
    public static byte[] response(int id, byte[] secret, byte[] challenge) {
        // The JDK's MD5 (every Java platform has it): loading BouncyCastle's signed jar on first use
        // cost ~0.5 s on the event loop, long enough for l2tpns to re-send its Challenge and then
        // refuse our answer to the first one.
        try {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("MD5");
            md.update((byte) id);
            md.update(secret);
            md.update(challenge);
            return md.digest();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is required of every Java platform", e);
        }
    }

    @Override
    public AuthMethod method() {
        return AuthMethod.CHAP_MD5;
    }

    @Override
    public byte[] newChallenge(SecureRandom random) {
        byte[] c = new byte[MIN_CHALLENGE + random.nextInt(MAX_CHALLENGE - MIN_CHALLENGE + 1)];
        random.nextBytes(c);
        return c;
    }

    @Override
    public PeerResponse respond(int id, byte[] challenge, String ourName, Secret secret, SecureRandom random) {
        return PeerResponse.unverified(response(id, secret.bytes(), challenge)); // RFC 1994: Success carries no proof
    }

    @Override
    public Verdict verify(int id, String peerName, Secret secret, byte[] challenge, byte[] value) {
        byte[] expected = response(id, secret.bytes(), challenge);
        boolean ok = value.length == RESPONSE_LEN && MessageDigest.isEqual(expected, value);
        return new Verdict(ok, ok ? "Access granted" : "Access denied");
    }

    @Override
    public String failureMessage(byte[] challenge) {
        return "Access denied";
    }

    @Override
    public String failureReason(String message) {
        return "CHAP authentication failed" + (message.isEmpty() ? "" : ": " + message);
    }
}
