package io.jl2tp.ppp.lcp;

import io.jl2tp.ppp.auth.AuthMethod;
import io.jl2tp.ppp.fsm.CpFsm;
import io.jl2tp.ppp.fsm.CpHandler;
import io.jl2tp.ppp.fsm.Event;
import io.jl2tp.ppp.wire.CpOption;
import io.jl2tp.ppp.wire.CpPacket;
import io.jl2tp.ppp.wire.PppProtocolException;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * LCP's option handling (RFC 1661 §6, RFC 1570 for what we reject): MRU, Authentication-Protocol,
 * Magic-Number, Protocol-Field-Compression, Address-and-Control-Field-Compression. Everything
 * else is Configure-Rejected (l2tpns offers MRRU and Endpoint Discriminator for multilink).
 * Also the LCP-only codes: Protocol-Reject, Echo-Request/Reply, Discard-Request (§5.7–5.9).
 *
 * <p>Four views of each option, as in pppd: what we want (ours, changed by Nak/Reject), what
 * the peer acked (ours, final), what we allow the peer, and what the peer got (his).
 *
 * <p>Threads: confined to the link's event loop, like the {@link CpFsm} that drives it; no locks.
 */
public final class Lcp implements CpHandler {

    public static final int PROTOCOL = 0xC021;

    public static final int OPT_MRU = 1;
    public static final int OPT_ACCM = 2;
    public static final int OPT_AUTH = 3;
    public static final int OPT_QUALITY = 4;
    public static final int OPT_MAGIC = 5;
    public static final int OPT_PFC = 7;
    public static final int OPT_ACFC = 8;
    /** Smallest MRU we accept from a peer (pppd's PPP_MINMRU). */
    public static final int MIN_MRU = 128;
    /** Loopback is declared after this many Naks of an equal Magic-Number (pppd: 5). */
    static final int MAX_LOOPBACK_NAKS = 5;

    /** Events LCP passes up to the link. */
    public interface Listener {
        void lcpUp();

        void lcpDown();

        void lcpFinished();

        void lcpStarting();

        /** The peer rejected one of our protocols (Protocol-Reject, §5.7). */
        void protocolRejected(int protocol);

        /** An Echo-Reply arrived (keepalive). */
        void echoReply();

        /** We seem to be talking to ourselves (equal magic numbers, §6.4). */
        void loopbackDetected();
    }

    /** Settings taken from the pppd options. */
    public record Settings(int mru, boolean pfc, boolean acfc, boolean magic,
                           List<AuthMethod> requireOfPeer, Set<AuthMethod> allowAsPeer) {
    }

    private final Settings settings;
    private final Random random;
    private final Listener listener;
    private CpFsm fsm;

    // what we ask for
    private boolean wantMru;
    private boolean wantMagic;
    private long ourMagic;
    private boolean wantPfc;
    private boolean wantAcfc;
    private List<AuthMethod> authCandidates = new ArrayList<>();
    private boolean authRejected;
    // what the peer acked (our receive side)
    private AuthMethod ourAuth;       // the method we authenticate the peer with
    // what the peer asked and we acked (our send side)
    private int peerMru = 1500;
    private long peerMagic;
    private boolean sendPfc;
    private boolean sendAcfc;
    private AuthMethod peerAuth;      // the method we authenticate ourselves with
    private int loopbackNaks;

    public Lcp(Settings settings, Random random, Listener listener) {
        this.settings = settings;
        this.random = random;
        this.listener = listener;
    }

    /** Binds the automaton that drives this handler. */
    public void bind(CpFsm fsm) {
        this.fsm = fsm;
    }

    @Override
    public void resetci() {
        wantMru = settings.mru() != 1500;
        wantMagic = settings.magic();
        ourMagic = newMagic();
        wantPfc = settings.pfc();
        wantAcfc = settings.acfc();
        authCandidates = new ArrayList<>(settings.requireOfPeer());
        authRejected = false;
        ourAuth = null;
        loopbackNaks = 0;
        // The peer's options (peerMru, peerMagic, sendPfc, sendAcfc, peerAuth) are not ours to
        // reset: every acknowledged Configure-Request of the peer sets them (reqci), and a
        // request received in Opened is processed before the scr that calls us (pppd likewise
        // resets only "our" options in resetci).
    }

    private long newMagic() {
        long m;
        do {
            m = random.nextInt() & 0xffffffffL;
        } while (m == 0); // §6.4: zero MUST NOT be used
        return m;
    }

