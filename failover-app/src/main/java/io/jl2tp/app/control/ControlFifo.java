package io.jl2tp.app.control;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * xl2tpd's control FIFO (default /var/run/xl2tpd/l2tp-control): one command per line,
 * {@code c NAME [user [pass]]}, {@code d NAME}, {@code a NAME key=val;…}, {@code r NAME},
 * {@code s NAME}, {@code x}; an optional {@code @/path/file } prefix asks for the reply in that
 * file: {@code 00 OK} or {@code 01 <error>} (xl2tpd's format). Unlike xl2tpd, {@code s} replies
 * with the LAC's real state after the OK line. Messages over 1024 octets are refused. The FIFO
 * is created with mode 0600 (its directory 0700 if created), and removed on {@link #close()}.
 */
public final class ControlFifo implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ControlFifo.class);
    static final int MAX_MESSAGE = 1024;

    static {
        Native.register(ControlFifo.class, "c");
    }

    private static native int mkfifo(String path, int mode) throws LastErrorException;

    private final Path path;
    private final LacController controller;
    private final Thread reader;
    private volatile boolean closed;
    private InputStream in;

    private ControlFifo(Path path, LacController controller) {
        this.path = path;
        this.controller = controller;
        this.reader = new Thread(this::loop, "control-fifo");
        this.reader.setDaemon(true);
    }

    /** Creates a FIFO at {@code path} with mode 0600, replacing whatever was there. */
    public static void makeFifo(Path path) throws IOException {
        Files.deleteIfExists(path);
        try {
            mkfifo(path.toString(), 0600);
        } catch (LastErrorException e) {
            throw new IOException("mkfifo(" + path + "): errno " + e.getErrorCode());
        }
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
    }

    /** Creates (replacing a stale one) and starts serving the FIFO at {@code path}. */
    public static ControlFifo open(Path path, LacController controller) throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        makeFifo(path);
        ControlFifo f = new ControlFifo(path, controller);
        // Open read-write so that EOF never happens when writers come and go (no busy loop).
        f.in = java.nio.channels.Channels.newInputStream(java.nio.channels.FileChannel.open(path,
                java.nio.file.StandardOpenOption.READ, java.nio.file.StandardOpenOption.WRITE));
        f.reader.start();
        log.info("control FIFO {}", path);
        return f;
    }

    /** The FIFO's path. */
    public Path path() {
        return path;
    }

    private void loop() {
        StringBuilder line = new StringBuilder();
        byte[] buf = new byte[4096];
        while (!closed) {
            int n;
            try {
                n = in.read(buf);
            } catch (IOException e) {
                if (!closed) {
                    log.warn("control FIFO read failed: {}", e.getMessage());
                }
                return;
            }
            if (n < 0) {
                return;
            }
            for (int i = 0; i < n; i++) {
                char c = (char) (buf[i] & 0xff);
                if (c == '\n') {
                    handleLine(line.toString());
                    line.setLength(0);
                } else if (line.length() <= MAX_MESSAGE) {
                    line.append(c);
                }
            }
        }
    }

    /** Handles one command line (without its newline); public for tests. */
    void handleLine(String raw) {
        String line = raw.strip();
        if (line.isEmpty()) {
            return;
        }
        Path replyTo = null;
        if (line.startsWith("@")) {
            int sp = line.indexOf(' ');
            replyTo = Path.of(sp < 0 ? line.substring(1) : line.substring(1, sp));
            line = sp < 0 ? "" : line.substring(sp + 1).strip();
        }
        List<String> reply;
        if (raw.length() > MAX_MESSAGE) {
            reply = List.of("01 message longer than " + MAX_MESSAGE + " octets");
        } else {
            reply = execute(line);
        }
        if (reply.get(0).startsWith("01")) {
            log.warn("control: \"{}\": {}", redact(line), reply.get(0).substring(3));
        }
        if (replyTo != null) {
            try {
                Files.write(replyTo, (String.join("\n", reply) + "\n").getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                log.warn("control: cannot write the reply to {}: {}", replyTo, e.getMessage());
            }
        }
    }

    /** Never log a password given with {@code c NAME user pass}. */
    private static String redact(String line) {
        String[] w = line.split("\\s+");
        return w.length >= 4 && w[0].equals("c") ? w[0] + " " + w[1] + " " + w[2] + " ***" : line;
    }

    private List<String> execute(String line) {
        String[] w = line.split("\\s+", 3);
        String cmd = w[0];
        String name = w.length > 1 ? w[1] : null;
        try {
            switch (cmd) {
                case "c" -> {
                    String[] up = w.length > 2 ? w[2].split("\\s+", 2) : new String[0];
                    controller.connect(need(name), up.length > 0 ? up[0] : null, up.length > 1 ? up[1] : null);
                    return List.of("00 OK");
                }
                case "d" -> {
                    controller.disconnect(need(name));
                    return List.of("00 OK");
                }
                case "a" -> {
                    controller.add(need(name), w.length > 2 ? w[2] : "");
                    return List.of("00 OK");
                }
                case "r" -> {
                    controller.remove(need(name));
                    return List.of("00 OK");
                }
                case "s" -> {
                    List<String> out = new java.util.ArrayList<>();
                    out.add("00 OK");
                    if (name == null || name.isEmpty()) { // jl2tp: every LAC, each under its name
                        for (String n : controller.available()) {
                            out.add("[" + n + "]");
                            out.addAll(controller.status(n));
                        }
                    } else {
                        out.addAll(controller.status(name));
                    }
                    return out;
                }
                case "x" -> {
                    List<String> out = new java.util.ArrayList<>();
                    out.add("00 OK");
                    out.addAll(controller.available());
                    return out;
                }
                case "z", "y", "w" -> {
                    return List.of("01 LNS management is not supported by 'jl2tp xl2tpd' (use 'jl2tp lns')");
                }
                case "o", "h", "t" -> {
                    return List.of("01 command '" + cmd + "' (outgoing calls, raw tunnels) is not supported");
                }
                default -> {
                    return List.of("01 unknown command '" + cmd + "'");
                }
            }
        } catch (LacController.ControlException e) {
            return List.of("01 " + e.getMessage());
        } catch (RuntimeException e) {
            log.error("control command failed", e);
            return List.of("01 internal error: " + e.getMessage());
        }
    }

    private static String need(String name) throws LacController.ControlException {
        if (name == null || name.isEmpty()) {
            throw new LacController.ControlException("missing LAC name");
        }
        return name;
    }

    /** Stops serving and removes the FIFO. */
    @Override
    public void close() {
        closed = true;
        try {
            // wake the reader with an empty line, then close
            Files.write(path, new byte[] {'\n'}, java.nio.file.StandardOpenOption.WRITE);
            in.close();
            reader.join(1000);
            Files.deleteIfExists(path);
        } catch (IOException | InterruptedException e) {
            log.debug("closing the control FIFO: {}", e.toString());
        }
    }
}
