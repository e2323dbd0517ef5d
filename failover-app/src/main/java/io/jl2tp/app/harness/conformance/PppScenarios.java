package io.jl2tp.app.harness.conformance;

import io.jl2tp.ppp.wire.CpOption;
import io.jl2tp.ppp.wire.CpPacket;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static io.jl2tp.app.harness.conformance.PppPeer.CHAP;
import static io.jl2tp.app.harness.conformance.PppPeer.IPCP;
import static io.jl2tp.app.harness.conformance.PppPeer.IPV6CP;
import static io.jl2tp.app.harness.conformance.PppPeer.LCP;
import static io.jl2tp.app.harness.conformance.PppPeer.PAP;

/**
 * PPP over the call (RFC 1661 LCP, RFC 1994 CHAP, RFC 1334 PAP, RFC 1332 IPCP, RFC 5072 IPV6CP):
 * option rejection, echo, the authentication failure paths and address negotiation.
 */
final class PppScenarios {

    /** An LCP option type RFC 1661 and its successors do not define. */
    static final int UNKNOWN_OPTION = 200;
    /** How long the LNS has to end the link after a failed authentication. */
    static final Duration END_WAIT = Duration.ofSeconds(10);

    private PppScenarios() {
    }

    static List<Scenario> all() {
        return List.of(
                new Scenario("lcp-configure-reject", "RFC 1661 §5.4", "an unknown LCP option is Configure-Rejected, alone and unmodified",
                        PppScenarios::lcpReject),
                new Scenario("lcp-echo", "RFC 1661 §5.8", "LCP Echo-Request answered by an Echo-Reply with the same id and data",
                        PppScenarios::lcpEcho),
                new Scenario("chap-failure", "RFC 1994 §4.2", "a wrong CHAP-MD5 response: Failure, then the link terminated",
                        PppScenarios::chapFailure),
                new Scenario("pap-failure", "RFC 1334 §2.2.2", "a wrong PAP password: Authenticate-Nak, then the link terminated",
                        PppScenarios::papFailure),
                new Scenario("ipcp-address", "RFC 1332 §3.3", "IP-Address 0.0.0.0 Nak'd with an address, which is then acknowledged",
                        PppScenarios::ipcpAddress),
                new Scenario("ipv6cp-interface-id", "RFC 5072 §4.1", "a zero Interface-Identifier Nak'd with a non-zero one, which is then acknowledged",
                        PppScenarios::ipv6cpInterfaceId));
    }

    /** Tunnel, call, and the first LCP ConfReq of the LNS acknowledged. */
    private static PppPeer call(Lac lac) throws Exception {
        lac.openTunnel();
        lac.openSession();
        return new PppPeer(lac);
    }

    /** A password that is not the user's. */
    private static byte[] wrong(Target t) {
        String right = t.password() == null ? "" : new String(t.password(), StandardCharsets.UTF_8);
        return (right + "-wrong").getBytes(StandardCharsets.UTF_8);
    }

    static String lcpReject(Target t) throws Exception {
        try (Lac lac = new Lac(t)) {
            PppPeer ppp = call(lac);
            CpOption unknown = new CpOption(UNKNOWN_OPTION, new byte[] {0x12, 0x34});
            PppPeer.Frame r = ppp.configure(LCP, List.of(new CpOption(5, ppp.magic), unknown));
            if (r == null) {
                throw new Failed("no answer to an LCP ConfReq with option " + UNKNOWN_OPTION + ppp.endedText());
            }
            if (r.packet().code() != CpPacket.CONF_REJ) {
                throw new Failed("answered with " + CpPacket.codeName(r.packet().code()) + ", not Configure-Reject");
            }
            List<CpOption> rej = PppPeer.options(r);
            if (!rej.equals(List.of(unknown))) {
                throw new Failed("Configure-Reject carries " + rej + ", expected only " + unknown);
            }
            return "ConfRej " + unknown;
        }
    }

    static String lcpEcho(Target t) throws Exception {
        try (Lac lac = new Lac(t)) {
            PppPeer ppp = call(lac);
            ppp.openLcp();
            byte[] body = "jl2tp conformance".getBytes(StandardCharsets.US_ASCII);
            byte[] data = new byte[4 + body.length];
            System.arraycopy(ppp.magic, 0, data, 0, 4);
            System.arraycopy(body, 0, data, 4, body.length);
            int id = 0x42;
            ppp.send(LCP, new CpPacket(CpPacket.ECHO_REQ, id, data));
            PppPeer.Frame r = ppp.await(f -> f.is(LCP, CpPacket.ECHO_REP), lac.reply());
            if (r == null) {
                throw new Failed("no Echo-Reply" + ppp.endedText());
            }
            byte[] d = r.packet().data();
            if (r.packet().id() != id) {
                throw new Failed("Echo-Reply id " + r.packet().id() + ", the request's was " + id);
            }
            if (d.length != data.length || !Arrays.equals(Arrays.copyOfRange(d, 4, d.length), body)) {
                throw new Failed("Echo-Reply data differs from the request's");
            }
            if (Arrays.equals(Arrays.copyOf(d, 4), ppp.magic)) {
                throw new Failed("Echo-Reply carries our own Magic-Number, not the LNS's");
            }
            return "Echo-Reply id " + id + ", data returned";
        }
    }

