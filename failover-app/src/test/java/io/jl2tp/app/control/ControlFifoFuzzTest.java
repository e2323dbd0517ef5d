package io.jl2tp.app.control;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jl2tp.app.config.FuzzLogging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Jazzer target for the control FIFO's command handling (issue #11): one line as a writer of
 * {@code /var/run/xl2tpd/l2tp-control} sends it, through {@link ControlFifo#handleMessage}, the
 * function the FIFO's reader thread calls for every line — if anything escapes it, that thread
 * dies and the FIFO with it (issue #11 row 5). The fuzzer chooses the command and an optional
 * {@code @reply-file} prefix; the reply file is always inside a temporary directory (the name
 * carries no '/'), and is removed after every run, so fuzzing writes nowhere else.
 */
class ControlFifoFuzzTest {

    static {
        FuzzLogging.quietWhenFuzzing();
    }

    private static final Path DIR;
    private static final ControlFifo FIFO;

    static {
        try {
            DIR = Files.createTempDirectory("jl2tp-fuzz-fifo");
            FIFO = ControlFifo.open(DIR.resolve("l2tp-control"), new Controller());
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                FIFO.close();
                clean(true);
            }));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A controller with one LAC, "aaisp", that checks what the FIFO hands it. */
    private static final class Controller implements LacController {
        private static String checked(String name) throws ControlException {
            assertNotNull(name);
            assertFalse(name.isEmpty(), "an empty LAC name reached the controller");
            if (!name.equals("aaisp")) {
                throw new ControlException("no such LAC '" + name + "'");
            }
            return name;
        }

        @Override
        public void connect(String name, String user, String password) throws ControlException {
            checked(name);
        }

        @Override
        public void disconnect(String name) throws ControlException {
            checked(name);
        }

        @Override
        public void add(String name, String settings) throws ControlException {
            assertNotNull(settings);
            checked(name);
        }

        @Override
        public void remove(String name) throws ControlException {
            checked(name);
        }

        @Override
        public List<String> status(String name) throws ControlException {
            checked(name);
            return List.of("state: down");
        }

        @Override
        public List<String> available() {
            return List.of("aaisp");
        }
    }

    @FuzzTest(maxDuration = "30m", maxExecutions = 1_000_000)
    void commandLine(FuzzedDataProvider data) {
        StringBuilder line = new StringBuilder();
        if (data.consumeBoolean()) {
            String name = data.consumeString(24).replace('/', '_');
            line.append('@').append(DIR).append('/').append(name).append(' ');
        }
        line.append(data.consumeRemainingAsString());
        try {
            FIFO.handleMessage(line.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } finally {
            clean(false);
        }
    }

    /** Removes reply files (everything in DIR but the FIFO itself). */
    private static void clean(boolean all) {
        try (Stream<Path> s = Files.list(DIR)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (all || !p.getFileName().toString().equals("l2tp-control")) {
                    if (Files.isDirectory(p)) {
                        continue;
                    }
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertTrue(Files.exists(DIR.resolve("l2tp-control")) || all, "the FIFO was replaced by a reply");
    }
}
