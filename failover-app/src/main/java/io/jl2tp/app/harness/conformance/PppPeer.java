package io.jl2tp.app.harness.conformance;

import io.jl2tp.l2tp.wire.DataMessage;
import io.jl2tp.l2tp.wire.MessageType;
import io.jl2tp.ppp.auth.ChapMd5;
import io.jl2tp.ppp.wire.CpOption;
import io.jl2tp.ppp.wire.CpPacket;
import io.jl2tp.ppp.wire.PppProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/**
 * The harness's PPP end of one call, frame by frame: ppp-core's {@link CpPacket} and
 * {@link CpOption} codecs and {@link ChapMd5} digest, but no automaton — the scenarios choose
 * every packet. While waiting it answers the LNS's LCP Echo-Requests and, unless told not to,
 * acknowledges its LCP Configure-Requests, so that a scenario only scripts what it tests.
 *
 * <p>Threads: one, the scenario's.
 */
final class PppPeer {

    static final int LCP = 0xc021;
    static final int PAP = 0xc023;
    static final int CHAP = 0xc223;
    static final int IPCP = 0x8021;
    static final int IPV6CP = 0x8057;

    /** A received PPP control frame; {@code packet} is null for one that did not decode. */
    record Frame(int protocol, CpPacket packet) {
        boolean is(int proto, int code) {
            return protocol == proto && packet != null && packet.code() == code;
        }

        @Override
        public String toString() {
            return String.format("0x%04x %s", protocol, packet);
        }
    }

    private final Lac lac;
    final byte[] magic = Lac.randomBytes(4);
    List<CpOption> peerLcp = List.of();   // options of the LNS's last acknowledged LCP ConfReq
    boolean ackLcp = true;
    String ended;                         // how the LNS ended the link (TermReq, CDN, StopCCN), or null
    int nextId = 1;

    PppPeer(Lac lac) {
        this.lac = lac;
    }

    /** Sends one control-protocol packet in a data message: FF 03, protocol, packet (RFC 1662 §3). */
    void send(int protocol, CpPacket p) throws IOException {
        ByteBuf b = Unpooled.buffer(8 + p.length());
        b.writeByte(0xff).writeByte(0x03).writeShort(protocol);
        p.encode(b);
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        lac.wire.sendData(lac.peerSession, out);
    }

    /** The next frame matching {@code want} within {@code timeout}, or null (also once the link ended). */
    Frame await(Predicate<Frame> want, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (ended != null) {
                return null;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            DataMessage d = lac.wire.awaitData(Duration.ofNanos(Math.min(left, 200_000_000L)));
            if (d == null) {
                // frames that arrived before a CDN or StopCCN have been seen; now the end counts
                if (checkEnded()) {
                    return null;
                }
                continue;
            }
            if (d.sessionId() != lac.localSession) {
                continue;
            }
            Frame f = parse(d.payload());
            if (f == null || f.packet() == null) {
                continue;
            }
            if (f.is(LCP, CpPacket.ECHO_REQ)) {
                byte[] data = f.packet().data().clone();
                System.arraycopy(magic, 0, data, 0, Math.min(4, data.length));
                send(LCP, new CpPacket(CpPacket.ECHO_REP, f.packet().id(), data));
            } else if (f.is(LCP, CpPacket.TERM_REQ)) {
                send(LCP, new CpPacket(CpPacket.TERM_ACK, f.packet().id(), new byte[0]));
                ended = "LCP Terminate-Request";
            } else if (f.packet().code() == CpPacket.CONF_REQ && !want.test(f)
                    && (f.protocol() == LCP ? ackLcp : f.protocol() == IPCP || f.protocol() == IPV6CP)) {
                acceptLcp(f);
                continue;
            }
            if (want.test(f)) {
                return f;
            }
        }
    }

    /** Acknowledges the LNS's ConfReq (LCP, IPCP or IPV6CP) as it is. */
    void acceptLcp(Frame f) throws IOException {
        if (f.protocol() == LCP) {
            peerLcp = options(f);
        }
        send(f.protocol(), new CpPacket(CpPacket.CONF_ACK, f.packet().id(), f.packet().data()));
    }

    /** True once the LNS ended the link: LCP TermReq, or a CDN or StopCCN for our call. */
    boolean checkEnded() {
        if (ended != null) {
            return true;
        }
        for (LacWire.Rx r : lac.wire.pendingControls()) {
            MessageType t = r.msg().messageType();
            if (MessageType.CDN.equals(t) || MessageType.STOPCCN.equals(t)) {
                ended = t + " " + Lac.result(r.msg());
                return true;
            }
        }
        return false;
    }

    /** Waits up to {@code timeout} for the LNS to end the link; true if it did. */
    boolean awaitEnd(Duration timeout) throws IOException {
        await(f -> false, timeout);
        return ended != null;
    }

