package io.jl2tp.l2tp.tunnel;

import io.jl2tp.l2tp.tunnel.Session.State;
import io.jl2tp.l2tp.wire.MessageType;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static io.jl2tp.l2tp.tunnel.CallTable.Action.CLEAN_UP;
import static io.jl2tp.l2tp.tunnel.CallTable.Action.PREPARE_DATA;
import static io.jl2tp.l2tp.tunnel.CallTable.Action.REQUEST_TUNNEL;
import static io.jl2tp.l2tp.tunnel.CallTable.Action.SEND_CDN;
import static io.jl2tp.l2tp.tunnel.CallTable.Action.SEND_ICCN;
import static io.jl2tp.l2tp.tunnel.CallTable.Action.SEND_ICRP;
import static io.jl2tp.l2tp.tunnel.CallTable.Action.SEND_ICRQ;
import static io.jl2tp.l2tp.tunnel.CallTable.Event.BAD_MESSAGE;
import static io.jl2tp.l2tp.tunnel.CallTable.Event.CDN;
import static io.jl2tp.l2tp.tunnel.CallTable.Event.HALF_OPEN_EVICTED;
import static io.jl2tp.l2tp.tunnel.CallTable.Event.ICCN;
import static io.jl2tp.l2tp.tunnel.CallTable.Event.ICCN_ACCEPTABLE;
import static io.jl2tp.l2tp.tunnel.CallTable.Event.ICCN_NOT_ACCEPTABLE;
import static io.jl2tp.l2tp.tunnel.CallTable.Event.ICRP;
import static io.jl2tp.l2tp.tunnel.CallTable.Event.ICRP_ACCEPTABLE;
import static io.jl2tp.l2tp.tunnel.CallTable.Event.ICRP_NOT_ACCEPTABLE;
import static io.jl2tp.l2tp.tunnel.CallTable.Event.ICRQ;
import static io.jl2tp.l2tp.tunnel.CallTable.Event.ICRQ_ACCEPTABLE;
import static io.jl2tp.l2tp.tunnel.CallTable.Event.ICRQ_NOT_ACCEPTABLE;
import static io.jl2tp.l2tp.tunnel.CallTable.Event.LOCAL_CLOSE;
import static io.jl2tp.l2tp.tunnel.CallTable.Event.OPEN_REQUEST;
import static io.jl2tp.l2tp.tunnel.CallTable.Event.SETUP_TIMEOUT;
import static io.jl2tp.l2tp.tunnel.CallTable.Event.SLI;
import static io.jl2tp.l2tp.tunnel.CallTable.Event.TUNNEL_DOWN;
import static io.jl2tp.l2tp.tunnel.CallTable.Event.TUNNEL_OPEN;
import static io.jl2tp.l2tp.tunnel.CallTable.Event.WEN;
import static io.jl2tp.l2tp.tunnel.Session.State.CLOSED;
import static io.jl2tp.l2tp.tunnel.Session.State.ESTABLISHED;
import static io.jl2tp.l2tp.tunnel.Session.State.IDLE;
import static io.jl2tp.l2tp.tunnel.Session.State.WAIT_CONNECT;
import static io.jl2tp.l2tp.tunnel.Session.State.WAIT_REPLY;
import static io.jl2tp.l2tp.tunnel.Session.State.WAIT_TUNNEL;

/**
 * The incoming-call state machines of RFC 2661 as data: {@link #LAC} is §7.4.1 (LAC incoming
 * call states), {@link #LNS} is §7.4.2 (LNS incoming call states). {@link Session} classifies
 * what happened into an {@link Event} and performs the row's actions in order; a missing cell
 * means the event is ignored in that state. Outgoing calls (§7.5) are not placed or accepted:
 * an OCRQ is refused by the tunnel with CDN "permanent lack of facilities" (§7.5.1, idle ×
 * Receive OCRQ, not acceptable).
 *
 * <p>The RFC's idle × Receive ICCN/ICRP/CDN rows ("Clean up") concern messages for a Session
 * ID that has no call: the tunnel drops and counts them, there is nothing to clean up. Its
 * "idle" after "Clean up" is {@link State#CLOSED}.
 */
public final class CallTable {

    /** What happened to a call. Received messages are named by {@link MessageType}. */
    public enum Event {
        OPEN_REQUEST(null, "Bearer Ring or Ready to indicate incoming conn."),
        TUNNEL_OPEN(null, "tunnel-open"),
        LOCAL_CLOSE(null, "Local close request or Bearer line drop"),
        ICRQ_ACCEPTABLE(MessageType.ICRQ, "Receive ICRQ, acceptable"),
        ICRQ_NOT_ACCEPTABLE(MessageType.ICRQ, "Receive ICRQ, not acceptable"),
        ICRQ(MessageType.ICRQ, "Receive ICRQ"),
        ICRP_ACCEPTABLE(MessageType.ICRP, "Receive ICRP, acceptable"),
        ICRP_NOT_ACCEPTABLE(MessageType.ICRP, "Receive ICRP, not acceptable"),
        ICRP(MessageType.ICRP, "Receive ICRP"),
        ICCN_ACCEPTABLE(MessageType.ICCN, "Receive ICCN, acceptable"),
        ICCN_NOT_ACCEPTABLE(MessageType.ICCN, "Receive ICCN, not acceptable"),
        ICCN(MessageType.ICCN, "Receive ICCN"),
        CDN(MessageType.CDN, "Receive CDN"),
        WEN(MessageType.WEN, "Receive WEN"),
        SLI(MessageType.SLI, "Receive SLI"),
        BAD_MESSAGE(null, "Receive a session message with an unknown M-bit AVP or a missing mandatory AVP"),
        SETUP_TIMEOUT(null, "Set-up not complete within one retransmission cycle"),
        HALF_OPEN_EVICTED(null, "Dropped as the oldest half-open call at the cap"),
        TUNNEL_DOWN(null, "Tunnel cleared");

