package io.jl2tp.app.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jl2tp.ppp.fsm.CpConfig;
import io.jl2tp.ppp.options.AuthPolicy;
import io.jl2tp.ppp.options.AuthSettings;
import io.jl2tp.ppp.options.IpcpSettings;
import io.jl2tp.ppp.options.Ipv6cpSettings;
import io.jl2tp.ppp.options.LcpSettings;
import io.jl2tp.ppp.options.OptionWarning;
import io.jl2tp.ppp.options.PppConfigException;
import io.jl2tp.ppp.options.PppSettings;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** pppd options files: the seed, every knob, includes, unknown options, one test per failure reason. */
class PppdOptionsParserTest {

    static Path res(String name) throws Exception {
        return Path.of(PppdOptionsParserTest.class.getResource("pppd/" + name).toURI());
    }

    static PppdOptions text(String text) throws Exception {
        return new PppdOptionsParser().parseText(text, "o", Path.of("."));
    }

    static List<String> warned(PppdOptions o) {
        return o.warnings().stream().map(w -> w.option() + ":" + w.line()).toList();
    }

    @Test
    void seedOptionsParse() throws Exception {
        PppdOptions o = PppdOptions.parse(res("seed.options"));
        assertTrue(o.ppp().ipv6cp().enabled());
        assertTrue(o.ppp().ipv6cp().useIpaddr());
        assertEquals(Optional.of("<USERNAME>"), o.ppp().auth().name());
        assertFalse(o.ppp().auth().auth());
        assertEquals(Optional.of("l2tp-aaisp"), o.app().ifname());
        assertEquals(List.of(), o.warnings());
        // everything else keeps pppd's defaults
        assertEquals(PppSettings.builder().ipv6cp(v -> v.enabled(true).useIpaddr(true)).auth(a -> a.name("<USERNAME>"))
                .build(), o.ppp());
        assertEquals(PppdAppOptions.builder().ifname("l2tp-aaisp").build(), o.app());
    }

    @Test
    void defaultsAreThoseOfPppd() {
        assertEquals(new CpConfig(Duration.ofSeconds(3), 10, 3, 10), LcpSettings.DEFAULTS.timers());
        assertEquals(CpConfig.PPPD, IpcpSettings.DEFAULTS.timers());
        assertEquals(CpConfig.PPPD, Ipv6cpSettings.DEFAULTS.timers());
        AuthSettings a = AuthSettings.DEFAULTS;
        assertEquals(List.of(3, 10, 0, 3, 10, 30), List.of(a.chapRestart(), a.chapMaxChallenge(), a.chapInterval(),
                a.papRestart(), a.papMaxAuthreq(), a.papTimeout()));
        assertFalse(a.auth());
        PppdAppOptions app = PppdAppOptions.DEFAULTS;
        assertEquals(30, app.holdoff());
        assertEquals(10, app.maxfail());
        assertFalse(app.persist());
        assertTrue(IpcpSettings.DEFAULTS.enabled());
        assertFalse(Ipv6cpSettings.DEFAULTS.enabled());
        assertTrue(LcpSettings.DEFAULTS.pcomp() && LcpSettings.DEFAULTS.accomp() && LcpSettings.DEFAULTS.magic());
    }

