package io.jl2tp.ppp.lcp;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jl2tp.ppp.auth.AuthMethod;
import io.jl2tp.ppp.fsm.CpConfig;
import io.jl2tp.ppp.fsm.CpFsm;
import io.jl2tp.ppp.fsm.State;
import io.jl2tp.ppp.wire.CpOption;
import io.jl2tp.ppp.wire.CpPacket;
import io.jl2tp.testkit.VirtualScheduler;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 11 row 6: Configure-Naks that carry an Authentication-Protocol option we did not
 * request (RFC 1661 §5.3 allows such hints) and Naks whose options cannot be decoded. Before
 * the fix the first threw IndexOutOfBoundsException (or UnsupportedOperationException after a
 * Reject) out of the automaton, a stack trace per packet, and LCP never opened.
 */
class LcpNakTest {

    private final VirtualScheduler loop = new VirtualScheduler();
    private final List<CpPacket> sent = new ArrayList<>();

    private CpFsm lcp(List<AuthMethod> requireOfPeer) {
        Lcp lcp = new Lcp(new Lcp.Settings(1500, true, true, true, requireOfPeer, EnumSet.allOf(AuthMethod.class)),
                new SecureRandom(), new Lcp.Listener() {
                    @Override
                    public void lcpUp() {
                    }

                    @Override
                    public void lcpDown() {
                    }

                    @Override
                    public void lcpFinished() {
                    }

                    @Override
                    public void lcpStarting() {
                    }

                    @Override
                    public void protocolRejected(int protocol) {
                    }

                    @Override
                    public void echoReply() {
                    }

                    @Override
                    public void loopbackDetected() {
                    }
                });
        CpFsm fsm = new CpFsm("LCP", Lcp.PROTOCOL, lcp, CpConfig.PPPD, loop, (proto, p) -> sent.add(p), "");
        lcp.bind(fsm);
        fsm.open();
        fsm.up();
        return fsm;
    }

    private CpPacket lastRequest() {
        CpPacket p = sent.get(sent.size() - 1);
        assertEquals(CpPacket.CONF_REQ, p.code());
        return p;
    }

    private static boolean hasAuth(CpPacket req) throws Exception {
        return CpOption.parse(req.data()).stream().anyMatch(o -> o.type() == Lcp.OPT_AUTH);
    }

    private static CpPacket nak(int id, CpOption... options) {
        return new CpPacket(CpPacket.CONF_NAK, id, CpOption.encode(List.of(options)));
    }

    @Test
    void aNakHintingAtAuthenticationWeDidNotRequestIsIgnoredAndWeAskAgain() throws Exception {
        CpFsm fsm = lcp(List.of());
        CpPacket first = lastRequest();
        assertFalse(hasAuth(first));
        CpOption chap = new CpOption(Lcp.OPT_AUTH, AuthMethod.CHAP_MD5.lcpOptionData());
        assertDoesNotThrow(() -> fsm.input(nak(first.id(), chap)));
        CpPacket second = lastRequest();
        assertTrue(second.id() != first.id(), "RFC 1661 §4: RCN → scr, a new Configure-Request");
        assertFalse(hasAuth(second), "we still do not ask the peer to authenticate");
        assertEquals(State.REQ_SENT, fsm.state());
        assertEquals(0, fsm.malformed(), "a hint is not malformed");
    }

    @Test
    void anAuthenticationNakAfterTheOptionWasRejectedIsIgnored() throws Exception {
        CpFsm fsm = lcp(List.of(AuthMethod.CHAP_MD5));
        CpPacket first = lastRequest();
        assertTrue(hasAuth(first));
        CpOption auth = new CpOption(Lcp.OPT_AUTH, AuthMethod.CHAP_MD5.lcpOptionData());
        fsm.input(new CpPacket(CpPacket.CONF_REJ, first.id(), CpOption.encode(List.of(auth))));
        CpPacket second = lastRequest();
        assertFalse(hasAuth(second));
        assertDoesNotThrow(() -> fsm.input(nak(second.id(), new CpOption(Lcp.OPT_AUTH, AuthMethod.PAP.lcpOptionData()))));
        assertFalse(hasAuth(lastRequest()));
        assertEquals(3, sent.size());
    }

    @Test
    void aNakWithAnOptionOfTheWrongLengthIsCountedAndDropped() throws Exception {
        CpFsm fsm = lcp(List.of());
        CpPacket first = lastRequest();
        int before = sent.size();
        assertDoesNotThrow(() -> fsm.input(nak(first.id(), new CpOption(Lcp.OPT_MRU, new byte[] {5, 0, 0}))));
        assertDoesNotThrow(() -> fsm.input(nak(first.id(), new CpOption(Lcp.OPT_MAGIC, new byte[] {1}))));
        assertEquals(2, fsm.malformed());
        assertEquals(before, sent.size(), "dropped: no new request");
        assertEquals(State.REQ_SENT, fsm.state());
        // the automaton still works: a good Ack opens it
        fsm.input(new CpPacket(CpPacket.CONF_ACK, first.id(), first.data()));
        assertEquals(State.ACK_RCVD, fsm.state());
    }
}
