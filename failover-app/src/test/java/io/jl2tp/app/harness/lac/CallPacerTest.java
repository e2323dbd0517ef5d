package io.jl2tp.app.harness.lac;

import io.jl2tp.testkit.VirtualScheduler;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The load generator's pacing, in virtual time: the attempt rate, and the cap on calls in set-up. */
class CallPacerTest {

    private final VirtualScheduler clock = new VirtualScheduler();
    private final List<Integer> placed = new ArrayList<>();

    @Test
    void placesAtTheRateWhenCallsCompleteAtOnce() {
        CallPacer[] p = new CallPacer[1];
        p[0] = new CallPacer(clock, clock.nanoClock(), 500, 10, 10_000, k -> {
            placed.add(k);
            p[0].settled();
        });
        clock.execute(p[0]::start);
        clock.runPending();
        clock.advance(1, TimeUnit.SECONDS);
        assertEquals(501, placed.size(), "one at start, then 500 a second");
        assertEquals(List.of(0, 1, 2), placed.subList(0, 3));
        clock.advance(1, TimeUnit.SECONDS);
        assertEquals(1001, placed.size());
    }

    @Test
    void neverHasMoreThanTheCapInSetUpAndResumesAsCallsSettle() {
        CallPacer p = new CallPacer(clock, clock.nanoClock(), 10_000, 100, 1_000, placed::add);
        clock.execute(p::start);
        clock.runPending();
        clock.advance(1, TimeUnit.SECONDS);
        assertEquals(100, placed.size(), "the cap, not the rate");
        assertEquals(100, p.pending());
        for (int i = 0; i < 30; i++) {
            p.settled();
        }
        assertEquals(100, placed.size(), "settling places nothing by itself");
        clock.advance(1, TimeUnit.MILLISECONDS);
        assertEquals(130, placed.size(), "the next tick fills the freed slots");
        assertEquals(100, p.pending());
    }

    @Test
    void stopsAfterTheLastCall() {
        CallPacer[] p = new CallPacer[1];
        p[0] = new CallPacer(clock, clock.nanoClock(), 1_000, 5, 20, k -> {
            placed.add(k);
            p[0].settled();
        });
        clock.execute(p[0]::start);
        clock.runPending();
        clock.advance(1, TimeUnit.SECONDS);
        assertEquals(20, placed.size());
        assertEquals(0, clock.pendingTasks(), "no tick left once every call is placed");
    }

    @Test
    void refusesNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new CallPacer(clock, clock.nanoClock(), 0, 1, 1, k -> { }));
        assertThrows(IllegalArgumentException.class, () -> new CallPacer(clock, clock.nanoClock(), 1, 0, 1, k -> { }));
    }
}
