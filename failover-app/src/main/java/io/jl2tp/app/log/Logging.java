package io.jl2tp.app.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;

/** Run-time logging choices: the pattern for where stdout goes, syslog, and debug for parts. */
public final class Logging {

    /** The stdout appender ({@link LogConfigurator}). */
    public static final String STDOUT = "OUT";

    private Logging() {
    }

    /**
     * The stdout pattern for this environment (set as {@code jl2tp.log.pattern} before logback
     * starts): with the time for a terminal; under systemd without it (journald stamps lines),
     * and with sd-daemon's {@code <N>} prefix when stdout is the journal ({@code JOURNAL_STREAM}),
     * so levels become journal priorities. Every line carries its level, in words.
     */
    public static String pattern(Map<String, String> env) {
        if (env.get("JOURNAL_STREAM") != null) {
            return "%sdprio%-5level %emsg%n%ex";
        }
        if (env.get("INVOCATION_ID") != null) {
            return "%-5level %emsg%n%ex";
        }
        return null; // LogConfigurator's default, with the time
    }

    /** Replaces stdout by syslog ({@code socketPath}, normally /dev/log) for every logger. */
    public static void toSyslog(String socketPath, String tag) {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        SyslogAppender s = new SyslogAppender();
        s.setContext(ctx);
        s.setName("SYSLOG");
        s.setSocketPath(socketPath);
        s.setTag(tag);
        s.start();
        Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
        root.addAppender(s);
        root.detachAppender(STDOUT);
    }

    /** Raises each named logger (a package, e.g. {@code io.jl2tp.l2tp.wire}) to DEBUG. */
    public static void debug(List<String> loggers) {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        for (String name : loggers) {
            ctx.getLogger(name).setLevel(Level.DEBUG);
        }
    }
}
