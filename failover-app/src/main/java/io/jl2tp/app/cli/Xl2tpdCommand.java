package io.jl2tp.app.cli;

import io.jl2tp.app.config.BadConfigException;
import io.jl2tp.app.config.PppdOptions;
import io.jl2tp.app.config.PppdOptionsParser;
import io.jl2tp.app.config.Xl2tpdConfig;
import io.jl2tp.app.config.Xl2tpdConfigParser;
import io.jl2tp.app.control.ControlFifo;
import io.jl2tp.app.dial.Dialer;
import io.jl2tp.app.dial.LacManager;
import io.jl2tp.app.failover.FailoverControl;
import io.jl2tp.app.failover.FailoverService;
import io.jl2tp.app.log.Logging;
import io.jl2tp.app.metrics.MetricsServer;
import io.jl2tp.ppp.options.PppConfigException;
import io.jl2tp.ppp.options.SecretsFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code jl2tp xl2tpd}: the drop-in daemon, taking xl2tpd's own flags. */
@Command(name = "xl2tpd", mixinStandardHelpOptions = true,
        description = {"Drop-in for xl2tpd + pppd: dial the [lac] sections of an xl2tpd.conf.",
            "",
            "Reads xl2tpd.conf, dials its [lac] sections (autodial, or on 'c NAME' written to the control FIFO),",
            "runs PPP with each LAC's pppoptfile, and answers the control FIFO (c, d, a, r, s, x) like xl2tpd,",
            "so xl2tpd-control works unchanged. Accepts xl2tpd's flags, so an existing ExecStart works with",
            "only the program path changed, e.g.:",
            "  jl2tp xl2tpd -D -c /etc/xl2tpd/xl2tpd.conf -p /run/xl2tpd/pid \\",
            "      -C /run/xl2tpd/control",
            "Secrets (chap-secrets, pap-secrets) and hook scripts (ip-up, ip-down, ipv6-up, ipv6-down) come",
            "from --ppp-dir, as pppd takes them from /etc/ppp."})
public final class Xl2tpdCommand implements Callable<Integer> {

    /** The loggers pppd's {@code debug} option raises to DEBUG. */
    static final java.util.List<String> PPP_DEBUG = java.util.List.of("io.jl2tp.ppp");

    private static final Logger log = LoggerFactory.getLogger(Xl2tpdCommand.class);

    @Option(names = "-c", paramLabel = "FILE", description = "configuration file (default: ${DEFAULT-VALUE})")
    Path config = Path.of("/etc/xl2tpd/xl2tpd.conf");

    @Option(names = "-s", paramLabel = "FILE", description = "tunnel secrets file, overrides [global] auth file")
    Path secrets;

    @Option(names = "-p", paramLabel = "FILE", description = "pid file (default: ${DEFAULT-VALUE})")
    Path pidFile = Path.of("/var/run/xl2tpd.pid");

    @Option(names = "-C", paramLabel = "FILE", description = "control FIFO (default: ${DEFAULT-VALUE})")
    Path control = Path.of("/var/run/xl2tpd/l2tp-control");

    @Option(names = "-D", description = "stay in the foreground and log to stdout (jl2tp always does; accepted for xl2tpd compatibility)")
    boolean foreground;

    @Option(names = {"-l", "--syslog"}, description = "log to syslog (/dev/log, facility daemon) instead of stdout, as xl2tpd -l does")
    boolean syslog;

    @Option(names = "--ppp-dir", paramLabel = "DIR", description = "pppd's directory: secrets and hook scripts (default: ${DEFAULT-VALUE})")
    Path pppDir = Path.of("/etc/ppp");

    @Option(names = "--metrics-port", paramLabel = "PORT", description = "serve Prometheus metrics at http://127.0.0.1:PORT/metrics "
            + "(loopback only; default: off)")
    int metricsPort;

    @Option(names = "--check", description = "parse the configuration and the LACs' options files, print a summary, exit")
    boolean check;

