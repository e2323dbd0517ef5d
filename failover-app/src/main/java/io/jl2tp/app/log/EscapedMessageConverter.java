package io.jl2tp.app.log;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * {@code %emsg}: the formatted message through {@link LogText#escape} — the pattern word every
 * jl2tp appender uses instead of {@code %msg}. Stack traces ({@code %ex}) are left whole.
 */
public final class EscapedMessageConverter extends ClassicConverter {

    @Override
    public String convert(ILoggingEvent event) {
        return LogText.escape(event.getFormattedMessage());
    }
}