    @Override
    public List<CpOption> addci() {
        List<CpOption> o = new ArrayList<>();
        if (wantMru) {
            o.add(CpOption.u16(OPT_MRU, settings.mru()));
        }
        if (!authCandidates.isEmpty()) {
            o.add(new CpOption(OPT_AUTH, authCandidates.get(0).lcpOptionData()));
        }
        if (wantMagic) {
            o.add(CpOption.u32(OPT_MAGIC, ourMagic));
        }
        if (wantPfc) {
            o.add(new CpOption(OPT_PFC, new byte[0]));
        }
        if (wantAcfc) {
            o.add(new CpOption(OPT_ACFC, new byte[0]));
        }
        return o;
    }

    @Override
    public void ackci(List<CpOption> acked) {
        for (CpOption o : acked) {
            if (o.type() == OPT_AUTH) {
                ourAuth = AuthMethod.fromLcpOption(o.data()).orElse(null);
            }
        }
    }

    @Override
    public boolean nakci(List<CpOption> nak) throws PppProtocolException {
        for (CpOption o : nak) {
            switch (o.type()) {
                case OPT_MRU -> {
                    int v = o.u16();
                    if (v >= MIN_MRU && v <= settings.mru()) {
                        wantMru = v != 1500;
                    }
                }
                case OPT_MAGIC -> {
                    o.requireLength(4);
                    ourMagic = newMagic(); // §6.4: a Nak of the magic number means "pick another"
                }
                case OPT_AUTH -> {
                    if (authCandidates.isEmpty()) {
                        // RFC 1661 §5.3: a Nak may append an option we did not request, to
                        // prompt us to include it. We do not authenticate the peer, so we do
                        // not take the hint (pppd lcp_nakci ignores it likewise).
                        break;
                    }
                    Optional<AuthMethod> suggested = AuthMethod.fromLcpOption(o.data());
                    authCandidates.remove(0);
                    if (suggested.isPresent() && authCandidates.remove(suggested.get())) {
                        authCandidates.add(0, suggested.get());
                    }
                    if (authCandidates.isEmpty()) {
                        authRejected = true; // nothing acceptable to both
                    }
                }
                default -> {
                    // A Nak may list options we did not send (hints); we do not want them.
                }
            }
        }
        return true;
    }

    @Override
    public boolean rejci(List<CpOption> rejected) {
        List<CpOption> sent = addci();
        int last = -1;
        for (CpOption r : rejected) {
            int at = -1;
            for (int i = last + 1; i < sent.size(); i++) {
                if (sent.get(i).type() == r.type()) {
                    at = i;
                    break;
                }
            }
            if (at < 0) {
                return false; // §5.4: only options we sent, in order, may be rejected
            }
            last = at;
        }
        for (CpOption r : rejected) {
            switch (r.type()) {
                case OPT_MRU -> wantMru = false;
                case OPT_MAGIC -> wantMagic = false; // a peer that rejects Magic-Number still comes up
                case OPT_PFC -> wantPfc = false;
                case OPT_ACFC -> wantAcfc = false;
                case OPT_AUTH -> {
                    authCandidates = new ArrayList<>();
                    authRejected = true;
                }
                default -> {
                }
            }
        }
        return true;
    }

    @Override
    public ReqResult reqci(List<CpOption> req, boolean rejectIfDisagree) throws PppProtocolException {
        List<CpOption> rej = new ArrayList<>();
        List<CpOption> nak = new ArrayList<>();
        int mru = 1500;
        long magic = 0;
        boolean pfc = false;
        boolean acfc = false;
        AuthMethod auth = null;
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (CpOption o : req) {
            if (!seen.add(o.type())) {
                rej.add(o); // a repeated option is not something we can agree to
                continue;
            }
            switch (o.type()) {
                case OPT_MRU -> {
                    if (o.data().length != 2) {
                        rej.add(o);
                    } else if (o.u16() < MIN_MRU) {
                        nak.add(CpOption.u16(OPT_MRU, MIN_MRU));
                    } else {
                        mru = o.u16();
                    }
                }
                case OPT_AUTH -> {
                    Optional<AuthMethod> m = AuthMethod.fromLcpOption(o.data());
                    if (m.isPresent() && settings.allowAsPeer().contains(m.get())) {
                        auth = m.get();
                    } else {
                        Optional<AuthMethod> alt = io.jl2tp.ppp.options.AuthPolicy
                                .inPreferenceOrder(settings.allowAsPeer()).stream().findFirst();
                        if (alt.isPresent()) {
                            nak.add(new CpOption(OPT_AUTH, alt.get().lcpOptionData()));
                        } else {
                            rej.add(o); // we will not authenticate ourselves at all
                        }
                    }
                }
                case OPT_MAGIC -> {
                    if (o.data().length != 4) {
                        rej.add(o);
                        break;
                    }
                    long m = o.u32();
                    if (wantMagic && m == ourMagic) {
                        // §6.4: equal magic numbers suggest a looped-back link: Nak with a new one.
                        loopbackNaks++;
                        ourMagic = newMagic();
                        nak.add(CpOption.u32(OPT_MAGIC, newMagic()));
                        if (loopbackNaks >= MAX_LOOPBACK_NAKS) {
                            listener.loopbackDetected();
                        }
                    } else if (m == 0) {
                        nak.add(CpOption.u32(OPT_MAGIC, newMagic()));
                    } else {
                        magic = m;
                    }
                }
                case OPT_PFC -> {
                    if (o.data().length != 0 || !settings.pfc()) {
                        rej.add(o);
                    } else {
                        pfc = true;
                    }
                }
                case OPT_ACFC -> {
                    if (o.data().length != 0 || !settings.acfc()) {
                        rej.add(o);
                    } else {
                        acfc = true;
                    }
                }
                default -> rej.add(o); // ACCM, Quality, MRRU (17), Endpoint Discriminator (19), …
            }
        }
        if (!rej.isEmpty()) {
            return new ReqResult(CpPacket.CONF_REJ, rej);
        }
        if (!nak.isEmpty()) {
            return new ReqResult(CpPacket.CONF_NAK, nak); // CpFsm turns it into a Reject at Max-Failure
        }
        peerMru = mru;
        peerMagic = magic;
        sendPfc = pfc;
        sendAcfc = acfc;
        peerAuth = auth;
        return new ReqResult(CpPacket.CONF_ACK, req);
    }

