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

    /** How long the back-off scenario watches at most (5 retries capped at 8 s take 23 s). */
    static final Duration BACKOFF_WATCH = Duration.ofSeconds(90);

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
                throw new Failed("ICRQ answered with " + icrp);
            }
            int ns = icrp.ns();
            List<Long> at = new ArrayList<>();
            at.add(System.nanoTime()); // the first ICRP has just arrived
            long start = System.nanoTime();
            String end = "silence";
            while (System.nanoTime() - start < BACKOFF_WATCH.toNanos()) {
                double last = at.size() < 2 ? 1 : LacWire.seconds(at.get(at.size() - 2), at.get(at.size() - 1));
                Duration quiet = Duration.ofMillis((long) Math.min(30_000, Math.max(10_000, last * 2500)));
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
            lac.wire.peerTunnel = 0;
            return judge(at, end);
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
        for (int i = 1; i < gaps.size(); i++) {
            double prev = gaps.get(i - 1);
            double g = gaps.get(i);
            boolean doubled = g >= prev * 1.6 && g <= prev * 2.6;
            boolean capped = g >= prev * 0.75 && g <= prev * 1.3 && prev >= 7.5;
            if (!doubled && !capped) {
                throw new Failed(seen + ": interval " + (i + 1) + " is neither double the one before nor a cap >= 8 s");
            }
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
                throw new Failed("first ICRQ answered with " + first);
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
                throw new Failed("ICRQ answered with " + icrp);
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
