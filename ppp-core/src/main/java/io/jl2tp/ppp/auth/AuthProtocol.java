package io.jl2tp.ppp.auth;

import io.netty.buffer.ByteBuf;

/**
 * One direction of authentication (we as peer, or we as authenticator) on one link, for one
 * method. All calls are made on the link's event loop; implementations take no locks.
 */
public interface AuthProtocol {

    /** The PPP protocol number whose packets this instance consumes (0xC023 or 0xC223). */
    int protocol();

    /** The method this instance runs. */
    AuthMethod method();

    /** The Authenticate phase began (RFC 1661 §3.5): send the first request/challenge. */
    void start();

    /**
     * One received packet of this protocol, starting at the Code octet (after the PPP
     * protocol field). The callee does not retain or release it. Malformed packets are
     * dropped silently (logged at DEBUG); this method never throws for bad input.
     */
    void input(ByteBuf packet);

    /** The link is going down: cancel timers; no further sends or callbacks. Idempotent. */
    void stop();
}
