package io.jl2tp.ppp.fsm;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static io.jl2tp.ppp.fsm.Action.IRC;
import static io.jl2tp.ppp.fsm.Action.SCA;
import static io.jl2tp.ppp.fsm.Action.SCJ;
import static io.jl2tp.ppp.fsm.Action.SCN;
import static io.jl2tp.ppp.fsm.Action.SCR;
import static io.jl2tp.ppp.fsm.Action.SER;
import static io.jl2tp.ppp.fsm.Action.STA;
import static io.jl2tp.ppp.fsm.Action.STR;
import static io.jl2tp.ppp.fsm.Action.TLD;
import static io.jl2tp.ppp.fsm.Action.TLF;
import static io.jl2tp.ppp.fsm.Action.TLS;
import static io.jl2tp.ppp.fsm.Action.TLU;
import static io.jl2tp.ppp.fsm.Action.ZRC;
import static io.jl2tp.ppp.fsm.Event.CLOSE;
import static io.jl2tp.ppp.fsm.Event.DOWN;
import static io.jl2tp.ppp.fsm.Event.OPEN;
import static io.jl2tp.ppp.fsm.Event.RCA;
import static io.jl2tp.ppp.fsm.Event.RCN;
import static io.jl2tp.ppp.fsm.Event.RCR_MINUS;
import static io.jl2tp.ppp.fsm.Event.RCR_PLUS;
import static io.jl2tp.ppp.fsm.Event.RTA;
import static io.jl2tp.ppp.fsm.Event.RTR;
import static io.jl2tp.ppp.fsm.Event.RUC;
import static io.jl2tp.ppp.fsm.Event.RXJ_MINUS;
import static io.jl2tp.ppp.fsm.Event.RXJ_PLUS;
import static io.jl2tp.ppp.fsm.Event.RXR;
import static io.jl2tp.ppp.fsm.Event.TO_MINUS;
import static io.jl2tp.ppp.fsm.Event.TO_PLUS;
import static io.jl2tp.ppp.fsm.Event.UP;
import static io.jl2tp.ppp.fsm.State.ACK_RCVD;
import static io.jl2tp.ppp.fsm.State.ACK_SENT;
import static io.jl2tp.ppp.fsm.State.CLOSED;
import static io.jl2tp.ppp.fsm.State.CLOSING;
import static io.jl2tp.ppp.fsm.State.INITIAL;
import static io.jl2tp.ppp.fsm.State.OPENED;
import static io.jl2tp.ppp.fsm.State.REQ_SENT;
import static io.jl2tp.ppp.fsm.State.STARTING;
import static io.jl2tp.ppp.fsm.State.STOPPED;
import static io.jl2tp.ppp.fsm.State.STOPPING;

/**
 * The RFC 1661 §4.1 state transition table, as data. A missing cell is the table's "-"
 * (the event cannot occur in that state) and is ignored by {@link CpFsm}.
 *
 * <p>Options of the RFC: Open in Stopped/Opened and Close in Stopped take no restart option
 * ("r" not implemented: a lower layer restart is the caller's Down/Up); "scr/x" (crossed
 * connection) is scr.
 *
 * <p>Threads: immutable data, shared by every automaton.
 */
public final class StateTable {

    /** One cell: the next state and the actions, in order. */
    public record Transition(State next, List<Action> actions) {
    }

    private static final Map<State, Map<Event, Transition>> TABLE = new EnumMap<>(State.class);

    private static void row(State s, Event e, State next, Action... actions) {
        TABLE.computeIfAbsent(s, k -> new EnumMap<>(Event.class)).put(e, new Transition(next, List.of(actions)));
    }

