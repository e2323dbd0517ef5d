package io.jl2tp.ppp.auth;

import java.security.SecureRandom;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * One CHAP algorithm (RFC 1994 §2, the LCP option's Algorithm octet), pluggable into the
 * CHAP engine like pppd's {@code struct chap_digest_type} ({@code chap-new.h}): MD5
 * ({@link ChapMd5}) and MS-CHAPv2 ({@link MsChapV2}).
 */
public interface ChapDigest {

    /** The method this digest implements. */
    AuthMethod method();

    /** A fresh random challenge for the authenticator to send. */
    byte[] newChallenge(SecureRandom random);

    /**
     * Peer side: the Response Value for Challenge {@code id}/{@code challenge}, sent under
     * {@code ourName} with {@code secret}. The returned object remembers what is needed to
     * check the authenticator's Success message (MS-CHAPv2 mutual authentication).
     */
    PeerResponse respond(int id, byte[] challenge, String ourName, Secret secret, SecureRandom random);

    /**
     * Authenticator side: checks the peer's Response {@code value} for {@code challenge}
     * sent as {@code peerName}, and returns the verdict with the Success or Failure message.
     */
    Verdict verify(int id, String peerName, Secret secret, byte[] challenge, byte[] value);

    /**
     * Authenticator side: the Failure message when the peer's response cannot be checked at
     * all (no secret, malformed value).
     */
    String failureMessage(byte[] challenge);

    /** Peer side: a readable reason for a Failure packet carrying {@code message}. */
    String failureReason(String message);

    /**
     * Our Response to one Challenge and how to judge the authenticator's Success for it.
     *
     * @param response the Response Value field
     * @param check    empty if a Success packet's Message is acceptable, else why not
     *                 (MS-CHAPv2: authenticator response missing or wrong)
     * @param text     the human-readable part of a Success message (MS-CHAPv2: after "M=")
     */
    record PeerResponse(byte[] response, Function<String, Optional<String>> check, UnaryOperator<String> text) {

        /** A Response whose Success carries no proof and whose message is all text (RFC 1994 §4.2). */
        static PeerResponse unverified(byte[] response) {
            return new PeerResponse(response, m -> Optional.empty(), m -> m);
        }

        /** The Response Value field (a copy). */
        byte[] value() {
            return response.clone();
        }

        /** Judges a Success packet's Message. */
        Optional<String> checkSuccess(String message) {
            return check.apply(message);
        }

        /** The human-readable part of a Success message. */
        String successText(String message) {
            return text.apply(message);
        }
    }

    /**
     * An authenticator's verdict.
     *
     * @param ok      whether the response proves knowledge of the secret
     * @param message the Message to send in Success (ok) or Failure (not ok)
     */
    record Verdict(boolean ok, String message) {
    }

    /** {@code d} over the concatenation of {@code parts} (MD5 for CHAP, MD4/SHA-1 for MS-CHAPv2). */
    static byte[] hash(org.bouncycastle.crypto.Digest d, byte[]... parts) {
        for (byte[] p : parts) {
            d.update(p, 0, p.length);
        }
        byte[] out = new byte[d.getDigestSize()];
        d.doFinal(out, 0);
        return out;
    }
}
