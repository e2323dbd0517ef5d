package io.jl2tp.app.control;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import io.jl2tp.tun.linux.LibC;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * The client side of a control reply, as xl2tpd-control does it: a FIFO made and opened for
 * reading ({@code O_NONBLOCK}) <em>before</em> the command is sent, so that the daemon's
 * non-blocking open for writing finds a reader; then poll(2) until the daemon has written and
 * closed it. (Linux reports no hang-up on a FIFO that has had no writer since it was opened,
 * so the wait is for the daemon, not a busy loop.) Closing removes the FIFO.
 */
public final class ReplyFifo implements AutoCloseable {

    private static final int EAGAIN = 11;
    private static final short POLLHUP = 0x10;

    private final Path path;
    private final int fd;

    private ReplyFifo(Path path, int fd) {
        this.path = path;
        this.fd = fd;
    }

    /** Makes the FIFO {@code path} (mode 0600, replacing what was there) and opens it for reading. */
    public static ReplyFifo create(Path path) throws IOException {
        ControlFifo.makeFifo(path);
        try {
            return new ReplyFifo(path, LibC.open(path.toString(), LibC.O_RDONLY | LibC.O_NONBLOCK | LibC.O_CLOEXEC));
        } catch (LastErrorException e) {
            Files.deleteIfExists(path);
            throw new IOException("open " + path + ": " + LibC.strerrorText(e.getErrorCode()));
        }
    }

    public Path path() {
        return path;
    }

    /** The reply: everything written until the writer closed; TimeoutException if none in time. */
    public String read(Duration timeout) throws IOException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Memory pfd = new Memory(8);
        Memory buf = new Memory(4096);
        while (true) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                throw new TimeoutException("no reply in " + path);
            }
            pfd.setInt(0, fd);
            pfd.setShort(4, LibC.POLLIN);
            pfd.setShort(6, (short) 0);
            int ready = LibC.poll(pfd, 1, (int) Math.min(left, Integer.MAX_VALUE));
            if (ready <= 0) {
                continue; // timeout (checked above) or EINTR
            }
            long n;
            try {
                n = LibC.read(fd, buf, buf.size());
            } catch (LastErrorException e) {
                if (e.getErrorCode() == EAGAIN) {
                    continue;
                }
                throw new IOException("read " + path + ": " + LibC.strerrorText(e.getErrorCode()));
            }
            if (n > 0) {
                out.write(buf.getByteArray(0, (int) n), 0, (int) n);
            } else if ((pfd.getShort(6) & POLLHUP) != 0 || out.size() > 0) {
                return out.toString(StandardCharsets.UTF_8); // the writer has closed
            }
        }
    }

    @Override
    public void close() throws IOException {
        LibC.close(fd);
        Files.deleteIfExists(path);
    }
}
