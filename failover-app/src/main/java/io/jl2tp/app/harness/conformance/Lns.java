package io.jl2tp.app.harness.conformance;

import io.jl2tp.l2tp.wire.Avp;
import io.jl2tp.l2tp.wire.AvpType;
import io.jl2tp.l2tp.wire.ControlMessage;
import io.jl2tp.l2tp.wire.HiddenAvpContext;
import io.jl2tp.l2tp.wire.MessageType;

import java.io.IOException;
import java.net.DatagramSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.jl2tp.app.harness.conformance.Lac.type;

/**
 * The scripted LNS's steps for the {@code --lac} suite: wait for the LAC under test to dial,
 * answer its SCCRQ (RFC 2661 §6.2, with §5.1.1 tunnel authentication when a secret is known),
 * check its SCCCN, then its call (§5.2.1). A step the LAC does not take as specified throws
 * {@link Failed}. The LAC is expected to dial again after each scenario (redial).
 *
 * <p>Threads: one, the scenario's.
 */
final class Lns implements AutoCloseable {

    final Target target;
    final HiddenAvpContext hidden;
    final LacWire wire;
    final Duration dialWait;
    ControlMessage sccrq;       // the LAC's SCCRQ
    byte[] ourChallenge;        // the Challenge in our SCCRP, or null

    Lns(Target target, DatagramSocket socket, Duration dialWait) {
        this.target = target;
        this.hidden = target.hasSecret() ? HiddenAvpContext.of(target.tunnelSecret()) : HiddenAvpContext.NONE;
        this.wire = LacWire.listening(socket, hidden, 1 + Lac.RANDOM.nextInt(65535));
        this.dialWait = dialWait;
    }

    /** Waits for the LAC's SCCRQ and checks its mandatory AVPs (§6.1). */
    ControlMessage awaitSccrq() throws IOException, Failed {
        LacWire.Rx r = wire.awaitControl(type(MessageType.SCCRQ), dialWait);
        if (r == null) {
            throw new Failed("no SCCRQ within " + dialWait.toSeconds() + " s (is the LAC dialling, and redialling?)");
        }
        sccrq = r.msg();
        for (int t : new int[] {AvpType.PROTOCOL_VERSION, AvpType.HOST_NAME, AvpType.FRAMING_CAPABILITIES,
            AvpType.ASSIGNED_TUNNEL_ID}) {
            if (!sccrq.has(t)) {
                throw new Failed("SCCRQ without the mandatory " + AvpType.name(t) + " AVP (§6.1)");
            }
        }
        if (sccrq.ns() != 0 || sccrq.nr() != 0) {
            throw new Failed("SCCRQ has Ns " + sccrq.ns() + " Nr " + sccrq.nr() + ", expected 0 and 0");
        }
        return sccrq;
    }

    /** Our SCCRP (§6.2): answers the LAC's Challenge (wrongly if asked), adds ours and {@code extra}. */
    ControlMessage sccrp(boolean wrongResponse, List<Avp> extra) throws Failed {
        List<Avp> a = new ArrayList<>(List.of(Avp.protocolVersion(), Avp.hostName("jl2tp-conformance"),
                Avp.framingCapabilities(3), Avp.bearerCapabilities(0), Avp.firmwareRevision(0x0100),
                Avp.vendorName("jl2tp"), Avp.assignedTunnelId(wire.localTunnel), Avp.receiveWindowSize(8)));
        var c = sccrq.find(AvpType.CHALLENGE);
        if (c != null) {
            if (!target.hasSecret()) {
                throw new Failed("the LAC sent a Challenge and no tunnel secret was given (--tunnel-secret-file)");
            }
            byte[] r = hidden.challengeResponse(MessageType.SCCRP.code(), c.bytes());
            if (wrongResponse) {
                r[0] ^= 0x5a;
            }
            a.add(Avp.challengeResponse(r));
        }
        if (target.hasSecret()) {
            ourChallenge = Lac.randomBytes(16);
            a.add(Avp.challenge(ourChallenge));
        }
        a.addAll(extra);
        return ControlMessage.of(MessageType.SCCRP, wire.peerTunnel, 0, a);
    }

    /** Completes §5.1 from the LNS side: SCCRQ, SCCRP, the LAC's SCCCN checked and acknowledged. */
    void openTunnel() throws IOException, Failed {
        awaitSccrq();
        wire.send(sccrp(false, List.of()));
        LacWire.Rx r = wire.awaitControl(type(MessageType.SCCCN).or(type(MessageType.STOPCCN)), target.reply());
        if (r == null || !MessageType.SCCCN.equals(r.msg().messageType())) {
            throw new Failed("SCCRP answered with " + (r == null ? "nothing" : Lac.describe(r.msg())));
        }
        ControlMessage scccn = r.msg();
        if (scccn.ns() != 1 || scccn.nr() != 1) {
            throw new Failed("SCCCN has Ns " + scccn.ns() + " Nr " + scccn.nr() + ", expected 1 and 1");
        }
        if (ourChallenge != null) {
            var resp = scccn.find(AvpType.CHALLENGE_RESPONSE);
            byte[] want = hidden.challengeResponse(MessageType.SCCCN.code(), ourChallenge);
            if (resp == null || !Arrays.equals(resp.bytes(), want)) {
                throw new Failed("SCCCN's Challenge Response " + (resp == null ? "missing" : "wrong") + " (§5.1.1)");
            }
        }
    }

    /** Ends the tunnel (StopCCN, result 1) so that the LAC dials again for the next scenario. */
    void stop() {
        try {
            if (wire.peerTunnel != 0) {
                wire.send(ControlMessage.of(MessageType.STOPCCN, wire.peerTunnel, 0,
                        List.of(Avp.assignedTunnelId(wire.localTunnel), Avp.resultCode(1, null, null))));
                wire.awaitControl(ControlMessage::isZlb, Duration.ofMillis(500));
            }
        } catch (IOException e) {
            // the scenario is over; a failed goodbye changes no verdict
        }
    }

    @Override
    public void close() {
        stop();
        wire.close();
    }
}
