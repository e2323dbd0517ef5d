package io.jl2tp.app.config;

import io.jl2tp.ppp.fsm.CpConfig;
import io.jl2tp.ppp.options.AuthSettings;
import io.jl2tp.ppp.options.IpcpSettings;
import io.jl2tp.ppp.options.Ipv6cpSettings;
import io.jl2tp.ppp.options.LcpSettings;
import io.jl2tp.ppp.options.OptionWarning;
import io.jl2tp.ppp.options.PppConfigException;
import io.jl2tp.ppp.options.PppSettings;
import io.jl2tp.ppp.options.PppdWords;
import io.jl2tp.ppp.options.SecretsFile;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One parse of pppd options by {@link PppdOptionsParser}: the builders of every part, the
 * warnings, the include stack, the current file and line for messages. The option table's
 * actions set its fields.
 *
 * <p>Threads: one parse runs on one thread and is discarded afterwards.
 */
final class PppdParse {

    private static final Logger LOG = LoggerFactory.getLogger(PppdOptionsParser.class);

    /**
     * The words as text: their octets (escapes resolved) decoded as UTF-8. Options are names,
     * numbers and paths; the {@code password} option is re-encoded as UTF-8, which is exact
     * for any password that is valid UTF-8.
     */
    static List<PppdWords.Word> decoded(List<PppdWords.Word> words) {
        List<PppdWords.Word> out = new ArrayList<>(words.size());
        for (PppdWords.Word w : words) {
            out.add(new PppdWords.Word(w.utf8(), w.line(), w.atNewline()));
        }
        return out;
    }

    private final Map<String, PppdOptionsParser.Opt> table;
    final LcpSettings.Builder lcp;
    final AuthSettings.Builder auth;
    final IpcpSettings.Builder ipcp;
    final Ipv6cpSettings.Builder ipv6cp;
    final PppdAppOptions.Builder app;
    CpConfig lcpTimers;
    CpConfig ipcpTimers;
    CpConfig ipv6cpTimers;
    List<Inet4Address> msDns;
    final List<OptionWarning> warnings;
    final Deque<Path> stack = new ArrayDeque<>();  // files being parsed, for cycle detection
    String file = "<arguments>";                   // current file name, for errors
    Path dir = Path.of("");                        // its directory, for relative includes

    PppdParse(Map<String, PppdOptionsParser.Opt> table, PppdOptions base) {
        this.table = table;
        PppSettings p = base.ppp();
        lcp = p.lcp().toBuilder();
        auth = p.auth().toBuilder();
        ipcp = p.ipcp().toBuilder();
        ipv6cp = p.ipv6cp().toBuilder();
        app = base.app().toBuilder();
        lcpTimers = p.lcp().timers();
        ipcpTimers = p.ipcp().timers();
        ipv6cpTimers = p.ipv6cp().timers();
        msDns = new ArrayList<>(p.ipcp().msDns());
        warnings = new ArrayList<>(base.warnings());
    }

    PppdOptions build() {
        PppSettings p = new PppSettings(lcp.timers(lcpTimers).build(), auth.build(),
                ipcp.timers(ipcpTimers).msDns(msDns).build(), ipv6cp.timers(ipv6cpTimers).build());
        return new PppdOptions(p, app.build(), warnings);
    }

    /** Reads and applies {@code path}; {@code option}/{@code line} locate the including option. */
    void include(Path path, String option, int line) throws PppConfigException {
        Path real;
        String text;
        String where = option == null ? path.toString() : file;
        try {
            real = path.toRealPath();
            byte[] octets = Files.readAllBytes(real);
            text = PppdWords.octets(octets);
        } catch (NoSuchFileException e) {
            throw new PppConfigException(where, line, option, "options file " + path + " not found");
        } catch (IOException e) {
            throw new PppConfigException(where, line, option, "cannot read options file " + path + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
        if (stack.contains(real)) {
            String chain = stack.stream().map(Path::toString).collect(Collectors.joining(" -> "));
            throw new PppConfigException(file, line, option, "include cycle: " + chain + " -> " + real);
        }
        if (stack.size() >= PppdOptionsParser.MAX_INCLUDE_DEPTH) {
            throw new PppConfigException(file, line, option, "includes nested deeper than " + PppdOptionsParser.MAX_INCLUDE_DEPTH);
        }
        String savedFile = file;
        Path savedDir = dir;
        stack.push(real);
        try {
            words(decoded(PppdWords.split(text, path.toString())), path.toString(), path.toAbsolutePath().getParent());
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
            PppdOptionsParser.Opt opt = table.get(w.text());
            if (opt == null) {
                other(w);
                continue;
            }
            if (i + opt.arity() > words.size()) {
                throw new PppConfigException(file, w.line(), w.text(),
                        "missing argument (needs " + opt.arity() + ")");
            }
            List<PppdWords.Word> args = words.subList(i, i + opt.arity());
            i += opt.arity();
            opt.action().apply(this, w, args);
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
            warn(w, "a serial speed has no effect on an L2TP link");
        } else if (s.startsWith("/dev/")) {
            warn(w, "a serial device has no effect on an L2TP link");
        } else {
            warn(w, "unknown option, ignored");
        }
    }

    /** pppd's {@code <local>:<remote>} (either part may be empty). */
    void localRemote(PppdWords.Word w) throws PppConfigException {
        String s = w.text();
        int colon = s.indexOf(':');
        String local = s.substring(0, colon);
        String remote = s.substring(colon + 1);
        if (!local.isEmpty()) {
            ipcp.localIp(ipv4(w.line(), s, local, "local"));
        }
        if (!remote.isEmpty()) {
            ipcp.remoteIp(ipv4(w.line(), s, remote, "remote"));
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

    /** Records and logs an option accepted without its pppd effect, at the option's own line. */
    void warn(PppdWords.Word option, String why) {
        OptionWarning warn = new OptionWarning(file, option.line(), option.text(), why);
        LOG.warn("{}", warn);
        warnings.add(warn);
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
