package io.jl2tp.app.dial;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HookRunnerTest {

    @TempDir
    Path dir;

    private Path script(String name, String body) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
        return p;
    }

    @Test
    void runsWithPppdArgumentsAndOnlyPppdEnvironment() throws Exception {
        Path out = dir.resolve("out");
        script("ip-up", "echo \"$@\" > " + out + "; env | sort >> " + out + "; [ -t 0 ] && echo tty >> " + out + "; exit 3\n");
        try (HookRunner hooks = new HookRunner(dir, Duration.ofSeconds(10))) {
            var env = new HookRunner.HookEnv("l2tp-aaisp", "", 0, "198.51.100.128", "198.51.100.1", "aaisp", false,
                    Map.of("PEERNAME", "lns", "DNS1", "198.51.100.53"));
            assertEquals(3, hooks.run("ip-up", env).get());
        }
        List<String> lines = Files.readAllLines(out);
        assertEquals("l2tp-aaisp  0 198.51.100.128 198.51.100.1 aaisp", lines.get(0));
        assertTrue(lines.contains("IFNAME=l2tp-aaisp"));
        assertTrue(lines.contains("IPLOCAL=198.51.100.128"));
        assertTrue(lines.contains("IPREMOTE=198.51.100.1"));
        assertTrue(lines.contains("DNS1=198.51.100.53"));
        String path = lines.stream().filter(l -> l.startsWith("PATH=")).findFirst().orElseThrow().substring(5);
        assertTrue(path.startsWith(HookRunner.SCRIPT_PATH + ":") || path.equals(HookRunner.SCRIPT_PATH), path);
        for (String d : System.getenv("PATH").split(":")) {
            assertTrue(d.isBlank() || !d.startsWith("/") || List.of(path.split(":")).contains(d),
                    "the daemon's PATH entry " + d + " reaches the script: " + path);
        }
        assertFalse(lines.stream().anyMatch(l -> l.startsWith("HOME=") || l.startsWith("JAVA_HOME=")), "environment must be otherwise empty: " + lines);
        assertFalse(lines.contains("tty"), "stdin must be /dev/null");
    }

    @Test
    void scriptPathIsPppdsThenTheDaemonsOwn() {
        assertEquals(HookRunner.SCRIPT_PATH + ":/run/current-system/sw/bin:/nix/store/abc-iproute2/bin",
                HookRunner.scriptPath("/run/current-system/sw/bin:/usr/bin:/nix/store/abc-iproute2/bin:relative:"));
        assertEquals(HookRunner.SCRIPT_PATH, HookRunner.scriptPath(null));
    }

    @Test
    void ipv6ScriptsGetLinkLocalVariables() throws Exception {
        Path out = dir.resolve("out6");
        script("ipv6-up", "echo \"$LLLOCAL $LLREMOTE $4 $5\" > " + out + "\n");
        try (HookRunner hooks = new HookRunner(dir, Duration.ofSeconds(10))) {
            var env = new HookRunner.HookEnv("l2tp0", "", 0, "fe80::c633:6480:0:0", "fe80::1", "", true, Map.of());
            assertEquals(0, hooks.run("ipv6-up", env).get());
        }
        assertEquals("fe80::c633:6480:0:0 fe80::1 fe80::c633:6480:0:0 fe80::1", Files.readString(out).strip());
    }

    @Test
    void scriptsRunInOrderAndMissingOnesAreSkipped() throws Exception {
        Path out = dir.resolve("order");
        script("ip-up", "sleep 0.3; echo up >> " + out + "\n");
        script("ip-down", "echo down >> " + out + "\n");
        var env = new HookRunner.HookEnv("l2tp0", "", 0, "198.51.100.2", "198.51.100.1", "", false, Map.of());
        try (HookRunner hooks = new HookRunner(dir, Duration.ofSeconds(10))) {
            var up = hooks.run("ip-up", env);
            var down = hooks.run("ip-down", env);
            assertEquals(-1, hooks.run("auth-up", env).get(), "absent script is skipped");
            up.get();
            down.get();
        }
        assertEquals(List.of("up", "down"), Files.readAllLines(out));
    }

    @Test
    void aHangingScriptIsKilledAtTheTimeout() throws Exception {
        script("ip-up", "exec sleep 30\n");
        try (HookRunner hooks = new HookRunner(dir, Duration.ofMillis(300))) {
            var env = new HookRunner.HookEnv("l2tp0", "", 0, "198.51.100.2", "198.51.100.1", "", false, Map.of());
            assertEquals(-1, hooks.run("ip-up", env).get());
        }
    }
}
