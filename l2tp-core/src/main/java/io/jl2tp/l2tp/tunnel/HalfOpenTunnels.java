package io.jl2tp.l2tp.tunnel;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;

/**
 * The LNS's tunnels not yet established (idle with the SCCRQ not yet delivered, or wait-ctl-conn:
 * SCCRP sent, no SCCCN), oldest first, in all and per peer
 * address, so that the caps of {@link EndpointLimits} are enforced in O(1) per SCCRQ (issue 11
 * row 1). Threads: the endpoint's event loop.
 */
final class HalfOpenTunnels {

    private final LinkedHashSet<Tunnel> all = new LinkedHashSet<>();
    private final Map<InetAddress, LinkedHashSet<Tunnel>> byPeer = new HashMap<>();

    void add(Tunnel t) {
        if (all.add(t)) {
            byPeer.computeIfAbsent(t.peer().getAddress(), k -> new LinkedHashSet<>()).add(t);
        }
    }

    void remove(Tunnel t) {
        if (all.remove(t)) {
            LinkedHashSet<Tunnel> same = byPeer.get(t.peer().getAddress());
            if (same != null && same.remove(t) && same.isEmpty()) {
                byPeer.remove(t.peer().getAddress());
            }
        }
    }

    int size() {
        return all.size();
    }

    /**
     * The oldest half-open tunnel to drop because {@code newest} took a cap over its limit —
     * first the per-peer cap of newest's address, then the total — or null if within both.
     */
    Tunnel overCap(Tunnel newest, EndpointLimits limits) {
        LinkedHashSet<Tunnel> same = byPeer.get(newest.peer().getAddress());
        if (same != null && same.size() > limits.halfOpenTunnelsPerPeer()) {
            return same.iterator().next();
        }
        if (all.size() > limits.halfOpenTunnelsTotal()) {
            return all.iterator().next();
        }
        return null;
    }
}
