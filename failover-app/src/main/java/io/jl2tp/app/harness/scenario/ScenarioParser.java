package io.jl2tp.app.harness.scenario;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads the scenario format of {@link Scenario}; every problem is one {@link ScenarioException}
 * naming the source and line. The same grammar parses control-socket commands ({@link #action}).
 * Stateless; any thread.
 */
public final class ScenarioParser {

    private static final int MAX_LINES = 10_000;
    private static final int MAX_N = 65_535;
    private static final Duration MAX_TIME = Duration.ofDays(1);

    private ScenarioParser() {
    }

    /** Parses a scenario file; an unreadable file is a problem at line 0. */
    public static Scenario parseFile(Path file) throws ScenarioException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new ScenarioException(file.toString(), 0, "cannot read: " + e.getMessage());
        }
        return parse(text, file.toString());
    }

    /** Parses scenario text; {@code source} names it in errors. */
    public static Scenario parse(String text, String source) throws ScenarioException {
        List<Directive> out = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        if (lines.length > MAX_LINES) {
            throw new ScenarioException(source, MAX_LINES + 1, "more than " + MAX_LINES + " lines");
        }
        for (int i = 0; i < lines.length; i++) {
            Directive d = line(lines[i], source, i + 1);
            if (d != null) {
                out.add(d);
            }
        }
        return new Scenario(out);
    }

    /** One line; null for a blank or comment line. */
    public static Directive line(String line, String source, int number) throws ScenarioException {
        List<String> w = words(line, source, number);
        if (w.isEmpty()) {
            return null;
        }
        Cursor c = new Cursor(w, source, number);
        String head = c.next("a directive");
        Directive d = switch (head) {
            case "drop" -> new Directive.DropControl(c.control());
            case "delay" -> {
                int n = c.control();
                yield new Directive.DelayControl(n, c.time());
            }
            case "duplicate" -> new Directive.DuplicateControl(c.control());
            case "reorder" -> new Directive.ReorderControl(c.control());
            case "withhold-zlb" -> new Directive.WithholdZlb();
            case "auth" -> {
                c.expect("reject");
                yield new Directive.AuthReject();
            }
            case "nak-forever" -> {
                c.expect("lcp");
                c.expect("mru");
                yield new Directive.NakForeverLcpMru();
            }
            case "after" -> {
                Duration t = c.time();
                yield new Directive.After(t, c.action(c.next("an action after the time")));
            }
            default -> new Directive.After(Duration.ZERO, c.action(head));
        };
        c.end();
        return d;
    }

    /** A control-socket command that is an action (stopccn, cdn, lcp-terminate, send …). */
    public static Action action(String line, String source) throws ScenarioException {
        List<String> w = words(line, source, 1);
        if (w.isEmpty()) {
            throw new ScenarioException(source, 1, "empty command");
        }
        Cursor c = new Cursor(w, source, 1);
        Action a = c.action(c.next("an action"));
        c.end();
        return a;
    }

    /** Splits on blanks; "double quoted" words keep their blanks; # outside quotes ends the line. */
    static List<String> words(String line, String source, int number) throws ScenarioException {
        List<String> out = new ArrayList<>();
        StringBuilder cur = null;
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quoted) {
                if (ch == '"') {
                    quoted = false;
                    out.add(cur.toString());
                    cur = null;
                } else if (ch < 0x20 && ch != '\t') {
                    throw new ScenarioException(source, number, "control character in a quoted message");
                } else {
                    cur.append(ch);
                }
            } else if (ch == '"') {
                if (cur != null) {
                    throw new ScenarioException(source, number, "a quote inside a word");
                }
                quoted = true;
                cur = new StringBuilder();
            } else if (ch == '#') {
                break;
            } else if (Character.isWhitespace(ch)) {
                if (cur != null) {
                    out.add(cur.toString());
                    cur = null;
                }
            } else {
                if (cur == null) {
                    cur = new StringBuilder();
                }
                cur.append(ch);
            }
        }
        if (quoted) {
            throw new ScenarioException(source, number, "unterminated quoted message");
        }
        if (cur != null) {
            out.add(cur.toString());
        }
        return out;
    }

    /** Parses TIME: a number with ms, s or m (e.g. 500ms, 2s, 1.5s, 1m). */
    public static Duration time(String s) {
        String v = s.toLowerCase(Locale.ROOT);
        long factor;
        String num;
        if (v.endsWith("ms")) {
            factor = 1;
            num = v.substring(0, v.length() - 2);
        } else if (v.endsWith("s")) {
            factor = 1000;
            num = v.substring(0, v.length() - 1);
        } else if (v.endsWith("m")) {
            factor = 60_000;
            num = v.substring(0, v.length() - 1);
        } else {
            throw new IllegalArgumentException("'" + s + "' is not a time (use 500ms, 2s or 1m)");
        }
        double d;
        try {
            d = Double.parseDouble(num);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + s + "' is not a time (use 500ms, 2s or 1m)");
        }
        if (!(d >= 0) || Double.isInfinite(d) || num.startsWith("+") || num.isEmpty()) {
            throw new IllegalArgumentException("'" + s + "' is not a time (use 500ms, 2s or 1m)");
        }
        Duration t = Duration.ofMillis(Math.round(d * factor));
        if (t.compareTo(MAX_TIME) > 0) {
            throw new IllegalArgumentException("'" + s + "' is longer than a day");
        }
        return t;
    }

    /** Walks the words of one line. */
    private static final class Cursor {
        private final List<String> w;
        private final String source;
        private final int line;
        private int i;

        Cursor(List<String> w, String source, int line) {
            this.w = w;
            this.source = source;
            this.line = line;
        }

        ScenarioException bad(String problem) {
            return new ScenarioException(source, line, problem);
        }

        String next(String what) throws ScenarioException {
            if (i >= w.size()) {
                throw bad("expected " + what + " after '" + String.join(" ", w) + "'");
            }
            return w.get(i++);
        }

        boolean peek(String word) {
            return i < w.size() && w.get(i).equals(word);
        }

        void expect(String word) throws ScenarioException {
            String got = next("'" + word + "'");
            if (!got.equals(word)) {
                throw bad("expected '" + word + "', found '" + got + "'");
            }
        }

        void end() throws ScenarioException {
            if (i < w.size()) {
                throw bad("unexpected '" + w.get(i) + "' at the end of the line");
            }
        }

        int number(String what, int min, int max) throws ScenarioException {
            String s = next(what);
            try {
                int v = Integer.parseInt(s);
                if (v < min || v > max) {
                    throw bad(what + " " + s + " is out of range " + min + "-" + max);
                }
                return v;
            } catch (NumberFormatException e) {
                throw bad("'" + s + "' is not a number (" + what + ")");
            }
        }

        int control() throws ScenarioException {
            expect("control");
            return number("the control message number", 1, MAX_N);
        }

        Duration time() throws ScenarioException {
            String s = next("a time (500ms, 2s)");
            try {
                return ScenarioParser.time(s);
            } catch (IllegalArgumentException e) {
                throw bad(e.getMessage());
            }
        }

        String message() throws ScenarioException {
            return i < w.size() ? next("a message") : null;
        }

        Action action(String head) throws ScenarioException {
            switch (head) {
                case "stopccn" -> {
                    expect("result");
                    int r = number("the result code", 0, 65535);
                    Integer e = null;
                    if (peek("error")) {
                        i++;
                        e = number("the error code", 0, 65535);
                    }
                    return new Action.StopCcn(r, e, message());
                }
                case "cdn" -> {
                    expect("result");
                    int r = number("the result code", 0, 65535);
                    Integer e = null;
                    Integer disc = null;
                    Integer q931 = null;
                    while (true) {
                        if (peek("error")) {
                            i++;
                            e = number("the error code", 0, 65535);
                        } else if (peek("disconnect")) {
                            i++;
                            disc = number("the RFC 3145 disconnect code", 0, 65535);
                        } else if (peek("q931")) {
                            i++;
                            q931 = number("the Q.931 cause", 0, 65535);
                        } else {
                            break;
                        }
                    }
                    return new Action.Cdn(r, e, disc, q931, message());
                }
                case "lcp-terminate" -> {
                    return new Action.LcpTerminate(message());
                }
                case "send" -> {
                    String k = next("what to send (sli, wen, csurq, hello, unknown-mbit-avp)");
                    return new Action.Send(switch (k) {
                        case "sli" -> Action.Kind.SLI;
                        case "wen" -> Action.Kind.WEN;
                        case "csurq" -> Action.Kind.CSURQ;
                        case "hello" -> Action.Kind.HELLO;
                        case "unknown-mbit-avp" -> Action.Kind.UNKNOWN_MBIT_AVP;
                        default -> throw bad("cannot send '" + k + "' (sli, wen, csurq, hello, unknown-mbit-avp)");
                    });
                }
                default -> throw bad("unknown directive '" + head + "' (drop, delay, duplicate, reorder, withhold-zlb, auth,"
                        + " nak-forever, after, stopccn, cdn, lcp-terminate, send)");
            }
        }
    }
}
