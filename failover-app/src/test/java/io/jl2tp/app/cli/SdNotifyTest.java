package io.jl2tp.app.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** sd_notify against a real AF_UNIX datagram socket (python3 plays systemd's side). */
class SdNotifyTest {

    private static final String RECEIVER = String.join("\n",
            "import socket, sys",
            "s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)",
            "a = sys.argv[1]",
            "s.bind('\\0' + a[1:] if a.startswith('@') else a)",
            "print('bound', flush=True)",
            "s.settimeout(10)",
            "for _ in range(int(sys.argv[2])):",
            "    print(repr(s.recv(4096).decode()), flush=True)");

    private static List<String> receive(String socket, int count, String... states) throws Exception {
        Process p = new ProcessBuilder("python3", "-c", RECEIVER, socket, String.valueOf(count)).redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            assertEquals("bound", out.readLine());
            for (String s : states) {
                assertTrue(SdNotify.send(socket, s), "sent " + s);
            }
            List<String> got = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                got.add(out.readLine());
            }
            assertTrue(p.waitFor(10, TimeUnit.SECONDS));
            return got;
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void readyAndStatusReachAPathSocket(@TempDir Path dir) throws Exception {
        String socket = dir.resolve("notify").toString();
        assertEquals(List.of("'READY=1\\nSTATUS=1 LAC(s)'", "'STOPPING=1'"),
                receive(socket, 2, "READY=1\nSTATUS=1 LAC(s)", "STOPPING=1"));
        assertTrue(Files.exists(Path.of(socket)));
    }

    @Test
    void abstractNamespaceSocketsWork() throws Exception {
        String socket = "@jl2tp-test-" + ProcessHandle.current().pid();
        assertEquals(List.of("'READY=1'"), receive(socket, 1, "READY=1"));
    }

    @Test
    void noSocketOrABadOneIsNotAnError(@TempDir Path dir) {
        assertFalse(SdNotify.send(null, "READY=1"), "not under systemd: nothing to do");
        assertFalse(SdNotify.send("", "READY=1"));
        assertFalse(SdNotify.send("relative/path", "READY=1"));
        assertFalse(SdNotify.send("/" + "x".repeat(200), "READY=1"), "longer than sun_path");
        assertFalse(SdNotify.send(dir.resolve("nobody-listens").toString(), "READY=1"), "ENOENT is reported, not thrown");
    }
}
