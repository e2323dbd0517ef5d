package io.jl2tp.l2tp.tunnel;

import io.jl2tp.l2tp.wire.Avp;
import io.jl2tp.l2tp.wire.AvpType;
import io.jl2tp.l2tp.wire.AvpValue;
import io.jl2tp.l2tp.wire.ControlMessage;
import io.jl2tp.l2tp.wire.HiddenAvpContext;
import io.jl2tp.l2tp.wire.L2tpCodec;
import io.jl2tp.l2tp.wire.L2tpProtocolException;
import io.jl2tp.l2tp.wire.MessageType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RFC 2661 §4.4.5 Proxy LCP and Authentication AVPs: LAC → ICCN → LNS session, and hostile values. */
class ProxyAvpsTest {

    private static final byte[] SECRET = "tunnelsecret".getBytes(StandardCharsets.US_ASCII);

    private static ProxyAvps chap() {
        byte[] lcp = {5, 6, 0x11, 0x22, 0x33, 0x44, 7, 2, 8, 2};
        byte[] sent = {3, 5, (byte) 0xC2, 0x23, 5, 5, 6, 0x55, 0x66, 0x77, (byte) 0x88};
        byte[] challenge = new byte[16];
        for (int i = 0; i < 16; i++) {
            challenge[i] = (byte) (i * 7);
        }
        byte[] response = new byte[16];
        response[3] = 9;
        return new ProxyAvps(lcp, sent, lcp, 2, "alice", challenge, 0x2a, response);
    }

    /** LAC session with {@code proxy} → LNS session; returns {LAC, LNS} sessions. */
    private static Session[] call(VirtualPair p, TunnelConfig lacCfg, TunnelConfig lnsCfg, ProxyAvps proxy) {
        Session[] lns = new Session[1];
        p.lns.serve(lnsCfg, s -> {
            lns[0] = s;
            return f -> f.release();
        }, e -> { });
        Session[] lac = new Session[1];
        p.clock.execute(() -> {
            Tunnel t = p.lac.connect(VirtualPair.LNS_ADDR, lacCfg, e -> { });
            lac[0] = t.openSession(SessionConfig.defaults().withProxy(true), f -> f.release());
            lac[0].proxy(proxy);
        });
        p.run(10_000);
        return new Session[] {lac[0], lns[0]};
    }

    private static ControlMessage sentIccn(VirtualPair p, HiddenAvpContext ctx) throws L2tpProtocolException {
        for (ByteBuf b : p.lacSent) {
            if (L2tpCodec.isControl(b)) {
                ControlMessage m = L2tpCodec.decodeControl(b.duplicate(), ctx);
                if (!m.isZlb() && MessageType.ICCN.equals(m.messageType())) {
                    return m;
                }
            }
        }
        throw new AssertionError("no ICCN sent");
    }

    @ParameterizedTest(name = "hidden AVPs = {0}")
    @ValueSource(booleans = {false, true})
    void theValuesReachTheLnsSessionAndTheTunnelSecretVouchesForTheLac(boolean hidden) throws Exception {
        VirtualPair p = new VirtualPair(3);
        p.record = true;
        Session[] s = call(p, TunnelConfig.defaults("lac").withSecret(SECRET, true).withHidden(hidden),
                TunnelConfig.defaults("lns").withSecret(SECRET, true).withHidden(hidden), chap());
        assertTrue(s[1].isEstablished());
        assertEquals(chap(), s[1].proxy());
        assertTrue(s[1].tunnel().peerAuthenticated(), "the LAC answered our Challenge (§5.1.1)");
        ControlMessage iccn = sentIccn(p, HiddenAvpContext.of(SECRET));
        Avp response = iccn.find(AvpType.PROXY_AUTHEN_RESPONSE);
        assertEquals(hidden, response.hidden(), "§4.4.5: may be hidden; hidden when the tunnel hides AVPs");
        for (int t = AvpType.INITIAL_RECEIVED_LCP_CONFREQ; t <= AvpType.PROXY_AUTHEN_RESPONSE; t++) {
            assertFalse(iccn.find(t).mandatory(), "§4.4.5: the M-bit MUST be 0 (type " + t + ")");
        }
        p.releaseRecorded();
    }

    @Test
    void withoutATunnelSecretThePeerIsNotAuthenticated() {
        VirtualPair p = new VirtualPair(4);
        Session[] s = call(p, TunnelConfig.defaults("lac"), TunnelConfig.defaults("lns"), chap());
        assertEquals(chap(), s[1].proxy());
        assertFalse(s[1].tunnel().peerAuthenticated());
    }