    @Test
    void everyKnob() throws Exception {
        PppdOptions o = PppdOptions.parse(res("full.options"));
        LcpSettings lcp = o.ppp().lcp();
        AuthSettings auth = o.ppp().auth();
        IpcpSettings ipcp = o.ppp().ipcp();
        Ipv6cpSettings v6 = o.ppp().ipv6cp();
        PppdAppOptions app = o.app();
        assertTrue(ipcp.acceptLocal() && ipcp.acceptRemote());
        assertTrue(auth.refuseEap() && auth.refusePap() && !auth.refuseChap());
        assertTrue(auth.requireMschapV2() && auth.auth());
        assertFalse(lcp.pcomp() || lcp.accomp());
        assertEquals(OptionalInt.of(1410), lcp.mtu());
        assertEquals(OptionalInt.of(1410), lcp.mru());
        assertTrue(app.defaultRoute() && app.replaceDefaultRoute() && ipcp.usePeerDns() && app.debug());
        assertEquals(OptionalInt.of(200), app.defaultRouteMetric());
        assertEquals(Optional.of("jl2tp host"), auth.name());
        assertEquals(Optional.of("alice@example.net"), auth.user());
        assertEquals(Optional.of("lns one"), auth.remotename());
        assertEquals("pass word", auth.password().orElseThrow().reveal());
        assertEquals(Optional.of("aaisp"), app.ipparam());
        assertTrue(app.persist());
        assertEquals(0, app.maxfail());
        assertEquals(8, app.holdoff());
        assertEquals(20, lcp.echoInterval());
        assertEquals(4, lcp.echoFailure());
        assertTrue(lcp.echoAdaptive());
        assertEquals(new CpConfig(Duration.ofSeconds(2), 12, 4, 7), lcp.timers());
        assertEquals(new CpConfig(Duration.ofSeconds(4), 11, 5, 9), ipcp.timers());
        assertEquals(new CpConfig(Duration.ofSeconds(6), 13, 2, 8), v6.timers());
        assertEquals(List.of(600, 5, 6), List.of(auth.chapInterval(), auth.chapRestart(), auth.chapMaxChallenge()));
        assertEquals(List.of(7, 3, 0), List.of(auth.papRestart(), auth.papMaxAuthreq(), auth.papTimeout()));
        assertEquals(List.of(InetAddress.getByName("203.0.113.53"), InetAddress.getByName("203.0.113.54")), ipcp.msDns());
        assertTrue(v6.enabled());
        assertEquals(OptionalLong.of(1), v6.localId());
        assertTrue(v6.acceptLocal());
        assertEquals(Optional.of(InetAddress.getByName("198.51.100.1")), ipcp.localIp().map(a -> a));
        assertEquals(Optional.of(InetAddress.getByName("198.51.100.2")), ipcp.remoteIp().map(a -> a));
        assertEquals(Optional.of("ppp-l2tp"), app.ifname(), "backslash-newline continues the line");
        // Known options without their pppd effect: each warned at its own line.
        assertEquals(List.of("idle:15", "kdebug:23", "lock:24", "connect-delay:25", "updetach:59", "ipv6:61"), warned(o));
    }

    @Test
    void passwordIsNeverPrinted() throws Exception {
        PppdOptions o = PppdOptions.parse(res("full.options"));
        assertFalse(o.toString().contains("pass word"), o.toString());
        assertTrue(o.toString().contains("password=***"));
    }

    @Test
    void includesAreFollowedInOrderRelativeToTheIncludingFile() throws Exception {
        PppdOptions o = PppdOptions.parse(res("include-main.options"));
        assertEquals(OptionalInt.of(1400), o.ppp().lcp().mtu());
        assertEquals(Optional.of("after-include"), o.ppp().auth().name(), "later options win");
        assertEquals(Optional.of("from-include"), o.app().ipparam());
        assertEquals(15, o.ppp().lcp().echoInterval(), "nested include");
    }

    @Test
    void includeCycleIsAnError() throws Exception {
        PppConfigException e = assertThrows(PppConfigException.class, () -> PppdOptions.parse(res("cycle-a.options")));
        assertTrue(e.file().endsWith("cycle-b.options"), e.getMessage());
        assertEquals(2, e.line());
        assertEquals("file", e.option());
        assertTrue(e.reason().startsWith("include cycle: "), e.getMessage());
        assertTrue(e.reason().endsWith("cycle-a.options"), e.getMessage());
    }

