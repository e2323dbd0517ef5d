package io.jl2tp.app.harness.conformance;

import io.jl2tp.l2tp.wire.Avp;
import io.jl2tp.l2tp.wire.AvpType;
import io.jl2tp.l2tp.wire.AvpValue;
import io.jl2tp.l2tp.wire.ControlMessage;
import io.jl2tp.l2tp.wire.MessageType;

import java.net.DatagramSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.jl2tp.app.harness.conformance.Lac.type;
import static io.jl2tp.app.harness.conformance.Lac.zlbAcking;

/**
 * The {@code --lac} suite: the harness is the LNS, the implementation under test dials it once
 * per scenario (it must redial after each tunnel ends). Control connection and call set-up,
 * retransmission of an unanswered SCCRQ, HELLO, StopCCN, an unknown M-bit AVP and a wrong
 * Challenge Response in the SCCRP.
 */
final class LacScenarios {

    private LacScenarios() {
    }

    /** The scenarios, each waiting up to {@code dialWait} for the LAC to dial {@code socket}. */
    static List<Scenario> all(DatagramSocket socket, Duration dialWait) {
        return List.of(
                new Scenario("lac-tunnel-setup", "RFC 2661 §5.1, §6.1, §6.3",
                        "SCCRQ with its mandatory AVPs (Ns 0 Nr 0); our SCCRP answered by SCCCN (Ns 1 Nr 1, right Challenge Response)",
                        t -> {
                            try (Lns lns = new Lns(t, socket, dialWait)) {
                                lns.openTunnel();
                                return "SCCRQ from " + lns.sccrq.find(AvpType.HOST_NAME).text() + ", SCCCN"
                                        + (lns.ourChallenge != null ? " with the right Challenge Response" : "");
                            }
                        }),
                new Scenario("lac-call-setup", "RFC 2661 §5.2.1, §6.6, §6.8",
                        "ICRQ with Assigned Session ID and Call Serial Number; our ICRP answered by ICCN with Tx Connect Speed and Framing Type",
                        t -> {
                            try (Lns lns = new Lns(t, socket, dialWait)) {
                                return callSetup(lns);
                            }
                        }),
                new Scenario("lac-retransmit-backoff", "RFC 2661 §5.8",
                        "an unanswered SCCRQ retransmitted with the same Ns, intervals doubling to a cap >= 8 s, then given up",
                        t -> {
                            try (Lns lns = new Lns(t, socket, dialWait)) {
                                return backoff(lns);
                            }
                        }),
                new Scenario("lac-hello", "RFC 2661 §6.5", "HELLO acknowledged",
                        t -> {
                            try (Lns lns = new Lns(t, socket, dialWait)) {
                                lns.openTunnel();
                                ControlMessage hello = lns.wire.send(ControlMessage.of(MessageType.HELLO, lns.wire.peerTunnel, 0, List.of()));
                                if (lns.wire.awaitControl(zlbAcking(hello.ns() + 1).or(m -> !m.isZlb() && m.nr() == hello.ns() + 1),
                                        t.reply()) == null) {
                                    throw new Failed("HELLO (Ns " + hello.ns() + ") not acknowledged");
                                }
                                return "HELLO acknowledged";
                            }
                        }),
                new Scenario("lac-stopccn", "RFC 2661 §5.7, §6.4", "StopCCN acknowledged with a ZLB",
                        t -> {
                            try (Lns lns = new Lns(t, socket, dialWait)) {
                                lns.openTunnel();
                                ControlMessage stop = lns.wire.send(ControlMessage.of(MessageType.STOPCCN, lns.wire.peerTunnel, 0,
                                        List.of(Avp.assignedTunnelId(lns.wire.localTunnel), Avp.resultCode(6, null, null))));
                                LacWire.Rx ack = lns.wire.awaitControl(m -> ((m.nr() - stop.ns() - 1) & 0xffff) < 0x8000, t.reply());
                                lns.wire.peerTunnel = 0;
                                if (ack == null || !ack.msg().isZlb()) {
                                    throw new Failed("StopCCN answered with " + (ack == null ? "nothing" : Lac.describe(ack.msg())));
                                }
                                return "ZLB ack";
                            }
                        }),
                new Scenario("lac-mbit-unknown", "RFC 2661 §4.1", "unknown M-bit AVP in our SCCRP: the LAC clears the tunnel (StopCCN, no SCCCN)",
                        t -> {
                            try (Lns lns = new Lns(t, socket, dialWait)) {
                                lns.awaitSccrq();
                                lns.wire.send(lns.sccrp(false,
                                        List.of(Avp.of(TunnelScenarios.UNKNOWN_TYPE, true, new AvpValue.Raw(new byte[] {1, 2, 3, 4})))));
                                return expectStop(lns, "an SCCRP with an unknown M-bit AVP");
                            }
                        }),
                new Scenario("lac-tunnel-auth-wrong", "RFC 2661 §5.1.1", "a wrong Challenge Response in our SCCRP: StopCCN, no SCCCN",
                        t -> {
                            if (!t.hasSecret()) {
                                throw new Scenario.Skipped("no tunnel secret given");
                            }
                            try (Lns lns = new Lns(t, socket, dialWait)) {
                                lns.awaitSccrq();
                                if (!lns.sccrq.has(AvpType.CHALLENGE)) {
                                    throw new Scenario.Skipped("the LAC sent no Challenge in its SCCRQ");
                                }
                                lns.wire.send(lns.sccrp(true, List.of()));
                                return expectStop(lns, "a wrong Challenge Response");
                            }
                        }));
    }

