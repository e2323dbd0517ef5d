package io.jl2tp.l2tp.tunnel;

import io.jl2tp.l2tp.util.PeerText;
import io.jl2tp.l2tp.wire.Avp;
import io.jl2tp.l2tp.wire.AvpType;
import io.jl2tp.l2tp.wire.AvpValue;
import io.jl2tp.l2tp.wire.ControlMessage;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The Proxy LCP and Authentication AVPs of an ICCN, RFC 2661 §4.4.5 (types 26–33): LCP as the
 * LAC negotiated it and the PPP authentication it carried out, for the LNS to take over. Values
 * are kept as on the wire; what they mean to PPP is ppp-core's business (the application joins
 * the two). {@link #toString()} never shows the Authen Response (a PAP password, or a CHAP
 * response open to an offline guess).
 *
 * @param initialReceived Initial Received LCP CONFREQ (26): options of the client's first request, or null
 * @param lastSent        Last Sent LCP CONFREQ (27): options of the LAC's final request, or null
 * @param lastReceived    Last Received LCP CONFREQ (28): options of the client's final request, or null
 * @param authenType      Proxy Authen Type (29, §10.5), or -1 if absent
 * @param authenName      Proxy Authen Name (30), or null
 * @param challenge       Proxy Authen Challenge (31), or null
 * @param authenId        Proxy Authen ID (32), 0–255, or -1 if absent
 * @param response        Proxy Authen Response (33), or null
 */
