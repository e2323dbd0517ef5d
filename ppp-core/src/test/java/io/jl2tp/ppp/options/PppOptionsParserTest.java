package io.jl2tp.ppp.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** pppd options files: the seed, every knob, includes, unknown options, one test per failure reason. */
class PppOptionsParserTest {

    static Path res(String name) throws Exception {
        return Path.of(PppOptionsParserTest.class.getResource(name).toURI());
    }

    @Test
    void seedOptionsParse() throws Exception {
        PppOptions o = PppOptions.parse(res("seed.options"));
        assertTrue(o.ipv6());
        assertTrue(o.ipv6cpUseIpaddr());
        assertEquals(Optional.of("<USERNAME>"), o.name());
        assertFalse(o.auth());
        assertEquals(Optional.of("l2tp-aaisp"), o.ifname());
        assertEquals(List.of(), o.unknown());
        assertEquals(List.of(), o.ignored());
        // everything else keeps pppd's defaults
        assertEquals(PppOptions.DEFAULTS.toBuilder().ipv6(true).ipv6cpUseIpaddr(true).name("<USERNAME>")
                .ifname("l2tp-aaisp").build(), o);
    }

    @Test
    void defaultsAreThoseOfPppd() {
        PppOptions d = PppOptions.DEFAULTS;
        assertEquals(3, d.lcpRestart());
        assertEquals(10, d.lcpMaxConfigure());
        assertEquals(10, d.lcpMaxFailure());
        assertEquals(3, d.lcpMaxTerminate());
        assertEquals(3, d.chapRestart());
        assertEquals(10, d.chapMaxChallenge());
        assertEquals(0, d.chapInterval());
        assertEquals(3, d.papRestart());
        assertEquals(10, d.papMaxAuthreq());
        assertEquals(30, d.holdoff());
        assertEquals(10, d.maxfail());
        assertEquals(1000, d.connectDelay());
        assertTrue(d.ip());
        assertFalse(d.ipv6());
        assertFalse(d.auth());
    }

    @Test
    void everyKnob() throws Exception {
        PppOptions o = PppOptions.parse(res("full.options"));
        assertTrue(o.ipcpAcceptLocal() && o.ipcpAcceptRemote());
        assertTrue(o.refuseEap() && o.refusePap() && !o.refuseChap());
        assertTrue(o.requireMschapV2() && o.auth());
        assertTrue(o.noCcp() && o.noBsdComp() && o.noDeflate() && o.noVj() && o.noVjCcomp());
        assertTrue(o.noPcomp() && o.noAccomp());
        assertEquals(OptionalInt.of(1410), o.mtu());
        assertEquals(OptionalInt.of(1410), o.mru());
        assertTrue(o.defaultRoute() && o.replaceDefaultRoute() && o.usePeerDns() && o.debug() && o.lock());
        assertEquals(OptionalInt.of(200), o.defaultRouteMetric());
        assertEquals(1, o.kdebug());
        assertEquals(5000, o.connectDelay());
        assertEquals(Optional.of("jl2tp host"), o.name());
        assertEquals(Optional.of("alice@example.net"), o.user());
        assertEquals(Optional.of("lns one"), o.remotename());
        assertEquals("pass word", o.password().orElseThrow().reveal());
        assertEquals(Optional.of("aaisp"), o.ipparam());
        assertTrue(o.persist());
        assertEquals(0, o.maxfail());
        assertEquals(8, o.holdoff());
        assertEquals(20, o.lcpEchoInterval());
        assertEquals(4, o.lcpEchoFailure());
        assertTrue(o.lcpEchoAdaptive());
        assertEquals(List.of(2, 12, 7, 4), List.of(o.lcpRestart(), o.lcpMaxConfigure(), o.lcpMaxFailure(), o.lcpMaxTerminate()));
        assertEquals(List.of(4, 11, 9, 5), List.of(o.ipcpRestart(), o.ipcpMaxConfigure(), o.ipcpMaxFailure(), o.ipcpMaxTerminate()));
        assertEquals(List.of(6, 13, 8, 2),
                List.of(o.ipv6cpRestart(), o.ipv6cpMaxConfigure(), o.ipv6cpMaxFailure(), o.ipv6cpMaxTerminate()));
        assertEquals(List.of(600, 5, 6), List.of(o.chapInterval(), o.chapRestart(), o.chapMaxChallenge()));
        assertEquals(List.of(7, 3, 0), List.of(o.papRestart(), o.papMaxAuthreq(), o.papTimeout()));
        assertEquals(List.of(InetAddress.getByName("203.0.113.53"), InetAddress.getByName("203.0.113.54")), o.msDns());
        assertTrue(o.noIpDefault() && o.nodetach() && o.updetach());
        assertTrue(o.ipv6());
        assertEquals(OptionalLong.of(1), o.ipv6LocalId());
        assertEquals(OptionalLong.of(0xdeadbeefL), o.ipv6RemoteId());
        assertTrue(o.ipv6cpAcceptLocal());
        assertEquals(Optional.of(InetAddress.getByName("198.51.100.1")), o.localIp().map(a -> a));
        assertEquals(Optional.of(InetAddress.getByName("198.51.100.2")), o.remoteIp().map(a -> a));
        assertEquals(Optional.of("ppp-l2tp"), o.ifname(), "backslash-newline continues the line");
        assertEquals(List.of(), o.unknown());
        assertEquals(1, o.ignored().size());
        assertEquals("idle", o.ignored().get(0).option());
        assertEquals(15, o.ignored().get(0).line());
    }

