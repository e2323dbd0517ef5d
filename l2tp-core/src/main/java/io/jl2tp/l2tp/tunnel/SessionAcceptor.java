package io.jl2tp.l2tp.tunnel;

/** The LNS application's decision on a new call (e.g. start a PPP authenticator for it). */
@FunctionalInterface
public interface SessionAcceptor {

    /** Returns where the call's PPP frames go, or null to refuse the call (CDN). Event loop. */
    FrameReceiver accept(Session session);
}
