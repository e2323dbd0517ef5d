package io.jl2tp.app.log;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import io.jl2tp.tun.linux.LibC;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shipped logging set-up (LogConfigurator), the escaping point, journald priorities and syslog. */
class LoggingTest {

    /** Configures a fresh context as jl2tp does (LogConfigurator) and captures what it prints. */
    private static String logWith(String pattern, java.util.function.Consumer<Logger> body) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LoggerContext ctx = new LoggerContext();
        ctx.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
        try {
            LogConfigurator.configure(ctx, pattern, null);
            ch.qos.logback.core.OutputStreamAppender<?> console = (ch.qos.logback.core.OutputStreamAppender<?>)
                    ctx.getLogger(Logger.ROOT_LOGGER_NAME).getAppender(Logging.STDOUT);
            console.setOutputStream(out); // the shipped appender and encoder, writing here instead of stdout
            body.accept(ctx.getLogger("io.jl2tp.l2tp.tunnel.Tunnel"));
            if (out.size() == 0) {
                throw new AssertionError("nothing logged; logback said: " + ctx.getStatusManager().getCopyOfStatusList());
            }
        } finally {
            ctx.stop();
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Issue 11 row 7: a peer's Host Name with ESC, NUL and a line break went into the log raw. */
    @Test
    void peerTextIsEscapedAndEveryLineHasItsLevel() throws Exception {
        String text = logWith(null, log -> {
            log.info("tunnel up, peer Host Name \"{}\"", "lns\u001b[31m\nFAKE ERROR line\u0000");
            log.warn("result: {}", "ok\r\u2028done");
            log.error("a real failure", new IllegalStateException("boom"));
        });
        String[] lines = text.split("\n");
        assertTrue(lines[0].matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  tunnel up, peer Host Name \"lns\\\\x1b\\[31m\\\\nFAKE ERROR line\\\\x00\""),
                lines[0]);
        assertTrue(lines[1].endsWith("WARN  result: ok\\r\\u2028done"), lines[1]);
        assertTrue(lines[2].endsWith("ERROR a real failure"), lines[2]);
        assertEquals("java.lang.IllegalStateException: boom", lines[3], "the stack trace stays a stack trace");
        assertTrue(lines[4].startsWith("\tat io.jl2tp.app.log.LoggingTest"), lines[4]);
        assertTrue(text.chars().noneMatch(c -> c == 0 || c == 0x1b), "no raw control bytes");
    }

    /** Issue 12: under systemd, levels reach journald as priorities (sd-daemon prefixes). */
    @Test
    void underJournaldLinesCarrySdDaemonPriorities() throws Exception {
        String pattern = Logging.pattern(Map.of("JOURNAL_STREAM", "8:1234", "INVOCATION_ID", "x"));
        String text = logWith(pattern, log -> {
            log.error("e");
            log.warn("w");
            log.info("i");
        });
        assertEquals("<3>ERROR e\n<4>WARN  w\n<6>INFO  i\n", text);
        assertEquals("%-5level %emsg%n%ex", Logging.pattern(Map.of("INVOCATION_ID", "x")), "systemd without the journal");
        assertEquals(null, Logging.pattern(Map.of()), "a terminal: logback.xml's pattern with the time");
    }

    /** xl2tpd -l: one datagram per line to /dev/log, as syslog(3) writes it, facility daemon. */
    @Test
    void syslogGetsOneEscapedDatagramPerLine(@TempDir Path dir) throws Exception {
        Path sock = dir.resolve("log");
        byte[] p = sock.toString().getBytes(StandardCharsets.UTF_8);
        Memory addr = new Memory(110);
        addr.clear();
        addr.setShort(0, (short) LibC.AF_UNIX);
        addr.write(2, p, 0, p.length);
        int fd = LibC.socket(LibC.AF_UNIX, LibC.SOCK_DGRAM | LibC.SOCK_CLOEXEC, 0);
        LoggerContext ctx = new LoggerContext();
        ctx.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
        try {
            LibC.bind(fd, addr, 2 + p.length + 1);
            SyslogAppender a = new SyslogAppender();
            a.setContext(ctx);
            a.setSocketPath(sock.toString());
            a.setTag("jl2tp");
            a.start();
            Logger log = ctx.getLogger("io.jl2tp.x");
            log.addAppender(a);
            log.warn("peer says {}", "hi\nthere\u001b");
            log.error("failed", new IllegalStateException("boom"));
            String pid = String.valueOf(ProcessHandle.current().pid());
            String first = receive(fd);
            assertTrue(first.matches("<28>[A-Z][a-z]{2} [ 123]\\d \\d\\d:\\d\\d:\\d\\d jl2tp\\[" + pid + "\\]: peer says hi\\\\nthere\\\\x1b"),
                    first);
            String second = receive(fd);
            assertTrue(second.startsWith("<27>") && second.endsWith("]: failed (java.lang.IllegalStateException: boom)"), second);
            a.stop();
        } finally {
            ctx.stop();
            LibC.close(fd);
        }
    }

    private static String receive(int fd) {
        Memory buf = new Memory(2048);
        try {
            long n = LibC.recv(fd, buf, buf.size(), 0);
            return new String(buf.getByteArray(0, (int) n), StandardCharsets.UTF_8);
        } catch (LastErrorException e) {
            throw new AssertionError("recv: errno " + e.getErrorCode());
        }
    }

    @Test
    void escapeLeavesOrdinaryTextAlone() {
        String s = "plain text, ünïcödé and \\ backslashes";
        assertTrue(s == LogText.escape(s), "no copy when nothing needs escaping");
        assertEquals("a\\tb\\x7fc\\x85", LogText.escape("a\tb\u007fc\u0085"));
    }

    /** Issue 14: logback finds jl2tp's set-up in code through its ServiceLoader, not an XML file. */
    @Test
    void logbackFindsTheConfiguratorAndNoXml() {
        java.util.List<String> found = new java.util.ArrayList<>();
        java.util.ServiceLoader.load(ch.qos.logback.classic.spi.Configurator.class).forEach(c -> found.add(c.getClass().getName()));
        assertEquals(java.util.List.of(LogConfigurator.class.getName()), found);
        assertEquals(null, LoggingTest.class.getResource("/logback.xml"), "no logback.xml to parse at start-up");
    }
}
