package io.jl2tp.l2tp.tunnel;

import io.jl2tp.l2tp.tunnel.Tunnel.State;
import io.jl2tp.l2tp.wire.MessageType;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static io.jl2tp.l2tp.tunnel.ControlTable.Action.ACK_NOW;
import static io.jl2tp.l2tp.tunnel.ControlTable.Action.CLEAN_UP;
import static io.jl2tp.l2tp.tunnel.ControlTable.Action.CLOSE_CALLS;
import static io.jl2tp.l2tp.tunnel.ControlTable.Action.LEARN_PEER_ID;
import static io.jl2tp.l2tp.tunnel.ControlTable.Action.OPEN_WAITING_CALLS;
import static io.jl2tp.l2tp.tunnel.ControlTable.Action.SEND_SCCCN;
import static io.jl2tp.l2tp.tunnel.ControlTable.Action.SEND_SCCRP;
import static io.jl2tp.l2tp.tunnel.ControlTable.Action.SEND_SCCRQ;
import static io.jl2tp.l2tp.tunnel.ControlTable.Action.SEND_STOPCCN;
import static io.jl2tp.l2tp.tunnel.ControlTable.Action.TUNNEL_OPEN;
import static io.jl2tp.l2tp.tunnel.ControlTable.Event.ADMIN_CLOSE;
import static io.jl2tp.l2tp.tunnel.ControlTable.Event.BAD_TUNNEL_MESSAGE;
import static io.jl2tp.l2tp.tunnel.ControlTable.Event.HALF_OPEN_EVICTED;
import static io.jl2tp.l2tp.tunnel.ControlTable.Event.HELLO;
import static io.jl2tp.l2tp.tunnel.ControlTable.Event.LINGER_DONE;
import static io.jl2tp.l2tp.tunnel.ControlTable.Event.LOST_TIE_BREAKER;
import static io.jl2tp.l2tp.tunnel.ControlTable.Event.NEW_CALL;
import static io.jl2tp.l2tp.tunnel.ControlTable.Event.OPEN_REQUEST;
import static io.jl2tp.l2tp.tunnel.ControlTable.Event.RETRIES_EXHAUSTED;
import static io.jl2tp.l2tp.tunnel.ControlTable.Event.SCCCN;
import static io.jl2tp.l2tp.tunnel.ControlTable.Event.SCCCN_ACCEPTABLE;
import static io.jl2tp.l2tp.tunnel.ControlTable.Event.SCCCN_NOT_ACCEPTABLE;
import static io.jl2tp.l2tp.tunnel.ControlTable.Event.SCCRP;
import static io.jl2tp.l2tp.tunnel.ControlTable.Event.SCCRP_ACCEPTABLE;
import static io.jl2tp.l2tp.tunnel.ControlTable.Event.SCCRP_NOT_ACCEPTABLE;
import static io.jl2tp.l2tp.tunnel.ControlTable.Event.SCCRQ;
import static io.jl2tp.l2tp.tunnel.ControlTable.Event.SCCRQ_ACCEPTABLE;
import static io.jl2tp.l2tp.tunnel.ControlTable.Event.SCCRQ_NOT_ACCEPTABLE;
import static io.jl2tp.l2tp.tunnel.ControlTable.Event.SETUP_TIMEOUT;
import static io.jl2tp.l2tp.tunnel.ControlTable.Event.STOPCCN;
import static io.jl2tp.l2tp.tunnel.Tunnel.State.CLOSED;
import static io.jl2tp.l2tp.tunnel.Tunnel.State.CLOSING;
import static io.jl2tp.l2tp.tunnel.Tunnel.State.ESTABLISHED;
import static io.jl2tp.l2tp.tunnel.Tunnel.State.IDLE;
import static io.jl2tp.l2tp.tunnel.Tunnel.State.WAIT_CTL_CONN;
import static io.jl2tp.l2tp.tunnel.Tunnel.State.WAIT_CTL_REPLY;

