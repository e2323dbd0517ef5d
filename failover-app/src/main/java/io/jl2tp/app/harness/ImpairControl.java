package io.jl2tp.app.harness;

import io.jl2tp.app.control.ControlFifo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The relay's control FIFO: one command per line.
 * <ul>
 *   <li>{@code blackhole SECONDS} — drop everything, both ways, for that long (decimals allowed, ≤ 1 day);</li>
 *   <li>{@code blackhole off} — end a black hole now;</li>
 *   <li>{@code stats} — print the counters (to the command's output).</li>
 * </ul>
 * Anything else is refused with one log line (the input escaped) and the FIFO goes on. The FIFO
 * is opened read-write, so writers coming and going never make it see end-of-file; closing it
 * writes a newline into it to wake the reader, which then exits.
 */
public final class ImpairControl implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ImpairControl.class);
    private static final int MAX_LINE = 256;

    private final ImpairRelay relay;
    private final Consumer<String> output;
    private FileChannel fifo;
    private Path path;
    private Thread reader;
    private volatile boolean closed;

    /** A handler without a FIFO (for {@link #handle} alone). */
    public ImpairControl(ImpairRelay relay, Consumer<String> output) {
        this.relay = relay;
        this.output = output;
    }

    /** Creates the FIFO at {@code path} (mode 0600, replacing what is there) and serves it on a daemon thread. */
    public static ImpairControl open(Path path, ImpairRelay relay, Consumer<String> output) throws IOException {
        ImpairControl c = new ImpairControl(relay, output);
        ControlFifo.makeFifo(path);
        c.fifo = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        c.path = path;
        c.reader = new Thread(c::loop, "impair-control");
        c.reader.setDaemon(true);
        c.reader.start();
        return c;
    }

    private void loop() {
        ByteBuffer buf = ByteBuffer.allocate(4096);
        StringBuilder line = new StringBuilder();
        boolean overlong = false;
        while (!closed) {
            buf.clear();
            try {
                if (fifo.read(buf) < 0) {
                    return;
                }
            } catch (IOException e) {
                if (!closed) {
                    log.warn("impair: control FIFO read failed: {}", e.getMessage());
                }
                return;
            }
            buf.flip();
            while (buf.hasRemaining()) {
                char c = (char) (buf.get() & 0xff);
                if (c == '\n') {
                    if (!closed) {
                        handle(overlong ? "(a line longer than " + MAX_LINE + " octets)" : line.toString());
                    }
                    line.setLength(0);
                    overlong = false;
                } else if (line.length() < MAX_LINE) {
                    line.append(c);
                } else {
                    overlong = true;
                }
            }
        }
    }

    /** Carries out one command line; returns false (and logs why) if it was refused. */
    public boolean handle(String raw) {
        String[] w = raw.strip().split("\\s+");
        if (w.length == 0 || w[0].isEmpty()) {
            return true;
        }
        switch (w[0]) {
            case "blackhole" -> {
                if (w.length != 2) {
                    return refuse(raw, "usage: blackhole SECONDS|off");
                }
                if (w[1].equals("off")) {
                    relay.blackhole(Duration.ZERO);
                    return true;
                }
                double s;
                try {
                    s = Double.parseDouble(w[1]);
                } catch (NumberFormatException e) {
                    return refuse(raw, "not a number of seconds");
                }
                if (!(s > 0 && s <= 86_400)) {
                    return refuse(raw, "seconds must be > 0 and at most 86400");
                }
                relay.blackhole(Duration.ofNanos((long) (s * 1e9)));
                return true;
            }
            case "stats" -> {
                if (w.length != 1) {
                    return refuse(raw, "usage: stats");
                }
                output.accept("up   " + relay.stats(ImpairRelay.Direction.UP).line());
                output.accept("down " + relay.stats(ImpairRelay.Direction.DOWN).line());
                return true;
            }
            default -> {
                return refuse(raw, "unknown command (blackhole SECONDS|off, stats)");
            }
        }
    }

    private static boolean refuse(String raw, String why) {
        log.warn("impair: control: \"{}\": {}", escape(raw), why);
        return false;
    }

    /** {@code s} with every character outside printable ASCII as {@code \xNN}, so a log line stays one line. */
    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x7f && c != '\\') {
                b.append(c);
            } else {
                b.append(String.format("\\x%02x", (int) c & 0xff));
            }
        }
        return b.toString();
    }

    /** Stops the reader (waking it with a newline) and closes the FIFO. Idempotent. */
    @Override
    public void close() {
        if (closed || fifo == null) {
            closed = true;
            return;
        }
        closed = true;
        // A second, write-only handle: FileChannel serializes read and write on one channel, and
        // the reader is blocked in read.
        try (FileChannel wake = FileChannel.open(path, StandardOpenOption.WRITE)) {
            wake.write(ByteBuffer.wrap("\n".getBytes(StandardCharsets.US_ASCII)));
            reader.join(2000);
        } catch (IOException e) {
            log.debug("impair: control FIFO: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            fifo.close();
            java.nio.file.Files.deleteIfExists(path);
        } catch (IOException e) {
            log.debug("impair: control FIFO: {}", e.toString());
        }
    }
}