    static String chapFailure(Target t) throws Exception {
        try (Lac lac = new Lac(t)) {
            PppPeer ppp = call(lac);
            ppp.openLcp();
            if (ppp.authProtocol() != CHAP) {
                throw new Scenario.Skipped(String.format("the LNS asks for protocol 0x%04x, not CHAP", ppp.authProtocol()));
            }
            byte[] wrong = wrong(t);
            PppPeer.Frame r = ppp.chap(wrong);
            if (r == null || !r.is(CHAP, 4)) {
                throw new Failed("a wrong CHAP response answered with " + (r == null ? "nothing" : r) + ppp.endedText());
            }
            if (!ppp.awaitEnd(END_WAIT)) {
                throw new Failed("Failure sent but the link still up after " + END_WAIT.toSeconds() + " s");
            }
            return "Failure, then " + ppp.ended;
        }
    }

    static String papFailure(Target t) throws Exception {
        try (Lac lac = new Lac(t)) {
            PppPeer ppp = call(lac);
            ppp.ackLcp = false;
            PppPeer.Frame req = ppp.await(f -> f.is(LCP, CpPacket.CONF_REQ), lac.reply());
            for (int i = 0; i < 3 && req != null; i++) {
                ppp.peerLcp = PppPeer.options(req);
                if (ppp.authProtocol() == PAP) {
                    break;
                }
                // RFC 1661 §5.3: Nak the Authentication-Protocol, suggesting PAP.
                ppp.send(LCP, new CpPacket(CpPacket.CONF_NAK, req.packet().id(),
                        CpOption.encode(List.of(CpOption.u16(3, PAP)))));
                req = ppp.await(f -> f.is(LCP, CpPacket.CONF_REQ), lac.reply());
            }
            if (req == null || ppp.authProtocol() != PAP) {
                throw new Scenario.Skipped("the LNS does not offer PAP" + ppp.endedText());
            }
            ppp.acceptLcp(req);
            ppp.ackLcp = true;
            PppPeer.Frame ack = ppp.configure(LCP, List.of(new CpOption(5, ppp.magic)));
            if (ack == null || ack.packet().code() != CpPacket.CONF_ACK) {
                throw new Failed("our LCP ConfReq answered with " + ack + ppp.endedText());
            }
            byte[] wrong = wrong(t);
            PppPeer.Frame r = ppp.pap(wrong);
            if (r == null || !r.is(PAP, 3)) {
                throw new Failed("a wrong PAP password answered with " + (r == null ? "nothing" : r) + ppp.endedText());
            }
            if (!ppp.awaitEnd(END_WAIT)) {
                throw new Failed("Authenticate-Nak sent but the link still up after " + END_WAIT.toSeconds() + " s");
            }
            return "Authenticate-Nak, then " + ppp.ended;
        }
    }

    static String ipcpAddress(Target t) throws Exception {
        try (Lac lac = new Lac(t)) {
            PppPeer ppp = call(lac);
            ppp.openLcp();
            ppp.authenticate();
            PppPeer.Frame nak = ppp.configure(IPCP, List.of(new CpOption(3, new byte[4])));
            if (nak == null || nak.packet().code() != CpPacket.CONF_NAK) {
                throw new Failed("IP-Address 0.0.0.0 answered with " + nak + ppp.endedText());
            }
            CpOption offered = PppPeer.options(nak).stream().filter(o -> o.type() == 3).findFirst().orElse(null);
            if (offered == null || offered.data().length != 4 || Arrays.equals(offered.data(), new byte[4])) {
                throw new Failed("Configure-Nak without a usable IP-Address: " + nak);
            }
            PppPeer.Frame ack = ppp.configure(IPCP, List.of(offered));
            if (ack == null || ack.packet().code() != CpPacket.CONF_ACK) {
                throw new Failed("the offered address answered with " + ack + ppp.endedText());
            }
            return "offered and acknowledged " + java.net.InetAddress.getByAddress(offered.data()).getHostAddress();
        }
    }

    static String ipv6cpInterfaceId(Target t) throws Exception {
        try (Lac lac = new Lac(t)) {
            PppPeer ppp = call(lac);
            ppp.openLcp();
            ppp.authenticate();
            PppPeer.Frame nak = ppp.configure(IPV6CP, List.of(new CpOption(1, new byte[8])));
            if (nak == null) {
                throw new Scenario.Skipped("the LNS does not answer IPV6CP" + ppp.endedText());
            }
            if (nak.packet().code() != CpPacket.CONF_NAK) {
                throw new Failed("Interface-Identifier 0 answered with " + CpPacket.codeName(nak.packet().code()));
            }
            CpOption offered = PppPeer.options(nak).stream().filter(o -> o.type() == 1).findFirst().orElse(null);
            if (offered == null || offered.data().length != 8 || Arrays.equals(offered.data(), new byte[8])) {
                throw new Failed("Configure-Nak without a non-zero Interface-Identifier: " + nak);
            }
            PppPeer.Frame ack = ppp.configure(IPV6CP, List.of(offered));
            if (ack == null || ack.packet().code() != CpPacket.CONF_ACK) {
                throw new Failed("the offered Interface-Identifier answered with " + ack + ppp.endedText());
            }
            return "offered and acknowledged " + java.util.HexFormat.of().formatHex(offered.data());
        }
    }
}
