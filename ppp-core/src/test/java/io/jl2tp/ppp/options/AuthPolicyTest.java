package io.jl2tp.ppp.options;

import static io.jl2tp.ppp.auth.AuthMethod.CHAP_MD5;
import static io.jl2tp.ppp.auth.AuthMethod.MSCHAP_V2;
import static io.jl2tp.ppp.auth.AuthMethod.PAP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jl2tp.ppp.auth.AuthConfig;
import io.jl2tp.ppp.auth.Secret;
import io.jl2tp.ppp.auth.SecretProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The pppd meaning of auth, noauth, require-X and refuse-X, and the derived names, secrets and timers. */
class AuthPolicyTest {

    private static PppOptions opts(String text) throws Exception {
        return new PppOptionsParser().parseText(text, "o", Path.of("."));
    }

    @Test
    void authenticatorMethods() throws Exception {
        assertEquals(List.of(), AuthPolicy.authenticatorMethods(opts("")), "pppd default for a dial-out: none");
        assertEquals(List.of(), AuthPolicy.authenticatorMethods(opts("noauth")));
        assertEquals(List.of(MSCHAP_V2, CHAP_MD5, PAP), AuthPolicy.authenticatorMethods(opts("auth")));
        assertEquals(List.of(PAP), AuthPolicy.authenticatorMethods(opts("require-pap")));
        assertEquals(List.of(CHAP_MD5, PAP), AuthPolicy.authenticatorMethods(opts("require-pap\n+chap")));
        assertEquals(List.of(MSCHAP_V2), AuthPolicy.authenticatorMethods(opts("require-mschap-v2")));
        PppOptions v1 = opts("require-mschap");
        assertTrue(v1.auth());
        assertEquals(List.of(), AuthPolicy.authenticatorMethods(v1), "MS-CHAPv1 is not implemented");
    }

    @Test
    void peerMethods() throws Exception {
        assertEquals(EnumSet.allOf(io.jl2tp.ppp.auth.AuthMethod.class), AuthPolicy.peerMethods(opts("")));
        assertEquals(EnumSet.of(CHAP_MD5, MSCHAP_V2), AuthPolicy.peerMethods(opts("refuse-pap")));
        assertEquals(EnumSet.of(PAP, MSCHAP_V2), AuthPolicy.peerMethods(opts("refuse-chap")), "refuse-chap = MD5 only");
        assertEquals(EnumSet.of(PAP), AuthPolicy.peerMethods(opts("-chap\nrefuse-mschap-v2\nrefuse-mschap\nrefuse-eap")));
    }

    @Test
    void peerMethodsNeedASecret() throws Exception {
        SecretsFile chap = SecretsFile.parse("alice lns-a pw\n", "chap-secrets", p -> "");
        SecretsFile pap = SecretsFile.parse("bob * pw\n", "pap-secrets", p -> "");
        assertEquals(EnumSet.of(CHAP_MD5, MSCHAP_V2), AuthPolicy.peerMethods(opts(""), "alice", pap, chap));
        assertEquals(EnumSet.of(PAP), AuthPolicy.peerMethods(opts(""), "bob", pap, chap));
        assertEquals(EnumSet.noneOf(io.jl2tp.ppp.auth.AuthMethod.class),
                AuthPolicy.peerMethods(opts("remotename lns-b"), "alice", pap, chap), "remotename restricts the server");
        assertEquals(EnumSet.of(PAP, MSCHAP_V2), AuthPolicy.peerMethods(opts("password x\nrefuse-chap"), "carol", null, null));
    }

    @Test
    void preferenceOrder() {
        assertEquals(List.of(MSCHAP_V2, CHAP_MD5, PAP), AuthPolicy.inPreferenceOrder(EnumSet.allOf(io.jl2tp.ppp.auth.AuthMethod.class)));
        assertEquals(List.of(CHAP_MD5, PAP), AuthPolicy.inPreferenceOrder(EnumSet.of(PAP, CHAP_MD5)));
        assertEquals(List.of(), AuthPolicy.inPreferenceOrder(EnumSet.noneOf(io.jl2tp.ppp.auth.AuthMethod.class)));
    }

    @Test
    void names() throws Exception {
        assertEquals("host", AuthPolicy.ourName(opts(""), "host"));
        assertEquals("host", AuthPolicy.user(opts(""), "host"));
        assertEquals("n", AuthPolicy.user(opts("name n"), "host"));
        assertEquals("u", AuthPolicy.user(opts("name n\nuser u"), "host"));
        assertEquals("n", AuthPolicy.ourName(opts("name n\nuser u"), "host"));
    }

    @Test
    void passwordOptionOverridesSecretsFiles() throws Exception {
        SecretProvider files = (c, s) -> Optional.of(Secret.of("from-file"));
        assertEquals("from-file", AuthPolicy.peerSecrets(opts(""), files).secret("a", "b").orElseThrow().reveal());
        assertEquals("pw", AuthPolicy.peerSecrets(opts("password pw"), files).secret("a", "b").orElseThrow().reveal());
    }

    @Test
    void timers() throws Exception {
        PppOptions o = opts("pap-restart 5\npap-max-authreq 4\npap-timeout 9\nchap-restart 6\nchap-max-challenge 7\nchap-interval 120");
        assertEquals(new AuthConfig(Duration.ofSeconds(5), 4, Duration.ZERO, Duration.ofSeconds(30)),
                AuthPolicy.peerConfig(o, PAP));
        assertEquals(Duration.ofSeconds(9), AuthPolicy.authenticatorConfig(o, PAP).requestTimeout());
        assertEquals(new AuthConfig(Duration.ofSeconds(6), 7, Duration.ofSeconds(120), Duration.ofSeconds(30)),
                AuthPolicy.authenticatorConfig(o, CHAP_MD5));
        assertEquals(AuthConfig.DEFAULTS, AuthPolicy.authenticatorConfig(opts(""), MSCHAP_V2));
    }
}