        private final MessageType message;
        private final String rfcName;

        Event(MessageType message, String rfcName) {
            this.message = message;
            this.rfcName = rfcName;
        }

        /** The received message type this event stands for, or null for local events and timers. */
        public MessageType message() {
            return message;
        }

        /** The event as the RFC's table words it. */
        public String rfcName() {
            return rfcName;
        }
    }

    /** What a transition does, in the order listed. */
    public enum Action {
        /** "Initiate local tunnel open": the tunnel answers with tunnel-open once established. */
        REQUEST_TUNNEL,
        /** Send ICRQ (§6.9). */
        SEND_ICRQ,
        /** Send ICRP (§6.10). */
        SEND_ICRP,
        /** Send ICCN (§6.11). */
        SEND_ICCN,
        /** Send CDN (§6.12) with the reason's result code. */
        SEND_CDN,
        /** "Prepare for data": publish the data path, report the call up. */
        PREPARE_DATA,
        /** Forget the call, release its Session ID, report it down. */
        CLEAN_UP
    }

    /** One row: in {@code state}, on {@code event}, do {@code actions} and go to {@code next}. */
    public record Row(State state, Event event, State next, List<Action> actions, String clause) {
    }

    private static final String TIMER =
            "RFC 2661 §7.3 → §5.8: a call not connected within one full retransmission cycle is cleared";
    private static final String M_BIT = "RFC 2661 §4.1: an unrecognised M-bit AVP in a session message ends the session";
    private static final String TUNNEL_GONE = "RFC 2661 §7.2.1 Clean up: the tunnel's end clears its calls";

    /** §7.4.1: the LAC places the call. */
    public static final CallTable LAC = new CallTable("LAC");
    /** §7.4.2: the LNS answers it. */
    public static final CallTable LNS = new CallTable("LNS");

