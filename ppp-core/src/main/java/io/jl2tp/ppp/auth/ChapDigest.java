package io.jl2tp.ppp.auth;

import java.security.SecureRandom;
import java.util.Optional;

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

    /** A Response Value and the check of the matching Success message. */
    interface PeerResponse {
        /** The Response Value field. */
        byte[] value();

        /**
         * Checks a Success packet's Message; returns empty if acceptable, else why not
         * (MS-CHAPv2: authenticator response missing or wrong).
         */
        Optional<String> checkSuccess(String message);

        /** The human-readable part of a Success message (for MS-CHAPv2 the text after "M="). */
        default String successText(String message) {
            return message;
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
}
