package io.jl2tp.app.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.jl2tp.ppp.options.OptionWarning;
import io.jl2tp.ppp.options.PppConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/compat.md "## pppd options" is data: each option the parser knows has a row, each
 * row's verdict (same / different / warned / refused) is what the parser does with the
 * option, and each test a row names exists. So the table cannot drift from the code.
 */
class PppdCompatTableTest {

    private static final Path REPO = Path.of("").toAbsolutePath().getParent();
    private static final Pattern TICKED = Pattern.compile("`([^`]+)`");
    private static final Pattern TEST = Pattern.compile("`([A-Z][A-Za-z0-9]*)#([A-Za-z0-9_]+)`");

    /** The rows of the pppd section: first column's options → the verdict. */
    private static Map<String, String> rows(List<String> testsOut) throws IOException {
        String doc = Files.readString(REPO.resolve("docs/compat.md"));
        int start = doc.indexOf("\n## pppd options");
        assertTrue(start >= 0, "docs/compat.md has a '## pppd options' section");
        int end = doc.indexOf("\n## ", start + 1);
        String section = end < 0 ? doc.substring(start) : doc.substring(start, end);
        Map<String, String> verdicts = new LinkedHashMap<>();
        for (String line : section.split("\n")) {
            if (!line.startsWith("| `")) {
                continue;
            }
            String[] cols = line.split("\\|", -1);
            assertEquals(6, cols.length, "four columns: " + line);
            String verdict = cols[2].strip();
            assertTrue(Set.of("same", "different", "warned", "refused").contains(verdict), "verdict of " + line);
            Matcher m = TICKED.matcher(cols[1]);
            while (m.find()) {
                String prev = verdicts.put(m.group(1), verdict);
                assertEquals(null, prev, m.group(1) + " has one row");
            }
            Matcher t = TEST.matcher(cols[4]);
            boolean any = false;
            while (t.find()) {
                testsOut.add(t.group(1) + "#" + t.group(2));
                any = true;
            }
            assertTrue(any, "a row names its test: " + line);
        }
        return verdicts;
    }

    /** An argument the option accepts. */
    private static String sample(String option, Path dir) {
        return switch (option) {
            case "mtu", "mru" -> "1400";
            case "ifname" -> "l2tp9";
            case "ms-dns" -> "203.0.113.53";
            case "ipv6" -> "::1";
            case "mppe" -> "stateless";
            case "file" -> dir.resolve("included").toString();
            case "call" -> "peer";
            default -> "1";
        };
    }

    @Test
    void everyOptionTheParserKnowsHasARow() throws Exception {
        Map<String, String> verdicts = rows(new ArrayList<>());
        Set<String> missing = new TreeSet<>(new PppdOptionsParser().knownOptions().keySet());
        missing.removeAll(verdicts.keySet());
        assertEquals(Set.of(), missing, "options without a row in docs/compat.md");
    }

    @Test
    void everyRowBehavesAsItSays(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("included"), "noauth\n");
        Files.writeString(dir.resolve("peer"), "noauth\n");
        PppdOptionsParser parser = new PppdOptionsParser(dir);
        Map<String, Integer> known = parser.knownOptions();
        Map<String, String> verdicts = rows(new ArrayList<>());
        int checked = 0;
        for (Map.Entry<String, String> row : verdicts.entrySet()) {
            String option = row.getKey();
            Integer arity = known.get(option);
            if (arity == null) {
                continue; // <local>:<remote>, a speed, a /dev/… device: tested by PppdOptionsParserTest
            }
            String text = "noauth\n" + option + (arity == 1 ? " " + sample(option, dir) : "") + "\n";
            String verdict = row.getValue();
            if (verdict.equals("refused")) {
                try {
                    parser.parseText(text, "o", dir);
                    fail(option + " is refused in docs/compat.md but parses");
                } catch (PppConfigException e) {
                    assertEquals(2, e.line(), e.getMessage());
                    assertEquals(option, e.option(), e.getMessage());
                }
            } else {
                List<OptionWarning> w = parser.parseText(text, "o", dir).warnings();
                if (verdict.equals("warned")) {
                    assertTrue(w.stream().anyMatch(x -> x.option().equals(option) && x.line() == 2),
                            option + " is warned in docs/compat.md: " + w);
                } else {
                    assertEquals(List.of(), w, option + " is " + verdict + " in docs/compat.md");
                }
            }
            checked++;
        }
        assertEquals(known.size(), checked, "every known option checked");
    }

    @Test
    void everyTestARowNamesExists() throws Exception {
        List<String> tests = new ArrayList<>();
        rows(tests);
        List<Path> sources;
        try (Stream<Path> s = Stream.of("ppp-core", "failover-app").map(m -> REPO.resolve(m).resolve("src/test/java"))
                .flatMap(PppdCompatTableTest::walk)) {
            sources = s.filter(p -> p.toString().endsWith(".java")).toList();
        }
        for (String t : tests) {
            String cls = t.substring(0, t.indexOf('#'));
            String method = t.substring(t.indexOf('#') + 1);
            List<Path> files = sources.stream().filter(p -> p.getFileName().toString().equals(cls + ".java")).toList();
            assertFalse(files.isEmpty(), "test class of " + t);
            boolean found = false;
            for (Path f : files) {
                found |= Pattern.compile("void " + Pattern.quote(method) + "\\(").matcher(Files.readString(f)).find();
            }
            assertTrue(found, "test method " + t);
        }
    }

    private static Stream<Path> walk(Path root) {
        try {
            return Files.walk(root);
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + root, e);
        }
    }
}
