package io.jl2tp.app.harness.scenario;

/**
 * Something the harness does to a peer on cue — after a delay in a scenario file, or when a
 * line arrives on the control socket. All run on the harness's event loop.
 */
public sealed interface Action {

    /** RFC 2661 §6.4 StopCCN on every tunnel, with this Result Code (§4.4.2). */
    record StopCcn(int result, Integer error, String message) implements Action {
    }

    /**
     * RFC 2661 §6.12 CDN on every session with this Result Code; {@code disconnect} (nullable)
     * adds RFC 3145's PPP Disconnect Cause Code AVP (46) with that code, {@code q931} (nullable)
     * a Q.931 Cause Code AVP (12, RFC 2661 §4.4.5).
     */
    record Cdn(int result, Integer error, Integer disconnect, Integer q931, String message) implements Action {
    }

    /** RFC 1661 §5.5 LCP Terminate-Request on every session. */
    record LcpTerminate(String message) implements Action {
    }

    /** Send a message of this kind on every tunnel (or session, for SLI and WEN). */
    record Send(Kind kind) implements Action {
    }

    /** What {@link Send} sends. */
    enum Kind {
        /** RFC 2661 §6.16 Set-Link-Info (per session; the LNS's message). */
        SLI,
        /** RFC 2661 §6.15 WAN-Error-Notify (per session; the LAC's message). */
        WEN,
        /** RFC 5515 Connect-Speed-Update-Request (message type 29; per tunnel, listing its sessions). */
        CSURQ,
        /** RFC 2661 §6.5 HELLO. */
        HELLO,
        /** A HELLO carrying an unrecognised AVP with the M bit set: RFC 2661 §4.1 says the peer MUST tear the tunnel down. */
        UNKNOWN_MBIT_AVP
    }
}