    static {
        // Up / Down
        row(INITIAL, UP, CLOSED);
        row(STARTING, UP, REQ_SENT, IRC, SCR);
        row(CLOSED, DOWN, INITIAL);
        row(STOPPED, DOWN, STARTING, TLS);
        row(CLOSING, DOWN, INITIAL);
        row(STOPPING, DOWN, STARTING);
        row(REQ_SENT, DOWN, STARTING);
        row(ACK_RCVD, DOWN, STARTING);
        row(ACK_SENT, DOWN, STARTING);
        row(OPENED, DOWN, STARTING, TLD);
        // Open
        row(INITIAL, OPEN, STARTING, TLS);
        row(STARTING, OPEN, STARTING);
        row(CLOSED, OPEN, REQ_SENT, IRC, SCR);
        row(STOPPED, OPEN, STOPPED);
        row(CLOSING, OPEN, STOPPING);
        row(STOPPING, OPEN, STOPPING);
        row(REQ_SENT, OPEN, REQ_SENT);
        row(ACK_RCVD, OPEN, ACK_RCVD);
        row(ACK_SENT, OPEN, ACK_SENT);
        row(OPENED, OPEN, OPENED);
        // Close
        row(INITIAL, CLOSE, INITIAL);
        row(STARTING, CLOSE, INITIAL, TLF);
        row(CLOSED, CLOSE, CLOSED);
        row(STOPPED, CLOSE, CLOSED);
        row(CLOSING, CLOSE, CLOSING);
        row(STOPPING, CLOSE, CLOSING);
        row(REQ_SENT, CLOSE, CLOSING, IRC, STR);
        row(ACK_RCVD, CLOSE, CLOSING, IRC, STR);
        row(ACK_SENT, CLOSE, CLOSING, IRC, STR);
        row(OPENED, CLOSE, CLOSING, TLD, IRC, STR);
        // TO+ / TO-
        row(CLOSING, TO_PLUS, CLOSING, STR);
        row(STOPPING, TO_PLUS, STOPPING, STR);
        row(REQ_SENT, TO_PLUS, REQ_SENT, SCR);
        row(ACK_RCVD, TO_PLUS, REQ_SENT, SCR);
        row(ACK_SENT, TO_PLUS, ACK_SENT, SCR);
        row(CLOSING, TO_MINUS, CLOSED, TLF);
        row(STOPPING, TO_MINUS, STOPPED, TLF);
        row(REQ_SENT, TO_MINUS, STOPPED, TLF);
        row(ACK_RCVD, TO_MINUS, STOPPED, TLF);
        row(ACK_SENT, TO_MINUS, STOPPED, TLF);
        // RCR+ / RCR-
        row(CLOSED, RCR_PLUS, CLOSED, STA);
        row(STOPPED, RCR_PLUS, ACK_SENT, IRC, SCR, SCA);
        row(CLOSING, RCR_PLUS, CLOSING);
        row(STOPPING, RCR_PLUS, STOPPING);
        row(REQ_SENT, RCR_PLUS, ACK_SENT, SCA);
        row(ACK_RCVD, RCR_PLUS, OPENED, SCA, TLU);
        row(ACK_SENT, RCR_PLUS, ACK_SENT, SCA);
        row(OPENED, RCR_PLUS, ACK_SENT, TLD, SCR, SCA);
        row(CLOSED, RCR_MINUS, CLOSED, STA);
        row(STOPPED, RCR_MINUS, REQ_SENT, IRC, SCR, SCN);
        row(CLOSING, RCR_MINUS, CLOSING);
        row(STOPPING, RCR_MINUS, STOPPING);
        row(REQ_SENT, RCR_MINUS, REQ_SENT, SCN);
        row(ACK_RCVD, RCR_MINUS, ACK_RCVD, SCN);
        row(ACK_SENT, RCR_MINUS, REQ_SENT, SCN);
        row(OPENED, RCR_MINUS, REQ_SENT, TLD, SCR, SCN);
        // RCA
        row(CLOSED, RCA, CLOSED, STA);
        row(STOPPED, RCA, STOPPED, STA);
        row(CLOSING, RCA, CLOSING);
        row(STOPPING, RCA, STOPPING);
        row(REQ_SENT, RCA, ACK_RCVD, IRC);
        row(ACK_RCVD, RCA, REQ_SENT, SCR);
        row(ACK_SENT, RCA, OPENED, IRC, TLU);
        row(OPENED, RCA, REQ_SENT, TLD, SCR);
        // RCN
        row(CLOSED, RCN, CLOSED, STA);
        row(STOPPED, RCN, STOPPED, STA);
        row(CLOSING, RCN, CLOSING);
        row(STOPPING, RCN, STOPPING);
        row(REQ_SENT, RCN, REQ_SENT, IRC, SCR);
        row(ACK_RCVD, RCN, REQ_SENT, SCR);
        row(ACK_SENT, RCN, ACK_SENT, IRC, SCR);
        row(OPENED, RCN, REQ_SENT, TLD, SCR);
        // RTR
        row(CLOSED, RTR, CLOSED, STA);
        row(STOPPED, RTR, STOPPED, STA);
        row(CLOSING, RTR, CLOSING, STA);
        row(STOPPING, RTR, STOPPING, STA);
        row(REQ_SENT, RTR, REQ_SENT, STA);
        row(ACK_RCVD, RTR, REQ_SENT, STA);
        row(ACK_SENT, RTR, REQ_SENT, STA);
        row(OPENED, RTR, STOPPING, TLD, ZRC, STA);
        // RTA
        row(CLOSED, RTA, CLOSED);
        row(STOPPED, RTA, STOPPED);
        row(CLOSING, RTA, CLOSED, TLF);
        row(STOPPING, RTA, STOPPED, TLF);
        row(REQ_SENT, RTA, REQ_SENT);
        row(ACK_RCVD, RTA, REQ_SENT);
        row(ACK_SENT, RTA, ACK_SENT);
        row(OPENED, RTA, REQ_SENT, TLD, SCR);
        // RUC
        for (State s : new State[] {CLOSED, STOPPED, CLOSING, STOPPING, REQ_SENT, ACK_RCVD, ACK_SENT, OPENED}) {
            row(s, RUC, s, SCJ);
        }
        // RXJ+
        row(CLOSED, RXJ_PLUS, CLOSED);
        row(STOPPED, RXJ_PLUS, STOPPED);
        row(CLOSING, RXJ_PLUS, CLOSING);
        row(STOPPING, RXJ_PLUS, STOPPING);
        row(REQ_SENT, RXJ_PLUS, REQ_SENT);
        row(ACK_RCVD, RXJ_PLUS, REQ_SENT);
        row(ACK_SENT, RXJ_PLUS, ACK_SENT);
        row(OPENED, RXJ_PLUS, OPENED);
        // RXJ-
        row(CLOSED, RXJ_MINUS, CLOSED, TLF);
        row(STOPPED, RXJ_MINUS, STOPPED, TLF);
        row(CLOSING, RXJ_MINUS, CLOSED, TLF);
        row(STOPPING, RXJ_MINUS, STOPPED, TLF);
        row(REQ_SENT, RXJ_MINUS, STOPPED, TLF);
        row(ACK_RCVD, RXJ_MINUS, STOPPED, TLF);
        row(ACK_SENT, RXJ_MINUS, STOPPED, TLF);
        row(OPENED, RXJ_MINUS, STOPPING, TLD, IRC, STR);
        // RXR
        for (State s : new State[] {CLOSED, STOPPED, CLOSING, STOPPING, REQ_SENT, ACK_RCVD, ACK_SENT}) {
            row(s, RXR, s);
        }
        row(OPENED, RXR, OPENED, SER);
    }

    private StateTable() {
    }

    /** The cell for (state, event), or null where the table has "-". */
    public static Transition lookup(State state, Event event) {
        Map<Event, Transition> m = TABLE.get(state);
        return m == null ? null : m.get(event);
    }
}
