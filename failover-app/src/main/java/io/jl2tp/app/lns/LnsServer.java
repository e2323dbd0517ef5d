package io.jl2tp.app.lns;

import io.jl2tp.app.dial.KernelLink;
import io.jl2tp.l2tp.netty.L2tpSocket;
import io.jl2tp.l2tp.tunnel.FrameReceiver;
import io.jl2tp.l2tp.tunnel.L2tpEvent;
import io.jl2tp.l2tp.tunnel.Session;
import io.jl2tp.l2tp.tunnel.TunnelConfig;
import io.jl2tp.ppp.PppEvent;
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
import java.util.function.Consumer;

/**
 * jl2tp's own LNS: l2tp-core's LNS role plus a ppp-core authenticator and a TUN interface per
 * call ({@code lns<session id>}), handing each peer an address from a pool. Used by the demo and
 * by the tests that dial "our own LNS"; not a full ISP LNS (no RADIUS, no accounting).
 */
public final class LnsServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LnsServer.class);

    /** LNS settings. */
    public record Config(InetSocketAddress bind, TunnelConfig tunnel, PppSettings ppp, SecretProvider users,
                         Inet4Address local, List<Inet4Address> pool, List<Inet4Address> dns) {
    }

    private final Config config;
    private final Consumer<PppEvent> events;
    private final Deque<Inet4Address> free;
    private final Map<Integer, KernelLink> links = new ConcurrentHashMap<>();
    private final Map<Integer, PppLink> pppLinks = new ConcurrentHashMap<>();
    private L2tpSocket socket;

    public LnsServer(Config config, Consumer<PppEvent> events) {
        this.config = config;
        this.events = events;
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
                    PppLink link = pppLinks.get(up.session().localId());
                    if (link != null) {
                        link.start();
                    }
                } else if (e instanceof L2tpEvent.SessionDown d) {
                    PppLink link = pppLinks.remove(d.session().localId());
                    if (link != null) {
                        link.lowerDown(d.reason());
                    }
                    KernelLink k = links.remove(d.session().localId());
                    if (k != null) {
                        k.close();
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

    private FrameReceiver accept(Session s) {
        Inet4Address remote;
        synchronized (free) {
            remote = free.poll();
        }
        if (remote == null) {
            log.warn("no free address in the pool: call refused");
            return null;
        }
        KernelLink kernel;
        try {
            kernel = KernelLink.create("lns" + s.localId());
        } catch (IOException e) {
            log.warn("cannot create the call's interface: {}", e.getMessage());
            return null;
        }
        links.put(s.localId(), kernel);
        PppLink.AddressPlan plan = new PppLink.AddressPlan() {
            @Override
            public Inet4Address local() {
                return config.local();
            }

            @Override
            public Inet4Address remoteFor(String peerName) {
                return remote;
            }

            @Override
            public List<Inet4Address> dns() {
                return config.dns();
            }
        };
        PppLink[] holder = new PppLink[1];
        PppLink link = new PppLink(config.ppp(), new PppLink.Settings("jl2tp-lns", config.users(), config.users(), plan,
                "lns session=" + s.localId() + " "), socket.loop(), s::send, e -> {
                    try {
                        if (e instanceof PppEvent.IpUp up) {
                            kernel.ipv4Up(up.local(), up.remote(), Math.min(1500, holder[0].peerMru()));
                            kernel.startReading(holder[0], PooledByteBufAllocator.DEFAULT, 1500);
                        } else if (e instanceof PppEvent.Ipv6Up up) {
                            kernel.ipv6Up(up.localLinkLocal(), up.remoteLinkLocal());
                        } else if (e instanceof PppEvent.Down) {
                            synchronized (free) {
                                free.add(remote);
                            }
                            kernel.close();
                            s.close("PPP down");
                        }
                    } catch (IOException ex) {
                        log.warn("configuring {}: {}", kernel.ifname(), ex.getMessage());
                    }
                    events.accept(e);
                }, PooledByteBufAllocator.DEFAULT, new SecureRandom());
        holder[0] = link;
        var w = kernel.writer();
        link.ipSink((proto, buf) -> w.accept(buf));
        pppLinks.put(s.localId(), link);
        return link::input;
    }

    /** Hangs up every call and tunnel, closes the socket and interfaces. */
    @Override
    public void close() {
        if (socket != null) {
            socket.close("LNS shutting down", 1000);
        }
        links.values().forEach(KernelLink::close);
        links.clear();
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
