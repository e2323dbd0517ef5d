package io.jl2tp.app.dial;

import io.jl2tp.app.link.CallLink;
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
import io.jl2tp.tun.MssClamp;
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
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One LAC session, end to end: L2TP tunnel and call to the LNS, PPP over it with the pppd
 * options, and on IPCP/IPV6CP up the TUN interface's addresses, routes and pppd's hook scripts
 * — what xl2tpd + pppd do together for one {@code [lac]} section.
 *
 * <p>Create and {@link #start} it on a thread in the network namespace where the interface must
 * appear (normally the process's own). Threads: protocol work and the PPP events run on the L2TP
 * socket's event loop; the data path is {@link CallLink}'s (TUN reader thread); kernel calls go
 * through KernelLink's thread; the end of the session (hooks, interface, socket) is released on a
 * short-lived thread of its own. The dialer owns its socket, event loop, interface and threads,
 * and releases all of them when the session ends, however it ends ({@link #down()}).
 */
public final class Dialer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Dialer.class);

    /**
     * What to dial and how.
     *
     * @param local where our UDP socket binds (xl2tpd's listen-addr and port); null, or a
     *              wildcard address with port 0 (the default), for an ephemeral port on the
     *              wildcard of the LNS's family, so that two LACs behind one NAT never share a mapping
     */
    public record Config(String name, InetSocketAddress lns, TunnelConfig tunnel, SessionConfig session,
                         PppdOptions ppp, SecretProvider secrets, String hostName, HookRunner hooks, InetSocketAddress local) {

        /** With an ephemeral local port. */
        public Config(String name, InetSocketAddress lns, TunnelConfig tunnel, SessionConfig session, PppdOptions ppp,
                      SecretProvider secrets, String hostName, HookRunner hooks) {
            this(name, lns, tunnel, session, ppp, secrets, hostName, hooks, null);
        }
    }

    /** The state the dialer reports (also the FIFO's {@code s} answer). */
    public record Status(String phase, int tunnelId, int peerTunnelId, int sessionId, int peerSessionId,
                         Inet4Address local, Inet4Address remote, List<Inet4Address> dns, Inet6Address localLl,
                         Inet6Address remoteLl, long since, long rxPackets, long txPackets, long rxBytes, long txBytes) {
    }

    /** How long teardown waits for the LNS to acknowledge StopCCN before the socket closes. */
    private static final long CLOSE_GRACE_MILLIS = 1000;

    private final Config config;
    private final Consumer<PppEvent> listener;
    private L2tpSocket socket;
    private KernelLink kernel;
    private Tunnel tunnel;
    private CallLink call;
    private final CompletableFuture<PppEvent.IpUp> ipUp = new CompletableFuture<>();
    private final CompletableFuture<PppEvent.Ipv6Up> ipv6Up = new CompletableFuture<>();
    private final CompletableFuture<String> down = new CompletableFuture<>();
    private final AtomicBoolean ending = new AtomicBoolean();
    private volatile PppEvent.IpUp lastIp;
    private volatile PppEvent.Ipv6Up lastIpv6;
    private volatile String peerName;  // the name the LNS authenticated with, when we authenticated it
    private volatile String phase = "idle";
    private volatile long since = System.currentTimeMillis();
    private volatile long connectedAt;
    private volatile boolean routesEnabled = true;
    private volatile long closeGraceMillis = CLOSE_GRACE_MILLIS;

    public Dialer(Config config, Consumer<PppEvent> listener) {
        this.config = config;
        this.listener = listener;
    }

    /**
     * Creates the interface, binds an ephemeral UDP port, and starts dialling. On failure
     * everything created so far is released before the exception propagates.
     */
    public void start() throws Exception {
        String ifname = config.ppp().app().ifname().orElse("l2tp0");
        kernel = KernelLink.create(ifname);
        try {
            if (!routesEnabled) {
                kernel.routesEnabled(false);
            }
            setPhase("dialing");
            StandbyTunnel.Handover warm = standby == null ? null : standby.take(this::l2tpEvent);
            if (warm != null && placeInStandbyTunnel(warm)) {
                return;
            }
            socket = L2tpSocket.bind(bindAddress(config));
            socket.call(() -> {
                connectNanos = System.nanoTime();
                tunnel = socket.endpoint().connect(config.lns(), config.tunnel(), this::l2tpEvent);
                call = newCall(tunnel);
                return null;
            }).get();
        } catch (Exception e) {
            end("cannot dial: " + e.getMessage());
            down.join();
            throw e;
        }
    }

    /**
     * Warm standby (issue 14): the call goes straight into the established tunnel — ICRQ now, no
     * SCCRQ. False (the standby's socket released) if the tunnel went away meanwhile.
     */
    private boolean placeInStandbyTunnel(StandbyTunnel.Handover warm) throws Exception {
        socket = warm.socket();
        boolean placed = socket.call(() -> {
            if (warm.tunnel().state() != Tunnel.State.ESTABLISHED) {
                return false;
            }
            tunnel = warm.tunnel();
            connectNanos = System.nanoTime();
            log.info("{}: placing the call in the standby tunnel {} (LNS's id {}): no SCCRQ", config.name(), tunnel.localId(),
                    tunnel.peerId());
            setPhase("tunnel up");
            call = newCall(tunnel);
            return true;
        }).get();
        if (!placed) {
            log.info("{}: the standby tunnel went down just now; dialling the whole way", config.name());
            L2tpSocket s = socket;
            socket = null;
            s.close("standby tunnel gone", 0);
        }
        return placed;
    }

    private CallLink newCall(Tunnel t) {
        CallLink c = new CallLink(t.openSession(config.session(), null), config.ppp().ppp(),
                new PppLink.Settings(config.hostName(), config.secrets(), config.secrets(), null, "ppp "),
                socket.loop(), this::pppEvent, PooledByteBufAllocator.DEFAULT, new SecureRandom());
        if (config.session().proxy()) {
            // RFC 2661 §4.4.5: our ICCN carries our LCP and CHAP response; PPP starts in the
            // Network phase (docs/benchmarks.md, "Round trips: what the RFCs allow").
            io.jl2tp.app.link.ProxyStart.offer(c, true);
        }
        return c;
    }

    /**
     * Where a LAC's socket binds: {@code config.local()} if it names an address, else the
     * wildcard of the LNS's family with its port (0: ephemeral).
     */
    public static InetSocketAddress bindAddress(Config config) {
        InetSocketAddress local = config.local();
        return local != null && !local.getAddress().isAnyLocalAddress() ? local
                : L2tpSocket.wildcardFor(config.lns().getAddress(), local == null ? 0 : local.getPort());
    }

    /**
     * Takes the call into {@code s}'s established tunnel when {@link #start} runs, if it has one
     * then ({@code standby = warm}); call before {@link #start}.
     */
    public void standby(StandbyTunnel s) {
        this.standby = s;
    }

    private volatile StandbyTunnel standby;

    private void l2tpEvent(L2tpEvent e) {
        if (e instanceof L2tpEvent.TunnelUp up) {
            setPhase("tunnel up");
            socket.connect(up.tunnel().peer()); // this socket serves this one tunnel
        } else if (e instanceof L2tpEvent.SessionUp) {
            setPhase("ppp");
            call.start();
        } else if (e instanceof L2tpEvent.SessionDown d) {
            if (call != null) {
                call.lowerDown(d.reason());
            }
            end("call closed: " + d.reason());
        } else if (e instanceof L2tpEvent.TunnelDown d) {
            end("tunnel closed: " + d.reason());
        }
    }

    private void pppEvent(PppEvent e) {
        try {
            if (e instanceof PppEvent.Authenticated a && a.weAuthenticatedPeer()) {
                peerName = a.peerName();
            } else if (e instanceof PppEvent.IpUp up) {
                if (ipcpUpNanos == 0) {
                    ipcpUpNanos = System.nanoTime();
                }
                configure(() -> onIpUp(up));
            } else if (e instanceof PppEvent.Ipv6Up up) {
                configure(() -> onIpv6Up(up));
            } else if (e instanceof PppEvent.Down d) {
                if (tunnel != null) {
                    tunnel.close("PPP down: " + d.message());
                }
                end("PPP down: " + d.message());
            }
        } finally {
            listener.accept(e);
        }
    }

    /**
     * Interface work for an NCP that came up (addresses, MTU, routes, hooks) runs on the kernel
     * thread, in order, while the event loop goes on with the next PPP packet: netlink and the
     * TUN never delay the other NCP's negotiation (issue 14: an IPV6CP up used to hold IPCP's
     * Configure-Ack behind its netlink calls).
     */
    private void configure(KernelLink.Step step) {
        kernel.later(step).whenComplete((ok, ex) -> {
            if (ex != null && !ending.get()) {
                Throwable c = ex instanceof java.util.concurrent.CompletionException && ex.getCause() != null ? ex.getCause() : ex;
                log.error("configuring {} failed: {}", kernel.ifname(), c.getMessage());
                socket.loop().execute(() -> call.ppp().close("interface configuration failed"));
            }
        });
    }

    /** The TUN joins the call when the first NCP is up, TCP MSS clamped both ways unless turned off; hops to the event loop. */
    private void attachTun(int mtu) {
        socket.loop().execute(() -> {
            if (!tunAttached) {
                tunAttached = true;
                if (kernel.mssClamp()) {
                    CallLink.PacketFilter clamp = (protocol, ip) -> MssClamp.clamp(ip, ip.readerIndex(), ip.readableBytes(), mtu);
                    call.filters(clamp, clamp);
                }
                call.attach(kernel.tun(), mtu);
            }
        });
    }

    /** pppd's {@code mtu} if set, else the path MTU to the LNS minus the encapsulation, at most the peer's MRU. */
    private int tunnelMtu() {
        OptionalInt configured = config.ppp().ppp().lcp().mtu();
        return configured.isPresent() ? configured.getAsInt() : kernel.defaultMtu(config.lns().getAddress(), call.ppp().peerMru());
    }

    private boolean tunAttached; // event loop
    private volatile long connectNanos;  // when the SCCRQ went out (event loop)
    private volatile long ipcpUpNanos;   // when IPCP first reached Opened (event loop)

    /** Kernel thread. */
    private void onIpUp(PppEvent.IpUp up) throws Exception {
        PppEvent.IpUp before = lastIp;
        if (before != null && before.local().equals(up.local()) && before.remote().equals(up.remote())) {
            // IPCP renegotiated (RFC 1661 §4.3: a Configure-Request in Opened — a retransmission
            // that a lossy path delivered late) to the same addresses: the interface stays as it is.
            log.info("{}: IPCP renegotiated, addresses unchanged", kernel.ifname());
            return;
        }
        int mtu = tunnelMtu();
        kernel.ipv4Up(up.local(), up.remote(), mtu);
        if (config.ppp().app().defaultRoute()) {
            kernel.addDefaultRoute(false, config.ppp().app().defaultRouteMetric(), config.ppp().app().replaceDefaultRoute());
        }
        attachTun(mtu);
        lastIp = up;
        if (connectedAt == 0) {
            connectedAt = System.nanoTime();
        }
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

    /** Kernel thread. */
    private void onIpv6Up(PppEvent.Ipv6Up up) throws Exception {
        kernel.ipv6Up(up.localLinkLocal(), up.remoteLinkLocal());
        attachTun(tunnelMtu());
        if (config.ppp().app().defaultRoute()) {
            kernel.addDefaultRoute(true, config.ppp().app().defaultRouteMetric(), config.ppp().app().replaceDefaultRoute());
        }
        lastIpv6 = up;
        if (connectedAt == 0) {
            connectedAt = System.nanoTime();
        }
        if (config.hooks() != null) {
            config.hooks().run("ipv6-up", env(PppLink.compact(up.localLinkLocal()), PppLink.compact(up.remoteLinkLocal()), true, Map.of()));
        }
        ipv6Up.complete(up);
    }

    private HookRunner.HookEnv env(String local, String remote, boolean v6, Map<String, String> more) {
        Map<String, String> extra = new HashMap<>(more);
        String peer = peerName;
        if (peer != null) {
            extra.put("PEERNAME", peer); // pppd: the name the peer authenticated itself with (auth.c)
        }
        extra.put("LINKNAME", config.ppp().app().linkname().orElse(config.name())); // pppd: linkname, else ours
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

    /**
     * Ends the session once, from any thread: the first reason wins. The event loop only flags
     * it; releasing (hooks, interface, threads, socket) runs on a thread of its own, so that
     * neither a script nor the kernel ever blocks the L2TP event loop.
     */
    private void end(String why) {
        if (!ending.compareAndSet(false, true)) {
            return;
        }
        setPhase("down");
        log.info("{}: session ended: {}", config.name(), why);
        CallLink c = call;
        if (c != null) {
            c.detach();
        }
        ipUp.completeExceptionally(new IllegalStateException(why));
        ipv6Up.completeExceptionally(new IllegalStateException(why));
        Thread t = new Thread(() -> release(why), "hangup-" + config.name());
        t.setDaemon(true);
        t.start();
    }

    /**
     * What pppd does when the link ends, then what the session owned: routes withdrawn and the
     * interface set down; ipv6-down and ip-down run while it still exists (pppd runs them after
     * sifdown, before the unit is closed); then the TUN (the interface goes) and its reader
     * thread, the kernel thread, the L2TP socket and its event loop. {@link #down()} completes
     * when all of it is released.
     */
    private void release(String why) {
        try {
            if (kernel != null) {
                try {
                    kernel.linkDown();
                } catch (IOException e) {
                    log.debug("{}: link down: {}", kernel.ifname(), e.getMessage());
                }
                runDownHooks();
            }
            if (call != null) {
                call.close();
            }
            if (kernel != null) {
                kernel.close();
            }
            if (socket != null) {
                socket.close(why, closeGraceMillis);
            }
        } catch (RuntimeException e) {
            log.warn("{}: releasing the session: {}", config.name(), e.toString());
        } finally {
            down.complete(why);
        }
    }

    /** ipv6-down then ip-down, for the NCPs that came up, each awaited (the runner bounds them). */
    private void runDownHooks() {
        if (config.hooks() == null) {
            return;
        }
        Map<String, String> stats = new HashMap<>();
        long at = connectedAt;
        if (at != 0) {
            stats.put("CONNECT_TIME", Long.toString(Duration.ofNanos(System.nanoTime() - at).toSeconds()));
        }
        CallLink c = call;
        if (c != null) {
            stats.put("BYTES_SENT", Long.toString(c.session().txBytes()));
            stats.put("BYTES_RCVD", Long.toString(c.session().rxBytes()));
        }
        PppEvent.Ipv6Up v6 = lastIpv6;
        if (v6 != null) {
            config.hooks().run("ipv6-down", env(PppLink.compact(v6.localLinkLocal()), PppLink.compact(v6.remoteLinkLocal()), true, stats)).join();
        }
        PppEvent.IpUp ip = lastIp;
        if (ip != null) {
            config.hooks().run("ip-down", env(ip.local().getHostAddress(), ip.remote().getHostAddress(), false, stats)).join();
        }
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

    /** Runs {@code body} on the session's event loop (tests: the loop stays free while the session is released). */
    <T> CompletableFuture<T> onLoop(java.util.concurrent.Callable<T> body) {
        return socket.call(body);
    }

    /**
     * Nanoseconds from the SCCRQ (the ICRQ when the call went into a standby tunnel) to IPCP
     * reaching Opened (before the interface is configured), or -1 while IPCP has not come up.
     */
    public long sccrqToIpcpUpNanos() {
        long up = ipcpUpNanos;
        return up == 0 ? -1 : up - connectNanos;
    }

    /** {@link System#nanoTime()} when the SCCRQ (or, into a standby tunnel, the ICRQ) went out; 0 before. */
    public long connectNanos() {
        return connectNanos;
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
        CallLink c = call;
        Session s = c == null ? null : c.session();
        return new Status(phase, t == null ? 0 : t.localId(), t == null ? 0 : t.peerId(), s == null ? 0 : s.localId(),
                s == null ? 0 : s.peerId(), ip == null ? null : ip.local(), ip == null ? null : ip.remote(),
                ip == null ? List.of() : ip.dns(), v6 == null ? null : v6.localLinkLocal(),
                v6 == null ? null : v6.remoteLinkLocal(), since, s == null ? 0 : s.rxPackets(), s == null ? 0 : s.txPackets(),
                s == null ? 0 : s.rxBytes(), s == null ? 0 : s.txBytes());
    }

    /**
     * Clean hang-up: LCP Terminate (waiting up to half of {@code graceMillis} for PPP to reach
     * Dead), then CDN and StopCCN (up to the rest for the LNS's acknowledgement), hooks, interface
     * removed; returns when everything the session owned is released. Not on the event loop.
     */
    public void hangUp(String reason, long graceMillis) {
        if (socket == null && !ending.get()) {
            return; // never started
        }
        if (ending.get()) {
            down.join(); // already ending: wait until it is released
            return;
        }
        closeGraceMillis = Math.max(0, graceMillis / 2);
        CallLink c = call;
        try {
            if (c != null && !ending.get()) {
                boolean started = socket.call(() -> {
                    if (c.started() && !c.dead().isDone()) {
                        c.ppp().close(reason);
                        return true;
                    }
                    return false;
                }).get(graceMillis, TimeUnit.MILLISECONDS);
                if (started) {
                    c.dead().get(graceMillis / 2, TimeUnit.MILLISECONDS); // RFC 1661 §3.7: Terminate-Ack or Max-Terminate
                }
            }
            if (!ending.get()) {
                socket.call(() -> {
                    if (tunnel != null) {
                        tunnel.close(reason);
                    }
                    return null;
                }).get(graceMillis, TimeUnit.MILLISECONDS);
            }
        } catch (TimeoutException e) {
            log.debug("hang-up: no answer within {} ms", graceMillis);
        } catch (ExecutionException e) {
            log.debug("hang-up: {}", e.getCause().toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        end(reason);
        down.join();
    }

    @Override
    public void close() {
        hangUp("shutting down", 2000);
    }
}