    @Test
    void passwordIsNeverPrinted() throws Exception {
        PppOptions o = PppOptions.parse(res("full.options"));
        assertFalse(o.toString().contains("pass word"), o.toString());
        assertTrue(o.toString().contains("password=***"));
    }

    @Test
    void includesAreFollowedInOrderRelativeToTheIncludingFile() throws Exception {
        PppOptions o = PppOptions.parse(res("include-main.options"));
        assertEquals(OptionalInt.of(1400), o.mtu());
        assertEquals(Optional.of("after-include"), o.name(), "later options win");
        assertEquals(Optional.of("from-include"), o.ipparam());
        assertEquals(15, o.lcpEchoInterval(), "nested include");
    }

    @Test
    void includeCycleIsAnError() throws Exception {
        PppConfigException e = assertThrows(PppConfigException.class, () -> PppOptions.parse(res("cycle-a.options")));
        assertTrue(e.file().endsWith("cycle-b.options"), e.getMessage());
        assertEquals(2, e.line());
        assertEquals("file", e.option());
        assertTrue(e.reason().startsWith("include cycle: "), e.getMessage());
        assertTrue(e.reason().endsWith("cycle-a.options"), e.getMessage());
    }

    @Test
    void unknownOptionsWarnWithFileAndLineAndAreKept() throws Exception {
        PppOptions o = PppOptions.parse(res("unknown.options"));
        assertFalse(o.auth());
        assertEquals(List.of("my-plugin-option:4", "my-plugin-value:5"),
                o.unknown().stream().map(w -> w.option() + ":" + w.line()).toList());
        assertTrue(o.unknown().get(0).toString().endsWith("unknown.options:4: option 'my-plugin-option': unknown option, ignored"),
                o.unknown().get(0).toString());
        // A bare number is a serial speed to pppd (so is the plugin value "3" here): accepted, no effect.
        assertEquals(List.of("plugin", "pppol2tp", "3", "115200", "/dev/ttyS0"),
                o.ignored().stream().map(OptionWarning::option).toList());
    }

