package io.jl2tp.app.log;

import ch.qos.logback.classic.Level;

/** syslog(3) severities for logback levels (RFC 5424 §6.2.1), as journald and syslog read them. */
public final class Priority {

    public static final int LOG_DAEMON = 3 << 3;

    private Priority() {
    }

    /** 3 (err) for ERROR, 4 (warning) for WARN, 6 (info) for INFO, 7 (debug) for DEBUG and TRACE. */
    public static int severity(Level level) {
        return switch (level.toInt()) {
            case Level.ERROR_INT -> 3;
            case Level.WARN_INT -> 4;
            case Level.INFO_INT -> 6;
            default -> 7;
        };
    }
}
