package io.jl2tp.ppp;

import io.jl2tp.ppp.auth.AuthListener;
import io.jl2tp.ppp.auth.AuthMethod;
import io.jl2tp.ppp.auth.AuthProtocol;
import io.jl2tp.ppp.auth.AuthProtocols;
import io.jl2tp.ppp.auth.SecretProvider;
import io.jl2tp.ppp.fsm.CpConfig;
import io.jl2tp.ppp.fsm.CpFsm;
import io.jl2tp.ppp.fsm.State;
import io.jl2tp.ppp.ipcp.Ipcp;
import io.jl2tp.ppp.ipv6cp.Ipv6cp;
import io.jl2tp.ppp.lcp.Lcp;
import io.jl2tp.ppp.options.AuthPolicy;
import io.jl2tp.ppp.options.PppOptions;
import io.jl2tp.ppp.wire.CpPacket;
import io.jl2tp.ppp.wire.PppProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One PPP link over an abstract frame pipe (an L2TP session, or an in-memory pipe in tests):
 * the phases of RFC 1661 §3 (Dead → Establish → Authenticate → Network → Terminate), LCP,
 * authentication in both directions, IPCP and IPV6CP, LCP echo keepalive, and the IP data
 * hand-off. Configured from pppd options, so a user's options file means what it meant to pppd.
 *
 * <pre>
 *  input(frame) ─► [FF 03] protocol ─► LCP / PAP / CHAP / IPCP / IPV6CP automata
 *                                   └► IPv4 0x0021, IPv6 0x0057 ─► ipSink (TUN writer)
 *  encapsulate(ip) ─► prepend protocol (+ FF 03 unless ACFC) in headroom ─► FrameSink (L2TP)
 * </pre>
 *
 * Control state is confined to the event loop; {@link #encapsulate} and the counters are safe
 * from the data path thread (they read an immutable snapshot).
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

    /** What the link needs besides the pppd options. */
    public record Settings(String hostName, SecretProvider peerSecrets, SecretProvider authenticatorSecrets,
                           AddressPlan addressPlan, String logPrefix) {
    }

    private record Framing(boolean acfc, boolean pfc) {
    }

    private final PppOptions options;
    private final Settings settings;
    private final ScheduledExecutorService loop;
    private final FrameSink out;
    private final Consumer<PppEvent> events;
    private final ByteBufAllocator alloc;
    private final Random random;
    private final String logPrefix;

    private final Lcp lcp;
    private final CpFsm lcpFsm;
    private Ipcp ipcp;
    private CpFsm ipcpFsm;
    private Ipv6cp ipv6cp;
    private CpFsm ipv6cpFsm;
    private AuthProtocol authAsPeer;
    private AuthProtocol authAsAuthenticator;
    private boolean peerAuthDone;
    private boolean authenticatorDone;
    private String authenticatedPeerName;

    private PppEvent.Phase phase = PppEvent.Phase.DEAD;
    private PppEvent.Reason downReason;
    private String downMessage;
    private boolean reported;
    private volatile Framing framing = new Framing(false, false);
    private volatile IpSink ipSink;
    private volatile boolean ipUp;
    private volatile boolean ipv6Up;

    private ScheduledFuture<?> echoTimer;
    private int echoesPending;
    private volatile long rxFrames;
    private long rxFramesAtLastEcho;
    private volatile long txFrames;

    public PppLink(PppOptions options, Settings settings, ScheduledExecutorService loop, FrameSink out,
                   Consumer<PppEvent> events, ByteBufAllocator alloc, Random random) {
        this.options = options;
        this.settings = settings;
        this.loop = loop;
        this.out = out;
        this.events = events;
        this.alloc = alloc;
        this.random = random;
        this.logPrefix = settings.logPrefix() == null ? "" : settings.logPrefix();
        Set<AuthMethod> allowAsPeer = AuthPolicy.peerMethods(options);
        List<AuthMethod> require = AuthPolicy.authenticatorMethods(options);
        int mru = options.mru().orElse(1500);
        this.lcp = new Lcp(new Lcp.Settings(mru, !options.noPcomp(), !options.noAccomp(), !options.noMagic(), require,
                allowAsPeer), random, new LcpEvents());
        this.lcpFsm = new CpFsm("LCP", Lcp.PROTOCOL, lcp, new CpConfig(Duration.ofSeconds(options.lcpRestart()),
                options.lcpMaxConfigure(), options.lcpMaxTerminate(), options.lcpMaxFailure()), loop, this::sendControl,
                logPrefix);
        lcp.bind(lcpFsm);
    }

    /** A link with a SecureRandom and the pooled allocator. */
    public PppLink(PppOptions options, Settings settings, ScheduledExecutorService loop, FrameSink out,
                   Consumer<PppEvent> events) {
        this(options, settings, loop, out, events, ByteBufAllocator.DEFAULT, new SecureRandom());
    }

    /** Sets where received IP packets go. */
    public void ipSink(IpSink sink) {
        this.ipSink = sink;
    }

    /** Current phase. */
    public PppEvent.Phase phase() {
        return phase;
    }

    /** LCP's automaton (state inspection). */
    public CpFsm lcp() {
        return lcpFsm;
    }

    /** IPCP's automaton, once the Network phase began (else null). */
    public CpFsm ipcp() {
        return ipcpFsm;
    }

    /** IPV6CP's automaton, once the Network phase began with +ipv6 (else null). */
    public CpFsm ipv6cp() {
        return ipv6cpFsm;
    }

    /** The peer's MRU: the largest PPP information field we may send. */
    public int peerMru() {
        return lcp.peerMru();
    }

    /** Frames received so far (all protocols). */
    public long rxFrames() {
        return rxFrames;
    }

    /** Frames sent so far. */
    public long txFrames() {
        return txFrames;
    }

    // ---- lifecycle ----

    /** The lower layer is up: LCP Up + Open (RFC 1661 §3.3, Establish phase). Event loop. */
    public void start() {
        setPhase(PppEvent.Phase.ESTABLISH);
        lcpFsm.open();
        lcpFsm.up();
    }

    /** Administrative close: LCP Terminate-Request with {@code reason}. Event loop. */
    public void close(String reason) {
        noteDown(PppEvent.Reason.ADMIN_CLOSE, reason);
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
        if (downReason == null) {
            downReason = r;
            downMessage = message;
        }
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
            rxFrames++;
            int r = frame.readerIndex();
            int n = frame.readableBytes();
            // RFC 1662 §3.2: address/control FF 03 may be absent (ACFC); accept both forms.
            if (n >= 2 && frame.getUnsignedByte(r) == 0xff && frame.getUnsignedByte(r + 1) == 0x03) {
                r += 2;
                n -= 2;
            }
            if (n < 1) {
                return;
            }
            int protocol;
            // RFC 1661 §6.5: a protocol field whose first octet is odd is a compressed (1-octet) one.
            if ((frame.getUnsignedByte(r) & 1) != 0) {
                protocol = frame.getUnsignedByte(r);
                r += 1;
                n -= 1;
            } else {
                if (n < 2) {
                    return;
                }
                protocol = frame.getUnsignedShort(r);
                r += 2;
                n -= 2;
            }
            frame.setIndex(r, r + n);
            if (protocol == PROTO_IPV4 || protocol == PROTO_IPV6) {
                IpSink sink = ipSink;
                boolean open = protocol == PROTO_IPV4 ? ipUp : ipv6Up;
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
            decodeAnd(info, p -> {
                debugPacket("rcvd", "LCP", p);
                if (p.code() == CpPacket.TERM_REQ && lcpFsm.state() == State.OPENED) {
                    String why = new String(p.data(), java.nio.charset.StandardCharsets.UTF_8).strip();
                    noteDown(PppEvent.Reason.PEER_TERMINATED, "peer terminated the link" + (why.isEmpty() ? "" : ": " + why));
                }
                lcpFsm.input(p);
            });
            return;
        }
        // RFC 1661 §3.4/3.5: nothing but LCP before LCP is Opened; no NCP before authentication.
        if (lcpFsm.state() != State.OPENED) {
            log.debug("{}protocol 0x{} before LCP is open, discarded", logPrefix, Integer.toHexString(protocol));
            return;
        }
        if (protocol == AuthMethod.PROTOCOL_PAP || protocol == AuthMethod.PROTOCOL_CHAP) {
            if (authAsPeer != null && authAsPeer.protocol() == protocol) {
                authAsPeer.input(info.duplicate());
            }
            if (authAsAuthenticator != null && authAsAuthenticator.protocol() == protocol) {
                authAsAuthenticator.input(info.duplicate());
            }
            return;
        }
        if (protocol == Ipcp.PROTOCOL && ipcpFsm != null) {
            decodeAnd(info, p -> {
                debugPacket("rcvd", "IPCP", p);
                ipcpFsm.input(p);
            });
            return;
        }
        if (protocol == Ipv6cp.PROTOCOL && ipv6cpFsm != null) {
            decodeAnd(info, p -> {
                debugPacket("rcvd", "IPV6CP", p);
                ipv6cpFsm.input(p);
            });
            return;
        }
        if ((protocol == Ipcp.PROTOCOL || protocol == Ipv6cp.PROTOCOL) && phase != PppEvent.Phase.NETWORK) {
            return; // §3.5: NCP packets before the Network phase are silently discarded
        }
        // §5.7: an unknown (or disabled, e.g. noipv6, noccp) protocol in Opened → Protocol-Reject.
        byte[] information = new byte[info.readableBytes()];
        info.getBytes(info.readerIndex(), information);
        log.debug("{}Protocol-Reject for protocol 0x{}", logPrefix, Integer.toHexString(protocol));
        lcp.sendProtocolReject(protocol, information);
    }

    private interface PacketHandler {
        void handle(CpPacket p);
    }

    private void decodeAnd(ByteBuf info, PacketHandler h) {
        try {
            h.handle(CpPacket.decode(info));
        } catch (PppProtocolException e) {
            log.debug("{}malformed control packet discarded: {}", logPrefix, e.getMessage());
        }
    }

    private void debugPacket(String dir, String proto, CpPacket p) {
        if (log.isDebugEnabled()) {
            log.debug("{}{} [{} {}]", logPrefix, dir, proto, p);
        }
    }

    // ---- send ----

    private void sendControl(int protocol, CpPacket p) {
        if (log.isDebugEnabled()) {
            String name = protocol == Lcp.PROTOCOL ? "LCP" : protocol == Ipcp.PROTOCOL ? "IPCP"
                    : protocol == Ipv6cp.PROTOCOL ? "IPV6CP" : "0x" + Integer.toHexString(protocol);
            debugPacket("sent", name, p);
        }
        ByteBuf b = alloc.buffer(HEADROOM + 24 + p.length());
        b.writerIndex(24 + HEADROOM).readerIndex(24 + HEADROOM);
        p.encode(b);
        // RFC 1661 §6.5/6.6: LCP packets are always sent with a 2-octet protocol and FF 03.
        prepend(b, protocol, protocol != Lcp.PROTOCOL && framing.acfc(), false);
        txFrames++;
        out.send(b);
    }

    private void sendAuth(int protocol, ByteBuf packet) {
        ByteBuf b = alloc.buffer(24 + HEADROOM + packet.readableBytes());
        b.writerIndex(24 + HEADROOM).readerIndex(24 + HEADROOM);
        b.writeBytes(packet);
        packet.release();
        prepend(b, protocol, framing.acfc(), false);
        txFrames++;
        out.send(b);
    }

    /**
     * Sends an IP packet (the buffer's readable bytes; ownership passes in) from any thread:
     * writes the PPP header into the headroom (honouring negotiated ACFC/PFC) and hands the
     * frame to the sink. Drops it if the matching NCP is not up.
     */
    public void sendIp(int protocol, ByteBuf ip) {
        if (!(protocol == PROTO_IPV4 ? ipUp : ipv6Up)) {
            ip.release();
            return;
        }
        Framing f = framing;
        encapsulate(ip, protocol, f.acfc(), f.pfc());
        txFrames++;
        out.send(ip);
    }

    /**
     * Writes the PPP header of {@code protocol} into the headroom before {@code buf}'s
     * readerIndex: 1 or 2 protocol octets (PFC), preceded by FF 03 unless ACFC.
     */
    public static void encapsulate(ByteBuf buf, int protocol, boolean acfc, boolean pfc) {
        prepend(buf, protocol, acfc, pfc);
    }

    private static void prepend(ByteBuf buf, int protocol, boolean acfc, boolean pfc) {
        int r = buf.readerIndex();
        boolean shortProto = pfc && protocol < 0x100 && (protocol & 1) != 0;
        int hl = (acfc ? 0 : 2) + (shortProto ? 1 : 2);
        if (r < hl) {
            throw new IndexOutOfBoundsException("need " + hl + " octets of headroom, have " + r);
        }
        int i = r - hl;
        if (!acfc) {
            buf.setByte(i++, 0xff);
            buf.setByte(i++, 0x03);
        }
        if (shortProto) {
            buf.setByte(i, protocol);
        } else {
            buf.setShort(i, protocol);
        }
        buf.readerIndex(r - hl);
    }

    // ---- phases ----

    private final class LcpEvents implements Lcp.Listener {
        @Override
        public void lcpUp() {
            framing = new Framing(lcp.sendAcfc(), lcp.sendPfc());
            log.info("{}LCP up (MRU {}, magic 0x{})", logPrefix, lcp.peerMru(), Long.toHexString(lcp.ourMagic()));
            if (lcp.authRefused()) {
                noteDown(PppEvent.Reason.AUTH_FAILED, "peer refused to authenticate");
                log.warn("{}peer refused to authenticate: terminating link", logPrefix);
                lcpFsm.close("Authentication refused");
                return;
            }
            startEcho();
            startAuthentication();
        }

        @Override
        public void lcpDown() {
            stopEcho();
            stopAuth();
            if (ipcpFsm != null) {
                ipcpFsm.down();
            }
            if (ipv6cpFsm != null) {
                ipv6cpFsm.down();
            }
            if (phase != PppEvent.Phase.DEAD) {
                setPhase(PppEvent.Phase.TERMINATE);
            }
        }

        @Override
        public void lcpFinished() {
            if (downReason == null) {
                noteDown(PppEvent.Reason.NEGOTIATION_FAILED, "LCP negotiation failed or the peer stopped answering");
            }
            finish();
        }

        @Override
        public void lcpStarting() {
        }

        @Override
        public void protocolRejected(int protocol) {
            if (protocol == Ipcp.PROTOCOL && ipcpFsm != null) {
                log.info("{}peer rejected IPCP", logPrefix);
                ipcpFsm.protocolRejected();
            } else if (protocol == Ipv6cp.PROTOCOL && ipv6cpFsm != null) {
                log.info("{}peer rejected IPV6CP", logPrefix);
                ipv6cpFsm.protocolRejected();
            } else if (protocol == Lcp.PROTOCOL) {
                noteDown(PppEvent.Reason.NEGOTIATION_FAILED, "peer rejected LCP");
                lcpFsm.protocolRejected();
            } else {
                log.debug("{}peer rejected protocol 0x{}", logPrefix, Integer.toHexString(protocol));
            }
        }

        @Override
        public void echoReply() {
            echoesPending = 0;
        }

        @Override
        public void loopbackDetected() {
            noteDown(PppEvent.Reason.LOOPBACK, "serial link appears to be looped back");
            log.warn("{}Serial line is looped back.", logPrefix);
            lcpFsm.close("Loopback detected");
        }
    }

    private void startAuthentication() {
        AuthMethod asAuthenticator = lcp.ourAuth();
        AuthMethod asPeer = lcp.peerAuth();
        peerAuthDone = asPeer == null;
        authenticatorDone = asAuthenticator == null;
        if (peerAuthDone && authenticatorDone) {
            enterNetwork();
            return;
        }
        setPhase(PppEvent.Phase.AUTHENTICATE);
        String ourName = AuthPolicy.ourName(options, settings.hostName());
        if (asAuthenticator != null) {
            authAsAuthenticator = AuthProtocols.authenticator(asAuthenticator, ourName, settings.authenticatorSecrets(),
                    AuthPolicy.authenticatorConfig(options, asAuthenticator).withLogPrefix(logPrefix), loop,
                    new AuthEvents(true, asAuthenticator));
            authAsAuthenticator.start();
        }
        if (asPeer != null) {
            SecretProvider secrets = AuthPolicy.peerSecrets(options, settings.peerSecrets());
            authAsPeer = AuthProtocols.peer(asPeer, AuthPolicy.user(options, settings.hostName()), secrets,
                    options.remotename().orElse(null), AuthPolicy.peerConfig(options, asPeer).withLogPrefix(logPrefix),
                    loop, new AuthEvents(false, asPeer));
            authAsPeer.start();
        }
    }

    private final class AuthEvents implements AuthListener {
        private final boolean authenticator;
        private final AuthMethod method;

        AuthEvents(boolean authenticator, AuthMethod method) {
            this.authenticator = authenticator;
            this.method = method;
        }

        @Override
        public void send(int protocol, ByteBuf packet) {
            sendAuth(protocol, packet);
        }

        @Override
        public void succeeded(String peerName, String message) {
            String name = method == AuthMethod.PAP ? "PAP" : method == AuthMethod.CHAP_MD5 ? "CHAP" : "MS-CHAP-v2";
            if (authenticator) {
                authenticatorDone = true;
                authenticatedPeerName = peerName;
                log.info("{}peer from calling number {} authorized", logPrefix, peerName == null ? "?" : peerName);
            } else {
                peerAuthDone = true;
                log.info("{}{} authentication succeeded", logPrefix, name);
            }
            events.accept(new PppEvent.Authenticated(authenticator, name, peerName));
            if (peerAuthDone && authenticatorDone && phase == PppEvent.Phase.AUTHENTICATE) {
                enterNetwork();
            }
        }

        @Override
        public void failed(String reason) {
            String name = method == AuthMethod.PAP ? "PAP" : method == AuthMethod.CHAP_MD5 ? "CHAP" : "MS-CHAP-v2";
            log.warn("{}{} authentication failed: {}", logPrefix, name, reason);
            noteDown(PppEvent.Reason.AUTH_FAILED, name + " authentication failed: " + reason);
            lcpFsm.close("Authentication failed");
        }
    }

    private void stopAuth() {
        if (authAsPeer != null) {
            authAsPeer.stop();
            authAsPeer = null;
        }
        if (authAsAuthenticator != null) {
            authAsAuthenticator.stop();
            authAsAuthenticator = null;
        }
    }

    /** RFC 1661 §3.5: authentication done, the NCPs may start. */
    private void enterNetwork() {
        setPhase(PppEvent.Phase.NETWORK);
        if (options.ip()) {
            Inet4Address local = options.localIp().orElse(null);
            Inet4Address remote = options.remoteIp().orElse(null);
            List<Inet4Address> dns = options.msDns();
            AddressPlan plan = settings.addressPlan();
            if (plan != null) {
                local = local != null ? local : plan.local();
                remote = remote != null ? remote : plan.remoteFor(authenticatedPeerName);
                dns = dns.isEmpty() ? plan.dns() : dns;
            }
            ipcp = new Ipcp(new Ipcp.Settings(local, remote, options.ipcpAcceptLocal(), options.ipcpAcceptRemote(),
                    options.usePeerDns(), dns), new IpcpEvents());
            ipcpFsm = new CpFsm("IPCP", Ipcp.PROTOCOL, ipcp, new CpConfig(Duration.ofSeconds(options.ipcpRestart()),
                    options.ipcpMaxConfigure(), options.ipcpMaxTerminate(), options.ipcpMaxFailure()), loop,
                    this::sendControl, logPrefix);
            ipcpFsm.open();
            ipcpFsm.up();
        }
        if (options.ipv6()) {
            long localId = options.ipv6LocalId().orElse(0);
            ipv6cp = new Ipv6cp(new Ipv6cp.Settings(localId, options.ipv6cpUseIpaddr(), this::ipv4LocalAsLong,
                    options.ipv6cpAcceptLocal()), random, new Ipv6cpEvents());
            ipv6cpFsm = new CpFsm("IPV6CP", Ipv6cp.PROTOCOL, ipv6cp, new CpConfig(Duration.ofSeconds(options.ipv6cpRestart()),
                    options.ipv6cpMaxConfigure(), options.ipv6cpMaxTerminate(), options.ipv6cpMaxFailure()), loop,
                    this::sendControl, logPrefix);
            ipv6cpFsm.open();
            ipv6cpFsm.up();
        }
    }

    private long ipv4LocalAsLong() {
        Inet4Address a = ipcp != null ? ipcp.local() : options.localIp().orElse(null);
        if (a == null) {
            return 0;
        }
        byte[] b = a.getAddress();
        return ((long) (b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
    }

    private final class IpcpEvents implements Ipcp.Listener {
        @Override
        public void ipcpUp(Inet4Address local, Inet4Address remote, List<Inet4Address> dns) {
            log.info("{}local  IP address {}", logPrefix, local.getHostAddress());
            log.info("{}remote IP address {}", logPrefix, remote == null ? "?" : remote.getHostAddress());
            if (!dns.isEmpty()) {
                log.info("{}primary   DNS address {}", logPrefix, dns.get(0).getHostAddress());
            }
            if (dns.size() > 1) {
                log.info("{}secondary DNS address {}", logPrefix, dns.get(1).getHostAddress());
            }
            ipUp = true;
            events.accept(new PppEvent.IpUp(local, remote, List.copyOf(dns)));
        }

        @Override
        public void ipcpDown() {
            ipUp = false;
            events.accept(new PppEvent.IpDown());
        }

        @Override
        public void ipcpFinished() {
            ipUp = false;
        }
    }

    private final class Ipv6cpEvents implements Ipv6cp.Listener {
        @Override
        public void ipv6cpUp(Inet6Address localLl, Inet6Address remoteLl) {
            log.info("{}local  LL address {}", logPrefix, compact(localLl));
            log.info("{}remote LL address {}", logPrefix, compact(remoteLl));
            ipv6Up = true;
            events.accept(new PppEvent.Ipv6Up(localLl, remoteLl));
        }

        @Override
        public void ipv6cpDown() {
            ipv6Up = false;
            events.accept(new PppEvent.Ipv6Down());
        }

        @Override
        public void ipv6cpFinished() {
            ipv6Up = false;
        }
    }

    /** An IPv6 address in RFC 5952 form (longest run of zero groups as ::), as pppd prints it. */
    public static String compact(Inet6Address a) {
        byte[] b = a.getAddress();
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }

    // ---- keepalive (pppd lcp-echo-interval / -failure / -adaptive) ----

    private void startEcho() {
        if (options.lcpEchoInterval() <= 0) {
            return;
        }
        echoesPending = 0;
        rxFramesAtLastEcho = rxFrames;
        echoTimer = loop.scheduleAtFixedRate(this::echoTick, options.lcpEchoInterval(), options.lcpEchoInterval(),
                TimeUnit.SECONDS);
    }

    private void echoTick() {
        if (lcpFsm.state() != State.OPENED) {
            return;
        }
        long rx = rxFrames;
        boolean traffic = rx != rxFramesAtLastEcho;
        rxFramesAtLastEcho = rx;
        if (options.lcpEchoAdaptive() && traffic) {
            echoesPending = 0; // traffic proves the peer is alive: no echo needed
            return;
        }
        if (options.lcpEchoFailure() > 0 && echoesPending >= options.lcpEchoFailure()) {
            log.info("{}No response to {} echo-requests", logPrefix, echoesPending);
            noteDown(PppEvent.Reason.ECHO_FAILURE, "no response to " + echoesPending + " echo-requests");
            stopEcho();
            lcpFsm.close("Peer not responding");
            return;
        }
        echoesPending++;
        lcp.sendEchoRequest();
    }

    private void stopEcho() {
        if (echoTimer != null) {
            echoTimer.cancel(false);
            echoTimer = null;
        }
    }

    private void finish() {
        stopEcho();
        stopAuth();
        ipUp = false;
        ipv6Up = false;
        setPhase(PppEvent.Phase.DEAD);
        if (!reported) {
            reported = true;
            PppEvent.Reason r = downReason == null ? PppEvent.Reason.NEGOTIATION_FAILED : downReason;
            if (r == PppEvent.Reason.ADMIN_CLOSE || r == PppEvent.Reason.LOWER_DOWN) {
                log.info("{}Connection terminated: {}", logPrefix, downMessage);
            } else {
                log.warn("{}Connection terminated: {}", logPrefix, downMessage);
            }
            events.accept(new PppEvent.Down(r, downMessage));
        }
    }
}
