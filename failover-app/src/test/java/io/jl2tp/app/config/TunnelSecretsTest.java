package io.jl2tp.app.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TunnelSecretsTest {

    @Test
    void firstMatchingLineWinsAndStarMatchesAnyHost() throws Exception {
        TunnelSecrets s = TunnelSecrets.parse("""
                # them      us        secret
                lns.example router    one   # trailing comment
                *           router    two
                *           *         three
                """, "l2tp-secrets");
        assertArrayEquals("one".getBytes(StandardCharsets.UTF_8), s.secret("LNS.example", "router").orElseThrow());
        assertArrayEquals("two".getBytes(StandardCharsets.UTF_8), s.secret("194.4.172.12", "router").orElseThrow());
        assertArrayEquals("three".getBytes(StandardCharsets.UTF_8), s.secret("194.4.172.12", "other").orElseThrow());
        assertTrue(TunnelSecrets.parse("a b c\n", "f").secret("x", "y").isEmpty());
    }

    @Test
    void aLineWithoutThreeWordsNamesFileAndLine() {
        BadConfigException e = assertThrows(BadConfigException.class,
                () -> TunnelSecrets.parse("# ok\n* * fine\n* onlytwo\n", "/etc/xl2tpd/l2tp-secrets"));
        assertEquals(3, e.line());
        assertTrue(e.getMessage().startsWith("/etc/xl2tpd/l2tp-secrets:3: "), e.getMessage());
        assertTrue(!e.getMessage().contains("fine"), "the message never quotes a secret");
    }

    @Test
    void missingFileMeansNoSecretsButALooseOneIsRefused(@TempDir Path dir) throws Exception {
        assertTrue(TunnelSecrets.load(dir.resolve("absent")).secret("a", "b").isEmpty());
        Path f = dir.resolve("l2tp-secrets");
        Files.writeString(f, "* * s3cret\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
        BadConfigException e = assertThrows(BadConfigException.class, () -> TunnelSecrets.load(f));
        assertTrue(e.getMessage().contains("world and/or group access"), e.getMessage());
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        assertTrue(TunnelSecrets.load(f).secret("a", "b").isPresent());
    }
}