    /** One test resource per failure reason (like wireguard-android's BadConfigExceptionTest). */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "bad-number.options        | 2 | mtu                 | 'abc' is not a number",
            "bad-range.options         | 3 | mtu                 | value 70000 out of range 128..16384",
            "missing-argument.options  | 2 | name                | missing argument (needs 1)",
            "bad-ifname.options        | 1 | ifname              | 'this-name-is-too-long' is not a valid interface name (1..15 characters, no '/', ':' or spaces)",
            "bad-local-remote.options  | 1 | 10.0.0.1:10.0.0.300 | bad remote IP address '10.0.0.300' (a literal IPv4 address is required)",
            "bad-ipv6-id.options       | 1 | ipv6                | illegal interface identifier (local): '2001:db8::1' (write it like ::1 or ::dead:beef, non-zero, upper 64 bits zero)",
            "missing-include.options   | 2 | file                | MISSING",
            "unterminated-quote.options| 1 |                     | unterminated double quote",
            "bad-lcp-restart.options   | 1 | lcp-restart         | value 0 out of range 1..3600",
            "negative-holdoff.options  | 1 | holdoff             | value -1 out of range 0..86400",
            "bad-ms-dns.options        | 1 | ms-dns              | bad DNS IP address 'dns.example' (a literal IPv4 address is required)",
            "bad-call.options          | 1 | call                | '../etc/passwd' may not contain .. or start with /",
    })
    void badOptions(String resource, int line, String option, String reason) throws Exception {
        Path p = res(resource);
        PppConfigException e = assertThrows(PppConfigException.class, () -> PppOptions.parse(p));
        assertEquals(p.toString(), e.file());
        assertEquals(line, e.line());
        assertEquals(option, e.option());
        if (reason.equals("MISSING")) {
            reason = "options file " + p.getParent().resolve("no-such.options") + " not found";
        }
        assertEquals(reason, e.reason());
        assertEquals(p + ":" + line + ": " + (option == null ? "" : "option '" + option + "': ") + reason, e.getMessage());
    }

    @Test
    void missingTopLevelFile() {
        Path p = Path.of("/nonexistent/options.xl2tpd");
        PppConfigException e = assertThrows(PppConfigException.class, () -> PppOptions.parse(p));
        assertEquals("/nonexistent/options.xl2tpd: options file /nonexistent/options.xl2tpd not found", e.getMessage());
    }

    @Test
    void longPasswordErrorDoesNotShowIt() {
        String pw = "x".repeat(300);
        PppConfigException e = assertThrows(PppConfigException.class,
                () -> new PppOptionsParser().parseText("password " + pw + "\n", "opts", Path.of(".")));
        assertFalse(e.getMessage().contains(pw));
        assertEquals("opts:1: option 'password': value longer than 255 characters", e.getMessage());
    }

    @Test
    void xl2tpdStyleArguments() throws Exception {
        // xl2tpd (kernel mode) runs: pppd plugin pppol2tp.so pppol2tp <fd> passive nodetach : file <opt> ipparam <peer>
        PppOptions o = new PppOptionsParser().parseArguments(PppOptions.DEFAULTS,
                List.of("plugin", "pppol2tp.so", "pppol2tp", "7", "passive", "nodetach", ":", "ipparam", "194.4.172.12"));
        assertTrue(o.nodetach());
        assertEquals(Optional.of("194.4.172.12"), o.ipparam());
        assertEquals(List.of(), o.unknown());
        assertEquals(List.of("plugin", "pppol2tp", "passive"), o.ignored().stream().map(OptionWarning::option).toList());
    }

    @Test
    void callReadsThePeersDirectory(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        java.nio.file.Files.createDirectories(dir.resolve("isp"));
        java.nio.file.Files.writeString(dir.resolve("isp/aaisp"), "name from-peers-file\n");
        PppOptions o = new PppOptionsParser(dir).parseText("call isp/aaisp\n", "o", Path.of("."));
        assertEquals(Optional.of("from-peers-file"), o.name());
        PppConfigException e = assertThrows(PppConfigException.class,
                () -> new PppOptionsParser(dir).parseText("call /etc/passwd\n", "o", Path.of(".")));
        assertEquals("call", e.option());
        e = assertThrows(PppConfigException.class,
                () -> new PppOptionsParser(dir).parseText("call isp/../../x\n", "o", Path.of(".")));
        assertEquals("'isp/../../x' may not contain .. or start with /", e.reason());
    }

    @Test
    void laterOptionsOverrideEarlierOnes() throws Exception {
        PppOptions o = new PppOptionsParser().parseText(
                "require-pap\nnoauth\ndefaultroute\nnodefaultroute\n+ipv6\nnoipv6\nname a\nname b\n", "o", Path.of("."));
        assertFalse(o.auth());
        assertTrue(o.requirePap());
        assertFalse(o.defaultRoute());
        assertFalse(o.ipv6());
        assertEquals(Optional.of("b"), o.name());
        assertTrue(AuthPolicy.authenticatorMethods(o).isEmpty(), "noauth after require-pap: pppd asks nothing");
    }

    @Test
    void quotingEscapesAndComments() throws Exception {
        PppOptions o = new PppOptionsParser().parseText(
                "name 'my host' # comment\nremotename \"lns\\x41\"\nipparam a\\ b\nuser \\\n  bob\n", "o", Path.of("."));
        assertEquals(Optional.of("my host"), o.name());
        assertEquals(Optional.of("lnsA"), o.remotename());
        assertEquals(Optional.of("a b"), o.ipparam());
        assertEquals(Optional.of("bob"), o.user());
    }
}