    private static String expectStop(Lns lns, String what) throws Exception {
        LacWire.Rx r = lns.wire.awaitControl(type(MessageType.SCCCN).or(type(MessageType.STOPCCN)), lns.target.reply());
        if (r == null) {
            throw new Failed("neither SCCCN nor StopCCN after " + what);
        }
        if (MessageType.SCCCN.equals(r.msg().messageType())) {
            throw new Failed("SCCCN after " + what + ": the tunnel was accepted");
        }
        lns.wire.peerTunnel = 0;
        return "StopCCN " + Lac.result(r.msg());
    }

    private static String callSetup(Lns lns) throws Exception {
        lns.openTunnel();
        LacWire.Rx r = lns.wire.awaitControl(type(MessageType.ICRQ), lns.dialWait);
        if (r == null) {
            throw new Failed("no ICRQ after the tunnel came up");
        }
        ControlMessage icrq = r.msg();
        if (icrq.assignedSessionId().isEmpty() || !icrq.has(AvpType.CALL_SERIAL_NUMBER)) {
            throw new Failed("ICRQ without Assigned Session ID or Call Serial Number (§6.6)");
        }
        int session = 1 + Lac.RANDOM.nextInt(65535);
        lns.wire.send(ControlMessage.of(MessageType.ICRP, lns.wire.peerTunnel, icrq.assignedSessionId().getAsInt(),
                List.of(Avp.assignedSessionId(session))));
        LacWire.Rx iccn = lns.wire.awaitControl(type(MessageType.ICCN).or(type(MessageType.CDN)), lns.target.reply());
        if (iccn == null || !MessageType.ICCN.equals(iccn.msg().messageType())) {
            throw new Failed("ICRP answered with " + (iccn == null ? "nothing" : Lac.describe(iccn.msg())));
        }
        if (iccn.msg().sessionId() != session) {
            throw new Failed("ICCN sent to session " + iccn.msg().sessionId() + ", ours is " + session);
        }
        if (!iccn.msg().has(AvpType.TX_CONNECT_SPEED) || !iccn.msg().has(AvpType.FRAMING_TYPE)) {
            throw new Failed("ICCN without Tx Connect Speed or Framing Type (§6.8)");
        }
        return "ICRQ, ICCN";
    }

    private static String backoff(Lns lns) throws Exception {
        lns.wire.autoAck(false);
        ControlMessage first = lns.awaitSccrq();
        int tunnel = first.assignedTunnelId().getAsInt();
        List<Long> at = new ArrayList<>();
        at.add(System.nanoTime());
        long start = System.nanoTime();
        String end = "silence";
        while (System.nanoTime() - start < TransportScenarios.BACKOFF_WATCH.toNanos()) {
            double last = at.size() < 2 ? 1 : LacWire.seconds(at.get(at.size() - 2), at.get(at.size() - 1));
            Duration quiet = Duration.ofMillis((long) Math.min(45_000, Math.max(10_000, last * 2500)));
            LacWire.Rx r = lns.wire.awaitControl(m -> !m.isZlb(), quiet);
            if (r == null) {
                break;
            }
            ControlMessage m = r.msg();
            if (MessageType.SCCRQ.equals(m.messageType()) && m.assignedTunnelId().orElse(-1) == tunnel) {
                if (m.ns() != first.ns()) {
                    throw new Failed("retransmitted SCCRQ has Ns " + m.ns() + ", the first had " + first.ns());
                }
                at.add(r.atNanos());
            } else {
                end = MessageType.SCCRQ.equals(m.messageType()) ? "a new SCCRQ (the LAC dialled again)"
                        : Lac.describe(m);
                break;
            }
        }
        lns.wire.peerTunnel = 0;
        return TransportScenarios.judge(at, end);
    }
}
