package io.jl2tp.l2tp.tunnel;

import io.jl2tp.l2tp.wire.AvpValue;

/** Lifecycle events of tunnels and sessions, delivered on the endpoint's event loop. */
public sealed interface L2tpEvent {

    /** The control connection is established (§7.2). */
    record TunnelUp(Tunnel tunnel) implements L2tpEvent {
    }

    /** The control connection is gone; {@code result} is the StopCCN result, if any. */
    record TunnelDown(Tunnel tunnel, String reason, AvpValue.ResultCodeValue result, boolean byPeer)
            implements L2tpEvent {
    }

    /** A call is established and its frame pipe is usable. */
    record SessionUp(Session session) implements L2tpEvent {
    }

    /** A call is gone; {@code result} is the CDN result, if any. */
    record SessionDown(Session session, String reason, AvpValue.ResultCodeValue result, boolean byPeer)
            implements L2tpEvent {
    }
}
