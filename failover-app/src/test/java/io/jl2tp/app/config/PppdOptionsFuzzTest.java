package io.jl2tp.app.config;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jl2tp.ppp.options.AuthPolicy;
import io.jl2tp.ppp.options.PppConfigException;
import io.jl2tp.ppp.options.PppdWords;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Jazzer targets for the pppd options parser (issue #11): options files (with
 * {@code file}/{@code call} includes) and options given as arguments (as xl2tpd passes them).
 * Only {@link PppConfigException} may escape, and what parses must be usable.
 */
class PppdOptionsFuzzTest {

    /** Include targets: a small tree in a temporary directory (never the real /etc/ppp). */
    private static final Path DIR = tree();

    private static Path tree() {
        try {
            Path d = Files.createTempDirectory("jl2tp-fuzz-ppp");
            Path peers = Files.createDirectories(d.resolve("peers"));
            Files.writeString(d.resolve("inc"), "mtu 1400\nlcp-echo-interval 5\nname alice\n");
            Files.writeString(d.resolve("loop"), "noauth\nfile loop\n");
            Files.writeString(peers.resolve("isp"), "user alice\nrequire-chap\nfile ../inc\n");
            d.toFile().deleteOnExit();
            return d;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * An options file. Includes resolve against {@link #DIR}; an input naming an absolute or
     * upward include path is skipped, so the fuzzer never reads /dev or /proc files.
     */
    @FuzzTest(maxDuration = "30m", maxExecutions = 1_000_000)
    void optionsFile(String text) {
        if (text == null || !includesStayInside(text)) {
            return;
        }
        PppdOptions o;
        try {
            o = new PppdOptionsParser(DIR.resolve("peers")).parseText(text, "fuzz-options", DIR);
        } catch (PppConfigException e) {
            checkException(e);
            return;
        }
        use(o);
    }

    /** Options as separate arguments on top of a base, as xl2tpd passes them to pppd. */
    @FuzzTest(maxDuration = "30m", maxExecutions = 1_000_000)
    void optionArguments(FuzzedDataProvider data) {
        List<String> args = new ArrayList<>();
        for (int i = data.consumeInt(0, 8); i > 0; i--) {
            args.add(data.consumeString(40));
        }
        for (int i = 0; i < args.size(); i++) {
            if ((args.get(i).equals("file")) && i + 1 < args.size()) {
                Path p = Path.of("x");
                try {
                    p = Path.of(args.get(i + 1));
                } catch (java.nio.file.InvalidPathException ignored) {
                    // the parser must cope with it; no file is read
                }
                if (p.isAbsolute() || args.get(i + 1).contains("..")) {
                    return;
                }
            }
        }
        PppdOptions o;
        try {
            o = new PppdOptionsParser(DIR.resolve("peers")).parseArguments(PppdOptions.DEFAULTS, args);
        } catch (PppConfigException e) {
            checkException(e);
            return;
        }
        use(o);
    }

    /** True if every {@code file} include of {@code text} names a relative path without "..". */
    private static boolean includesStayInside(String text) {
        List<PppdWords.Word> words;
        try {
            words = PppdWords.split(PppdWords.octets(text), "check");
        } catch (PppConfigException e) {
            return true; // the parser rejects it before reading anything
        }
        for (int i = 0; i + 1 < words.size(); i++) {
            if (words.get(i).utf8().equals("file")) {
                String p = words.get(i + 1).utf8();
                if (p.startsWith("/") || p.contains("..")) {
                    return false;
                }
            }
        }
        return true;
    }

    private static void checkException(PppConfigException e) {
        assertNotNull(e.getMessage());
        assertNotNull(e.file());
        assertNotNull(e.reason());
        assertTrue(e.line() >= 0);
    }

    /** What the dialler does with parsed options. */
    private static void use(PppdOptions o) {
        assertNotNull(o.toString());
        assertNotNull(o.warnings());
        o.ppp().toBuilder().build();
        AuthPolicy.peerMethods(o.ppp().auth());
        AuthPolicy.authenticatorMethods(o.ppp().auth());
        assertFalse(o.ppp().lcp().mru().isPresent() && o.ppp().lcp().mru().getAsInt() <= 0,
                "a non-positive MRU was accepted");
    }
}
