package io.jl2tp.ppp;

import io.jl2tp.ppp.fsm.CpFsm;
import io.jl2tp.ppp.ipcp.Ipcp;
import io.jl2tp.ppp.ipv6cp.Ipv6cp;
import io.jl2tp.ppp.options.IpcpSettings;
import io.jl2tp.ppp.options.Ipv6cpSettings;
import io.jl2tp.ppp.wire.CpPacket;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Network phase (RFC 1661 §3.6): IPCP (RFC 1332) and IPV6CP (RFC 5072), each an automaton
 * of its own, started when authentication is done and taken down with LCP — pppd's
 * {@code ipcp.c} / {@code ipv6cp.c} behind {@code auth.c}'s {@code start_networks}.
 *
 * <p>Threads: the automata are owned by the link's event loop; {@link #ipUp()} and
 * {@link #ipv6Up()} are volatile and read by the data path (any thread).
 */
final class NetworkPhase {

    private static final Logger log = LoggerFactory.getLogger(NetworkPhase.class);

    private final IpcpSettings ipcpSettings;
    private final Ipv6cpSettings ipv6cpSettings;
    private final PppLink.AddressPlan plan;
    private final ScheduledExecutorService loop;
    private final CpFsm.Output output;
    private final Consumer<PppEvent> events;
    private final Random random;
    private final String logPrefix;
    private final Consumer<String> closeLink;

    private Ipcp ipcp;
    private CpFsm ipcpFsm;                    // null until the Network phase began (or with noip)
    private CpFsm ipv6cpFsm;                  // null until the Network phase began with +ipv6
    private volatile boolean ipUp;            // IPCP Opened: IPv4 may flow
    private volatile boolean ipv6Up;          // IPV6CP Opened: IPv6 may flow
    private boolean ipcpOpen;                 // started and not yet finished (pppd's ipcp_is_open)
    private boolean ipv6cpOpen;               // started and not yet finished

    NetworkPhase(IpcpSettings ipcpSettings, Ipv6cpSettings ipv6cpSettings, PppLink.AddressPlan plan,
                 ScheduledExecutorService loop, CpFsm.Output output, Consumer<PppEvent> events, Random random,
                 String logPrefix, Consumer<String> closeLink) {
        this.closeLink = closeLink;
        this.ipcpSettings = ipcpSettings;
        this.ipv6cpSettings = ipv6cpSettings;
        this.plan = plan;
        this.loop = loop;
        this.output = output;
        this.events = events;
        this.random = random;
        this.logPrefix = logPrefix;
    }

    /** Starts the NCPs; {@code peerName} (null if not authenticated) chooses the LNS pool address. */
    void start(String peerName) {
        if (ipcpSettings.enabled()) {
            Inet4Address local = ipcpSettings.localIp().orElse(null);
            Inet4Address remote = ipcpSettings.remoteIp().orElse(null);
            List<Inet4Address> dns = ipcpSettings.msDns();
            if (plan != null) {
                local = local != null ? local : plan.local();
                remote = remote != null ? remote : plan.remoteFor(peerName);
                dns = dns.isEmpty() ? plan.dns() : dns;
            }
            ipcp = new Ipcp(new Ipcp.Settings(local, remote, ipcpSettings.acceptLocal(), ipcpSettings.acceptRemote(),
                    ipcpSettings.usePeerDns(), dns), new IpcpEvents());
            ipcpFsm = new CpFsm("IPCP", Ipcp.PROTOCOL, ipcp, ipcpSettings.timers(), loop, output, logPrefix);
            ipcpOpen = true;
            ipcpFsm.open();
            ipcpFsm.up();
        }
        if (ipv6cpSettings.enabled()) {
            Ipv6cp ipv6cp = new Ipv6cp(new Ipv6cp.Settings(ipv6cpSettings.localId().orElse(0),
                    ipv6cpSettings.useIpaddr(), this::ipv4LocalAsLong, ipv6cpSettings.acceptLocal()), random,
                    new Ipv6cpEvents());
            ipv6cpFsm = new CpFsm("IPV6CP", Ipv6cp.PROTOCOL, ipv6cp, ipv6cpSettings.timers(), loop, output, logPrefix);
            ipv6cpOpen = true;
            ipv6cpFsm.open();
            ipv6cpFsm.up();
        }
    }

    /** Routes an IPCP or IPV6CP packet (decoded by {@code framing}); false if that NCP is not running. */
    boolean input(int protocol, io.netty.buffer.ByteBuf info, Framing framing) {
        CpFsm fsm = protocol == Ipcp.PROTOCOL ? ipcpFsm : protocol == Ipv6cp.PROTOCOL ? ipv6cpFsm : null;
        if (fsm == null) {
            return false;
        }
        CpPacket p = framing.decodeControl(fsm.name(), info);
        if (p != null) {
            fsm.input(p);
        }
        return true;
    }

    /**
     * Sends our outstanding NCP Configure-Requests again at once (a late authentication of ours
     * completed, so the peer discarded them until now: RFC 1661 §3.5).
     */
    void requestAgain() {
        for (CpFsm fsm : new CpFsm[] {ipcpFsm, ipv6cpFsm}) {
            if (fsm != null && fsm.requestAgain()) {
                log.debug("{}{}: Configure-Request sent again after authentication", logPrefix, fsm.name());
            }
        }
    }

    /** The peer Protocol-Rejected {@code protocol}; false if it is none of ours. */
    boolean protocolRejected(int protocol) {
        if (protocol == Ipcp.PROTOCOL && ipcpFsm != null) {
            log.info("{}peer rejected IPCP", logPrefix);
            ipcpFsm.protocolRejected();
            return true;
        }
        if (protocol == Ipv6cp.PROTOCOL && ipv6cpFsm != null) {
            log.info("{}peer rejected IPV6CP", logPrefix);
            ipv6cpFsm.protocolRejected();
            return true;
        }
        return false;
    }

    /** LCP left Opened: the NCPs' lower layer is down (RFC 1661 §3.7). */
    void lowerDown() {
        if (ipcpFsm != null) {
            ipcpFsm.down();
        }
        if (ipv6cpFsm != null) {
            ipv6cpFsm.down();
        }
    }

    /** The link is dead: nothing flows any more. */
    void finish() {
        ipUp = false;
        ipv6Up = false;
    }

    /**
     * An NCP reached This-Layer-Finished (gave up after Max-Configure, was Protocol-Rejected or
     * terminated). When none is left the link has no further use and LCP is closed, as pppd's
     * {@code np_finished} does ("No network protocols running") — otherwise an LNS whose IPCP
     * never answered would keep a dead session up until the tunnel goes.
     */
    private void ncpFinished(boolean wasOpen) {
        if (wasOpen && !ipcpOpen && !ipv6cpOpen) {
            closeLink.accept("No network protocols running");
        }
    }

    boolean ipUp() {
        return ipUp;
    }

    boolean ipv6Up() {
        return ipv6Up;
    }

    CpFsm ipcpFsm() {
        return ipcpFsm;
    }

    CpFsm ipv6cpFsm() {
        return ipv6cpFsm;
    }

    private long ipv4LocalAsLong() {
        Inet4Address a = ipcp != null ? ipcp.local() : ipcpSettings.localIp().orElse(null);
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
            boolean was = ipcpOpen;
            ipcpOpen = false;
            ncpFinished(was);
        }
    }

    private final class Ipv6cpEvents implements Ipv6cp.Listener {
        @Override
        public void ipv6cpUp(Inet6Address localLl, Inet6Address remoteLl) {
            log.info("{}local  LL address {}", logPrefix, PppLink.compact(localLl));
            log.info("{}remote LL address {}", logPrefix, PppLink.compact(remoteLl));
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
            boolean was = ipv6cpOpen;
            ipv6cpOpen = false;
            ncpFinished(was);
        }
    }
}
