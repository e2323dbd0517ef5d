package io.jl2tp.app.config;

import io.jl2tp.ppp.auth.Secret;
import io.jl2tp.ppp.fsm.CpConfig;
import io.jl2tp.ppp.options.PppConfigException;
import io.jl2tp.ppp.options.PppSettings;
import io.jl2tp.ppp.options.PppdWords;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Parses pppd options files into {@link PppdOptions}: the protocol settings of ppp-core
 * ({@link PppSettings}) and the application's ({@link PppdAppOptions}). pppd's word syntax
 * ({@link PppdWords}: quotes, backslash escapes and continuations, {@code #} comments) and its
 * "later option wins" order. {@code file <path>} and {@code call <name>} include other files
 * (cycles are an error). Options jl2tp does not know, and known options without effect here,
 * are logged at WARN with file:line and kept in {@link PppdOptions#warnings()}; options with a
 * broken value (non-numeric, out of range, missing argument) and options jl2tp cannot honour
 * safely ({@code require-mppe*}) raise {@link PppConfigException} naming file, line, option and
 * reason. docs/compat.md lists every option and what jl2tp does with it.
 *
 * <p>Differences from pppd, on purpose: a relative {@code file} path is resolved against the
 * directory of the including file (pppd uses its working directory, usually {@code /});
 * {@code <local>:<remote>} takes literal IPv4 addresses only (no DNS lookups while parsing).
 *
 * <p>Not thread-safe while parsing; one instance may parse many files one after the other.
 */
public final class PppdOptionsParser {

    /** Largest include depth, far beyond any real set-up. */
    static final int MAX_INCLUDE_DEPTH = 16;
    /** pppd MINMRU / MAXMRU: the range of {@code mtu} and {@code mru}. */
    static final int MIN_MRU = 128;
    static final int MAX_MRU = 16384;
    /** pppd MAXNAMELEN - 1 / MAXSECRETLEN - 1. */
    static final int MAX_NAME = 255;

    /** What an option does with its arguments; {@code option} is the option's own word (name, line). */
    @FunctionalInterface
    interface Action {
        void apply(PppdParse run, PppdWords.Word option, List<PppdWords.Word> args) throws PppConfigException;
    }

    /** An option's arity and action. */
    record Opt(int arity, Action action) {
    }

    private final Path peersDir;                     // directory of "call" files (pppd: /etc/ppp/peers)
    private final Map<String, Opt> table = new TreeMap<>();

    /** A parser whose {@code call} option reads {@code /etc/ppp/peers}. */
    public PppdOptionsParser() {
        this(Path.of("/etc/ppp/peers"));
    }

    /** A parser whose {@code call} option reads files in {@code peersDir}. */
    public PppdOptionsParser(Path peersDir) {
        this.peersDir = peersDir;
        defineOptions();
    }

    /** Every option name this parser knows (aliases included) and its argument count, sorted by name. */
    Map<String, Integer> knownOptions() {
        Map<String, Integer> m = new TreeMap<>();
        table.forEach((name, opt) -> m.put(name, opt.arity()));
        return m;
    }

    /** Parses {@code file} and everything it includes. */
    public PppdOptions parseFile(Path file) throws PppConfigException {
        if (file == null) {
            throw new IllegalArgumentException("no pppd options file given");
        }
        PppdParse run = new PppdParse(table, PppdOptions.DEFAULTS);
        run.include(file, null, 0);
        return run.build();
    }

    /**
     * Parses options text as if it were the file {@code fileName} located in {@code baseDir}
     * (against which relative includes resolve).
     */
    public PppdOptions parseText(String text, String fileName, Path baseDir) throws PppConfigException {
        PppdParse run = new PppdParse(table, PppdOptions.DEFAULTS);
        run.words(PppdParse.decoded(PppdWords.split(PppdWords.octets(text), fileName)), fileName, baseDir);
        return run.build();
    }

    /**
     * Parses options given as separate arguments (as xl2tpd passes them on pppd's command
     * line), applied on top of {@code base}; the warnings are {@code base}'s plus the new ones.
     */
    public PppdOptions parseArguments(PppdOptions base, List<String> args) throws PppConfigException {
        PppdParse run = new PppdParse(table, base);
        List<PppdWords.Word> words = new ArrayList<>();
        for (String a : args) {
            words.add(new PppdWords.Word(a, 1, false));
        }
        run.words(words, "<arguments>", Path.of(""));
        return run.build();
    }

    // ---- the option table ---------------------------------------------------------------

    /** Registers a flag option (no argument) under each name. */
    private void flag(Consumer<PppdParse> set, String... names) {
        for (String n : names) {
            table.put(n, new Opt(0, (run, o, a) -> set.accept(run)));
        }
    }

    /** Registers a numeric option with its range. */
    private void integer(String name, long min, long max, BiConsumer<PppdParse, Integer> set) {
        table.put(name, new Opt(1, (run, o, a) -> set.accept(run, run.number(a.get(0), name, min, max))));
    }

    /** Registers the four timer options of a control protocol ({@code lcp-restart}, …). */
    private void timers(String prefix, java.util.function.Function<PppdParse, CpConfig> get, BiConsumer<PppdParse, CpConfig> set) {
        integer(prefix + "-restart", 1, 3600, (r, v) -> set.accept(r, get.apply(r).withRestart(Duration.ofSeconds(v))));
        integer(prefix + "-max-configure", 1, 1000, (r, v) -> set.accept(r, get.apply(r).withMaxConfigure(v)));
        integer(prefix + "-max-failure", 1, 1000, (r, v) -> set.accept(r, get.apply(r).withMaxFailure(v)));
        integer(prefix + "-max-terminate", 1, 1000, (r, v) -> set.accept(r, get.apply(r).withMaxTerminate(v)));
    }

    /** Registers a string option with a length limit; the value never appears in the error. */
    private void string(String name, int maxLen, BiConsumer<PppdParse, String> set) {
        table.put(name, new Opt(1, (run, o, a) -> {
            String v = a.get(0).text();
            if (v.length() > maxLen) {
                throw new PppConfigException(run.file, a.get(0).line(), name, "value longer than " + maxLen + " characters");
            }
            set.accept(run, v);
        }));
    }

    /** Registers options accepted with a warning because they have no effect in jl2tp. */
    private void warned(int arity, String why, String... names) {
        for (String n : names) {
            table.put(n, new Opt(arity, (run, o, a) -> run.warn(o, why)));
        }
    }

    /** Registers options accepted silently because jl2tp always behaves as they ask. */
    private void same(int arity, String... names) {
        for (String n : names) {
            table.put(n, new Opt(arity, (run, o, a) -> { }));
        }
    }

    /** Registers options jl2tp refuses: using them would weaken what the user asked for. */
    private void refused(int arity, String why, String... names) {
        for (String n : names) {
            table.put(n, new Opt(arity, (run, o, a) -> {
                throw new PppConfigException(run.file, o.line(), o.text(), why);
            }));
        }
    }

    /** Fills {@link #table}: every option, with pppd's names and aliases. */
    private void defineOptions() {
        defineAuth();
        defineLcp();
        defineIpcp();
        defineIpv6cp();
        defineApp();
        defineWarned();
        table.put("file", new Opt(1, (run, o, a) -> {
            Path p = path(run, o, a.get(0), null);
            run.include(p.isAbsolute() ? p : run.dir.resolve(p), o.text(), o.line());
        }));
        table.put("call", new Opt(1, (run, o, a) -> {
            String n = a.get(0).text();
            // pppd callfile(): "call option value may not contain .. or start with /".
            if (n.isEmpty() || n.startsWith("/") || Arrays.asList(n.split("/", -1)).contains("..")) {
                throw new PppConfigException(run.file, o.line(), o.text(), "'" + n + "' may not contain .. or start with /");
            }
            run.include(path(run, o, a.get(0), peersDir), o.text(), o.line());
        }));
    }

    /**
     * The include path a word names (resolved against {@code dir} if given). A NUL octet makes
     * no path: a config error with file:line, not an InvalidPathException out of the parser
     * (issue #11, found by PppConfigFuzzTest#optionsFile).
     */
    private static Path path(PppdParse run, PppdWords.Word option, PppdWords.Word w, Path dir) throws PppConfigException {
        try {
            return dir == null ? Path.of(w.text()) : dir.resolve(w.text());
        } catch (java.nio.file.InvalidPathException e) {
            throw new PppConfigException(run.file, w.line(), option.text(), "not a valid path: " + e.getReason());
        }
    }

    /** Identity and authentication (pppd auth.c, upap.c, chap-new.c). */
    private void defineAuth() {
        string("name", MAX_NAME, (r, v) -> r.auth.name(v));
        string("user", MAX_NAME, (r, v) -> r.auth.user(v));
        string("remotename", MAX_NAME, (r, v) -> r.auth.remotename(v));
        string("password", MAX_NAME, (r, v) -> r.auth.password(Secret.of(v)));
        flag(r -> r.auth.auth(true), "auth");
        flag(r -> r.auth.auth(false), "noauth");
        flag(r -> r.auth.requirePap(true).auth(true), "require-pap", "+pap");
        flag(r -> r.auth.requireChap(true).auth(true), "require-chap", "+chap");
        flag(r -> r.auth.requireMschap(true).auth(true), "require-mschap", "+mschap");
        flag(r -> r.auth.requireMschapV2(true).auth(true), "require-mschap-v2", "+mschap-v2");
        flag(r -> r.auth.requireEap(true).auth(true), "require-eap", "+eap");
        flag(r -> r.auth.refusePap(true), "refuse-pap", "-pap");
        flag(r -> r.auth.refuseChap(true), "refuse-chap", "-chap");
        flag(r -> r.auth.refuseMschap(true), "refuse-mschap", "-mschap");
        flag(r -> r.auth.refuseMschapV2(true), "refuse-mschap-v2", "-mschap-v2");
        flag(r -> r.auth.refuseEap(true), "refuse-eap", "-eap");
        integer("pap-restart", 1, 3600, (r, v) -> r.auth.papRestart(v));
        integer("pap-max-authreq", 1, 1000, (r, v) -> r.auth.papMaxAuthreq(v));
        integer("pap-timeout", 0, 86400, (r, v) -> r.auth.papTimeout(v));
        integer("chap-restart", 1, 3600, (r, v) -> r.auth.chapRestart(v));
        integer("chap-max-challenge", 1, 1000, (r, v) -> r.auth.chapMaxChallenge(v));
        integer("chap-interval", 0, 86400, (r, v) -> r.auth.chapInterval(v));
    }

    /** LCP (pppd lcp.c). */
    private void defineLcp() {
        integer("mtu", MIN_MRU, MAX_MRU, (r, v) -> r.lcp.mtu(v));
        integer("mru", MIN_MRU, MAX_MRU, (r, v) -> r.lcp.mru(v));
        flag(r -> r.lcp.pcomp(false), "nopcomp", "-pc");
        flag(r -> r.lcp.accomp(false), "noaccomp", "-ac");
        flag(r -> r.lcp.magic(false), "nomagic", "-mn");
        integer("lcp-echo-interval", 0, 86400, (r, v) -> r.lcp.echoInterval(v));
        integer("lcp-echo-failure", 0, 1000, (r, v) -> r.lcp.echoFailure(v));
        flag(r -> r.lcp.echoAdaptive(true), "lcp-echo-adaptive");
        timers("lcp", r -> r.lcpTimers, (r, t) -> r.lcpTimers = t);
    }

    /** IPCP (pppd ipcp.c). */
    private void defineIpcp() {
        flag(r -> r.ipcp.enabled(false), "noip", "-ip");
        flag(r -> r.ipcp.acceptLocal(true), "ipcp-accept-local");
        flag(r -> r.ipcp.acceptRemote(true), "ipcp-accept-remote");
        flag(r -> r.ipcp.usePeerDns(true), "usepeerdns");
        timers("ipcp", r -> r.ipcpTimers, (r, t) -> r.ipcpTimers = t);
        table.put("ms-dns", new Opt(1, (run, o, a) -> {
            Inet4Address dns = run.ipv4(a.get(0).line(), o.text(), a.get(0).text(), "DNS");
            if (run.msDns.size() == 2) {
                // pppd keeps two: a third replaces the second.
                run.warn(o, "more than two ms-dns: the last replaces the second");
                run.msDns.set(1, dns);
            } else {
                run.msDns.add(dns);
            }
        }));
        // jl2tp never derives an address from the host name, never asks for VJ compression.
        same(0, "noipdefault", "novj", "-vj", "novjccomp", "-vjccomp");
    }

    /** IPV6CP (pppd ipv6cp.c). */
    private void defineIpv6cp() {
        flag(r -> r.ipv6cp.enabled(true), "+ipv6");
        flag(r -> r.ipv6cp.enabled(false), "-ipv6", "noipv6");
        table.put("ipv6", new Opt(1, (run, o, a) -> ipv6Ids(run, o, a.get(0))));
        flag(r -> r.ipv6cp.useIpaddr(true), "ipv6cp-use-ipaddr");
        flag(r -> r.ipv6cp.acceptLocal(true), "ipv6cp-accept-local");
        timers("ipv6cp", r -> r.ipv6cpTimers, (r, t) -> r.ipv6cpTimers = t);
        warned(0, "not supported by jl2tp: the interface identifier comes from 'ipv6 <local>,', "
                + "ipv6cp-use-ipaddr or is random", "ipv6cp-use-persistent");
        warned(0, "no effect: jl2tp accepts any valid identifier the peer asks for (as with this option)",
                "ipv6cp-accept-remote");
    }

    /** The application's options (pppd options.c, main.c, sys-linux.c). */
    private void defineApp() {
        table.put("ifname", new Opt(1, (run, o, a) -> {
            String v = a.get(0).text();
            String problem = io.jl2tp.tun.InterfaceName.problem(v); // the kernel's rule, one definition
            if (problem != null) {
                throw new PppConfigException(run.file, a.get(0).line(), o.text(), problem);
            }
            run.app.ifname(v);
        }));
        string("ipparam", 1024, (r, v) -> r.app.ipparam(v));
        table.put("linkname", new Opt(1, (run, o, a) -> {
            String v = a.get(0).text();
            // pppd writes /var/run/ppp-<linkname>.pid: a name, never a path.
            if (v.isEmpty() || v.length() > MAX_NAME || v.contains("/") || v.equals(".") || v.equals("..")) {
                throw new PppConfigException(run.file, a.get(0).line(), o.text(),
                        "'" + v + "' is not a valid link name (1.." + MAX_NAME + " characters, no '/')");
            }
            run.app.linkname(v);
        }));
        flag(r -> r.app.debug(true), "debug", "-d");
        flag(r -> r.app.debug(false), "nodebug");
        flag(r -> r.app.persist(true), "persist");
        flag(r -> r.app.persist(false), "nopersist");
        integer("maxfail", 0, 1_000_000, (r, v) -> r.app.maxfail(v));
        integer("holdoff", 0, 86400, (r, v) -> r.app.holdoff(v));
        flag(r -> r.app.defaultRoute(true), "defaultroute");
        flag(r -> r.app.defaultRoute(false), "nodefaultroute", "-defaultroute");
        integer("defaultroute-metric", 0, Integer.MAX_VALUE, (r, v) -> r.app.defaultRouteMetric(v));
        flag(r -> r.app.replaceDefaultRoute(true), "replacedefaultroute");
        flag(r -> r.app.replaceDefaultRoute(false), "noreplacedefaultroute", "-replacedefaultroute");
        // jl2tp always runs in the foreground and never compresses (no CCP).
        same(0, "nodetach", "-detach", "noccp", "-ccp", "nobsdcomp", "-bsdcomp", "nodeflate", "-deflate",
                "nomppe", "-mppe", "refuse-mppe", "nomppe-40", "nomppe-128", "nopredictor1", "-predictor1");
    }

    /** Known pppd options without meaning for jl2tp: warned about; and the MPPE ones, refused. */
    private void defineWarned() {
        String mppe = "MPPE encryption is not implemented by jl2tp, and pppd refuses to bring the link up "
                + "without it when it is required; remove the option to run the link unencrypted";
        refused(0, mppe, "require-mppe", "+mppe", "require-mppe-40", "+mppe-40", "require-mppe-128", "+mppe-128",
                "mppe-stateful");
        table.put("mppe", new Opt(1, (run, o, a) -> {
            if (Arrays.asList(a.get(0).text().split(",")).contains("required")) {
                throw new PppConfigException(run.file, o.line(), o.text(), mppe);
            }
            run.warn(o, "MPPE is not implemented by jl2tp: the link runs unencrypted");
        }));
        warned(1, "no effect: jl2tp starts LCP as soon as the L2TP session is up", "connect-delay");
        warned(1, "no effect: jl2tp names its interface with ifname (default l2tp0), not a unit number", "unit");
        warned(1, "no effect: jl2tp has no kernel PPP driver to debug; use debug", "kdebug");
        warned(0, "no effect: there is no serial device to lock", "lock", "nolock");
        warned(0, "no effect: jl2tp stays in the foreground (run it under systemd or xl2tpd mode)", "updetach");
        warned(0, "serial-line option, no effect on an L2TP link", "crtscts", "nocrtscts", "-crtscts", "cdtrcts",
                "nocdtrcts", "xonxoff", "modem", "local", "default-asyncmap", "-am", "receive-all", "sync");
        warned(1, "serial-line option, no effect on an L2TP link", "asyncmap", "escape", "connect", "disconnect",
                "init", "welcome", "connect-script", "disconnect-script");
        warned(0, "not supported by jl2tp, ignored", "passive", "silent", "demand", "proxyarp", "noproxyarp",
                "multilink", "nomultilink", "mp", "nomp", "noendpoint", "noipx", "-ipx", "ktune", "noktune",
                "hide-password", "show-password", "usehostname", "nosendip", "noremoteip", "defaultroute6",
                "nodefaultroute6", "noaccomp-ipx", "pppol2tp_lns_mode", "pppol2tp_send_seq", "pppol2tp_recv_seq");
        warned(1, "not supported by jl2tp, ignored", "plugin", "logfile", "logfd", "ms-wins", "idle",
                "maxconnect", "holdoff-script", "ip-up-script", "ip-down-script", "ipv6-up-script",
                "ipv6-down-script", "bsdcomp", "deflate", "netmask", "active-filter", "pass-filter",
                "pppol2tp", "pppol2tp_reorderto", "pppol2tp_tunnel_id", "pppol2tp_session_id",
                "pppol2tp_debug_mask", "lcp-rtt-file", "remotenumber", "ipcp-max-failure-ipx", "pidfile");
    }

    /** pppd {@code ipv6 <local>,<remote>}: interface identifiers written as IPv6 addresses (::1). */
    private static void ipv6Ids(PppdParse run, PppdWords.Word option, PppdWords.Word w) throws PppConfigException {
        String s = w.text();
        int comma = s.indexOf(',');
        String local = comma < 0 ? s : s.substring(0, comma);
        String remote = comma < 0 ? "" : s.substring(comma + 1);
        if (local.isEmpty() && remote.isEmpty()) {
            throw new PppConfigException(run.file, w.line(), option.text(), "expected <local>,<remote> interface identifiers");
        }
        if (!local.isEmpty()) {
            run.ipv6cp.localId(ifaceId(run, option.text(), w.line(), local, "local"));
        }
        if (!remote.isEmpty()) {
            ifaceId(run, option.text(), w.line(), remote, "remote");
            run.warn(option, "the remote interface identifier is not enforced: jl2tp accepts the one the peer asks for");
        }
    }

    /** One identifier: an IPv6 literal whose upper 64 bits are zero and lower 64 bits not (pppd VALIDID). */
    private static long ifaceId(PppdParse run, String option, int line, String text, String what) throws PppConfigException {
        byte[] a = null;
        if (text.indexOf(':') >= 0 && text.chars().allMatch(c -> c == ':' || c == '.' || Character.digit(c, 16) >= 0)) {
            try {
                InetAddress addr = InetAddress.getByName(text);
                if (addr instanceof Inet6Address) {
                    a = addr.getAddress();
                }
            } catch (UnknownHostException e) {
                a = null;
            }
        }
        long hi = 0;
        long lo = 0;
        if (a != null) {
            for (int i = 0; i < 8; i++) {
                hi = (hi << 8) | (a[i] & 0xFF);
                lo = (lo << 8) | (a[8 + i] & 0xFF);
            }
        }
        if (a == null || hi != 0 || lo == 0) {
            throw new PppConfigException(run.file, line, option, "illegal interface identifier (" + what + "): '"
                    + text + "' (write it like ::1 or ::dead:beef, non-zero, upper 64 bits zero)");
        }
        return lo;
    }
}
