package io.jl2tp.app.failover;

import io.jl2tp.app.config.Xl2tpdConfig;
import io.jl2tp.app.control.LacController;
import io.jl2tp.app.dial.Dialer;
import io.jl2tp.app.dial.LacManager;
import io.jl2tp.app.link.Rehearsal;
import io.jl2tp.app.failover.FailoverPolicy.Action;
import io.jl2tp.app.failover.FailoverPolicy.CancelHold;
import io.jl2tp.app.failover.FailoverPolicy.Dial;
import io.jl2tp.app.failover.FailoverPolicy.HangUp;
import io.jl2tp.app.failover.FailoverPolicy.Routes;
import io.jl2tp.app.failover.FailoverPolicy.StartHold;
import io.jl2tp.ppp.PppLink;
import io.jl2tp.tun.netlink.NetlinkEvent;
import io.jl2tp.tun.netlink.Route;
import io.jl2tp.tun.linux.IcmpProber;
import io.jl2tp.tun.netlink.RtNetlink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One {@code [failover NAME]} section at work: watches the primary link over rtnetlink (and
 * the optional probe), feeds {@link FailoverPolicy}, and carries out its actions — dial or hang
 * up the LAC through {@link LacManager}, and keep the host route to the LNS via the backup
 * link's gateway. Everything runs on one thread, so events, timers and actions never race.
 */
