package io.jl2tp.ppp;

import io.jl2tp.ppp.auth.AuthMethod;
import io.jl2tp.ppp.auth.ChapMd5;
import io.jl2tp.ppp.auth.Secret;
import io.jl2tp.ppp.auth.SecretProvider;
import io.jl2tp.ppp.fsm.CpFsm;
import io.jl2tp.ppp.fsm.State;
import io.jl2tp.ppp.ipcp.Ipcp;
import io.jl2tp.ppp.ipv6cp.Ipv6cp;
import io.jl2tp.ppp.lcp.Lcp;
import io.jl2tp.ppp.options.AuthPolicy;
import io.jl2tp.ppp.options.PppSettings;
import io.jl2tp.ppp.wire.CpOption;
import io.jl2tp.ppp.wire.CpPacket;
import io.jl2tp.ppp.wire.PppProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One PPP link over an abstract frame pipe (an L2TP session, or an in-memory pipe in tests):
 * the phases of RFC 1661 §3 (Dead → Establish → Authenticate → Network → Terminate) and the
 * demultiplexing of frames by protocol. The parts are pppd's: LCP ({@link Lcp}) with its
 * {@link Keepalive}, the {@link AuthPhase}, the {@link NetworkPhase} (IPCP, IPV6CP) and the
 * {@link Framing}. Configured by {@link PppSettings}, which the pppd options file fills.
 *
 * <pre>
 *  input(frame) ─► Framing.decode ─► LCP / PAP / CHAP / IPCP / IPV6CP automata
 *                                 └► IPv4 0x0021, IPv6 0x0057 ─► ipSink (TUN writer)
 *  sendIp(ip) ─► Framing.prepend (FF 03 unless ACFC, protocol per PFC) in headroom ─► FrameSink
 * </pre>
 *
 * <p>Threads: the event loop {@code loop} owns all control state — the automata, the phase
 * transitions, timers, {@link #start}, {@link #close}, {@link #lowerDown}, {@link #input}.
 * {@link #sendIp} may be called from any thread (the TUN reader): it reads only the volatile
 * framing snapshot and NCP-up flags. {@link #phase()} is volatile and {@link #terminated()} a
 * future, both safe from any thread; the transmit counter is {@link Framing}'s (both threads
 * send), {@code rxFrames} is written by the event loop only and volatile for readers.
 */
public final class PppLink {

    private static final Logger log = LoggerFactory.getLogger(PppLink.class);

    public static final int PROTO_IPV4 = 0x0021;
    public static final int PROTO_IPV6 = 0x0057;
    /** Octets of headroom {@link #encapsulate} needs (FF 03 + 2-octet protocol). */
    public static final int HEADROOM = 4;

    /** Where PPP frames go (the L2TP session). Ownership of the buffer passes to the sink. */
    @FunctionalInterface
    public interface FrameSink {
        void send(ByteBuf frame);
    }

    /** Where received IP packets go; the buffer is positioned on the IP header and owned by the sink. */
    @FunctionalInterface
    public interface IpSink {
        void packet(int protocol, ByteBuf ipPacket);
    }

    /** Assigns addresses to peers (authenticator side). */
    public interface AddressPlan {
        /** Our own address on the link. */
        Inet4Address local();

        /** The address for this peer, or null if none is free. */
        Inet4Address remoteFor(String peerName);

        /** DNS servers handed out (RFC 1877), possibly empty. */
        List<Inet4Address> dns();
    }

    /** What the link needs besides the protocol settings: names, secrets, addresses, log prefix. */
    public record Settings(String hostName, SecretProvider peerSecrets, SecretProvider authenticatorSecrets,
                           AddressPlan addressPlan, String logPrefix) {
    }

    private final Consumer<PppEvent> events;
    private final String logPrefix;

    private final Lcp lcp;
    private final CpFsm lcpFsm;
    private final Keepalive keepalive;
    private final AuthPhase auth;
    private final NetworkPhase network;
    private final Framing framing;

    private volatile PppEvent.Phase phase = PppEvent.Phase.DEAD;
    private final LinkEnd end = new LinkEnd();
    private boolean started;
    private final String refusal;              // why the link must not come up, or null
    private volatile IpSink ipSink;

    private volatile long rxFrames;            // written by the event loop only

    // RFC 2661 §4.4.5 proxy start, set before start() (event loop)
    private final PppSettings ppp;
    private final Settings settings;
    private final Random random;
    private ProxyLcp proxyLcp;                 // LNS: the LAC's Proxy LCP, to take over at start()
    private ProxyAuth proxyAuth;               // LNS: the LAC's Proxy Authen values; LAC: what we sent
    private boolean proxyTrusted;              // LNS: proxy authentication may be accepted
    private boolean proxyOffered;              // LAC: start() opens LCP as offered in the ICCN
    private boolean proxyUp;                   // the next lcpUp is the proxied one

    public PppLink(PppSettings ppp, Settings settings, ScheduledExecutorService loop, FrameSink out,
                   Consumer<PppEvent> events, ByteBufAllocator alloc, Random random) {
        this.events = events;
        this.ppp = ppp;
        this.settings = settings;
        this.random = random;
        this.logPrefix = settings.logPrefix() == null ? "" : settings.logPrefix();
        this.framing = new Framing(alloc, out, logPrefix);
        List<AuthMethod> checkPeerWith = AuthPolicy.authenticatorMethods(ppp.auth());
        // pppd refuses to run when the peer must authenticate and no method can do it; an
        // empty list here would bring the link up without authenticating the peer.
        this.refusal = ppp.auth().auth() && checkPeerWith.isEmpty()
                ? "the peer must authenticate, but only methods jl2tp does not implement are allowed "
                + "(require-mschap, require-eap); allow require-mschap-v2, require-chap or require-pap"
                : null;
        this.lcp = new Lcp(new Lcp.Settings(ppp.lcp().mru().orElse(1500), ppp.lcp().pcomp(), ppp.lcp().accomp(),
                ppp.lcp().magic(), checkPeerWith, AuthPolicy.peerMethods(ppp.auth())), random, new LcpEvents());
        this.lcpFsm = new CpFsm("LCP", Lcp.PROTOCOL, lcp, ppp.lcp().timers(), loop, framing::sendControl, logPrefix);
        lcp.bind(lcpFsm);
        this.keepalive = new Keepalive(ppp.lcp(), lcp, lcpFsm, loop, () -> rxFrames, this::echoFailed);
        this.auth = new AuthPhase(ppp.auth(), settings, loop, logPrefix, new AuthEvents());
        this.network = new NetworkPhase(ppp.ipcp(), ppp.ipv6cp(), settings.addressPlan(), loop, framing::sendControl,
                events, random, logPrefix, this::close);
    }

    /** A link with a SecureRandom (magic numbers, RFC 1661 §6.4) and the pooled allocator. */
    public PppLink(PppSettings ppp, Settings settings, ScheduledExecutorService loop, FrameSink out,
                   Consumer<PppEvent> events) {
        this(ppp, settings, loop, out, events, ByteBufAllocator.DEFAULT, new SecureRandom());
    }

    /** Sets where received IP packets go. */
    public void ipSink(IpSink sink) {
        this.ipSink = sink;
    }

    /** Current phase (any thread). */
    public PppEvent.Phase phase() {
        return phase;
    }

    /**
     * Completes with the final {@link PppEvent.Down} when the link reaches the Dead phase after
     * {@link #start} (or at once on {@link #close} of a link never started). Safe from any
     * thread; completing the returned future does not affect the link.
     */
    public CompletableFuture<PppEvent.Down> terminated() {
        return end.future();
    }

    /** LCP's automaton (state inspection). */
    public CpFsm lcp() {
        return lcpFsm;
    }

    /** IPCP's automaton, once the Network phase began (else null). */
    public CpFsm ipcp() {
        return network.ipcpFsm();
    }

    /** IPV6CP's automaton, once the Network phase began with +ipv6 (else null). */
    public CpFsm ipv6cp() {
        return network.ipv6cpFsm();
    }

    /** The peer's MRU: the largest PPP information field we may send. */
    public int peerMru() {
        return lcp.peerMru();
    }

    /** Frames received so far (all protocols). */
    public long rxFrames() {
        return rxFrames;
    }

    /**
     * Control packets dropped as malformed so far: those that did not decode and those whose
     * options did not (counted by the automata). Read from any thread; approximate while running.
     */
    public long malformedPackets() {
        CpFsm ipcp = network.ipcpFsm();
        CpFsm ipv6cp = network.ipv6cpFsm();
        return framing.malformed() + lcpFsm.malformed() + (ipcp == null ? 0 : ipcp.malformed()) + (ipv6cp == null ? 0 : ipv6cp.malformed());
    }

    /** Frames sent so far (control and data, from every thread). */
    public long txFrames() {
        return framing.txFrames();
    }

    // ---- lifecycle ----

    /** What a client LAC puts in its ICCN (RFC 2661 §4.4.5); {@code auth} null when only LCP is proxied. */
    public record ProxyOffer(ProxyLcp lcp, ProxyAuth auth) {
    }

    /**
     * Client LAC (the LAC and the PPP client in one process): prepares the Proxy LCP and
     * Authentication AVPs of RFC 2661 §4.4.5 for the ICCN, and makes {@link #start} open LCP
     * with exactly those values, so that PPP is in the Network phase at once (RFC 1661 §3.5) and
     * the NCP Configure-Requests leave with the first data. Call before {@link #start}, on the
     * event loop.
     *
     * <p>The values are what a LAC that negotiated with us would report: "Last Received" (and
     * "Initial Received") is our own Configure-Request as {@link Lcp} would send it now; "Last
     * Sent" is the request of a LAC-side authenticator, Magic-Number and the
     * Authentication-Protocol we would agree to (CHAP-MD5 before PAP). With {@code auth} and
     * CHAP-MD5, we play the LAC's part of RFC 1994 §4.1 too: a random 16-octet Challenge and
     * Identifier, and our Response to it computed with our secret (the LNS verifies it against
     * its own). PAP is proxied as LCP only: our Authenticate-Request follows as usual, since an
     * LNS that did not take the proxy would wait for it (PAP has no Challenge to prompt it).
     *
     * <p>If the LNS ignores the offer it sends its own LCP Configure-Request, and our Opened
     * LCP renegotiates (RFC 1661 §4.1, Opened × RCR: tld, scr, sca/scn); if it takes the LCP but
     * not the authentication, its Challenge is answered and the NCP requests it discarded are
     * sent again on its Success.
     *
     * @return the AVP values, or null when proxying is not possible: we require the LNS to
     *         authenticate itself (the AVPs cannot carry that direction), or the link refuses to run
     */
    public ProxyOffer offerProxy(boolean auth) throws PppProtocolException {
        if (refusal != null || !AuthPolicy.authenticatorMethods(ppp.auth()).isEmpty() || started) {
            return null;
        }
        List<CpOption> ours = lcp.freshRequest();
        Set<AuthMethod> allowed = AuthPolicy.peerMethods(ppp.auth());
        AuthMethod method = allowed.contains(AuthMethod.CHAP_MD5) ? AuthMethod.CHAP_MD5
                : allowed.contains(AuthMethod.PAP) ? AuthMethod.PAP : null;
        long magic;
        do {
            magic = random.nextInt() & 0xffffffffL;
        } while (magic == 0 || magic == lcp.ourMagic()); // RFC 1661 §6.4
        List<CpOption> theirs = new ArrayList<>();
        if (method != null) {
            theirs.add(new CpOption(Lcp.OPT_AUTH, method.lcpOptionData()));
        }
        theirs.add(CpOption.u32(Lcp.OPT_MAGIC, magic));
        String refused = lcp.takeOver(ours, theirs);
        if (refused != null) {
            log.debug("{}no proxy LCP: {}", logPrefix, refused);
            lcp.freshRequest();
            return null;
        }
        ProxyAuth pa = null;
        if (auth && method == AuthMethod.CHAP_MD5) {
            String user = AuthPolicy.user(ppp.auth(), settings.hostName());
            Optional<Secret> secret = AuthPolicy.peerSecrets(ppp.auth(), settings.peerSecrets())
                    .secret(user, ppp.auth().remotename().orElse(null)).filter(x -> !x.isEmpty());
            if (secret.isPresent()) {
                byte[] challenge = new byte[16];
                random.nextBytes(challenge);
                int id = random.nextInt(256);
                pa = new ProxyAuth(ProxyAuth.CHAP, user, challenge, id,
                        ChapMd5.response(id, secret.get().bytes(), challenge));
            }
        }
        byte[] request = CpOption.encode(ours);
        proxyOffered = true;
        proxyAuth = pa;
        return new ProxyOffer(new ProxyLcp(request, CpOption.encode(theirs), request), pa);
    }

    /**
     * LNS: the LAC's Proxy LCP and Authentication AVPs from the ICCN (RFC 2661 §4.4.5), to be
     * taken over by {@link #start} when acceptable — LCP if {@link Lcp#takeOver} accepts it,
     * the authentication only if {@code trustAuth} (a tunnel authenticated with a shared secret,
     * or the operator's explicit choice: docs/ppp-auth.md) and it verifies. Otherwise PPP
     * negotiates as usual. Call before {@link #start}, on the event loop; either may be null.
     */
    public void acceptProxy(ProxyLcp lcpValues, ProxyAuth authValues, boolean trustAuth) {
        this.proxyLcp = lcpValues;
        this.proxyAuth = authValues;
        this.proxyTrusted = trustAuth;
    }

    /** The lower layer is up: LCP Up + Open (RFC 1661 §3.3, Establish phase). Event loop. */
    public void start() {
        started = true;
        if (refusal != null) {
            log.error("{}refusing to bring the link up: {}", logPrefix, refusal);
            noteDown(PppEvent.Reason.AUTH_FAILED, refusal);
            finish();
            return;
        }
        setPhase(PppEvent.Phase.ESTABLISH);
        if (proxyOffered || takeOverProxyLcp()) {
            proxyUp = true;
            lcpFsm.startOpened();
            return;
        }
        lcpFsm.open();
        lcpFsm.up();
    }

    /** LNS: takes over the LAC's LCP if acceptable (see {@link #acceptProxy}); logs why not. */
    private boolean takeOverProxyLcp() {
        if (proxyLcp == null) {
            if (proxyAuth != null) {
                log.info("{}proxy authentication without proxy LCP ignored: negotiating LCP", logPrefix);
            }
            return false;
        }
        String why;
        if (!proxyLcp.complete()) {
            why = "Last Sent or Last Received LCP CONFREQ missing";
        } else {
            try {
                why = lcp.takeOver(CpOption.parse(proxyLcp.lastSent()),
                        CpOption.parse(proxyLcp.lastReceived()));
            } catch (PppProtocolException e) {
                why = "malformed options: " + e.getMessage();
            } catch (RuntimeException e) {
                // Values from the wire must not take the event loop down (as CpFsm.input).
                why = "unusable options: " + new PppProtocolException(e.toString()).getMessage();
            }
        }
        if (why != null) {
            log.info("{}proxy LCP not taken over ({}): negotiating LCP", logPrefix, why);
            return false;
        }
        log.info("{}LCP taken over from the LAC (RFC 2661 §4.4.5 proxy LCP)", logPrefix);
        return true;
    }

    /** Administrative close: LCP Terminate-Request with {@code reason}. Event loop. */
    public void close(String reason) {
        noteDown(PppEvent.Reason.ADMIN_CLOSE, reason);
        if (!started) {
            finish(); // nothing to terminate: the link is Dead already
            return;
        }
        log.info("{}Terminating the link: {}", logPrefix, reason);
        lcpFsm.close(reason);
    }

    /** The lower layer went away (L2TP session closed). Event loop. */
    public void lowerDown(String why) {
        noteDown(PppEvent.Reason.LOWER_DOWN, why);
        lcpFsm.down();
        lcpFsm.close(why);
        finish();
    }

    private void noteDown(PppEvent.Reason r, String message) {
        end.note(r, message);
    }

    private void setPhase(PppEvent.Phase p) {
        if (phase != p) {
            phase = p;
            events.accept(new PppEvent.PhaseChanged(p));
        }
    }

    // ---- receive ----

    /** One received PPP frame (event loop). Takes ownership of {@code frame}. Never throws. */
    public void input(ByteBuf frame) {
        boolean handedOff = false;
        try {
            rxFrames++; // single writer (the event loop)
            Framing.Header h = Framing.decode(frame);
            if (h == null) {
                return;
            }
            frame.readerIndex(h.offset());
            int protocol = h.protocol();
            if (protocol == PROTO_IPV4 || protocol == PROTO_IPV6) {
                IpSink sink = ipSink;
                boolean open = protocol == PROTO_IPV4 ? network.ipUp() : network.ipv6Up();
                if (open && sink != null) {
                    handedOff = true;
                    sink.packet(protocol, frame);
                }
                return;
            }
            dispatchControl(protocol, frame);
        } finally {
            if (!handedOff) {
                frame.release();
            }
        }
    }

    private void dispatchControl(int protocol, ByteBuf info) {
        if (protocol == Lcp.PROTOCOL) {
            CpPacket p = framing.decodeControl("LCP", info);
            if (p != null) {
                if (p.code() == CpPacket.TERM_REQ && lcpFsm.state() == State.OPENED) {
                    String why = new String(p.data(), StandardCharsets.UTF_8).strip();
                    noteDown(PppEvent.Reason.PEER_TERMINATED, "peer terminated the link" + (why.isEmpty() ? "" : ": " + why));
                }
                lcpFsm.input(p);
            }
            return;
        }
        // RFC 1661 §3.4/3.5: nothing but LCP before LCP is Opened; no NCP before authentication.
        if (lcpFsm.state() != State.OPENED) {
            log.debug("{}protocol 0x{} before LCP is open, discarded", logPrefix, Integer.toHexString(protocol));
            return;
        }
        if (protocol == AuthMethod.PROTOCOL_PAP || protocol == AuthMethod.PROTOCOL_CHAP) {
            auth.input(protocol, info);
            return;
        }
        if ((protocol == Ipcp.PROTOCOL || protocol == Ipv6cp.PROTOCOL)
                && (network.input(protocol, info, framing) || phase != PppEvent.Phase.NETWORK)) {
            return; // handled, or §3.5: NCP packets before the Network phase are silently discarded
        }
        // §5.7: an unknown (or disabled, e.g. noipv6, noccp) protocol in Opened → Protocol-Reject.
        byte[] information = new byte[info.readableBytes()];
        info.getBytes(info.readerIndex(), information);
        log.debug("{}Protocol-Reject for protocol 0x{}", logPrefix, Integer.toHexString(protocol));
        lcp.sendProtocolReject(protocol, information);
    }

    // ---- send ----

    /**
     * Sends an IP packet (the buffer's readable bytes; ownership passes in) from any thread:
     * writes the PPP header into the headroom (honouring negotiated ACFC/PFC) and hands the
     * frame to the sink. Drops it if the matching NCP is not up.
     */
    public void sendIp(int protocol, ByteBuf ip) {
        if (!(protocol == PROTO_IPV4 ? network.ipUp() : network.ipv6Up())) {
            ip.release();
            return;
        }
        framing.sendIp(protocol, ip);
    }

    /**
     * Writes the PPP header of {@code protocol} into the headroom before {@code buf}'s
     * readerIndex: 1 or 2 protocol octets (PFC), preceded by FF 03 unless ACFC.
     */
    public static void encapsulate(ByteBuf buf, int protocol, boolean acfc, boolean pfc) {
        Framing.prepend(buf, protocol, acfc, pfc);
    }

    // ---- phases ----

    private final class LcpEvents implements Lcp.Listener {
        @Override
        public void lcpUp() {
            framing.negotiated(lcp.sendAcfc(), lcp.sendPfc());
            log.info("{}LCP up (MRU {}, magic 0x{})", logPrefix, lcp.peerMru(), Long.toHexString(lcp.ourMagic()));
            if (lcp.authRefused()) {
                noteDown(PppEvent.Reason.AUTH_FAILED, "peer refused to authenticate");
                log.warn("{}peer refused to authenticate: terminating link", logPrefix);
                lcpFsm.close("Authentication refused");
                return;
            }
            keepalive.start();
            if (proxyUp && lcp.ourAuth() == null && lcp.peerAuth() == null) {
                proxyUp = false;
            }
            AuthMethod checkPeer = lcp.ourAuth();
            AuthMethod proveOurs = lcp.peerAuth();
            if (checkPeer == null && proveOurs == null) {
                enterNetwork();
                return;
            }
            setPhase(PppEvent.Phase.AUTHENTICATE);
            if (proxyUp) {
                proxyUp = false;
                auth.startProxied(checkPeer, proveOurs, proxyAuth, proxyTrusted, proxyOffered && proxyAuth != null);
            } else {
                auth.start(checkPeer, proveOurs);
            }
        }

        @Override
        public void lcpDown() {
            keepalive.stop();
            auth.stop();
            network.lowerDown();
            if (lcpFsm.state() == State.REQ_SENT || lcpFsm.state() == State.ACK_SENT) {
                // A Configure-Request (or Ack/Nak) in Opened: LCP renegotiates (RFC 1661 §4.1,
                // tld + scr), the link is back in Link Establishment (§3.3), not terminating —
                // e.g. an LNS that ignored our proxy LCP (RFC 2661 §4.4.5) starts its own.
                setPhase(PppEvent.Phase.ESTABLISH);
            } else if (phase != PppEvent.Phase.DEAD) {
                setPhase(PppEvent.Phase.TERMINATE);
            }
        }

        @Override
        public void lcpFinished() {
            noteDown(PppEvent.Reason.NEGOTIATION_FAILED, "LCP negotiation failed or the peer stopped answering");
            finish();
        }

        @Override
        public void lcpStarting() {
        }

        @Override
        public void protocolRejected(int protocol) {
            if (network.protocolRejected(protocol)) {
                return;
            }
            if (protocol == Lcp.PROTOCOL) {
                noteDown(PppEvent.Reason.NEGOTIATION_FAILED, "peer rejected LCP");
                lcpFsm.protocolRejected();
            } else {
                log.debug("{}peer rejected protocol 0x{}", logPrefix, Integer.toHexString(protocol));
            }
        }

        @Override
        public void echoReply() {
            keepalive.replied();
        }

        @Override
        public void loopbackDetected() {
            noteDown(PppEvent.Reason.LOOPBACK, "serial link appears to be looped back");
            log.warn("{}Serial line is looped back.", logPrefix);
            lcpFsm.close("Loopback detected");
        }
    }

    private final class AuthEvents implements AuthPhase.Listener {
        @Override
        public void send(int protocol, ByteBuf packet) {
            framing.sendAuth(protocol, packet);
        }

        @Override
        public void authenticated(boolean weAuthenticatedPeer, String method, String peerName) {
            events.accept(new PppEvent.Authenticated(weAuthenticatedPeer, method, peerName));
        }

        @Override
        public void done() {
            if (phase == PppEvent.Phase.AUTHENTICATE) {
                enterNetwork();
            } else if (phase == PppEvent.Phase.NETWORK) {
                // We entered the Network phase on proxy authentication and the peer challenged
                // us anyway: until its Success it was in its Authenticate phase and discarded our
                // NCP Configure-Requests (RFC 1661 §3.5). Send them now, not a restart timer later.
                network.requestAgain();
            }
        }

        @Override
        public void failed(String method, String reason) {
            noteDown(PppEvent.Reason.AUTH_FAILED, method + " authentication failed: " + reason);
            lcpFsm.close("Authentication failed");
        }
    }

    /** LCP echo keepalive gave up: {@code unanswered} Echo-Requests went unanswered. */
    private void echoFailed(int unanswered) {
        log.info("{}No response to {} echo-requests", logPrefix, unanswered);
        noteDown(PppEvent.Reason.ECHO_FAILURE, "no response to " + unanswered + " echo-requests");
        lcpFsm.close("Peer not responding");
    }

    /** RFC 1661 §3.5: authentication done, the NCPs may start. */
    private void enterNetwork() {
        setPhase(PppEvent.Phase.NETWORK);
        network.start(auth.authenticatedPeerName());
    }

    /** An IPv6 address in RFC 5952 form (longest run of zero groups as ::), as pppd prints it. */
    public static String compact(Inet6Address a) {
        return Ipv6cp.compact(a);
    }

    /** The link is Dead (RFC 1661 §3.2): stop everything, report once, complete {@link #terminated()}. */
    private void finish() {
        keepalive.stop();
        auth.stop();
        network.finish();
        setPhase(PppEvent.Phase.DEAD);
        end.report(events, logPrefix);
    }
}
