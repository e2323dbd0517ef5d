package io.jl2tp.app.harness.conformance;

import io.jl2tp.l2tp.wire.Avp;
import io.jl2tp.l2tp.wire.AvpType;
import io.jl2tp.l2tp.wire.AvpValue;
import io.jl2tp.l2tp.wire.ControlMessage;
import io.jl2tp.l2tp.wire.MessageType;

import java.time.Duration;
import java.util.List;

import static io.jl2tp.app.harness.conformance.Lac.type;
import static io.jl2tp.app.harness.conformance.Lac.zlbAcking;

/**
 * The control-connection scenarios (RFC 2661 §4, §5, §6): establishment, sequence numbers,
 * acknowledgement, tear-down and AVP handling. Reliable-delivery timing is in
 * {@link TransportScenarios}.
 */
final class TunnelScenarios {

    /** An AVP type RFC 2661 does not define (§4.4 ends at 39). */
    static final int UNKNOWN_TYPE = 200;

    private TunnelScenarios() {
    }

    static List<Scenario> all() {
        return List.of(
                new Scenario("tunnel-setup", "RFC 2661 §5.1, §6.2", "SCCRQ answered by an SCCRP with its mandatory AVPs; SCCCN acknowledged",
                        TunnelScenarios::tunnelSetup),
                new Scenario("sequence-numbers", "RFC 2661 §5.8", "Ns starts at 0 and counts non-ZLB messages; Nr acknowledges ours",
                        TunnelScenarios::sequenceNumbers),
                new Scenario("zlb-ack", "RFC 2661 §5.8", "a message with no reply to carry the ack (SCCCN) is acknowledged by a ZLB",
                        TunnelScenarios::zlbAck),
                new Scenario("hello", "RFC 2661 §6.5", "HELLO acknowledged, the tunnel stays up",
                        TunnelScenarios::hello),
                new Scenario("stopccn", "RFC 2661 §5.7, §6.4", "StopCCN acknowledged with a ZLB, the tunnel cleared (no ICRP after)",
                        TunnelScenarios::stopccn),
                new Scenario("cdn", "RFC 2661 §5.7, §6.11", "CDN acknowledged, the call cleared (no PPP answer after), the tunnel stays",
                        TunnelScenarios::cdn),
                new Scenario("mbit-unknown-session", "RFC 2661 §4.1", "unknown M-bit AVP in an ICRQ: the session is terminated (CDN)",
                        TunnelScenarios::mbitSession),
                new Scenario("mbit-unknown-tunnel", "RFC 2661 §4.1", "unknown M-bit AVP in an SCCRQ: the tunnel is terminated (StopCCN, no tunnel)",
                        TunnelScenarios::mbitTunnel),
                new Scenario("unknown-avp-ignored", "RFC 2661 §4.1", "unknown AVP without the M bit ignored: ICRQ answered by ICRP",
                        TunnelScenarios::unknownIgnored),
                new Scenario("tunnel-auth", "RFC 2661 §5.1.1, §4.4.3", "SCCRP carries the right Challenge Response; our right response accepted",
                        TunnelScenarios::tunnelAuth),
                new Scenario("tunnel-auth-wrong", "RFC 2661 §5.1.1", "a wrong Challenge Response in the SCCCN: StopCCN, no tunnel",
                        TunnelScenarios::tunnelAuthWrong),
                new Scenario("hidden-avp", "RFC 2661 §4.3", "a hidden Assigned Session ID is decoded: the ICRP is sent to it",
                        TunnelScenarios::hiddenAvp));
    }

    static String tunnelSetup(Target t) throws Exception {
        try (Lac lac = new Lac(t)) {
            lac.openTunnel();
            return "SCCRP from tunnel " + lac.wire.peerTunnel + " (host " + lac.sccrp.find(AvpType.HOST_NAME).text()
                    + "), SCCCN acknowledged";
        }
    }

