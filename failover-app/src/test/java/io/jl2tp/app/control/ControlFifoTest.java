package io.jl2tp.app.control;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A real FIFO, written the way the seed's scripts do ({@code echo "c aaisp" > control}). */
class ControlFifoTest {

    @TempDir
    Path dir;

    private final List<String> calls = new CopyOnWriteArrayList<>();

    private final LacController fake = new LacController() {
        @Override
        public void connect(String name, String user, String password) throws ControlException {
            if (!name.equals("aaisp")) {
                throw new ControlException("no such LAC '" + name + "'");
            }
            calls.add("connect " + name + " " + user + " " + password);
        }

        @Override
        public void disconnect(String name) {
            calls.add("disconnect " + name);
        }

        @Override
        public void add(String name, String settings) {
            calls.add("add " + name + " " + settings);
        }

        @Override
        public void remove(String name) {
            calls.add("remove " + name);
        }

        @Override
        public List<String> status(String name) {
            return List.of("phase: up", "local: 198.51.100.128");
        }

        @Override
        public List<String> available() {
            return List.of("aaisp");
        }
    };

    private void write(Path fifo, String text) throws Exception {
        // as a shell's "echo ... > fifo" does: open, write, close
        Files.writeString(fifo, text, java.nio.file.StandardOpenOption.WRITE);
    }

    private void await(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (calls.size() < n && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    private String reply(Path file) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!Files.exists(file) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        Thread.sleep(50);
        return Files.readString(file);
    }

    @Test
    void seedStyleCommandsReachTheController() throws Exception {
        Path fifo = dir.resolve("run/xl2tpd/control");
        try (ControlFifo f = ControlFifo.open(fifo, fake)) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(fifo)));
            write(fifo, "c aaisp\n");
            write(fifo, "d aaisp\n");
            write(fifo, "c aaisp alice s3cret\nr aaisp\na new lns=198.51.100.1;redial=yes;\n");
            await(5);
            assertEquals(List.of("connect aaisp null null", "disconnect aaisp", "connect aaisp alice s3cret", "remove aaisp",
                    "add new lns=198.51.100.1;redial=yes;"), calls);
        }
        assertFalse(Files.exists(fifo), "removed on close");
    }

    @Test
    void replyFilesCarryXl2tpdStatusLines() throws Exception {
        Path fifo = dir.resolve("control");
        try (ControlFifo f = ControlFifo.open(fifo, fake)) {
            write(fifo, "@" + dir.resolve("r1") + " c aaisp\n");
            assertEquals("00 OK\n", reply(dir.resolve("r1")));
            write(fifo, "@" + dir.resolve("r2") + " c nope\n");
            assertEquals("01 no such LAC 'nope'\n", reply(dir.resolve("r2")));
            write(fifo, "@" + dir.resolve("r3") + " s aaisp\n");
            assertEquals("00 OK\nphase: up\nlocal: 198.51.100.128\n", reply(dir.resolve("r3")));
            write(fifo, "@" + dir.resolve("r4") + " q aaisp\n");
            assertEquals("01 unknown command 'q'\n", reply(dir.resolve("r4")));
            write(fifo, "@" + dir.resolve("r5") + " c\n");
            assertEquals("01 missing LAC name\n", reply(dir.resolve("r5")));
            write(fifo, "@" + dir.resolve("r6") + " c " + "x".repeat(2000) + "\n");
            assertTrue(reply(dir.resolve("r6")).startsWith("01 message longer than 1024"));
            write(fifo, "@" + dir.resolve("r7") + " x\n");
            assertEquals("00 OK\naaisp\n", reply(dir.resolve("r7")));
            write(fifo, "@" + dir.resolve("r8") + " s\n");
            assertEquals("00 OK\n[aaisp]\nphase: up\nlocal: 198.51.100.128\n", reply(dir.resolve("r8")), "every LAC");
        }
    }

    @Test
    void aStaleFifoIsReplaced() throws Exception {
        Path fifo = dir.resolve("control");
        Files.writeString(fifo, "stale regular file");
        try (ControlFifo f = ControlFifo.open(fifo, fake)) {
            write(fifo, "d aaisp\n");
            await(1);
            assertEquals(new ArrayList<>(List.of("disconnect aaisp")), new ArrayList<>(calls));
        }
    }
}
