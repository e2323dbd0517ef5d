package io.jl2tp.app.config;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Jazzer targets for the xl2tpd configuration surface (issue #11): xl2tpd.conf and the tunnel
 * secrets file. Only {@link BadConfigException} may escape, with a file, a line and a reason;
 * what parses must be usable; a tunnel secret never appears in an error.
 */
class ConfigFuzzTest {

    static {
        FuzzLogging.quietWhenFuzzing();
    }

    @FuzzTest(maxDuration = "30m", maxExecutions = 1_000_000)
    void xl2tpdConf(String text) {
        if (text == null) {
            return;
        }
        Xl2tpdConfig c;
        try {
            c = Xl2tpdConfigParser.parse(text, "fuzz.conf");
        } catch (BadConfigException e) {
            check(e, "fuzz.conf");
            return;
        }
        assertNotNull(c.global());
        assertTrue(c.global().port() >= 1 && c.global().port() <= 65535);
        for (Xl2tpdConfig.Lac l : c.lacs().values()) {
            assertNotNull(l.name());
            assertTrue(l.lnsHost() != null && !l.lnsHost().isEmpty(), "a LAC without an LNS");
            assertTrue(l.lnsPort() >= 1 && l.lnsPort() <= 65535);
            l.toString();
        }
        for (Xl2tpdConfig.Failover f : c.failovers().values()) {
            assertTrue(c.lacs().containsKey(f.lac()), "a failover section without its LAC");
        }
        c.warnings().forEach(w -> assertNotNull(w));
    }

    /** THEM US SECRET lines; lookups with fuzzed names; the secret never shows in an error. */
    @FuzzTest(maxDuration = "30m", maxExecutions = 1_000_000)
    void tunnelSecrets(FuzzedDataProvider data) {
        String text = data.consumeString(2000);
        String them = data.consumeString(20);
        String us = data.consumeRemainingAsString();
        String planted = "pl4nted-S3CRET";
        if (text.contains(planted) || them.contains(planted) || us.contains(planted)) {
            return;
        }
        TunnelSecrets s;
        try {
            s = TunnelSecrets.parse(text + "\nplanted-lns planted-lac " + planted + "\n", "fuzz-secrets");
        } catch (BadConfigException e) {
            check(e, "fuzz-secrets");
            assertFalse(e.getMessage().contains(planted), "an error shows a tunnel secret");
            return;
        }
        Optional<byte[]> hit = s.secret(them, us);
        hit.ifPresent(b -> assertTrue(b.length > 0));
        Optional<byte[]> planted2 = s.secret("planted-lns", "planted-lac");
        assertTrue(planted2.isPresent(), "the last line is found");
        assertEquals(s.secret("PLANTED-LNS", "planted-lac").map(b -> new String(b, StandardCharsets.UTF_8)),
                planted2.map(b -> new String(b, StandardCharsets.UTF_8)), "host names match case-insensitively");
    }

    private static void check(BadConfigException e, String file) {
        assertEquals(file, e.file());
        assertTrue(e.line() >= 0);
        assertNotNull(e.reason());
        assertNotNull(e.getMessage());
    }
}
