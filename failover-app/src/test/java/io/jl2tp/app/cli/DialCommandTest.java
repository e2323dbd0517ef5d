package io.jl2tp.app.cli;

import io.jl2tp.app.dial.RedialPolicy;
import io.jl2tp.app.config.PppdOptions;
import io.jl2tp.app.config.PppdOptionsParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code jl2tp dial}'s redial settings: the flags, and pppd's persist/holdoff/maxfail from --options. */
class DialCommandTest {

    @TempDir
    Path dir;

    private static DialCommand parse(String... args) {
        DialCommand c = new DialCommand();
        new CommandLine(c).parseArgs(args);
        return c;
    }

    private RedialPolicy policy(DialCommand c) throws Exception {
        PppdOptions ppp = c.options == null ? PppdOptions.DEFAULTS : new PppdOptionsParser().parseFile(c.options);
        return c.redialPolicy(ppp);
    }

    @Test
    void redialAndNoRedialMeanWhatTheySay() throws Exception {
        assertTrue(policy(parse("--lns", "203.0.113.2", "--redial")).enabled(), "--redial");
        assertFalse(policy(parse("--lns", "203.0.113.2", "--no-redial")).enabled(), "--no-redial");
        assertTrue(policy(parse("--lns", "203.0.113.2")).enabled(), "default without an options file: redial");
    }

    @Test
    void withoutFlagsTheWaitIsAFixedThirtySecondsForEver() throws Exception {
        RedialPolicy p = policy(parse("--lns", "203.0.113.2"));
        assertEquals(Duration.ofSeconds(30), p.base());
        assertFalse(p.backoff());
        assertEquals(0, p.maxRedials());
        assertTrue(policy(parse("--lns", "203.0.113.2", "--redial-backoff")).backoff());
    }

    @Test
    void pppdPersistHoldoffAndMaxfailFromTheOptionsFileApply() throws Exception {
        Path opts = dir.resolve("options");
        Files.writeString(opts, "persist\nholdoff 7\nmaxfail 4\n");
        RedialPolicy p = policy(parse("--lns", "203.0.113.2", "--options", opts.toString()));
        assertTrue(p.enabled());
        assertEquals(Duration.ofSeconds(7), p.base());
        assertEquals(4, p.maxRedials());
        assertEquals(7_000, p.delayMillis(3, () -> 0.5).getAsLong(), "holdoff is a fixed wait, as in pppd");
        assertFalse(p.delayMillis(5, () -> 0).isPresent(), "maxfail 4: no fifth attempt");

        Path noPersist = dir.resolve("options2");
        Files.writeString(noPersist, "holdoff 7\n");
        assertFalse(policy(parse("--lns", "203.0.113.2", "--options", noPersist.toString())).enabled(),
                "without persist pppd does not redial");
        RedialPolicy flags = policy(parse("--lns", "203.0.113.2", "--options", opts.toString(), "--no-redial",
                "--redial-timeout", "3", "--max-redials", "2"));
        assertFalse(flags.enabled(), "flags win over the file");
        assertEquals(Duration.ofSeconds(3), flags.base());
        assertEquals(2, flags.maxRedials());
    }

    @Test
    void aBadLnsValueSaysWhatIsWrong() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> DialCommand.parseHostPort("[2001:db8::1:1701"));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("lacks its ']'"), e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> DialCommand.parseHostPort("192.0.2.1:http"));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("port must be a number from 1 to 65535"), e.getMessage());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> DialCommand.parseHostPort("[::1]x"));
    }

    @Test
    void hostPortForms() throws Exception {
        assertEquals(new java.net.InetSocketAddress("203.0.113.2", 1701), DialCommand.parseHostPort("203.0.113.2"));
        assertEquals(new java.net.InetSocketAddress("203.0.113.2", 1702), DialCommand.parseHostPort("203.0.113.2:1702"));
        assertEquals(new java.net.InetSocketAddress("2001:db8::2", 1703), DialCommand.parseHostPort("[2001:db8::2]:1703"));
        assertEquals(new java.net.InetSocketAddress("2001:db8::2", 1701), DialCommand.parseHostPort("2001:db8::2"));
    }
}
