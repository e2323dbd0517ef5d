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
    void rejectsNonsense() {
        assertThrows(IllegalArgumentException.class, () -> AuthConfig.DEFAULTS.withRestart(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> AuthConfig.DEFAULTS.withRestart(Duration.ofSeconds(-1)));
        assertThrows(IllegalArgumentException.class, () -> AuthConfig.DEFAULTS.withMaxTransmits(0));
        assertThrows(IllegalArgumentException.class, () -> AuthConfig.DEFAULTS.withRechallenge(Duration.ofSeconds(-1)));
        assertThrows(IllegalArgumentException.class, () -> AuthConfig.DEFAULTS.withRequestTimeout(Duration.ofSeconds(-1)));
        assertThrows(NullPointerException.class, () -> AuthConfig.DEFAULTS.withRestart(null));
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
