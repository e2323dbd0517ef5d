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
        RedialPolicy p = new RedialPolicy(true, Duration.ofSeconds(10), true, Duration.ofSeconds(60), 0, 0.0);
        assertEquals(10_000, p.delayMillis(1, () -> 0.5).getAsLong());
        assertEquals(20_000, p.delayMillis(2, () -> 0.5).getAsLong());
        assertEquals(40_000, p.delayMillis(3, () -> 0.5).getAsLong());
        assertEquals(60_000, p.delayMillis(4, () -> 0.5).getAsLong());
        assertEquals(60_000, p.delayMillis(40, () -> 0.5).getAsLong(), "no overflow for large attempts");
    }

    @Test
    void byDefaultTheWaitIsXl2tpdsFixedRedialTimeout() {
        RedialPolicy p = RedialPolicy.of(true, Duration.ofSeconds(10), 0, false);
        for (int attempt = 1; attempt <= 12; attempt++) {
            assertEquals(10_000, p.delayMillis(attempt, () -> 0.9).getAsLong(), "attempt " + attempt);
        }
        assertEquals(40_000, RedialPolicy.of(true, Duration.ofSeconds(10), 0, true).delayMillis(3, () -> 0).getAsLong(),
                "back-off only when asked for");
    }

    @Test
    void xl2tpdConfKeyRedialBackoffTurnsBackOffOn() throws Exception {
        String lac = "[lac isp]\nlns = 203.0.113.2\nredial = yes\nredial timeout = 10\n";
        var plain = io.jl2tp.app.config.Xl2tpdConfigParser.parse(lac, "xl2tpd.conf");
        assertFalse(plain.lacs().get("isp").redialBackoff(), "default: xl2tpd's fixed interval");
        assertTrue(plain.warnings().isEmpty(), plain.warnings().toString());
        var withBackoff = io.jl2tp.app.config.Xl2tpdConfigParser.parse(lac + "redial backoff = yes\n", "xl2tpd.conf");
        assertTrue(withBackoff.lacs().get("isp").redialBackoff());
        assertTrue(withBackoff.warnings().isEmpty(), "a known key: " + withBackoff.warnings());
    }

    @Test
    void jitterOnlyShortensTheWait() {
        RedialPolicy p = RedialPolicy.backoff(true, Duration.ofSeconds(10), 0);
        Random r = new Random(42);
        for (int i = 0; i < 1000; i++) {
            long d = p.delayMillis(1, r::nextDouble).getAsLong();
            assertTrue(d <= 10_000 && d >= 8_000, "delay " + d + " within [0.8, 1] x redial timeout");
        }
        assertEquals(8_000, p.delayMillis(1, () -> 1.0).getAsLong());
    }

    @Test
    void stopsAfterMaxRedialsOrWhenDisabled() {
        RedialPolicy p = RedialPolicy.fixed(true, Duration.ofSeconds(1), 3);
        assertTrue(p.delayMillis(3, () -> 0).isPresent());
        assertFalse(p.delayMillis(4, () -> 0).isPresent());
        assertFalse(RedialPolicy.fixed(false, Duration.ofSeconds(1), 0).delayMillis(1, () -> 0).isPresent());
    }

    @Test
    void rejectsNonsense() {
        assertThrows(IllegalArgumentException.class, () -> RedialPolicy.fixed(true, Duration.ZERO, 0));
        assertThrows(IllegalArgumentException.class, () -> RedialPolicy.fixed(true, Duration.ofSeconds(1), -1));
    }
}
