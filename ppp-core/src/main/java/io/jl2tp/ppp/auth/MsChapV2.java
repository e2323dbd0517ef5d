package io.jl2tp.ppp.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import org.bouncycastle.crypto.digests.MD4Digest;
import org.bouncycastle.crypto.digests.SHA1Digest;
import org.bouncycastle.crypto.engines.DESEngine;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * MS-CHAPv2, RFC 2759: the §8 algorithms (MD4, SHA-1 and DES from BouncyCastle) and the
 * §4–§6 message formats, as a {@link ChapDigest}.
 *
 * <p>Threads: stateless; safe from any thread.
 */
public final class MsChapV2 implements ChapDigest {

    /** The shared instance (stateless). */
    public static final MsChapV2 INSTANCE = new MsChapV2();

    /** RFC 2759 §3: the Challenge Value is 16 octets. */
    public static final int CHALLENGE_LEN = 16;
    /** RFC 2759 §4: Response Value = 16 peer challenge + 8 zero + 24 NT-Response + 1 flags. */
    public static final int RESPONSE_LEN = 49;

    /** RFC 2759 §8.7 Magic1: "Magic server to client signing constant". */
    private static final byte[] MAGIC1 = "Magic server to client signing constant".getBytes(StandardCharsets.US_ASCII);
    /** RFC 2759 §8.7 Magic2: "Pad to make it do more than one iteration". */
    private static final byte[] MAGIC2 = "Pad to make it do more than one iteration".getBytes(StandardCharsets.US_ASCII);

    private MsChapV2() {
    }

    // ---- RFC 2759 §8 algorithms -------------------------------------------------------

    /** RFC 2759 §4: the user name without a prepended "DOMAIN\" (the part after the last '\'). */
    public static String stripDomain(String userName) {
        int i = userName.lastIndexOf('\\');
        return i < 0 ? userName : userName.substring(i + 1);
    }

    /** RFC 2759 §8.2 ChallengeHash: first 8 octets of SHA1(peer ‖ auth ‖ user name). */
    public static byte[] challengeHash(byte[] peerChallenge, byte[] authChallenge, String userName) {
        // §8.2: "Only the user name (as presented by the peer and excluding any prepended
        // domain name) is used as input to SHAUpdate()."
        byte[] user = stripDomain(userName).getBytes(StandardCharsets.UTF_8);
        return Arrays.copyOf(ChapDigest.hash(new SHA1Digest(), peerChallenge, authChallenge, user), 8);
    }

    /** RFC 2759 §8.3 NtPasswordHash: MD4 of the UTF-16LE password, no terminator. */
    public static byte[] ntPasswordHash(byte[] unicodePassword) {
        return md4(unicodePassword);
    }

    /** RFC 2759 §8.4 HashNtPasswordHash: MD4 of the password hash. */
    public static byte[] hashNtPasswordHash(byte[] passwordHash) {
        return md4(passwordHash);
    }

    /** RFC 2759 §8.5 ChallengeResponse: three DES encryptions under the zero-padded hash. */
    public static byte[] challengeResponse(byte[] challenge, byte[] passwordHash) {
        byte[] z = Arrays.copyOf(passwordHash, 21);
        byte[] out = new byte[24];
        for (int i = 0; i < 3; i++) {
            desEncrypt(challenge, z, i * 7, out, i * 8);
        }
        return out;
    }

    /** RFC 2759 §8.1 GenerateNTResponse. */
    public static byte[] generateNtResponse(byte[] authChallenge, byte[] peerChallenge, String userName,
                                            byte[] unicodePassword) {
        byte[] challenge = challengeHash(peerChallenge, authChallenge, userName);
        byte[] hash = ntPasswordHash(unicodePassword);
        byte[] r = challengeResponse(challenge, hash);
        Arrays.fill(hash, (byte) 0);
        return r;
    }

    /** RFC 2759 §8.7 GenerateAuthenticatorResponse: "S=" and 40 upper-case hex digits. */
    public static String generateAuthenticatorResponse(byte[] unicodePassword, byte[] ntResponse,
                                                       byte[] peerChallenge, byte[] authChallenge,
                                                       String userName) {
        byte[] hash = ntPasswordHash(unicodePassword);
        byte[] hashHash = hashNtPasswordHash(hash);
        Arrays.fill(hash, (byte) 0);
        byte[] digest = ChapDigest.hash(new SHA1Digest(), Arrays.copyOf(hashHash, 16), Arrays.copyOf(ntResponse, 24), MAGIC1);
        byte[] challenge = challengeHash(peerChallenge, authChallenge, userName);
        digest = ChapDigest.hash(new SHA1Digest(), digest, challenge, MAGIC2);
        // §5: "The hexadecimal digits A-F (if present) MUST be uppercase."
        return "S=" + AuthPacket.hex(digest).toUpperCase(Locale.ROOT);
    }

    /**
     * RFC 2759 §8.6 DesEncrypt: encrypts 8 octets of {@code clear} under the 7-octet key at
     * {@code key[keyOff..keyOff+7)}, expanded to 8 octets with odd parity (§9.3).
     */
    static void desEncrypt(byte[] clear, byte[] key, int keyOff, byte[] out, int outOff) {
        DESEngine des = new DESEngine();
        des.init(true, new KeyParameter(expandDesKey(key, keyOff)));
        des.processBlock(clear, 0, out, outOff);
    }

