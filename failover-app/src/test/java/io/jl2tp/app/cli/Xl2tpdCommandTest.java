package io.jl2tp.app.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code jl2tp xl2tpd --check}: the seed's files as the NixOS module writes them, and broken ones. */
class Xl2tpdCommandTest {

    private record Run(int status, String out, String err) {
    }

    private static Run run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true));
            System.setErr(new PrintStream(e, true));
            int status = Main.commandLine().execute(args);
            return new Run(status, o.toString(), e.toString());
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    /** The seed's module output: its xl2tpOptions, then "pppoptfile = <store path>". */
    private static Path seed(Path dir, String pppOptions) throws Exception {
        Path opts = dir.resolve("ppp-options-xl2tpd.conf");
        Files.writeString(opts, pppOptions);
        Path conf = dir.resolve("xl2tpd.conf");
        Files.writeString(conf, """
                [global]
                max retries = 36
                auth file = %s
                [lac aaisp]
                lns = 194.4.172.12
                require authentication = no
                redial = yes
                redial timeout = 10

                pppoptfile = %s
                """.formatted(dir.resolve("l2tp-secrets"), opts));
        return conf;
    }

    @Test
    void theSeedChecksOut(@TempDir Path dir) throws Exception {
        Path conf = seed(dir, "+ipv6\nipv6cp-use-ipaddr\nname USERNAME\nnoauth\nifname l2tp-aaisp\n");
        Run r = run("xl2tpd", "--check", "-c", conf.toString(), "--ppp-dir", dir.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("[lac aaisp] lns 194.4.172.12:1701, autodial no, redial yes (timeout 10 s, max unlimited)"),
                r.out());
        assertTrue(r.out().contains("max retries 36"), r.out());
        assertTrue(r.out().contains("configuration OK"), r.out());
    }

    @Test
    void failoverSectionsAreSummarised(@TempDir Path dir) throws Exception {
        Path conf = seed(dir, "noauth\n");
        Files.writeString(conf, Files.readString(conf) + "[failover aaisp]\nprimary = pppoe-aaisp\nbackup = wan-4g\n"
                + "probe = 203.0.113.7\nhold up = 3\n");
        Run r = run("xl2tpd", "--check", "-c", conf.toString(), "--ppp-dir", dir.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("[failover aaisp] primary pppoe-aaisp, backup wan-4g, routes yes (metric 100), hold up 3 s, "
                + "probe 203.0.113.7 every 1 s (down after 3, up after 5)"), r.out());
    }

    @Test
    void aMetricsPortInUseIsAClearError(@TempDir Path dir) throws Exception {
        Path conf = seed(dir, "noauth\n");
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Run r = run("xl2tpd", "-c", conf.toString(), "--ppp-dir", dir.toString(), "-C", dir.resolve("control").toString(),
                    "-p", dir.resolve("pid").toString(), "--metrics-port", String.valueOf(taken.getLocalPort()));
            assertEquals(1, r.status());
            assertTrue(r.err().contains("--metrics-port " + taken.getLocalPort()), r.err());
        }
    }

    @Test
    void aBrokenOptionsFileNamesFileLineAndOption(@TempDir Path dir) throws Exception {
        Path conf = seed(dir, "+ipv6\nnoauth\nlcp-echo-interval soon\n");
        Run r = run("xl2tpd", "--check", "-c", conf.toString(), "--ppp-dir", dir.toString());
        assertEquals(2, r.status());
        assertTrue(r.err().contains("ppp-options-xl2tpd.conf:3") && r.err().contains("lcp-echo-interval"), r.err());
    }

    @Test
    void aBrokenValueInXl2tpdConfNamesFileLineAndKey(@TempDir Path dir) throws Exception {
        Path conf = seed(dir, "noauth\n");
        Files.writeString(conf, Files.readString(conf).replace("redial timeout = 10", "redial timeout = ten"));
        Run r = run("xl2tpd", "--check", "-c", conf.toString(), "--ppp-dir", dir.toString());
        assertEquals(2, r.status());
        assertTrue(r.err().contains("xl2tpd.conf:8: [lac aaisp] redial timeout"), r.err());
    }

    @Test
    void aLooseTunnelSecretsFileIsRefused(@TempDir Path dir) throws Exception {
        Path conf = seed(dir, "noauth\n");
        Path secrets = dir.resolve("l2tp-secrets");
        Files.writeString(secrets, "* * s3cret\n");
        Files.setPosixFilePermissions(secrets, PosixFilePermissions.fromString("rw-rw-r--"));
        Run r = run("xl2tpd", "--check", "-c", conf.toString(), "--ppp-dir", dir.toString());
        assertEquals(2, r.status());
        assertTrue(r.err().contains("l2tp-secrets") && r.err().contains("group access"), r.err());
        assertTrue(!r.err().contains("s3cret") && !r.out().contains("s3cret"));
    }

    @Test
    void anUnexpectedFailureIsOneLineNotAStackTrace(@TempDir Path dir) throws Exception {
        Path pw = dir.resolve("pw");
        Files.writeString(pw, "secret\n");
        Files.setPosixFilePermissions(pw, PosixFilePermissions.fromString("rw-------"));
        Run r = run("dial", "--lns", "no-such-host.invalid", "--user", "u", "--password-file", pw.toString(), "--no-redial");
        assertEquals(1, r.status(), r.err());
        assertTrue(r.err().startsWith("jl2tp dial: no-such-host.invalid"), r.err());
        assertTrue(!r.err().contains("\tat ") && !r.err().contains("Exception"), "no stack trace:\n" + r.err());
    }

    @Test
    void aMissingConfigurationFileIsNamed(@TempDir Path dir) {
        Run r = run("xl2tpd", "--check", "-c", dir.resolve("nope.conf").toString());
        assertEquals(2, r.status());
        assertTrue(r.err().contains("nope.conf"), r.err());
    }

    /** Issue 12 bug 4: --check passed a chap-secrets of mode 0644 that the daemon then refused. */
    @Test
    void aGroupReadableChapSecretsFailsTheCheckAsTheDaemonWould(@TempDir Path dir) throws Exception {
        Path conf = seed(dir, "name alice\n");
        Path chap = dir.resolve("chap-secrets");
        Files.writeString(chap, "alice * s3cret\n");
        Files.setPosixFilePermissions(chap, PosixFilePermissions.fromString("rw-r--r--"));
        Run r = run("xl2tpd", "--check", "-c", conf.toString(), "--ppp-dir", dir.toString());
        assertEquals(2, r.status(), r.out());
        assertTrue(r.err().contains("chap-secrets") && r.err().contains("group access") && r.err().contains("chmod 600"), r.err());
        assertTrue(!r.err().contains("s3cret") && !r.out().contains("s3cret"));
        Files.setPosixFilePermissions(chap, PosixFilePermissions.fromString("rw-------"));
        assertEquals(0, run("xl2tpd", "--check", "-c", conf.toString(), "--ppp-dir", dir.toString()).status());
    }

    /** Issue 12 bug 4: the summary said "0 warnings" after printing the options file's warnings. */
    @Test
    void theSummaryCountsTheOptionsFilesWarningsToo(@TempDir Path dir) throws Exception {
        Path conf = seed(dir, "noauth\nfrobnicate\nmodem\n");
        Files.writeString(conf, Files.readString(conf) + "no such key = 1\n");
        Run r = run("xl2tpd", "--check", "-c", conf.toString(), "--ppp-dir", dir.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("configuration OK (3 warnings)"), r.out());
    }

    @Test
    void aControlFifoThatCannotBeMadeSaysWhy(@TempDir Path dir) throws Exception {
        Path conf = seed(dir, "noauth\n");
        Path blocker = Files.writeString(dir.resolve("not-a-dir"), "");
        Run r = run("xl2tpd", "-c", conf.toString(), "--ppp-dir", dir.toString(), "-C", blocker.resolve("control").toString(),
                "-p", dir.resolve("pid").toString());
        assertEquals(1, r.status());
        assertTrue(r.err().startsWith("jl2tp xl2tpd: cannot create the control FIFO " + blocker.resolve("control") + " (-C): "),
                r.err());
        assertTrue(r.err().contains("already exists") || r.err().contains("not a directory"), r.err());
    }

    @Test
    void xl2tpdsDebugKeysRaiseThatPartsLogLevel(@TempDir Path dir) throws Exception {
        Path conf = seed(dir, "noauth\n");
        Files.writeString(conf, Files.readString(conf).replace("[global]\n", "[global]\ndebug avp = yes\ndebug state = no\n"));
        ch.qos.logback.classic.LoggerContext ctx = (ch.qos.logback.classic.LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory();
        try {
            Run r = run("xl2tpd", "--check", "-c", conf.toString(), "--ppp-dir", dir.toString());
            assertEquals(0, r.status(), r.err());
            assertEquals(ch.qos.logback.classic.Level.DEBUG, ctx.getLogger("io.jl2tp.l2tp.wire").getLevel());
            assertEquals(null, ctx.getLogger("io.jl2tp.l2tp.tunnel").getLevel(), "debug state = no changes nothing");
        } finally {
            ctx.getLogger("io.jl2tp.l2tp.wire").setLevel(null);
        }
    }

    @Test
    void pppdsDebugOptionRaisesThePppLogLevel(@TempDir Path dir) throws Exception {
        Path conf = seed(dir, "noauth\ndebug\n");
        ch.qos.logback.classic.LoggerContext ctx = (ch.qos.logback.classic.LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory();
        try {
            Run r = run("xl2tpd", "--check", "-c", conf.toString(), "--ppp-dir", dir.toString());
            assertEquals(0, r.status(), r.err());
            assertEquals(ch.qos.logback.classic.Level.DEBUG, ctx.getLogger("io.jl2tp.ppp").getLevel());
        } finally {
            ctx.getLogger("io.jl2tp.ppp").setLevel(null);
        }
    }
}
