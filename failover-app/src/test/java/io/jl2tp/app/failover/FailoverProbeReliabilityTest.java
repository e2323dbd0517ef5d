package io.jl2tp.app.failover;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** mwan3's k-of-n probe rounds ({@code probe reliability}) under the down/up hysteresis. */
class FailoverProbeReliabilityTest {

    private static boolean[] r(boolean... answered) {
        return answered;
    }

    @Test
    void aRoundSucceedsWhenAtLeastKOfNAnswer() {
        ProbeHysteresis two = new ProbeHysteresis(3, 5, 2);
        assertTrue(two.roundSucceeded(r(true, true, false)));
        assertTrue(two.roundSucceeded(r(true, true, true)));
        assertFalse(two.roundSucceeded(r(true, false, false)));
        assertFalse(two.roundSucceeded(r(false, false, false)));
        ProbeHysteresis one = new ProbeHysteresis(3, 5);
        assertTrue(one.roundSucceeded(r(false, true)), "the default reliability is 1: any target will do");
        assertFalse(one.roundSucceeded(r(false, false)));
        assertEquals(2, ProbeHysteresis.answering(r(true, false, true)));
    }

    @Test
    void oneTargetOfTwoDownKeepsThePrimaryUpWithReliabilityOne() {
        ProbeHysteresis h = new ProbeHysteresis(2, 2, 1);
        for (int i = 0; i < 10; i++) {
            assertTrue(h.record(r(true, false)), "round " + i);
        }
    }

    @Test
    void failingRoundsCountTowardsDownAndSuccessfulOnesTowardsUp() {
        ProbeHysteresis h = new ProbeHysteresis(3, 2, 2);
        assertTrue(h.record(r(true, false, true)));
        assertTrue(h.record(r(true, false, false)), "one failed round");
        assertTrue(h.record(r(false, false, true)), "two failed rounds");
        assertTrue(h.record(r(true, true, false)), "a good round resets the count of failed ones");
        assertTrue(h.record(r(false, true, false)));
        assertTrue(h.record(r(false, false, false)));
        assertFalse(h.record(r(true, false, false)), "three failed rounds in a row: down");
        assertFalse(h.record(r(true, true, false)), "one good round is not enough to come back");
        assertFalse(h.record(r(true, false, false)), "a failed round resets the count of good ones");
        assertFalse(h.record(r(false, true, true)));
        assertTrue(h.record(r(true, true, true)), "two good rounds in a row: up");
    }

    @Test
    void resetStartsAfreshHealthy() {
        ProbeHysteresis h = new ProbeHysteresis(1, 3, 2);
        assertFalse(h.record(r(true, false)));
        h.reset();
        assertTrue(h.healthy());
        assertTrue(h.record(r(true, true)));
    }

    @Test
    void reliabilityMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new ProbeHysteresis(1, 1, 0));
    }
}
