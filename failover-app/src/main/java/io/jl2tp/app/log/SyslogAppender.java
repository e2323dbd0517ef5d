package io.jl2tp.app.log;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.AppenderBase;
import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import io.jl2tp.tun.linux.LibC;

import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Logs to the local syslog daemon the way glibc's syslog(3) does, as xl2tpd {@code -l} and
 * pppd do: one AF_UNIX datagram per line to {@code /dev/log}, {@code <PRI>Mmm dd hh:mm:ss
 * TAG[PID]: message}, facility daemon. (Logback's own SyslogAppender speaks UDP to a host,
 * which a router's syslog rarely listens on.) The message is escaped ({@link LogText}); an
 * exception adds its class and message, not the whole trace. A syslog daemon that is not
 * running loses the line, as syslog(3) does, and is tried again for the next one.
 */
public final class SyslogAppender extends AppenderBase<ILoggingEvent> {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss", Locale.ROOT);

    private String socketPath = "/dev/log";
    private String tag = "jl2tp";
    private int fd = -1;
    private Memory address;
    private int addressLength;

    public void setSocketPath(String socketPath) {
        this.socketPath = socketPath;
    }

    public void setTag(String tag) {
        this.tag = tag;
    }

    @Override
    public void start() {
        byte[] p = socketPath.getBytes(StandardCharsets.UTF_8);
        if (p.length > 107) {
            addError("syslog socket path too long: " + socketPath);
            return;
        }
        address = new Memory(2 + 108);
        address.clear();
        address.setShort(0, (short) LibC.AF_UNIX);
        address.write(2, p, 0, p.length);
        addressLength = 2 + p.length + 1;
        try {
            fd = LibC.socket(LibC.AF_UNIX, LibC.SOCK_DGRAM | LibC.SOCK_CLOEXEC, 0);
        } catch (LastErrorException e) {
            addError("syslog: socket(AF_UNIX): " + LibC.strerrorText(e.getErrorCode()));
            return;
        }
        super.start();
    }

    /** The datagram for {@code event} (package-visible for tests). */
    String line(ILoggingEvent event) {
        int pri = Priority.LOG_DAEMON | Priority.severity(event.getLevel());
        StringBuilder sb = new StringBuilder().append('<').append(pri).append('>')
                .append(STAMP.format(LocalDateTime.now())).append(' ')
                .append(tag).append('[').append(ProcessHandle.current().pid()).append("]: ")
                .append(LogText.escape(event.getFormattedMessage()));
        IThrowableProxy t = event.getThrowableProxy();
        if (t != null) {
            sb.append(" (").append(t.getClassName()).append(t.getMessage() == null ? "" : ": " + LogText.escape(t.getMessage()))
                    .append(')');
        }
        return sb.toString();
    }

    @Override
    protected void append(ILoggingEvent event) {
        byte[] b = line(event).getBytes(StandardCharsets.UTF_8);
        Memory m = new Memory(Math.max(1, b.length));
        m.write(0, b, 0, b.length);
        try {
            LibC.sendto(fd, m, b.length, 0, address, addressLength);
        } catch (LastErrorException e) {
            // no syslog daemon right now: the line is lost, as with syslog(3)
        }
    }

    @Override
    public void stop() {
        super.stop();
        if (fd >= 0) {
            LibC.close(fd);
            fd = -1;
        }
    }
}