    /** Spreads 56 key bits over 8 octets (7 bits each, high bits first) and sets odd parity (RFC 2759 §9.3). */
    static byte[] expandDesKey(byte[] k, int off) {
        byte[] out = new byte[8];
        long bits = 0;
        for (int i = 0; i < 7; i++) {
            bits = (bits << 8) | (k[off + i] & 0xFF);
        }
        for (int i = 0; i < 8; i++) {
            int seven = (int) (bits >>> (49 - 7 * i)) & 0x7F;
            int b = seven << 1;
            out[i] = (byte) (Integer.bitCount(seven) % 2 == 0 ? b | 1 : b);
        }
        return out;
    }

    private static byte[] md4(byte[] in) {
        return ChapDigest.hash(new MD4Digest(), in);
    }

    // ---- ChapDigest ---------------------------------------------------------------------

    @Override
    public AuthMethod method() {
        return AuthMethod.MSCHAP_V2;
    }

    @Override
    public byte[] newChallenge(SecureRandom random) {
        byte[] c = new byte[CHALLENGE_LEN];
        random.nextBytes(c);
        return c;
    }

    @Override
    public PeerResponse respond(int id, byte[] challenge, String ourName, Secret secret, SecureRandom random) {
        byte[] peerChallenge = new byte[16];
        random.nextBytes(peerChallenge);
        return respond(challenge, peerChallenge, ourName, secret);
    }

    /** The peer's Response for a given peer challenge (deterministic; used by tests with RFC vectors). */
    PeerResponse respond(byte[] challenge, byte[] peerChallenge, String ourName, Secret secret) {
        byte[] pw = secret.unicode();
        // §4: a 16-octet Challenge; anything else cannot be answered meaningfully, but a
        // response is still computed over what was sent so the authenticator decides.
        byte[] nt = generateNtResponse(challenge, peerChallenge, ourName, pw);
        String expected = generateAuthenticatorResponse(pw, nt, peerChallenge, challenge, ourName);
        Arrays.fill(pw, (byte) 0);
        byte[] value = new byte[RESPONSE_LEN];
        System.arraycopy(peerChallenge, 0, value, 0, 16);
        System.arraycopy(nt, 0, value, 24, 24);
        // value[16..24) reserved, MUST be zero; value[48] Flags "MUST be zero" (§4).
        return new PeerResponse(value, message -> {
            // §5: "The authenticating peer MUST verify the authenticator response when a
            // Success packet is received. [...] If the authenticator response is either
            // missing or incorrect, the peer MUST end the session."
            if (message.length() < 42 || !message.startsWith("S=")) {
                return Optional.of("MS-CHAPv2 Success without authenticator response");
            }
            String got = message.substring(0, 42);
            if (!MessageDigest.isEqual(got.toUpperCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII),
                    expected.getBytes(StandardCharsets.US_ASCII))) {
                return Optional.of("MS-CHAPv2 mutual authentication failed: wrong authenticator response");
            }
            return Optional.empty();
        }, message -> {
            int m = message.indexOf("M=");
            return m < 0 ? "" : message.substring(m + 2);
        });
    }

    @Override
    public Verdict verify(int id, String peerName, Secret secret, byte[] challenge, byte[] value) {
        if (value.length != RESPONSE_LEN) {
            return new Verdict(false, failureMessage(challenge));
        }
        byte[] peerChallenge = Arrays.copyOfRange(value, 0, 16);
        byte[] nt = Arrays.copyOfRange(value, 24, 48);
        byte[] pw = secret.unicode();
        byte[] expected = generateNtResponse(challenge, peerChallenge, peerName, pw);
        boolean ok = MessageDigest.isEqual(expected, nt);
        // §4: Flags "MUST be zero"; pppd ignores a non-zero value and so do we (lenient receive).
        String msg = ok
                ? generateAuthenticatorResponse(pw, nt, peerChallenge, challenge, peerName) + " M=Access granted"
                : failureMessage(challenge);
        Arrays.fill(pw, (byte) 0);
        return new Verdict(ok, msg);
    }

    @Override
    public String failureMessage(byte[] challenge) {
        // §6: "E=eeeeeeeeee R=r C=cccc… V=vvvvvvvvvv M=<msg>"; C "MUST be exactly 32 octets
        // long and MUST be present". R=0: we do not offer a retry.
        return "E=691 R=0 C=" + AuthPacket.hex(Arrays.copyOf(challenge, 16)).toUpperCase(Locale.ROOT)
                + " V=3 M=Authentication failed";
    }

    @Override
    public String failureReason(String message) {
        return "MS-CHAPv2 authentication failed: " + describeFailure(message);
    }

    /** Turns "E=691 R=0 C=… V=3 M=text" into "error 691 (authentication failure): text". */
    static String describeFailure(String message) {
        String code = field(message, "E=");
        String text = "";
        int m = message.indexOf("M=");
        if (m >= 0) {
            text = message.substring(m + 2).trim();
        }
        if (code == null) {
            return message.isEmpty() ? "Failure without message" : message;
        }
        String name = switch (code) {
            case "646" -> "restricted logon hours";
            case "647" -> "account disabled";
            case "648" -> "password expired";
            case "649" -> "no dial-in permission";
            case "691" -> "authentication failure";
            case "709" -> "error changing password";
            default -> "unknown error";
        };
        return "error " + code + " (" + name + ")" + (text.isEmpty() ? "" : ": " + text);
    }

    /** The value of "K=value" up to the next space, or null if absent. */
    private static String field(String message, String key) {
        int i = message.startsWith(key) ? 0 : message.indexOf(" " + key);
        if (i < 0) {
            return null;
        }
        int start = i == 0 ? key.length() : i + 1 + key.length();
        int end = message.indexOf(' ', start);
        return message.substring(start, end < 0 ? message.length() : end);
    }
}
