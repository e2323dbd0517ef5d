package io.jl2tp.app.harness.conformance;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code jl2tp harness conformance}: its flags; the suite itself runs in the LNS tests. */
class ConformanceCommandTest {

    private record Run(int status, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = new CommandLine(new ConformanceCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute(args);
        return new Run(status, out.toString(), err.toString());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "--user alice|--lns HOST[:PORT] or --lac ADDR[:PORT] is required",
        "--lns 203.0.113.2 --lac 203.0.113.2|--lns and --lac exclude each other",
        "--lac 203.0.113.2:99999|--lac 203.0.113.2:99999: port must be 1-65535",
        "--lac 203.0.113.2 --dial-wait 0|--dial-wait 0: must be from 1 to 3600 seconds",
        "--lac 203.0.113.2 --only hello|--only: no scenario 'hello' (see --list)",
        "--lns 203.0.113.2:0|--lns 203.0.113.2:0: port must be 1-65535",
        "--lns 203.0.113.2:x|--lns 203.0.113.2:x: port must be 1-65535",
        "--lns :1701|--lns :1701: no host",
        "--lns 203.0.113.2 --bogus|unknown argument --bogus",
        "--lns 203.0.113.2 --only hello,nope|--only: no scenario 'nope' (see --list)",
        "--lns 203.0.113.2 --known xl2tpd|--known xl2tpd: no such profile (jl2tp, l2tpns, none)",
        "--lns 203.0.113.2 --reply-timeout 0|--reply-timeout 0: must be from 0.1 to 60 seconds",
        "--lns 203.0.113.2 --reply-timeout soon|--reply-timeout soon: not a number of seconds",
        "--lns 203.0.113.2 --user alice|--user and --password-file go together",
        "--lns 203.0.113.2 --tunnel-secret-file /nonexistent/ts|--tunnel-secret-file: /nonexistent/ts: secrets file not found"})
    void badFlagsStopWithOneLine(String args, String message) {
        Run r = run(args.split(" "));
        assertEquals(2, r.status(), r.err());
        assertEquals("jl2tp harness conformance: " + message + "\n", r.err().replace("\r", ""));
        assertEquals("", r.out());
    }

    @Test
    void listNamesEveryScenarioWithItsClause() {
        Run r = run("--list");
        assertEquals(0, r.status());
        String[] lines = r.out().split("\n");
        assertEquals(ConformanceSuite.scenarios().size() + 7, lines.length);
        assertTrue(r.out().contains("lac-retransmit-backoff RFC 2661 §5.8"), r.out());
        assertTrue(ConformanceSuite.scenarios().size() >= 12);
        assertTrue(r.out().contains("retransmit-backoff     RFC 2661 §5.8"), r.out());
        assertTrue(r.out().contains("ipv6cp-interface-id    RFC 5072 §4.1"), r.out());
    }

    @Test
    void anEmptySecretFileIsRefused(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("ts");
        Files.writeString(f, "\n");
        Files.setPosixFilePermissions(f, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        Run r = run("--lns", "203.0.113.2", "--tunnel-secret-file", f.toString());
        assertEquals(2, r.status());
        assertEquals("jl2tp harness conformance: --tunnel-secret-file " + f + ": empty\n", r.err());
    }
}
