package io.jl2tp.ppp.options;

import io.jl2tp.ppp.auth.Secret;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parses pppd options files into {@link PppOptions}, with pppd's word syntax
 * ({@link PppdWords}: quotes, backslash escapes and continuations, {@code #} comments) and
 * its "later option wins" order. {@code file <path>} and {@code call <name>} include other
 * files (cycles are an error). Unknown options are warned about with file:line and kept in
 * {@link PppOptions#unknown()}; options with a broken value (non-numeric, out of range,
 * missing argument) raise {@link PppConfigException} naming file, line, option and reason.
 *
 * <p>Differences from pppd, on purpose: a relative {@code file} path is resolved against the
 * directory of the including file (pppd uses its working directory, usually {@code /});
 * {@code <local>:<remote>} takes literal IPv4 addresses only (no DNS lookups while parsing).
 */
public final class PppOptionsParser {

    private static final Logger LOG = LoggerFactory.getLogger(PppOptionsParser.class);

    /** Largest include depth, far beyond any real set-up. */
    static final int MAX_INCLUDE_DEPTH = 16;
    /** pppd MINMRU / MAXMRU: the range of {@code mtu} and {@code mru}. */
    static final int MIN_MRU = 128;
    static final int MAX_MRU = 16384;
    /** pppd MAXNAMELEN - 1 / MAXSECRETLEN - 1. */
    static final int MAX_NAME = 255;
    /** IFNAMSIZ - 1. */
    static final int MAX_IFNAME = 15;

    /** What an option does with its arguments. */
    @FunctionalInterface
    private interface Action {
        void apply(Run run, String option, List<PppdWords.Word> args) throws PppConfigException;
    }

    /** An option's arity and action. */
    private record Opt(int arity, Action action) {
    }

    private final Path peersDir;               // directory of "call" files (pppd: /etc/ppp/peers)
    private final Map<String, Opt> table = new HashMap<>();

    /** A parser whose {@code call} option reads {@code /etc/ppp/peers}. */
    public PppOptionsParser() {
        this(Path.of("/etc/ppp/peers"));
    }

    /** A parser whose {@code call} option reads files in {@code peersDir}. */
    public PppOptionsParser(Path peersDir) {
        this.peersDir = peersDir;
        defineOptions();
    }

    /** Parses {@code file} and everything it includes. */
    public PppOptions parseFile(Path file) throws PppConfigException {
        Run run = new Run(PppOptions.builder());
        run.include(file, null, 0);
        return run.b.build();
    }

    /**
     * Parses options text as if it were the file {@code fileName} located in {@code baseDir}
     * (against which relative includes resolve).
     */
    public PppOptions parseText(String text, String fileName, Path baseDir) throws PppConfigException {
        Run run = new Run(PppOptions.builder());
        run.words(decoded(PppdWords.split(PppdWords.octets(text), fileName)), fileName, baseDir);
        return run.b.build();
    }

    /**
     * Parses options given as separate arguments (as xl2tpd passes them on pppd's command
     * line), applied on top of {@code base}.
     */
    public PppOptions parseArguments(PppOptions base, List<String> args) throws PppConfigException {
        Run run = new Run(base.toBuilder());
        List<PppdWords.Word> words = new ArrayList<>();
        for (String a : args) {
            words.add(new PppdWords.Word(a, 1, false));
        }
        run.words(words, "<arguments>", Path.of(""));
        return run.b.build();
    }

    /**
     * The words as text: their octets (escapes resolved) decoded as UTF-8. Options are names,
     * numbers and paths; the {@code password} option is re-encoded as UTF-8, which is exact
     * for any password that is valid UTF-8.
     */
    private static List<PppdWords.Word> decoded(List<PppdWords.Word> words) {
        List<PppdWords.Word> out = new ArrayList<>(words.size());
        for (PppdWords.Word w : words) {
            out.add(new PppdWords.Word(w.utf8(), w.line(), w.atNewline()));
        }
        return out;
    }

    /** One parse: the builder and the include stack. */
    private final class Run {
        final PppOptions.Builder b;
        final Deque<Path> stack = new ArrayDeque<>();  // files being parsed, for cycle detection
        String file = "<arguments>";                   // current file name, for errors
        Path dir = Path.of("");                        // its directory, for relative includes

        Run(PppOptions.Builder b) {
            this.b = b;
        }

        /** Reads and applies {@code path}; {@code from}/{@code line} locate the including option. */
        void include(Path path, String option, int line) throws PppConfigException {
            Path real;
            String text;
            try {
                real = path.toRealPath();
                text = Files.readString(real, StandardCharsets.UTF_8);
            } catch (NoSuchFileException e) {
                throw new PppConfigException(option == null ? path.toString() : file, line, option,
                        "options file " + path + " not found");
            } catch (IOException e) {
                throw new PppConfigException(option == null ? path.toString() : file, line, option,
                        "cannot read options file " + path + ": " + e.getClass().getSimpleName());
            }
            if (stack.contains(real)) {
                String chain = stack.stream().map(Path::toString).collect(Collectors.joining(" -> "));
                throw new PppConfigException(file, line, option, "include cycle: " + chain + " -> " + real);
            }
            if (stack.size() >= MAX_INCLUDE_DEPTH) {
                throw new PppConfigException(file, line, option, "includes nested deeper than " + MAX_INCLUDE_DEPTH);
            }
            String savedFile = file;
            Path savedDir = dir;
            stack.push(real);
            try {
                words(decoded(PppdWords.split(PppdWords.octets(text), path.toString())), path.toString(),
                        path.toAbsolutePath().getParent());
            } finally {
                stack.pop();
                file = savedFile;
                dir = savedDir;
            }
        }

        /** Applies a sequence of words from one file. */
        void words(List<PppdWords.Word> words, String fileName, Path baseDir) throws PppConfigException {
            file = fileName;
            dir = baseDir;
            int i = 0;
            while (i < words.size()) {
                PppdWords.Word w = words.get(i++);
                String name = w.text();
                Opt opt = table.get(name);
                if (opt == null) {
                    other(w);
                    continue;
                }
                if (i + opt.arity() > words.size()) {
                    throw new PppConfigException(file, w.line(), name,
                            "missing argument (needs " + opt.arity() + ")");
                }
                List<PppdWords.Word> args = words.subList(i, i + opt.arity());
                i += opt.arity();
                opt.action().apply(this, name, args);
                file = fileName;   // an include may have run
                dir = baseDir;
            }
        }

        /** A word that is not an option name: local:remote, speed, device, or unknown. */
        void other(PppdWords.Word w) throws PppConfigException {
            String s = w.text();
            if (s.indexOf(':') >= 0 && !s.startsWith("/")) {
                localRemote(w);
            } else if (!s.isEmpty() && s.chars().allMatch(Character::isDigit)) {
                warnIgnored(w.line(), s, "a serial speed has no effect on an L2TP link");
            } else if (s.startsWith("/dev/")) {
                warnIgnored(w.line(), s, "a serial device has no effect on an L2TP link");
            } else {
                OptionWarning warn = new OptionWarning(file, w.line(), s, "unknown option, ignored");
                LOG.warn("{}", warn);
                b.addUnknown(warn);
            }
        }

        /** pppd's {@code <local>:<remote>} (either part may be empty). */
        void localRemote(PppdWords.Word w) throws PppConfigException {
            String s = w.text();
            int colon = s.indexOf(':');
            String local = s.substring(0, colon);
            String remote = s.substring(colon + 1);
            if (!local.isEmpty()) {
                b.localIp(ipv4(w.line(), s, local, "local"));
            }
            if (!remote.isEmpty()) {
                b.remoteIp(ipv4(w.line(), s, remote, "remote"));
            }
        }

        /** A literal IPv4 address, or an error naming the option. */
        Inet4Address ipv4(int line, String option, String text, String what) throws PppConfigException {
            if (!SecretsFile.isIpv4(text)) {
                throw new PppConfigException(file, line, option,
                        "bad " + what + " IP address '" + text + "' (a literal IPv4 address is required)");
            }
            try {
                return (Inet4Address) InetAddress.getByName(text);
            } catch (UnknownHostException e) {
                throw new PppConfigException(file, line, option, "bad " + what + " IP address '" + text + "'");
            }
        }

        /** Records and logs an option that has no effect. */
        void warnIgnored(int line, String option, String why) {
            OptionWarning warn = new OptionWarning(file, line, option, why);
            LOG.warn("{}", warn);
            b.addIgnored(warn);
        }

        /** Parses a number as pppd's strtol(…, 0) does (decimal, 0x hex, leading-0 octal) and range-checks it. */
        int number(PppdWords.Word w, String option, long min, long max) throws PppConfigException {
            String s = w.text();
            long v;
            try {
                if (s.startsWith("0x") || s.startsWith("0X")) {
                    v = Long.parseLong(s.substring(2), 16);
                } else if (s.length() > 1 && s.startsWith("0")) {
                    v = Long.parseLong(s.substring(1), 8);
                } else {
                    v = Long.parseLong(s);
                }
            } catch (NumberFormatException e) {
                throw new PppConfigException(file, w.line(), option, "'" + s + "' is not a number");
            }
            if (v < min || v > max) {
                throw new PppConfigException(file, w.line(), option,
                        "value " + v + " out of range " + min + ".." + max);
            }
            return (int) v;
        }
    }

    // ---- the option table ---------------------------------------------------------------

    /** Registers a flag option (no argument) under each name. */
    private void flag(Consumer<PppOptions.Builder> set, String... names) {
        for (String n : names) {
            table.put(n, new Opt(0, (run, o, a) -> set.accept(run.b)));
        }
    }

    /** Registers a numeric option with its range. */
    private void integer(String name, long min, long max, BiConsumer<PppOptions.Builder, Integer> set) {
        table.put(name, new Opt(1, (run, o, a) -> set.accept(run.b, run.number(a.get(0), o, min, max))));
    }

    /** Registers a string option with a length limit. */
    private void string(String name, int maxLen, BiConsumer<PppOptions.Builder, String> set) {
        table.put(name, new Opt(1, (run, o, a) -> {
            String v = a.get(0).text();
            if (v.length() > maxLen) {
                throw new PppConfigException(run.file, a.get(0).line(), o, "value longer than " + maxLen + " characters");
            }
            set.accept(run.b, v);
        }));
    }

    /** Registers options accepted with a warning because they have no effect in jl2tp. */
    private void ignored(int arity, String why, String... names) {
        for (String n : names) {
            table.put(n, new Opt(arity, (run, o, a) -> run.warnIgnored(a.isEmpty() ? 0 : a.get(0).line(), o, why)));
        }
    }

    /** Fills {@link #table}: every option, with pppd's names and aliases. */
    private void defineOptions() {
        // Identity and authentication (pppd auth.c).
        string("name", MAX_NAME, PppOptions.Builder::name);
        string("user", MAX_NAME, PppOptions.Builder::user);
        string("remotename", MAX_NAME, PppOptions.Builder::remotename);
        table.put("password", new Opt(1, (run, o, a) -> {
            String v = a.get(0).text();
            if (v.length() > MAX_NAME) {
                throw new PppConfigException(run.file, a.get(0).line(), o, "value longer than " + MAX_NAME + " characters");
            }
            run.b.password(Secret.of(v));
        }));
        flag(b -> b.auth(true), "auth");
        flag(b -> b.auth(false), "noauth");
        flag(b -> b.requirePap(true).auth(true), "require-pap", "+pap");
        flag(b -> b.requireChap(true).auth(true), "require-chap", "+chap");
        flag(b -> b.requireMschap(true).auth(true), "require-mschap", "+mschap");
        flag(b -> b.requireMschapV2(true).auth(true), "require-mschap-v2", "+mschap-v2");
        flag(b -> b.requireEap(true).auth(true), "require-eap", "+eap");
        flag(b -> b.refusePap(true), "refuse-pap", "-pap");
        flag(b -> b.refuseChap(true), "refuse-chap", "-chap");
        flag(b -> b.refuseMschap(true), "refuse-mschap", "-mschap");
        flag(b -> b.refuseMschapV2(true), "refuse-mschap-v2", "-mschap-v2");
        flag(b -> b.refuseEap(true), "refuse-eap", "-eap");
        integer("pap-restart", 1, 3600, PppOptions.Builder::papRestart);
        integer("pap-max-authreq", 1, 1000, PppOptions.Builder::papMaxAuthreq);
        integer("pap-timeout", 0, 86400, PppOptions.Builder::papTimeout);
        integer("chap-restart", 1, 3600, PppOptions.Builder::chapRestart);
        integer("chap-max-challenge", 1, 1000, PppOptions.Builder::chapMaxChallenge);
        integer("chap-interval", 0, 86400, PppOptions.Builder::chapInterval);

        // LCP (pppd lcp.c).
        integer("mtu", MIN_MRU, MAX_MRU, PppOptions.Builder::mtu);
        integer("mru", MIN_MRU, MAX_MRU, PppOptions.Builder::mru);
        flag(b -> b.noPcomp(true), "nopcomp", "-pc");
        flag(b -> b.noAccomp(true), "noaccomp", "-ac");
        flag(b -> b.noMagic(true), "nomagic", "-mn");
        integer("lcp-echo-interval", 0, 86400, PppOptions.Builder::lcpEchoInterval);
        integer("lcp-echo-failure", 0, 1000, PppOptions.Builder::lcpEchoFailure);
        flag(b -> b.lcpEchoAdaptive(true), "lcp-echo-adaptive");
        integer("lcp-restart", 1, 3600, PppOptions.Builder::lcpRestart);
        integer("lcp-max-configure", 1, 1000, PppOptions.Builder::lcpMaxConfigure);
        integer("lcp-max-failure", 1, 1000, PppOptions.Builder::lcpMaxFailure);
        integer("lcp-max-terminate", 1, 1000, PppOptions.Builder::lcpMaxTerminate);

        // IPCP (pppd ipcp.c).
        flag(b -> b.ip(false), "noip", "-ip");
        flag(b -> b.noIpDefault(true), "noipdefault");
        flag(b -> b.ipcpAcceptLocal(true), "ipcp-accept-local");
        flag(b -> b.ipcpAcceptRemote(true), "ipcp-accept-remote");
        flag(b -> b.usePeerDns(true), "usepeerdns");
        flag(b -> b.defaultRoute(true), "defaultroute");
        flag(b -> b.defaultRoute(false), "nodefaultroute", "-defaultroute");
        integer("defaultroute-metric", 0, Integer.MAX_VALUE, PppOptions.Builder::defaultRouteMetric);
        flag(b -> b.replaceDefaultRoute(true), "replacedefaultroute");
        flag(b -> b.replaceDefaultRoute(false), "noreplacedefaultroute", "-replacedefaultroute");
        flag(b -> b.noVj(true), "novj", "-vj");
        flag(b -> b.noVjCcomp(true), "novjccomp", "-vjccomp");
        integer("ipcp-restart", 1, 3600, PppOptions.Builder::ipcpRestart);
        integer("ipcp-max-configure", 1, 1000, PppOptions.Builder::ipcpMaxConfigure);
        integer("ipcp-max-failure", 1, 1000, PppOptions.Builder::ipcpMaxFailure);
        integer("ipcp-max-terminate", 1, 1000, PppOptions.Builder::ipcpMaxTerminate);
        table.put("ms-dns", new Opt(1, (run, o, a) -> {
            Inet4Address dns = run.ipv4(a.get(0).line(), o, a.get(0).text(), "DNS");
            PppOptions cur = run.b.build();
            List<Inet4Address> list = new ArrayList<>(cur.msDns());
            if (list.size() == 2) {
                // pppd keeps two: a third replaces the second.
                run.warnIgnored(a.get(0).line(), o, "more than two ms-dns: the last replaces the second");
                list.set(1, dns);
            } else {
                list.add(dns);
            }
            run.b.msDns(list);
        }));

        // IPV6CP (pppd ipv6cp.c).
        flag(b -> b.ipv6(true), "+ipv6");
        flag(b -> b.ipv6(false), "-ipv6", "noipv6");
        table.put("ipv6", new Opt(1, (run, o, a) -> ipv6Ids(run, o, a.get(0))));
        flag(b -> b.ipv6cpUseIpaddr(true), "ipv6cp-use-ipaddr");
        flag(b -> b.ipv6cpUsePersistent(true), "ipv6cp-use-persistent");
        flag(b -> b.ipv6cpAcceptLocal(true), "ipv6cp-accept-local");
        flag(b -> b.ipv6cpAcceptRemote(true), "ipv6cp-accept-remote");
        integer("ipv6cp-restart", 1, 3600, PppOptions.Builder::ipv6cpRestart);
        integer("ipv6cp-max-configure", 1, 1000, PppOptions.Builder::ipv6cpMaxConfigure);
        integer("ipv6cp-max-failure", 1, 1000, PppOptions.Builder::ipv6cpMaxFailure);
        integer("ipv6cp-max-terminate", 1, 1000, PppOptions.Builder::ipv6cpMaxTerminate);

        // CCP (pppd ccp.c): jl2tp does not compress; these only confirm that.
        flag(b -> b.noCcp(true), "noccp", "-ccp");
        flag(b -> b.noBsdComp(true), "nobsdcomp", "-bsdcomp");
        flag(b -> b.noDeflate(true), "nodeflate", "-deflate");

        // Link and process (pppd options.c, main.c).
        table.put("ifname", new Opt(1, (run, o, a) -> {
            String v = a.get(0).text();
            if (v.isEmpty() || v.length() > MAX_IFNAME || v.equals(".") || v.equals("..")
                    || v.chars().anyMatch(c -> c == '/' || c == ':' || Character.isWhitespace(c))) {
                throw new PppConfigException(run.file, a.get(0).line(), o,
                        "'" + v + "' is not a valid interface name (1.." + MAX_IFNAME + " characters, no '/', ':' or spaces)");
            }
            run.b.ifname(v);
        }));
        string("ipparam", 1024, PppOptions.Builder::ipparam);
        string("linkname", MAX_NAME, PppOptions.Builder::linkname);
        flag(b -> b.debug(true), "debug", "-d");
        flag(b -> b.debug(false), "nodebug");
        integer("kdebug", 0, 7, PppOptions.Builder::kdebug);
        flag(b -> b.persist(true), "persist");
        flag(b -> b.persist(false), "nopersist");
        integer("maxfail", 0, 1_000_000, PppOptions.Builder::maxfail);
        integer("holdoff", 0, 86400, PppOptions.Builder::holdoff);
        flag(b -> b.lock(true), "lock");
        flag(b -> b.lock(false), "nolock");
        flag(b -> b.nodetach(true), "nodetach", "-detach");
        flag(b -> b.updetach(true), "updetach");
        integer("connect-delay", 0, 600_000, PppOptions.Builder::connectDelay);

        // Includes.
        table.put("file", new Opt(1, (run, o, a) -> {
            Path p = Path.of(a.get(0).text());
            run.include(p.isAbsolute() ? p : run.dir.resolve(p), o, a.get(0).line());
        }));
        table.put("call", new Opt(1, (run, o, a) -> {
            String n = a.get(0).text();
            // pppd callfile(): "call option value may not contain .. or start with /".
            if (n.isEmpty() || n.startsWith("/") || java.util.Arrays.asList(n.split("/", -1)).contains("..")) {
                throw new PppConfigException(run.file, a.get(0).line(), o,
                        "'" + n + "' may not contain .. or start with /");
            }
            run.include(peersDir.resolve(n), o, a.get(0).line());
        }));

        // Known pppd options with no meaning for an L2TP link in jl2tp: accepted with a warning.
        ignored(0, "serial-line option, no effect on an L2TP link", "crtscts", "nocrtscts", "-crtscts", "cdtrcts",
                "nocdtrcts", "xonxoff", "modem", "local", "default-asyncmap", "-am", "receive-all", "sync");
        ignored(1, "serial-line option, no effect on an L2TP link", "asyncmap", "escape", "connect", "disconnect",
                "init", "welcome", "connect-script", "disconnect-script");
        ignored(0, "not supported by jl2tp, ignored", "passive", "silent", "demand", "proxyarp", "noproxyarp",
                "multilink", "nomultilink", "mp", "nomp", "noendpoint", "noipx", "-ipx", "ktune", "noktune",
                "hide-password", "show-password", "usehostname", "nosendip", "noremoteip", "defaultroute6",
                "nodefaultroute6", "nopredictor1", "-predictor1", "nomppe", "-mppe", "require-mppe",
                "require-mppe-40", "require-mppe-128", "nomppe-40", "nomppe-128", "nomppe-stateful",
                "mppe-stateful", "refuse-mppe", "noaccomp-ipx", "pppol2tp_lns_mode", "pppol2tp_send_seq",
                "pppol2tp_recv_seq");
        ignored(1, "not supported by jl2tp, ignored", "plugin", "logfile", "logfd", "ms-wins", "idle",
                "maxconnect", "holdoff-script", "ip-up-script", "ip-down-script", "ipv6-up-script",
                "ipv6-down-script", "bsdcomp", "deflate", "mppe", "netmask", "active-filter", "pass-filter",
                "pppol2tp", "pppol2tp_reorderto", "pppol2tp_tunnel_id", "pppol2tp_session_id",
                "pppol2tp_debug_mask", "lcp-rtt-file", "remotenumber", "ipcp-max-failure-ipx", "pidfile");
    }

    /** pppd {@code ipv6 <local>,<remote>}: interface identifiers written as IPv6 addresses (::1). */
    private static void ipv6Ids(Run run, String option, PppdWords.Word w) throws PppConfigException {
        String s = w.text();
        int comma = s.indexOf(',');
        String local = comma < 0 ? s : s.substring(0, comma);
        String remote = comma < 0 ? "" : s.substring(comma + 1);
        if (!local.isEmpty()) {
            run.b.ipv6LocalId(ifaceId(run, option, w.line(), local, "local"));
        }
        if (!remote.isEmpty()) {
            run.b.ipv6RemoteId(ifaceId(run, option, w.line(), remote, "remote"));
        }
        if (local.isEmpty() && remote.isEmpty()) {
            throw new PppConfigException(run.file, w.line(), option, "expected <local>,<remote> interface identifiers");
        }
    }

    /** One identifier: an IPv6 literal whose upper 64 bits are zero and lower 64 bits not (pppd VALIDID). */
    private static long ifaceId(Run run, String option, int line, String text, String what) throws PppConfigException {
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
