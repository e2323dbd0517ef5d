package io.jl2tp.ppp.fsm;

import io.jl2tp.ppp.wire.CpOption;
import io.jl2tp.ppp.wire.CpPacket;
import io.jl2tp.testkit.VirtualScheduler;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.lang.reflect.Field;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every transition of the RFC 1661 §4.1 state table, one named test per row: the automaton is put
 * into the row's state, given the event, and must reach the row's next state having performed the
 * row's actions (observed through the handler callbacks and the packets sent).
 */
class StateTableTest {

    /** Records callbacks and sent packets. */
    static class Recorder implements CpHandler {
        final List<String> calls = new ArrayList<>();
        final List<CpPacket> sent = new ArrayList<>();

        @Override
        public void resetci() {
        }

        @Override
        public List<CpOption> addci() {
            return List.of(CpOption.u16(1, 1500));
        }

        @Override
        public void ackci(List<CpOption> acked) {
        }

        @Override
        public boolean nakci(List<CpOption> nak) {
            return true;
        }

        @Override
        public boolean rejci(List<CpOption> rejected) {
            return true;
        }

        @Override
        public ReqResult reqci(List<CpOption> request, boolean rejectIfDisagree) {
            return new ReqResult(CpPacket.CONF_ACK, request);
        }

        @Override
        public void up() {
            calls.add("tlu");
        }

        @Override
        public void down() {
            calls.add("tld");
        }

        @Override
        public void starting() {
            calls.add("tls");
        }

        @Override
        public void finished() {
            calls.add("tlf");
        }
    }

    static CpFsm fsm(Recorder r, VirtualScheduler clock) {
        return new CpFsm("TEST", 0xC021, r, new CpConfig(Duration.ofSeconds(3), 10, 2, 5), clock,
                (proto, p) -> r.sent.add(p), "");
    }

    static void force(CpFsm f, State s) throws Exception {
        Field field = CpFsm.class.getDeclaredField("state");
        field.setAccessible(true);
        field.set(f, s);
    }

    /** The packet codes an action list must produce, in order. */
    private static List<Integer> expectedCodes(List<Action> actions, Event e) {
        List<Integer> codes = new ArrayList<>();
        for (Action a : actions) {
            switch (a) {
                case SCR -> codes.add(CpPacket.CONF_REQ);
                case STR -> codes.add(CpPacket.TERM_REQ);
                case STA -> codes.add(CpPacket.TERM_ACK);
                case SCA, SCN, SER, SCJ -> codes.add(-1); // answer supplied by the receive path; see below
                default -> {
                }
            }
        }
        return codes;
    }

    @TestFactory
    Stream<DynamicTest> everyRowOfTheRfc1661Table() {
        List<DynamicTest> tests = new ArrayList<>();
        for (State s : State.values()) {
            for (Event e : Event.values()) {
                StateTable.Transition t = StateTable.lookup(s, e);
                if (t == null) {
                    continue;
                }
                String name = s.rfcName() + " × " + e.rfcName() + " → " + t.next().rfcName()
                        + (t.actions().isEmpty() ? "" : " (" + String.join(",", t.actions().stream()
                        .map(a -> a.name().toLowerCase()).toList()) + ")");
                tests.add(DynamicTest.dynamicTest(name, () -> {
                    Recorder r = new Recorder();
                    VirtualScheduler clock = new VirtualScheduler();
                    CpFsm f = fsm(r, clock);
                    force(f, s);
                    CpPacket answer = new CpPacket(CpPacket.CONF_ACK, 9, new byte[0]);
                    boolean needsAnswer = t.actions().contains(Action.SCA) || t.actions().contains(Action.SCN)
                            || t.actions().contains(Action.SER) || t.actions().contains(Action.SCJ);
                    if (needsAnswer) {
                        f.reply(answer, e);
                    } else {
                        f.event(e);
                    }
                    assertEquals(t.next(), f.state(), "next state");
                    List<String> expectedCalls = t.actions().stream()
                            .filter(a -> a == Action.TLU || a == Action.TLD || a == Action.TLS || a == Action.TLF)
                            .map(a -> a.name().toLowerCase()).toList();
                    assertEquals(expectedCalls, r.calls, "layer actions");
                    List<Integer> codes = expectedCodes(t.actions(), e);
                    assertEquals(codes.size(), r.sent.size(), "packets sent: " + r.sent);
                    for (int i = 0; i < codes.size(); i++) {
                        if (codes.get(i) >= 0) {
                            assertEquals(codes.get(i), r.sent.get(i).code(), "packet " + i);
                        } else {
                            assertEquals(answer, r.sent.get(i));
                        }
                    }
                    boolean timer = t.actions().contains(Action.SCR) || t.actions().contains(Action.STR)
                            || t.actions().contains(Action.ZRC);
                    if (timer) {
                        assertEquals(1, clock.pendingTasks(), "restart timer running");
                    }
                }));
            }
        }
        assertTrue(tests.size() >= 120, "the table has " + tests.size() + " cells");
        return tests.stream();
    }

