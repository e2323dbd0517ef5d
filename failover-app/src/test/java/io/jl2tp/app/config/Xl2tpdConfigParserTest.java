package io.jl2tp.app.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Xl2tpdConfigParserTest {

    /** The seed's xl2tpd.conf, as the user wrote it in the NixOS module. */
    static final String SEED = """
            [global]
            max retries = 36
            [lac aaisp]
            lns = 194.4.172.12
            require authentication = no
            redial = yes
            redial timeout = 10
            """;

    @Test
    void theSeedParsesWithItsValuesAndXl2tpdDefaults() throws Exception {
        Xl2tpdConfig c = Xl2tpdConfigParser.parse(SEED, "xl2tpd.conf");
        assertEquals(36, c.global().maxRetries());
        assertEquals(1701, c.global().port());
        Xl2tpdConfig.Lac lac = c.lacs().get("aaisp");
        assertEquals("194.4.172.12", lac.lnsHost());
        assertEquals(1701, lac.lnsPort());
        assertTrue(lac.redial());
        assertEquals(10, lac.redialTimeout());
        assertFalse(lac.requireAuth());
        assertFalse(lac.autodial());
        assertEquals(8, lac.tunnelRws());
        assertEquals(0, lac.localPort(), "ephemeral local port by default");
        assertTrue(c.warnings().isEmpty(), c.warnings().toString());
    }

    @Test
    void theSeedAsTheNixosModuleRendersItParsesToo() throws Exception {
        // xl2tpd-flexible appends "pppoptfile = ${pppd-options}" after the user's text
        String rendered = "\n" + SEED + "\npppoptfile = /nix/store/abc-ppp-options-xl2tpd.conf\n";
        Xl2tpdConfig c = Xl2tpdConfigParser.parse(rendered, "/nix/store/xyz-xl2tpd.conf");
        assertEquals(Path.of("/nix/store/abc-ppp-options-xl2tpd.conf"), c.lacs().get("aaisp").pppOptFile());
    }

    @Test
    void commentsCaseSpacesIpv6AndFailoverSections() throws Exception {
        Xl2tpdConfig c = Xl2tpdConfigParser.parse("""
                ; a comment
                [Global]            # another
                Max   Retries = 7
                [lac v6]
                LNS = [2001:db8::1]:1702
                Hidden Bit = yes ; trailing comment
                [failover v6]
                primary = pppoe-aaisp
                backup = wan-4g
                hold up = 7
                probe = 203.0.113.7
                """, "t.conf");
        assertEquals(7, c.global().maxRetries());
        assertEquals("2001:db8::1", c.lacs().get("v6").lnsHost());
        assertEquals(1702, c.lacs().get("v6").lnsPort());
        assertTrue(c.lacs().get("v6").hiddenBit());
        Xl2tpdConfig.Failover f = c.failovers().get("v6");
        assertEquals("pppoe-aaisp", f.primary());
        assertEquals(7, f.holdUp());
        assertEquals(100, f.routeMetric(), "documented default");
        assertEquals(3, f.probeDown());
    }

    @Test
    void failoverProbesAreIpv4AndIpv6AddressesJudgedKOfN() throws Exception {
        Xl2tpdConfig c = Xl2tpdConfigParser.parse("""
                [lac aaisp]
                lns = 198.51.100.1
                [failover aaisp]
                primary = pppoe-aaisp
                probe = 203.0.113.7 2001:db8::7  198.51.100.53
                probe reliability = 2
                """, "p.conf");
        Xl2tpdConfig.Failover f = c.failovers().get("aaisp");
        assertEquals(java.util.List.of(java.net.InetAddress.getByName("203.0.113.7"), java.net.InetAddress.getByName("2001:db8::7"),
                java.net.InetAddress.getByName("198.51.100.53")), f.probes());
        assertEquals(2, f.probeReliability());
        Xl2tpdConfig.Failover none = Xl2tpdConfigParser.parse("[lac a]\nlns = 198.51.100.1\n[failover a]\nprimary = eth0\n", "n.conf")
                .failovers().get("a");
        assertTrue(none.probes().isEmpty());
        assertEquals(1, none.probeReliability(), "mwan3's default");
    }

    /** Issue 14: {@code standby = warm} keeps the tunnel up over the backup; cold (nothing until a failure) is the default. */
    @Test
    void standbyIsColdUnlessWarmIsAsked() throws Exception {
        String base = "[lac a]\nlns = 198.51.100.1\n[failover a]\nprimary = eth0\nbackup = wwan0\n";
        assertFalse(Xl2tpdConfigParser.parse(base, "c.conf").failovers().get("a").warmStandby(), "cold by default");
        assertFalse(Xl2tpdConfigParser.parse(base + "standby = cold\n", "c.conf").failovers().get("a").warmStandby());
        Xl2tpdConfig warm = Xl2tpdConfigParser.parse(base + "standby = Warm\n", "w.conf");
        assertTrue(warm.failovers().get("a").warmStandby());
        assertTrue(warm.warnings().isEmpty(), "a known key: " + warm.warnings());
    }

    @Test
    void proxyAuthIsOnUnlessTurnedOff() throws Exception {
        String base = "[lac a]\nlns = 198.51.100.1\n";
        assertTrue(Xl2tpdConfigParser.parse(base, "p.conf").lacs().get("a").proxyAuth(),
                "on by default: an LNS that ignores the AVPs loses nothing (docs/ppp-auth.md)");
        Xl2tpdConfig off = Xl2tpdConfigParser.parse(base + "proxy auth = no\n", "p.conf");
        assertFalse(off.lacs().get("a").proxyAuth());
        assertTrue(off.warnings().isEmpty(), off.warnings().toString());
        BadConfigException e = assertThrows(BadConfigException.class,
                () -> Xl2tpdConfigParser.parse(base + "proxy auth = maybe\n", "p.conf"));
        assertTrue(e.getMessage().contains("proxy auth"), e.getMessage());
    }

    @Test
    void unknownAndIneffectiveKeysWarnWithFileAndLine() throws Exception {
        Xl2tpdConfig c = Xl2tpdConfigParser.parse("""
                [global]
                ipsec saref = no
                [lac x]
                lns = 198.51.100.1
                frobnicate = 3
                [lns default]
                ip range = 198.51.100.2-198.51.100.9
                """, "w.conf");
        assertTrue(c.warnings().stream().anyMatch(w -> w.startsWith("w.conf:2: [global] ipsec saref")), c.warnings().toString());
        assertTrue(c.warnings().stream().anyMatch(w -> w.startsWith("w.conf:5: [lac x] unknown key \"frobnicate\"")), c.warnings().toString());
        assertTrue(c.warnings().stream().anyMatch(w -> w.startsWith("w.conf:6: [lns default]")), c.warnings().toString());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "bad-number.conf|bad-number.conf:8: [lac aaisp] redial timeout: \"ten\" is not a number",
        "bad-boolean.conf|bad-boolean.conf:3: [lac aaisp] redial: \"perhaps\" is not yes or no",
        "bad-range.conf|bad-range.conf:2: [global] max retries: 0 is out of range (1..1000)",
        "bad-missing-lns.conf|bad-missing-lns.conf:1: [lac aaisp] lns: missing: the LNS to dial",
        "bad-port.conf|bad-port.conf:2: [lac aaisp] lns: port 70000 is out of range (1..65535)",
        "bad-outside-section.conf|bad-outside-section.conf:1: lns: setting outside any section",
        "bad-header.conf|bad-header.conf:1: section header without ']': [lac aaisp",
        "bad-section.conf|bad-section.conf:1: [router] unknown section type (expected global, lac NAME, lns NAME or failover NAME)",
        "bad-twice.conf|bad-twice.conf:3: [lac a] defined twice",
        "bad-failover-lac.conf|bad-failover-lac.conf:1: [failover aaisp] no [lac aaisp] section to dial",
        "bad-probe.conf|bad-probe.conf:5: [failover aaisp] probe: \"probe.example\" is not an IPv4 or IPv6 address (the probe is an ICMP echo through the primary)",
        "bad-probe-reliability.conf|bad-probe-reliability.conf:6: [failover aaisp] probe reliability: 3 is more than the 2 probe addresses",
        "bad-interface.conf|bad-interface.conf:4: [failover aaisp] primary: \"pppoe-aaisp-is-far-too-long\" is 27 octets; Linux allows at most 15 (IFNAMSIZ)",
        "bad-same-link.conf|bad-same-link.conf:5: [failover aaisp] backup: \"wan\" is the primary link too",
        "bad-standby.conf|bad-standby.conf:6: [failover aaisp] standby: \"hot\" is not cold or warm",
        "bad-cap.conf|bad-cap.conf:2: [global] cap backoff: 4 is out of range (8..3600)",
        "bad-syntax.conf|bad-syntax.conf:3: [lac aaisp] expected 'key = value': this line has no equals sign"})
    void eachBrokenValueStopsWithFileLineSectionKeyAndReason(String resource, String message) throws Exception {
        String text;
        try (InputStream in = getClass().getResourceAsStream(resource)) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        BadConfigException e = assertThrows(BadConfigException.class, () -> Xl2tpdConfigParser.parse(text, resource));
        assertEquals(message, e.getMessage());
    }

    /** Issue 11 row 12: "cannot read: Input length = 3" named neither the line nor the problem. */
    @Test
    void binaryAndNonUtf8FilesSayWhichLine(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path latin1 = dir.resolve("latin1.conf");
        java.nio.file.Files.write(latin1, "[global]\n; caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        BadConfigException e = assertThrows(BadConfigException.class, () -> Xl2tpdConfigParser.parse(latin1));
        assertEquals(latin1 + ":2: not UTF-8 text (octet 0xe9); save the file as UTF-8 (or ASCII)", e.getMessage());
        Path binary = dir.resolve("binary.conf");
        java.nio.file.Files.write(binary, new byte[] {'[', 'g', ']', '\n', 0x7f, 'E', 'L', 'F', 0, 1});
        e = assertThrows(BadConfigException.class, () -> Xl2tpdConfigParser.parse(binary));
        assertEquals(binary + ":2: a NUL octet: this is a binary file, not an xl2tpd.conf", e.getMessage());
        e = assertThrows(BadConfigException.class, () -> Xl2tpdConfigParser.parse(dir.resolve("absent.conf")));
        assertEquals(dir.resolve("absent.conf") + ":0: no such file", e.getMessage());
    }

    /**
     * Issue 11 (found by ConfigFuzzTest#xl2tpdConf): "lns = []" named no host and dialled an
     * empty name (loopback); a NUL in a path value threw InvalidPathException out of the parser.
     */
    @Test
    void emptyLnsHostAndNulInPathsAreConfigErrors() {
        BadConfigException e = assertThrows(BadConfigException.class,
                () -> Xl2tpdConfigParser.parse("[lac aaisp]\nlns = []:1701\n", "x.conf"));
        assertEquals("x.conf:2: [lac aaisp] lns: \"[]:1701\": no host name or address", e.getMessage());
        e = assertThrows(BadConfigException.class,
                () -> Xl2tpdConfigParser.parse("[global]\nauth file = /etc/a\u0000b\n", "x.conf"));
        assertEquals(2, e.line());
        assertEquals("auth file", e.key());
        e = assertThrows(BadConfigException.class,
                () -> Xl2tpdConfigParser.parse("[lac aaisp]\nlns = h\npppoptfile = /etc/a\u0000b\n", "x.conf"));
        assertEquals(3, e.line());
        assertEquals("pppoptfile", e.key());
    }

    /** Issue 11 row 12: a 5 MB value was echoed whole; control characters went out raw. */
    @Test
    void hugeAndHostileValuesAreCutAndEscapedInMessages() {
        String huge = "x".repeat(5_000_000);
        BadConfigException e = assertThrows(BadConfigException.class,
                () -> Xl2tpdConfigParser.parse("[lac a]\nlns = h\nredial = " + huge + "\n", "big.conf"));
        assertEquals("big.conf:3: [lac a] redial: \"" + "x".repeat(64) + "…(5000000 characters)\" is not yes or no", e.getMessage());
        e = assertThrows(BadConfigException.class,
                () -> Xl2tpdConfigParser.parse("[lac a]\nlns = h\nredial = \u001b[2J\n", "esc.conf"));
        assertEquals("esc.conf:3: [lac a] redial: \"\\x1b[2J\" is not yes or no", e.getMessage());
    }

    /** Issue 11 row 12: 200 000 unknown keys printed 200 000 warnings. */
    @Test
    void warningsAreCappedWithASummary() throws Exception {
        StringBuilder sb = new StringBuilder("[lac a]\nlns = h\n");
        for (int i = 0; i < 200_000; i++) {
            sb.append("unknown").append(i).append(" = 1\n");
        }
        Xl2tpdConfig c = Xl2tpdConfigParser.parse(sb.toString(), "many.conf");
        assertEquals(200_000, c.warningCount());
        assertEquals(Xl2tpdConfigParser.MAX_WARNINGS + 1, c.warnings().size());
        assertEquals("many.conf: 199950 more warnings not shown (200000 in all)", c.warnings().get(c.warnings().size() - 1));
        assertTrue(c.warnings().get(0).startsWith("many.conf:3: [lac a] unknown key \"unknown0\""), c.warnings().get(0));
    }

    /** Issue 12: [global] listen-addr and port were parsed and ignored; now they give the LACs' bind address. */
    @Test
    void listenAddrAndPortGiveTheLocalAddress() throws Exception {
        Xl2tpdConfig c = Xl2tpdConfigParser.parse("[global]\nlisten-addr = 203.0.113.5\nport = 1702\n[lac a]\nlns = h\n"
                + "[lac b]\nlns = h\nlocal port = 5000\n", "l.conf");
        assertEquals(new java.net.InetSocketAddress("203.0.113.5", 1702), c.localAddress(c.lacs().get("a")));
        assertEquals(new java.net.InetSocketAddress("203.0.113.5", 5000), c.localAddress(c.lacs().get("b")), "local port wins");
        Xl2tpdConfig d = Xl2tpdConfigParser.parse("[lac a]\nlns = h\n", "d.conf");
        assertEquals(new java.net.InetSocketAddress(0), d.localAddress(d.lacs().get("a")), "default: any address, ephemeral port");
        BadConfigException e = assertThrows(BadConfigException.class,
                () -> Xl2tpdConfigParser.parse("[global]\nlisten-addr = router.example\n", "n.conf"));
        assertEquals("n.conf:2: [global] listen-addr: \"router.example\" is not an IP address", e.getMessage());
    }

    /** Issue 12: xl2tpd's debug keys and [lac] require pap/chap/authentication, refuse authentication. */
    @Test
    void debugKeysAndAuthenticationKeys() throws Exception {
        Xl2tpdConfig c = Xl2tpdConfigParser.parse("""
                [global]
                debug avp = yes
                debug tunnel = yes
                debug state = no
                [lac a]
                lns = h
                require pap = yes
                require chap = no
                refuse authentication = yes
                require authentication = yes
                """, "k.conf");
        assertEquals(List.of("io.jl2tp.l2tp.transport", "io.jl2tp.l2tp.tunnel", "io.jl2tp.l2tp.wire"), c.global().debugLoggers());
        assertTrue(c.warnings().stream().anyMatch(w -> w.startsWith("k.conf:7: [lac a] require pap = yes: has no effect")),
                c.warnings().toString());
        assertTrue(c.warnings().stream().anyMatch(w -> w.startsWith("k.conf:10: [lac a] require authentication = yes: has no effect")),
                c.warnings().toString());
        assertEquals(2, c.warningCount(), "require chap = no and refuse authentication = yes mean what jl2tp does: "
                + c.warnings());
    }

    /** docs/compat.md "## xl2tpd.conf": every key of xl2tpd 1.3 is read into a setting or warned about at its line. */
    @Test
    void everyXl2tpdKeyIsReadOrWarnedAboutAtItsLine() throws Exception {
        Xl2tpdConfig c = Xl2tpdConfigParser.parse("""
                [global]
                access control = no
                ipsec saref = no
                saref refinfo = 30
                force userspace = yes
                rand source = dev
                hello interval = 30
                cap backoff = 16
                [lac a]
                lns = 198.51.100.1:1702
                autodial = yes
                redial = yes
                redial timeout = 7
                max redials = 4
                local ip = 198.51.100.9
                remote ip = 198.51.100.10
                defaultroute = yes
                length bit = yes
                hidden bit = yes
                refuse pap = yes
                refuse chap = yes
                name = alice
                hostname = router1
                ppp debug = yes
                pass peer = yes
                tunnel rws = 4
                call rws = 4
                flow bit = yes
                challenge = yes
                tx bps = 1
                rx bps = 1
                bps = 1
                exclusive = yes
                [lns default]
                ip range = 198.51.100.2-198.51.100.9
                """, "all.conf");
        Xl2tpdConfig.Global g = c.global();
        assertEquals(30, g.helloInterval());
        assertEquals(16, g.capBackoff());
        Xl2tpdConfig.Lac a = c.lacs().get("a");
        assertEquals(1702, a.lnsPort());
        assertTrue(a.autodial() && a.redial() && a.defaultRoute() && a.lengthBit() && a.hiddenBit() && a.refusePap()
                && a.refuseChap() && a.flowBit() && a.challenge());
        assertEquals(7, a.redialTimeout());
        assertEquals(4, a.maxRedials());
        assertEquals("alice", a.user());
        assertEquals("router1", a.hostname());
        assertEquals(4, a.tunnelRws());
        List<String> warned = List.of("2: [global] access control", "3: [global] ipsec saref", "4: [global] saref refinfo",
                "5: [global] force userspace", "6: [global] rand source", "15: [lac a] local ip", "16: [lac a] remote ip",
                "24: [lac a] ppp debug", "25: [lac a] pass peer", "27: [lac a] call rws", "30: [lac a] tx bps",
                "31: [lac a] rx bps", "32: [lac a] bps", "33: [lac a] exclusive", "34: [lns default]");
        for (String w : warned) {
            assertTrue(c.warnings().stream().anyMatch(x -> x.startsWith("all.conf:" + w)), w + " in " + c.warnings());
        }
        assertEquals(warned.size(), c.warningCount(), c.warnings().toString());
    }
}
