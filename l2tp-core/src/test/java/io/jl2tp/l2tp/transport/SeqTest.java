package io.jl2tp.l2tp.transport;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SeqTest {

    @Test
    void wrapsModulo65536() {
        assertEquals(0, Seq.next(65535));
        assertEquals(4, Seq.add(65534, 6));
        assertEquals(2, Seq.distance(65535, 1));
    }

    @Test
    void beforeFollowsRfc2661Section58() {
        assertTrue(Seq.before(1, 2));
        assertTrue(Seq.before(65535, 0), "across the wrap");
        assertFalse(Seq.before(5, 5), "equal is not before");
        // "≤ last" covers the last value and the 32767 before it: 32768 values before b.
        assertTrue(Seq.before(0, 32768));
        assertFalse(Seq.before(0, 32769));
        assertFalse(Seq.before(2, 1));
    }
}
