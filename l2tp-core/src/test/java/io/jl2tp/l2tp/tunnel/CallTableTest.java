package io.jl2tp.l2tp.tunnel;

import io.jl2tp.l2tp.tunnel.CallTable.Action;
import io.jl2tp.l2tp.tunnel.CallTable.Event;
import io.jl2tp.l2tp.tunnel.CallTable.Row;
import io.jl2tp.l2tp.tunnel.Session.State;
import io.jl2tp.l2tp.wire.MessageType;
import io.jl2tp.l2tp.wire.ResultCode;
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
 * Every row of the incoming-call tables (RFC 2661 §7.4.1 LAC, §7.4.2 LNS; {@link CallTable}),
 * one named test per row: a real call in a real tunnel is brought into the row's state as the
 * peer would bring it there, the row's event happens, and the call must reach the row's next
 * state having done the row's actions — the messages sent and the events reported. Further
 * tests hold the RFC's tables, transcribed independently, against {@link CallTable}.
 */
class CallTableTest {

    /** A harness and the call under test (null until the row's event creates it). */
    record Setup(TableHarness h, Session[] call) {
    }

    static Setup in(CallTable table, State state) {
        boolean lac = table == CallTable.LAC;
        TableHarness h = new TableHarness(lac, false);
        Session[] call = new Session[1];
        if (lac) {
            h.run(h.tunnel::start);
            if (state == State.WAIT_REPLY || state == State.ESTABLISHED) {
                h.deliver(h.sccrp());
                h.ackAll();
            }
            if (state != State.IDLE) {
                h.run(() -> call[0] = h.tunnel.openSession(SessionConfig.defaults(), f -> f.release()));
                h.ackAll();
            }
            if (state == State.ESTABLISHED) {
                h.deliver(h.icrp(call[0].localId(), TableHarness.PEER_SESSION));
                h.ackAll();
            }
        } else {
            h.deliver(TableHarness.sccrq());
            h.ackAll();
            h.deliver(h.scccn());
            if (state != State.IDLE) {
                h.deliver(h.icrq(0, TableHarness.PEER_SESSION));
                call[0] = h.tunnel.sessions().iterator().next();
                h.ackAll();
            }
            if (state == State.ESTABLISHED) {
                h.deliver(h.iccn(call[0].localId()));
                h.ackAll();
            }
        }
        if (call[0] != null) {
            assertEquals(state, call[0].state(), "harness reached the row's state");
        }
        h.clear();
        return new Setup(h, call);
    }

    static void apply(Setup s, Event e) {
        TableHarness h = s.h();
        Session[] call = s.call();
        int id = call[0] == null ? 0 : call[0].localId();
        switch (e) {
            case OPEN_REQUEST -> h.run(() -> call[0] = h.tunnel.openSession(SessionConfig.defaults(), f -> f.release()));
            case TUNNEL_OPEN -> h.deliver(h.sccrp());
            case LOCAL_CLOSE -> h.run(() -> call[0].close("local"));
            case ICRQ_ACCEPTABLE -> h.deliver(h.icrq(0, TableHarness.PEER_SESSION));
            case ICRQ_NOT_ACCEPTABLE -> h.deliver(h.icrq(0, 0)); // Assigned Session ID 0
            case ICRQ -> h.deliver(h.icrq(id, TableHarness.PEER_SESSION + 1));
            case ICRP_ACCEPTABLE, ICRP -> h.deliver(h.icrp(id, TableHarness.PEER_SESSION));
            case ICRP_NOT_ACCEPTABLE -> h.deliver(h.icrp(id, 0));
            case ICCN_ACCEPTABLE, ICCN -> h.deliver(h.iccn(id));
            case ICCN_NOT_ACCEPTABLE -> {
                h.acceptCalls = false; // the LNS application refuses the call
                h.deliver(h.iccn(id));
            }
            case CDN -> h.deliver(h.cdn(id));
            case WEN -> h.deliver(h.wen(id));
            case SLI -> h.deliver(h.sli(id));
            case BAD_MESSAGE -> h.deliver(TableHarness.withUnknownMandatoryAvp(h.cdn(id)));
            case TUNNEL_DOWN -> h.deliver(h.stopCcn());
            // Timers and the cap: fired as they fire; HalfOpenCallTest shows each on its own.
            case SETUP_TIMEOUT, HALF_OPEN_EVICTED -> h.run(() -> call[0].fire(e, null,
                    Cause.local(ResultCode.CDN_TIMEOUT, null, "timer")));
        }
        if (call[0] == null && !h.tunnel.sessions().isEmpty()) {
            call[0] = h.tunnel.sessions().iterator().next();
        }
    }

    @TestFactory
    Stream<DynamicTest> everyRowOfTheLacIncomingCallTable() {
        return rows(CallTable.LAC);
    }

    @TestFactory
    Stream<DynamicTest> everyRowOfTheLnsIncomingCallTable() {
        return rows(CallTable.LNS);
    }