    static String sequenceNumbers(Target t) throws Exception {
        try (Lac lac = new Lac(t)) {
            lac.requestTunnel(8, t.hasSecret() ? Lac.randomBytes(16) : null);
            ControlMessage sccrp = lac.sccrp;
            if (sccrp.ns() != 0 || sccrp.nr() != 1) {
                throw new Failed("SCCRP has Ns " + sccrp.ns() + " Nr " + sccrp.nr() + ", expected Ns 0 Nr 1");
            }
            ControlMessage scccn = lac.wire.send(ControlMessage.of(MessageType.SCCCN, lac.wire.peerTunnel, 0, lac.answerChallenge(false)));
            LacWire.Rx ack = lac.wire.awaitControl(zlbAcking(scccn.ns() + 1), lac.reply());
            if (ack == null) {
                throw new Failed("SCCCN not acknowledged");
            }
            if (ack.msg().ns() != 1) {
                throw new Failed("ZLB after SCCRP has Ns " + ack.msg().ns() + ", expected 1 (a ZLB takes no Ns slot)");
            }
            lac.wire.send(lac.icrq(List.of(), false));
            ControlMessage icrp = lac.awaitIcrp();
            if (icrp == null || !MessageType.ICRP.equals(icrp.messageType())) {
                throw new Failed("ICRQ answered with " + Lac.describe(icrp));
            }
            if (icrp.ns() != 1 || icrp.nr() != 3) {
                throw new Failed("ICRP has Ns " + icrp.ns() + " Nr " + icrp.nr() + ", expected Ns 1 Nr 3");
            }
            return "SCCRP Ns 0 Nr 1, ZLB Ns 1 Nr 2, ICRP Ns 1 Nr 3";
        }
    }

    static String zlbAck(Target t) throws Exception {
        try (Lac lac = new Lac(t)) {
            lac.requestTunnel(8, t.hasSecret() ? Lac.randomBytes(16) : null);
            ControlMessage scccn = lac.wire.send(ControlMessage.of(MessageType.SCCCN, lac.wire.peerTunnel, 0, lac.answerChallenge(false)));
            long sent = System.nanoTime();
            LacWire.Rx ack = lac.wire.awaitControl(m -> ((m.nr() - scccn.ns() - 1) & 0xffff) < 0x8000, lac.reply());
            if (ack == null) {
                throw new Failed("SCCCN not acknowledged within " + lac.reply().toSeconds() + " s");
            }
            if (!ack.msg().isZlb()) {
                throw new Failed("SCCCN acknowledged by " + ack.msg().messageType() + ", not a ZLB");
            }
            if (ack.msg().tunnelId() != lac.wire.localTunnel) {
                throw new Failed("ZLB sent to tunnel " + ack.msg().tunnelId());
            }
            return String.format("ZLB Nr %d after %.0f ms", ack.msg().nr(), LacWire.seconds(sent, ack.atNanos()) * 1000);
        }
    }

    static String hello(Target t) throws Exception {
        try (Lac lac = new Lac(t)) {
            lac.openTunnel();
            ControlMessage hello = lac.wire.send(ControlMessage.of(MessageType.HELLO, lac.wire.peerTunnel, 0, List.of()));
            if (lac.wire.awaitControl(zlbAcking(hello.ns() + 1).or(m -> !m.isZlb() && m.nr() == hello.ns() + 1), lac.reply()) == null) {
                throw new Failed("HELLO (Ns " + hello.ns() + ") not acknowledged");
            }
            lac.openSession();
            return "HELLO acknowledged; a call opened after it";
        }
    }

