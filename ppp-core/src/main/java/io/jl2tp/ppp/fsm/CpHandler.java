package io.jl2tp.ppp.fsm;

import io.jl2tp.ppp.wire.CpOption;
import io.jl2tp.ppp.wire.CpPacket;
import io.jl2tp.ppp.wire.PppProtocolException;

import java.util.List;

/**
 * What one control protocol (LCP, IPCP, IPV6CP) plugs into the shared automaton — the idea of
 * pppd's {@code fsm_callbacks}: option handling for both directions and the layer events.
 * All calls happen on the link's event loop.
 */
public interface CpHandler {

    /** The answer to a peer's Configure-Request: ACK, NAK or REJ with the options to send. */
    record ReqResult(int code, List<CpOption> options) {
    }

    /** Reset our wishes to the configured ones before a fresh negotiation. */
    void resetci();

    /** Our Configure-Request options, in order. */
    List<CpOption> addci();

    /** The peer acknowledged our request (the FSM already checked it matches exactly). */
    default void ackci(List<CpOption> acked) throws PppProtocolException {
        // IPCP and IPV6CP take what they negotiated from Naks and the peer's requests
    }

    /** A Configure-Nak: adjust our wishes. Returns false if it is bad (then it is discarded). */
    boolean nakci(List<CpOption> nak) throws PppProtocolException;

    /** A Configure-Reject: stop asking for those options. False if bad (discarded, §5.4). */
    boolean rejci(List<CpOption> rejected) throws PppProtocolException;

    /**
     * Judge the peer's request (pppd reqci): ACK with the same options, NAK with values we can
     * accept, or REJ with the options we do not recognise/allow. {@code rejectIfDisagree} tells
     * the handler Max-Failure was reached; the automaton itself then turns a NAK into a Reject of
     * the Nak'd options (RFC 1661 §4.6), so handlers need not act on it.
     */
    ReqResult reqci(List<CpOption> request, boolean rejectIfDisagree) throws PppProtocolException;

    /** This-Layer-Up. */
    void up();

    /** This-Layer-Down. */
    void down();

    /** This-Layer-Started. */
    default void starting() {
    }

    /** This-Layer-Finished. */
    void finished();

    /** Codes beyond 1–7 (LCP: Protocol-Reject, Echo, Discard). True if handled. */
    default boolean extcode(CpPacket packet) {
        return false;
    }
}
