package io.jl2tp.app.harness.conformance;

import io.jl2tp.l2tp.wire.Avp;
import io.jl2tp.l2tp.wire.AvpType;
import io.jl2tp.l2tp.wire.ControlMessage;
import io.jl2tp.l2tp.wire.HiddenAvpContext;
import io.jl2tp.l2tp.wire.MessageType;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

/**
 * The scripted LAC's steps that most scenarios share: tunnel establishment (RFC 2661 §5.1, with
 * §5.1.1 tunnel authentication when a secret is known) and incoming-call establishment (§5.2.1),
 * each checked against the RFC as it goes — a step that does not happen as specified throws
 * {@link Failed} naming what was wrong.
 *
 * <p>Threads: one, the scenario's.
 */
final class Lac implements AutoCloseable {

    static final SecureRandom RANDOM = new SecureRandom();

    final Target target;
    final LacWire wire;
    final HiddenAvpContext hidden;
    ControlMessage sccrp;     // the LNS's SCCRP once received
    int localSession;         // our Assigned Session ID of the current call
    int peerSession;          // the LNS's Assigned Session ID of the current call

    Lac(Target target) throws IOException {
        this.target = target;
        this.hidden = target.hasSecret() ? HiddenAvpContext.of(target.tunnelSecret()) : HiddenAvpContext.NONE;
        this.wire = new LacWire(target.lns(), hidden, 1 + RANDOM.nextInt(65535));
    }

    static Predicate<ControlMessage> type(MessageType t) {
        return m -> t.equals(m.messageType());
    }

    static Predicate<ControlMessage> zlbAcking(int nr) {
        return m -> m.isZlb() && ((m.nr() - nr) & 0xffff) < 0x8000;
    }

    Duration reply() {
        return target.reply();
    }

    /** An SCCRQ (§6.1) with our tunnel id, {@code rws} and the extra AVPs. */
    ControlMessage sccrq(int rws, byte[] challenge, List<Avp> extra) {
        List<Avp> a = new ArrayList<>(List.of(Avp.protocolVersion(), Avp.hostName("jl2tp-conformance"),
                Avp.framingCapabilities(3), Avp.bearerCapabilities(0), Avp.firmwareRevision(0x0100),
                Avp.vendorName("jl2tp"), Avp.assignedTunnelId(wire.localTunnel), Avp.receiveWindowSize(rws)));
        if (challenge != null) {
            a.add(Avp.challenge(challenge));
        }
        a.addAll(extra);
        return ControlMessage.of(MessageType.SCCRQ, 0, 0, a);
    }

    /** Sends an SCCRQ and waits for the SCCRP, checking its mandatory AVPs (§6.2). */
    ControlMessage requestTunnel(int rws, byte[] challenge) throws IOException, Failed {
        wire.send(sccrq(rws, challenge, List.of()));
        LacWire.Rx r = wire.awaitControl(type(MessageType.SCCRP).or(type(MessageType.STOPCCN)), reply());
        if (r == null) {
            throw new Failed("no SCCRP within " + reply().toSeconds() + " s of SCCRQ");
        }
        if (MessageType.STOPCCN.equals(r.msg().messageType())) {
            throw new Failed("SCCRQ answered with StopCCN " + result(r.msg()));
        }
        sccrp = r.msg();
        for (int t : new int[] {AvpType.PROTOCOL_VERSION, AvpType.HOST_NAME, AvpType.FRAMING_CAPABILITIES,
            AvpType.ASSIGNED_TUNNEL_ID}) {
            if (!sccrp.has(t)) {
                throw new Failed("SCCRP without the mandatory " + AvpType.name(t) + " AVP (§6.2)");
            }
        }
        if (sccrp.tunnelId() != wire.localTunnel) {
            throw new Failed("SCCRP sent to tunnel " + sccrp.tunnelId() + ", ours is " + wire.localTunnel);
        }
        return sccrp;
    }

    /** The Challenge Response we owe the LNS's SCCRP Challenge in the SCCCN, or none. */
    List<Avp> answerChallenge(boolean wrong) throws Failed {
        var c = sccrp.find(AvpType.CHALLENGE);
        if (c == null) {
            return List.of();
        }
        if (!target.hasSecret()) {
            throw new Failed("the LNS sent a Challenge and no tunnel secret was given (--tunnel-secret-file)");
        }
        byte[] r = hidden.challengeResponse(MessageType.SCCCN.code(), c.bytes());
        if (wrong) {
            r[0] ^= 0x5a;
        }
        return List.of(Avp.challengeResponse(r));
    }

