package io.jl2tp.app.harness.conformance;

import io.jl2tp.l2tp.wire.ControlMessage;
import io.jl2tp.l2tp.wire.MessageType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static io.jl2tp.app.harness.conformance.Lac.type;

/** Reliable delivery (RFC 2661 §5.8): retransmission and back-off, the receive window, duplicates. */
final class TransportScenarios {

    /** How long the back-off scenario watches at most (5 retries capped at 8 s take 23 s, uncapped 31 s). */
    static final Duration BACKOFF_WATCH = Duration.ofSeconds(120);

    /** Timer slack allowed per retransmission interval, in seconds. */
    static final double SLACK = 1.1;

    private TransportScenarios() {
    }

    static List<Scenario> all() {
        return List.of(
                new Scenario("retransmit-backoff", "RFC 2661 §5.8",
                        "unacknowledged ICRP retransmitted with the same Ns, intervals doubling to a cap >= 8 s, then given up",
                        TransportScenarios::backoff),
                new Scenario("receive-window", "RFC 2661 §5.8", "with our RWS 1, no second message before the first is acknowledged",
                        TransportScenarios::window),
                new Scenario("duplicate", "RFC 2661 §5.8", "a duplicated ICRQ acknowledged again and processed once (one ICRP)",
                        TransportScenarios::duplicate));
    }

    static String backoff(Target t) throws Exception {
        try (Lac lac = new Lac(t)) {
            // After the tunnel is up (an LNS may rightly hold back SCCRP retransmissions until the
            // LAC has proved its address), an ICRP is left unacknowledged.
            lac.openTunnel();
            lac.wire.autoAck(false);
            lac.wire.send(lac.icrq(List.of(), false));
            ControlMessage icrp = lac.awaitIcrp();
            if (icrp == null || !MessageType.ICRP.equals(icrp.messageType())) {
                throw new Failed("ICRQ answered with " + Lac.describe(icrp));
            }
            int ns = icrp.ns();
            List<Long> at = new ArrayList<>();
            at.add(System.nanoTime()); // the first ICRP has just arrived
            long start = System.nanoTime();
            String end = "silence";
            while (System.nanoTime() - start < BACKOFF_WATCH.toNanos()) {
                double last = at.size() < 2 ? 1 : LacWire.seconds(at.get(at.size() - 2), at.get(at.size() - 1));
                // Silence for 2.5 times the last interval (10 to 45 s) means the LNS gave up: the
                // next timeout, after which it clears the tunnel, is at most twice the last.
                Duration quiet = Duration.ofMillis((long) Math.min(45_000, Math.max(10_000, last * 2500)));
                LacWire.Rx r = lac.wire.awaitControl(m -> !m.isZlb(), quiet);
                if (r == null) {
                    break;
                }
                MessageType mt = r.msg().messageType();
                if (MessageType.ICRP.equals(mt) && r.msg().ns() == ns) {
                    at.add(r.atNanos());
                } else {
                    end = mt + " " + Lac.result(r.msg());
                    break;
                }
            }
            String seen = judge(at, end);
            // RFC 2661 §5.8: "the tunnel and all sessions within MUST be cleared".
            lac.wire.autoAck(true);
            lac.wire.send(lac.icrq(List.of(), false));
            ControlMessage after = lac.awaitIcrp();
            if (after != null && MessageType.ICRP.equals(after.messageType())) {
                throw new Failed(seen + "; but the tunnel was not cleared: a new ICRQ was answered by ICRP");
            }
            lac.wire.peerTunnel = 0;
            return seen + "; tunnel cleared";
        }
    }