public final class FailoverService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FailoverService.class);
    /** Metric of the host route to the LNS via the backup link (the seed's scripts use 10). */
    static final int LNS_ROUTE_METRIC = 10;
    /** Seconds after start-up before the rehearsal session runs ({@link Rehearsal}). */
    private static final long REHEARSAL_DELAY_SECONDS = 2;

    private final Xl2tpdConfig.Failover cfg;
    private final Xl2tpdConfig.Lac lac;
    private final LacManager manager;
    private final FailoverPolicy policy;
    private final ScheduledExecutorService loop;
    private final Map<Long, ScheduledFuture<?>> timers = new HashMap<>();
    private RtNetlink netlink;
    private RtNetlink.Subscription events;
    private IcmpProber prober;
    private ProbeHysteresis probeState;
    private volatile boolean probeHealthy = true;
    private volatile int probeRounds;     // rounds judged (the primary present), for status
    private volatile int probeAnswering;  // targets that answered the last of them
    private boolean primaryLink;           // the link part of the primary's state, as last read (loop thread)
    private Route lnsRoute;
    private volatile PrimaryState primaryState = PrimaryState.UNKNOWN;
    private volatile Instant primarySince = Instant.now();
    private volatile Instant downAt;
    private volatile Duration lastFailover;
    private volatile boolean closed;
    private final java.util.concurrent.atomic.AtomicBoolean evaluationQueued = new java.util.concurrent.atomic.AtomicBoolean();

    public FailoverService(Xl2tpdConfig.Failover cfg, Xl2tpdConfig.Lac lac, LacManager manager) {
        this.cfg = cfg;
        this.lac = lac;
        this.manager = manager;
        this.policy = new FailoverPolicy(Duration.ofSeconds(cfg.holdUp()));
        this.loop = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "failover-" + cfg.lac());
            t.setDaemon(true);
            return t;
        });
    }

    /** The LAC this section dials. */
    public String lacName() {
        return cfg.lac();
    }

    /** Starts watching; the primary's current state decides at once (boot with it down: dial). */
    public void start() throws Exception {
        if (cfg.routes()) {
            manager.defaultRoutes(cfg.lac(), cfg.routeMetric());
        }
        loop.submit(() -> {
            netlink = RtNetlink.open();
            events = RtNetlink.subscribe(this::netlinkEvent);
            if (!cfg.probes().isEmpty()) {
                probeState = new ProbeHysteresis(cfg.probeDown(), cfg.probeUp(), cfg.probeReliability());
                prober = IcmpProber.start(cfg.primary(), cfg.probes(),
                        Duration.ofSeconds(cfg.probeInterval()), answered -> loop.execute(() -> probed(answered)));
            }
            log.info("failover {}: watching {} (backup {}, hold up {} s{})", cfg.lac(), cfg.primary(), cfg.backup(),
                    cfg.holdUp(), cfg.probes().isEmpty() ? "" : ", probing " + probeText() + " every " + cfg.probeInterval()
                            + " s, up while " + cfg.probeReliability() + " of " + cfg.probes().size() + " answer");
            evaluate();
            if (!policy.active()) {
                // The session this section may dial one day finds its code loaded and linked
                // (issue 14): rehearsed once, after start-up is over (READY), unless a real dial
                // started meanwhile — that one warms the code itself.
                loop.schedule(() -> {
                    if (!closed && !policy.active()) {
                        Rehearsal.start();
                    }
                }, REHEARSAL_DELAY_SECONDS, TimeUnit.SECONDS);
            }
            if (cfg.warmStandby()) {
                // Warm standby (issue 14): the tunnel stays up over the backup while the primary
                // is; a failover then only places the call. The LNS host route is what sends it there.
                if (cfg.routes()) {
                    refreshLnsRoute();
                }
                log.info("failover {}: warm standby: the L2TP tunnel is kept up over {} while {} is up", cfg.lac(),
                        cfg.backup() == null ? "the route to the LNS" : cfg.backup(), cfg.primary());
                try {
                    manager.warmStandby(cfg.lac(), true);
                } catch (LacController.ControlException e) {
                    log.warn("failover {}: {}", cfg.lac(), e.getMessage());
                }
            }
            return null;
        }).get();
    }

    /**
     * Any link, address or route change (or a lost batch of them) re-reads the state; a burst
     * of events queues one evaluation, which reads the kernel after the last of them arrived.
     */
    private void netlinkEvent(NetlinkEvent e) {
        if (!closed && evaluationQueued.compareAndSet(false, true)) {
            loop.execute(() -> {
                evaluationQueued.set(false);
                evaluate();
            });
        }
    }

    private String probeText() {
        StringBuilder sb = new StringBuilder();
        for (InetAddress a : cfg.probes()) {
            sb.append(sb.length() == 0 ? "" : " ").append(a instanceof Inet6Address a6 ? PppLink.compact(a6) : a.getHostAddress());
        }
        return sb.toString();
    }

    private void probed(boolean[] answered) {
        if (!primaryLink) {
            return; // no link to judge: the probe starts afresh when it is back (see evaluate)
        }
        boolean before = probeHealthy;
        probeHealthy = probeState.record(answered);
        probeAnswering = ProbeHysteresis.answering(answered);
        probeRounds++;
        if (before != probeHealthy) {
            log.info("failover {}: probe {} through {}: {} ({} of {} answered the last round, {} needed)", cfg.lac(),
                    probeText(), cfg.primary(), probeHealthy ? "answering again" : "lost " + cfg.probeDown() + " in a row",
                    ProbeHysteresis.answering(answered), answered.length, cfg.probeReliability());
        }
        evaluate();
    }

    /** Re-reads the primary's state from the kernel and feeds the policy (loop thread). */
    private void evaluate() {
        if (closed) {
            return;
        }
        boolean link;
        try {
            link = linkUsable(cfg.primary());
        } catch (IOException e) {
            log.warn("failover {}: cannot read {}'s state: {}", cfg.lac(), cfg.primary(), e.getMessage());
            return;
        }
        primaryLink = link;
        if (!link && probeState != null) {
            probeState.reset(); // a link that comes back is probed afresh
            probeHealthy = true;
        }
        boolean up = link && probeHealthy;
        PrimaryState state = up ? PrimaryState.UP : link ? PrimaryState.PROBE_FAILING : PrimaryState.DOWN;
        if (state != primaryState) {
            log.info("failover {}: primary {} is {}", cfg.lac(), cfg.primary(), state);
            primaryState = state;
            primarySince = Instant.now();
        }
        if (!up && !policy.active()) {
            downAt = Instant.now();
        }
        act(policy.on(new FailoverPolicy.PrimaryChanged(up)));
        if ((policy.active() || cfg.warmStandby()) && cfg.routes()) {
            refreshLnsRoute(); // the backup's gateway may have changed
        }
    }

    /**
     * Up = the interface exists, is administratively up with carrier, and has an IPv4 address or
     * an IPv6 address beyond the link (an IPv6-only primary is a primary too).
     */
    private boolean linkUsable(String ifname) throws IOException {
        for (NetlinkEvent.LinkEvent l : netlink.links()) {
            if (l.name().equals(ifname)) {
                if (!l.up() || !l.running()) {
                    return false;
                }
                for (NetlinkEvent.AddressEvent a : netlink.addresses()) {
                    if (a.ifindex() == l.ifindex() && (a.address() instanceof Inet4Address
                            || a.address() instanceof Inet6Address && !a.address().isLinkLocalAddress())) {
                        return true;
                    }
                }
                return false;
            }
        }
        return false;
    }

    private void act(List<Action> actions) {
        for (Action a : actions) {
            try {
                if (a instanceof Dial d) {
                    log.info("failover {}: dialling ({})", cfg.lac(), d.reason());
                    if (cfg.routes()) {
                        refreshLnsRoute();
                    }
                    manager.ensureActive(cfg.lac());
                } else if (a instanceof HangUp h) {
                    log.info("failover {}: hanging up ({}){}", cfg.lac(), h.reason(),
                            cfg.warmStandby() ? "; the tunnel stands by again" : "");
                    manager.disconnect(cfg.lac());
                    if (!cfg.warmStandby()) {
                        removeLnsRoute();
                    }
                } else if (a instanceof StartHold s) {
                    log.info("failover {}: primary back; hanging up if it stays up for {} s", cfg.lac(), s.after().toSeconds());
                    timers.put(s.token(), loop.schedule(() -> act(policy.on(new FailoverPolicy.HoldExpired(s.token()))),
                            s.after().toMillis(), TimeUnit.MILLISECONDS));
                } else if (a instanceof CancelHold c) {
                    ScheduledFuture<?> f = timers.remove(c.token());
                    if (f != null) {
                        f.cancel(false);
                    }
                } else if (a instanceof Routes r) {
                    if (cfg.routes()) {
                        log.info("failover {}: default routes {}", cfg.lac(),
                                r.viaTunnel() ? "through the tunnel" : "left to " + cfg.primary() + " (the session lingers)");
                        manager.routesEnabled(cfg.lac(), r.viaTunnel());
                        if (!r.viaTunnel()) {
                            // Its ip-up runs after the address appears: look once it has had time.
                            loop.schedule(this::warnIfPrimaryHasNoDefaultRoute, Math.max(3, cfg.holdUp()), TimeUnit.SECONDS);
                        }
                    }
                }
            } catch (LacController.ControlException e) {
                log.warn("failover {}: {}", cfg.lac(), e.getMessage());
            }
        }
    }

    /**
     * Traffic was handed back to the primary: say so if it has no default route to take it —
     * typically its ip-up's {@code ip route add … metric M} failed with "File exists" while the
     * tunnel's route of the same metric was still there.
     */
    private void warnIfPrimaryHasNoDefaultRoute() {
        if (closed || policy.primary() != FailoverPolicy.Primary.UP) {
            return;
        }
        try {
            int primary = netlink.linkIndex(cfg.primary());
            boolean any = netlink.routes(false).stream().anyMatch(x -> x.isDefault() && x.ifindex() == primary);
            if (!any) {
                log.warn("failover {}: {} is up but has no IPv4 default route; if its ip-up adds one with 'ip route add' "
                        + "at metric {}, that collided with the tunnel's route: use 'ip route replace' there, or another "
                        + "'route metric' here", cfg.lac(), cfg.primary(), cfg.routeMetric());
            }
        } catch (IOException e) {
            log.debug("failover {}: {}", cfg.lac(), e.getMessage());
        }
    }

    /** The host route to the LNS via the backup link's current gateway, so the tunnel never routes into itself. */
    private void refreshLnsRoute() {
        if (cfg.backup() == null) {
            return; // no backup link named: the kernel's routing decides
        }
        try {
            InetAddress lns = InetAddress.getByName(lac.lnsHost());
            int backup = netlink.linkIndex(cfg.backup());
            Optional<InetAddress> gw = netlink.defaultGateway(backup, lns.getAddress().length == 16);
            Route want = new Route(lns, lns.getAddress().length == 16 ? 128 : 32, gw.orElse(null), backup, LNS_ROUTE_METRIC,
                    Route.MAIN, gw.isEmpty());
            if (want.equals(lnsRoute) && netlink.routes(want.ipv6()).contains(want)) {
                return;
            }
            if (!want.equals(lnsRoute)) {
                removeLnsRoute();
            } else {
                // Someone deleted it — the seed's L2TP ip-down script does, on a redial.
                log.info("failover {}: route {} was removed; adding it again", cfg.lac(), want.describe(cfg.backup()));
            }
            netlink.replaceRoute(want);
            lnsRoute = want;
            log.info("failover {}: route {}", cfg.lac(), want.describe(cfg.backup()));
        } catch (IOException e) {
            log.warn("failover {}: cannot route the LNS via {}: {}", cfg.lac(), cfg.backup(), e.getMessage());
        }
    }

    private void removeLnsRoute() {
        if (lnsRoute != null) {
            try {
                netlink.deleteRoute(lnsRoute);
            } catch (IOException e) {
                log.debug("failover {}: {}", cfg.lac(), e.getMessage());
            }
            lnsRoute = null;
        }
    }

    /** A manual {@code c}/{@code d} for this LAC: the policy records the override and acts. */
    public void manual(boolean connect) {
        runOnLoop(() -> act(policy.on(new FailoverPolicy.Manual(connect))));
    }

    /** The LAC gave up redialling by itself. */
    public void gaveUp() {
        runOnLoop(() -> {
            act(policy.on(new FailoverPolicy.GaveUp()));
            if (!cfg.warmStandby()) {
                removeLnsRoute();
            }
        });
    }

    /** The LAC's session came up: the failover is complete. */
    public void sessionUp(Dialer.Status status) {
        Instant d = downAt;
        if (d != null) {
            lastFailover = Duration.between(d, Instant.now());
            downAt = null;
            log.info("failover {}: session up {} ms after the primary went down", cfg.lac(), lastFailover.toMillis());
        }
    }

    private void runOnLoop(Runnable r) {
        try {
            loop.submit(r).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("failover {}: {}", cfg.lac(), e.toString());
        }
    }

    /** Lines for the control FIFO's {@code s NAME}. */
    public List<String> status() {
        List<String> out = new ArrayList<>();
        out.add("failover: primary " + cfg.primary() + " " + primaryState + " since " + primarySince
                + ", backup " + cfg.backup());
        out.add("failover: session " + (policy.active() ? policy.holding() ? "active, hang-up pending (hold up)" : "active"
                : "standby") + ", failovers " + policy.failovers()
                + (lastFailover == null ? "" : ", last failover " + lastFailover.toMillis() + " ms"));
        if (!cfg.probes().isEmpty()) {
            int rounds = probeRounds;
            out.add("failover: probe " + probeText() + ": " + (probeHealthy ? "healthy" : "failing") + ", "
                    + (rounds == 0 ? "no round yet" : probeAnswering + " of " + cfg.probes().size() + " answered the last round")
                    + " (" + cfg.probeReliability() + " needed), rounds " + rounds);
        }
        return out;
    }

    /** The section's state for metrics. */
    public record Snapshot(String lac, String primary, boolean primaryUp, Instant primarySince, boolean active,
                           boolean holding, int failovers, Duration lastFailover) {
    }

    /** A consistent-enough view for metrics (read without stopping the loop). */
    public Snapshot snapshot() {
        return new Snapshot(cfg.lac(), cfg.primary(), primaryState == PrimaryState.UP, primarySince, policy.active(),
                policy.holding(), policy.failovers(), lastFailover);
    }

    /** Failovers so far (primary losses that started the session). */
    public int failovers() {
        return policy.failovers();
    }

    /** Stops watching and removes the LNS route; the LAC manager hangs up the session itself. */
    @Override
    public void close() {
        closed = true;
        if (prober != null) {
            prober.close();
        }
        if (events != null) {
            events.close();
        }
        try {
            loop.submit(() -> {
                timers.values().forEach(f -> f.cancel(false));
                removeLnsRoute();
                if (netlink != null) {
                    netlink.close();
                }
            }).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.debug("failover close: {}", e.toString());
        }
        loop.shutdownNow();
    }

    /** The primary link's state as last judged (link, carrier, address, and probe when configured). */
    enum PrimaryState {
        UNKNOWN("unknown"), UP("up"), PROBE_FAILING("up, but the probe fails"), DOWN("down");

        private final String text;

        PrimaryState(String text) {
            this.text = text;
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
