package io.jl2tp.ppp.options;

import java.util.Objects;

/**
 * A pppd options file or secrets file that cannot be used: names the file, the line, the
 * option (or secrets column) and the reason, like wireguard-android's
 * {@code BadConfigException}. Never carries a secret's value.
 */
public final class PppConfigException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String file;     // file name as given, or "<command line>"
    private final int line;        // 1-based line, 0 if not line-specific
    private final String option;   // option name or secrets column, null if none
    private final String reason;   // what is wrong

    /** Creates the exception; {@code option} may be null. */
    public PppConfigException(String file, int line, String option, String reason) {
        super(format(file, line, option, reason));
        this.file = Objects.requireNonNull(file, "file");
        this.line = line;
        this.option = option;
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    private static String format(String file, int line, String option, String reason) {
        StringBuilder sb = new StringBuilder(file);
        if (line > 0) {
            sb.append(':').append(line);
        }
        sb.append(": ");
        if (option != null) {
            sb.append("option '").append(option).append("': ");
        }
        return sb.append(reason).toString();
    }

    /** The file the problem is in. */
    public String file() {
        return file;
    }

    /** The 1-based line, or 0 when the problem is about the whole file. */
    public int line() {
        return line;
    }

    /** The option or column concerned, or null. */
    public String option() {
        return option;
    }

    /** The reason, without location. */
    public String reason() {
        return reason;
    }
}