    /** Checks the retransmission times: doubling (±30 %) until a cap of at least 8 s, finitely many. */
    static String judge(List<Long> at, String end) throws Failed {
        List<Double> gaps = new ArrayList<>();
        for (int i = 1; i < at.size(); i++) {
            gaps.add(LacWire.seconds(at.get(i - 1), at.get(i)));
        }
        StringBuilder s = new StringBuilder();
        gaps.forEach(g -> s.append(s.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.1f", g)));
        String seen = gaps.size() + " retransmissions after " + s + " s, then " + end;
        if (gaps.size() < 2) {
            throw new Failed(seen + ": too few to see a back-off");
        }
        if (gaps.size() > 15) {
            throw new Failed(seen + ": never gave up");
        }
        // Each interval doubles the one before, or stays at a cap of at least 8 s. Each measured
        // interval may be off by SLACK: l2tpns runs its timers on a one-second tick, so its first
        // interval (nominally 1 s) was measured at 1.0 to 2.1 s.
        for (int i = 1; i < gaps.size(); i++) {
            double prev = gaps.get(i - 1);
            double g = gaps.get(i);
            boolean doubled = g >= 1.6 * (prev - SLACK) && g <= 2.6 * (prev + SLACK);
            boolean capped = prev >= 8 - SLACK && Math.abs(g - prev) <= 0.3 * prev + SLACK;
            if (!doubled && !capped) {
                throw new Failed(seen + ": interval " + (i + 1) + " is neither double the one before nor a cap >= 8 s");
            }
        }
        double first = gaps.get(0);
        double last = gaps.get(gaps.size() - 1);
        if (last < 0.7 * Math.min(8, first * Math.pow(2, gaps.size() - 1))) {
            throw new Failed(seen + ": the intervals do not grow as an exponential back-off");
        }
        return seen;
    }

    static String window(Target t) throws Exception {
        try (Lac lac = new Lac(t)) {
            byte[] challenge = t.hasSecret() ? Lac.randomBytes(16) : null;
            lac.requestTunnel(1, challenge);
            lac.wire.send(ControlMessage.of(MessageType.SCCCN, lac.wire.peerTunnel, 0, lac.answerChallenge(false)));
            lac.wire.awaitControl(m -> m.isZlb(), lac.reply());
            lac.wire.autoAck(false);
            lac.wire.send(lac.icrq(List.of(), false));
            ControlMessage first = lac.awaitIcrp();
            if (first == null || !MessageType.ICRP.equals(first.messageType())) {
                throw new Failed("first ICRQ answered with " + Lac.describe(first));
            }
            // A second ICRQ that does not acknowledge the first ICRP: the window (1) is full.
            ControlMessage second = lac.icrq(List.of(), false).withSequence(lac.wire.ns, first.ns());
            lac.wire.sendRaw(second);
            lac.wire.ns = (lac.wire.ns + 1) & 0xffff;
            LacWire.Rx early = lac.wire.awaitControl(m -> !m.isZlb() && m.ns() != first.ns(), Duration.ofMillis(2500));
            if (early != null) {
                throw new Failed(early.msg().messageType() + " (Ns " + early.msg().ns() + ") sent while our window of 1 held the"
                        + " unacknowledged ICRP (Ns " + first.ns() + ")");
            }
            lac.wire.autoAck(true);
            lac.wire.sendRaw(ControlMessage.zlb(lac.wire.peerTunnel, lac.wire.ns, (first.ns() + 1) & 0xffff));
            LacWire.Rx next = lac.wire.awaitControl(type(MessageType.ICRP).or(type(MessageType.CDN)), lac.reply());
            if (next == null) {
                throw new Failed("nothing sent after the window opened (the second ICRQ lost)");
            }
            return "held back 2.5 s; " + next.msg().messageType() + " (Ns " + next.msg().ns() + ") once acknowledged";
        }
    }

    static String duplicate(Target t) throws Exception {
        try (Lac lac = new Lac(t)) {
            lac.openTunnel();
            ControlMessage icrq = lac.wire.send(lac.icrq(List.of(), false));
            ControlMessage icrp = lac.awaitIcrp();
            if (icrp == null || !MessageType.ICRP.equals(icrp.messageType())) {
                throw new Failed("ICRQ answered with " + Lac.describe(icrp));
            }
            lac.wire.pendingControls().clear();
            lac.wire.sendRaw(icrq.withSequence(icrq.ns(), lac.wire.nr));
            LacWire.Rx ack = lac.wire.awaitControl(m -> ((m.nr() - icrq.ns() - 1) & 0xffff) < 0x8000, lac.reply());
            if (ack == null) {
                throw new Failed("the duplicate ICRQ was not acknowledged again");
            }
            LacWire.Rx again = lac.wire.awaitControl(m -> MessageType.ICRP.equals(m.messageType()) && m.ns() != icrp.ns()
                    || MessageType.CDN.equals(m.messageType()), Duration.ofSeconds(2));
            if (again != null) {
                throw new Failed("the duplicate was processed again: " + again.msg());
            }
            return "acknowledged again by " + (ack.msg().isZlb() ? "a ZLB" : ack.msg().messageType()) + ", one ICRP";
        }
    }
}
