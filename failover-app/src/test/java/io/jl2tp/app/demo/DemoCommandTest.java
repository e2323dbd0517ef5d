package io.jl2tp.app.demo;

import io.jl2tp.testkit.RequiresRoot;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's main command: the demo comes up, pings v4 and v6 through the tunnel, exits 0. */
@RequiresRoot(commands = {"ip", "ping"})
class DemoCommandTest {

    @Test
    void demoRunsAndExitsZero() throws Exception {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int status;
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            status = new CommandLine(new DemoCommand()).execute("--count", "2");
        } finally {
            System.setOut(old);
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        old.println(out);
        assertEquals(0, status, out);
        assertTrue(out.contains("2/2 replies") && out.contains("Demo OK."), out);
        assertFalse(out.contains("FAILED"), out);
        String ns = DemoLab.run("ip", "netns", "list");
        assertFalse(ns.contains("jl2tp-demo-"), "the demo removed its namespaces: " + ns);
    }
}
