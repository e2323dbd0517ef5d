package io.jl2tp.ppp.auth;

import java.util.Arrays;
import java.util.Optional;

/**
 * The PPP authentication methods jl2tp speaks, with their protocol numbers and the data of
 * the LCP Authentication-Protocol option (type 3) that selects them (RFC 1661 §6.2,
 * RFC 1334 §3.1, RFC 1994 §3, RFC 2759 §2).
 */
public enum AuthMethod {
    /** Password Authentication Protocol, RFC 1334: option data {@code C0 23}. */
    PAP(0xC023, new byte[] {(byte) 0xC0, 0x23}),
    /** CHAP with MD5, RFC 1994: option data {@code C2 23 05}. */
    CHAP_MD5(0xC223, new byte[] {(byte) 0xC2, 0x23, 0x05}),
    /** Microsoft CHAP version 2, RFC 2759: option data {@code C2 23 81}. */
    MSCHAP_V2(0xC223, new byte[] {(byte) 0xC2, 0x23, (byte) 0x81});

    /** PPP protocol number of PAP (RFC 1334 §3.1). */
    public static final int PROTOCOL_PAP = 0xC023;
    /** PPP protocol number of CHAP, any digest (RFC 1994 §3). */
    public static final int PROTOCOL_CHAP = 0xC223;

    private final int protocol;           // PPP protocol number carrying this method's packets
    private final byte[] lcpOptionData;   // Authentication-Protocol option data (without type/length)

    AuthMethod(int protocol, byte[] lcpOptionData) {
        this.protocol = protocol;
        this.lcpOptionData = lcpOptionData;
    }

    /** The PPP protocol number of this method's packets: 0xC023 (PAP) or 0xC223 (CHAP). */
    public int protocol() {
        return protocol;
    }

    /** A fresh copy of the LCP Authentication-Protocol option data selecting this method. */
    public byte[] lcpOptionData() {
        return lcpOptionData.clone();
    }

    /**
     * The method an LCP Authentication-Protocol option's data selects, or empty if we do not
     * support it (unknown protocol, unknown CHAP algorithm, wrong length). Never throws; a
     * {@code null} argument yields empty.
     */
    public static Optional<AuthMethod> fromLcpOption(byte[] data) {
        if (data == null) {
            return Optional.empty();
        }
        for (AuthMethod m : values()) {
            // RFC 1334 §3.1: PAP's option has no data after the protocol; RFC 1994 §3: CHAP's
            // has exactly one Algorithm octet. Anything longer or shorter is not ours.
            if (Arrays.equals(m.lcpOptionData, data)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }
}
