package io.jl2tp.l2tp.transport;

import io.jl2tp.l2tp.wire.Avp;
import io.jl2tp.l2tp.wire.ControlMessage;
import io.jl2tp.l2tp.wire.MessageType;
import io.jl2tp.testkit.VirtualScheduler;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReliableTransportTest {

    private final VirtualScheduler clock = new VirtualScheduler();

    /** Records what one transport outputs and delivers. */
    private final class Recorder implements ReliableTransport.Listener {
        final List<ControlMessage> out = new ArrayList<>();
        final List<Long> outAt = new ArrayList<>();
        final List<ControlMessage> delivered = new ArrayList<>();
        long exhaustedAt = -1;
        ReliableTransport peer;
        double loss;
        double dup;
        long jitter;
        Random random = new Random(1);

        @Override
        public void output(ControlMessage msg) {
            out.add(msg);
            outAt.add(clock.millis());
            if (peer == null || random.nextDouble() < loss) {
                return;
            }
            ReliableTransport p = peer;
            long delay = 10 + (jitter == 0 ? 0 : (long) (random.nextDouble() * jitter));
            clock.schedule(() -> p.input(msg), delay, TimeUnit.MILLISECONDS);
            if (random.nextDouble() < dup) {
                clock.schedule(() -> p.input(msg), delay + 5, TimeUnit.MILLISECONDS);
            }
        }

        @Override
        public void deliver(ControlMessage msg) {
            delivered.add(msg);
        }

        @Override
        public void retriesExhausted(ControlMessage msg, int retries) {
            exhaustedAt = clock.millis();
        }
    }

    private static ControlMessage hello(int marker) {
        return ControlMessage.of(MessageType.HELLO, 1, 0, List.of(Avp.callSerialNumber(marker)));
    }

    @Test
    void retransmissionIntervalsDoubleUpToTheCapAndTheRetryLimitClearsOnTime() {
        Recorder r = new Recorder();
        ReliableTransport t = new ReliableTransport(TransportConfig.DEFAULTS.withMaxRetries(7), clock, r);
        t.send(hello(1));
        clock.advance(200, TimeUnit.SECONDS);
        // Sent at 0, retransmitted at 1, 3, 7, 15, 23, 31, 39 s: intervals 1, 2, 4, 8, 8, 8, 8.
        assertEquals(List.of(0L, 1000L, 3000L, 7000L, 15000L, 23000L, 31000L, 39000L), r.outAt);
        assertTrue(r.out.stream().allMatch(m -> m.ns() == 0), "same Ns on every retransmission");
        assertEquals(47_000, r.exhaustedAt, "cleared one capped interval after the last retry");
    }

    @Test
    void defaultRetryLimitIsFiveAndTheCapIsConfigurable() {
        Recorder r = new Recorder();
        ReliableTransport t = new ReliableTransport(TransportConfig.DEFAULTS.withMaxTimeout(Duration.ofSeconds(16)), clock, r);
        t.send(hello(1));
        clock.advance(200, TimeUnit.SECONDS);
        assertEquals(List.of(0L, 1000L, 3000L, 7000L, 15000L, 31000L), r.outAt);
        assertEquals(47_000, r.exhaustedAt, "31 s + one capped 16 s interval");
        assertEquals(Duration.ofSeconds(31), TransportConfig.DEFAULTS.fullCycle());
    }

    @Test
    void retransmissionCarriesTheCurrentNr() {
        Recorder a = new Recorder();
        Recorder b = new Recorder();
        ReliableTransport ta = new ReliableTransport(TransportConfig.DEFAULTS, clock, a);
        ReliableTransport tb = new ReliableTransport(TransportConfig.DEFAULTS, clock, b);
        b.peer = ta;
        ta.send(hello(1));               // lost: a has no peer link
        tb.send(hello(2));               // reaches a
        clock.advance(1500, TimeUnit.MILLISECONDS);
        assertEquals(0, a.out.get(0).nr());
        List<ControlMessage> retx = a.out.stream().filter(m -> !m.isZlb()).toList();
        assertEquals(2, retx.size(), "original and one retransmission by t=1.5 s");
        assertEquals(0, retx.get(1).ns(), "same Ns");
        assertEquals(1, retx.get(1).nr(), "retransmitted with Nr updated to 1");
    }

    @Test
    void everyMessageIsDeliveredExactlyOnceInOrderThrough30PercentLossDuplicationAndReordering() {
        for (int seed = 1; seed <= 10; seed++) {
            VirtualScheduler c = clock;
            Recorder a = new Recorder();
            Recorder b = new Recorder();
            a.random = new Random(seed);
            b.random = new Random(seed * 31L);
            a.loss = b.loss = 0.3;
            a.dup = b.dup = 0.2;
            a.jitter = b.jitter = 400;
            TransportConfig cfg = TransportConfig.DEFAULTS.withMaxRetries(20);
            ReliableTransport ta = new ReliableTransport(cfg, c, a);
            ReliableTransport tb = new ReliableTransport(cfg, c, b);
            a.peer = tb;
            b.peer = ta;
            tb.setPeerWindow(8);
            ta.setPeerWindow(8);
            for (int i = 0; i < 300; i++) {
                ta.send(hello(i));
                tb.send(hello(10_000 + i));
            }
            c.advance(3600, TimeUnit.SECONDS);
            assertEquals(-1, a.exhaustedAt, "seed " + seed);
            assertEquals(300, b.delivered.size(), "seed " + seed + ": b got all of a's");
            assertEquals(300, a.delivered.size(), "seed " + seed + ": a got all of b's");
            for (int i = 0; i < 300; i++) {
                assertEquals(i, b.delivered.get(i).find(io.jl2tp.l2tp.wire.AvpType.CALL_SERIAL_NUMBER).u32());
                assertEquals(10_000 + i, a.delivered.get(i).find(io.jl2tp.l2tp.wire.AvpType.CALL_SERIAL_NUMBER).u32());
            }
            assertTrue(ta.duplicates() + tb.duplicates() > 0, "duplicates were seen and dropped");
            assertTrue(ta.idle() && tb.idle());
            ta.close();
            tb.close();
        }
    }

    @Test
    void thePeerWindowIsHonouredWithSlowStart() {
        Recorder a = new Recorder();
        ReliableTransport ta = new ReliableTransport(TransportConfig.DEFAULTS, clock, a);
        for (int i = 0; i < 10; i++) {
            ta.send(hello(i));
        }
        assertEquals(1, a.out.size(), "slow start: cwnd = 1");
        ta.input(ControlMessage.zlb(1, 0, 1)); // ack Ns 0
        assertEquals(3, a.out.size(), "cwnd 2 after one ack");
        ta.input(ControlMessage.zlb(1, 0, 3));
        assertEquals(4, ta.inFlight(), "never more than the peer's window of 4 (default, no RWS AVP)");
        ta.setPeerWindow(8);
        assertTrue(ta.inFlight() <= 8);
        // A retransmission halves ssthresh and resets cwnd to 1 (Appendix A).
        clock.advance(1, TimeUnit.SECONDS);
        assertEquals(1.0, ta.congestionWindow());
    }

    @Test
    void theTransmittedCallbackRunsWhenTheMessageFirstLeavesNotWhenQueued() {
        Recorder a = new Recorder();
        ReliableTransport ta = new ReliableTransport(TransportConfig.DEFAULTS, clock, a);
        List<String> log = new ArrayList<>();
        ta.send(hello(0), () -> log.add("0 out=" + a.out.size()));
        assertEquals(List.of("0 out=1"), log, "window room: at once, after the output");
        ta.send(hello(1), () -> log.add("1 out=" + a.out.size()));
        ta.send(hello(2));
        ta.send(hello(3), () -> log.add("3 out=" + a.out.size()));
        assertEquals(1, log.size(), "queued behind the window (cwnd 1): not yet");
        ta.input(ControlMessage.zlb(1, 0, 1)); // ack Ns 0: cwnd 2, messages 1 and 2 leave
        assertEquals(List.of("0 out=1", "1 out=3"), log, "after both messages that left together");
        ta.input(ControlMessage.zlb(1, 0, 3));
        assertEquals(List.of("0 out=1", "1 out=3", "3 out=4"), log);
        clock.advance(1, TimeUnit.SECONDS);    // a retransmission is not a first transmission
        assertEquals(3, log.size());
        ta.send(hello(4));
        ta.send(hello(5));
        ta.send(hello(6));
        ta.send(hello(7));
        ta.send(hello(8), () -> log.add("8"));
        ta.close();
        ta.input(ControlMessage.zlb(1, 0, 9));
        assertEquals(3, log.size(), "never after close");
    }

    @Test
    void zlbIsDelayedAndSuppressedByAPiggybackedNr() {
        Recorder a = new Recorder();
        ReliableTransport ta = new ReliableTransport(TransportConfig.DEFAULTS, clock, a);
        ta.input(hello(1).withSequence(0, 0));
        assertEquals(0, a.out.size(), "no immediate ZLB");
        clock.advance(250, TimeUnit.MILLISECONDS);
        assertEquals(1, a.out.size());
        assertTrue(a.out.get(0).isZlb());
        assertEquals(1, a.out.get(0).nr());
        ta.input(hello(2).withSequence(1, 0));
        ta.send(hello(3));                     // piggybacks Nr = 2
        clock.advance(1, TimeUnit.SECONDS);
        assertEquals(2, a.out.get(1).nr());
        assertTrue(a.out.stream().filter(ControlMessage::isZlb).count() == 1, "no separate ZLB needed");
        ta.close();
    }

    @Test
    void duplicatesAreAcknowledgedAtOnceAndNotDeliveredAgain() {
        Recorder a = new Recorder();
        ReliableTransport ta = new ReliableTransport(TransportConfig.DEFAULTS, clock, a);
        ta.input(hello(1).withSequence(0, 0));
        ta.input(hello(1).withSequence(0, 0));
        assertEquals(1, a.delivered.size());
        assertEquals(1, a.out.size(), "the duplicate is acknowledged immediately with a ZLB");
        assertEquals(1, ta.duplicates());
    }

    @Test
    void sequenceNumbersWrapAround() {
        Recorder a = new Recorder();
        Recorder b = new Recorder();
        ReliableTransport ta = new ReliableTransport(TransportConfig.DEFAULTS, clock, a);
        ReliableTransport tb = new ReliableTransport(TransportConfig.DEFAULTS, clock, b);
        a.peer = tb;
        b.peer = ta;
        ta.setPeerWindow(8);
        for (int i = 0; i < 70_000; i++) {
            ta.send(hello(i));
        }
        clock.advance(3000, TimeUnit.SECONDS);
        assertEquals(70_000, b.delivered.size());
        assertEquals(70_000 & 0xFFFF, ta.nextNs());
        assertEquals(-1, a.exhaustedAt);
    }
}
