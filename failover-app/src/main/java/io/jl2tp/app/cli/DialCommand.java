package io.jl2tp.app.cli;

import io.jl2tp.app.dial.Dialer;
import io.jl2tp.app.dial.HookRunner;
import io.jl2tp.app.dial.PppSecrets;
import io.jl2tp.app.dial.Redialer;
import io.jl2tp.app.dial.RedialPolicy;
import io.jl2tp.l2tp.transport.TransportConfig;
import io.jl2tp.l2tp.tunnel.SessionConfig;
import io.jl2tp.l2tp.tunnel.TunnelConfig;
import io.jl2tp.app.config.PppdOptions;
import io.jl2tp.app.config.PppdOptionsParser;
import io.jl2tp.ppp.auth.Secret;
import io.jl2tp.ppp.auth.SecretProvider;
import io.jl2tp.ppp.options.PppConfigException;
import io.jl2tp.ppp.options.SecretsFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** {@code jl2tp dial}: one LNS from the command line, with the semantics of an xl2tpd [lac] section. */
@Command(name = "dial", mixinStandardHelpOptions = true,
        description = {"Dial one L2TP LNS and bring up its PPP session as a TUN interface; stay up until interrupted.",
            "",
            "PPP settings come from a pppd options file (--options) and the flags below, which mean what the",
            "pppd options of the same names mean. The PPP secret comes from --password-file, or from",
            "chap-secrets/pap-secrets in --ppp-dir. Hook scripts ip-up, ip-down, ipv6-up, ipv6-down in",
            "--ppp-dir run with pppd's arguments and environment.",
            "SIGTERM/SIGINT hang up cleanly: LCP Terminate, CDN, StopCCN, ip-down, interface removed."})
