package io.jl2tp.app.dial;

import io.jl2tp.app.config.BadConfigException;
import io.jl2tp.app.config.Xl2tpdConfig;
import io.jl2tp.app.config.TunnelSecrets;
import io.jl2tp.app.config.Xl2tpdConfigParser;
import io.jl2tp.app.control.LacController;
import io.jl2tp.l2tp.transport.TransportConfig;
import io.jl2tp.l2tp.tunnel.SessionConfig;
import io.jl2tp.l2tp.tunnel.TunnelConfig;
import io.jl2tp.ppp.PppLink;
import io.jl2tp.ppp.auth.Secret;
import io.jl2tp.ppp.auth.SecretProvider;
import io.jl2tp.ppp.options.PppConfigException;
import io.jl2tp.app.config.PppdOptions;
import io.jl2tp.app.config.PppdOptionsParser;
import io.jl2tp.ppp.options.SecretsFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The LACs of an xl2tpd.conf, each dialled, redialled with back-off and hung up on command —
 * what xl2tpd does for its [lac] sections, with pppd inside. Thread-safe (the control FIFO and
 * the signal handler call in from their own threads; each LAC's work runs on one scheduler).
 */
public final class LacManager implements LacController, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LacManager.class);

    private final Xl2tpdConfig.Global global;
    private final Xl2tpdConfig xl2tpd;   // [global]'s listen-addr and port: where the LACs bind
    private final Path pppDir;
    private final HookRunner hooks;
    private final ScheduledExecutorService scheduler;
    private final Map<String, Runner> lacs = new LinkedHashMap<>();
    private final String hostName;
    private final TunnelSecrets tunnelSecrets;
    private volatile Listener listener = new Listener() { };
    private volatile boolean closing;

    /** What a LAC's runner reports (on the LAC's threads; keep it short). */
    public interface Listener {
        /** The LAC's session reached IPCP up. */
        default void up(String lac, Dialer.Status status) {
        }

        /** The LAC stopped dialling by itself (redial = no, or max redials reached). */
        default void gaveUp(String lac) {
        }
    }

    /**
     * @throws BadConfigException if the tunnel secrets file ({@code auth file}) is unreadable,
     *                            malformed or open to group or others
     */
    public LacManager(Xl2tpdConfig config, Path pppDir) throws BadConfigException {
        this.tunnelSecrets = TunnelSecrets.load(config.global().authFile());
        this.global = config.global();
        this.xl2tpd = config;
        this.pppDir = pppDir;
        this.hooks = new HookRunner(pppDir, Duration.ofSeconds(60));
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lac-manager");
            t.setDaemon(true);
            return t;
        });
        this.hostName = localHostName();
        config.lacs().values().forEach(l -> lacs.put(l.name(), new Runner(l)));
    }

    /** Sets the listener for session events. */
    public void listener(Listener l) {
        this.listener = l;
    }

    /**
     * Makes the LAC's sessions install default routes (IPv4 and IPv6) through the tunnel with
     * {@code metric}, as pppd's {@code defaultroute} + {@code defaultroute-metric} would.
     */
    public void defaultRoutes(String name, int metric) throws ControlException {
        runner(name).defaultRouteMetric = metric;
    }

    /**
     * Withdraws the routes of {@code name}'s session, keeping the session ({@code false}), or
     * installs them again ({@code true}); a session dialled later starts with the setting.
     */
    public void routesEnabled(String name, boolean enabled) throws ControlException {
        runner(name).redialer.routesEnabled(enabled);
    }

    /**
     * {@code standby = warm} (issue 14): keeps {@code name}'s control connection to the LNS up
     * while no session is wanted, so that the next dial only places the call; {@code false}
     * closes the standby tunnel.
     */
    public void warmStandby(String name, boolean on) throws ControlException {
        runner(name).warm(on);
    }

    /** Dials {@code name} now unless it is already active (dialling, up or waiting to redial). */
    public void ensureActive(String name) throws ControlException {
        runner(name).activate(null, null);
    }

    /** Dials every LAC with {@code autodial = yes}. */
    public void autodial() {
        for (Runner r : runners()) {
            if (r.lac.autodial()) {
                r.activate(null, null);
            }
        }
    }

    private synchronized List<Runner> runners() {
        return new ArrayList<>(lacs.values());
    }

    private synchronized Runner runner(String name) throws ControlException {
        Runner r = lacs.get(name);
        if (r == null) {
            throw new ControlException("no such LAC '" + name + "'");
        }
        return r;
    }

    @Override
    public void connect(String name, String user, String password) throws ControlException {
        if (!runner(name).activate(user, password)) {
            throw new ControlException("Session already active");
        }
    }

    @Override
    public void disconnect(String name) throws ControlException {
        runner(name).deactivate("disconnected by request");
    }

    @Override
    public void add(String name, String settings) throws ControlException {
        StringBuilder text = new StringBuilder("[lac " + name + "]\n");
        for (String kv : settings.split(";")) {
            if (!kv.isBlank()) {
                text.append(kv.strip()).append('\n');
            }
        }
        try {
            Xl2tpdConfig.Lac lac = Xl2tpdConfigParser.parse(text.toString(), "control 'a " + name + "'").lacs().get(name);
            synchronized (this) {
                Runner old = lacs.get(name);
                if (old != null && old.redialer.active()) {
                    throw new ControlException("LAC '" + name + "' is active; disconnect it first");
                }
                lacs.put(name, new Runner(lac));
            }
        } catch (BadConfigException e) {
            throw new ControlException(e.getMessage());
        }
    }

    @Override
    public void remove(String name) throws ControlException {
        Runner r = runner(name);
        r.deactivate("removed");
        synchronized (this) {
            lacs.remove(name);
        }
    }

    @Override
    public List<String> status(String name) throws ControlException {
        return runner(name).status();
    }

    /** One LAC's state for metrics: {@code session} is null when no session object exists. */
    public record Snapshot(String name, Redialer.State state, Instant since, boolean active, int failures, Dialer.Status session) {
    }

    /** Every LAC's state, in configuration order. */
    public List<Snapshot> snapshots() {
        List<Snapshot> out = new ArrayList<>();
        for (Runner r : runners()) {
            Redialer x = r.redialer;
            Dialer d = x.dialer();
            out.add(new Snapshot(r.lac.name(), x.state(), x.since(), x.active(), x.failures(), d == null ? null : d.status()));
        }
        return out;
    }

    @Override
    public synchronized List<String> available() {
        return new ArrayList<>(lacs.keySet());
    }

    /** Hangs up every session (LCP Terminate, CDN, StopCCN, hooks) within about two seconds. */
    @Override
    public void close() {
        List<Thread> stops = new ArrayList<>();
        closing = true;
        for (Runner r : runners()) {
            Thread t = new Thread(() -> {
                r.deactivate("shutting down");
                r.closeStandby();
            }, "hangup-" + r.lac.name());
            t.start();
            stops.add(t);
        }
        for (Thread t : stops) {
            try {
                t.join(2500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        scheduler.shutdownNow();
        hooks.close();
    }

    /** One [lac] section: its settings and its {@link Redialer}. */
    private final class Runner {
        final Xl2tpdConfig.Lac lac;
        final Redialer redialer;
        volatile int defaultRouteMetric = -1;
        private volatile String user;      // from 'c NAME USER PASSWORD', for the next dials
        private volatile String password;

        Runner(Xl2tpdConfig.Lac lac) {
            this.lac = lac;
            this.redialer = new Redialer(lac.name(), this::dialerConfig, RedialPolicy.of(lac.redial(),
                    Duration.ofSeconds(lac.redialTimeout()), lac.maxRedials(), lac.redialBackoff()), scheduler,
                    new Redialer.Listener() {
                        @Override
                        public void up(Dialer.Status status) {
                            listener.up(lac.name(), status);
                        }

                        @Override
                        public void gaveUp(String why) {
                            listener.gaveUp(lac.name());
                        }
                    });
        }

        /** Dials unless active; false if it was. */
        synchronized boolean activate(String user, String password) {
            if (redialer.active()) {
                return false;
            }
            this.user = user;
            this.password = password;
            log.info("{}: dialling {}:{}", lac.name(), lac.lnsHost(), lac.lnsPort());
            return redialer.activate();
        }

        void deactivate(String why) {
            redialer.deactivate(why);
            StandbyTunnel s = standby;
            if (s != null && !closing) {
                s.open(); // the session is over: stand by again
            }
        }

        /** Warm standby on or off (see {@link LacManager#warmStandby}). */
        synchronized void warm(boolean on) throws ControlException {
            if (!on) {
                closeStandby();
                return;
            }
            if (standby == null) {
                Dialer.Config c;
                try {
                    c = dialerConfig();
                } catch (Exception e) {
                    throw new ControlException("cannot stand by: " + e.getMessage());
                }
                standby = new StandbyTunnel(lac.name(), c.lns(), c.tunnel(), Dialer.bindAddress(c), scheduler);
                redialer.standby(standby);
            }
            if (!redialer.active()) {
                standby.open();
            }
        }

        synchronized void closeStandby() {
            StandbyTunnel s = standby;
            standby = null;
            redialer.standby(null);
            if (s != null) {
                s.close();
            }
        }

        private volatile StandbyTunnel standby;

        private Dialer.Config dialerConfig() throws Exception {
            PppdOptions ppp = lac.pppOptFile() != null ? new PppdOptionsParser().parseFile(lac.pppOptFile()) : PppdOptions.DEFAULTS;
            ppp = ppp.withPpp(b -> b.auth(a -> {
                if (lac.user() != null) {
                    a.name(lac.user());
                }
                if (user != null) {
                    a.name(user);
                }
                if (lac.refusePap()) {
                    a.refusePap(true);
                }
                if (lac.refuseChap()) {
                    a.refuseChap(true);
                }
            })).withApp(a -> {
                if (lac.defaultRoute()) {
                    a.defaultRoute(true);
                }
                if (defaultRouteMetric >= 0) {
                    // the failover's own routes: a primary's route of the same metric is moved aside
                    a.defaultRoute(true).defaultRouteMetric(defaultRouteMetric).replaceDefaultRoute(true);
                }
                return a;
            });
            SecretProvider secrets = password != null ? SecretProvider.fixed(Secret.of(password)) : PppSecrets.fromDir(pppDir, lac.name());
            byte[] tunnelSecret = tunnelSecrets.secret(lac.lnsHost(), hostName).orElse(null);
            TunnelConfig t = TunnelConfig.defaults(lac.hostname() != null ? lac.hostname() : hostName)
                    .withTransport(new TransportConfig(lac.tunnelRws(), Duration.ofSeconds(1),
                            Duration.ofSeconds(global.capBackoff()), global.maxRetries(), Duration.ofMillis(200)))
                    .withHelloInterval(Duration.ofSeconds(global.helloInterval()))
                    .withSecret(tunnelSecret, lac.challenge() && tunnelSecret != null)
                    .withHidden(lac.hiddenBit() && tunnelSecret != null);
            InetSocketAddress lns = new InetSocketAddress(InetAddress.getByName(lac.lnsHost()), lac.lnsPort());
            return new Dialer.Config(lac.name(), lns, t, SessionConfig.defaults().withSequencingRequired(lac.flowBit()).withLengthBit(lac.lengthBit())
                    .withProxy(lac.proxyAuth()), ppp,
                    secrets, hostName, hooks, xl2tpd.localAddress(lac));
        }

        List<String> status() {
            List<String> out = new ArrayList<>();
            out.add("lac: " + lac.name());
            out.add("lns: " + lac.lnsHost() + ":" + lac.lnsPort());
            out.add("state: " + redialer.state() + " since " + redialer.since());
            out.add("active: " + (redialer.active() ? "yes" : "no") + ", redial: " + (lac.redial() ? "yes" : "no")
                    + ", failed attempts: " + redialer.failures());
            StandbyTunnel st = standby;
            if (st != null) {
                out.add(st.status());
            }
            Dialer d = redialer.dialer();
            if (d != null) {
                Dialer.Status s = d.status();
                out.add("interface: " + d.ifname() + ", phase: " + s.phase());
                out.add("tunnel: " + s.tunnelId() + " (peer " + s.peerTunnelId() + "), session: " + s.sessionId()
                        + " (peer " + s.peerSessionId() + ")");
                if (s.local() != null) {
                    out.add("ipv4: local " + s.local().getHostAddress() + " remote " + s.remote().getHostAddress()
                            + " dns " + s.dns().stream().map(InetAddress::getHostAddress).toList());
                }
                if (s.localLl() != null) {
                    out.add("ipv6: local " + PppLink.compact(s.localLl()) + " remote " + PppLink.compact(s.remoteLl()));
                }
                out.add("counters: rx " + s.rxPackets() + " packets " + s.rxBytes() + " bytes, tx " + s.txPackets()
                        + " packets " + s.txBytes() + " bytes");
            }
            String lastError = redialer.lastError();
            if (lastError != null) {
                out.add("last end: " + lastError);
            }
            return out;
        }
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "jl2tp";
        }
    }
}
