package io.jl2tp.app.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Main switches off picocli's built-in converters for java.sql and java.time types (each start
 * loaded and initialised them by reflection). Safe only while no option or parameter of any jl2tp
 * command has such a type: this walks the whole command tree and checks every one.
 */
class PicocliConvertersTest {

    @Test
    void noOptionOfAnyCommandHasAJavaSqlOrJavaTimeType() {
        CommandLine root = Main.commandLine();
        assertTrue(System.getProperty(Main.CONVERTER_EXCLUDES).contains("java\\.time"));
        List<String> offenders = new ArrayList<>();
        int checked = 0;
        Deque<CommandLine> todo = new ArrayDeque<>(List.of(root));
        while (!todo.isEmpty()) {
            CommandLine c = todo.pop();
            todo.addAll(c.getSubcommands().values());
            for (CommandLine.Model.ArgSpec a : c.getCommandSpec().args()) {
                checked++;
                List<Class<?>> types = new ArrayList<>(List.of(a.type()));
                types.addAll(List.of(a.auxiliaryTypes()));
                for (Class<?> t : types) {
                    String n = t.getName();
                    if (n.startsWith("java.sql.") || n.startsWith("java.time.")) {
                        offenders.add(c.getCommandName() + " " + a + ": " + n);
                    }
                }
            }
        }
        assertTrue(checked > 100, "walked the whole tree: " + checked);
        assertEquals(List.of(), offenders);
    }

    @Test
    void theExcludedConvertersAreGoneAndTheOthersStay() {
        Main.commandLine("xl2tpd");
        // as picocli decides it (BuiltIn.excluded matches each pattern against the class name)
        for (String n : new String[] {"java.sql.Timestamp", "java.time.Duration"}) {
            assertTrue(java.util.Arrays.stream(Main.NO_SQL_OR_TIME_CONVERTERS.split(",")).anyMatch(n::matches), n);
        }
        for (String n : new String[] {"java.nio.file.Path", "java.net.InetAddress", "java.lang.Integer"}) {
            assertTrue(java.util.Arrays.stream(Main.NO_SQL_OR_TIME_CONVERTERS.split(",")).noneMatch(n::matches), n);
        }
    }
}