    /** Our options as we would request them in a fresh negotiation (resetci, then addci). */
    public List<CpOption> freshRequest() {
        resetci();
        return addci();
    }

    /**
     * Takes over an LCP negotiated elsewhere — RFC 2661 §4.4.5 Proxy LCP — before the automaton
     * {@link CpFsm#startOpened() starts Opened}: {@code ours} are the options our side requested
     * and the peer acked, {@code peers} the peer's final Configure-Request. Accepted only if
     * {@code peers} holds options {@link #reqci} would Ack exactly as they are, and {@code ours}
     * asks only for what we would: every option known, none repeated, and — the point of the
     * check — an Authentication-Protocol we require of the peer whenever we require one
     * (otherwise the link would come up unauthenticated). On refusal nothing is kept and the
     * reason is returned: the caller then negotiates as usual (RFC 2661 §4.4.5: "the LNS policy
     * may be to enter an additional round of LCP negotiation").
     *
     * @return null if taken over, else why not (for the log)
     */
    public String takeOver(List<CpOption> ours, List<CpOption> peers) throws PppProtocolException {
        boolean mru = false;
        int mruValue = 1500;
        boolean magic = false;
        long magicValue = 0;
        boolean pfc = false;
        boolean acfc = false;
        AuthMethod auth = null;
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (CpOption o : ours) {
            if (!seen.add(o.type())) {
                return "option " + o.type() + " appears twice in the LAC's request";
            }
            switch (o.type()) {
                case OPT_MRU -> {
                    if (o.data().length != 2 || o.u16() < MIN_MRU) {
                        return "bad MRU in the LAC's request";
                    }
                    mru = true;
                    mruValue = o.u16();
                }
                case OPT_ACCM -> {
                    // RFC 1662 §7.1: an async-HDLC option; L2TP carries PPP without HDLC framing
                    // (RFC 2661 §5.4), so a LAC's ACCM towards an async client is harmless here.
                    if (o.data().length != 4) {
                        return "bad ACCM in the LAC's request";
                    }
                }
                case OPT_AUTH -> {
                    Optional<AuthMethod> m = AuthMethod.fromLcpOption(o.data());
                    if (m.isEmpty() || !settings.requireOfPeer().contains(m.get())) {
                        return "the LAC asked for an authentication protocol we do not require";
                    }
                    auth = m.get();
                }
                case OPT_MAGIC -> {
                    if (o.data().length != 4 || o.u32() == 0) {
                        return "bad Magic-Number in the LAC's request"; // §6.4: zero MUST NOT be used
                    }
                    magic = true;
                    magicValue = o.u32();
                }
                case OPT_PFC, OPT_ACFC -> {
                    if (o.data().length != 0) {
                        return "bad PFC/ACFC option in the LAC's request";
                    }
                    if (o.type() == OPT_PFC) {
                        pfc = true;
                    } else {
                        acfc = true;
                    }
                }
                default -> {
                    return "the LAC's request has option type " + o.type() + ", which we would not request";
                }
            }
        }
        if (!settings.requireOfPeer().isEmpty() && auth == null) {
            return "the LAC's request has no Authentication-Protocol, and the peer must authenticate";
        }
        if (settings.mru() < 1500 && (!mru || mruValue > settings.mru())) {
            // We would ask for a smaller MRU than the default (pppd's mru option): a client told
            // it may send more would send frames we do not want.
            return "the LAC's request lets the client send " + (mru ? mruValue : 1500) + "-octet frames, our MRU is "
                    + settings.mru();
        }
        wantMagic = magic;
        ourMagic = magicValue;
        loopbackNaks = 0;
        ReqResult r = reqci(peers, false);
        if (r.code() != CpPacket.CONF_ACK) {
            resetci();
            return "the client's request would be answered with " + CpPacket.codeName(r.code());
        }
        if (magic && peerMagic == magicValue) {
            resetci();
            return "equal Magic-Numbers on both sides"; // §6.4: looped back
        }
        wantMru = mru && mruValue != 1500;
        wantPfc = pfc;
        wantAcfc = acfc;
        authCandidates = auth == null ? new ArrayList<>() : new ArrayList<>(List.of(auth));
        authRejected = false;
        ourAuth = auth; // as ackci would set it
        return null;
    }

