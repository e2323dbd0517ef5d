package io.jl2tp.l2tp.tunnel;

import io.jl2tp.l2tp.transport.Seq;
import io.jl2tp.l2tp.wire.ControlMessage;
import io.jl2tp.l2tp.wire.MessageType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The LNS's reply backlog under an ICRQ flood (issue 11 row 2, docs/robustness.md "Hostile
 * load"), in virtual time. The attacker is modelled on failover-app's HostileLac: it keeps the
 * LNS's receive window full of ICRQs with fresh Assigned Session IDs, acknowledges every reply
 * after one round trip, never sends ICCN, and retransmits its oldest unacknowledged message after
 * 1 s without progress (RFC 2661 §5.8). Before the bound the LNS's transport queue grew by about
 * one message per ICRQ (ICRP and CDN produced, only the peer's window of 4 in flight).
 */
class IcrqBacklogTest {

    static final int LNS_RWS = 8;  // TunnelConfig default: the attacker keeps this many ICRQs outstanding
    static final long RTT_MS = 5;

    /** One LNS tunnel, established, fed by an attacker that floods ICRQs. */
    static final class Flood {
        final TableHarness h = HalfOpenCallTest.establishedLns();
        int ns = h.tunnel.transport().expectedNr(); // attacker's next Ns
        int nr = h.tunnel.transport().nextNs();     // attacker's Nr: next Ns expected from the LNS
        int acked = ns;                              // the LNS's Nr as last seen
        int seen;                                    // messages of h.sent processed
        int maxQueued;
        int icrps;
        long lastProgress;

        void send(ControlMessage m) {
            h.clock.execute(() -> h.tunnel.input(m));
            h.clock.runPending();
            maxQueued = Math.max(maxQueued, h.tunnel.transport().queued());
        }

        /** Reads what the LNS sent: its acknowledgements, and the replies in order. */
        void receive() {
            for (; seen < h.sent.size(); seen++) {
                ControlMessage m = h.sent.get(seen);
                if (Seq.before(acked, m.nr())) {
                    acked = m.nr();
                    lastProgress = h.clock.millis();
                }
                if (!m.isZlb() && m.ns() == nr) {
                    nr = Seq.next(nr);
                    if (MessageType.ICRP.equals(m.messageType())) {
                        icrps++;
                    }
                }
            }
        }

        /** Sends {@code n} ICRQs (each once, plus retransmissions), acknowledging every reply. */
        void run(int n) {
            int sentIcrqs = 0;
            List<ControlMessage> unacked = new ArrayList<>();
            while (sentIcrqs < n || Seq.before(acked, ns)) {
                receive();
                while (!unacked.isEmpty() && Seq.before(unacked.get(0).ns(), acked)) {
                    unacked.remove(0);
                }
                while (sentIcrqs < n && Seq.distance(acked, ns) < LNS_RWS) {
                    ControlMessage icrq = h.icrq(0, 1 + sentIcrqs % 0xFFFE).withSequence(ns, nr);
                    unacked.add(icrq);
                    ns = Seq.next(ns);
                    sentIcrqs++;
                    send(icrq);
                }
                if (!unacked.isEmpty() && h.clock.millis() - lastProgress >= 1_000) {
                    send(unacked.get(0).withSequence(unacked.get(0).ns(), nr)); // §5.8: oldest, current Nr
                    lastProgress = h.clock.millis();
                }
                h.clock.advance(RTT_MS, TimeUnit.MILLISECONDS);
                receive();
                send(ControlMessage.zlb(h.tunnel.localId(), ns, nr)); // acknowledge every reply
                assertTrue(h.clock.millis() < 3_600_000, "flood stalled: " + sentIcrqs + " ICRQs sent, "
                        + icrps + " ICRPs");
            }
            for (int i = 0; i < 1_000 && !h.tunnel.transport().idle(); i++) { // the last replies
                h.clock.advance(RTT_MS, TimeUnit.MILLISECONDS);
                receive();
                send(ControlMessage.zlb(h.tunnel.localId(), ns, nr));
            }
        }
    }

    @Test
    void anIcrqFloodLeavesTheReplyQueueBoundedAndEveryIcrqAnswered() {
        Flood f = new Flood();
        int n = 3_000;
        f.run(n);
        int bound = EndpointLimits.DEFAULTS.queuedPerTunnel();
        assertTrue(f.maxQueued <= bound + 2, "LNS transport queue peaked at " + f.maxQueued + " messages after "
                + n + " ICRQs (bound " + bound + " + the replies to one ICRQ)");
        assertEquals(n, f.icrps, "every ICRQ answered: the flood is paced, not refused");
        assertTrue(f.h.endpoint.counters().icrqsDeferred() > 0, "the bound was reached");
        assertEquals(EndpointLimits.DEFAULTS.halfOpenCallsPerTunnel(), f.h.tunnel.calls().halfOpen());
        assertEquals(Tunnel.State.ESTABLISHED, f.h.tunnel.state());
    }

    /**
     * Two honest jl2tp peers with the smallest bound: a LAC that opens 40 calls at once gets all of
     * them up, the LNS deferring ICRQs while its ICRPs wait for the window, and neither side
     * retransmits to the limit — the deadlock that refusing any in-order message on a long queue
     * caused (both sides stopped acknowledging) cannot happen.
     */
    @Test
    void twoHonestPeersNeverWaitOnEachOther() {
        VirtualPair p = new VirtualPair(7);
        p.impair(0.1, 0.05, 20);
        p.clock.execute(() -> p.lns.limits(new EndpointLimits(16, 1024, 64, 1)));
        p.lns.serve(TunnelConfig.defaults("lns"), s -> f -> f.release(), p.lnsEvents::add);
        List<Session> calls = new ArrayList<>();
        p.clock.execute(() -> {
            Tunnel t = p.lac.connect(VirtualPair.LNS_ADDR, TunnelConfig.defaults("lac"), p.lacEvents::add);
            for (int i = 0; i < 40; i++) {
                calls.add(t.openSession(SessionConfig.defaults(), f -> f.release()));
            }
        });
        p.run(120_000);
        assertEquals(40, calls.stream().filter(Session::isEstablished).count(), "calls up");
        assertTrue(p.lns.counters().icrqsDeferred() > 0, "the LNS deferred ICRQs");
        assertEquals(1, p.lac.tunnels().size());
        assertEquals(Tunnel.State.ESTABLISHED, p.lac.tunnels().get(0).state());
        assertTrue(p.events(p.lacEvents, L2tpEvent.TunnelDown.class).isEmpty());
    }

    /** {@link L2tpEndpoint#whenQuiet}: completes when the peer has acknowledged our StopCCN, not before. */
    @Test
    void whenQuietCompletesOnceThePeerHasAcknowledgedEverything() {
        VirtualPair p = new VirtualPair(3);
        p.lns.serve(TunnelConfig.defaults("lns"), s -> f -> f.release(), p.lnsEvents::add);
        p.clock.execute(() -> p.lac.connect(VirtualPair.LNS_ADDR, TunnelConfig.defaults("lac"), p.lacEvents::add)
                .openSession(SessionConfig.defaults(), f -> f.release()));
        p.run(5_000);
        List<CompletableFuture<Void>> quiet = new ArrayList<>();
        p.clock.execute(() -> {
            p.lac.closeAll("test");
            quiet.add(p.lac.whenQuiet());
        });
        p.clock.runPending();
        assertFalse(quiet.get(0).isDone(), "CDN and StopCCN not yet acknowledged");
        p.run(15); // one way is 10 ms: the LNS's ZLB is delayed by the ack delay
        p.run(300);
        assertTrue(quiet.get(0).isDone(), "acknowledged within the ack delay and a round trip");
        List<CompletableFuture<Void>> idle = new ArrayList<>();
        p.clock.execute(() -> idle.add(p.lns.whenQuiet()));
        p.clock.runPending();
        assertTrue(idle.get(0).isDone(), "nothing outstanding: at once");
    }
}
