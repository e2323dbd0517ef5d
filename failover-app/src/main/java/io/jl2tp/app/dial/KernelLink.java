package io.jl2tp.app.dial;

import io.jl2tp.l2tp.tunnel.Session;
import io.jl2tp.ppp.PppLink;
import io.jl2tp.tun.MssClamp;
import io.jl2tp.tun.TunDevice;
import io.jl2tp.tun.linux.LinuxTunDevice;
import io.jl2tp.tun.netlink.NetlinkException;
import io.jl2tp.tun.netlink.Route;
import io.jl2tp.tun.netlink.RtNetlink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The kernel side of one PPP link: a TUN interface carrying its IP packets, and its addresses and
 * routes (rtnetlink). The data paths through the TUN are {@code io.jl2tp.app.link.CallLink}'s.
 *
 * TCP MSS clamping ({@link MssClamp}) to the interface's MTU is on unless the system property
 * {@value #MSS_CLAMP_PROPERTY} is {@code false} (or {@link #mssClamp(boolean)} turns it off).
 *
 * The interface is created when the object is; everything that touches the kernel runs on a
 * thread created at the same time, so it lives in the caller's network namespace (new threads
 * inherit their creator's namespace) even when the protocol event loop does not.
 */
public final class KernelLink implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KernelLink.class);
    /**
     * System property that turns the TUN offloads off ({@code -Djl2tp.tun.offload=false}): no
     * IFF_VNET_HDR, one packet per read and write (see {@link io.jl2tp.tun.offload.Gso}).
     */
    public static final String OFFLOAD_PROPERTY = "jl2tp.tun.offload";

    /** System property that turns TCP MSS clamping off ({@code -Djl2tp.mssClamp=false}). */
    public static final String MSS_CLAMP_PROPERTY = "jl2tp.mssClamp";

    private final ExecutorService kernel;
    private final Thread kernelThread;
    private final LinuxTunDevice tun;
    private final RtNetlink netlink;
    private final int ifindex;
    private final String ifname;
    private final List<Route> wantedRoutes = new ArrayList<>();    // ours, while routes are enabled
    private final List<Route> installedRoutes = new ArrayList<>(); // ours, in the kernel now
    private final List<Displaced> displacedRoutes = new ArrayList<>(); // others', put back when ours go
    private boolean routesEnabled = true;                            // (kernel thread only)
    private volatile boolean mssClamp = !"false".equalsIgnoreCase(System.getProperty(MSS_CLAMP_PROPERTY, "true"));
    private volatile boolean closed;

    private KernelLink(ExecutorService kernel, Thread kernelThread, LinuxTunDevice tun, RtNetlink netlink, int ifindex) {
        this.kernel = kernel;
        this.kernelThread = kernelThread;
        this.tun = tun;
        this.netlink = netlink;
        this.ifindex = ifindex;
        this.ifname = tun.name();
    }

    /** Creates TUN {@code ifname} in the calling thread's network namespace. */
    public static KernelLink create(String ifname) throws IOException {
        ExecutorService kernel = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "kernel-" + ifname);
            t.setDaemon(true);
            return t;
        });
        try {
            return kernel.submit(() -> {
                LinuxTunDevice tun = LinuxTunDevice.open(ifname, false,
                        !"false".equalsIgnoreCase(System.getProperty(OFFLOAD_PROPERTY, "true")));
                try {
                    RtNetlink.disableIpv6AddrGen(tun.name());
                } catch (IOException e) {
                    log.debug("{}: {} (IPv6 disabled?)", tun.name(), e.getMessage());
                }
                RtNetlink nl = RtNetlink.open();
                return new KernelLink(kernel, Thread.currentThread(), tun, nl, nl.linkIndex(tun.name()));
            }).get();
        } catch (Exception e) {
            kernel.shutdownNow();
            Throwable c = e instanceof java.util.concurrent.ExecutionException ? e.getCause() : e;
            throw c instanceof IOException io ? io : new IOException(c.getMessage(), c);
        }
    }

    /** The interface name. */
    public String ifname() {
        return ifname;
    }

    private <T> T onKernel(Callable<T> body) throws IOException {
        if (Thread.currentThread() == kernelThread) {
            try {
                return body.call(); // a step queued with later(): already on the kernel thread
            } catch (IOException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException(e.getMessage(), e);
            }
        }
        try {
            return kernel.submit(body).get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }

    /** A step of kernel work that may fail. */
    @FunctionalInterface
    public interface Step {
        void run() throws Exception;
    }

    /**
     * Queues {@code step} on the kernel thread and returns at once: the protocol event loop hands
     * the interface's configuration (addresses, routes, hooks) over without waiting for the
     * kernel, so the next PPP packet is not held up behind netlink (issue 14). Steps run in the
     * order queued; this link's other methods may be called from inside a step.
     */
    public CompletableFuture<Void> later(Step step) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            kernel.execute(() -> {
                try {
                    step.run();
                    done.complete(null);
                } catch (Throwable t) {
                    done.completeExceptionally(t);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            done.completeExceptionally(new IOException("interface " + ifname + " already released"));
        }
        return done;
    }

    /** Turns TCP MSS clamping on the interface on or off (on by default). */
    public void mssClamp(boolean on) {
        mssClamp = on;
    }

    /** Whether TCP MSS clamping is on for this interface. */
    public boolean mssClamp() {
        return mssClamp;
    }

    /** L2TP data header (at most, {@link Session#HEADROOM}) + PPP + UDP + IP octets around each packet. */
    static int encapsulationOverhead(boolean ipv6Transport) {
        return Session.HEADROOM + PppLink.HEADROOM + 8 + (ipv6Transport ? 40 : 20);
    }

    /**
     * The interface MTU to use when pppd's {@code mtu} does not set one: the MTU of the route to
     * the LNS minus the encapsulation (so a full-size packet through the tunnel still fits the
     * path in one piece — 1456 for a 1500-octet IPv4 path), at most the peer's MRU. Logged.
     * Falls back to min(1500, peer MRU) if the route cannot be read.
     */
    public int defaultMtu(InetAddress lns, int peerMru) {
        try {
            return onKernel(() -> {
                RtNetlink.PathMtu path = netlink.pathMtu(lns);
                int overhead = encapsulationOverhead(lns instanceof Inet6Address);
                int mtu = Math.max(128, Math.min(peerMru, path.mtu() - overhead));
                String to = lns instanceof Inet6Address a6 ? PppLink.compact(a6) : lns.getHostAddress();
                log.info("{}: MTU {}: the route to the LNS {} has MTU {} ({} {}), minus {} octets of L2TP, PPP, UDP and {}{}",
                        ifname, mtu, to, path.mtu(), path.fromRoute() ? "route metric via" : "interface",
                        netlink.nameOf(path.ifindex()), overhead, lns instanceof Inet6Address ? "IPv6" : "IPv4",
                        mtu == peerMru && peerMru < path.mtu() - overhead ? " (the LNS's MRU is lower)" : "");
                return mtu;
            });
        } catch (IOException e) {
            int mtu = Math.min(1500, peerMru);
            log.warn("{}: cannot read the route to the LNS {} ({}); MTU {}", ifname, lns.getHostAddress(), e.getMessage(), mtu);
            return mtu;
        }
    }

    /** IPCP up: MTU, the point-to-point /32 (local peer remote, as pppd sets it), link up. */
    public void ipv4Up(Inet4Address local, Inet4Address remote, int mtu) throws IOException {
        onKernel(() -> {
            tun.mtu(mtu);
            if (mssClamp) {
                log.info("{}: TCP MSS clamped to {} (IPv4) / {} (IPv6) both ways; -D{}=false turns it off", ifname,
                        mtu - MssClamp.IPV4_OVERHEAD, mtu - MssClamp.IPV6_OVERHEAD, MSS_CLAMP_PROPERTY);
            }
            netlink.addAddress(ifindex, local, 32, remote);
            netlink.setLinkUp(ifindex, true);
            return null;
        });
    }

    /** IPV6CP up: both link-local addresses, and accept_ra = 2 so the kernel takes the LNS's RA. */
    public void ipv6Up(Inet6Address localLl, Inet6Address remoteLl) throws IOException {
        onKernel(() -> {
            netlink.setLinkUp(ifindex, true);
            RtNetlink.setAcceptRa(ifname, 2);
            netlink.addAddress(ifindex, localLl, 128, remoteLl);
            return null;
        });
    }

    /**
     * Adds a route and remembers it for {@link #close()}. A route of someone else with the same
     * key (table, destination, metric) — say the primary link's default route, still present
     * while a probe says that link is dead — is moved aside, not destroyed: ours replaces it
     * and it is put back when ours goes, so a hang-up never leaves the router without the
     * route it had before.
     */
    public void addRoute(Route r) throws IOException {
        onKernel(() -> {
            wantedRoutes.add(r);
            if (routesEnabled) {
                install(r);
            }
            return null;
        });
    }

    /**
     * pppd's {@code defaultroute}: a default route through this interface, unless the router
     * already has one. With {@code replace} ({@code replacedefaultroute}) an existing default
     * route is replaced instead and put back on hang-up or exit.
     *
     * <p>As in pppd's sys-linux.c: without a {@code defaultroute-metric} (metric empty) any
     * default route of the family counts as existing, with one only a default route of that
     * metric does (others keep their places beside ours). Replacing moves the other route aside
     * as {@link #addRoute} does (kept at the next free metric, back in its slot when ours goes),
     * so traffic follows ours exactly as with pppd's delete-and-restore, and a router whose
     * jl2tp is killed still has a default route.
     *
     * @return false if an existing default route was kept and ours not added (logged as pppd does)
     */
    public boolean addDefaultRoute(boolean ipv6, OptionalInt metric, boolean replace) throws IOException {
        Route ours = defaultRoute(ipv6, metric.orElse(0));
        return onKernel(() -> {
            if (!replace) {
                for (Route x : netlink.routes(ipv6)) {
                    if (x.isDefault() && x.table() == Route.MAIN && x.ifindex() != ifindex
                            && (metric.isEmpty() || x.metric() == metric.getAsInt())) {
                        String where = x.gateway() instanceof Inet6Address g6 ? "via " + PppLink.compact(g6)
                                : x.gateway() != null ? "via " + x.gateway().getHostAddress()
                                : "through " + netlink.nameOf(x.ifindex());
                        log.error("{}: not replacing existing default route {}{} (pppd's replacedefaultroute replaces it)",
                                ifname, where, metric.isEmpty() ? "" : " with metric " + metric.getAsInt());
                        return false;
                    }
                }
            }
            wantedRoutes.add(ours);
            if (routesEnabled) {
                install(ours);
            }
            return true;
        });
    }

    /**
     * Withdraws our routes (putting back any we displaced) or installs them again, keeping the
     * session: the failover service moves traffic back to the primary link the moment it is
     * healthy while the session lingers for {@code hold up}.
     */
    public void routesEnabled(boolean enabled) throws IOException {
        onKernel(() -> {
            if (enabled != routesEnabled) {
                routesEnabled = enabled;
                if (enabled) {
                    for (Route r : wantedRoutes) {
                        install(r);
                    }
                } else {
                    uninstallRoutes();
                }
            }
            return null;
        });
    }

    private void install(Route r) throws IOException {
        try {
            netlink.addRoute(r);
            installedRoutes.add(r);
            return;
        } catch (NetlinkException e) {
            if (!e.exists()) {
                throw e;
            }
        }
        Route other = null;
        for (Route x : netlink.routes(r.ipv6())) {
            if (x.sameKey(r)) {
                other = x;
                break;
            }
        }
        if (other != null && other.ifindex() != ifindex) {
            // Park theirs just behind ours (next free metric) before ours takes its slot: lookups
            // bound to its device — the failover probe's SO_BINDTODEVICE through an Ethernet
            // primary with a gateway — still find it, and there is no instant without a route.
            Route parked = park(other);
            displacedRoutes.add(new Displaced(other, parked));
            log.info("{}: route {} moved aside{} while the tunnel is up; it is put back on hang-up", ifname,
                    other.describe(netlink.nameOf(other.ifindex())), parked == null ? "" : " (to metric " + parked.metric() + ")");
        }
        if (other == null || other.ifindex() != ifindex) {
            netlink.replaceRoute(r);
        }
        installedRoutes.add(r);
    }

    /** Adds a copy of {@code r} at the first free metric above its own, or returns null. */
    private Route park(Route r) {
        long base = Math.max(0, r.metric());
        for (long m = base + 1; m <= base + 16 && m <= Integer.MAX_VALUE; m++) {
            Route p = new Route(r.destination(), r.prefixLength(), r.gateway(), r.ifindex(), (int) m, r.table(), r.scopeLink());
            try {
                netlink.addRoute(p);
                return p;
            } catch (IOException e) {
                if (!(e instanceof NetlinkException n && n.exists())) {
                    log.debug("{}: cannot park {}: {}", ifname, r.describe(null), e.getMessage());
                    return null;
                }
            }
        }
        return null;
    }

    /** Someone else's route that ours replaced, and where it waits meanwhile (null: nowhere). */
    private record Displaced(Route original, Route parked) {
    }

    /** Deletes our routes and puts back the ones we displaced (kernel thread). */
    private void uninstallRoutes() {
        for (Route r : installedRoutes) {
            try {
                netlink.deleteRoute(r);
            } catch (IOException e) {
                log.debug("{}: {}", ifname, e.getMessage()); // replaced by someone since, or gone with the link
            }
        }
        installedRoutes.clear();
        for (Displaced d : displacedRoutes) {
            Route r = d.original();
            try {
                netlink.addRoute(r);
                log.info("{}: route {} put back", ifname, r.describe(netlink.nameOf(r.ifindex())));
            } catch (IOException e) {
                log.debug("{}: {} not put back: {}", ifname, r.describe(null), e.getMessage()); // its link is gone, or it was re-added
            }
            if (d.parked() != null) {
                try {
                    netlink.deleteRoute(d.parked());
                } catch (IOException e) {
                    log.debug("{}: {}", ifname, e.getMessage()); // gone with its link
                }
            }
        }
        displacedRoutes.clear();
    }

    /** The device-only default route {@code default dev IF scope link metric M}. */
    public Route defaultRoute(boolean ipv6, int metric) {
        return Route.defaultVia(ifindex, ipv6, metric);
    }

    /** The TUN device; a {@code CallLink} attached to it reads and writes the packets. */
    public TunDevice tun() {
        return tun;
    }

    /**
     * The link is going away, as pppd's {@code sifdown} + {@code cifdefaultroute} before it runs
     * ip-down: our routes are withdrawn (displaced ones put back) and the interface set down, but
     * it still exists for the ip-down/ipv6-down scripts until {@link #close}.
     */
    public void linkDown() throws IOException {
        onKernel(() -> {
            uninstallRoutes();
            wantedRoutes.clear();
            netlink.setLinkUp(ifindex, false);
            return null;
        });
    }

    /** Removes the routes we installed, closes the TUN (the interface disappears). Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            onKernel(() -> {
                uninstallRoutes();
                wantedRoutes.clear();
                return null;
            });
        } catch (IOException e) {
            log.debug("{}: route clean-up: {}", ifname, e.getMessage());
        }
        tun.close();
        netlink.close();
        kernel.shutdownNow();
    }
}
