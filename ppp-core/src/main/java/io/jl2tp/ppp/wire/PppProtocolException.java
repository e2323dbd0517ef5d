package io.jl2tp.ppp.wire;

/** A malformed PPP frame or control packet. Checked: callers drop the packet and carry on. */
public final class PppProtocolException extends Exception {

    private static final long serialVersionUID = 1L;

    /** A protocol error with a readable detail. */
    public PppProtocolException(String message) {
        super(message, null, false, false);
    }
}