    static String stopccn(Target t) throws Exception {
        try (Lac lac = new Lac(t)) {
            lac.openTunnel();
            ControlMessage stop = lac.wire.send(ControlMessage.of(MessageType.STOPCCN, lac.wire.peerTunnel, 0,
                    List.of(Avp.assignedTunnelId(lac.wire.localTunnel), Avp.resultCode(1, null, null))));
            LacWire.Rx ack = lac.wire.awaitControl(m -> ((m.nr() - stop.ns() - 1) & 0xffff) < 0x8000, lac.reply());
            if (ack == null) {
                throw new Failed("StopCCN not acknowledged");
            }
            if (!ack.msg().isZlb()) {
                throw new Failed("StopCCN answered by " + ack.msg().messageType() + ", not a ZLB");
            }
            Thread.sleep(500);
            lac.wire.send(lac.icrq(List.of(), false));
            ControlMessage after = lac.awaitIcrp();
            if (after != null && MessageType.ICRP.equals(after.messageType())) {
                throw new Failed("an ICRQ after the StopCCN was answered by ICRP: the tunnel was not cleared");
            }
            lac.wire.peerTunnel = 0; // nothing left to stop
            return "ZLB ack; ICRQ after it " + (after == null ? "unanswered" : "answered by " + after.messageType());
        }
    }

    static String cdn(Target t) throws Exception {
        try (Lac lac = new Lac(t)) {
            lac.openTunnel();
            int session = lac.openSession();
            PppPeer ppp = new PppPeer(lac);
            ppp.await(f -> f.is(PppPeer.LCP, 1), lac.reply()); // PPP has started on the call
            ControlMessage cdn = lac.wire.send(ControlMessage.of(MessageType.CDN, lac.wire.peerTunnel, session,
                    List.of(Avp.resultCode(3, null, null), Avp.assignedSessionId(lac.localSession))));
            if (lac.wire.awaitControl(zlbAcking(cdn.ns() + 1), lac.reply()) == null) {
                throw new Failed("CDN not acknowledged by a ZLB");
            }
            Thread.sleep(300);
            while (lac.wire.awaitData(Duration.ZERO) != null) {
                // frames the LNS sent before it saw the CDN
            }
            ppp.ackLcp = false;
            ppp.send(PppPeer.LCP, new io.jl2tp.ppp.wire.CpPacket(1, 77,
                    io.jl2tp.ppp.wire.CpOption.encode(List.of(new io.jl2tp.ppp.wire.CpOption(5, ppp.magic)))));
            PppPeer.Frame f = ppp.await(x -> x.protocol() == PppPeer.LCP, Duration.ofSeconds(2));
            if (f != null) {
                throw new Failed("PPP still answers on the cleared call: " + f);
            }
            lac.wire.send(lac.icrq(List.of(), false));
            ControlMessage icrp = lac.awaitIcrp();
            if (icrp == null || !MessageType.ICRP.equals(icrp.messageType())) {
                throw new Failed("after the CDN the tunnel answers an ICRQ with " + icrp);
            }
            return "ZLB ack; no PPP on the cleared call; the tunnel takes a new call";
        }
    }

    static String mbitSession(Target t) throws Exception {
        try (Lac lac = new Lac(t)) {
            lac.openTunnel();
            lac.wire.send(lac.icrq(List.of(Avp.of(UNKNOWN_TYPE, true, new AvpValue.Raw(new byte[] {1, 2, 3, 4}))), false));
            LacWire.Rx r = lac.wire.awaitControl(type(MessageType.CDN).or(type(MessageType.STOPCCN)), lac.reply());
            boolean icrp = lac.wire.pendingControls().stream().anyMatch(x -> MessageType.ICRP.equals(x.msg().messageType()));
            if (r == null) {
                throw new Failed(icrp ? "ICRP sent and the call not terminated" : "neither CDN nor StopCCN (the call left open or silently dropped)");
            }
            if (MessageType.STOPCCN.equals(r.msg().messageType())) {
                lac.wire.peerTunnel = 0;
            }
            return r.msg().messageType() + " " + Lac.result(r.msg()) + (icrp ? " after an ICRP" : "");
        }
    }