/**
 * The control-connection state machine of RFC 2661 §7.2.1, as data: state × event → next state
 * and actions, each row citing its clause. {@link Tunnel} classifies what happened into an
 * {@link Event} and performs the row's actions in order; a missing cell means the event is
 * ignored in that state (logged at debug).
 *
 * <p>Where this table departs from the RFC's words, the row says why:
 * <ul>
 * <li>The RFC's "idle" after "Clean up" is {@link State#CLOSING} (the §5.7 linger: the reliable
 *     transport keeps running one full retransmission cycle) and then {@link State#CLOSED}.</li>
 * <li>The RFC's idle × Receive SCCRP / SCCCN rows have no tunnel to act on: a message to Tunnel
 *     ID 0 that is not an SCCRQ is dropped and counted by {@link L2tpEndpoint} (answering it
 *     with StopCCN would make the LNS a reflector for spoofed datagrams).</li>
 * <li>Timers (§7.3 defers them to §5.8): the retry limit, the set-up timeout and the
 *     half-open cap clear the tunnel without a StopCCN, as for loss of connectivity.</li>
 * </ul>
 */
public final class ControlTable {

    /** What happened to a control connection. Received messages are named by {@link MessageType}. */
    public enum Event {
        OPEN_REQUEST(null, "Local Open request"),
        NEW_CALL(null, "Local Open request (new call)"),
        ADMIN_CLOSE(null, "Admin Tunnel Close"),
        SCCRQ_ACCEPTABLE(MessageType.SCCRQ, "Receive SCCRQ, acceptable"),
        SCCRQ_NOT_ACCEPTABLE(MessageType.SCCRQ, "Receive SCCRQ, not acceptable"),
        SCCRQ(MessageType.SCCRQ, "Receive SCCRQ"),
        LOST_TIE_BREAKER(MessageType.SCCRQ, "Receive SCCRQ, lose tie-breaker"),
        SCCRP_ACCEPTABLE(MessageType.SCCRP, "Receive SCCRP, acceptable"),
        SCCRP_NOT_ACCEPTABLE(MessageType.SCCRP, "Receive SCCRP, not acceptable"),
        SCCRP(MessageType.SCCRP, "Receive SCCRP"),
        SCCCN_ACCEPTABLE(MessageType.SCCCN, "Receive SCCCN, acceptable"),
        SCCCN_NOT_ACCEPTABLE(MessageType.SCCCN, "Receive SCCCN, not acceptable"),
        SCCCN(MessageType.SCCCN, "Receive SCCCN"),
        STOPCCN(MessageType.STOPCCN, "Receive StopCCN"),
        HELLO(MessageType.HELLO, "Receive HELLO"),
        BAD_TUNNEL_MESSAGE(null, "Receive a tunnel message with an unknown M-bit AVP, a missing mandatory AVP or an unknown type"),
        SETUP_TIMEOUT(null, "Set-up not complete within one retransmission cycle"),
        HALF_OPEN_EVICTED(null, "Dropped as the oldest half-open tunnel at the cap"),
        RETRIES_EXHAUSTED(null, "Retry limit reached"),
        LINGER_DONE(null, "Linger over");

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

        /**
         * The event for a received {@code type} in {@code state}: the acceptable/not-acceptable pair
         * where the table distinguishes them there ({@code acceptable} is then consulted), the
         * plain event otherwise; null for types this table does not handle.
         */
        static Event received(MessageType type, State state, BooleanSupplier acceptable) {
            Event ok;
            Event bad;
            Event plain;
            if (MessageType.SCCRQ.equals(type)) {
                ok = SCCRQ_ACCEPTABLE;
                bad = SCCRQ_NOT_ACCEPTABLE;
                plain = SCCRQ;
            } else if (MessageType.SCCRP.equals(type)) {
                ok = SCCRP_ACCEPTABLE;
                bad = SCCRP_NOT_ACCEPTABLE;
                plain = SCCRP;
            } else if (MessageType.SCCCN.equals(type)) {
                ok = SCCCN_ACCEPTABLE;
                bad = SCCCN_NOT_ACCEPTABLE;
                plain = SCCCN;
            } else if (MessageType.STOPCCN.equals(type)) {
                return STOPCCN;
            } else if (MessageType.HELLO.equals(type)) {
                return HELLO;
            } else {
                return null;
            }
            if (lookup(state, ok) != null) {
                return acceptable.getAsBoolean() ? ok : bad;
            }
            return plain;
        }
    }

