package io.jl2tp.l2tp.util;

/**
 * Text a peer sent (Host Name, Result Code message, …) made safe for a log line: control
 * characters (C0, DEL, C1 — ESC, NUL, CR, LF among them) become {@code \xNN}, backslashes are
 * doubled, and anything beyond {@link #MAX} characters is cut with a note, so a peer can neither
 * forge or split log lines nor drive terminal escapes (issue 11 row 7).
 */
public final class PeerText {

    /** Longest text kept. */
    public static final int MAX = 256;

    private PeerText() {
    }

    /** The escaped text; "null" for null. */
    public static String escape(String s) {
        if (s == null) {
            return "null";
        }
        int n = Math.min(s.length(), MAX);
        StringBuilder b = new StringBuilder(n + 8);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || (c >= 0x7f && c < 0xa0)) {
                b.append(String.format("\\x%02x", (int) c));
            } else if (c == '\\') {
                b.append("\\\\");
            } else {
                b.append(c);
            }
        }
        if (s.length() > MAX) {
            b.append("…(").append(s.length() - MAX).append(" more)");
        }
        return b.toString();
    }
}
