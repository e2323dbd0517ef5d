package io.jl2tp.app.harness.scenario;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScenarioParserTest {

    @Test
    void everyDirectiveOfTheFormatParses() throws Exception {
        Scenario s = ScenarioParser.parse("""
                # a comment line, then a blank one

                drop control 3
                delay control 2 500ms
                duplicate control 2
                reorder control 4    # trailing comment
                withhold-zlb
                auth reject
                nak-forever lcp mru
                after 5s stopccn result 6 error 0 "maintenance # not a comment"
                after 3s cdn result 3 disconnect 12
                after 1.5s cdn result 2 error 6 q931 16 "bye"
                after 4s lcp-terminate
                send sli
                after 2m send csurq
                send unknown-mbit-avp
                stopccn result 1
                """, "s.txt");
        assertEquals(List.of(new Directive.DropControl(3), new Directive.DelayControl(2, Duration.ofMillis(500)),
                new Directive.DuplicateControl(2), new Directive.ReorderControl(4), new Directive.WithholdZlb(),
                new Directive.AuthReject(), new Directive.NakForeverLcpMru(),
                new Directive.After(Duration.ofSeconds(5), new Action.StopCcn(6, 0, "maintenance # not a comment")),
                new Directive.After(Duration.ofSeconds(3), new Action.Cdn(3, null, 12, null, null)),
                new Directive.After(Duration.ofMillis(1500), new Action.Cdn(2, 6, null, 16, "bye")),
                new Directive.After(Duration.ofSeconds(4), new Action.LcpTerminate(null)),
                new Directive.After(Duration.ZERO, new Action.Send(Action.Kind.SLI)),
                new Directive.After(Duration.ofMinutes(2), new Action.Send(Action.Kind.CSURQ)),
                new Directive.After(Duration.ZERO, new Action.Send(Action.Kind.UNKNOWN_MBIT_AVP)),
                new Directive.After(Duration.ZERO, new Action.StopCcn(1, null, null))), s.directives());
        assertEquals(4, s.tunnelActions().size());
        assertEquals(4, s.sessionActions().size());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "drop control|s.txt:2: expected the control message number after 'drop control'",
        "drop control 0|s.txt:2: the control message number 0 is out of range 1-65535",
        "drop data 3|s.txt:2: expected 'control', found 'data'",
        "delay control 2 5 parsecs|s.txt:2: '5' is not a time (use 500ms, 2s or 1m)",
        "delay control 2 -1s|s.txt:2: '-1s' is not a time (use 500ms, 2s or 1m)",
        "after 2s|s.txt:2: expected an action after the time after 'after 2s'",
        "after 2s stopccn result six|s.txt:2: 'six' is not a number (the result code)",
        "after 2s explode|s.txt:2: unknown directive 'explode' (drop, delay, duplicate, reorder, withhold-zlb, auth, nak-forever, after, stopccn, cdn, lcp-terminate, send)",
        "send fax|s.txt:2: cannot send 'fax' (sli, wen, csurq, hello, unknown-mbit-avp)",
        "stopccn result 6 \"unterminated|s.txt:2: unterminated quoted message",
        "withhold-zlb now|s.txt:2: unexpected 'now' at the end of the line",
        "nak-forever lcp magic|s.txt:2: expected 'mru', found 'magic'",
        "after 2d lcp-terminate|s.txt:2: '2d' is not a time (use 500ms, 2s or 1m)",
        "after 25h lcp-terminate|s.txt:2: '25h' is not a time (use 500ms, 2s or 1m)",
        "after 1441m lcp-terminate|s.txt:2: '1441m' is longer than a day"})
    void aBadLineIsOneErrorNamingFileAndLine(String line, String message) {
        ScenarioException e = assertThrows(ScenarioException.class, () -> ScenarioParser.parse("# first\n" + line + "\n", "s.txt"));
        assertEquals(message, e.getMessage());
        assertTrue(!e.getMessage().contains("\n"));
    }

    @Test
    void anUnreadableFileIsOneLineAtLineZero(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("none.txt");
        ScenarioException e = assertThrows(ScenarioException.class, () -> ScenarioParser.parseFile(missing));
        assertTrue(e.getMessage().startsWith(missing + ":0: cannot read"), e.getMessage());
        Path bad = dir.resolve("bad.txt");
        Files.writeString(bad, "drop control 1\n\nreorder control x\n");
        e = assertThrows(ScenarioException.class, () -> ScenarioParser.parseFile(bad));
        assertEquals(bad + ":3: 'x' is not a number (the control message number)", e.getMessage());
    }

    @Test
    void controlCommandsUseTheActionGrammar() throws Exception {
        assertEquals(new Action.Cdn(3, 0, 12, null, "admin"), ScenarioParser.action("cdn result 3 error 0 disconnect 12 \"admin\"", "c"));
        assertThrows(ScenarioException.class, () -> ScenarioParser.action("drop control 1", "c"));
        assertThrows(ScenarioException.class, () -> ScenarioParser.action("", "c"));
    }
}
