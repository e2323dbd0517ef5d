package io.jl2tp.app.config;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns logging off while Jazzer fuzzes (JAZZER_FUZZ set, the {@code fuzz} profile): a million
 * malformed inputs must not become a million warnings on the console. Replay runs keep the
 * normal levels.
 */
public final class FuzzLogging {

    private FuzzLogging() {
    }

    /** Silences the root logger when fuzzing. */
    public static void quietWhenFuzzing() {
        String fuzz = System.getenv("JAZZER_FUZZ");
        if (fuzz != null && !fuzz.isEmpty()
                && LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof Logger root) {
            root.setLevel(Level.OFF);
        }
    }
}