    @Test
    void maxConfigureExhaustionEndsInStoppedWithTlfAfterTenRequestsEveryThreeSeconds() {
        Recorder r = new Recorder();
        VirtualScheduler clock = new VirtualScheduler();
        CpFsm f = fsm(r, clock);
        f.open();
        f.up();
        List<Long> at = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            int before = r.sent.size();
            clock.advance(1, TimeUnit.SECONDS);
            if (r.sent.size() > before) {
                at.add(clock.millis());
            }
        }
        assertEquals(10, r.sent.stream().filter(p -> p.code() == CpPacket.CONF_REQ).count(), "Max-Configure = 10");
        assertEquals(List.of(3000L, 6000L, 9000L, 12000L, 15000L, 18000L, 21000L, 24000L, 27000L), at);
        assertEquals(State.STOPPED, f.state());
        assertEquals(List.of("tls", "tlf"), r.calls);
        // every request had a fresh Identifier
        assertEquals(10, r.sent.stream().map(CpPacket::id).distinct().count());
    }

    @Test
    void maxTerminateLimitsTerminateRequests() {
        Recorder r = new Recorder();
        VirtualScheduler clock = new VirtualScheduler();
        CpFsm f = fsm(r, clock);
        f.open();
        f.up();
        f.close("bye");
        clock.advance(30, TimeUnit.SECONDS);
        assertEquals(2, r.sent.stream().filter(p -> p.code() == CpPacket.TERM_REQ).count(), "Max-Terminate = 2");
        assertEquals(State.CLOSED, f.state());
        assertEquals("bye", new String(r.sent.get(1).data()));
    }

    @Test
    void maxFailureTurnsNaksIntoRejects() {
        int[] reqci = {0};
        Recorder r = new Recorder() {
            @Override
            public ReqResult reqci(List<CpOption> request, boolean rejectIfDisagree) {
                reqci[0]++;
                return rejectIfDisagree ? new ReqResult(CpPacket.CONF_REJ, request)
                        : new ReqResult(CpPacket.CONF_NAK, List.of(CpOption.u16(1, 1400)));
            }
        };
        VirtualScheduler clock = new VirtualScheduler();
        CpFsm f = fsm(r, clock);
        f.open();
        f.up();
        for (int i = 0; i < 7; i++) {
            f.input(new CpPacket(CpPacket.CONF_REQ, i, CpOption.encode(List.of(CpOption.u16(1, 1600)))));
        }
        List<Integer> answers = r.sent.stream().filter(p -> p.code() == CpPacket.CONF_NAK || p.code() == CpPacket.CONF_REJ)
                .map(CpPacket::code).toList();
        assertEquals(List.of(3, 3, 3, 3, 3, 4, 4), answers, "Max-Failure = 5 Naks, then Rejects (RFC 1661 §4.6)");
    }

    @Test
    void ackNakRejectOnlyWithTheMatchingIdentifierAndAckOnlyIfIdentical() {
        Recorder r = new Recorder();
        VirtualScheduler clock = new VirtualScheduler();
        CpFsm f = fsm(r, clock);
        f.open();
        f.up();
        CpPacket req = r.sent.get(0);
        f.input(new CpPacket(CpPacket.CONF_ACK, (req.id() + 1) & 0xff, req.data()));
        assertEquals(State.REQ_SENT, f.state(), "wrong Identifier: discarded");
        f.input(new CpPacket(CpPacket.CONF_ACK, req.id(), CpOption.encode(List.of(CpOption.u16(1, 1400)))));
        assertEquals(State.REQ_SENT, f.state(), "options differ from what we sent: discarded");
        f.input(new CpPacket(CpPacket.CONF_NAK, (req.id() + 7) & 0xff, new byte[0]));
        assertEquals(1, r.sent.size(), "stale Nak: no new request");
        f.input(new CpPacket(CpPacket.CONF_ACK, req.id(), req.data()));
        assertEquals(State.ACK_RCVD, f.state());
    }
}
