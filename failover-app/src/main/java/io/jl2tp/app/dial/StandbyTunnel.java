package io.jl2tp.app.dial;

import io.jl2tp.l2tp.netty.L2tpSocket;
import io.jl2tp.l2tp.tunnel.L2tpEvent;
import io.jl2tp.l2tp.tunnel.Tunnel;
import io.jl2tp.l2tp.tunnel.TunnelConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A LAC's warm standby ({@code standby = warm} in {@code [failover NAME]}, issue 14): the L2TP
 * control connection to the LNS, established and kept alive with HELLOs (RFC 2661 §6.5) while no
 * call is wanted, so that a failover only places the call (ICRQ, ICRP, ICCN — RFC 2661 §7.4.1)
 * and runs PPP, instead of first spending a round trip on SCCRQ/SCCRP.
 *
 * <p>An LNS may close an idle control connection (StopCCN), or stop answering (the HELLO is not
 * acknowledged within the retry limit, §5.8): the tunnel is then opened again after a back-off
 * (1 s, doubling to {@link #MAX_BACKOFF_MILLIS}; back to 1 s once a tunnel has stayed up a
 * minute), and a log line says what happened and when the next attempt is.
 *
 * <p>{@link #take} hands the established tunnel and its socket to a {@link Dialer}, which places
 * its call in it and owns both from then on; the standby is idle until {@link #open} again.
 *
 * <p>Threads: the tunnel belongs to its socket's event loop; {@link #open}, {@link #take} and
 * {@link #close} may be called from any thread (they synchronize on this object); re-opening
 * runs on {@code scheduler}.
 */
public final class StandbyTunnel implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StandbyTunnel.class);

    /** The cap of the back-off between attempts to re-open a closed standby tunnel. */
    static final long MAX_BACKOFF_MILLIS = 300_000;
    private static final long STABLE_NANOS = TimeUnit.SECONDS.toNanos(60);

    /** An established tunnel handed over, with the socket that carries it. */
    public record Handover(L2tpSocket socket, Tunnel tunnel) {
    }

    private final String name;
    private final InetSocketAddress lns;
    private final TunnelConfig config;
    private final InetSocketAddress bind;
    private final ScheduledExecutorService scheduler;
    private final long firstBackoffMillis;

    // guarded by this
    private boolean wanted;
    private L2tpSocket socket;
    private Tunnel tunnel;
    private Holder owner;
    private ScheduledFuture<?> reopen;
    private int failures;

    private volatile boolean established;
    private volatile Instant since = Instant.now();
    private volatile String lastEnd;
    private volatile long opens;
    private volatile long nextAttemptMillis;
    private volatile long upNanos;

    /**
     * @param bind where the socket binds (as the dialer would: {@link Dialer#bindAddress})
     */
    public StandbyTunnel(String name, InetSocketAddress lns, TunnelConfig config, InetSocketAddress bind,
                         ScheduledExecutorService scheduler) {
        this(name, lns, config, bind, scheduler, 1000);
    }

    StandbyTunnel(String name, InetSocketAddress lns, TunnelConfig config, InetSocketAddress bind,
                  ScheduledExecutorService scheduler, long firstBackoffMillis) {
        this.name = name;
        this.lns = lns;
        this.config = config;
        this.bind = bind;
        this.scheduler = scheduler;
        this.firstBackoffMillis = firstBackoffMillis;
    }

    /** Where the events of the current tunnel go: this standby, or the dialer it was handed to. */
    private static final class Holder {
        volatile Consumer<L2tpEvent> target;
    }

    /** Opens the standby tunnel now unless one is open or opening. */
    public synchronized void open() {
        wanted = true;
        if (socket == null && reopen == null) {
            connect();
        }
    }

    private synchronized void connect() {
        reopen = null;
        if (!wanted || socket != null) {
            return;
        }
        opens++;
        Holder h = new Holder();
        h.target = e -> event(h, e);
        try {
            L2tpSocket s = L2tpSocket.bind(bind);
            socket = s;
            owner = h;
            tunnel = s.call(() -> s.endpoint().connect(lns, config, e -> h.target.accept(e))).get(5, TimeUnit.SECONDS);
            log.info("{}: opening the standby tunnel to {}:{} (no call until a failover)", name,
                    lns.getAddress().getHostAddress(), lns.getPort());
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            closeSocket("cannot open: " + e.getMessage());
            retryLater("cannot open the standby tunnel: " + e.getMessage());
        }
    }

    /** A tunnel event while the standby owns the tunnel (event loop). */
    private void event(Holder h, L2tpEvent e) {
        if (e instanceof L2tpEvent.TunnelUp up) {
            synchronized (this) {
                if (owner != h) {
                    return;
                }
                established = true;
                since = Instant.now();
                upNanos = System.nanoTime();
                socket.connect(up.tunnel().peer()); // this socket serves this one tunnel
            }
            log.info("{}: standby tunnel {} up (LNS's id {}), kept alive with HELLO every {} s", name, up.tunnel().localId(),
                    up.tunnel().peerId(), config.helloInterval().toSeconds());
        } else if (e instanceof L2tpEvent.TunnelDown d) {
            scheduler.execute(() -> down(h, d));
        }
    }

    private synchronized void down(Holder h, L2tpEvent.TunnelDown d) {
        if (owner != h) {
            return; // handed over meanwhile, or already replaced
        }
        boolean wasUp = established;
        if (wasUp && System.nanoTime() - upNanos >= STABLE_NANOS) {
            failures = 0; // it stayed up: this is an LNS closing an idle tunnel, not one refusing us
        }
        lastEnd = d.reason();
        closeSocket(d.reason());
        if (!wanted) {
            return;
        }
        retryLater((d.byPeer() ? "the LNS closed the " + (wasUp ? "idle " : "") + "standby tunnel: " : "standby tunnel lost: ")
                + d.reason());
    }

    /** Schedules the next attempt with the back-off, and says so (caller holds the lock). */
    private void retryLater(String why) {
        if (!wanted || reopen != null) {
            return;
        }
        long wait = Math.min(MAX_BACKOFF_MILLIS, firstBackoffMillis << Math.min(failures, 20));
        failures++;
        nextAttemptMillis = System.currentTimeMillis() + wait;
        log.info("{}: {}; re-opening it in {} s", name, why, wait >= 1000 ? wait / 1000 : String.format(java.util.Locale.ROOT, "%.1f", wait / 1000.0));
        reopen = scheduler.schedule(this::connect, wait, TimeUnit.MILLISECONDS);
    }

    /** Releases the socket (caller holds the lock); the tunnel goes with it, with a StopCCN if it is still up. */
    private void closeSocket(String why) {
        L2tpSocket s = socket;
        socket = null;
        tunnel = null;
        owner = null;
        established = false;
        since = Instant.now();
        if (s != null) {
            scheduler.execute(() -> s.close(why, 500)); // not on the tunnel's own loop, never blocking a caller
        }
    }

    /**
     * Hands the established tunnel over, its events to {@code events} from now on, and stops
     * standing by; null (and the standby stopped) if none is established — the caller dials the
     * whole way then.
     */
    public synchronized Handover take(Consumer<L2tpEvent> events) {
        wanted = false;
        if (reopen != null) {
            reopen.cancel(false);
            reopen = null;
        }
        if (socket == null) {
            return null;
        }
        if (!established) {
            closeSocket("a call is placed the whole way instead");
            return null;
        }
        Handover h = new Handover(socket, tunnel);
        owner.target = events;
        socket = null;
        tunnel = null;
        owner = null;
        established = false;
        failures = 0;
        since = Instant.now();
        return h;
    }

    /** True while a standby tunnel is established and not handed over. */
    public boolean established() {
        return established;
    }

    /** Tunnels opened so far (the first and every re-opening). */
    public long opens() {
        return opens;
    }

    /** A line for the LAC's status: what the standby is doing. */
    public synchronized String status() {
        if (established && tunnel != null) {
            return "standby tunnel: up (tunnel " + tunnel.localId() + ", LNS's id " + tunnel.peerId() + ") since " + since
                    + ", opened " + opens + " time(s)";
        }
        if (reopen != null) {
            return "standby tunnel: down" + (lastEnd == null ? "" : " (" + lastEnd + ")") + ", re-opening at "
                    + Instant.ofEpochMilli(nextAttemptMillis);
        }
        if (socket != null) {
            return "standby tunnel: opening";
        }
        return "standby tunnel: none";
    }

    /** Stops standing by: StopCCN to the LNS if a tunnel is up, socket closed. Idempotent. */
    @Override
    public synchronized void close() {
        wanted = false;
        if (reopen != null) {
            reopen.cancel(false);
            reopen = null;
        }
        L2tpSocket s = socket;
        socket = null;
        tunnel = null;
        owner = null;
        established = false;
        if (s != null) {
            s.close("standby no longer wanted", 500);
        }
    }
}