    @Override
    public Integer call() throws Exception {
        if (syslog && !check) {
            Logging.toSyslog("/dev/log", "jl2tp");
        }
        Xl2tpdConfig cfg;
        LacManager manager;
        int optionWarnings = 0;
        try {
            cfg = Xl2tpdConfigParser.parse(config);
            if (secrets != null) {
                cfg = new Xl2tpdConfig(cfg.global().withAuthFile(secrets), cfg.lacs(), cfg.failovers(), cfg.warnings(),
                        cfg.warningCount());
            }
            Logging.debug(cfg.global().debugLoggers());
            manager = new LacManager(cfg, pppDir);
            try {
                // The rules the daemon applies when it dials, applied now (and by --check): every
                // options file parses, and the PPP secrets file it would read is usable (mode 0600).
                for (Xl2tpdConfig.Lac lac : cfg.lacs().values()) {
                    if (lac.pppOptFile() != null) {
                        PppdOptions o = new PppdOptionsParser().parseFile(lac.pppOptFile());
                        optionWarnings += o.warnings().size();
                        if (o.app().debug()) {
                            Logging.debug(PPP_DEBUG); // pppd's debug: PPP control packets at DEBUG
                        }
                    }
                }
                Path pppSecrets = pppSecretsFile(pppDir);
                if (pppSecrets != null) {
                    SecretsFile.load(pppSecrets);
                }
            } catch (PppConfigException e) {
                manager.close();
                throw e;
            }
        } catch (BadConfigException | PppConfigException e) {
            System.err.println("jl2tp xl2tpd: " + e.getMessage());
            return 2;
        }
        if (check) {
            for (Xl2tpdConfig.Lac lac : cfg.lacs().values()) {
                System.out.printf("[lac %s] lns %s:%d, autodial %s, redial %s (timeout %d s, max %s), pppoptfile %s%n",
                        lac.name(), lac.lnsHost(), lac.lnsPort(), yes(lac.autodial()), yes(lac.redial()), lac.redialTimeout(),
                        lac.maxRedials() == 0 ? "unlimited" : lac.maxRedials(), lac.pppOptFile() == null ? "(none: pppd defaults)" : lac.pppOptFile());
            }
            for (Xl2tpdConfig.Failover f : cfg.failovers().values()) {
                System.out.printf("[failover %s] primary %s, backup %s, routes %s (metric %d), hold up %d s, probe %s%n",
                        f.lac(), f.primary(), f.backup() == null ? "(none: the kernel's routes decide)" : f.backup(),
                        yes(f.routes()), f.routeMetric(), f.holdUp(), f.probe() == null ? "off"
                                : f.probe() + " every " + f.probeInterval() + " s (down after " + f.probeDown() + ", up after "
                                + f.probeUp() + ")");
            }
            System.out.printf("[global] max retries %d, retransmission cap %d s, HELLO after %d s%n",
                    cfg.global().maxRetries(), cfg.global().capBackoff(), cfg.global().helloInterval());
            int warnings = cfg.warningCount() + optionWarnings;
            System.out.println("configuration OK (" + warnings + (warnings == 1 ? " warning" : " warnings") + ")");
            manager.close();
            return 0;
        }
        Map<String, FailoverService> failovers = new LinkedHashMap<>();
        for (Xl2tpdConfig.Failover f : cfg.failovers().values()) {
            failovers.put(f.lac(), new FailoverService(f, cfg.lacs().get(f.lac()), manager));
        }
        manager.listener(new LacManager.Listener() {
            @Override
            public void up(String lac, Dialer.Status status) {
                FailoverService f = failovers.get(lac);
                if (f != null) {
                    f.sessionUp(status);
                }
                SdNotify.notify("STATUS=" + lac + " up: " + (status.local() == null ? "" : status.local().getHostAddress()));
            }

            @Override
            public void gaveUp(String lac) {
                FailoverService f = failovers.get(lac);
                if (f != null) {
                    f.gaveUp();
                }
            }
        });
        MetricsServer metrics = null;
        if (metricsPort > 0) {
            try {
                metrics = MetricsServer.start(metricsPort, manager::snapshots,
                        () -> failovers.values().stream().map(FailoverService::snapshot).toList());
            } catch (java.io.IOException e) {
                System.err.println("jl2tp xl2tpd: --metrics-port " + metricsPort + ": " + e.getMessage());
                manager.close();
                return 1;
            }
        }
        ControlFifo fifo;
        try {
            fifo = ControlFifo.open(control, failovers.isEmpty() ? manager : new FailoverControl(manager, failovers));
        } catch (java.io.IOException e) {
            System.err.println("jl2tp xl2tpd: cannot create the control FIFO " + control + " (-C): " + Main.describe(e));
            manager.close();
            if (metrics != null) {
                metrics.close();
            }
            return 1;
        }
        try {
            if (pidFile.getParent() != null) {
                Files.createDirectories(pidFile.getParent());
            }
            Files.writeString(pidFile, ProcessHandle.current().pid() + "\n");
        } catch (java.io.IOException e) {
            System.err.println("jl2tp xl2tpd: cannot write the pid file " + pidFile + " (-p): " + Main.describe(e));
            manager.close();
            fifo.close();
            if (metrics != null) {
                metrics.close();
            }
            return 1;
        }
        CountDownLatch stop = new CountDownLatch(1);
        Signals.onTerminate(stop::countDown);
        log.info("jl2tp xl2tpd started: {} LAC(s) from {}, control FIFO {}", cfg.lacs().size(), config, control);
        MetricsServer m = metrics;
        Runnable shutdown = () -> {
            failovers.values().forEach(FailoverService::close);
            manager.close();
            fifo.close();
            if (m != null) {
                m.close();
            }
            try {
                Files.deleteIfExists(pidFile);
            } catch (java.io.IOException e) {
                log.warn("cannot remove {}: {}", pidFile, e.getMessage());
            }
        };
        for (FailoverService f : failovers.values()) {
            try {
                f.start();
            } catch (Exception e) {
                Throwable c = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null ? e.getCause() : e;
                System.err.println("jl2tp xl2tpd: [failover " + f.lacName() + "] cannot start: " + c.getMessage());
                shutdown.run();
                return 1;
            }
        }
        // READY once what can fail at start-up has been done (configuration, FIFO, pid file, the
        // failover watchers) and the control FIFO takes commands; dialling is asynchronous anyway
        // (its progress goes to STATUS=), so the transport's native set-up and the autodial calls
        // come after it instead of delaying it.
        SdNotify.notify("READY=1\nSTATUS=" + cfg.lacs().size() + " LAC(s), " + failovers.size() + " failover(s); control "
                + control);
        log.info("{}", Transport.describe());
        manager.autodial();
        stop.await();
        SdNotify.notify("STOPPING=1");
        log.info("terminating: hanging up all sessions");
        shutdown.run();
        log.info("exit");
        return 0;
    }

    /**
     * The PPP secrets file a LAC's session reads, as LacManager picks it: chap-secrets if it
     * exists, else pap-secrets, else none (only 'noauth' LNSs will accept us).
     */
    static Path pppSecretsFile(Path pppDir) {
        for (String name : new String[] {"chap-secrets", "pap-secrets"}) {
            Path p = pppDir.resolve(name);
            if (Files.exists(p)) {
                return p;
            }
        }
        return null;
    }

    private static String yes(boolean b) {
        return b ? "yes" : "no";
    }
}
