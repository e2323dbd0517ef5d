package io.jl2tp.ppp.options;

/**
 * An option that was accepted with a warning: unknown to jl2tp (kept so that files written
 * for pppd plugins still load) or known but without effect here.
 *
 * @param file    the options file, or {@code <arguments>}
 * @param line    1-based line
 * @param option  the option as written
 * @param message why it is warned about
 */
public record OptionWarning(String file, int line, String option, String message) {

    /** {@code file:line: option 'x': message}. */
    @Override
    public String toString() {
        return file + ":" + line + ": option '" + option + "': " + message;
    }
}
