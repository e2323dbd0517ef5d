package io.jl2tp.l2tp.tunnel;

import io.jl2tp.l2tp.tunnel.ControlTable.Action;
import io.jl2tp.l2tp.tunnel.ControlTable.Event;
import io.jl2tp.l2tp.tunnel.ControlTable.Row;
import io.jl2tp.l2tp.tunnel.Tunnel.State;
import io.jl2tp.l2tp.wire.ControlMessage;
import io.jl2tp.l2tp.wire.MessageType;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every row of the control-connection table (RFC 2661 §7.2.1, {@link ControlTable}), one named
 * test per row: a real tunnel is brought into the row's state the way a peer would bring it
 * there, the row's event happens (a message from the peer, a local request, a timer), and the
 * tunnel must reach the row's next state having done the row's actions — observed as the
 * messages it sent and the events it reported. A second test holds the RFC's table, transcribed
 * independently, against {@link ControlTable}.
 */
class ControlTableTest {

    /** The tunnel in {@code state}, in the role the row needs. */
    static TableHarness in(State state, Event event) {
        boolean lac = state == State.WAIT_CTL_REPLY || event == Event.OPEN_REQUEST || event == Event.NEW_CALL
                || (state == State.CLOSING && event == Event.SCCRP);
        boolean secret = event == Event.SCCCN_NOT_ACCEPTABLE;
        TableHarness h = new TableHarness(lac, secret);
        switch (state) {
            case IDLE -> { }
            case WAIT_CTL_REPLY -> h.run(h.tunnel::start);
            case WAIT_CTL_CONN -> {
                h.deliver(TableHarness.sccrq());
                h.ackAll(); // the LAC's ZLB for our SCCRP
            }
            case ESTABLISHED -> {
                if (lac) {
                    h.run(h.tunnel::start);
                    h.deliver(h.sccrp());
                } else {
                    h.deliver(TableHarness.sccrq());
                    h.deliver(h.scccn());
                }
                h.ackAll();
            }
            case CLOSING -> {
                if (lac) {
                    h.run(h.tunnel::start);   // gave up before any SCCRP: no peer Tunnel ID yet
                } else {
                    h.deliver(TableHarness.sccrq());
                    h.deliver(h.scccn());
                }
                h.run(() -> h.tunnel.close("test"));
            }
            case CLOSED -> throw new IllegalStateException("no rows leave closed");
        }
        assertEquals(state, h.tunnel.state(), "harness reached the row's state");
        h.clear();
        return h;
    }

    /** Makes {@code e} happen to the harness's tunnel. */
    static void apply(TableHarness h, Event e) {
        Tunnel t = h.tunnel;
        switch (e) {
            case OPEN_REQUEST -> h.run(t::start);
            case NEW_CALL -> h.run(() -> t.openSession(SessionConfig.defaults(), f -> f.release()));
            case ADMIN_CLOSE -> h.run(() -> t.close("admin"));
            case SCCRQ_ACCEPTABLE, SCCRQ -> h.deliver(TableHarness.sccrq());
            case SCCRQ_NOT_ACCEPTABLE -> h.deliver(TableHarness.sccrqBadVersion());
            case LOST_TIE_BREAKER -> h.run(t::lostTieBreaker);
            case SCCRP_ACCEPTABLE, SCCRP -> h.deliver(h.sccrp());
            case SCCRP_NOT_ACCEPTABLE -> h.deliver(h.sccrpBadVersion());
            case SCCCN_ACCEPTABLE, SCCCN -> h.deliver(h.scccn());
            case SCCCN_NOT_ACCEPTABLE -> h.deliver(h.scccn()); // no Challenge Response to our Challenge
            case STOPCCN -> h.deliver(h.stopCcn());
            case HELLO -> h.deliver(h.hello());
            case BAD_TUNNEL_MESSAGE -> h.deliver(h.helloWithUnknownMandatoryAvp());
            case HALF_OPEN_EVICTED -> h.run(t::evict);
            // Timers: fired as their timer fires them. Each timer on its own: HostilePeerTest (set-up
            // timeout), TunnelPairTest#deadPeerIsDetectedByHelloAndTheRetryLimit, #tunnelAndCallComeUp… (linger).
            case SETUP_TIMEOUT, RETRIES_EXHAUSTED, LINGER_DONE -> h.run(() -> t.fire(e, null, Cause.silent("timer")));
        }
    }