    @Test
    void unknownOptionsWarnWithFileAndLineAndAreKept() throws Exception {
        PppdOptions o = PppdOptions.parse(res("unknown.options"));
        assertFalse(o.ppp().auth().auth());
        // A bare number is a serial speed to pppd (so is the plugin value "3" here): accepted, no effect.
        assertEquals(List.of("plugin:2", "pppol2tp:3", "my-plugin-option:4", "my-plugin-value:5", "3:5", "115200:6",
                "/dev/ttyS0:7"), warned(o));
        OptionWarning w = o.warnings().get(2);
        assertTrue(w.toString().endsWith("unknown.options:4: option 'my-plugin-option': unknown option, ignored"), w.toString());
    }

    /** One test resource per failure reason (like wireguard-android's BadConfigExceptionTest). */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "bad-number.options        | 2 | mtu                 | 'abc' is not a number",
            "bad-range.options         | 3 | mtu                 | value 70000 out of range 128..16384",
            "missing-argument.options  | 2 | name                | missing argument (needs 1)",
            "bad-ifname.options        | 1 | ifname              | \"this-name-is-too-long\" is 21 octets; Linux allows at most 15 (IFNAMSIZ)",
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
        PppConfigException e = assertThrows(PppConfigException.class, () -> PppdOptions.parse(p));
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
        PppConfigException e = assertThrows(PppConfigException.class, () -> PppdOptions.parse(p));
        assertEquals("/nonexistent/options.xl2tpd: options file /nonexistent/options.xl2tpd not found", e.getMessage());
    }

    @Test
    void longPasswordErrorDoesNotShowIt() {
        String pw = "x".repeat(300);
        PppConfigException e = assertThrows(PppConfigException.class,
                () -> new PppdOptionsParser().parseText("password " + pw + "\n", "opts", Path.of(".")));
        assertFalse(e.getMessage().contains(pw));
        assertEquals("opts:1: option 'password': value longer than 255 characters", e.getMessage());
    }

    @Test
    void xl2tpdStyleArguments() throws Exception {
        // xl2tpd (kernel mode) runs: pppd plugin pppol2tp.so pppol2tp <fd> passive nodetach : file <opt> ipparam <peer>
        PppdOptions o = new PppdOptionsParser().parseArguments(PppdOptions.DEFAULTS,
                List.of("plugin", "pppol2tp.so", "pppol2tp", "7", "passive", "nodetach", ":", "ipparam", "194.4.172.12"));
        assertEquals(Optional.of("194.4.172.12"), o.app().ipparam());
        assertEquals(List.of("plugin", "pppol2tp", "passive"), o.warnings().stream().map(OptionWarning::option).toList());
    }

    @Test
    void callReadsThePeersDirectory(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        java.nio.file.Files.createDirectories(dir.resolve("isp"));
        java.nio.file.Files.writeString(dir.resolve("isp/aaisp"), "name from-peers-file\n");
        PppdOptions o = new PppdOptionsParser(dir).parseText("call isp/aaisp\n", "o", Path.of("."));
        assertEquals(Optional.of("from-peers-file"), o.ppp().auth().name());
        PppConfigException e = assertThrows(PppConfigException.class,
                () -> new PppdOptionsParser(dir).parseText("call /etc/passwd\n", "o", Path.of(".")));
        assertEquals("call", e.option());
        e = assertThrows(PppConfigException.class,
                () -> new PppdOptionsParser(dir).parseText("call isp/../../x\n", "o", Path.of(".")));
        assertEquals("'isp/../../x' may not contain .. or start with /", e.reason());
    }

    @Test
    void laterOptionsOverrideEarlierOnes() throws Exception {
        PppdOptions o = text("require-pap\nnoauth\ndefaultroute\nnodefaultroute\n+ipv6\nnoipv6\nname a\nname b\n");
        assertFalse(o.ppp().auth().auth());
        assertTrue(o.ppp().auth().requirePap());
        assertFalse(o.app().defaultRoute());
        assertFalse(o.ppp().ipv6cp().enabled());
        assertEquals(Optional.of("b"), o.ppp().auth().name());
        assertTrue(AuthPolicy.authenticatorMethods(o.ppp().auth()).isEmpty(), "noauth after require-pap: pppd asks nothing");
    }

    @Test
    void quotingEscapesAndComments() throws Exception {
        PppdOptions o = text("name 'my host' # comment\nremotename \"lns\\x41\"\nipparam a\\ b\nuser \\\n  bob\n");
        assertEquals(Optional.of("my host"), o.ppp().auth().name());
        assertEquals(Optional.of("lnsA"), o.ppp().auth().remotename());
        assertEquals(Optional.of("a b"), o.app().ipparam());
        assertEquals(Optional.of("bob"), o.ppp().auth().user());
    }

    /** Issue 12: options parsed and dropped before are now the application's settings. */
    @Test
    void redialLinknameDebugAndReplacedefaultrouteReachTheApplication() throws Exception {
        PppdOptions o = text("persist\nmaxfail 3\nholdoff 5\nlinkname aaisp\ndebug\nreplacedefaultroute\n");
        assertEquals(PppdAppOptions.builder().persist(true).maxfail(3).holdoff(5).linkname("aaisp").debug(true)
                .replaceDefaultRoute(true).build(), o.app());
        assertEquals(List.of(), o.warnings());
        assertFalse(text("persist\nnopersist\ndebug\nnodebug\nreplacedefaultroute\nnoreplacedefaultroute").app().persist());
        PppConfigException e = assertThrows(PppConfigException.class, () -> text("\nlinkname ../etc\n"));
        assertEquals("o:2: option 'linkname': '../etc' is not a valid link name (1..255 characters, no '/')", e.getMessage());
    }

    /** Issue 12: options without effect in jl2tp are warned about, each at its own line (zero-argument ones too). */
    @Test
    void optionsWithoutEffectWarnAtTheirOwnLine() throws Exception {
        PppdOptions o = text("noauth\nconnect-delay 500\nipv6cp-use-persistent\nipv6cp-accept-remote\nunit 2\nlock\n"
                + "crtscts\n");
        assertEquals(List.of("connect-delay:2", "ipv6cp-use-persistent:3", "ipv6cp-accept-remote:4", "unit:5", "lock:6",
                "crtscts:7"), warned(o));
        assertEquals("o:3: option 'ipv6cp-use-persistent': not supported by jl2tp: the interface identifier comes from "
                + "'ipv6 <local>,', ipv6cp-use-ipaddr or is random", o.warnings().get(1).toString());
    }

    /** Issue 12: require-mppe must not bring the link up unencrypted: the options file is refused, naming the line. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"require-mppe", "require-mppe-128", "require-mppe-40", "+mppe", "mppe required,stateless"})
    void requireMppeIsRefused(String option) {
        PppConfigException e = assertThrows(PppConfigException.class, () -> text("noauth\n" + option + "\n"));
        assertEquals(2, e.line());
        assertEquals(option.split(" ")[0], e.option());
        assertTrue(e.reason().startsWith("MPPE encryption is not implemented by jl2tp"), e.getMessage());
    }

    @Test
    void mppeNotRequiredAndNomppeAreAccepted() throws Exception {
        assertEquals(List.of(), text("nomppe\nrefuse-mppe\nnoccp\n").warnings());
        assertEquals(List.of("mppe:1"), warned(text("mppe stateless\n")));
    }

    @Test
    void aFileThatIsNotUtf8IsReadAsOctetsAsPppdDoes(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path f = dir.resolve("latin1.options");
        java.nio.file.Files.write(f, "name caf\u00e9\nnoauth\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        PppdOptions o = PppdOptions.parse(f);
        assertTrue(o.ppp().auth().name().orElseThrow().startsWith("caf"));
    }
}
