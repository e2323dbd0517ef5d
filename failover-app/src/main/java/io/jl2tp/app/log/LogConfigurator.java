package io.jl2tp.app.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.pattern.DynamicConverter;
import ch.qos.logback.core.spi.ContextAwareBase;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * jl2tp's logging set-up, in code rather than a logback.xml: logback finds it through
 * {@code META-INF/services/ch.qos.logback.classic.spi.Configurator} and so never loads its XML
 * configurator (Joran, SAX: ~670 classes and a third of the start-up CPU, docs/benchmarks.md
 * "Footprint and start-up"). One stdout appender {@value Logging#STDOUT}: every line carries its
 * level, {@code %emsg} escapes peer-supplied text ({@link LogText}); {@code jl2tp.log.pattern}
 * (set by {@code Main} under systemd: no time, {@code %sdprio} prefixes with the journal) replaces
 * the default pattern with the time; {@code jl2tp.log.level} sets io.jl2tp's level (INFO).
 * A {@code -Dlogback.configurationFile} or a {@code logback-test.xml} on the class path (the
 * tests') still wins: logback's XML configurator then runs as usual.
 *
 * <p>Runs once, on the thread that first asks SLF4J for a logger.
 */
public final class LogConfigurator extends ContextAwareBase implements Configurator {

    /** The stdout pattern for a terminal. */
    public static final String DEFAULT_PATTERN = "%d{HH:mm:ss.SSS} %-5level %emsg%n%ex";

    @Override
    public ExecutionStatus configure(LoggerContext ctx) {
        if (System.getProperty("logback.configurationFile") != null
                || LogConfigurator.class.getClassLoader().getResource("logback-test.xml") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        configure(ctx, System.getProperty("jl2tp.log.pattern"), System.getProperty("jl2tp.log.level"));
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /**
     * Configures {@code ctx}: the stdout appender with {@code pattern} (null: {@link #DEFAULT_PATTERN}),
     * io.jl2tp at {@code level} (null: INFO), io.netty and everything else at WARN.
     */
    public static void configure(LoggerContext ctx, String pattern, String level) {
        @SuppressWarnings("unchecked")
        Map<String, Supplier<DynamicConverter<?>>> rules =
                (Map<String, Supplier<DynamicConverter<?>>>) ctx.getObject(CoreConstants.PATTERN_RULE_REGISTRY_FOR_SUPPLIERS);
        if (rules == null) {
            rules = new HashMap<>();
            ctx.putObject(CoreConstants.PATTERN_RULE_REGISTRY_FOR_SUPPLIERS, rules);
        }
        rules.put("emsg", EscapedMessageConverter::new);
        rules.put("sdprio", JournalPriorityConverter::new);

        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(ctx);
        encoder.setPattern(pattern == null || pattern.isEmpty() ? DEFAULT_PATTERN : pattern);
        encoder.start();
        ConsoleAppender<ILoggingEvent> out = new ConsoleAppender<>();
        out.setContext(ctx);
        out.setName(Logging.STDOUT);
        out.setEncoder(encoder);
        out.start();

        ctx.getLogger("io.netty").setLevel(Level.WARN);
        ctx.getLogger("io.jl2tp").setLevel(Level.toLevel(level, Level.INFO));
        Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.addAppender(out);
    }
}
