package io.jl2tp.app.control;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real FIFO, written the way the seed's scripts do ({@code echo "c aaisp" > control}) and the
 * way xl2tpd-control does (one write, no newline, the reply read from a FIFO made first).
 * Every wait is on an event: a controller call or the reply FIFO's writer closing it.
 */
class ControlFifoTest {

    @TempDir
    Path dir;

    private final FakeLacController fake = new FakeLacController("phase: up", "local: 198.51.100.128");

    /** One open-write-close, as a shell's {@code printf ... > fifo} does. */
    private static void write(Path fifo, byte[] bytes) throws IOException {
        try (OutputStream out = Files.newOutputStream(fifo, StandardOpenOption.WRITE)) {
            out.write(bytes);
        }
    }

    private static void write(Path fifo, String text) throws IOException {
        write(fifo, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends {@code command} as xl2tpd-control does and returns the reply. */
    private String ask(Path fifo, String command) throws Exception {
        try (ReplyFifo r = ReplyFifo.create(dir.resolve("reply-" + System.nanoTime()))) {
            write(fifo, "@" + r.path() + " " + command); // no trailing newline, as xl2tpd-control writes it
            return r.read(Duration.ofSeconds(10));
        }
    }

    @Test
    void seedStyleCommandsReachTheController() throws Exception {
        Path fifo = dir.resolve("run/xl2tpd/control");
        try (ControlFifo f = ControlFifo.open(fifo, fake)) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(fifo)));
            write(fifo, "c aaisp\n");
            assertEquals(List.of("connect aaisp null null"), fake.next(1));
            write(fifo, "d aaisp\n");
            assertEquals(List.of("disconnect aaisp"), fake.next(1));
            write(fifo, "c aaisp alice s3cret\nr aaisp\na new lns=198.51.100.1;redial=yes;\n");
            assertEquals(List.of("connect aaisp alice s3cret", "remove aaisp", "add new lns=198.51.100.1;redial=yes;"),
                    fake.next(3));
        }
        assertFalse(Files.exists(fifo), "removed on close");
    }

    @Test
    void eachWriteIsOneCommandWithOrWithoutANewline() throws Exception {
        Path fifo = dir.resolve("control");
        try (ControlFifo f = ControlFifo.open(fifo, fake)) {
            // xl2tpd-control: no newline. Before the fix the first command waited for one and the
            // second was glued to it ("c aaispd aaisp").
            write(fifo, "c aaisp");
            assertEquals(List.of("connect aaisp null null"), fake.next(1));
            write(fifo, "d aaisp");
            assertEquals(List.of("disconnect aaisp"), fake.next(1));
            assertEquals("00 OK\n", ask(fifo, "c aaisp"));
        }
    }

    @Test
    void repliesAreInXl2tpdsFormat() throws Exception {
        Path fifo = dir.resolve("control");
        try (ControlFifo f = ControlFifo.open(fifo, fake)) {
            assertEquals("00 OK\n", ask(fifo, "c aaisp"));
            assertEquals(List.of("connect aaisp null null"), fake.next(1));
            assertEquals("01 no such LAC 'nope'\n", ask(fifo, "c nope"));
            assertEquals("00 OK\n00 STATUS phase: up\n00 STATUS local: 198.51.100.128\n", ask(fifo, "s aaisp"));
            assertEquals("01 unknown command 'q'\n", ask(fifo, "q aaisp"));
            assertEquals("01 missing LAC name\n", ask(fifo, "c"));
            assertTrue(ask(fifo, "c " + "x".repeat(2000)).startsWith("01 message longer than 1024"));
            assertEquals("00 OK\n00 AVAILABLE lns.count=0\n00 AVAILABLE lac.0.name=aaisp\n00 AVAILABLE lac.1.name=backup\n"
                    + "00 AVAILABLE lac.count=2\n", ask(fifo, "x"));
            assertEquals("00 OK\n00 STATUS [aaisp]\n00 STATUS phase: up\n00 STATUS local: 198.51.100.128\n"
                    + "00 STATUS [backup]\n00 STATUS phase: up\n00 STATUS local: 198.51.100.128\n", ask(fifo, "s"), "every LAC");
            // A regular file as the reply target (xl2tpd's fopen "w"): created, or truncated.
            Path file = dir.resolve("reply.txt");
            Files.writeString(file, "old contents that are longer than the reply\n");
            write(fifo, "@" + file + " c aaisp\nd aaisp\n");
            assertEquals(List.of("connect aaisp null null", "disconnect aaisp"), fake.next(2));
            assertEquals("00 OK\n", Files.readString(file));
        }
    }

    /** Issue 11 row 5: a NUL in the reply path killed the reader; later writers hung, close() hung. */
    @Test
    void hostileMessagesNeverStopTheReader() throws Exception {
        Path fifo = dir.resolve("control");
        ControlFifo f = ControlFifo.open(fifo, fake);
        try {
            write(fifo, "@/tmp/x\0 s x\n");
            write(fifo, "@relative/path c aaisp\n");
            write(fifo, new byte[] {'c', ' ', (byte) 0xff, (byte) 0xfe, '\n'}); // not UTF-8
            write(fifo, "c aa\u001b[2Jisp\n");                                  // an escape sequence
            write(fifo, "@" + "/".repeat(5000) + " c aaisp\n");
            assertEquals("00 OK\n", ask(fifo, "c backup"), "still serving");
            assertEquals(List.of("connect backup null null"), fake.next(1), "none of the hostile ones reached the controller");
        } finally {
            CompletableFuture<Void> closing = CompletableFuture.runAsync(f::close);
            closing.get(20, TimeUnit.SECONDS); // SIGTERM's path: close() must return
        }
        assertFalse(Files.exists(fifo), "removed on close");
        assertEquals(List.of(), fake.pending());
    }

    @Test
    void aReplyPathThatIsASymlinkIsNotFollowed() throws Exception {
        Path fifo = dir.resolve("control");
        Path victim = Files.writeString(dir.resolve("victim"), "precious\n");
        Path link = Files.createSymbolicLink(dir.resolve("link"), victim);
        try (ControlFifo f = ControlFifo.open(fifo, fake)) {
            write(fifo, "@" + link + " c aaisp\n");
            assertEquals(List.of("connect aaisp null null"), fake.next(1));
            assertEquals("00 OK\n", ask(fifo, "d aaisp")); // the first one has been handled in full
        }
        assertEquals("precious\n", Files.readString(victim));
    }

    @Test
    void aReplyFifoNobodyReadsDoesNotBlockTheReader() throws Exception {
        Path fifo = dir.resolve("control");
        Path orphan = dir.resolve("orphan");
        ControlFifo.makeFifo(orphan);
        try (ControlFifo f = ControlFifo.open(fifo, fake)) {
            write(fifo, "@" + orphan + " c aaisp\n");
            assertEquals("00 OK\n", ask(fifo, "d aaisp"));
            assertEquals(List.of("connect aaisp null null", "disconnect aaisp"), fake.next(2));
        }
    }

    @Test
    void aStaleFifoIsReplaced() throws Exception {
        Path fifo = dir.resolve("control");
        Files.writeString(fifo, "stale regular file");
        try (ControlFifo f = ControlFifo.open(fifo, fake)) {
            write(fifo, "d aaisp\n");
            assertEquals(List.of("disconnect aaisp"), fake.next(1));
        }
    }
}
