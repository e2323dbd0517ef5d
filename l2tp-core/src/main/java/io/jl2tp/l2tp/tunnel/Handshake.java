package io.jl2tp.l2tp.tunnel;

import io.jl2tp.l2tp.wire.Avp;
import io.jl2tp.l2tp.wire.AvpType;
import io.jl2tp.l2tp.wire.AvpValue;
import io.jl2tp.l2tp.wire.ControlMessage;
import io.jl2tp.l2tp.wire.HiddenAvpContext;
import io.jl2tp.l2tp.wire.MessageType;
import io.jl2tp.l2tp.wire.ResultCode;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The content of the control-connection handshake (RFC 2661 §6.1–6.3): the AVPs of SCCRQ,
 * SCCRP and SCCCN, the Protocol Version check (§4.4.3) and tunnel authentication (§5.1.1).
 * The checks answer whether a message is "acceptable" in the sense of the §7.2.1 table; a
 * refusal comes with the StopCCN result to send. Threads: the endpoint's event loop.
 */
final class Handshake {

    /** Framing Capabilities we offer: synchronous and asynchronous (§4.4.3). */
    static final long FRAMING_CAPS = 3;

    private final TunnelConfig config;
    private final HiddenAvpContext hidden;
    private final Random random;
    private byte[] ourChallenge;
    private byte[] peerChallenge;
    private byte[] tieBreaker;

    Handshake(TunnelConfig config, HiddenAvpContext hidden, Random random) {
        this.config = config;
        this.hidden = hidden;
        this.random = random;
    }

    byte[] tieBreaker() {
        return tieBreaker;
    }

    /** The AVPs of an SCCRQ (§6.1), with a Tie Breaker if configured. */
    List<Avp> sccrq(int localId) {
        List<Avp> avps = common(localId);
        if (config.sendTieBreaker()) {
            tieBreaker = new byte[8];
            random.nextBytes(tieBreaker);
            avps.add(Avp.tieBreaker(tieBreaker));
        }
        return avps;
    }

    /** The AVPs of an SCCRP (§6.2), answering the peer's Challenge. */
    List<Avp> sccrp(int localId) {
        List<Avp> avps = common(localId);
        if (peerChallenge != null) {
            avps.add(Avp.challengeResponse(hidden.challengeResponse(MessageType.SCCRP.code(), peerChallenge)));
        }
        return avps;
    }

    /** The AVPs of an SCCCN (§6.3), answering the peer's Challenge. */
    List<Avp> scccn() {
        List<Avp> avps = new ArrayList<>();
        if (peerChallenge != null) {
            avps.add(Avp.challengeResponse(hidden.challengeResponse(MessageType.SCCCN.code(), peerChallenge)));
        }
        return avps;
    }

    private List<Avp> common(int localId) {
        List<Avp> avps = new ArrayList<>();
        avps.add(Avp.protocolVersion());
        avps.add(maybeHidden(Avp.framingCapabilities(FRAMING_CAPS)));
        avps.add(maybeHidden(Avp.bearerCapabilities(0)));
        avps.add(Avp.firmwareRevision(config.firmware()));
        avps.add(Avp.hostName(config.hostName()));
        if (config.vendorName() != null) {
            avps.add(Avp.vendorName(config.vendorName()));
        }
        avps.add(Avp.assignedTunnelId(localId));
        avps.add(Avp.receiveWindowSize(config.transport().receiveWindow()));
        if (config.hasSecret() && config.challenge()) {
            ourChallenge = new byte[16];
            random.nextBytes(ourChallenge); // SecureRandom in production (L2tpEndpoint)
            avps.add(Avp.challenge(ourChallenge));
        }
        return avps;
    }

    /** Hides AVPs that §4.3 allows to be hidden when the tunnel is configured to. */
    Avp maybeHidden(Avp a) {
        return config.hideAvps() ? a.asHidden() : a;
    }

    /** SCCRQ acceptable (§6.1, §7.2.1)? Null if so, else the StopCCN cause. */
    Cause checkSccrq(ControlMessage msg) {
        if (msg.assignedTunnelId().orElse(0) == 0) {
            return Cause.local(ResultCode.STOPCCN_GENERAL_ERROR, ResultCode.ERROR_BAD_VALUE,
                    "Assigned Tunnel ID 0 (must be non-zero)");
        }
        Cause c = checkVersion(msg);
        return c != null ? c : takeChallenge(msg, "peer");
    }

    /** SCCRP acceptable (§6.2, §7.2.1)? Null if so, else the StopCCN cause. */
    Cause checkSccrp(ControlMessage msg) {
        if (msg.assignedTunnelId().orElse(0) == 0) {
            return Cause.local(ResultCode.STOPCCN_GENERAL_ERROR, ResultCode.ERROR_BAD_VALUE, "Assigned Tunnel ID 0 in SCCRP");
        }
        Cause c = checkVersion(msg);
        if (c == null) {
            c = checkResponse(msg, MessageType.SCCRP);
        }
        return c != null ? c : takeChallenge(msg, "LNS");
    }

    /** SCCCN acceptable (§6.3, §7.2.1)? Null if so, else the StopCCN cause. */
    Cause checkScccn(ControlMessage msg) {
        return checkResponse(msg, MessageType.SCCCN);
    }

    private Cause checkVersion(ControlMessage msg) {
        Avp v = msg.find(AvpType.PROTOCOL_VERSION);
        if (v != null && v.value() instanceof AvpValue.ProtocolVersionValue pv && pv.version() == 1 && pv.revision() == 0) {
            return null;
        }
        return Cause.local(ResultCode.STOPCCN_BAD_PROTOCOL_VERSION, null,
                "unsupported Protocol Version " + (v == null ? "none" : v.value()));
    }

    private Cause takeChallenge(ControlMessage msg, String who) {
        Avp challenge = msg.find(AvpType.CHALLENGE);
        if (challenge == null) {
            return null;
        }
        if (!config.hasSecret()) {
            return Cause.local(ResultCode.STOPCCN_NOT_AUTHORIZED, null,
                    who + " sent a Challenge and no tunnel secret is configured");
        }
        peerChallenge = challenge.bytes();
        return null;
    }

    /**
     * RFC 2661 §5.1.1: if we sent a Challenge, the answer MUST carry a Challenge Response equal
     * to MD5(type ‖ secret ‖ challenge); otherwise the tunnel is refused with StopCCN result 4.
     */
    private Cause checkResponse(ControlMessage msg, MessageType type) {
        if (ourChallenge == null) {
            return null;
        }
        Avp response = msg.find(AvpType.CHALLENGE_RESPONSE);
        byte[] expected = hidden.challengeResponse(type.code(), ourChallenge);
        if (response == null || !MessageDigest.isEqual(expected, response.bytes())) {
            return Cause.local(ResultCode.STOPCCN_NOT_AUTHORIZED, null, response == null
                    ? "tunnel authentication failed: no Challenge Response in " + type
                    : "tunnel authentication failed: wrong Challenge Response in " + type + " (secrets differ)");
        }
        return null;
    }

    /** True once the peer answered our Challenge correctly (or none was sent). */
    boolean challenged() {
        return ourChallenge != null;
    }
}
