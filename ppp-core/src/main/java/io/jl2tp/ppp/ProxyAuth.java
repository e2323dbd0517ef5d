package io.jl2tp.ppp;

import java.util.Arrays;

/**
 * The PPP authentication a LAC carried out with the client, as RFC 2661 §4.4.5's Proxy Authen
 * AVPs (types 29–33) carry it. {@link #toString()} never shows the response (a PAP password, or
 * a CHAP response an eavesdropper could try to crack).
 *
 * @param type      Proxy Authen Type (§4.4.5, §10.5): {@link #CHAP}, {@link #PAP}, {@link #NONE}, …
 * @param name      the name in the client's Response / Authenticate-Request (AVP 30), or null
 * @param challenge the CHAP Challenge the LAC sent (AVP 31), or null
 * @param id        the Identifier of that Challenge or of the PAP Authenticate-Request (AVP 32, 0–255), or -1
 * @param response  the CHAP Response Value, or the PAP password (AVP 33), or null
 */
public record ProxyAuth(int type, String name, byte[] challenge, int id, byte[] response) {

    /** Authen Type 2: PPP CHAP (with the LCP-negotiated algorithm; jl2tp: MD5). */
    public static final int CHAP = 2;
    /** Authen Type 3: PPP PAP. */
    public static final int PAP = 3;
    /** Authen Type 4: no authentication. */
    public static final int NONE = 4;

    public ProxyAuth {
        challenge = challenge == null ? null : challenge.clone();
        response = response == null ? null : response.clone();
    }

    @Override
    public byte[] challenge() {
        return challenge == null ? null : challenge.clone();
    }

    @Override
    public byte[] response() {
        return response == null ? null : response.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProxyAuth p && p.type == type && java.util.Objects.equals(p.name, name)
                && Arrays.equals(p.challenge, challenge) && p.id == id && Arrays.equals(p.response, response);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(type, name, id) * 31 + Arrays.hashCode(challenge);
    }

    @Override
    public String toString() {
        return "ProxyAuth[type=" + type + ", id=" + id + ", challenge=" + (challenge == null ? "none" : challenge.length + " octets")
                + ", response=" + (response == null ? "none" : "(" + response.length + " octets)") + "]";
    }
}
