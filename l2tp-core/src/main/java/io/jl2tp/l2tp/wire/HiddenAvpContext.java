package io.jl2tp.l2tp.wire;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * What the codec needs for hidden AVPs (RFC 2661 §4.3): the tunnel's shared secret, if any, and
 * a source of Random Vectors. The secret is never printed.
 */
public final class HiddenAvpContext {

    /** A context with no secret: hidden AVPs cannot be read or written. */
    public static final HiddenAvpContext NONE = new HiddenAvpContext(null, new SecureRandom());

    private final byte[] secret;
    private final SecureRandom random;

    private HiddenAvpContext(byte[] secret, SecureRandom random) {
        this.secret = secret;
        this.random = random;
    }

    /** A context for {@code secret} (may be null or empty: no secret). */
    public static HiddenAvpContext of(byte[] secret) {
        if (secret == null || secret.length == 0) {
            return NONE; // nothing to hide, nothing to draw: one shared instance, not a SecureRandom per tunnel
        }
        return new HiddenAvpContext(secret.clone(), new SecureRandom());
    }

    /** A context with a given random source (tests use a seeded one). */
    public static HiddenAvpContext of(byte[] secret, SecureRandom random) {
        return new HiddenAvpContext(secret == null || secret.length == 0 ? null : secret.clone(), random);
    }

    /** True if a secret is configured. */
    public boolean hasSecret() {
        return secret != null;
    }

    /** A fresh 16-octet Random Vector. */
    byte[] newRandomVector() {
        byte[] rv = new byte[16];
        random.nextBytes(rv);
        return rv;
    }

    /** Fills {@code buf[from..]} with random padding octets (§4.3 Hidden AVP Subformat). */
    void fillPadding(byte[] buf, int from) {
        if (from < buf.length) {
            byte[] pad = new byte[buf.length - from];
            random.nextBytes(pad);
            System.arraycopy(pad, 0, buf, from, pad.length);
        }
    }

    /**
     * XORs {@code data} in place with the §4.3 key stream: b1 = MD5(type ‖ secret ‖ RV),
     * b(i) = MD5(secret ‖ c(i−1)), where c is the ciphertext. {@code encrypt} says whether
     * {@code data} is plaintext (its output is then the chaining input) or ciphertext.
     */
    void crypt(int attributeType, byte[] rv, byte[] data, boolean encrypt) {
        MessageDigest md5 = md5();
        md5.update((byte) (attributeType >>> 8));
        md5.update((byte) attributeType);
        md5.update(secret);
        md5.update(rv);
        byte[] b = md5.digest();
        for (int off = 0; off < data.length; off += 16) {
            int n = Math.min(16, data.length - off);
            byte[] cipherChunk = new byte[n];
            for (int i = 0; i < n; i++) {
                byte in = data[off + i];
                byte out = (byte) (in ^ b[i]);
                data[off + i] = out;
                cipherChunk[i] = encrypt ? out : in;
            }
            if (off + 16 < data.length) {
                md5.update(secret);
                md5.update(cipherChunk);
                b = md5.digest();
            }
        }
    }

    /**
     * Tunnel authentication (RFC 2661 §5.1.1 / §4.4.3 Challenge Response):
     * MD5(message type octet ‖ secret ‖ challenge), the type being 2 for SCCRP, 3 for SCCCN.
     */
    public byte[] challengeResponse(int messageType, byte[] challenge) {
        if (secret == null) {
            throw new IllegalStateException("tunnel authentication needs a shared secret");
        }
        MessageDigest md5 = md5();
        md5.update((byte) messageType);
        md5.update(secret);
        md5.update(challenge);
        return md5.digest();
    }

    static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 unavailable", e);
        }
    }

    @Override
    public String toString() {
        return secret == null ? "HiddenAvpContext[no secret]" : "HiddenAvpContext[secret ***]";
    }
}
