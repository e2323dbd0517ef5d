package io.jl2tp.app.log;

/**
 * The one place where text becomes safe to log. Peer-supplied strings (a Host Name AVP, a
 * Result Code message, an LCP Terminate reason, a control-FIFO command) reach log messages
 * as they came; every appender formats the message through {@link #escape}, so an ESC, NUL
 * or line break from a peer can neither recolour a terminal nor forge a log line.
 */
public final class LogText {

    private LogText() {
    }

    /**
     * {@code s} with every control character (C0, DEL, C1, and the Unicode line and paragraph
     * separators) written as {@code \n}, {@code \r}, {@code \t} or {@code \xNN} / {@code \u2028};
     * a backslash stays as it is. Null stays null.
     */
    public static String escape(String s) {
        if (s == null) {
            return null;
        }
        int i = 0;
        while (i < s.length() && !needsEscape(s.charAt(i))) {
            i++;
        }
        if (i == s.length()) {
            return s; // the common case: nothing to do, no copy
        }
        StringBuilder sb = new StringBuilder(s.length() + 16).append(s, 0, i);
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!needsEscape(c)) {
                sb.append(c);
            } else if (c == '\n') {
                sb.append("\\n");
            } else if (c == '\r') {
                sb.append("\\r");
            } else if (c == '\t') {
                sb.append("\\t");
            } else if (c <= 0xff) {
                sb.append(String.format("\\x%02x", (int) c));
            } else {
                sb.append(String.format("\\u%04x", (int) c));
            }
        }
        return sb.toString();
    }

    private static boolean needsEscape(char c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029';
    }
}
