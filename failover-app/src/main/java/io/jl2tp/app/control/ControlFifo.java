package io.jl2tp.app.control;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import io.jl2tp.tun.linux.LibC;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * xl2tpd's control FIFO (default /var/run/xl2tpd/l2tp-control), read the way xl2tpd's
 * {@code do_control} reads it: <b>each write is one message</b>, a trailing newline optional —
 * {@code xl2tpd-control} writes {@code @/var/run/xl2tpd/xl2tpd-control-PID.out c NAME} without
 * one, {@code echo "c NAME" > FIFO} with one. A message holding several newline-separated lines
 * (a script's {@code printf 'c a\nd a\n'}) is several commands.
 *
 * <p>Commands: {@code c NAME [user [pass]]}, {@code d NAME}, {@code a NAME key=val;…},
 * {@code r NAME}, {@code s [NAME]}, {@code x}. An optional {@code @/path } prefix asks for the
 * reply in that file, in xl2tpd's format: {@code 00 OK} or {@code 01 <error>}, then for {@code x}
 * {@code 00 AVAILABLE lac.N.name=NAME} … {@code 00 AVAILABLE lac.count=N}, and for {@code s}
 * (where xl2tpd writes nothing) {@code 00 STATUS <line>} per line of the LAC's state.
 *
 * <p>Bad input never stops the reader: a message that is not UTF-8 text, holds a NUL or other
 * control byte, is longer than 1 024 octets (xl2tpd's CONTROL_PIPE_MESSAGE_SIZE) or names a
 * reply path that is not absolute is refused with a warning (the text escaped). The reply file
 * is opened {@code O_NOFOLLOW | O_NONBLOCK}: a symbolic link is refused, a FIFO nobody reads
 * is given up at once instead of blocking the reader, and only a FIFO or a regular file is
 * written. The FIFO is created with mode 0600 (its directory 0700 if created), and removed on
 * {@link #close()}.
 *
 * <p>Threads: one daemon thread ({@code control-fifo}) owns the channel's reads and every
 * controller call; {@link #close()} may be called from any thread.
 */
public final class ControlFifo implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ControlFifo.class);
    /** xl2tpd's CONTROL_PIPE_MESSAGE_SIZE: the longest command, reply path included. */
    static final int MAX_MESSAGE = 1024;
    /** A read this size (PIPE_BUF) holds any number of whole writes of at most PIPE_BUF octets. */
    private static final int READ_SIZE = 4096;
    private static final int PATH_MAX = 4096;

    private final Path path;
    private final LacController controller;
    private final FileChannel channel;
    private final Thread reader;
    private volatile boolean closed;

    private ControlFifo(Path path, LacController controller, FileChannel channel) {
        this.path = path;
        this.controller = controller;
        this.channel = channel;
        this.reader = new Thread(this::loop, "control-fifo");
        this.reader.setDaemon(true);
    }

    /** Creates a FIFO at {@code path} with mode 0600, replacing whatever was there. */
    public static void makeFifo(Path path) throws IOException {
        Files.deleteIfExists(path);
        try {
            LibC.mkfifo(path.toString(), 0600);
        } catch (LastErrorException e) {
            throw new IOException("mkfifo " + path + ": " + LibC.strerrorText(e.getErrorCode()));
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
        // Open read-write so that EOF never happens when writers come and go (no busy loop).
        FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        ControlFifo f = new ControlFifo(path, controller, ch);
        f.reader.start();
        log.info("control FIFO {}", path);
        return f;
    }

    /** The FIFO's path. */
    public Path path() {
        return path;
    }

    private void loop() {
        ByteBuffer buf = ByteBuffer.allocate(READ_SIZE);
        while (!closed) {
            int n;
            try {
                buf.clear();
                n = channel.read(buf);
            } catch (ClosedChannelException e) {
                return; // close()
            } catch (IOException e) {
                if (!closed) {
                    log.warn("control FIFO {}: read failed: {}; still serving", path, e.getMessage());
                }
                continue;
            }
            if (n <= 0) {
                continue;
            }
            try {
                handleMessage(java.util.Arrays.copyOf(buf.array(), n));
            } catch (RuntimeException e) { // a bug must not take the control FIFO down with it
                log.error("control FIFO: failed to handle a message", e);
            }
        }
    }

    /** One read's worth of octets: one command, or several separated by newlines. */
    void handleMessage(byte[] message) {
        int start = 0;
        for (int i = 0; i <= message.length; i++) {
            if (i == message.length || message[i] == '\n') {
                if (i > start) {
                    handleCommand(java.util.Arrays.copyOfRange(message, start, i));
                }
                start = i + 1;
            }
        }
    }

    /** Handles one command (without its newline); package-visible for tests. */
    void handleCommand(byte[] raw) {
        int len = raw.length;
        if (len > 0 && raw[len - 1] == '\r') {
            len--;
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(raw, 0, len)).toString();
        } catch (CharacterCodingException e) {
            log.warn("control: refused a message that is not UTF-8 text ({} octets)", raw.length);
            return;
        }
        String line = text.strip();
        if (line.isEmpty()) {
            return;
        }
        Path replyTo = null;
        if (line.startsWith("@")) {
            int sp = line.indexOf(' ');
            String p = sp < 0 ? line.substring(1) : line.substring(1, sp);
            line = sp < 0 ? "" : line.substring(sp + 1).strip();
            String bad = replyPathProblem(p);
            if (bad != null) {
                log.warn("control: refused \"{}\": reply path {}", redact(line), redact(bad));
                return;
            }
            replyTo = Path.of(p);
        }
        List<String> reply;
        if (raw.length > MAX_MESSAGE) {
            reply = List.of("01 message longer than " + MAX_MESSAGE + " octets");
        } else if (line.chars().anyMatch(c -> c != '\t' && Character.isISOControl(c))) {
            reply = List.of("01 control characters are not allowed in a command");
        } else if (line.isEmpty()) {
            reply = List.of("01 missing command");
        } else {
            reply = execute(line);
        }
        if (reply.get(0).startsWith("01")) {
            log.warn("control: \"{}\": {}", redact(line), reply.get(0).substring(3));
        }
        if (replyTo != null) {
            writeReply(replyTo, (String.join("\n", reply) + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Why {@code p} cannot be a reply path, or null. */
    private static String replyPathProblem(String p) {
        if (p.isEmpty()) {
            return "is empty";
        }
        if (p.length() > PATH_MAX) {
            return "is longer than " + PATH_MAX + " characters";
        }
        if (p.chars().anyMatch(Character::isISOControl)) {
            return "contains a control character";
        }
        if (!p.startsWith("/")) {
            return "is not absolute";
        }
        return null;
    }

    /**
     * Writes the reply as xl2tpd does ({@code fopen(path, "w")}), but never through a symbolic
     * link, never blocking on a FIFO without a reader, and only into a FIFO or a regular file.
     */
    private static void writeReply(Path to, byte[] bytes) {
        int fd;
        try {
            fd = LibC.open(to.toString(), LibC.O_WRONLY | LibC.O_NONBLOCK | LibC.O_NOFOLLOW | LibC.O_CREAT | LibC.O_CLOEXEC, 0600);
        } catch (LastErrorException e) {
            String why = switch (e.getErrorCode()) {
                case LibC.ELOOP -> "it is a symbolic link (refused)";
                case LibC.ENXIO -> "nobody reads that FIFO";
                default -> LibC.strerrorText(e.getErrorCode());
            };
            log.warn("control: cannot write the reply to {}: {}", to, why);
            return;
        }
        try {
            // fstat(2) through /proc: the attributes of the file this descriptor has open.
            PosixFileAttributes a = Files.readAttributes(Path.of("/proc/self/fd/" + fd), PosixFileAttributes.class);
            if (a.isRegularFile()) {
                if (a.size() > 0) {
                    LibC.ftruncate(fd, 0);
                }
            } else if (!a.isOther()) { // isOther: a FIFO (or socket/device, which open(2) would not give us here)
                log.warn("control: cannot write the reply to {}: not a FIFO or a regular file", to);
                return;
            }
            Memory m = new Memory(Math.max(1, bytes.length));
            m.write(0, bytes, 0, bytes.length);
            long off = 0;
            while (off < bytes.length) {
                long w = LibC.write(fd, m.share(off), bytes.length - off);
                off += w;
            }
        } catch (IOException | LastErrorException e) {
            log.warn("control: cannot write the reply to {}: {}", to,
                    e instanceof LastErrorException le ? LibC.strerrorText(le.getErrorCode()) : e.getMessage());
        } finally {
            LibC.close(fd);
        }
    }

    /** Never log a password given with {@code c NAME user pass}; at most 200 characters. */
    private static String redact(String line) {
        String[] w = line.split("\\s+");
        String s = w.length >= 4 && w[0].equals("c") ? w[0] + " " + w[1] + " " + w[2] + " ***" : line;
        return s.length() > 200 ? s.substring(0, 200) + "…(" + s.length() + " characters)" : s;
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
                    List<String> out = new ArrayList<>();
                    out.add("00 OK");
                    if (name == null || name.isEmpty()) { // jl2tp: every LAC, each under its name
                        for (String n : controller.available()) {
                            out.add("00 STATUS [" + n + "]");
                            controller.status(n).forEach(s -> out.add("00 STATUS " + s));
                        }
                    } else {
                        controller.status(name).forEach(s -> out.add("00 STATUS " + s));
                    }
                    return out;
                }
                case "x" -> { // xl2tpd's control_handle_available format
                    List<String> out = new ArrayList<>();
                    out.add("00 OK");
                    out.add("00 AVAILABLE lns.count=0");
                    List<String> lacs = controller.available();
                    for (int i = 0; i < lacs.size(); i++) {
                        out.add("00 AVAILABLE lac." + i + ".name=" + lacs.get(i));
                    }
                    out.add("00 AVAILABLE lac.count=" + lacs.size());
                    return out;
                }
                case "z", "y", "w" -> {
                    return List.of("01 LNS management is not supported by 'jl2tp xl2tpd' (use 'jl2tp lns')");
                }
                case "o", "h", "t" -> {
                    return List.of("01 command '" + cmd + "' (outgoing calls, raw tunnels) is not supported");
                }
                default -> {
                    return List.of("01 unknown command '" + redact(cmd) + "'");
                }
            }
        } catch (LacController.ControlException e) {
            return List.of("01 " + e.getMessage());
        } catch (RuntimeException e) {
            log.error("control command failed", e);
            return List.of("01 internal error: " + e);
        }
    }

    private static String need(String name) throws LacController.ControlException {
        if (name == null || name.isEmpty()) {
            throw new LacController.ControlException("missing LAC name");
        }
        return name;
    }

    /** Stops serving and removes the FIFO; returns once the reader has stopped. */
    @Override
    public void close() {
        closed = true;
        try {
            channel.close(); // wakes a reader blocked in read(2) (the channel signals it)
        } catch (IOException e) {
            log.debug("closing the control FIFO: {}", e.toString());
        }
        try {
            reader.join(TimeUnit.SECONDS.toMillis(5));
            if (reader.isAlive()) {
                log.warn("control FIFO reader still busy after 5 s; leaving it (daemon thread)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                Files.delete(path);
            }
        } catch (IOException e) {
            log.warn("cannot remove the control FIFO {}: {}", path, e.getMessage());
        }
    }
}
