package io.jl2tp.app.lns;

import io.jl2tp.app.dial.KernelLink;
import io.jl2tp.app.link.CallLink;
import io.jl2tp.l2tp.netty.L2tpSocket;
import io.jl2tp.l2tp.tunnel.FrameReceiver;
import io.jl2tp.l2tp.tunnel.L2tpEvent;
import io.jl2tp.l2tp.tunnel.Session;
import io.jl2tp.l2tp.tunnel.TunnelConfig;
import io.jl2tp.ppp.PppEvent;
import io.jl2tp.app.link.ProxyStart;
import io.jl2tp.ppp.PppLink;
import io.jl2tp.ppp.auth.SecretProvider;
import io.jl2tp.ppp.options.PppSettings;
import io.netty.buffer.PooledByteBufAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * jl2tp's own LNS: l2tp-core's LNS role plus a ppp-core authenticator and a TUN interface per
 * call ({@code lns<session id>}), handing each peer an address from a pool — both only once the
 * peer has authenticated. Each call is a {@link CallLink}; PPP and the calls' bookkeeping run on
 * the socket's event loop, and a finished call's interface is released on one releaser thread. Used by the demo and
 * by the tests that dial "our own LNS"; not a full ISP LNS (no RADIUS, no accounting).
 */
public final class LnsServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LnsServer.class);

    /** LNS settings. */
    public record Config(InetSocketAddress bind, TunnelConfig tunnel, PppSettings ppp, SecretProvider users,
                         Inet4Address local, List<Inet4Address> pool, List<Inet4Address> dns, boolean acceptProxyAuth) {

        /**
         * Proxy authentication (RFC 2661 §4.4.5) accepted only from a LAC that answered our
         * tunnel Challenge (§5.1.1); see docs/ppp-auth.md.
         */
        public Config(InetSocketAddress bind, TunnelConfig tunnel, PppSettings ppp, SecretProvider users,
                      Inet4Address local, List<Inet4Address> pool, List<Inet4Address> dns) {
            this(bind, tunnel, ppp, users, local, pool, dns, false);
        }

        /** With {@code acceptProxyAuth}: trust proxy authentication from any LAC (--accept-proxy-auth). */
        public Config withAcceptProxyAuth(boolean accept) {
            return new Config(bind, tunnel, ppp, users, local, pool, dns, accept);
        }
    }

    private final Config config;
    private final Consumer<PppEvent> events;
    private final Deque<Inet4Address> free;
    private final Map<Integer, Call> calls = new ConcurrentHashMap<>();
    // One releaser thread at most, started when a call ends and gone after 5 s idle: an idle
    // LNS holds no thread for calls that are over.
    private final ThreadPoolExecutor releaser = new ThreadPoolExecutor(0, 1, 5, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), r -> {
                Thread t = new Thread(r, "lns-release");
                t.setDaemon(true);
                return t;
            });
    private L2tpSocket socket;

    /** One step of a call's interface configuration. */
    @FunctionalInterface
    private interface KernelStep {
        void run(KernelLink k) throws IOException;
    }

    // Interface creation and configuration of the calls, off the event loop (issue 14): one
    // thread, started when needed and gone after 5 s idle.
    private final ThreadPoolExecutor setup = new ThreadPoolExecutor(0, 1, 5, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), r -> {
                Thread t = new Thread(r, "lns-setup");
                t.setDaemon(true);
                return t;
            });

    /** Creates a call's TUN interface (KernelLink::create; tests make it fail). */
    @FunctionalInterface
    interface Interfaces {
        KernelLink create(String ifname) throws IOException;
    }

    private final Interfaces interfaces;

    public LnsServer(Config config, Consumer<PppEvent> events) {
        this(config, events, KernelLink::create);
    }

    LnsServer(Config config, Consumer<PppEvent> events, Interfaces interfaces) {
        this.config = config;
        this.events = events;
        this.interfaces = interfaces;
        this.free = new ArrayDeque<>(config.pool());
    }

    /** Binds and starts serving; call in the network namespace the LNS lives in. */
    public void start() throws Exception {
        socket = L2tpSocket.bind(config.bind());
        socket.call(() -> {
            socket.endpoint().serve(config.tunnel(), this::accept, e -> {
                if (e instanceof L2tpEvent.SessionUp up) {
                    // Start PPP now, before the next datagram: the LAC's first Configure-Request
                    // follows its ICCN closely and must find LCP already open.
                    Call c = calls.get(up.session().localId());
                    if (c != null) {
                        ProxyStart.accept(c.link, config.acceptProxyAuth()); // RFC 2661 §4.4.5, if the ICCN had them
                        c.link.start();
                    }
                } else if (e instanceof L2tpEvent.SessionDown d) {
                    Call c = calls.get(d.session().localId());
                    if (c != null) {
                        c.link.lowerDown(d.reason());
                        c.end();
                    }
                }
            });
            return null;
        }).get();
        log.info("LNS listening on {}:{}", socket.localAddress().getAddress().getHostAddress(), socket.localAddress().getPort());
    }

    /** The bound address. */
    public InetSocketAddress localAddress() {
        return socket.localAddress();
    }

    /** Calls in progress, authenticated or not. */
    public int calls() {
        return calls.size();
    }

    /**
     * True once the call with this (our) session id has its interface configured for IPv4 and,
     * with {@code ipv6}, for IPv6: the kernel steps, which run off the event loop after the NCPs
     * came up, are done, so packets from the peer reach the kernel. The peer's own "IPCP up"
     * comes before that; the demo waits for this before it pings.
     */
    public boolean interfaceConfigured(int sessionId, boolean ipv6) {
        Call c = calls.get(sessionId);
        return c != null && c.ipv4Configured && (!ipv6 || c.ipv6Configured);
    }

    /** Addresses left in the pool. */
    public int freeAddresses() {
        synchronized (free) {
            return free.size();
        }
    }

    /**
     * A new call: only the PPP authenticator starts. The peer gets an address from the pool when
     * IPCP asks for one, which PPP does only after authentication (RFC 1661 §3.5), and the TUN
     * interface, with its threads, when the first NCP is up — an unauthenticated peer holds
     * nothing but its L2TP session and PPP state (issue 11, row 3).
     */
    private FrameReceiver accept(Session s) {
        Call c = new Call(s);
        calls.put(s.localId(), c);
        return c.link.receiver();
    }

    /** One call's PPP link and what it holds; fields confined to the event loop. */
    private final class Call implements PppLink.AddressPlan {
        final Session session;
        final CallLink link;
        Inet4Address address;      // from the pool, after authentication
        volatile KernelLink kernel; // once created (after authentication, off the loop)
        volatile boolean ended;
        boolean creating;           // event loop
        volatile boolean failed;    // creating the interface failed
        volatile boolean ipv4Configured; // the interface has its IPv4 addresses (kernel thread)
        volatile boolean ipv6Configured; // ... and its IPv6 link-local ones
        java.util.concurrent.CompletableFuture<Void> kernelSteps = java.util.concurrent.CompletableFuture.completedFuture(null); // event loop

        Call(Session s) {
            this.session = s;
            this.link = new CallLink(s, config.ppp(), new PppLink.Settings("jl2tp-lns", config.users(), config.users(), this,
                    "lns session=" + s.localId() + " "), socket.loop(), this::pppEvent, PooledByteBufAllocator.DEFAULT,
                    new SecureRandom());
        }

        @Override
        public Inet4Address local() {
            return config.local();
        }

        @Override
        public Inet4Address remoteFor(String peerName) {
            if (address == null && !ended) {
                synchronized (free) {
                    address = free.poll();
                }
                if (address == null) {
                    log.warn("lns session={} no free address in the pool for {}: call closed", session.localId(), peerName);
                    socket.loop().execute(() -> link.ppp().close("no free address"));
                }
            }
            return address;
        }

        @Override
        public List<Inet4Address> dns() {
            return config.dns();
        }

        private PppEvent.IpUp lastIp;     // event loop
        private PppEvent.Ipv6Up lastIpv6; // event loop

        private void pppEvent(PppEvent e) {
            if (e instanceof PppEvent.Authenticated a && a.weAuthenticatedPeer()) {
                interfaceUp(); // created off the loop while the NCPs negotiate (issue 14)
            } else if (e instanceof PppEvent.IpUp up) {
                // IPCP renegotiated (RFC 1661 §4.3: a late Configure-Request in Opened) to the
                // same addresses: the interface stays as it is.
                if (!up.equals(lastIp) && interfaceUp()) {
                    int mtu = Math.min(1500, link.ppp().peerMru());
                    kernelStep(k -> {
                        k.ipv4Up(up.local(), up.remote(), mtu);
                        ipv4Configured = true;
                    });
                }
                lastIp = up;
            } else if (e instanceof PppEvent.Ipv6Up up) {
                if (!up.equals(lastIpv6) && interfaceUp()) {
                    kernelStep(k -> {
                        k.ipv6Up(up.localLinkLocal(), up.remoteLinkLocal());
                        ipv6Configured = true;
                    });
                }
                lastIpv6 = up;
            } else if (e instanceof PppEvent.Down) {
                end();
            }
            events.accept(e);
        }

        /** Interface work, in order, off the event loop: PPP goes on while netlink runs. */
        private void kernelStep(KernelStep step) {
            kernelSteps = kernelSteps.thenRunAsync(() -> {
                KernelLink k = kernel;
                if (k == null || ended) {
                    return;
                }
                try {
                    step.run(k);
                } catch (IOException ex) {
                    if (ended) {
                        log.debug("configuring {} after the call ended: {}", k.ifname(), ex.getMessage());
                        return;
                    }
                    log.warn("configuring {}: {}", k.ifname(), ex.getMessage());
                    socket.loop().execute(() -> link.ppp().close("interface configuration failed"));
                }
            }, setup);
        }

        /**
         * Starts creating the call's interface, once (event loop); it joins the call when it
         * exists. False if creating it failed already.
         */
        private boolean interfaceUp() {
            if (creating) {
                return !failed;
            }
            if (ended) {
                return false;
            }
            creating = true;
            kernelSteps = kernelSteps.thenRunAsync(() -> {
                KernelLink k;
                try {
                    k = interfaces.create("lns" + session.localId());
                } catch (IOException ex) {
                    failed = true;
                    log.warn("lns session={} cannot create the call's interface: {}", session.localId(), ex.getMessage());
                    socket.loop().execute(() -> link.ppp().close("no interface"));
                    return;
                }
                kernel = k;
                if (ended) {
                    releaseKernel(k); // the call ended while its interface was being made
                    return;
                }
                socket.loop().execute(() -> {
                    if (!ended) {
                        link.attach(k.tun(), 1500);
                    }
                });
            }, setup);
            return true;
        }

        /**
         * The call is over (event loop): the session is hung up, and what the call holds is
         * released off the loop — the TUN and its reader, the kernel thread, then the address
         * goes back to the pool.
         */
        void end() {
            if (ended) {
                return;
            }
            ended = true;
            calls.remove(session.localId(), this);
            link.detach();
            if (session.state() != Session.State.CLOSED) {
                session.close("PPP down");
            }
            KernelLink k = kernel;
            Inet4Address a = address;
            if (k == null) {
                link.close();
                giveBack(a);
                return;
            }
            if (!kernelReleased.compareAndSet(false, true)) {
                link.close();
                giveBack(a);
                return;
            }
            releaser.execute(() -> {
                link.close();
                k.close();
                giveBack(a);
            });
        }

        private final java.util.concurrent.atomic.AtomicBoolean kernelReleased = new java.util.concurrent.atomic.AtomicBoolean();

        private void releaseKernel(KernelLink k) {
            if (kernelReleased.compareAndSet(false, true)) {
                releaser.execute(k::close);
            }
        }
    }

    private void giveBack(Inet4Address a) {
        if (a != null) {
            synchronized (free) {
                free.add(a);
            }
        }
    }

    /** Hangs up every call and tunnel, closes the socket and interfaces. */
    @Override
    public void close() {
        if (socket != null) {
            socket.close("LNS shutting down", 1000);
        }
        setup.shutdown();
        releaser.shutdown();
        try {
            if (!releaser.awaitTermination(10, TimeUnit.SECONDS)) {
                log.warn("LNS: calls still being released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Call c : calls.values()) {
            c.link.close();
            if (c.kernel != null) {
                c.kernel.close();
            }
        }
        calls.clear();
    }

    /** Convenience: addresses a.b.c.from .. a.b.c.to. */
    public static List<Inet4Address> range(String prefix, int from, int to) {
        List<Inet4Address> out = new java.util.ArrayList<>();
        for (int i = from; i <= to; i++) {
            try {
                out.add((Inet4Address) InetAddress.getByName(prefix + i));
            } catch (java.net.UnknownHostException e) {
                throw new IllegalArgumentException(e);
            }
        }
        return out;
    }
}
