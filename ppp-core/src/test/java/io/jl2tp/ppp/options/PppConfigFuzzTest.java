package io.jl2tp.ppp.options;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jl2tp.ppp.auth.Secret;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Jazzer target for chap-secrets/pap-secrets (issue #11), with {@code @/path} indirect secrets.
 * Only {@link PppConfigException} may escape, and a secret never shows in an entry's
 * {@code toString}. (The pppd options-file targets are in failover-app's PppdOptionsFuzzTest,
 * next to the parser.)
 */
class PppConfigFuzzTest {

    /** A secrets file; {@code @/path} secrets read the rest of the input (or fail). */
    @FuzzTest(maxDuration = "30m", maxExecutions = 1_000_000)
    void secretsFile(FuzzedDataProvider data) {
        String text = data.consumeString(2000);
        String indirect = data.consumeBoolean() ? data.consumeString(200) : null;
        String client = data.consumeString(20);
        String server = data.consumeString(20);
        SecretsFile f;
        try {
            f = SecretsFile.parse(text, "fuzz-secrets", p -> {
                if (indirect == null) {
                    throw new PppConfigException(p.toString(), 0, null, "cannot read");
                }
                return indirect;
            });
        } catch (PppConfigException e) {
            checkException(e);
            return;
        }
        assertEquals("fuzz-secrets", f.file());
        f.toString();
        for (SecretEntry e : f.entries()) {
            assertTrue(e.line() >= 1);
            String shown = e.toString();
            assertTrue(shown.contains("secret=***"));
            e.noAddressAllowed();
            e.anyAddressAllowed();
        }
        Optional<SecretEntry> hit = f.find(client, server);
        Optional<Secret> s = f.secret(client, server);
        assertEquals(hit.isPresent(), s.isPresent());
        for (SecretEntry e : f.entries()) {
            assertTrue(f.find(e.client(), e.server()).isPresent(), "an entry does not find itself: " + e);
        }
    }

    private static void checkException(PppConfigException e) {
        assertNotNull(e.getMessage());
        assertNotNull(e.file());
        assertNotNull(e.reason());
        assertTrue(e.line() >= 0);
    }

}
