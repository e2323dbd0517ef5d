package io.jl2tp.app.harness;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code jl2tp harness impair}: its flags, and the command run as a process with its signal and FIFO. */
class ImpairCommandTest {

    private record Run(int status, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new ImpairCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
        int status = cl.execute(args);
        return new Run(status, out.toString(), err.toString());
    }

    private static ImpairRelay.Config config(String... args) throws Exception {
        ImpairCommand c = new ImpairCommand();
        new CommandLine(c).parseArgs(args);
        return c.config();
    }

    @Test
    void bothDirectionsFromOneFlagAndOverridesPerDirection() throws Exception {
        ImpairRelay.Config c = config("--listen", "127.0.0.1:1702", "--to", "203.0.113.6", "--loss", "20", "--loss-down", "5",
                "--delay", "60", "--jitter", "20ms", "--delay-up", "0.1s", "--rate-down", "2M", "--queue-down", "50",
                "--reorder", "3", "--reorder-distance-up", "4", "--duplicate-up", "1.5%", "--seed", "7");
        assertEquals(new InetSocketAddress("203.0.113.6", 1701), c.to());
        assertEquals(7, c.seed());
        assertEquals(new Impairment.Profile(20, 1.5, 3, 4, 100_000_000, 20_000_000, 0, 100), c.up());
        assertEquals(new Impairment.Profile(5, 0, 3, 1, 60_000_000, 20_000_000, 2_000_000, 50), c.down());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "--loss 120|--loss 120: a percentage must be from 0 to 100",
        "--loss-up x|--loss-up x: not a percentage",
        "--delay 10 --jitter-down 30|--jitter-down 30 exceeds the delay (10)",
        "--rate 1x|--rate 1x: not a rate",
        "--rate 100|--rate 100: must be from 8k to 100G bit/s",
        "--reorder-distance 0|--reorder-distance 0: must be from 1 to 1000",
        "--delay 2h|--delay 2h: not a duration",
        "--seed abc|--seed abc: not an integer",
        "--bogus|unknown option --bogus (see --help)",
        "extra|unexpected argument extra",
    })
    void aBadFlagStopsWithOneLineNamingIt(String flags, String message) {
        List<String> args = new ArrayList<>(List.of("--listen", "127.0.0.1:0", "--to", "127.0.0.1:9"));
        args.addAll(List.of(flags.split(" ")));
        Run r = run(args.toArray(String[]::new));
        assertEquals(2, r.status());
        assertTrue(r.err().startsWith("jl2tp harness impair: " + message), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.out().isEmpty(), "nothing started: " + r.out());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "--listen 127.0.0.1:0|--listen ADDR:PORT and --to HOST:PORT are required",
        "--listen 127.0.0.1 --to 127.0.0.1:9|--listen 127.0.0.1: needs a port (ADDR:PORT)",
        "--listen 127.0.0.1:0 --to 0.0.0.0:1701|--to 0.0.0.0:1701: needs a host address and a port",
        "--listen 127.0.0.1:99999 --to 127.0.0.1:9|--listen 127.0.0.1:99999: port out of range",
        "--listen [::1 --to 127.0.0.1:9|--listen [::1: missing ']'",
    })
    void badAddressesStopWithOneLine(String flags, String message) {
        Run r = run(flags.split(" "));
        assertEquals(2, r.status());
        assertEquals("jl2tp harness impair: " + message, r.err().strip(), r.err());
    }

    @Test
    void helpExplainsTheDirectionScheme() {
        Run r = run("--help");
        assertEquals(0, r.status());
        String text = r.out().replaceAll("\\s+", " ");
        assertTrue(text.contains("its -up form (client -> --to, LAC -> LNS) or -down form (--to -> client, LNS -> LAC)"
                + " overrides it for one direction"), r.out());
        assertTrue(r.out().contains("--blackhole-seconds"), r.out());
    }

    /**
     * {@code jl2tp harness impair} as its own process (through the real {@code jl2tp} entry point):
     * traffic passes, SIGUSR1 black-holes it, the FIFO ends the black hole and prints the
     * counters, and SIGTERM stops it with the counters of each direction printed.
     */
    @Test
    void asAProcessWithSignalAndFifo(@TempDir Path tmp) throws Exception {
        try (DatagramChannel server = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
             DatagramChannel client = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
            Thread echo = new Thread(() -> {
                ByteBuffer b = ByteBuffer.allocate(2048);
                while (server.isOpen()) {
                    try {
                        b.clear();
                        var from = server.receive(b);
                        b.flip();
                        server.send(b, from);
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "echo");
            echo.setDaemon(true);
            echo.start();
            int port;
            try (DatagramChannel probe = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
                port = ((InetSocketAddress) probe.getLocalAddress()).getPort();
            }
            InetSocketAddress relay = new InetSocketAddress("127.0.0.1", port);
            Path fifo = tmp.resolve("impair.ctl");
            Path log = tmp.resolve("impair.out");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "io.jl2tp.app.cli.Main", "harness",
                    "impair", "--listen", "127.0.0.1:" + port, "--to", "127.0.0.1:" + ((InetSocketAddress) server.getLocalAddress())
                    .getPort(), "--seed", "5", "--control", fifo.toString(), "--blackhole-seconds", "600")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                awaitTrue(() -> Files.exists(fifo) && read(log).contains("seed 5"), "the relay's start", log);
                assertTrue(echoes(client, relay, 30), "traffic passes: " + read(log));
                new ProcessBuilder("kill", "-USR1", Long.toString(p.pid())).start().waitFor();
                awaitTrue(() -> read(log).contains("black hole for 600"), "the black hole", log);
                drain(client); // echoes of the tries before the first answer, relayed before the black hole
                assertTrue(!echoes(client, relay, 3), "nothing passes the black hole");
                Files.writeString(fifo, "blackhole off\nstats\n", StandardCharsets.US_ASCII);
                awaitTrue(() -> read(log).contains("up   received"), "stats", log);
                assertTrue(echoes(client, relay, 30), "traffic passes again: " + read(log));
                Files.writeString(fifo, "nonsense\u001b[2J\n", StandardCharsets.US_ASCII);
                awaitTrue(() -> read(log).contains("\"nonsense\\x1b[2J\": unknown command"), "the refusal", log);
                p.destroy(); // SIGTERM
                assertTrue(p.waitFor(30, TimeUnit.SECONDS), "stops on SIGTERM:\n" + read(log));
                assertEquals(0, p.exitValue(), read(log));
            } finally {
                p.destroyForcibly();
            }
            String out = read(log);
            String up = out.lines().filter(l -> l.startsWith("up   received")).reduce((a, b) -> b).orElseThrow();
            assertTrue(up.matches("up   received \\d+, forwarded \\d+, dropped \\d+ \\(loss 0, queue 0, black-hole [1-9]\\d*, refused 0\\),"
                    + " duplicated 0, reordered 0, delayed 0"), up);
            assertTrue(out.lines().anyMatch(l -> l.startsWith("down received")), out);
            assertTrue(!Files.exists(fifo), "the FIFO is removed at exit");
        }
    }

    /** Reads and discards whatever has arrived, until 500 ms pass in silence. */
    private static void drain(DatagramChannel c) throws IOException {
        c.socket().setSoTimeout(500);
        java.net.DatagramPacket p = new java.net.DatagramPacket(new byte[64], 64);
        while (true) {
            try {
                c.socket().receive(p);
            } catch (SocketTimeoutException e) {
                return;
            }
        }
    }

    /** Sends up to {@code tries} datagrams 100 ms apart; true once one comes back. */
    private static boolean echoes(DatagramChannel c, InetSocketAddress relay, int tries) throws IOException {
        c.socket().setSoTimeout(100);
        for (int i = 0; i < tries; i++) {
            c.send(ByteBuffer.wrap(new byte[] {1, 2, 3, 4}), relay);
            java.net.DatagramPacket p = new java.net.DatagramPacket(new byte[64], 64);
            try {
                c.socket().receive(p);
                return true;
            } catch (SocketTimeoutException e) {
                // try again
            }
        }
        return false;
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static void awaitTrue(java.util.function.BooleanSupplier c, String what, Path log) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!c.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what + ":\n" + read(log));
            Thread.sleep(50);
        }
    }
}
