package io.jl2tp.app.log;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * {@code %sdprio}: sd-daemon(3)'s {@code <N>} line prefix, by which journald files a line
 * written to stdout under the level's priority ({@code journalctl -p warning} then works).
 */
public final class JournalPriorityConverter extends ClassicConverter {

    @Override
    public String convert(ILoggingEvent event) {
        return "<" + Priority.severity(event.getLevel()) + ">";
    }
}
