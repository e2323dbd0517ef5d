package io.jl2tp.ppp.auth;

import io.netty.buffer.ByteBuf;

/**
 * What an {@link AuthProtocol} reports to its link (implemented by {@code PppLink}). All
 * calls happen on the link's event loop. After {@link #succeeded} an authenticator may still
 * send re-challenges and the peer may still answer them; after {@link #failed} the protocol
 * sends nothing more.
 */
public interface AuthListener {

    /**
     * Sends one PAP/CHAP packet (Code, Identifier, Length, data — without the PPP protocol
     * field) as protocol {@code protocol}. Ownership of {@code packet} passes to the listener,
     * which must release it.
     */
    void send(int protocol, ByteBuf packet);

    /**
     * Authentication in this direction succeeded. {@code peerName} is the name the
     * authenticated party used (for an authenticator: the peer's name; for a peer: our own
     * name as we sent it); {@code message} is the human-readable message from the packet,
     * possibly empty (for MS-CHAPv2 the text after "M="). Called once, for the first
     * success; successful re-authentications (CHAP re-challenges) are not reported again.
     */
    void succeeded(String peerName, String message);

    /**
     * Authentication in this direction failed for good: {@code reason} is the peer's failure
     * message, {@code "timeout"}, {@code "no secret for …"} and the like. Never contains a
     * secret. The link should terminate LCP.
     */
    void failed(String reason);
}
