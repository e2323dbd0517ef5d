package io.jl2tp.ppp.fsm;

/** The ten states of the RFC 1661 §4.2 automaton. */
public enum State {
    INITIAL("Initial"), STARTING("Starting"), CLOSED("Closed"), STOPPED("Stopped"), CLOSING("Closing"),
    STOPPING("Stopping"), REQ_SENT("Req-Sent"), ACK_RCVD("Ack-Rcvd"), ACK_SENT("Ack-Sent"), OPENED("Opened");

    private final String rfcName;

    State(String rfcName) {
        this.rfcName = rfcName;
    }

    /** The name used in RFC 1661's table. */
    public String rfcName() {
        return rfcName;
    }
}
