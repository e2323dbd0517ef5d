package io.jl2tp.ppp.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;

/**
 * A password or CHAP secret. Its {@link #toString()} never reveals the value, so a secret can
 * travel through records, exceptions and log statements without leaking. Immutable: the
 * accessors return copies.
 */
public final class Secret {

    private final String value;   // the secret as text (pppd secrets are text lines)

    private Secret(String value) {
        this.value = value;
    }

    /** A secret holding {@code value} (must not be null; may be empty). */
    public static Secret of(String value) {
        return new Secret(Objects.requireNonNull(value, "value"));
    }

    /** The secret's bytes as used by PAP and CHAP-MD5 (UTF-8; ASCII secrets are unchanged). */
    public byte[] utf8() {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The secret in UTF-16LE without terminator, as MS-CHAPv2 hashes it (RFC 2759 §8.3
     * "Password is a 0-to-256-unicode-char").
     */
    public byte[] unicode() {
        return value.getBytes(StandardCharsets.UTF_16LE);
    }

    /** The secret as text; callers must not log or print it. */
    public String reveal() {
        return value;
    }

    /** Whether the secret is the empty string. */
    public boolean isEmpty() {
        return value.isEmpty();
    }

    /** Constant-time comparison with a candidate password (for PAP). */
    public boolean matches(byte[] candidate) {
        return MessageDigest.isEqual(utf8(), candidate);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret s && MessageDigest.isEqual(utf8(), s.utf8());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(utf8());
    }

    /** Never the value: {@code Secret[***]}. */
    @Override
    public String toString() {
        return "Secret[***]";
    }
}
