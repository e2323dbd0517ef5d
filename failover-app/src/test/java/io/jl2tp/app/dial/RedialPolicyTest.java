package io.jl2tp.app.dial;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RedialPolicyTest {

    @Test
    void backsOffExponentiallyUpToTheCapWithoutJitter() {
        RedialPolicy p = new RedialPolicy(true, Duration.ofSeconds(10), Duration.ofSeconds(60), 0, 0.0);
        assertEquals(10_000, p.delayMillis(1, () -> 0.5).getAsLong());
        assertEquals(20_000, p.delayMillis(2, () -> 0.5).getAsLong());
        assertEquals(40_000, p.delayMillis(3, () -> 0.5).getAsLong());
        assertEquals(60_000, p.delayMillis(4, () -> 0.5).getAsLong());
        assertEquals(60_000, p.delayMillis(40, () -> 0.5).getAsLong(), "no overflow for large attempts");
    }

    @Test
    void jitterOnlyShortensTheWait() {
        RedialPolicy p = RedialPolicy.of(true, Duration.ofSeconds(10), 0);
        Random r = new Random(42);
        for (int i = 0; i < 1000; i++) {
            long d = p.delayMillis(1, r::nextDouble).getAsLong();
            assertTrue(d <= 10_000 && d >= 8_000, "delay " + d + " within [0.8, 1] x redial timeout");
        }
        assertEquals(8_000, p.delayMillis(1, () -> 1.0).getAsLong());
    }

    @Test
    void stopsAfterMaxRedialsOrWhenDisabled() {
        RedialPolicy p = RedialPolicy.of(true, Duration.ofSeconds(1), 3);
        assertTrue(p.delayMillis(3, () -> 0).isPresent());
        assertFalse(p.delayMillis(4, () -> 0).isPresent());
        assertFalse(RedialPolicy.of(false, Duration.ofSeconds(1), 0).delayMillis(1, () -> 0).isPresent());
    }

    @Test
    void rejectsNonsense() {
        assertThrows(IllegalArgumentException.class, () -> RedialPolicy.of(true, Duration.ZERO, 0));
        assertThrows(IllegalArgumentException.class, () -> RedialPolicy.of(true, Duration.ofSeconds(1), -1));
    }
}
