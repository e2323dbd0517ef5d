package io.jl2tp.ppp.fsm;

/** The events of RFC 1661 §4.3. */
public enum Event {
    UP("Up"), DOWN("Down"), OPEN("Open"), CLOSE("Close"), TO_PLUS("TO+"), TO_MINUS("TO-"),
    RCR_PLUS("RCR+"), RCR_MINUS("RCR-"), RCA("RCA"), RCN("RCN"), RTR("RTR"), RTA("RTA"), RUC("RUC"),
    RXJ_PLUS("RXJ+"), RXJ_MINUS("RXJ-"), RXR("RXR");

    private final String rfcName;

    Event(String rfcName) {
        this.rfcName = rfcName;
    }

    /** The name used in RFC 1661's table. */
    public String rfcName() {
        return rfcName;
    }
}