public record ProxyAvps(byte[] initialReceived, byte[] lastSent, byte[] lastReceived, int authenType, String authenName,
                        byte[] challenge, int authenId, byte[] response) {

    /** Longest LCP CONFREQ body taken: an LCP packet fits the default MRU (RFC 1661 §6.1). */
    public static final int MAX_CONFREQ = 1500;
    /** Longest Authen Name taken (pppd's MAXNAMELEN 256 with its NUL). */
    public static final int MAX_NAME = 255;
    /** Longest Challenge / Response taken: their PPP fields have a one-octet length (RFC 1994 §4.1, RFC 1334 §2.2.1). */
    public static final int MAX_VALUE = 255;

    public ProxyAvps {
        initialReceived = copy(initialReceived);
        lastSent = copy(lastSent);
        lastReceived = copy(lastReceived);
        challenge = copy(challenge);
        response = copy(response);
    }

    private static byte[] copy(byte[] b) {
        return b == null ? null : b.clone();
    }

    @Override
    public byte[] initialReceived() {
        return copy(initialReceived);
    }

    @Override
    public byte[] lastSent() {
        return copy(lastSent);
    }

    @Override
    public byte[] lastReceived() {
        return copy(lastReceived);
    }

    @Override
    public byte[] challenge() {
        return copy(challenge);
    }

    @Override
    public byte[] response() {
        return copy(response);
    }

    /** True if any of the proxy LCP AVPs is present. */
    public boolean hasLcp() {
        return initialReceived != null || lastSent != null || lastReceived != null;
    }

    /** True if the Proxy Authen Type AVP is present (§4.4.5: "MUST be present if proxy authentication is to be utilized"). */
    public boolean hasAuth() {
        return authenType >= 0;
    }

    /**
     * The AVPs for an ICCN, each through {@code hide} (§4.4.5: all of them "may be hidden"; the
     * tunnel hides them when configured to, which matters most for a PAP password). M bit 0: an
     * LNS that does not implement them ignores them (§4.1).
     */
    public List<Avp> toAvps(UnaryOperator<Avp> hide) {
        List<Avp> avps = new ArrayList<>();
        addBytes(avps, hide, AvpType.INITIAL_RECEIVED_LCP_CONFREQ, initialReceived);
        addBytes(avps, hide, AvpType.LAST_SENT_LCP_CONFREQ, lastSent);
        addBytes(avps, hide, AvpType.LAST_RECEIVED_LCP_CONFREQ, lastReceived);
        if (authenType >= 0) {
            avps.add(hide.apply(Avp.of(AvpType.PROXY_AUTHEN_TYPE, false, new AvpValue.U16(authenType))));
        }
        if (authenName != null) {
            avps.add(hide.apply(Avp.of(AvpType.PROXY_AUTHEN_NAME, false, new AvpValue.Text(authenName))));
        }
        addBytes(avps, hide, AvpType.PROXY_AUTHEN_CHALLENGE, challenge);
        if (authenId >= 0) {
            avps.add(hide.apply(Avp.of(AvpType.PROXY_AUTHEN_ID, false, new AvpValue.U16(authenId))));
        }
        addBytes(avps, hide, AvpType.PROXY_AUTHEN_RESPONSE, response);
        return avps;
    }

    private static void addBytes(List<Avp> avps, UnaryOperator<Avp> hide, int type, byte[] v) {
        if (v != null) {
            avps.add(hide.apply(Avp.of(type, false, new AvpValue.Bytes(v))));
        }
    }

    /** What an ICCN carried: the values, or why they cannot be used (then {@code avps} is null). */
    public record Parsed(ProxyAvps avps, String rejected) {
    }

    /**
     * The proxy AVPs of an ICCN (hidden ones already revealed by the codec). Null if it has
     * none. Values a LAC should never send — a CONFREQ or name longer than any PPP packet or
     * name, an ID whose high octet is not 0 (§4.4.5: "MUST be 0"), a type without the AVPs §4.4.5
     * says MUST accompany it — make the whole set unusable: {@link Parsed#rejected()} says why
     * (peer text escaped), and the LNS negotiates PPP as if none had come.
     */
    public static Parsed from(ControlMessage iccn) {
        Avp ir = iccn.find(AvpType.INITIAL_RECEIVED_LCP_CONFREQ);
        Avp ls = iccn.find(AvpType.LAST_SENT_LCP_CONFREQ);
        Avp lr = iccn.find(AvpType.LAST_RECEIVED_LCP_CONFREQ);
        Avp type = iccn.find(AvpType.PROXY_AUTHEN_TYPE);
        Avp name = iccn.find(AvpType.PROXY_AUTHEN_NAME);
        Avp chal = iccn.find(AvpType.PROXY_AUTHEN_CHALLENGE);
        Avp id = iccn.find(AvpType.PROXY_AUTHEN_ID);
        Avp resp = iccn.find(AvpType.PROXY_AUTHEN_RESPONSE);
        if (ir == null && ls == null && lr == null && type == null && name == null && chal == null && id == null
                && resp == null) {
            return null;
        }
        for (Avp a : new Avp[] {ir, ls, lr}) {
            if (a != null && a.bytes().length > MAX_CONFREQ) {
                return rejected(AvpType.name(a.type()) + " of " + a.bytes().length + " octets (at most " + MAX_CONFREQ + ")");
            }
        }
        int t = type == null ? -1 : type.u16();
        if (type != null && t < 0) {
            return rejected("Proxy Authen Type is not a 16-bit value");
        }
        String n = null;
        if (name != null) {
            byte[] raw = name.bytes();
            if (raw.length > MAX_NAME) {
                return rejected("Proxy Authen Name of " + raw.length + " octets (at most " + MAX_NAME + ")");
            }
            // PPP names are octets; pppd and our secrets files read them as UTF-8.
            n = new String(raw, StandardCharsets.UTF_8);
        }
        if (chal != null && (chal.bytes().length == 0 || chal.bytes().length > MAX_VALUE)) {
            return rejected("Proxy Authen Challenge of " + chal.bytes().length + " octets (1.." + MAX_VALUE + ")");
        }
        if (resp != null && resp.bytes().length > MAX_VALUE) {
            return rejected("Proxy Authen Response of " + resp.bytes().length + " octets (at most " + MAX_VALUE + ")");
        }
        int i = id == null ? -1 : id.u16();
        if (id != null && (i < 0 || i > 255)) {
            return rejected("Proxy Authen ID " + i + ": the most significant octet MUST be 0");
        }
        // §4.4.5: Name MUST accompany types 1, 2, 3, 5; Challenge types 2, 5; ID types 2, 3, 5.
        if ((t == 1 || t == 2 || t == 3 || t == 5) && n == null) {
            return rejected("Proxy Authen Type " + t + " without Proxy Authen Name");
        }
        if ((t == 2 || t == 5) && chal == null) {
            return rejected("Proxy Authen Type " + t + " without Proxy Authen Challenge");
        }
        if ((t == 2 || t == 3 || t == 5) && i < 0) {
            return rejected("Proxy Authen Type " + t + " without Proxy Authen ID");
        }
        return new Parsed(new ProxyAvps(ir == null ? null : ir.bytes(), ls == null ? null : ls.bytes(),
                lr == null ? null : lr.bytes(), t, n, chal == null ? null : chal.bytes(), i,
                resp == null ? null : resp.bytes()), null);
    }

    private static Parsed rejected(String why) {
        return new Parsed(null, PeerText.escape(why));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProxyAvps p && java.util.Arrays.equals(p.initialReceived, initialReceived)
                && java.util.Arrays.equals(p.lastSent, lastSent) && java.util.Arrays.equals(p.lastReceived, lastReceived)
                && p.authenType == authenType && java.util.Objects.equals(p.authenName, authenName)
                && java.util.Arrays.equals(p.challenge, challenge) && p.authenId == authenId
                && java.util.Arrays.equals(p.response, response);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(authenType, authenName, authenId) * 31 + java.util.Arrays.hashCode(lastSent);
    }

    @Override
    public String toString() {
        return "ProxyAvps[lcp=" + hasLcp() + ", authenType=" + authenType + ", authenId=" + authenId + ", response="
                + (response == null ? "none" : "(" + response.length + " octets)") + "]";
    }
}