    private static Stream<DynamicTest> rows(CallTable table) {
        List<DynamicTest> tests = new ArrayList<>();
        for (Row row : table.rows()) {
            String name = table.role() + " " + row.state() + " × " + row.event().rfcName() + " → " + row.next()
                    + (row.actions().isEmpty() ? "" : " (" + row.actions().stream().map(Enum::name)
                    .collect(Collectors.joining(", ")) + ")") + " [" + row.clause() + "]";
            tests.add(DynamicTest.dynamicTest(name, () -> {
                Setup s = in(table, row.state());
                apply(s, row.event());
                TableHarness h = s.h();
                Session call = s.call()[0];
                boolean refused = call == null; // an ICRQ refused before a Session ID was taken
                if (refused) {
                    assertEquals(State.CLOSED, row.next(), "only a refusal leaves no call behind");
                    assertTrue(h.tunnel.sessions().isEmpty(), "no call registered");
                } else {
                    assertEquals(row.next(), call.state(), "next state");
                }
                assertEquals(expectedMessages(row), h.sentTypes().stream().filter(CallTableTest::callScoped).toList(),
                        "messages sent");
                assertEquals(row.actions().contains(Action.PREPARE_DATA) ? 1 : 0, h.count(L2tpEvent.SessionUp.class),
                        "SessionUp (prepare for data)");
                assertEquals(row.actions().contains(Action.CLEAN_UP) && !refused ? 1 : 0,
                        h.count(L2tpEvent.SessionDown.class), "SessionDown (clean up)");
                if (row.next() == State.CLOSED && !refused) {
                    assertTrue(h.tunnel.session(call.localId()) == null, "call forgotten");
                    assertEquals(0, h.tunnel.calls().halfOpen(), "no half-open call");
                }
                if (row.next() == State.ESTABLISHED) {
                    assertTrue(call.isEstablished());
                }
            }));
        }
        return tests.stream();
    }

    private static boolean callScoped(MessageType t) {
        return !t.isTunnelMessage();
    }

    private static List<MessageType> expectedMessages(Row row) {
        List<MessageType> out = new ArrayList<>();
        for (Action a : row.actions()) {
            switch (a) {
                case SEND_ICRQ -> out.add(MessageType.ICRQ);
                case SEND_ICRP -> out.add(MessageType.ICRP);
                case SEND_ICCN -> out.add(MessageType.ICCN);
                case SEND_CDN -> out.add(MessageType.CDN);
                default -> { }
            }
        }
        return out;
    }

    /** RFC 2661 §7.4.1, transcribed from the RFC's text (rows on an existing call). */
    private static final List<String> RFC_7_4_1 = List.of(
            "IDLE OPEN_REQUEST WAIT_TUNNEL REQUEST_TUNNEL",
            "WAIT_TUNNEL LOCAL_CLOSE CLOSED CLEAN_UP",
            "WAIT_TUNNEL TUNNEL_OPEN WAIT_REPLY SEND_ICRQ",
            "WAIT_REPLY ICRP_ACCEPTABLE ESTABLISHED SEND_ICCN,PREPARE_DATA",
            "WAIT_REPLY ICRP_NOT_ACCEPTABLE CLOSED SEND_CDN,CLEAN_UP",
            "WAIT_REPLY ICRQ CLOSED SEND_CDN,CLEAN_UP",
            "WAIT_REPLY CDN CLOSED CLEAN_UP",
            "WAIT_REPLY ICCN CLOSED CLEAN_UP",
            "WAIT_REPLY LOCAL_CLOSE CLOSED SEND_CDN,CLEAN_UP",
            "ESTABLISHED CDN CLOSED CLEAN_UP",
            "ESTABLISHED ICRQ CLOSED SEND_CDN,CLEAN_UP",
            "ESTABLISHED ICRP CLOSED SEND_CDN,CLEAN_UP",
            "ESTABLISHED ICCN CLOSED SEND_CDN,CLEAN_UP",
            "ESTABLISHED LOCAL_CLOSE CLOSED SEND_CDN,CLEAN_UP");

    /** RFC 2661 §7.4.2, transcribed from the RFC's text (rows on an existing or new call). */
    private static final List<String> RFC_7_4_2 = List.of(
            "IDLE ICRQ_ACCEPTABLE WAIT_CONNECT SEND_ICRP",
            "IDLE ICRQ_NOT_ACCEPTABLE CLOSED SEND_CDN,CLEAN_UP",
            "WAIT_CONNECT ICCN_ACCEPTABLE ESTABLISHED PREPARE_DATA",
            "WAIT_CONNECT ICCN_NOT_ACCEPTABLE CLOSED SEND_CDN,CLEAN_UP",
            "WAIT_CONNECT ICRQ CLOSED SEND_CDN,CLEAN_UP",
            "WAIT_CONNECT ICRP CLOSED SEND_CDN,CLEAN_UP",
            "WAIT_CONNECT CDN CLOSED CLEAN_UP",
            "ESTABLISHED CDN CLOSED CLEAN_UP",
            "WAIT_CONNECT LOCAL_CLOSE CLOSED SEND_CDN,CLEAN_UP",
            "ESTABLISHED LOCAL_CLOSE CLOSED SEND_CDN,CLEAN_UP",
            "ESTABLISHED ICRQ CLOSED SEND_CDN,CLEAN_UP",
            "ESTABLISHED ICRP CLOSED SEND_CDN,CLEAN_UP",
            "ESTABLISHED ICCN CLOSED SEND_CDN,CLEAN_UP");

    @Test
    void theLacTableContainsEveryRowOfRfc2661Section741() {
        assertRfcRows(CallTable.LAC, RFC_7_4_1, "RFC 2661 §7.4.1");
    }

    @Test
    void theLnsTableContainsEveryRowOfRfc2661Section742() {
        assertRfcRows(CallTable.LNS, RFC_7_4_2, "RFC 2661 §7.4.2");
    }

    private static void assertRfcRows(CallTable t, List<String> rfc, String clause) {
        Set<String> table = t.rows().stream().map(r -> r.state() + " " + r.event() + " " + r.next() + " "
                + r.actions().stream().map(Enum::name).collect(Collectors.joining(","))).collect(Collectors.toSet());
        for (String row : rfc) {
            assertTrue(table.contains(row), "missing " + clause + " row: " + row);
        }
        assertEquals(rfc.size(), t.rows().stream().filter(r -> r.clause().equals(clause)).count(),
                "rows citing " + clause + " are exactly the RFC's");
    }
}
