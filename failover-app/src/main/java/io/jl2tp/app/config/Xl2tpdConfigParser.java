package io.jl2tp.app.config;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads xl2tpd.conf the way xl2tpd does: {@code [section]} headers, {@code key = value} lines
 * whose keys may contain spaces and are case-insensitive, {@code ;} and {@code #} comments,
 * yes/no booleans. Every key of xl2tpd 1.3's [global], [lac] and [lns] sections is accepted
 * (those jl2tp does not act on are reported as warnings, not errors); unknown keys warn with
 * file:line; values that cannot be used stop with a {@link BadConfigException} naming file,
 * line, section, key and reason.
 */
public final class Xl2tpdConfigParser {

    private static final Logger log = LoggerFactory.getLogger(Xl2tpdConfigParser.class);

    private static final Set<String> GLOBAL_IGNORED = Set.of("access control", "ipsec saref", "saref refinfo",
            "force userspace", "rand source");
    private static final Set<String> LAC_IGNORED = Set.of("local ip", "remote ip", "ppp debug", "pass peer", "call rws",
            "tx bps", "rx bps", "bps", "exclusive", "require authentication", "refuse authentication", "require auth",
            "refuse auth");

    private static final java.util.regex.Pattern IPV4 =
            java.util.regex.Pattern.compile("((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");

    private Xl2tpdConfigParser() {
    }

    /** Parses a file. */
    public static Xl2tpdConfig parse(Path file) throws BadConfigException {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new BadConfigException(file.toString(), 0, null, null, "cannot read: " + e.getMessage());
        }
        return parse(text, file.toString());
    }

    /** A section being read: its header line and key → (value, line). */
    private record Section(String kind, String name, int line, Map<String, String[]> values) {
    }

    /** Parses {@code text} as the contents of {@code fileName}. */
    public static Xl2tpdConfig parse(String text, String fileName) throws BadConfigException {
        List<Section> sections = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        Section current = null;
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int lineNo = i + 1;
            String line = stripComment(lines[i]).strip();
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("[")) {
                if (!line.endsWith("]")) {
                    throw new BadConfigException(fileName, lineNo, null, null, "section header without ']': " + line);
                }
                String inner = line.substring(1, line.length() - 1).strip();
                String[] parts = inner.split("\\s+", 2);
                String kind = parts[0].toLowerCase(Locale.ROOT);
                if (!Set.of("global", "lac", "lns", "failover").contains(kind)) {
                    throw new BadConfigException(fileName, lineNo, inner, null,
                            "unknown section type (expected global, lac NAME, lns NAME or failover NAME)");
                }
                if (!kind.equals("global") && parts.length < 2) {
                    throw new BadConfigException(fileName, lineNo, inner, null, "[" + kind + "] needs a name");
                }
                current = new Section(kind, parts.length > 1 ? parts[1].strip() : "", lineNo, new LinkedHashMap<>());
                sections.add(current);
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 0) {
                throw new BadConfigException(fileName, lineNo, current == null ? null : label(current), null,
                        "expected 'key = value': " + line);
            }
            if (current == null) {
                throw new BadConfigException(fileName, lineNo, null, line.substring(0, eq).strip(),
                        "setting outside any section");
            }
            String key = line.substring(0, eq).strip().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
            String value = line.substring(eq + 1).strip();
            current.values().put(key, new String[] {value, Integer.toString(lineNo)});
        }
        Xl2tpdConfig.Global global = new Xl2tpdConfig.Global(null, 1701, Path.of("/etc/xl2tpd/l2tp-secrets"), 5, 8, 60, false);
        Map<String, Xl2tpdConfig.Lac> lacs = new LinkedHashMap<>();
        Map<String, Xl2tpdConfig.Failover> failovers = new LinkedHashMap<>();
        for (Section s : sections) {
            Reader r = new Reader(fileName, s, warnings);
            switch (s.kind()) {
                case "global" -> global = r.global();
                case "lac" -> {
                    if (lacs.containsKey(s.name())) {
                        throw new BadConfigException(fileName, s.line(), label(s), null, "defined twice");
                    }
                    lacs.put(s.name(), r.lac());
                }
                case "failover" -> failovers.put(s.name(), r.failover());
                default -> {
                    warnings.add(fileName + ":" + s.line() + ": [" + label(s) + "] LNS sections are accepted and "
                            + "ignored by 'jl2tp xl2tpd' (which dials out); run jl2tp's LNS with 'jl2tp lns'");
                    r.consumeAll();
                }
            }
            r.warnUnknown();
        }
        for (Xl2tpdConfig.Failover f : failovers.values()) {
            if (!lacs.containsKey(f.lac())) {
                throw new BadConfigException(fileName, f.line(), "failover " + f.lac(), null,
                        "no [lac " + f.lac() + "] section to dial");
            }
        }
        warnings.forEach(w -> log.warn("{}", w));
        return new Xl2tpdConfig(global, lacs, failovers, List.copyOf(warnings));
    }

    private static String label(Section s) {
        return s.kind().equals("global") ? "global" : s.kind() + " " + s.name();
    }

    private static String stripComment(String line) {
        int cut = line.length();
        int semi = line.indexOf(';');
        int hash = line.indexOf('#');
        if (semi >= 0) {
            cut = Math.min(cut, semi);
        }
        if (hash >= 0) {
            cut = Math.min(cut, hash);
        }
        return line.substring(0, cut);
    }

    /** Typed access to one section's values, remembering what was used. */
    private static final class Reader {
        private final String file;
        private final Section section;
        private final List<String> warnings;
        private final Map<String, String[]> left;

        Reader(String file, Section section, List<String> warnings) {
            this.file = file;
            this.section = section;
            this.warnings = warnings;
            this.left = new LinkedHashMap<>(section.values());
        }

        private BadConfigException bad(String key, String reason) {
            String[] v = section.values().get(key);
            return new BadConfigException(file, v == null ? section.line() : Integer.parseInt(v[1]), label(section), key, reason);
        }

        String string(String key, String def) {
            String[] v = left.remove(key);
            return v == null ? def : v[0];
        }

        boolean bool(String key, boolean def) throws BadConfigException {
            String[] v = left.remove(key);
            if (v == null) {
                return def;
            }
            return switch (v[0].toLowerCase(Locale.ROOT)) {
                case "yes", "true", "on", "1" -> true;
                case "no", "false", "off", "0" -> false;
                default -> throw bad(key, "\"" + v[0] + "\" is not yes or no");
            };
        }

        int integer(String key, int def, int min, int max) throws BadConfigException {
            String[] v = left.remove(key);
            if (v == null) {
                return def;
            }
            int n;
            try {
                n = Integer.parseInt(v[0]);
            } catch (NumberFormatException e) {
                throw bad(key, "\"" + v[0] + "\" is not a number");
            }
            if (n < min || n > max) {
                throw bad(key, n + " is out of range (" + min + ".." + max + ")");
            }
            return n;
        }

        void ignore(Set<String> keys) {
            for (String k : keys) {
                String[] v = left.remove(k);
                if (v != null) {
                    warnings.add(file + ":" + v[1] + ": [" + label(section) + "] " + k + ": accepted, has no effect in jl2tp");
                }
            }
        }

        void consumeAll() {
            left.clear();
        }

        void warnUnknown() {
            left.forEach((k, v) -> warnings.add(file + ":" + v[1] + ": [" + label(section) + "] unknown key \"" + k + "\" ignored"));
        }

        Xl2tpdConfig.Global global() throws BadConfigException {
            String listen = string("listen-addr", null);
            int port = integer("port", 1701, 1, 65535);
            String auth = string("auth file", "/etc/xl2tpd/l2tp-secrets");
            int retries = integer("max retries", 5, 1, 1000);
            int cap = integer("cap backoff", 8, 8, 3600); // RFC 2661 §5.8: any cap must be >= 8 s
            int hello = integer("hello interval", 60, 0, 86400);
            boolean debug = false;
            for (String k : List.of("debug avp", "debug network", "debug packet", "debug state", "debug tunnel")) {
                debug |= bool(k, false);
            }
            ignore(GLOBAL_IGNORED);
            return new Xl2tpdConfig.Global(listen, port, Path.of(auth), retries, cap, hello, debug);
        }

        Xl2tpdConfig.Lac lac() throws BadConfigException {
            String lns = string("lns", null);
            if (lns == null || lns.isEmpty()) {
                throw new BadConfigException(file, section.line(), label(section), "lns", "missing: the LNS to dial");
            }
            String host = lns;
            int port = 1701;
            try {
                if (lns.startsWith("[")) {
                    int end = lns.indexOf(']');
                    if (end < 0) {
                        throw bad("lns", "\"" + lns + "\": unterminated [IPv6 address]");
                    }
                    host = lns.substring(1, end);
                    if (lns.length() > end + 1) {
                        port = Integer.parseInt(lns.substring(end + 2));
                    }
                } else if (lns.indexOf(':') > 0 && lns.indexOf(':') == lns.lastIndexOf(':')) {
                    host = lns.substring(0, lns.indexOf(':'));
                    port = Integer.parseInt(lns.substring(lns.indexOf(':') + 1));
                }
            } catch (NumberFormatException e) {
                throw bad("lns", "\"" + lns + "\": the port is not a number");
            }
            if (port < 1 || port > 65535) {
                throw bad("lns", "port " + port + " is out of range (1..65535)");
            }
            boolean autodial = bool("autodial", false);
            boolean redial = bool("redial", false);
            int redialTimeout = integer("redial timeout", 30, 1, 86400);
            int maxRedials = integer("max redials", 0, 0, 1_000_000);
            boolean requireAuth = bool("require authentication", false) | bool("require auth", false);
            boolean refuseAuth = bool("refuse authentication", false) | bool("refuse auth", false);
            boolean refusePap = bool("refuse pap", false);
            boolean refuseChap = bool("refuse chap", false);
            boolean requirePap = bool("require pap", false);
            boolean requireChap = bool("require chap", false);
            String user = string("name", null);
            String hostname = string("hostname", null);
            String opt = string("pppoptfile", null);
            int rws = integer("tunnel rws", 8, 1, 65535);
            boolean hidden = bool("hidden bit", false);
            boolean length = bool("length bit", false);
            boolean challenge = bool("challenge", false);
            boolean flow = bool("flow bit", false);
            boolean defaultRoute = bool("defaultroute", false);
            int localPort = integer("local port", 0, 0, 65535);
            ignore(LAC_IGNORED);
            if (requireAuth && !refuseAuth) {
                warnings.add(file + ":" + section.line() + ": [" + label(section) + "] require authentication = yes: "
                        + "jl2tp dials as a client and does not authenticate the LNS; use pppd's 'auth' in the options file");
            }
            return new Xl2tpdConfig.Lac(section.name(), host, port, autodial, redial, redialTimeout, maxRedials, requireAuth,
                    refusePap, refuseChap, requirePap, requireChap, user, hostname, opt == null ? null : Path.of(opt), rws,
                    hidden, length, challenge, flow, defaultRoute, localPort, section.line());
        }

        Xl2tpdConfig.Failover failover() throws BadConfigException {
            String primary = interfaceName("primary");
            String backup = interfaceName("backup");
            if (primary == null) {
                throw new BadConfigException(file, section.line(), label(section), "primary", "missing: the link to watch");
            }
            if (primary.equals(backup)) {
                throw bad("backup", "\"" + backup + "\" is the primary link too");
            }
            String probe = string("probe", null);
            if (probe != null && !IPV4.matcher(probe).matches()) {
                throw bad("probe", "\"" + probe + "\" is not an IPv4 address (the probe is an ICMP echo through the primary)");
            }
            return new Xl2tpdConfig.Failover(section.name(), primary, backup, bool("routes", true),
                    integer("route metric", 100, 0, 1 << 30), integer("hold up", 5, 0, 3600), probe,
                    integer("probe interval", 1, 1, 3600), integer("probe down", 3, 1, 1000), integer("probe up", 5, 1, 1000),
                    section.line());
        }

        /** A Linux interface name ({@link io.jl2tp.tun.InterfaceName}, the kernel's dev_valid_name). */
        private String interfaceName(String key) throws BadConfigException {
            String v = string(key, null);
            String problem = v == null ? null : io.jl2tp.tun.InterfaceName.problem(v);
            if (problem != null) {
                throw bad(key, problem);
            }
            return v;
        }
    }
}
