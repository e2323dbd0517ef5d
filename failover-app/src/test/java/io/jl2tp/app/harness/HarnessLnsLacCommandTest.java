package io.jl2tp.app.harness;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code jl2tp harness lns} and {@code jl2tp harness lac}: bad flags are one line and status 2; a real run. */
@Timeout(90)
class HarnessLnsLacCommandTest {

    private record Run(int status, String out, String err) {
    }

    private static Run run(Object command, StringWriter out, String... args) {
        StringWriter err = new StringWriter();
        int status = new CommandLine(command).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
        return new Run(status, out.toString(), err.toString());
    }

    @ParameterizedTest(name = "lns {0}")
    @CsvSource(delimiter = '|', value = {
        "--user alice:x --auth kerberos|jl2tp harness lns: --auth kerberos: expected pap, chap, mschapv2 or none",
        "--auth chap|jl2tp harness lns: no users: give --user NAME:SECRET or --secrets FILE (or --auth none)",
        "--user alice|jl2tp harness lns: --user alice: expected NAME:SECRET",
        "--user alice:x --pool 100.64.0.2+0|jl2tp harness lns: --pool 0: out of range 1-16777216",
        "--user alice:x --pool 2001:db8::1|jl2tp harness lns: --pool 2001:db8::1: not an IPv4 address",
        "--user alice:x --rws 0|jl2tp harness lns: --rws 0: out of range 1-65535",
        "--user alice:x --hello soon|jl2tp harness lns: --hello soon: not an integer",
        "--user alice:x --hidden-avps|jl2tp harness lns: --hidden-avps needs a tunnel secret (RFC 2661 §4.3)",
        "--user alice:x --listen 127.0.0.1:99999|jl2tp harness lns: --listen 127.0.0.1:99999: port out of range",
        "--user alice:x --bogus|jl2tp harness lns: unknown option --bogus (see --help)",
        "--user alice:x --misbehave 'drop control x'|jl2tp harness lns: --misbehave:1: 'x' is not a number (the control message number)",
        "--user alice:x --misbehave withhold-zlb --misbehave 'send fax'|jl2tp harness lns: --misbehave:2: cannot send 'fax' (sli, wen, csurq, hello, unknown-mbit-avp)"})
    void lnsBadFlagsAreOneLineAndStatusTwo(String args, String message) {
        Run r = run(new LnsHarnessCommand(), new StringWriter(), split(args));
        assertEquals(2, r.status(), r.err());
        assertEquals(message + "\n", r.err());
    }

    @ParameterizedTest(name = "lac {0}")
    @CsvSource(delimiter = '|', value = {
        "--tunnels 2|jl2tp harness lac: --lns HOST[:PORT] is required",
        "--lns 127.0.0.1 --tunnels 0|jl2tp harness lac: --tunnels 0: out of range 1-65535",
        "--lns 127.0.0.1 --sessions many|jl2tp harness lac: --sessions many: not an integer",
        "--lns 127.0.0.1 --rate 0|jl2tp harness lac: --rate 0: out of range 1-1000000",
        "--lns 127.0.0.1 --secret a --secret-file /x|jl2tp harness lac: --secret and --secret-file: give one",
        "--lns 127.0.0.1:x|jl2tp harness lac: --lns 127.0.0.1:x: 'x' is not a port number",
        "--lns 127.0.0.1 extra|jl2tp harness lac: unexpected argument extra (see --help)",
        "--lns 127.0.0.1 --loops 0|jl2tp harness lac: --loops 0: out of range 1-256",
        "--lns 127.0.0.1 --max-pending 0|jl2tp harness lac: --max-pending 0: out of range 1-1000000",
        "--lns 127.0.0.1 --pcap lac.pcap --loops 2|jl2tp harness lac: --loops 2: --pcap needs one loop",
        "--lns 127.0.0.1 --bind 127.0.0.1:40000 --loops 2|jl2tp harness lac: --loops 2: --bind with a port needs one loop"})
    void lacBadFlagsAreOneLineAndStatusTwo(String args, String message) {
        Run r = run(new LacHarnessCommand(), new StringWriter(), split(args));
        assertEquals(2, r.status(), r.err());
        assertEquals(message + "\n", r.err());
    }

    @Test
    void loadIsTheLacCommandUnderTheNameTheIssueGivesIt() {
        CommandLine harness = new CommandLine(new HarnessCommand());
        assertTrue(harness.getSubcommands().get("load").getCommand() instanceof LacHarnessCommand);
        Run r = run(new HarnessCommand(), new StringWriter(), "load", "--tunnels", "2");
        assertEquals(2, r.status(), r.err());
        assertEquals("jl2tp harness lac: --lns HOST[:PORT] is required\n", r.err());
    }

