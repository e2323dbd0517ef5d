package io.jl2tp.l2tp.tunnel;

import io.netty.buffer.ByteBuf;

/**
 * Receives the PPP frames of one session. Called on the endpoint's event loop with the buffer's
 * readable bytes being exactly the PPP frame (address/control and protocol fields included, as
 * the peer sent them); the receiver owns the buffer and must release it.
 */
@FunctionalInterface
public interface FrameReceiver {

    /** One PPP frame. */
    void frame(ByteBuf pppFrame);
}
