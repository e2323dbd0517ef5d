package io.jl2tp.l2tp.tunnel;

/**
 * Caps on state a remote peer can make an LNS hold before it has completed a handshake (issue 11
 * rows 1 and 2). When a cap is reached the oldest half-open tunnel or call is dropped to make
 * room, so a flood cannot lock out a legitimate peer that arrives later.
 *
 * @param halfOpenTunnelsPerPeer tunnels not yet established (SCCRQ received, no SCCCN yet) from one IP address
 * @param halfOpenTunnelsTotal   such tunnels in all
 * @param halfOpenCallsPerTunnel calls in wait-connect (ICRP sent, no ICCN yet) in one tunnel
 * @param queuedPerTunnel        control messages a tunnel may have waiting for the peer's window
 *                               before the LNS defers the peer's next ICRQ (not acknowledged, so
 *                               the peer's window and RFC 2661 §5.8 retransmission pace it)
 */
public record EndpointLimits(int halfOpenTunnelsPerPeer, int halfOpenTunnelsTotal, int halfOpenCallsPerTunnel,
                             int queuedPerTunnel) {

    /** 16 per peer address, 1024 in all, 64 calls per tunnel, 16 queued messages per tunnel. */
    public static final EndpointLimits DEFAULTS = new EndpointLimits(16, 1024, 64, 16);

    /** Validates. */
    public EndpointLimits {
        if (halfOpenTunnelsPerPeer < 1 || halfOpenTunnelsTotal < halfOpenTunnelsPerPeer || halfOpenCallsPerTunnel < 1
                || queuedPerTunnel < 1) {
            throw new IllegalArgumentException("limits must be >= 1 and total >= per peer: " + halfOpenTunnelsPerPeer
                    + "/" + halfOpenTunnelsTotal + "/" + halfOpenCallsPerTunnel + "/" + queuedPerTunnel);
        }
    }

    /** The given half-open caps with the default {@link #queuedPerTunnel}. */
    public EndpointLimits(int halfOpenTunnelsPerPeer, int halfOpenTunnelsTotal, int halfOpenCallsPerTunnel) {
        this(halfOpenTunnelsPerPeer, halfOpenTunnelsTotal, halfOpenCallsPerTunnel, 16);
    }
}