    @Test
    void aBadScenarioFileNamesFileAndLine(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("lns.scenario");
        Files.writeString(f, "# maintenance window\ndrop control 3\nafter 5s stopccn result six\n");
        Run r = run(new LnsHarnessCommand(), new StringWriter(), "--user", "a:b", "--scenario", f.toString());
        assertEquals(2, r.status());
        assertEquals("jl2tp harness lns: " + f + ":3: 'six' is not a number (the result code)\n", r.err());
        r = run(new LacHarnessCommand(), new StringWriter(), "--lns", "127.0.0.1", "--scenario", dir.resolve("none").toString());
        assertEquals(2, r.status());
        assertTrue(r.err().startsWith("jl2tp harness lac: " + dir.resolve("none") + ":0: cannot read"), r.err());
        assertEquals(1, r.err().lines().count());
    }

    @Test
    void lacAgainstLnsFromTheCommandLineWithJson() throws Exception {
        StringWriter lnsOut = new StringWriter();
        CompletableFuture<Run> lns = CompletableFuture.supplyAsync(() -> run(new LnsHarnessCommand(), lnsOut, "--listen",
                "127.0.0.1:0", "--user", "alice:s3cret", "--duration", "6s"));
        Matcher m = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)").matcher("");
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!m.reset(lnsOut.toString()).find()) {
            assertTrue(System.nanoTime() < deadline, "the LNS listens: " + lnsOut);
            Thread.sleep(20);
        }
        Run lac = run(new LacHarnessCommand(), new StringWriter(), "--lns", "127.0.0.1:" + m.group(1), "--tunnels", "2",
                "--sessions", "3", "--user", "alice", "--secret", "s3cret", "--json");
        assertEquals(0, lac.status(), lac.out() + lac.err());
        assertTrue(lac.out().startsWith("{\"placed\":6,\"reachedUp\":6,\"upNow\":6,\"failures\":{},\"endedAfterUp\":{},"),
                lac.out());
        assertTrue(lac.out().contains("\"pingsSent\":6,\"pingsAnswered\":6"), lac.out());
        Run done = lns.get();
        assertEquals(0, done.status(), done.err());
        // At exit the LNS prints its status: the six calls were answered and ended when the LAC hung up.
        assertTrue(done.out().contains(" sessions 0/0 echo-answered 6 rx 6/504 tx 6/504 ended {lower-down: call disconnected"
                + " by peer: result 3 (administrative reasons)=6}"), done.out());
    }

    @Test
    void ctlSendsOneCommandThroughTheControlSocket(@TempDir Path dir) throws Exception {
        Path socket = dir.resolve("lns.ctl");
        try (io.jl2tp.app.harness.lns.HarnessLns lns = io.jl2tp.app.harness.lns.HarnessLns.start(
                new io.jl2tp.app.harness.lns.HarnessLnsConfig().user("alice", "s3cret"));
             io.jl2tp.app.harness.session.ControlSocket ctl = io.jl2tp.app.harness.session.ControlSocket.open(socket,
                     lns::command)) {
            Run r = run(new CtlHarnessCommand(), new StringWriter(), "--control", socket.toString(), "status");
            assertEquals(0, r.status(), r.err());
            assertEquals("tunnels 0/0 sessions 0/0 echo-answered 0 rx 0/0 tx 0/0\n", r.out());
            r = run(new CtlHarnessCommand(), new StringWriter(), "--control", socket.toString(), "stopccn", "result", "6");
            assertEquals("ok: 0 tunnels\n", r.out());
            r = run(new CtlHarnessCommand(), new StringWriter(), "--control", socket.toString(), "reboot");
            assertEquals(1, r.status());
            assertTrue(r.out().startsWith("error: unknown directive 'reboot'"), r.out());
            assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
        }
        Run gone = run(new CtlHarnessCommand(), new StringWriter(), "--control", socket.toString(), "status");
        assertEquals(2, gone.status());
        assertEquals(1, gone.err().lines().count(), gone.err());
        assertTrue(gone.err().startsWith("jl2tp harness ctl: " + socket + ": "), gone.err());
    }

    private static String[] split(String args) {
        java.util.List<String> out = new java.util.ArrayList<>();
        Matcher m = Pattern.compile("'([^']*)'|(\\S+)").matcher(args);
        while (m.find()) {
            out.add(m.group(1) != null ? m.group(1) : m.group(2));
        }
        return out.toArray(new String[0]);
    }
}
