package io.jl2tp.app.dial;

import io.jl2tp.l2tp.netty.L2tpSocket;
import io.jl2tp.l2tp.tunnel.L2tpEvent;
import io.jl2tp.l2tp.tunnel.Session;
import io.jl2tp.l2tp.tunnel.SessionConfig;
import io.jl2tp.l2tp.tunnel.Tunnel;
import io.jl2tp.l2tp.tunnel.TunnelConfig;
import io.jl2tp.app.config.PppdOptions;
import io.jl2tp.ppp.PppEvent;
import io.jl2tp.ppp.PppLink;
import io.jl2tp.ppp.auth.SecretProvider;
import io.netty.buffer.PooledByteBufAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * One LAC session, end to end: L2TP tunnel and call to the LNS, PPP over it with the pppd
 * options, and on IPCP/IPV6CP up the TUN interface's addresses, routes and pppd's hook scripts
 * — what xl2tpd + pppd do together for one {@code [lac]} section.
 *
 * <p>Create and {@link #start} it on a thread in the network namespace where the interface must
 * appear (normally the process's own); protocol work then runs on the L2TP socket's event loop.
 */
public final class Dialer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Dialer.class);

    /**
     * What to dial and how.
     *
     * @param localPort our UDP port; 0 (the default) for an ephemeral one, so that two LACs
     *                  behind one NAT never share a mapping
     */
    public record Config(String name, InetSocketAddress lns, TunnelConfig tunnel, SessionConfig session,
                         PppdOptions ppp, SecretProvider secrets, String hostName, HookRunner hooks, int localPort) {

        /** With an ephemeral local port. */
        public Config(String name, InetSocketAddress lns, TunnelConfig tunnel, SessionConfig session, PppdOptions ppp,
                      SecretProvider secrets, String hostName, HookRunner hooks) {
            this(name, lns, tunnel, session, ppp, secrets, hostName, hooks, 0);
        }
    }

    /** The state the dialer reports (also the FIFO's {@code s} answer). */
    public record Status(String phase, int tunnelId, int peerTunnelId, int sessionId, int peerSessionId,
                         Inet4Address local, Inet4Address remote, List<Inet4Address> dns, Inet6Address localLl,
                         Inet6Address remoteLl, long since, long rxPackets, long txPackets, long rxBytes, long txBytes) {
    }

    private final Config config;
    private final Consumer<PppEvent> listener;
    private L2tpSocket socket;
    private KernelLink kernel;
    private Tunnel tunnel;
    private Session session;
    private PppLink link;
    private final CompletableFuture<PppEvent.IpUp> ipUp = new CompletableFuture<>();
    private final CompletableFuture<PppEvent.Ipv6Up> ipv6Up = new CompletableFuture<>();
    private final CompletableFuture<String> down = new CompletableFuture<>();
    private volatile PppEvent.IpUp lastIp;
    private volatile PppEvent.Ipv6Up lastIpv6;
    private volatile String phase = "idle";
    private volatile long since = System.currentTimeMillis();
    private long connectedAt;
    private volatile boolean routesEnabled = true;

    public Dialer(Config config, Consumer<PppEvent> listener) {
        this.config = config;
        this.listener = listener;
    }

    /** Creates the interface, binds an ephemeral UDP port, and starts dialling. */
    public void start() throws Exception {
        String ifname = config.ppp().app().ifname().orElse("l2tp0");
        kernel = KernelLink.create(ifname);
        if (!routesEnabled) {
            kernel.routesEnabled(false);
        }
        try {
            socket = L2tpSocket.bind(L2tpSocket.wildcardFor(config.lns().getAddress(), config.localPort()));
        } catch (Exception e) {
            kernel.close();
            throw e;
        }
        setPhase("dialing");
        socket.call(() -> {
            tunnel = socket.endpoint().connect(config.lns(), config.tunnel(), this::l2tpEvent);
            session = tunnel.openSession(config.session(), f -> link.input(f));
            link = new PppLink(config.ppp().ppp(), new PppLink.Settings(config.hostName(), config.secrets(), config.secrets(),
                    null, "ppp "), socket.loop(), session::send, this::pppEvent, PooledByteBufAllocator.DEFAULT,
                    new SecureRandom());
            Consumer<io.netty.buffer.ByteBuf> w = kernel.writer();
            link.ipSink((proto, buf) -> w.accept(buf));
            return null;
        }).get();
    }

    private void l2tpEvent(L2tpEvent e) {
        if (e instanceof L2tpEvent.TunnelUp) {
            setPhase("tunnel up");
        } else if (e instanceof L2tpEvent.SessionUp) {
            setPhase("ppp");
            link.start();
        } else if (e instanceof L2tpEvent.SessionDown d) {
            if (link != null) {
                link.lowerDown(d.reason());
            }
            finish("call closed: " + d.reason());
        } else if (e instanceof L2tpEvent.TunnelDown d) {
            finish("tunnel closed: " + d.reason());
        }
    }

    private void pppEvent(PppEvent e) {
        try {
            if (e instanceof PppEvent.IpUp up) {
                onIpUp(up);
            } else if (e instanceof PppEvent.Ipv6Up up) {
                onIpv6Up(up);
            } else if (e instanceof PppEvent.Down d) {
                runDownHooks();
                if (tunnel != null) {
                    tunnel.close("PPP down: " + d.message());
                }
                finish("PPP down: " + d.message());
            }
        } catch (Exception ex) {
            log.error("configuring {} failed: {}", kernel.ifname(), ex.getMessage());
            link.close("interface configuration failed");
        } finally {
            listener.accept(e);
        }
    }

    private void onIpUp(PppEvent.IpUp up) throws Exception {
        PppEvent.IpUp before = lastIp;
        if (before != null && before.local().equals(up.local()) && before.remote().equals(up.remote())) {
            // IPCP renegotiated (RFC 1661 §4.3: a Configure-Request in Opened — a retransmission
            // that a lossy path delivered late) to the same addresses: the interface stays as it is.
            log.info("{}: IPCP renegotiated, addresses unchanged", kernel.ifname());
            return;
        }
        int mtu = config.ppp().ppp().lcp().mtu().orElse(Math.min(1500, link.peerMru()));
        kernel.ipv4Up(up.local(), up.remote(), mtu);
        if (config.ppp().app().defaultRoute()) {
            kernel.addRoute(kernel.defaultRoute(false, config.ppp().app().defaultRouteMetric().orElse(0)));
        }
        kernel.startReading(link, PooledByteBufAllocator.DEFAULT, mtu);
        lastIp = up;
        connectedAt = System.nanoTime();
        setPhase("up");
        if (config.ppp().ppp().ipcp().usePeerDns() && config.hooks() != null && !up.dns().isEmpty()) {
            writeResolvConf(config.hooks().pppDir().resolve("resolv.conf"), up.dns());
        }
        if (config.hooks() != null) {
            config.hooks().run("ip-up", env(up.local().getHostAddress(), up.remote().getHostAddress(), false, Map.of()));
        }
        ipUp.complete(up);
    }

    /**
     * usepeerdns: the DNS servers the LNS gave us, written where pppd writes them (its
     * _PATH_RESOLV, /etc/ppp/resolv.conf) for the ip-up script or resolvconf to pick up;
     * replaced atomically so a reader never sees half a file.
     */
    private void writeResolvConf(Path file, List<? extends InetAddress> dns) {
        StringBuilder text = new StringBuilder();
        for (InetAddress a : dns) {
            text.append("nameserver ").append(a.getHostAddress()).append('\n');
        }
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, text);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
            log.info("{}: DNS servers written to {}", kernel.ifname(), file);
        } catch (IOException e) {
            log.warn("{}: cannot write {}: {}", kernel.ifname(), file, e.getMessage());
        }
    }

    private void onIpv6Up(PppEvent.Ipv6Up up) throws Exception {
        kernel.ipv6Up(up.localLinkLocal(), up.remoteLinkLocal());
        if (config.ppp().app().defaultRoute()) {
            kernel.addRoute(kernel.defaultRoute(true, config.ppp().app().defaultRouteMetric().orElse(0)));
        }
        lastIpv6 = up;
        if (config.hooks() != null) {
            config.hooks().run("ipv6-up", env(PppLink.compact(up.localLinkLocal()), PppLink.compact(up.remoteLinkLocal()), true, Map.of()));
        }
        ipv6Up.complete(up);
    }

    private HookRunner.HookEnv env(String local, String remote, boolean v6, Map<String, String> more) {
        Map<String, String> extra = new HashMap<>(more);
        extra.put("PEERNAME", config.name());
        extra.put("LINKNAME", config.name());
        if (config.ppp().ppp().ipcp().usePeerDns()) {
            extra.put("USEPEERDNS", "1");
        }
        PppEvent.IpUp ip = lastIp;
        if (ip != null && !ip.dns().isEmpty()) {
            extra.put("DNS1", ip.dns().get(0).getHostAddress());
            if (ip.dns().size() > 1) {
                extra.put("DNS2", ip.dns().get(1).getHostAddress());
            }
        }
        return new HookRunner.HookEnv(kernel.ifname(), "", 0, local, remote, config.ppp().app().ipparam().orElse(""), v6, extra);
    }

    private void runDownHooks() {
        if (config.hooks() == null) {
            return;
        }
        Map<String, String> stats = new HashMap<>();
        if (connectedAt != 0) {
            stats.put("CONNECT_TIME", Long.toString(Duration.ofNanos(System.nanoTime() - connectedAt).toSeconds()));
        }
        if (session != null) {
            stats.put("BYTES_SENT", Long.toString(session.txBytes()));
            stats.put("BYTES_RCVD", Long.toString(session.rxBytes()));
        }
        PppEvent.Ipv6Up v6 = lastIpv6;
        if (v6 != null) {
            config.hooks().run("ipv6-down", env(PppLink.compact(v6.localLinkLocal()), PppLink.compact(v6.remoteLinkLocal()), true, stats));
        }
        PppEvent.IpUp ip = lastIp;
        if (ip != null) {
            config.hooks().run("ip-down", env(ip.local().getHostAddress(), ip.remote().getHostAddress(), false, stats));
        }
    }

    private void finish(String why) {
        if (down.isDone()) {
            return;
        }
        setPhase("down");
        log.info("{}: session ended: {}", config.name(), why);
        if (kernel != null) {
            kernel.close();
        }
        ipUp.completeExceptionally(new IllegalStateException(why));
        ipv6Up.completeExceptionally(new IllegalStateException(why));
        down.complete(why);
    }

    private void setPhase(String p) {
        phase = p;
        since = System.currentTimeMillis();
    }

    /**
     * Withdraws the session's routes ({@code false}) or installs them again ({@code true})
     * without touching the session; routes added later follow the setting.
     */
    public void routesEnabled(boolean enabled) {
        routesEnabled = enabled;
        KernelLink k = kernel;
        if (k != null) {
            try {
                k.routesEnabled(enabled);
            } catch (IOException e) {
                log.warn("{}: routes: {}", k.ifname(), e.getMessage());
            }
        }
    }

    /** Completes when IPCP is up and the interface is configured. */
    public CompletableFuture<PppEvent.IpUp> ipUp() {
        return ipUp;
    }

    /** Completes when IPV6CP is up. */
    public CompletableFuture<PppEvent.Ipv6Up> ipv6Up() {
        return ipv6Up;
    }

    /** Completes with the reason when the session is over. */
    public CompletableFuture<String> down() {
        return down;
    }

    /** The interface name. */
    public String ifname() {
        return kernel == null ? config.ppp().app().ifname().orElse("l2tp0") : kernel.ifname();
    }

    /** A snapshot of the session's state and counters. */
    public Status status() {
        PppEvent.IpUp ip = lastIp;
        PppEvent.Ipv6Up v6 = lastIpv6;
        Tunnel t = tunnel;
        Session s = session;
        return new Status(phase, t == null ? 0 : t.localId(), t == null ? 0 : t.peerId(), s == null ? 0 : s.localId(),
                s == null ? 0 : s.peerId(), ip == null ? null : ip.local(), ip == null ? null : ip.remote(),
                ip == null ? List.of() : ip.dns(), v6 == null ? null : v6.localLinkLocal(),
                v6 == null ? null : v6.remoteLinkLocal(), since, s == null ? 0 : s.rxPackets(), s == null ? 0 : s.txPackets(),
                s == null ? 0 : s.rxBytes(), s == null ? 0 : s.txBytes());
    }

    /**
     * Clean hang-up: LCP Terminate, then CDN and StopCCN, hooks, interface removed; waits up to
     * {@code graceMillis} for the peer's acknowledgements.
     */
    public void hangUp(String reason, long graceMillis) {
        if (socket == null) {
            return;
        }
        try {
            socket.call(() -> {
                if (link != null && link.phase() != PppEvent.Phase.DEAD) {
                    link.close(reason);
                }
                return null;
            }).get();
            long deadline = System.nanoTime() + graceMillis * 500_000L; // half the grace for LCP
            while (System.nanoTime() < deadline && link.phase() != PppEvent.Phase.DEAD) {
                Thread.sleep(10);
            }
            socket.call(() -> {
                if (tunnel != null) {
                    tunnel.close(reason);
                }
                return null;
            }).get();
        } catch (Exception e) {
            log.debug("hang-up: {}", e.toString());
        }
        finish(reason);
        socket.close(reason, graceMillis / 2);
    }

    @Override
    public void close() {
        hangUp("shutting down", 2000);
    }
}
