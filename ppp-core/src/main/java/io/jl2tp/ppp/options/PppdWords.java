package io.jl2tp.ppp.options;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits pppd's options and secrets files into words exactly as pppd's {@code getword()}
 * ({@code options.c}) does: white space separates words; {@code #} starts a comment (outside
 * a word or quotes); {@code "…"} and {@code '…'} quote (the quotes are removed, several
 * quoted and plain pieces join into one word); backslash escapes {@code \a \b \f \n \r \s
 * \t}, {@code \ddd} (octal), {@code \xHH} (hex), any other character stands for itself; a
 * backslash-newline is a line continuation. Each word records its line and whether a newline
 * preceded it (secrets files use that to find the start of each entry). Stricter than pppd,
 * which only warns: a quote left open at the end of the file and a word longer than
 * {@value #MAX_WORD} characters are errors.
 */
public final class PppdWords {

    /** pppd's MAXWORDLEN. */
    static final int MAX_WORD = 1024;

    /**
     * One word.
     *
     * @param text      the word, quotes removed and escapes resolved
     * @param line      1-based line where the word starts
     * @param atNewline true if the word is the first of the text or a newline came before it
     */
    public record Word(String text, int line, boolean atNewline) {
        /** The word's octets (the text holds one octet per char, see {@link #split}). */
        public byte[] bytes() {
            return text.getBytes(StandardCharsets.ISO_8859_1);
        }

        /** The word as text: its octets decoded as UTF-8. */
        public String utf8() {
            return new String(bytes(), StandardCharsets.UTF_8);
        }
    }

    /**
     * The text form the tokenizer works on: one char per file octet (ISO-8859-1), so that
     * escapes like {@code \xff} produce exactly the octet pppd would.
     */
    public static String octets(byte[] file) {
        return new String(file, StandardCharsets.ISO_8859_1);
    }

    /** The octet form of ordinary (Unicode) text: its UTF-8 encoding, one char per octet. */
    public static String octets(String text) {
        return octets(text.getBytes(StandardCharsets.UTF_8));
    }

    private final String src;    // the file's text
    private final String file;   // its name, for errors
    private int pos;             // next character
    private int line = 1;        // line of src[pos]

    private PppdWords(String src, String file) {
        this.src = src;
        this.file = file;
    }

    /**
     * All words of {@code text}, which holds one char per octet (see {@link #octets});
     * errors name {@code file} and the line, never a word's value.
     */
    public static List<Word> split(String text, String file) throws PppConfigException {
        PppdWords w = new PppdWords(text, file);
        List<Word> out = new ArrayList<>();
        boolean first = true;
        Word word;
        while ((word = w.next(first)) != null) {
            out.add(word);
            first = false;
        }
        return out;
    }

    /** The next character without consuming it, or -1 at the end. */
    private int peek() {
        return pos < src.length() ? src.charAt(pos) : -1;
    }

    /** Consumes the next character (counting lines), or -1 at the end. */
    private int read() {
        if (pos >= src.length()) {
            return -1;
        }
        char c = src.charAt(pos++);
        if (c == '\n') {
            line++;
        }
        return c;
    }

    /** C isspace() in the "C" locale. */
    private static boolean isSpace(int c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B;
    }

    /** '0'..'7'. */
    private static boolean isOctal(int c) {
        return c >= '0' && c <= '7';
    }

    /** Reads the next word, or null at the end of the text. */
    private Word next(boolean first) throws PppConfigException {
        boolean newline = first;
        // Skip white space, comments and backslash-newlines.
        while (true) {
            int c = peek();
            if (c == -1) {
                return null;
            }
            if (c == '\n') {
                newline = true;
                read();
            } else if (isSpace(c)) {
                read();
            } else if (c == '#') {
                while (peek() != -1 && peek() != '\n') {
                    read();
                }
            } else if (c == '\\' && pos + 1 < src.length() && src.charAt(pos + 1) == '\n') {
                read();
                read();
            } else {
                break;
            }
        }
        int startLine = line;
        StringBuilder sb = new StringBuilder();
        int quote = 0;
        while (true) {
            int c = peek();
            if (c == -1) {
                if (quote != 0) {
                    throw new PppConfigException(file, startLine, null,
                            "unterminated " + (quote == '"' ? "double" : "single") + " quote");
                }
                break;
            }
            if (c == '\\') {
                read();
                int e = read();
                if (e == -1) {
                    break;
                }
                switch (e) {
                    case '\n' -> { } // continuation: nothing stored
                    case 'a' -> sb.append('\u0007');
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 's' -> sb.append(' ');
                    case 't' -> sb.append('\t');
                    case 'x' -> {
                        int v = 0;
                        int n = 0;
                        while (n < 2 && peek() != -1 && Character.digit(peek(), 16) >= 0) {
                            v = v * 16 + Character.digit(read(), 16);
                            n++;
                        }
                        sb.append((char) v);
                    }
                    default -> {
                        if (isOctal(e)) {
                            int v = e - '0';
                            for (int n = 1; n < 3 && isOctal(peek()); n++) {
                                v = (v << 3) + (read() - '0');
                            }
                            sb.append((char) (v & 0xFF));
                        } else {
                            sb.append((char) e);
                        }
                    }
                }
            } else if (quote != 0) {
                read();
                if (c == quote) {
                    quote = 0;
                } else {
                    sb.append((char) c);
                }
            } else if (c == '"' || c == '\'') {
                read();
                quote = c;
            } else if (isSpace(c) || c == '#') {
                break;
            } else {
                sb.append((char) read());
            }
            if (sb.length() > MAX_WORD) {
                throw new PppConfigException(file, startLine, null,
                        "word longer than " + MAX_WORD + " characters");
            }
        }
        return new Word(sb.toString(), startLine, newline);
    }
}
