package io.jl2tp.app.cli;

import io.jl2tp.app.control.ControlFifo;
import io.jl2tp.app.control.FakeLacController;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code jl2tp control} against a real control FIFO served by {@link ControlFifo}. */
class ControlCommandTest {

    @TempDir
    Path dir;

    private final FakeLacController fake = new FakeLacController("phase: up", "ipv4: local 198.51.100.128");

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
            return new Run(Main.commandLine().execute(args), o.toString(), e.toString());
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void commandsReachTheDaemonAndRepliesArePrinted() throws Exception {
        Path fifo = dir.resolve("control");
        try (ControlFifo f = ControlFifo.open(fifo, fake)) {
            Run s = run("control", "-c", fifo.toString(), "status-lac", "aaisp");
            assertEquals(0, s.status(), s.err());
            assertEquals("phase: up\nipv4: local 198.51.100.128\n", s.out());

            Run x = run("control", "-c", fifo.toString(), "available");
            assertEquals("aaisp\nbackup\n", x.out());

            Run c = run("control", "-c", fifo.toString(), "connect-lac", "aaisp", "me@a.1", "pw");
            assertEquals(0, c.status(), c.err());
            Run a = run("control", "-c", fifo.toString(), "add-lac", "backup", "lns=203.0.113.2", "redial=yes");
            assertEquals(0, a.status(), a.err());
            run("control", "-c", fifo.toString(), "disconnect-lac", "aaisp");
            run("control", "-c", fifo.toString(), "remove-lac", "backup");
            assertEquals(List.of("connect aaisp me@a.1 pw", "add backup lns=203.0.113.2;redial=yes", "disconnect aaisp",
                    "remove backup"), fake.next(4));

            Run bad = run("control", "-c", fifo.toString(), "connect-lac", "nope");
            assertEquals(1, bad.status());
            assertTrue(bad.err().contains("no such LAC 'nope'"), bad.err());
        }
        try (var files = Files.list(dir)) {
            assertEquals(List.of(), files.map(p -> p.getFileName().toString()).toList(), "reply FIFOs and control FIFO removed");
        }
    }

    @Test
    void noDaemonIsAClearErrorNotAHang() throws Exception {
        Run r = run("control", "-c", dir.resolve("absent").toString(), "available");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("is 'jl2tp xl2tpd' running?"), r.err());

        Path stale = dir.resolve("stale");
        ControlFifo.makeFifo(stale); // a FIFO nobody reads
        Run t = run("control", "-c", stale.toString(), "-t", "1", "available");
        assertEquals(2, t.status());
        assertTrue(t.err().contains("nobody reads"), t.err());
    }

    @Test
    void badUsageIsRefusedBeforeAnythingIsSent() {
        assertEquals("c aaisp", ControlCommand.toFifoCommand("connect-lac", List.of("aaisp")));
        assertEquals("a b lns=x;redial timeout=5", ControlCommand.toFifoCommand("add-lac", List.of("b", "lns=x", "redial timeout=5")));
        assertThrows(IllegalArgumentException.class, () -> ControlCommand.toFifoCommand("status-lac", List.of()));
        assertEquals("s", ControlCommand.toFifoCommand("status", List.of()));
        assertEquals("s aaisp", ControlCommand.toFifoCommand("status", List.of("aaisp")));
        assertThrows(IllegalArgumentException.class, () -> ControlCommand.toFifoCommand("status", List.of("a", "b")));
        assertThrows(IllegalArgumentException.class, () -> ControlCommand.toFifoCommand("add-lac", List.of("b", "x;y=1")));
        assertThrows(IllegalArgumentException.class, () -> ControlCommand.toFifoCommand("frobnicate", List.of()));
        Run r = run("control", "-c", dir.resolve("x").toString(), "frobnicate");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("unknown command 'frobnicate'"), r.err());
    }
}
