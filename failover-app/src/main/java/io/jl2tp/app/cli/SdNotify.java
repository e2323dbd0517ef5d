package io.jl2tp.app.cli;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import io.jl2tp.tun.linux.LibC;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;

/**
 * systemd's readiness protocol (sd_notify(3)) without libsystemd: one datagram such as
 * {@code READY=1} or {@code STATUS=…} to the AF_UNIX socket named by {@code $NOTIFY_SOCKET}
 * (a path, or {@code @name} for the abstract namespace). Silent when not run by systemd.
 */
final class SdNotify {

    private static final Logger log = LoggerFactory.getLogger(SdNotify.class);
    private static final int AF_UNIX = 1;

    private SdNotify() {
    }

    /** Sends {@code state} (newline-separated assignments); returns whether it was sent. */
    static boolean notify(String state) {
        return send(System.getenv("NOTIFY_SOCKET"), state);
    }

    /** Sends {@code state} to {@code socket} (a path, or {@code @name} in the abstract namespace). */
    static boolean send(String socket, String state) {
        if (socket == null || socket.isEmpty()) {
            return false;
        }
        byte[] path = socket.getBytes(StandardCharsets.UTF_8);
        if (path.length > 107 || !(path[0] == '/' || path[0] == '@')) {
            log.warn("NOTIFY_SOCKET '{}' is not a usable socket path", socket);
            return false;
        }
        Memory addr = new Memory(2 + 108);
        addr.clear();
        addr.setShort(0, (short) AF_UNIX);
        addr.write(2, path, 0, path.length);
        if (path[0] == '@') {
            addr.setByte(2, (byte) 0); // abstract namespace
        }
        int len = 2 + path.length + (path[0] == '@' ? 0 : 1);
        byte[] msg = state.getBytes(StandardCharsets.UTF_8);
        Memory buf = new Memory(Math.max(1, msg.length));
        buf.write(0, msg, 0, msg.length);
        int fd = -1;
        try {
            fd = LibC.socket(AF_UNIX, LibC.SOCK_DGRAM | LibC.SOCK_CLOEXEC, 0);
            LibC.sendto(fd, buf, msg.length, 0, addr, len);
            return true;
        } catch (LastErrorException e) {
            log.warn("sd_notify to {} failed: errno {}", socket, e.getErrorCode());
            return false;
        } finally {
            if (fd >= 0) {
                LibC.close(fd);
            }
        }
    }
}