    /** Completes §5.1: SCCRQ, SCCRP, SCCCN, and the LNS's acknowledgement of the SCCCN. */
    void openTunnel() throws IOException, Failed {
        byte[] challenge = target.hasSecret() ? randomBytes(16) : null;
        requestTunnel(8, challenge);
        if (challenge != null) {
            var resp = sccrp.find(AvpType.CHALLENGE_RESPONSE);
            byte[] want = hidden.challengeResponse(MessageType.SCCRP.code(), challenge);
            if (resp == null || !Arrays.equals(resp.bytes(), want)) {
                throw new Failed("SCCRP's Challenge Response " + (resp == null ? "missing" : "wrong") + " (§5.1.1)");
            }
        }
        ControlMessage scccn = wire.send(ControlMessage.of(MessageType.SCCCN, wire.peerTunnel, 0, answerChallenge(false)));
        if (wire.awaitControl(zlbAcking(scccn.ns() + 1).or(m -> !m.isZlb() && m.nr() != scccn.ns()), reply()) == null) {
            throw new Failed("SCCCN (Ns " + scccn.ns() + ") not acknowledged within " + reply().toSeconds() + " s");
        }
    }

    /** An ICRQ (§6.6) with a fresh Assigned Session ID and the extra AVPs. */
    ControlMessage icrq(List<Avp> extra, boolean hideSessionId) {
        localSession = 1 + RANDOM.nextInt(65535);
        Avp sid = Avp.assignedSessionId(localSession);
        List<Avp> a = new ArrayList<>(List.of(hideSessionId ? sid.asHidden() : sid,
                Avp.callSerialNumber(RANDOM.nextInt(1 << 30)), Avp.bearerType(0)));
        a.addAll(extra);
        return ControlMessage.of(MessageType.ICRQ, wire.peerTunnel, 0, a);
    }

    /** Sends {@code icrq} and waits for the ICRP (§6.7) or a CDN/StopCCN; null if none came. */
    ControlMessage awaitIcrp() throws IOException {
        LacWire.Rx r = wire.awaitControl(type(MessageType.ICRP).or(type(MessageType.CDN)).or(type(MessageType.STOPCCN)),
                reply());
        return r == null ? null : r.msg();
    }

    /** Completes §5.2.1 for one call: ICRQ, ICRP, ICCN; returns the LNS's session id. */
    int openSession() throws IOException, Failed {
        wire.send(icrq(List.of(), false));
        ControlMessage icrp = awaitIcrp();
        if (icrp == null || !MessageType.ICRP.equals(icrp.messageType())) {
            throw new Failed("ICRQ answered with " + describe(icrp));
        }
        if (icrp.assignedSessionId().isEmpty()) {
            throw new Failed("ICRP without Assigned Session ID (§6.7)");
        }
        peerSession = icrp.assignedSessionId().getAsInt();
        wire.send(ControlMessage.of(MessageType.ICCN, wire.peerTunnel, peerSession,
                List.of(Avp.txConnectSpeed(100_000_000), Avp.framingType(1))));
        return peerSession;
    }

    /** Ends the tunnel politely (StopCCN, result 1), ignoring the answer. */
    void stop() {
        try {
            if (wire.peerTunnel != 0) {
                wire.send(ControlMessage.of(MessageType.STOPCCN, wire.peerTunnel, 0,
                        List.of(Avp.assignedTunnelId(wire.localTunnel), Avp.resultCode(1, null, null))));
                wire.awaitControl(m -> m.isZlb(), Duration.ofMillis(500));
            }
        } catch (IOException e) {
            // the scenario is over; a failed goodbye changes no verdict
        }
    }

    /** A received message in a verdict's words: its type and Result Code, or "nothing". */
    static String describe(ControlMessage m) {
        if (m == null) {
            return "nothing";
        }
        return m.isZlb() ? "a ZLB" : m.messageType() + (m.resultCode() == null ? "" : " " + result(m));
    }

    /** A message's Result Code as "result R error E 'message'" (§4.4.2), or "no Result Code". */
    static String result(ControlMessage m) {
        var r = m.resultCode();
        if (r == null) {
            return "without Result Code";
        }
        return "result " + r.result() + (r.error() == null ? "" : " error " + r.error())
                + (r.message() == null || r.message().isEmpty() ? "" : " '" + r.message() + "'");
    }

    static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    @Override
    public void close() {
        stop();
        wire.close();
    }
}