    static String mbitTunnel(Target t) throws Exception {
        try (Lac lac = new Lac(t)) {
            lac.wire.send(lac.sccrq(8, t.hasSecret() ? Lac.randomBytes(16) : null,
                    List.of(Avp.of(UNKNOWN_TYPE, true, new AvpValue.Raw(new byte[] {1, 2, 3, 4})))));
            LacWire.Rx r = lac.wire.awaitControl(type(MessageType.SCCRP).or(type(MessageType.STOPCCN)), lac.reply());
            if (r != null && MessageType.SCCRP.equals(r.msg().messageType())) {
                LacWire.Rx stop = lac.wire.awaitControl(type(MessageType.STOPCCN), lac.reply());
                if (stop == null) {
                    throw new Failed("SCCRP sent and the tunnel not terminated");
                }
                lac.wire.peerTunnel = 0;
                return "SCCRP, then StopCCN " + Lac.result(stop.msg());
            }
            lac.wire.peerTunnel = 0;
            return r == null ? "no tunnel (SCCRQ dropped)" : "StopCCN " + Lac.result(r.msg());
        }
    }

    static String unknownIgnored(Target t) throws Exception {
        try (Lac lac = new Lac(t)) {
            lac.openTunnel();
            lac.wire.send(lac.icrq(List.of(Avp.of(UNKNOWN_TYPE, false, new AvpValue.Raw(new byte[] {1, 2, 3, 4}))), false));
            ControlMessage r = lac.awaitIcrp();
            if (r == null || !MessageType.ICRP.equals(r.messageType())) {
                throw new Failed("ICRQ with an unknown non-M AVP answered with " + Lac.describe(r));
            }
            return "ICRP";
        }
    }

    static String tunnelAuth(Target t) throws Exception {
        if (!t.hasSecret()) {
            throw new Scenario.Skipped("no tunnel secret given");
        }
        try (Lac lac = new Lac(t)) {
            lac.openTunnel();        // checks the SCCRP's Challenge Response and sends ours
            lac.openSession();
            return "SCCRP's Challenge Response right" + (lac.sccrp.has(AvpType.CHALLENGE)
                    ? "; our response to the LNS's Challenge accepted" : "; the LNS sent no Challenge");
        }
    }

    static String tunnelAuthWrong(Target t) throws Exception {
        if (!t.hasSecret()) {
            throw new Scenario.Skipped("no tunnel secret given");
        }
        try (Lac lac = new Lac(t)) {
            lac.requestTunnel(8, Lac.randomBytes(16));
            if (!lac.sccrp.has(AvpType.CHALLENGE)) {
                throw new Scenario.Skipped("the LNS sent no Challenge in its SCCRP");
            }
            lac.wire.send(ControlMessage.of(MessageType.SCCCN, lac.wire.peerTunnel, 0, lac.answerChallenge(true)));
            LacWire.Rx stop = lac.wire.awaitControl(type(MessageType.STOPCCN), lac.reply());
            lac.wire.send(lac.icrq(List.of(), false));
            ControlMessage icrp = lac.awaitIcrp();
            if (icrp != null && MessageType.ICRP.equals(icrp.messageType())) {
                throw new Failed("a wrong Challenge Response was accepted: ICRQ answered by ICRP");
            }
            if (stop == null) {
                throw new Failed("no StopCCN after a wrong Challenge Response (the tunnel silently dropped)");
            }
            lac.wire.peerTunnel = 0;
            return "StopCCN " + Lac.result(stop.msg());
        }
    }

    static String hiddenAvp(Target t) throws Exception {
        if (!t.hasSecret()) {
            throw new Scenario.Skipped("no tunnel secret given");
        }
        try (Lac lac = new Lac(t)) {
            lac.openTunnel();
            lac.wire.send(lac.icrq(List.of(), true));
            ControlMessage r = lac.awaitIcrp();
            if (r == null || !MessageType.ICRP.equals(r.messageType())) {
                throw new Failed("ICRQ with a hidden Assigned Session ID answered with " + Lac.describe(r));
            }
            if (r.sessionId() != lac.localSession) {
                throw new Failed("ICRP sent to session " + r.sessionId() + ", the hidden Assigned Session ID was " + lac.localSession);
            }
            return "ICRP sent to the hidden Assigned Session ID " + lac.localSession;
        }
    }
}
