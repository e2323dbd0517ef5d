package io.jl2tp.l2tp.tunnel;

/**
 * Caps on state a remote peer can make an LNS hold before it has completed a handshake (issue 11
 * rows 1 and 2). When a cap is reached the oldest half-open tunnel or call is dropped to make
 * room, so a flood cannot lock out a legitimate peer that arrives later.
 *
 * @param halfOpenTunnelsPerPeer tunnels in wait-ctl-conn (SCCRP sent, no SCCCN yet) from one IP address
 * @param halfOpenTunnelsTotal   such tunnels in all
 * @param halfOpenCallsPerTunnel calls in wait-connect (ICRP sent, no ICCN yet) in one tunnel
 */
public record EndpointLimits(int halfOpenTunnelsPerPeer, int halfOpenTunnelsTotal, int halfOpenCallsPerTunnel) {

    /** 16 per peer address, 1024 in all, 64 calls per tunnel. */
    public static final EndpointLimits DEFAULTS = new EndpointLimits(16, 1024, 64);

    /** Validates. */
    public EndpointLimits {
        if (halfOpenTunnelsPerPeer < 1 || halfOpenTunnelsTotal < halfOpenTunnelsPerPeer || halfOpenCallsPerTunnel < 1) {
            throw new IllegalArgumentException("limits must be >= 1 and total >= per peer: " + halfOpenTunnelsPerPeer
                    + "/" + halfOpenTunnelsTotal + "/" + halfOpenCallsPerTunnel);
        }
    }
}
