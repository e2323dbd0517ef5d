package io.jl2tp.app.config;

/**
 * A configuration value jl2tp cannot use. The message names the file, line, section and key:
 * {@code /etc/xl2tpd/xl2tpd.conf:7: [lac aaisp] redial timeout: "ten" is not a number}.
 */
public final class BadConfigException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String file;
    private final int line;
    private final String section;
    private final String key;
    private final String reason;

    public BadConfigException(String file, int line, String section, String key, String reason) {
        super(file + ":" + line + ": " + (section == null ? "" : "[" + section + "] ") + (key == null ? "" : key + ": ") + reason,
                null, false, false);
        this.file = file;
        this.line = line;
        this.section = section;
        this.key = key;
        this.reason = reason;
    }

    public String file() {
        return file;
    }

    public int line() {
        return line;
    }

    public String section() {
        return section;
    }

    public String key() {
        return key;
    }

    public String reason() {
        return reason;
    }
}
