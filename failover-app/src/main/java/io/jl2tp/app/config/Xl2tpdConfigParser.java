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
            "tx bps", "rx bps", "bps", "exclusive");

    /** Warnings kept (and logged) one by one; the rest are counted in one summary line. */
    public static final int MAX_WARNINGS = 50;

    /** xl2tpd's {@code debug …} keys and the loggers (packages) each raises to DEBUG. */
    static final Map<String, List<String>> DEBUG_KEYS = Map.of(
            "debug avp", List.of("io.jl2tp.l2tp.wire"),
            "debug network", List.of("io.jl2tp.l2tp.netty", "io.jl2tp.l2tp.transport"),
            "debug packet", List.of("io.jl2tp.l2tp.netty", "io.jl2tp.l2tp.wire"),
            "debug state", List.of("io.jl2tp.l2tp.tunnel"),
            "debug tunnel", List.of("io.jl2tp.l2tp.tunnel", "io.jl2tp.l2tp.transport"));

    private static final java.util.regex.Pattern IPV4 =
            java.util.regex.Pattern.compile("((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");

    private Xl2tpdConfigParser() {
    }

    /** Parses a file. */
    public static Xl2tpdConfig parse(Path file) throws BadConfigException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new BadConfigException(file.toString(), 0, null, null, "no such file");
        } catch (java.nio.file.AccessDeniedException e) {
            throw new BadConfigException(file.toString(), 0, null, null, "permission denied");
        } catch (IOException e) {
            throw new BadConfigException(file.toString(), 0, null, null, "cannot read: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
        return parse(text(bytes, file.toString()), file.toString());
    }

    /**
     * The file's text, or an error naming the line of the first octet that makes it no text
     * file: a NUL (a binary file) or a sequence that is not UTF-8.
     */
    static String text(byte[] bytes, String fileName) throws BadConfigException {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                throw new BadConfigException(fileName, lineOf(bytes, i), null, null,
                        "a NUL octet: this is a binary file, not an xl2tpd.conf");
            }
        }
        java.nio.charset.CharsetDecoder dec = java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(bytes);
        java.nio.CharBuffer out = java.nio.CharBuffer.allocate(bytes.length);
        java.nio.charset.CoderResult r = dec.decode(in, out, true);
        if (r.isError()) {
            throw new BadConfigException(fileName, lineOf(bytes, in.position()), null, null, String.format(
                    "not UTF-8 text (octet 0x%02x); save the file as UTF-8 (or ASCII)", bytes[in.position()] & 0xff));
        }
        dec.flush(out);
        return out.flip().toString();
    }

    private static int lineOf(byte[] bytes, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) {
            if (bytes[i] == '\n') {
                line++;
            }
        }
        return line;
    }

    /**
     * A value as it may appear in a message: control characters escaped ({@code \x1b}), and at
     * most 64 characters, a longer one cut with its length said.
     */
    static String shown(String value) {
        String v = value.length() > 64 ? value.substring(0, 64) : value;
        StringBuilder sb = new StringBuilder();
        v.codePoints().forEach(c -> {
            if (Character.isISOControl(c)) {
                sb.append(String.format("\\x%02x", c));
            } else {
                sb.appendCodePoint(c);
            }
        });
        if (value.length() > 64) {
            sb.append("…(").append(value.length()).append(" characters)");
        }
        return sb.toString();
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
                    throw new BadConfigException(fileName, lineNo, null, null, "section header without ']': " + shown(line));
                }
                String inner = line.substring(1, line.length() - 1).strip();
                String[] parts = inner.split("\\s+", 2);
                String kind = parts[0].toLowerCase(Locale.ROOT);
                if (!Set.of("global", "lac", "lns", "failover").contains(kind)) {
                    throw new BadConfigException(fileName, lineNo, shown(inner), null,
                            "unknown section type (expected global, lac NAME, lns NAME or failover NAME)");
                }
                if (!kind.equals("global") && parts.length < 2) {
                    throw new BadConfigException(fileName, lineNo, shown(inner), null, "[" + kind + "] needs a name");
                }
                current = new Section(kind, parts.length > 1 ? parts[1].strip() : "", lineNo, new LinkedHashMap<>());
                sections.add(current);
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 0) {
                throw new BadConfigException(fileName, lineNo, current == null ? null : label(current), null,
                        "expected 'key = value': " + shown(line));
            }
            if (current == null) {
                throw new BadConfigException(fileName, lineNo, null, shown(line.substring(0, eq).strip()),
                        "setting outside any section");
            }
            String key = line.substring(0, eq).strip().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
            String value = line.substring(eq + 1).strip();
            current.values().put(key, new String[] {value, Integer.toString(lineNo)});
        }
        Xl2tpdConfig.Global global = new Xl2tpdConfig.Global(null, 1701, false, Path.of("/etc/xl2tpd/l2tp-secrets"), 5, 8, 60,
                List.of());
        Map<String, Xl2tpdConfig.Lac> lacs = new LinkedHashMap<>();
        Map<String, Xl2tpdConfig.Failover> failovers = new LinkedHashMap<>();
        for (Section s : sections) {
            Reader r = new Reader(fileName, s, warnings);
            switch (s.kind()) {
                case "global" -> global = r.global();
                case "lac" -> {
                    if (lacs.containsKey(s.name())) {
                        throw new BadConfigException(fileName, s.line(), shown(label(s)), null, "defined twice");
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
        int count = warnings.size();
        List<String> kept = new ArrayList<>(warnings.subList(0, Math.min(count, MAX_WARNINGS)));
        if (count > MAX_WARNINGS) {
            kept.add(fileName + ": " + (count - MAX_WARNINGS) + " more warnings not shown (" + count + " in all)");
        }
        kept.forEach(w -> log.warn("{}", w));
        return new Xl2tpdConfig(global, lacs, failovers, List.copyOf(kept), count);
    }

    private static String label(Section s) {
        return s.kind().equals("global") ? "global" : s.kind() + " " + shown(s.name());
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

        /**
         * A file name value; a NUL octet (possible in text given to {@link #parse(String, String)})
         * is a config error, not an InvalidPathException (issue #11, found by ConfigFuzzTest#xl2tpdConf).
         */
        Path path(String key, String value) throws BadConfigException {
            try {
                return Path.of(value);
            } catch (java.nio.file.InvalidPathException e) {
                throw bad(key, "not a valid path: " + e.getReason());
            }
        }

        boolean bool(String key, boolean def) throws BadConfigException {
            String[] v = left.remove(key);
            if (v == null) {
                return def;
            }
            return switch (v[0].toLowerCase(Locale.ROOT)) {
                case "yes", "true", "on", "1" -> true;
                case "no", "false", "off", "0" -> false;
                default -> throw bad(key, "\"" + shown(v[0]) + "\" is not yes or no");
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
                throw bad(key, "\"" + shown(v[0]) + "\" is not a number");
            }
            if (n < min || n > max) {
                throw bad(key, n + " is out of range (" + min + ".." + max + ")");
            }
            return n;
        }

        /**
         * A {@code require …} key: xl2tpd has pppd ask the LNS to authenticate itself; jl2tp's
         * LAC does not, so {@code yes} warns with file:line (never silence) and {@code no} is the same.
         */
        boolean warnIfYes(String key) throws BadConfigException {
            String[] v = left.get(key);
            boolean yes = bool(key, false);
            if (yes) {
                warnings.add(file + ":" + v[1] + ": [" + label(section) + "] " + key + " = yes: has no effect in jl2tp, "
                        + "which does not ask the LNS to authenticate itself (the LAC authenticates to the LNS)");
            }
            return yes;
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
            left.forEach((k, v) -> warnings.add(file + ":" + v[1] + ": [" + label(section) + "] unknown key \"" + shown(k)
                    + "\" ignored"));
        }

        Xl2tpdConfig.Global global() throws BadConfigException {
            String listen = string("listen-addr", null);
            java.net.InetAddress listenAddr = null;
            if (listen != null) {
                // xl2tpd takes an address here; jl2tp never resolves a name for a bind address
                if (!IPV4.matcher(listen).matches() && !(listen.contains(":") && listen.matches("[0-9A-Fa-f:.]+"))) {
                    throw bad("listen-addr", "\"" + shown(listen) + "\" is not an IP address");
                }
                try {
                    listenAddr = java.net.InetAddress.getByName(listen);
                } catch (java.net.UnknownHostException e) {
                    throw bad("listen-addr", "\"" + shown(listen) + "\" is not an IP address");
                }
            }
            boolean portGiven = left.containsKey("port");
            int port = integer("port", 1701, 1, 65535);
            String auth = string("auth file", "/etc/xl2tpd/l2tp-secrets");
            int retries = integer("max retries", 5, 1, 1000);
            int cap = integer("cap backoff", 8, 8, 3600); // RFC 2661 §5.8: any cap must be >= 8 s
            int hello = integer("hello interval", 60, 0, 86400);
            java.util.Set<String> debug = new java.util.TreeSet<>();
            for (Map.Entry<String, List<String>> d : DEBUG_KEYS.entrySet()) {
                if (bool(d.getKey(), false)) {
                    debug.addAll(d.getValue());
                }
            }
            ignore(GLOBAL_IGNORED);
            return new Xl2tpdConfig.Global(listenAddr, port, portGiven, path("auth file", auth), retries, cap, hello, List.copyOf(debug));
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
                        throw bad("lns", "\"" + shown(lns) + "\": unterminated [IPv6 address]");
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
                throw bad("lns", "\"" + shown(lns) + "\": the port is not a number");
            }
            if (port < 1 || port > 65535) {
                throw bad("lns", "port " + port + " is out of range (1..65535)");
            }
            if (host.isBlank()) {
                // "[]" or "[ ]:1701" names no host (an empty name would resolve to loopback;
                // issue #11, found by ConfigFuzzTest#xl2tpdConf).
                throw bad("lns", "\"" + lns + "\": no host name or address");
            }
            boolean autodial = bool("autodial", false);
            boolean redial = bool("redial", false);
            int redialTimeout = integer("redial timeout", 30, 1, 86400);
            int maxRedials = integer("max redials", 0, 0, 1_000_000);
            boolean redialBackoff = bool("redial backoff", false);
            boolean requireAuth = warnIfYes("require authentication") | warnIfYes("require auth");
            // refuse authentication = yes is pppd's noauth: jl2tp's LAC never asks the LNS to authenticate
            bool("refuse authentication", false);
            bool("refuse auth", false);
            boolean refusePap = bool("refuse pap", false);
            boolean refuseChap = bool("refuse chap", false);
            boolean requirePap = warnIfYes("require pap");
            boolean requireChap = warnIfYes("require chap");
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
            boolean proxyAuth = bool("proxy auth", true); // docs/ppp-auth.md: why on
            ignore(LAC_IGNORED);
            return new Xl2tpdConfig.Lac(section.name(), host, port, autodial, redial, redialTimeout, maxRedials, requireAuth,
                    refusePap, refuseChap, requirePap, requireChap, user, hostname, opt == null ? null : path("pppoptfile", opt), rws,
                    hidden, length, challenge, flow, defaultRoute, localPort, redialBackoff, section.line(), proxyAuth);
        }

        Xl2tpdConfig.Failover failover() throws BadConfigException {
            String primary = interfaceName("primary");
            String backup = interfaceName("backup");
            if (primary == null) {
                throw new BadConfigException(file, section.line(), label(section), "primary", "missing: the link to watch");
            }
            if (primary.equals(backup)) {
                throw bad("backup", "\"" + shown(backup) + "\" is the primary link too");
            }
            String probe = string("probe", null);
            List<java.net.InetAddress> probes = probeTargets(probe);
            int reliability = integer("probe reliability", 1, 1, 1000);
            if (reliability > Math.max(1, probes.size())) {
                throw bad("probe reliability", reliability + " is more than the " + probes.size() + " probe address"
                        + (probes.size() == 1 ? "" : "es"));
            }
            return new Xl2tpdConfig.Failover(section.name(), primary, backup, bool("routes", true),
                    integer("route metric", 100, 0, 1 << 30), integer("hold up", 5, 0, 3600), probe,
                    integer("probe interval", 1, 1, 3600), integer("probe down", 3, 1, 1000), integer("probe up", 5, 1, 1000),
                    section.line(), probes, reliability, standby());
        }

        /** {@code standby = cold} (the default: nothing over the backup until the primary fails) or {@code warm}. */
        private boolean standby() throws BadConfigException {
            String v = string("standby", "cold");
            return switch (v.toLowerCase(Locale.ROOT)) {
                case "cold" -> false;
                case "warm" -> true;
                default -> throw bad("standby", "\"" + shown(v) + "\" is not cold or warm");
            };
        }

        /** {@code probe = A B C}: IPv4 and IPv6 addresses (no names: the probe must not wait for DNS). */
        private List<java.net.InetAddress> probeTargets(String probe) throws BadConfigException {
            List<java.net.InetAddress> out = new ArrayList<>();
            if (probe == null) {
                return out;
            }
            for (String t : probe.split("[\\s,]+")) {
                if (t.isEmpty()) {
                    continue;
                }
                java.net.InetAddress a = null;
                if (IPV4.matcher(t).matches() || (t.contains(":") && t.matches("[0-9A-Fa-f:.]+"))) {
                    try {
                        a = java.net.InetAddress.getByName(t); // a literal: no lookup
                    } catch (java.net.UnknownHostException e) {
                        a = null;
                    }
                }
                if (a == null) {
                    throw bad("probe", "\"" + shown(t) + "\" is not an IPv4 or IPv6 address (the probe is an ICMP echo through the primary)");
                }
                if (a.isLinkLocalAddress() || a.isMulticastAddress() || a.isAnyLocalAddress()) {
                    throw bad("probe", "\"" + shown(t) + "\" is not a unicast address beyond the link");
                }
                if (out.contains(a)) {
                    throw bad("probe", "\"" + shown(t) + "\" is listed twice");
                }
                out.add(a);
            }
            if (out.isEmpty()) {
                throw bad("probe", "no address");
            }
            return out;
        }

        /** A Linux interface name ({@link io.jl2tp.tun.InterfaceName}, the kernel's dev_valid_name). */
        private String interfaceName(String key) throws BadConfigException {
            String v = string(key, null);
            String problem = v == null ? null : io.jl2tp.tun.InterfaceName.problem(v);
            if (problem != null) {
                throw bad(key, problem.replace("\"" + v + "\"", "\"" + shown(v) + "\""));
            }
            return v;
        }
    }
}