public final class DialCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(DialCommand.class);

    @Option(names = "--lns", required = true, paramLabel = "HOST[:PORT]", description = "the LNS (port 1701 by default; IPv6 as [addr]:port)")
    String lns;

    @Option(names = "--user", description = "PPP user name (pppd 'user'/'name')")
    String user;

    @Option(names = "--password-file", paramLabel = "FILE", description = "file whose first line is the PPP secret (mode 0600)")
    Path passwordFile;

    @Option(names = "--ppp-dir", paramLabel = "DIR", description = "pppd directory: chap-secrets, pap-secrets, hook scripts (default: ${DEFAULT-VALUE})")
    Path pppDir = Path.of("/etc/ppp");

    @Option(names = "--options", paramLabel = "FILE", description = "pppd options file (as xl2tpd's pppoptfile)")
    Path options;

    @Option(names = "--ifname", description = "interface name (default: l2tp0, or the options file's ifname)")
    String ifname;

    @Option(names = "--ipv6", description = "negotiate IPV6CP (pppd +ipv6)")
    boolean ipv6;

    @Option(names = "--usepeerdns", description = "ask the LNS for DNS servers (RFC 1877)")
    boolean usePeerDns;

    @Option(names = "--defaultroute", description = "add default routes via the interface")
    boolean defaultRoute;

    @Option(names = "--tunnel-secret-file", paramLabel = "FILE", description = "L2TP tunnel secret (challenge the LNS; mode 0600)")
    Path tunnelSecretFile;

    @Option(names = "--hidden", description = "hide AVPs with the tunnel secret (xl2tpd 'hidden bit')")
    boolean hidden;

    @Option(names = "--max-retries", description = "control message retransmissions before the tunnel is cleared (default: ${DEFAULT-VALUE})")
    int maxRetries = 5;

    // Boxed and without a default: null means "not given", so the options file's persist/holdoff/
    // maxfail apply (picocli's negatable option on a primitive defaulting to true swaps the meanings).
    @Option(names = "--redial", negatable = true, description = {"dial again after any loss (default: on; with --options,",
        "the file's persist/nopersist decides)"})
    Boolean redial;

    @Option(names = "--redial-timeout", paramLabel = "S", description = {"seconds before each redial (default: 30; with --options,",
        "the file's holdoff)"})
    Integer redialTimeout;

    @Option(names = "--redial-backoff", description = "double the wait on repeated failures, with jitter, up to 8 x the timeout (default: a fixed wait, as xl2tpd and pppd)")
    boolean redialBackoff;

    @Option(names = "--proxy-auth", negatable = true, description = "send our LCP and CHAP response in the ICCN "
        + "(RFC 2661 proxy LCP and authentication; default: on): 3 round trips less with an LNS that takes them, none more "
        + "with one that ignores them (l2tpns); see docs/ppp-auth.md")
    Boolean proxyAuth;

    @Option(names = "--max-redials", paramLabel = "N", description = {"give up after N failed attempts in a row; 0 = never (default: 0;",
        "with --options, the file's maxfail)"})
    Integer maxRedials;

    @Override
    public Integer call() throws Exception {
        PppdOptions ppp;
        try {
            PppdOptionsParser parser = new PppdOptionsParser();
            ppp = options != null ? parser.parseFile(options) : PppdOptions.DEFAULTS;
            List<String> args = new ArrayList<>();
            if (user != null) {
                args.add("name");
                args.add(user);
            }
            if (ifname != null) {
                args.add("ifname");
                args.add(ifname);
            }
            if (ipv6) {
                args.add("+ipv6");
            }
            if (usePeerDns) {
                args.add("usepeerdns");
            }
            if (defaultRoute) {
                args.add("defaultroute");
            }
            ppp = parser.parseArguments(ppp, args); // the parser logs each warning with file:line
            if (ppp.app().debug()) {
                io.jl2tp.app.log.Logging.debug(Xl2tpdCommand.PPP_DEBUG);
            }
        } catch (PppConfigException e) {
            System.err.println("jl2tp dial: " + e.getMessage());
            return 2;
        }
        SecretProvider secrets;
        byte[] tunnelSecret;
        try {
            secrets = passwordFile != null ? SecretProvider.fixed(Secret.of(readSecret(passwordFile))) : PppSecrets.fromDir(pppDir, "dial");
            tunnelSecret = tunnelSecretFile == null ? null : readSecret(tunnelSecretFile).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        } catch (Exception e) {
            System.err.println("jl2tp dial: " + e.getMessage());
            return 2;
        }
        InetSocketAddress target = parseHostPort(lns);
        PppdOptions finalPpp = ppp;
        TunnelConfig tunnel = TunnelConfig.defaults(hostName())
                .withTransport(TransportConfig.DEFAULTS.withMaxRetries(maxRetries))
                .withSecret(tunnelSecret, tunnelSecret != null).withHidden(hidden && tunnelSecret != null);
        RedialPolicy policy = redialPolicy(ppp);
        HookRunner hooks = new HookRunner(pppDir, Duration.ofSeconds(60));
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dial");
            t.setDaemon(true);
            return t;
        });
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        Redialer redialer = new Redialer("dial", () -> new Dialer.Config("dial", target, tunnel, SessionConfig.defaults().withProxy(proxyAuth == null || proxyAuth),
                finalPpp, secrets, hostName(), hooks), policy, scheduler, new Redialer.Listener() {
                    @Override
                    public void up(Dialer.Status status) {
                        log.info("session up; Ctrl-C (SIGINT) or SIGTERM hangs up");
                    }

                    @Override
                    public void gaveUp(String why) {
                        exit.complete(1);
                    }
                });
        Signals.onTerminate(() -> exit.complete(0));
        try {
            redialer.activate();
            int status = exit.join();
            redialer.deactivate("terminated by signal");
            return status;
        } finally {
            scheduler.shutdownNow();
            hooks.close();
        }
    }

    /**
     * pppd's persist, holdoff and maxfail when an options file is given, unless a flag says
     * otherwise; without one, jl2tp dial's defaults (redial on, 30 s, for ever).
     */
    RedialPolicy redialPolicy(PppdOptions ppp) {
        boolean fromFile = options != null;
        boolean on = redial != null ? redial : !fromFile || ppp.app().persist();
        int timeout = redialTimeout != null ? redialTimeout : fromFile ? ppp.app().holdoff() : 30;
        int max = maxRedials != null ? maxRedials : fromFile ? ppp.app().maxfail() : 0;
        return RedialPolicy.of(on, Duration.ofSeconds(Math.max(1, timeout)), Math.max(0, max), redialBackoff);
    }

    /** Reads a one-line secret file, refusing group/other access as pppd does for its secrets. */
    static String readSecret(Path file) throws PppConfigException {
        String s = SecretsFile.readSecretFile(file).lines().findFirst().orElse("").strip();
        if (s.isEmpty()) {
            throw new PppConfigException(file.toString(), 1, null, "empty: no secret");
        }
        return s;
    }

    /**
     * HOST, HOST:PORT, [V6]:PORT or a bare IPv6 address (port 1701 when none is given). A value
     * that is none of these says which part is wrong, never an index error.
     */
    static InetSocketAddress parseHostPort(String s) throws java.net.UnknownHostException {
        String host = s;
        String port = null;
        if (s.startsWith("[")) {
            int end = s.indexOf(']');
            if (end < 0) {
                throw new IllegalArgumentException("'" + s + "': an IPv6 address in [ ] lacks its ']'");
            }
            host = s.substring(1, end);
            String rest = s.substring(end + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new IllegalArgumentException("'" + s + "': expected ':PORT' after ']', found '" + rest + "'");
                }
                port = rest.substring(1);
            }
        } else if (s.indexOf(':') >= 0 && s.indexOf(':') == s.lastIndexOf(':')) {
            host = s.substring(0, s.indexOf(':'));
            port = s.substring(s.indexOf(':') + 1);
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("'" + s + "': no host");
        }
        int p = 1701;
        if (port != null) {
            try {
                p = Integer.parseInt(port);
            } catch (NumberFormatException e) {
                p = -1;
            }
            if (p < 1 || p > 65535) {
                throw new IllegalArgumentException("'" + s + "': the port must be a number from 1 to 65535, not '" + port + "'");
            }
        }
        return new InetSocketAddress(InetAddress.getByName(host), p);
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "jl2tp";
        }
    }
}
