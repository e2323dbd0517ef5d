package io.jl2tp.app.harness.session;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.Function;

/**
 * A harness's control socket: a Unix domain stream socket (mode 0600) at a path; each
 * connection sends command lines and gets each reply followed by an empty line, e.g.
 * {@code echo 'stopccn result 6 error 0 "bye"' | socat - UNIX-CONNECT:/run/lns.ctl}. Lines
 * longer than 1024 octets are refused. One accepting thread serves connections one at a time.
 *
 * <p>Threads: its own daemon thread; the handler is called there (it hands work to the loop).
 */
public final class ControlSocket implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ControlSocket.class);
    private static final int MAX_LINE = 1024;

    private final Path path;
    private final ServerSocketChannel server;
    private final Function<String, String> handler;
    private final Thread thread;
    private volatile boolean closed;

    private ControlSocket(Path path, ServerSocketChannel server, Function<String, String> handler) {
        this.path = path;
        this.server = server;
        this.handler = handler;
        this.thread = new Thread(this::serve, "harness-control");
        this.thread.setDaemon(true);
    }

    /** Creates the socket at {@code path} (replacing a stale socket there) and serves it. */
    public static ControlSocket open(Path path, Function<String, String> handler) throws IOException {
        if (Files.exists(path) && !Files.isDirectory(path)) {
            Files.delete(path);
        }
        ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            s.bind(UnixDomainSocketAddress.of(path));
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
        ControlSocket c = new ControlSocket(path, s, handler);
        c.thread.start();
        return c;
    }

    private void serve() {
        while (!closed) {
            try (SocketChannel ch = server.accept()) {
                connection(ch);
            } catch (IOException e) {
                if (!closed) {
                    log.debug("control socket: {}", e.getMessage());
                }
            }
        }
    }

    private void connection(SocketChannel ch) throws IOException {
        ByteBuffer in = ByteBuffer.allocate(4096);
        StringBuilder line = new StringBuilder();
        while (ch.read(in) > 0 || in.position() > 0) {
            in.flip();
            while (in.hasRemaining()) {
                char c = (char) (in.get() & 0xff);
                if (c == '\n') {
                    reply(ch, line.toString());
                    line.setLength(0);
                } else if (line.length() <= MAX_LINE) {
                    line.append(c);
                }
            }
            in.clear();
        }
        if (line.length() > 0) {
            reply(ch, line.toString());
        }
    }

    private void reply(SocketChannel ch, String raw) throws IOException {
        String cmd = new String(raw.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8).strip();
        if (cmd.isEmpty()) {
            return;
        }
        String out = cmd.length() > MAX_LINE ? "error: command longer than " + MAX_LINE + " octets" : handler.apply(cmd);
        log.info("control: {} -> {}", cmd.length() > 80 ? cmd.substring(0, 80) + "…" : cmd, out.lines().findFirst().orElse(""));
        ch.write(ByteBuffer.wrap((out + "\n\n").getBytes(StandardCharsets.UTF_8)));
    }

    /** The socket's path. */
    public Path path() {
        return path;
    }

    /** Stops serving and removes the socket file. */
    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            log.debug("control socket close: {}", e.getMessage());
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            log.debug("control socket remove: {}", e.getMessage());
        }
    }
}
