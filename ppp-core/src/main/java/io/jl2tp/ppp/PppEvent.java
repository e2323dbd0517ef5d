package io.jl2tp.ppp;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.util.List;

/** What a {@link PppLink} reports to its user, on the link's event loop. */
public sealed interface PppEvent {

    /** RFC 1661 §3.2 phases. */
    enum Phase { DEAD, ESTABLISH, AUTHENTICATE, NETWORK, TERMINATE }

    /** Why the link went down. */
    enum Reason {
        /** The peer sent Terminate-Request. */
        PEER_TERMINATED,
        /** lcp-echo-failure Echo-Requests went unanswered. */
        ECHO_FAILURE,
        /** Authentication failed (either direction). */
        AUTH_FAILED,
        /** Options never converged, or the peer stopped answering (Max-Configure). */
        NEGOTIATION_FAILED,
        /** The L2TP session (lower layer) went away. */
        LOWER_DOWN,
        /** We closed the link. */
        ADMIN_CLOSE,
        /** Our own frames came back (equal magic numbers). */
        LOOPBACK
    }

    /** The link entered a phase. */
    record PhaseChanged(Phase phase) implements PppEvent {
    }

    /** Authentication finished successfully in one direction. */
    record Authenticated(boolean weAuthenticatedPeer, String method, String peerName) implements PppEvent {
    }

    /** IPCP is up: addresses and (with usepeerdns) DNS servers. */
    record IpUp(Inet4Address local, Inet4Address remote, List<Inet4Address> dns) implements PppEvent {
    }

    /** IPCP went down. */
    record IpDown() implements PppEvent {
    }

    /** IPV6CP is up: both link-local addresses. */
    record Ipv6Up(Inet6Address localLinkLocal, Inet6Address remoteLinkLocal) implements PppEvent {
    }

    /** IPV6CP went down. */
    record Ipv6Down() implements PppEvent {
    }

    /** The link is dead; {@code message} says why in words (e.g. the peer's CHAP failure text). */
    record Down(Reason reason, String message) implements PppEvent {
    }
}