    /** LCP to Opened (RFC 1661 §4): our ConfReq (Magic-Number only) acknowledged, theirs acknowledged. */
    void openLcp() throws IOException, Failed {
        Frame theirs = await(f -> f.is(LCP, CpPacket.CONF_REQ), lac.reply());
        if (theirs == null) {
            throw new Failed("no LCP Configure-Request from the LNS" + endedText());
        }
        acceptLcp(theirs);
        int id = nextId++;
        send(LCP, new CpPacket(CpPacket.CONF_REQ, id, CpOption.encode(List.of(new CpOption(5, magic)))));
        Frame ack = await(f -> f.protocol() == LCP && f.packet().id() == id && f.packet().code() >= CpPacket.CONF_ACK
                && f.packet().code() <= CpPacket.CONF_REJ, lac.reply());
        if (ack == null || ack.packet().code() != CpPacket.CONF_ACK) {
            throw new Failed("our LCP Configure-Request (Magic-Number) answered with " + ack + endedText());
        }
    }

    /** The authentication protocol the LNS asked for in LCP, or 0. */
    int authProtocol() {
        for (CpOption o : peerLcp) {
            if (o.type() == 3 && o.data().length >= 2) {
                return ((o.data()[0] & 0xff) << 8) | (o.data()[1] & 0xff);
            }
        }
        return 0;
    }

    /** RFC 1994 §4.1: answers the LNS's Challenge; returns the Success or Failure frame (null: none). */
    Frame chap(byte[] secret) throws IOException, Failed {
        Frame c = await(f -> f.is(CHAP, 1), lac.reply());
        if (c == null) {
            throw new Failed("no CHAP Challenge" + endedText());
        }
        byte[] d = c.packet().data();
        int vlen = d[0] & 0xff;
        byte[] challenge = java.util.Arrays.copyOfRange(d, 1, 1 + vlen);
        byte[] value = ChapMd5.response(c.packet().id(), secret, challenge);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(value.length);
        b.writeBytes(value);
        b.writeBytes(user());
        send(CHAP, new CpPacket(2, c.packet().id(), b.toByteArray()));
        return await(f -> f.is(CHAP, 3) || f.is(CHAP, 4), lac.reply());
    }

    /** RFC 1334 §2.2.1: sends an Authenticate-Request; returns the Ack or Nak frame (null: none). */
    Frame pap(byte[] password) throws IOException {
        byte[] user = user();
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(user.length);
        b.writeBytes(user);
        b.write(password.length);
        b.writeBytes(password);
        int id = nextId++;
        send(PAP, new CpPacket(1, id, b.toByteArray()));
        return await(f -> f.protocol() == PAP && f.packet() != null && f.packet().id() == id
                && (f.packet().code() == 2 || f.packet().code() == 3), lac.reply());
    }

    /** Authenticates with the right secret by whatever the LNS asked for. */
    void authenticate() throws IOException, Failed, Scenario.Skipped {
        int p = authProtocol();
        if (p != 0 && (lac.target.user() == null || lac.target.password() == null)) {
            throw new Scenario.Skipped("the LNS asks for authentication and no --user/--password-file was given");
        }
        Frame r = p == CHAP ? chap(lac.target.password()) : p == PAP ? pap(lac.target.password()) : null;
        if (p != 0 && (r == null || r.packet().code() == (p == CHAP ? 4 : 3))) {
            throw new Failed("authentication with the right secret failed: " + r + endedText());
        }
    }

    private byte[] user() {
        return (lac.target.user() == null ? "jl2tp" : lac.target.user()).getBytes(StandardCharsets.UTF_8);
    }

    /** Sends a Configure-Request of {@code protocol} and returns the answer to it (null: none). */
    Frame configure(int protocol, List<CpOption> options) throws IOException {
        int id = nextId++;
        send(protocol, new CpPacket(CpPacket.CONF_REQ, id, CpOption.encode(options)));
        return await(f -> f.protocol() == protocol && f.packet() != null && f.packet().id() == id
                && f.packet().code() >= CpPacket.CONF_ACK && f.packet().code() <= CpPacket.CONF_REJ, lac.reply());
    }

    /** Options of a frame's packet (empty when malformed). */
    static List<CpOption> options(Frame f) {
        try {
            return CpOption.parse(f.packet().data());
        } catch (PppProtocolException e) {
            return List.of();
        }
    }

    String endedText() {
        return ended == null ? "" : " (the LNS ended the link: " + ended + ")";
    }

    private static Frame parse(byte[] p) {
        int i = 0;
        if (p.length >= 2 && (p[0] & 0xff) == 0xff && p[1] == 0x03) {
            i = 2;
        }
        if (p.length - i < 1) {
            return null;
        }
        int proto;
        if ((p[i] & 1) == 1) {        // RFC 1661 §6.5: a compressed one-octet protocol field
            proto = p[i] & 0xff;
            i += 1;
        } else {
            if (p.length - i < 2) {
                return null;
            }
            proto = ((p[i] & 0xff) << 8) | (p[i + 1] & 0xff);
            i += 2;
        }
        try {
            return new Frame(proto, CpPacket.decode(Unpooled.wrappedBuffer(p, i, p.length - i)));
        } catch (PppProtocolException e) {
            return new Frame(proto, null);
        }
    }

}
