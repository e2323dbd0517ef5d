package io.jl2tp.app.failover;

import io.jl2tp.app.failover.FailoverPolicy.Action;
import io.jl2tp.app.failover.FailoverPolicy.CancelHold;
import io.jl2tp.app.failover.FailoverPolicy.Dial;
import io.jl2tp.app.failover.FailoverPolicy.GaveUp;
import io.jl2tp.app.failover.FailoverPolicy.HangUp;
import io.jl2tp.app.failover.FailoverPolicy.HoldExpired;
import io.jl2tp.app.failover.FailoverPolicy.Manual;
import io.jl2tp.app.failover.FailoverPolicy.PrimaryChanged;
import io.jl2tp.app.failover.FailoverPolicy.Routes;
import io.jl2tp.app.failover.FailoverPolicy.StartHold;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FailoverPolicyTest {

    private final FailoverPolicy p = new FailoverPolicy(Duration.ofSeconds(5));

    private static final PrimaryChanged DOWN = new PrimaryChanged(false);
    private static final PrimaryChanged UP = new PrimaryChanged(true);

    @Test
    void bootWithThePrimaryUpDoesNothing() {
        assertEquals(List.of(), p.on(UP));
        assertFalse(p.active());
        assertEquals(FailoverPolicy.Primary.UP, p.primary());
    }

    @Test
    void bootWithThePrimaryDownDialsAtOnce() {
        List<Action> a = p.on(DOWN);
        assertEquals(1, a.size());
        assertInstanceOf(Dial.class, a.get(0));
        assertTrue(p.active());
        assertEquals(1, p.failovers());
    }

    @Test
    void primaryDownDialsAndItsReturnHangsUpOnlyAfterHoldUp() {
        p.on(UP);
        assertInstanceOf(Dial.class, p.on(DOWN).get(0));
        List<Action> back = p.on(UP);
        StartHold hold = assertInstanceOf(StartHold.class, back.get(0));
        assertEquals(Duration.ofSeconds(5), hold.after());
        assertEquals(new Routes(false), back.get(1), "traffic moves to the primary at once, the session lingers");
        assertTrue(p.active() && p.holding());
        List<Action> end = p.on(new HoldExpired(hold.token()));
        assertInstanceOf(HangUp.class, end.get(0));
        assertFalse(p.active());
    }

    @Test
    void primaryDroppingAgainDuringHoldCancelsItAndKeepsTheSession() {
        p.on(DOWN);
        StartHold hold = (StartHold) p.on(UP).get(0);
        List<Action> a = p.on(DOWN);
        assertEquals(List.of(new CancelHold(hold.token()), new Routes(true)), a,
                "no second Dial: the session is still there, and traffic goes back into it");
        assertEquals(List.of(), p.on(new HoldExpired(hold.token())), "a stale timer is ignored");
        assertTrue(p.active());
    }

    @Test
    void repeatedStatesAreHarmless() {
        p.on(DOWN);
        assertEquals(List.of(), p.on(DOWN));
        StartHold hold = (StartHold) p.on(UP).get(0);
        assertEquals(List.of(), p.on(UP), "no second timer");
        assertInstanceOf(HangUp.class, p.on(new HoldExpired(hold.token())).get(0));
        assertEquals(List.of(), p.on(UP));
    }

    @Test
    void manualConnectAndDisconnectOverrideUntilTheNextChange() {
        p.on(UP);
        assertInstanceOf(Dial.class, p.on(new Manual(true)).get(0));
        assertEquals(List.of(), p.on(UP), "still up: no change, the manual session stays");
        assertTrue(p.active());
        assertInstanceOf(HangUp.class, p.on(new Manual(false)).get(0));
        assertInstanceOf(Dial.class, p.on(DOWN).get(0), "the next loss dials again");
        assertEquals(List.of(), p.on(DOWN));
        assertEquals(1, p.failovers());
    }

    @Test
    void aManualDisconnectDuringHoldCancelsTheTimer() {
        p.on(DOWN);
        StartHold hold = (StartHold) p.on(UP).get(0);
        List<Action> a = p.on(new Manual(false));
        assertEquals(new CancelHold(hold.token()), a.get(0));
        assertInstanceOf(HangUp.class, a.get(1));
    }

    @Test
    void aManualConnectDuringHoldKeepsTheSessionAndTakesTheTrafficBack() {
        p.on(DOWN);
        StartHold hold = (StartHold) p.on(UP).get(0);
        assertEquals(List.of(new CancelHold(hold.token()), new Routes(true)), p.on(new Manual(true)));
        assertTrue(p.active());
        assertFalse(p.holding());
    }

    @Test
    void aLacThatGaveUpIsDialledAgainOnTheNextLoss() {
        p.on(DOWN);
        p.on(new GaveUp());
        assertFalse(p.active());
        p.on(UP);
        assertInstanceOf(Dial.class, p.on(DOWN).get(0));
    }

    /** Any sequence of flaps: never two Dials without a HangUp between, and the end state follows the primary. */
    @Test
    void flappingNeverLeavesTwoSessionsAndSettlesOnTheFinalState() {
        Random r = new Random(42);
        for (int run = 0; run < 500; run++) {
            FailoverPolicy q = new FailoverPolicy(Duration.ofSeconds(5));
            int sessions = 0;
            boolean routesViaTunnel = true;
            List<Long> timers = new ArrayList<>();
            int steps = 1 + r.nextInt(40);
            boolean last = true;
            for (int i = 0; i < steps; i++) {
                List<Action> actions;
                int kind = r.nextInt(10);
                if (kind < 8) {
                    last = r.nextBoolean();
                    actions = q.on(new PrimaryChanged(last));
                } else if (!timers.isEmpty()) {
                    actions = q.on(new HoldExpired(timers.get(r.nextInt(timers.size()))));
                } else {
                    continue;
                }
                for (Action a : actions) {
                    if (a instanceof Dial) {
                        sessions++;
                    } else if (a instanceof HangUp) {
                        sessions--;
                    } else if (a instanceof StartHold h) {
                        timers.add(h.token());
                    } else if (a instanceof Routes rt) {
                        routesViaTunnel = rt.viaTunnel();
                    }
                    assertTrue(sessions == 0 || sessions == 1, "run " + run + ": sessions " + sessions);
                }
            }
            // Settle: the last hold timer fires (if any).
            for (Action a : timers.isEmpty() ? List.<Action>of() : q.on(new HoldExpired(timers.get(timers.size() - 1)))) {
                if (a instanceof HangUp) {
                    sessions--;
                }
            }
            assertEquals(last ? 0 : 1, sessions, "run " + run + ": final primary " + (last ? "up" : "down"));
            if (!last) {
                assertTrue(routesViaTunnel, "run " + run + ": primary down, so traffic must go through the tunnel");
            }
            assertEquals(sessions == 1, q.active());
        }
    }

    @Test
    void probeHysteresisNeedsRunsInARow() {
        ProbeHysteresis h = new ProbeHysteresis(3, 5);
        assertTrue(h.record(false) && h.record(false), "two losses are not a failure");
        assertTrue(h.record(true), "an answer resets the count");
        h.record(false);
        h.record(false);
        assertFalse(h.record(false), "three in a row are");
        for (int i = 0; i < 4; i++) {
            assertFalse(h.record(true), "recovery needs five answers in a row");
        }
        assertTrue(h.record(true));
        h.reset();
        assertTrue(h.healthy());
    }
}