    static {
        String c = "RFC 2661 §7.4.1";
        LAC.row(c, IDLE, OPEN_REQUEST, WAIT_TUNNEL, REQUEST_TUNNEL);
        LAC.row(c, WAIT_TUNNEL, LOCAL_CLOSE, CLOSED, CLEAN_UP);
        LAC.row(c, WAIT_TUNNEL, TUNNEL_OPEN, WAIT_REPLY, SEND_ICRQ);
        LAC.row(c, WAIT_REPLY, ICRP_ACCEPTABLE, ESTABLISHED, SEND_ICCN, PREPARE_DATA);
        LAC.row(c, WAIT_REPLY, ICRP_NOT_ACCEPTABLE, CLOSED, SEND_CDN, CLEAN_UP);
        LAC.row(c, WAIT_REPLY, ICRQ, CLOSED, SEND_CDN, CLEAN_UP);
        LAC.row(c, WAIT_REPLY, CDN, CLOSED, CLEAN_UP);
        LAC.row(c, WAIT_REPLY, ICCN, CLOSED, CLEAN_UP);
        LAC.row(c, WAIT_REPLY, LOCAL_CLOSE, CLOSED, SEND_CDN, CLEAN_UP);
        LAC.row(c, ESTABLISHED, CDN, CLOSED, CLEAN_UP);
        LAC.row(c, ESTABLISHED, ICRQ, CLOSED, SEND_CDN, CLEAN_UP);
        LAC.row(c, ESTABLISHED, ICRP, CLOSED, SEND_CDN, CLEAN_UP);
        LAC.row(c, ESTABLISHED, ICCN, CLOSED, SEND_CDN, CLEAN_UP);
        LAC.row(c, ESTABLISHED, LOCAL_CLOSE, CLOSED, SEND_CDN, CLEAN_UP);
        LAC.row("RFC 2661 §6.14: SLI accepted (ACCM ignored for synchronous framing)", ESTABLISHED, SLI, ESTABLISHED);
        LAC.row(TIMER, WAIT_REPLY, SETUP_TIMEOUT, CLOSED, SEND_CDN, CLEAN_UP);
        for (State s : new State[] {WAIT_REPLY, ESTABLISHED}) {
            LAC.row(M_BIT, s, BAD_MESSAGE, CLOSED, SEND_CDN, CLEAN_UP);
        }
        for (State s : new State[] {WAIT_TUNNEL, WAIT_REPLY, ESTABLISHED}) {
            LAC.row(TUNNEL_GONE, s, TUNNEL_DOWN, CLOSED, CLEAN_UP);
        }

        c = "RFC 2661 §7.4.2";
        LNS.row(c, IDLE, ICRQ_ACCEPTABLE, WAIT_CONNECT, SEND_ICRP);
        LNS.row(c, IDLE, ICRQ_NOT_ACCEPTABLE, CLOSED, SEND_CDN, CLEAN_UP);
        LNS.row(c, WAIT_CONNECT, ICCN_ACCEPTABLE, ESTABLISHED, PREPARE_DATA);
        LNS.row(c, WAIT_CONNECT, ICCN_NOT_ACCEPTABLE, CLOSED, SEND_CDN, CLEAN_UP);
        LNS.row(c, WAIT_CONNECT, ICRQ, CLOSED, SEND_CDN, CLEAN_UP);
        LNS.row(c, WAIT_CONNECT, ICRP, CLOSED, SEND_CDN, CLEAN_UP);
        LNS.row(c, WAIT_CONNECT, CDN, CLOSED, CLEAN_UP);
        LNS.row(c, ESTABLISHED, CDN, CLOSED, CLEAN_UP);
        LNS.row(c, WAIT_CONNECT, LOCAL_CLOSE, CLOSED, SEND_CDN, CLEAN_UP);
        LNS.row(c, ESTABLISHED, LOCAL_CLOSE, CLOSED, SEND_CDN, CLEAN_UP);
        LNS.row(c, ESTABLISHED, ICRQ, CLOSED, SEND_CDN, CLEAN_UP);
        LNS.row(c, ESTABLISHED, ICRP, CLOSED, SEND_CDN, CLEAN_UP);
        LNS.row(c, ESTABLISHED, ICCN, CLOSED, SEND_CDN, CLEAN_UP);
        LNS.row("RFC 2661 §6.13: WEN accepted", ESTABLISHED, WEN, ESTABLISHED);
        LNS.row(TIMER, WAIT_CONNECT, SETUP_TIMEOUT, CLOSED, SEND_CDN, CLEAN_UP);
        LNS.row("half-open cap (issue 11): the oldest call without ICCN makes room", WAIT_CONNECT, HALF_OPEN_EVICTED,
                CLOSED, SEND_CDN, CLEAN_UP);
        for (State s : new State[] {WAIT_CONNECT, ESTABLISHED}) {
            LNS.row(M_BIT, s, BAD_MESSAGE, CLOSED, SEND_CDN, CLEAN_UP);
            LNS.row(TUNNEL_GONE, s, TUNNEL_DOWN, CLOSED, CLEAN_UP);
        }
    }

    private final String role;
    private final Map<State, Map<Event, Row>> table = new EnumMap<>(State.class);
    private final List<Row> rows = new ArrayList<>();

    private CallTable(String role) {
        this.role = role;
    }

    private void row(String clause, State s, Event e, State next, Action... actions) {
        Row r = new Row(s, e, next, List.of(actions), clause);
        if (table.computeIfAbsent(s, k -> new EnumMap<>(Event.class)).put(e, r) != null) {
            throw new IllegalStateException("duplicate row " + role + " " + s + " × " + e);
        }
        rows.add(r);
    }

    /** The row for (state, event), or null if the event is ignored in that state. */
    public Row lookup(State state, Event event) {
        Map<Event, Row> m = table.get(state);
        return m == null ? null : m.get(event);
    }

    /** Every row, in table order. */
    public List<Row> rows() {
        return Collections.unmodifiableList(rows);
    }

    /** "LAC" or "LNS". */
    public String role() {
        return role;
    }

    /**
     * The event for a received session message {@code type} in {@code state}: the acceptable /
     * not-acceptable pair where this table distinguishes them there ({@code acceptable} is then
     * consulted), the plain event otherwise; null for types calls do not handle.
     */
    Event received(MessageType type, State state, BooleanSupplier acceptable) {
        Event ok = null;
        Event bad = null;
        Event plain;
        if (MessageType.ICRQ.equals(type)) {
            ok = ICRQ_ACCEPTABLE;
            bad = ICRQ_NOT_ACCEPTABLE;
            plain = ICRQ;
        } else if (MessageType.ICRP.equals(type)) {
            ok = ICRP_ACCEPTABLE;
            bad = ICRP_NOT_ACCEPTABLE;
            plain = ICRP;
        } else if (MessageType.ICCN.equals(type)) {
            ok = ICCN_ACCEPTABLE;
            bad = ICCN_NOT_ACCEPTABLE;
            plain = ICCN;
        } else if (MessageType.CDN.equals(type)) {
            plain = CDN;
        } else if (MessageType.WEN.equals(type)) {
            plain = WEN;
        } else if (MessageType.SLI.equals(type)) {
            plain = SLI;
        } else {
            return null;
        }
        if (ok != null && lookup(state, ok) != null) {
            return acceptable.getAsBoolean() ? ok : bad;
        }
        return plain;
    }
}
