package io.jl2tp.ppp.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** AuthConfig defaults (pppd's) and validation. */
class AuthConfigTest {

    @Test
    void defaultsArePppds() {
        assertEquals(Duration.ofSeconds(3), AuthConfig.DEFAULTS.restart());
        assertEquals(10, AuthConfig.DEFAULTS.maxTransmits());
        assertEquals(Duration.ZERO, AuthConfig.DEFAULTS.rechallenge());
        assertEquals(Duration.ofSeconds(30), AuthConfig.DEFAULTS.requestTimeout());
    }

    @Test
    void logPrefixIsKeptByTheWithers() {
        assertEquals("", AuthConfig.DEFAULTS.logPrefix());
        AuthConfig c = AuthConfig.DEFAULTS.withLogPrefix("tunnel=3 session=7 ").withRestart(Duration.ofSeconds(1))
                .withMaxTransmits(2).withRechallenge(Duration.ofSeconds(9)).withRequestTimeout(Duration.ZERO);
        assertEquals(new AuthConfig(Duration.ofSeconds(1), 2, Duration.ofSeconds(9), Duration.ZERO, "tunnel=3 session=7 "), c);
        // A whole exchange with the prefix set (the log lines carry it; nothing else changes).
        for (AuthMethod m : AuthMethod.values()) {
            AuthPair p = new AuthPair(m, AuthConfig.DEFAULTS.withLogPrefix("tunnel=3 session=7 "));
            p.peerSecrets.put("alice", "lns", "pw");
            p.authSecrets.put("alice", "lns", "pw");
            p.start();
            assertEquals(1, p.peer.events.size());
            assertEquals(true, p.peer.events.get(0).startsWith("succeeded"));
        }
    }

    @Test
    void rejectsNonsense() {
        assertThrows(IllegalArgumentException.class, () -> AuthConfig.DEFAULTS.withRestart(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> AuthConfig.DEFAULTS.withRestart(Duration.ofSeconds(-1)));
        assertThrows(IllegalArgumentException.class, () -> AuthConfig.DEFAULTS.withMaxTransmits(0));
        assertThrows(IllegalArgumentException.class, () -> AuthConfig.DEFAULTS.withRechallenge(Duration.ofSeconds(-1)));
        assertThrows(IllegalArgumentException.class, () -> AuthConfig.DEFAULTS.withRequestTimeout(Duration.ofSeconds(-1)));
        assertThrows(NullPointerException.class, () -> AuthConfig.DEFAULTS.withRestart(null));
        assertThrows(NullPointerException.class, () -> AuthConfig.DEFAULTS.withLogPrefix(null));
    }

    @Test
    void factoriesRejectNulls() {
        io.jl2tp.testkit.VirtualScheduler loop = new io.jl2tp.testkit.VirtualScheduler();
        AuthPair.Side l = new AuthPair.Side("x", loop);
        assertThrows(NullPointerException.class,
                () -> AuthProtocols.peer(AuthMethod.PAP, null, SecretProvider.none(), null, loop, l));
        assertThrows(NullPointerException.class,
                () -> AuthProtocols.authenticator(AuthMethod.PAP, "lns", null, loop, l));
        assertEquals(0xC023, AuthProtocols.peer(AuthMethod.PAP, "me", SecretProvider.none(), null, loop, l).protocol());
        assertEquals(AuthMethod.MSCHAP_V2,
                AuthProtocols.authenticator(AuthMethod.MSCHAP_V2, "lns", SecretProvider.none(), loop, l).method());
    }
}