    @Override
    public void up() {
        listener.lcpUp();
    }

    @Override
    public void down() {
        listener.lcpDown();
    }

    @Override
    public void starting() {
        listener.lcpStarting();
    }

    @Override
    public void finished() {
        listener.lcpFinished();
    }

    @Override
    public boolean extcode(CpPacket p) {
        switch (p.code()) {
            case CpPacket.PROT_REJ -> {
                if (fsm.state() == io.jl2tp.ppp.fsm.State.OPENED && p.data().length >= 2) {
                    listener.protocolRejected(((p.data()[0] & 0xff) << 8) | (p.data()[1] & 0xff));
                }
                return true;
            }
            case CpPacket.ECHO_REQ -> {
                if (fsm.state() != io.jl2tp.ppp.fsm.State.OPENED) {
                    return true; // §5.8: only in Opened; silently discarded otherwise
                }
                if (p.data().length >= 4 && wantMagic && readMagic(p.data()) == ourMagic && ourMagic != 0) {
                    listener.loopbackDetected();
                    return true;
                }
                byte[] reply = p.data().clone();
                if (reply.length < 4) {
                    reply = java.util.Arrays.copyOf(reply, 4);
                }
                writeMagic(reply, wantMagic ? ourMagic : 0);
                fsm.reply(new CpPacket(CpPacket.ECHO_REP, p.id(), reply), Event.RXR);
                return true;
            }
            case CpPacket.ECHO_REP -> {
                if (fsm.state() == io.jl2tp.ppp.fsm.State.OPENED) {
                    listener.echoReply();
                }
                return true;
            }
            case CpPacket.DISC_REQ -> {
                return true; // §5.9: silently discarded
            }
            default -> {
                return false;
            }
        }
    }

    /** Sends an Echo-Request carrying our magic number (keepalive, Opened only). */
    public void sendEchoRequest() {
        byte[] data = new byte[4];
        writeMagic(data, wantMagic ? ourMagic : 0);
        fsm.send(new CpPacket(CpPacket.ECHO_REQ, fsm.nextId(), data));
    }

    /** Sends a Protocol-Reject for a frame of an unknown protocol (§5.7; Opened only). */
    public void sendProtocolReject(int protocol, byte[] information) {
        byte[] data = new byte[2 + Math.min(information.length, 1494)];
        data[0] = (byte) (protocol >>> 8);
        data[1] = (byte) protocol;
        System.arraycopy(information, 0, data, 2, data.length - 2);
        fsm.send(new CpPacket(CpPacket.PROT_REJ, fsm.nextId(), data));
    }

    private static long readMagic(byte[] d) {
        return ((long) (d[0] & 0xff) << 24) | ((d[1] & 0xff) << 16) | ((d[2] & 0xff) << 8) | (d[3] & 0xff);
    }

    private static void writeMagic(byte[] d, long m) {
        d[0] = (byte) (m >>> 24);
        d[1] = (byte) (m >>> 16);
        d[2] = (byte) (m >>> 8);
        d[3] = (byte) m;
    }

    /** The method we authenticate the peer with (we are authenticator), or null. */
    public AuthMethod ourAuth() {
        return ourAuth;
    }

    /** The method the peer authenticates us with (we are peer), or null. */
    public AuthMethod peerAuth() {
        return peerAuth;
    }

    /** True if we required authentication and the peer refused every method. */
    public boolean authRefused() {
        return authRejected && !settings.requireOfPeer().isEmpty();
    }

    /** The peer's MRU: the largest frame we may send (default 1500). */
    public int peerMru() {
        return peerMru;
    }

    /** True if we may compress the protocol field when sending (the peer asked for PFC). */
    public boolean sendPfc() {
        return sendPfc;
    }

    /** True if we may omit address/control when sending (the peer asked for ACFC). */
    public boolean sendAcfc() {
        return sendAcfc;
    }

    /** Our magic number (0 if not negotiated). */
    public long ourMagic() {
        return wantMagic ? ourMagic : 0;
    }

    /** The peer's magic number (0 if none). */
    public long peerMagic() {
        return peerMagic;
    }
}
