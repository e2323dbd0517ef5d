package io.jl2tp.tun;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Issue #4: tun-adapter never spawns a process (no `ip`, no `sysctl`): checked on the sources. */
class NoSubprocessTest {

    @Test
    void mainSourcesStartNoProcesses() throws Exception {
        Path main = Path.of("src/main/java");
        List<Path> offenders;
        try (Stream<Path> files = Files.walk(main)) {
            offenders = files.filter(p -> p.toString().endsWith(".java")).filter(p -> {
                try {
                    String s = Files.readString(p);
                    return s.contains("ProcessBuilder") || s.contains("Runtime.getRuntime().exec") || s.contains(".exec(");
                } catch (Exception e) {
                    return true;
                }
            }).toList();
        }
        try (Stream<Path> files = Files.walk(main)) {
            assertFalse(files.filter(p -> p.toString().endsWith(".java")).findAny().isEmpty(), "sources found");
        }
        assertEquals(List.of(), offenders);
    }
}