    @Test
    void anIccnWithoutThemHasNone() {
        VirtualPair p = new VirtualPair(5);
        Session[] s = call(p, TunnelConfig.defaults("lac"), TunnelConfig.defaults("lns"), null);
        assertTrue(s[1].isEstablished());
        assertNull(s[1].proxy());
    }

    @Test
    void unusableValuesAreIgnoredAndTheCallStillComesUp() {
        VirtualPair p = new VirtualPair(6);
        ProxyAvps hostile = new ProxyAvps(null, null, null, 2, "x".repeat(600), new byte[16], 1, new byte[16]);
        Session[] s = call(p, TunnelConfig.defaults("lac"), TunnelConfig.defaults("lns"), hostile);
        assertTrue(s[1].isEstablished());
        assertNull(s[1].proxy(), "a 600-octet name is nobody's PPP name");
    }

    private static ControlMessage iccn(Avp... avps) {
        return ControlMessage.of(MessageType.ICCN, 1, 1, List.of(avps));
    }

    private static Avp bytes(int type, byte[] v) {
        return Avp.of(type, false, new AvpValue.Bytes(v));
    }

    private static Avp u16(int type, int v) {
        return Avp.of(type, false, new AvpValue.U16(v));
    }

    @Test
    void hostileValuesAreRejectedWithAReason() {
        Avp name = Avp.of(AvpType.PROXY_AUTHEN_NAME, false, new AvpValue.Text("alice"));
        Avp chal = bytes(AvpType.PROXY_AUTHEN_CHALLENGE, new byte[16]);
        Avp resp = bytes(AvpType.PROXY_AUTHEN_RESPONSE, new byte[16]);
        Avp type2 = u16(AvpType.PROXY_AUTHEN_TYPE, 2);
        Avp id = u16(AvpType.PROXY_AUTHEN_ID, 7);
        assertNotNull(ProxyAvps.from(iccn(type2, name, chal, id, resp)).avps());
        assertNull(ProxyAvps.from(iccn(Avp.of(AvpType.FRAMING_TYPE, true, new AvpValue.U32(1)))));
        List<ControlMessage> bad = new ArrayList<>();
        bad.add(iccn(type2, Avp.of(AvpType.PROXY_AUTHEN_NAME, false, new AvpValue.Text("n".repeat(256))), chal, id, resp));
        bad.add(iccn(type2, name, chal, u16(AvpType.PROXY_AUTHEN_ID, 0x0107), resp));
        bad.add(iccn(type2, name, id, resp));                                        // CHAP without Challenge
        bad.add(iccn(type2, chal, id, resp));                                        // without Name
        bad.add(iccn(type2, name, chal, resp));                                      // without ID
        bad.add(iccn(u16(AvpType.PROXY_AUTHEN_TYPE, 3), name, resp));                // PAP without ID
        bad.add(iccn(type2, name, bytes(AvpType.PROXY_AUTHEN_CHALLENGE, new byte[256]), id, resp));
        bad.add(iccn(type2, name, chal, id, bytes(AvpType.PROXY_AUTHEN_RESPONSE, new byte[256])));
        bad.add(iccn(bytes(AvpType.LAST_SENT_LCP_CONFREQ, new byte[1501])));
        for (ControlMessage m : bad) {
            ProxyAvps.Parsed parsed = ProxyAvps.from(m);
            assertNull(parsed.avps(), m.toString());
            assertNotNull(parsed.rejected());
        }
    }

    @Test
    void theCodecRefusesAProxyAuthenIdOfTheWrongLength() {
        // §4.4.5: Proxy Authen ID is a 2-octet value; the codec's AVP table enforces lengths.
        ByteBuf b = Unpooled.buffer();
        try {
            L2tpCodec.encodeControl(iccn(bytes(AvpType.PROXY_AUTHEN_ID, new byte[] {0, 1, 2})), b, HiddenAvpContext.NONE);
            L2tpProtocolException e = assertThrows(L2tpProtocolException.class,
                    () -> L2tpCodec.decodeControl(b.duplicate(), HiddenAvpContext.NONE));
            assertTrue(e.getMessage().contains("Proxy Authen ID"), e.getMessage());
        } finally {
            b.release();
        }
    }

    @Test
    void toStringNeverShowsTheResponse() {
        ProxyAvps pap = new ProxyAvps(null, null, null, 3, "alice", null, 1, "hunter2".getBytes(StandardCharsets.US_ASCII));
        assertFalse(pap.toString().contains("hunter2"));
        assertFalse(pap.toString().contains("68756e74657232"));
    }
}
