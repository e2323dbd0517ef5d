package io.jl2tp.ppp.auth;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;

/**
 * A password or CHAP secret: the octet string pppd would use (secrets files are byte
 * strings to pppd; escapes such as {@code \xff} yield raw octets). Its {@link #toString()}
 * never reveals the value, so a secret can travel through records, exceptions and log
 * statements without leaking. Immutable: the accessors return copies.
 */
public final class Secret {

    private final byte[] value;   // the secret's octets

    private Secret(byte[] value) {
        this.value = value;
    }

    /** A secret holding the UTF-8 encoding of {@code value} (not null; may be empty). */
    public static Secret of(String value) {
        return new Secret(Objects.requireNonNull(value, "value").getBytes(StandardCharsets.UTF_8));
    }

    /** A secret holding exactly {@code octets} (copied). */
    public static Secret ofBytes(byte[] octets) {
        return new Secret(Objects.requireNonNull(octets, "octets").clone());
    }

    /** The secret's octets as PAP and CHAP-MD5 use them. */
    public byte[] bytes() {
        return value.clone();
    }

    /**
     * The secret in UTF-16LE without terminator, as MS-CHAPv2 hashes it (RFC 2759 §8.3
     * "0-to-256-unicode-char Password"): the octets decoded as UTF-8; octets that are not
     * valid UTF-8 are zero-extended one by one, as pppd's {@code ascii2unicode} does.
     */
    public byte[] unicode() {
        try {
            String s = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(value)).toString();
            return s.getBytes(StandardCharsets.UTF_16LE);
        } catch (CharacterCodingException e) {
            byte[] u = new byte[value.length * 2];
            for (int i = 0; i < value.length; i++) {
                u[2 * i] = value[i];
            }
            return u;
        }
    }

    /** The secret as text (UTF-8 decoded); callers must not log or print it. */
    public String reveal() {
        return new String(value, StandardCharsets.UTF_8);
    }

    /** Whether the secret has no octets. */
    public boolean isEmpty() {
        return value.length == 0;
    }

    /** Constant-time comparison with a candidate password (for PAP). */
    public boolean matches(byte[] candidate) {
        return MessageDigest.isEqual(value, candidate);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret s && MessageDigest.isEqual(value, s.value);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(value);
    }

    /** Never the value: {@code Secret[***]}. */
    @Override
    public String toString() {
        return "Secret[***]";
    }
}
