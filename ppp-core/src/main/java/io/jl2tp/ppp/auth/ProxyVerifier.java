package io.jl2tp.ppp.auth;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Checks authentication a LAC performed for us (RFC 2661 §4.4.5 Proxy Authen AVPs) against our
 * secrets, as the authenticator would have checked the same packet itself: CHAP with MD5
 * (RFC 1994 §4.1: MD5(Identifier ‖ secret ‖ Challenge)) or PAP (RFC 1334 §2.2.1: the password).
 * Whether to trust a LAC's challenge at all is the caller's decision (see docs/ppp-auth.md).
 *
 * <p>Threads: stateless; safe from any thread.
 */
public final class ProxyVerifier {

    /** Longest name we take from a LAC (pppd's MAXNAMELEN is 256 including the NUL). */
    public static final int MAX_NAME = 255;
    /** Longest CHAP Challenge or PAP password: their length fields are one octet (RFC 1994 §4.1, RFC 1334 §2.2.1). */
    public static final int MAX_VALUE = 255;

    /**
     * The verdict: {@code ok}, a reason without secrets (for the log), and — when not ok — the
     * packet the authenticator would have answered with (CHAP Failure, PAP Authenticate-Nak) with
     * the proxied Identifier, or null when the values were unusable rather than wrong.
     */
    public record Verdict(boolean ok, boolean wrong, String reason, int protocol, ByteBuf answer) {
    }

    private ProxyVerifier() {
    }

    /**
     * Verifies a proxied CHAP-MD5 Response or PAP Authenticate-Request for {@code method} (the
     * one LCP agreed). {@code wrong} in the verdict means the values were well-formed and the
     * secret did not match (the call must fail as a wrong password does); otherwise a not-ok
     * verdict means "unusable" (missing values, an unsupported method, no secret for the name).
     */
    public static Verdict verify(AuthMethod method, String name, byte[] challenge, int id, byte[] response, String ourName,
                                 SecretProvider secrets) {
        if (name == null || name.isEmpty() || name.length() > MAX_NAME) {
            return unusable("no usable Proxy Authen Name");
        }
        if (id < 0 || id > 255) {
            return unusable("no Proxy Authen ID");
        }
        if (response == null || response.length == 0 || response.length > MAX_VALUE) {
            return unusable("no usable Proxy Authen Response");
        }
        String shown = AuthPacket.printable(name);
        switch (method) {
            case CHAP_MD5 -> {
                if (challenge == null || challenge.length == 0 || challenge.length > MAX_VALUE) {
                    return unusable("no usable Proxy Authen Challenge");
                }
                // RFC 1994 §2.3: an empty secret is no secret.
                Optional<Secret> secret = secrets.secret(name, ourName).filter(x -> !x.isEmpty());
                if (secret.isEmpty()) {
                    return wrong("no CHAP secret for " + shown + " to " + ourName, AuthMethod.PROTOCOL_CHAP,
                            AuthPacket.encode(Chap.FAILURE, id, "Access denied".getBytes(StandardCharsets.US_ASCII)));
                }
                ChapDigest.Verdict v = ChapMd5.INSTANCE.verify(id, name, secret.get(), challenge, response);
                return v.ok() ? new Verdict(true, false, "CHAP response from " + shown + " verified", 0, null)
                        : wrong("CHAP response from " + shown + " is wrong (wrong secret)", AuthMethod.PROTOCOL_CHAP,
                        AuthPacket.encode(Chap.FAILURE, id, v.message().getBytes(StandardCharsets.US_ASCII)));
            }
            case PAP -> {
                Optional<Secret> secret = secrets.secret(name, ourName);
                boolean ok = secret.isPresent() && secret.get().matches(response);
                byte[] msg = (ok ? "Login ok" : "Login incorrect").getBytes(StandardCharsets.US_ASCII);
                return ok ? new Verdict(true, false, "PAP password of " + shown + " verified", 0, null)
                        : wrong(secret.isEmpty() ? "no PAP secret for " + shown + " to " + ourName
                                : "PAP password of " + shown + " is wrong", AuthMethod.PROTOCOL_PAP,
                        AuthPacket.encode(Pap.AUTH_NAK, id, AuthPacket.octet(msg.length), msg));
            }
            default -> {
                return unusable("proxy authentication for " + method + " is not supported");
            }
        }
    }

    private static Verdict unusable(String why) {
        return new Verdict(false, false, why, 0, null);
    }

    private static Verdict wrong(String why, int protocol, ByteBuf answer) {
        return new Verdict(false, true, why, protocol, answer);
    }
}