    /** What a transition does, in the order listed. */
    public enum Action {
        /** Send SCCRQ (§6.1). */
        SEND_SCCRQ,
        /** Send SCCRP (§6.2), with a Challenge Response if challenged. */
        SEND_SCCRP,
        /** Send SCCCN (§6.3), with a Challenge Response if challenged. */
        SEND_SCCCN,
        /** Send CDN for every call (administrative close, before the StopCCN). */
        CLOSE_CALLS,
        /** Send StopCCN (§6.4) — once per tunnel, and only once the peer's Tunnel ID is known. */
        SEND_STOPCCN,
        /** Take the peer's Assigned Tunnel ID (if we have none yet) so that a StopCCN can reach it. */
        LEARN_PEER_ID,
        /** Acknowledge a StopCCN at once (§5.7). */
        ACK_NOW,
        /** "Send tunnel-open event to waiting sessions": TunnelUp, and each waiting call sends ICRQ. */
        TUNNEL_OPEN,
        /** A new call in an open tunnel: the waiting calls get tunnel-open. */
        OPEN_WAITING_CALLS,
        /** Clear every call and report the tunnel down (once). */
        CLEAN_UP
    }

    /** One row: in {@code state}, on {@code event}, do {@code actions} and go to {@code next}. */
    public record Row(State state, Event event, State next, List<Action> actions, String clause) {
    }

    private static final Map<State, Map<Event, Row>> TABLE = new EnumMap<>(State.class);
    private static final List<Row> ROWS = new ArrayList<>();

    private static void row(String clause, State s, Event e, State next, Action... actions) {
        Row r = new Row(s, e, next, List.of(actions), clause);
        if (TABLE.computeIfAbsent(s, k -> new EnumMap<>(Event.class)).put(e, r) != null) {
            throw new IllegalStateException("duplicate row " + s + " × " + e);
        }
        ROWS.add(r);
    }