    @TestFactory
    Stream<DynamicTest> everyRowOfTheControlConnectionTable() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Row row : ControlTable.rows()) {
            String name = row.state() + " × " + row.event().rfcName() + " → " + row.next()
                    + (row.actions().isEmpty() ? "" : " (" + row.actions().stream().map(Enum::name)
                    .collect(Collectors.joining(", ")) + ")") + " [" + row.clause() + "]";
            tests.add(DynamicTest.dynamicTest(name, () -> {
                TableHarness h = in(row.state(), row.event());
                int peerIdBefore = h.tunnel.peerId();
                apply(h, row.event());
                assertEquals(row.next(), h.tunnel.state(), "next state");
                assertEquals(expectedMessages(row, h, peerIdBefore), h.sentTypes().stream()
                        .filter(ControlTableTest::tunnelScoped).toList(), "messages sent");
                boolean zlbNow = h.sent.stream().anyMatch(ControlMessage::isZlb);
                assertEquals(row.actions().contains(Action.ACK_NOW), zlbNow, "immediate ZLB (ACK_NOW)");
                assertEquals(row.actions().contains(Action.TUNNEL_OPEN) ? 1 : 0, h.count(L2tpEvent.TunnelUp.class),
                        "TunnelUp (tunnel-open)");
                assertEquals(row.actions().contains(Action.CLEAN_UP) ? 1 : 0, h.count(L2tpEvent.TunnelDown.class),
                        "TunnelDown (clean up)");
                if (row.next() == State.CLOSED) {
                    assertTrue(h.endpoint.tunnels().isEmpty() && h.tunnel.transport().idle(), "state released");
                }
            }));
        }
        assertTrue(tests.size() >= 35, "the table has " + tests.size() + " rows");
        return tests.stream();
    }

    private static boolean tunnelScoped(MessageType t) {
        return t.isTunnelMessage() || MessageType.ICRQ.equals(t);
    }

    /** The message types a row's actions send, in order. */
    private static List<MessageType> expectedMessages(Row row, TableHarness h, int peerIdBefore) {
        List<MessageType> out = new ArrayList<>();
        for (Action a : row.actions()) {
            switch (a) {
                case SEND_SCCRQ -> out.add(MessageType.SCCRQ);
                case SEND_SCCRP -> out.add(MessageType.SCCRP);
                case SEND_SCCCN -> out.add(MessageType.SCCCN);
                // A StopCCN needs the peer's Tunnel ID (§6.4 header); before any SCCRP a LAC has none.
                case SEND_STOPCCN -> {
                    if (h.tunnel.peerId() != 0) {
                        out.add(MessageType.STOPCCN);
                    }
                }
                case OPEN_WAITING_CALLS -> out.add(MessageType.ICRQ); // the new call's ICRQ
                default -> { }
            }
        }
        return out;
    }

    /** RFC 2661 §7.2.1, transcribed from the RFC's text: state, event, new state. */
    private static final List<String> RFC_7_2_1 = List.of(
            "IDLE OPEN_REQUEST WAIT_CTL_REPLY SEND_SCCRQ",
            "IDLE SCCRQ_ACCEPTABLE WAIT_CTL_CONN SEND_SCCRP",
            "IDLE SCCRQ_NOT_ACCEPTABLE CLOSING SEND_STOPCCN,CLEAN_UP",
            "WAIT_CTL_REPLY SCCRP_ACCEPTABLE ESTABLISHED SEND_SCCCN,TUNNEL_OPEN",
            "WAIT_CTL_REPLY SCCRP_NOT_ACCEPTABLE CLOSING SEND_STOPCCN,CLEAN_UP",
            "WAIT_CTL_REPLY LOST_TIE_BREAKER CLOSED CLEAN_UP",
            "WAIT_CTL_REPLY SCCCN CLOSING SEND_STOPCCN,CLEAN_UP",
            "WAIT_CTL_CONN SCCCN_ACCEPTABLE ESTABLISHED TUNNEL_OPEN",
            "WAIT_CTL_CONN SCCCN_NOT_ACCEPTABLE CLOSING SEND_STOPCCN,CLEAN_UP",
            "WAIT_CTL_CONN SCCRP CLOSING SEND_STOPCCN,CLEAN_UP",
            "WAIT_CTL_CONN SCCRQ CLOSING SEND_STOPCCN,CLEAN_UP",
            "ESTABLISHED NEW_CALL ESTABLISHED OPEN_WAITING_CALLS",
            "ESTABLISHED ADMIN_CLOSE CLOSING CLOSE_CALLS,SEND_STOPCCN,CLEAN_UP",
            "ESTABLISHED SCCRQ CLOSING SEND_STOPCCN,CLEAN_UP",
            "ESTABLISHED SCCRP CLOSING SEND_STOPCCN,CLEAN_UP",
            "ESTABLISHED SCCCN CLOSING SEND_STOPCCN,CLEAN_UP",
            "IDLE STOPCCN CLOSING ACK_NOW,CLEAN_UP",
            "WAIT_CTL_REPLY STOPCCN CLOSING ACK_NOW,CLEAN_UP",
            "WAIT_CTL_CONN STOPCCN CLOSING ACK_NOW,CLEAN_UP",
            "ESTABLISHED STOPCCN CLOSING ACK_NOW,CLEAN_UP");

    @Test
    void theTableContainsEveryRowOfRfc2661Section721() {
        Set<String> table = ControlTable.rows().stream().map(r -> r.state() + " " + r.event() + " " + r.next() + " "
                + r.actions().stream().map(Enum::name).collect(Collectors.joining(","))).collect(Collectors.toSet());
        for (String rfc : RFC_7_2_1) {
            assertTrue(table.contains(rfc), "missing RFC 2661 §7.2.1 row: " + rfc);
        }
        long cited = ControlTable.rows().stream().filter(r -> r.clause().startsWith("RFC 2661 §7.2.1")
                && !r.clause().contains("before establishment") && !r.clause().contains("idle × Receive SCCRP")).count();
        assertEquals(RFC_7_2_1.size(), cited, "rows citing §7.2.1 are exactly the RFC's");
    }
}
