package io.jl2tp.app.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MainTest {

    private static List<CommandLine> all(CommandLine cl) {
        List<CommandLine> out = new ArrayList<>(List.of(cl));
        cl.getSubcommands().values().forEach(c -> out.addAll(all(c)));
        return out;
    }

    /**
     * Issue 12: --help was cut mid-sentence ("dial its [lac] sections (autodial, or on"), in
     * the command list and in each command's own help: hand-broken lines re-wrapped by picocli.
     * Every prose line now ends a sentence, and indented lines (examples) fit the width.
     */
    @Test
    void helpIsNeverCutMidSentence() {
        for (CommandLine cl : all(Main.commandLine())) {
            CommandLine.Model.UsageMessageSpec u = cl.getCommandSpec().usageMessage();
            List<String> lines = new ArrayList<>(List.of(u.description()));
            lines.addAll(List.of(u.footer()));
            for (String l : lines) {
                if (l.startsWith(" ")) {
                    assertTrue(l.length() <= u.width(), cl.getCommandName() + ": indented line wider than "
                            + u.width() + " (picocli breaks it at column 0): " + l);
                } else if (!l.isEmpty()) {
                    assertTrue(l.strip().replaceAll("%n$", "").matches("(?s).*[.:)]"), cl.getCommandName() + ": a paragraph that stops mid-sentence: " + l);
                }
            }
        }
        String top = Main.commandLine().getUsageMessage();
        assertTrue(top.contains("xl2tpd   Drop-in for xl2tpd + pppd: dial the [lac] sections of an xl2tpd.conf."), top);
    }

    /**
     * Issue 14: the daemon builds only its own subcommand's model; every other first argument
     * (help, options, a typo) gets the whole tree, and each name is its command's own name.
     */
    @Test
    void onlyTheSubcommandNamedFirstIsBuilt() {
        assertEquals(Main.SUBCOMMANDS, List.copyOf(Main.commandLine().getSubcommands().keySet()));
        for (String name : Main.SUBCOMMANDS) {
            assertEquals(name, new CommandLine(Main.subcommand(name)).getCommandName());
        }
        assertEquals(List.of("xl2tpd"), List.copyOf(Main.commandLine("xl2tpd").getSubcommands().keySet()));
        assertEquals(List.of("control"), List.copyOf(Main.commandLine("control").getSubcommands().keySet()));
        for (String first : new String[] {"help", "--help", "xl2tp", "-V", "@args"}) {
            assertEquals(Main.commandLine().getSubcommands().keySet(), Main.commandLine(first).getSubcommands().keySet(), first);
        }
    }

    @Test
    void paragraphsJoinHandBrokenLinesAndKeepIndentedOnes() {
        assertArrayEquals(new String[] {"One sentence split in two.", "", "Commands:", "  x   do x", "Done."},
                Main.paragraphs(new String[] {"One sentence split", "in two.", "", "Commands:", "  x   do x", "Done."}));
    }

    /** Issue 12: "jl2tp xl2tpd: /var/run/xl2tpd" is not a message: say what is wrong with the path. */
    @Test
    void fileSystemErrorsSayWhatIsWrong() {
        assertEquals("/var/run/xl2tpd: permission denied", Main.describe(new AccessDeniedException("/var/run/xl2tpd")));
        assertEquals("/etc/x: no such file or directory", Main.describe(new NoSuchFileException("/etc/x")));
        assertEquals("boom", Main.describe(new IllegalStateException("boom")));
        assertEquals("NullPointerException", Main.describe(new NullPointerException()));
    }
}
