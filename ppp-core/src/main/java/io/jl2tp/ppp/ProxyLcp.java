package io.jl2tp.ppp;

import java.util.Arrays;

/**
 * LCP as a LAC negotiated it, in the form of RFC 2661 §4.4.5's Proxy LCP AVPs: each value is
 * the body of an LCP Configure-Request "starting at the first option" (the options, without
 * Code, Identifier and Length). The directions are the LAC's: {@code lastSent} is the LAC's
 * own final request to the PPP client (on an LNS it becomes our side of the link),
 * {@code lastReceived} the client's final request (the peer's side).
 *
 * @param initialReceived the client's first Configure-Request (AVP 26); null if not sent
 * @param lastSent        the LAC's final Configure-Request to the client (AVP 27)
 * @param lastReceived    the client's final Configure-Request (AVP 28)
 */
public record ProxyLcp(byte[] initialReceived, byte[] lastSent, byte[] lastReceived) {

    public ProxyLcp {
        initialReceived = initialReceived == null ? null : initialReceived.clone();
        lastSent = lastSent == null ? null : lastSent.clone();
        lastReceived = lastReceived == null ? null : lastReceived.clone();
    }

    @Override
    public byte[] initialReceived() {
        return initialReceived == null ? null : initialReceived.clone();
    }

    @Override
    public byte[] lastSent() {
        return lastSent == null ? null : lastSent.clone();
    }

    @Override
    public byte[] lastReceived() {
        return lastReceived == null ? null : lastReceived.clone();
    }

    /** True when both final requests are present: without them there is nothing to take over. */
    public boolean complete() {
        return lastSent != null && lastReceived != null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProxyLcp p && Arrays.equals(p.initialReceived, initialReceived)
                && Arrays.equals(p.lastSent, lastSent) && Arrays.equals(p.lastReceived, lastReceived);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(initialReceived) + Arrays.hashCode(lastSent)) + Arrays.hashCode(lastReceived);
    }

    @Override
    public String toString() {
        return "ProxyLcp[initialReceived=" + len(initialReceived) + ", lastSent=" + len(lastSent) + ", lastReceived="
                + len(lastReceived) + "]";
    }

    private static String len(byte[] b) {
        return b == null ? "none" : b.length + " octets";
    }
}