    static {
        String establishment = "RFC 2661 §7.2.1";
        row(establishment, IDLE, OPEN_REQUEST, WAIT_CTL_REPLY, SEND_SCCRQ);
        row(establishment, IDLE, SCCRQ_ACCEPTABLE, WAIT_CTL_CONN, SEND_SCCRP);
        row(establishment, IDLE, SCCRQ_NOT_ACCEPTABLE, CLOSING, SEND_STOPCCN, CLEAN_UP);
        row(establishment, WAIT_CTL_REPLY, SCCRP_ACCEPTABLE, ESTABLISHED, SEND_SCCCN, TUNNEL_OPEN);
        row(establishment, WAIT_CTL_REPLY, SCCRP_NOT_ACCEPTABLE, CLOSING, SEND_STOPCCN, CLEAN_UP);
        row(establishment + ", §4.4.3 Tie Breaker", WAIT_CTL_REPLY, LOST_TIE_BREAKER, CLOSED, CLEAN_UP);
        row(establishment, WAIT_CTL_REPLY, SCCCN, CLOSING, SEND_STOPCCN, CLEAN_UP);
        row(establishment, WAIT_CTL_CONN, SCCCN_ACCEPTABLE, ESTABLISHED, TUNNEL_OPEN);
        row(establishment, WAIT_CTL_CONN, SCCCN_NOT_ACCEPTABLE, CLOSING, SEND_STOPCCN, CLEAN_UP);
        row(establishment, WAIT_CTL_CONN, SCCRP, CLOSING, SEND_STOPCCN, CLEAN_UP);
        row(establishment, WAIT_CTL_CONN, SCCRQ, CLOSING, SEND_STOPCCN, CLEAN_UP);
        row(establishment, ESTABLISHED, NEW_CALL, ESTABLISHED, OPEN_WAITING_CALLS);
        row(establishment, ESTABLISHED, ADMIN_CLOSE, CLOSING, CLOSE_CALLS, SEND_STOPCCN, CLEAN_UP);
        row(establishment, ESTABLISHED, SCCRQ, CLOSING, SEND_STOPCCN, CLEAN_UP);
        row(establishment, ESTABLISHED, SCCRP, CLOSING, SEND_STOPCCN, CLEAN_UP);
        row(establishment, ESTABLISHED, SCCCN, CLOSING, SEND_STOPCCN, CLEAN_UP);
        for (State s : new State[] {IDLE, WAIT_CTL_REPLY, WAIT_CTL_CONN, ESTABLISHED}) {
            row(establishment + " (Receive StopCCN), §5.7", s, STOPCCN, CLOSING, ACK_NOW, CLEAN_UP);
        }
        // Beyond the RFC's table, each with its reason.
        String beforeUp = "RFC 2661 §7.2.1 Admin Tunnel Close, before establishment";
        // An LNS tunnel still IDLE (its SCCRQ held back by the transport, e.g. Ns ahead of 0) knows
        // no peer id to send a StopCCN to: it is just released (found by L2tpEndpointFuzzTest#lacAndLns).
        row(beforeUp, IDLE, ADMIN_CLOSE, CLOSED, CLEAN_UP);
        row(beforeUp, WAIT_CTL_REPLY, ADMIN_CLOSE, CLOSING, CLOSE_CALLS, SEND_STOPCCN, CLEAN_UP);
        row(beforeUp, WAIT_CTL_CONN, ADMIN_CLOSE, CLOSING, CLOSE_CALLS, SEND_STOPCCN, CLEAN_UP);
        row("RFC 2661 §7.4.1 wait-tunnel: the call waits for tunnel-open", WAIT_CTL_REPLY, NEW_CALL, WAIT_CTL_REPLY);
        row("RFC 2661 §6.5: the acknowledgement is the whole answer to HELLO", ESTABLISHED, HELLO, ESTABLISHED);
        String mBit = "RFC 2661 §4.1: an unrecognised M-bit AVP in a tunnel message ends the tunnel";
        for (State s : new State[] {IDLE, WAIT_CTL_REPLY}) {
            row(mBit, s, BAD_TUNNEL_MESSAGE, CLOSING, LEARN_PEER_ID, SEND_STOPCCN, CLEAN_UP);
        }
        for (State s : new State[] {WAIT_CTL_CONN, ESTABLISHED}) {
            row(mBit, s, BAD_TUNNEL_MESSAGE, CLOSING, SEND_STOPCCN, CLEAN_UP);
        }
        for (State s : new State[] {IDLE, WAIT_CTL_REPLY, WAIT_CTL_CONN, ESTABLISHED}) {
            row("RFC 2661 §5.8: after the retry limit the tunnel and its sessions MUST be cleared", s,
                    RETRIES_EXHAUSTED, CLOSED, CLEAN_UP);
        }
        String timer = "RFC 2661 §7.3 → §5.8: no answer within one full retransmission cycle clears the tunnel";
        // An LNS tunnel whose SCCRQ the transport holds back (Ns ahead of 0) stays idle: it is
        // timed and capped like wait-ctl-conn (Tunnel#awaitSccrq; found by L2tpEndpointFuzzTest).
        row(timer, IDLE, SETUP_TIMEOUT, CLOSED, CLEAN_UP);
        row(timer, WAIT_CTL_REPLY, SETUP_TIMEOUT, CLOSED, CLEAN_UP);
        row(timer, WAIT_CTL_CONN, SETUP_TIMEOUT, CLOSED, CLEAN_UP);
        for (State s : new State[] {IDLE, WAIT_CTL_CONN}) {
            row("half-open cap (issue 11): the oldest tunnel without SCCCN makes room", s, HALF_OPEN_EVICTED,
                    CLOSED, CLEAN_UP);
        }
        row("RFC 2661 §5.7: the linger ends; state is released", CLOSING, LINGER_DONE, CLOSED);
        row("RFC 2661 §5.8: the peer never acknowledged our StopCCN", CLOSING, RETRIES_EXHAUSTED, CLOSED);
        row("RFC 2661 §7.2.1 idle × Receive SCCRP → Send StopCCN: a LAC that gave up still tells the LNS",
                CLOSING, SCCRP, CLOSING, LEARN_PEER_ID, SEND_STOPCCN);
    }

    private ControlTable() {
    }

    /** The row for (state, event), or null if the event is ignored in that state. */
    public static Row lookup(State state, Event event) {
        Map<Event, Row> m = TABLE.get(state);
        return m == null ? null : m.get(event);
    }

    /** Every row, in table order. */
    public static List<Row> rows() {
        return Collections.unmodifiableList(ROWS);
    }
}
