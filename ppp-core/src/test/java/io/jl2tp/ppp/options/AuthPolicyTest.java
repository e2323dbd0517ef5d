package io.jl2tp.ppp.options;

import static io.jl2tp.ppp.auth.AuthMethod.CHAP_MD5;
import static io.jl2tp.ppp.auth.AuthMethod.MSCHAP_V2;
import static io.jl2tp.ppp.auth.AuthMethod.PAP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jl2tp.ppp.auth.AuthConfig;
import io.jl2tp.ppp.auth.Secret;
import io.jl2tp.ppp.auth.SecretProvider;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** The pppd meaning of auth, noauth, require-X and refuse-X, and the derived names, secrets and timers. */
class AuthPolicyTest {

    /** The settings the pppd options named in each test give (the parser's own test checks that mapping). */
    private static AuthSettings opts(UnaryOperator<AuthSettings.Builder> set) {
        return set.apply(AuthSettings.builder()).build();
    }

    @Test
    void authenticatorMethods() throws Exception {
        assertEquals(List.of(), AuthPolicy.authenticatorMethods(opts(b -> b)), "pppd default for a dial-out: none");
        assertEquals(List.of(), AuthPolicy.authenticatorMethods(opts(b -> b.auth(false))));
        assertEquals(List.of(MSCHAP_V2, CHAP_MD5, PAP), AuthPolicy.authenticatorMethods(opts(b -> b.auth(true))));
        assertEquals(List.of(PAP), AuthPolicy.authenticatorMethods(opts(b -> b.requirePap(true).auth(true))));
        assertEquals(List.of(CHAP_MD5, PAP), AuthPolicy.authenticatorMethods(opts(b -> b.requirePap(true).requireChap(true).auth(true))));
        assertEquals(List.of(MSCHAP_V2), AuthPolicy.authenticatorMethods(opts(b -> b.requireMschapV2(true).auth(true))));
        AuthSettings v1 = opts(b -> b.requireMschap(true).auth(true));
        assertTrue(v1.auth());
        assertEquals(List.of(), AuthPolicy.authenticatorMethods(v1), "MS-CHAPv1 is not implemented");
    }

    @Test
    void peerMethods() throws Exception {
        assertEquals(EnumSet.allOf(io.jl2tp.ppp.auth.AuthMethod.class), AuthPolicy.peerMethods(opts(b -> b)));
        assertEquals(EnumSet.of(CHAP_MD5, MSCHAP_V2), AuthPolicy.peerMethods(opts(b -> b.refusePap(true))));
        assertEquals(EnumSet.of(PAP, MSCHAP_V2), AuthPolicy.peerMethods(opts(b -> b.refuseChap(true))), "refuse-chap = MD5 only");
        assertEquals(EnumSet.of(PAP), AuthPolicy.peerMethods(opts(b -> b.refuseChap(true).refuseMschapV2(true).refuseMschap(true).refuseEap(true))));
    }

    @Test
    void peerMethodsNeedASecret() throws Exception {
        SecretsFile chap = SecretsFile.parse("alice lns-a pw\n", "chap-secrets", p -> "");
        SecretsFile pap = SecretsFile.parse("bob * pw\n", "pap-secrets", p -> "");
        assertEquals(EnumSet.of(CHAP_MD5, MSCHAP_V2), AuthPolicy.peerMethods(opts(b -> b), "alice", pap, chap));
        assertEquals(EnumSet.of(PAP), AuthPolicy.peerMethods(opts(b -> b), "bob", pap, chap));
        assertEquals(EnumSet.noneOf(io.jl2tp.ppp.auth.AuthMethod.class),
                AuthPolicy.peerMethods(opts(b -> b.remotename("lns-b")), "alice", pap, chap), "remotename restricts the server");
        assertEquals(EnumSet.of(PAP, MSCHAP_V2), AuthPolicy.peerMethods(opts(b -> b.password(Secret.of("x")).refuseChap(true)), "carol", null, null));
    }

    @Test
    void preferenceOrder() {
        assertEquals(List.of(MSCHAP_V2, CHAP_MD5, PAP), AuthPolicy.inPreferenceOrder(EnumSet.allOf(io.jl2tp.ppp.auth.AuthMethod.class)));
        assertEquals(List.of(CHAP_MD5, PAP), AuthPolicy.inPreferenceOrder(EnumSet.of(PAP, CHAP_MD5)));
        assertEquals(List.of(), AuthPolicy.inPreferenceOrder(EnumSet.noneOf(io.jl2tp.ppp.auth.AuthMethod.class)));
    }

    @Test
    void names() throws Exception {
        assertEquals("host", AuthPolicy.ourName(opts(b -> b), "host"));
        assertEquals("host", AuthPolicy.user(opts(b -> b), "host"));
        assertEquals("n", AuthPolicy.user(opts(b -> b.name("n")), "host"));
        assertEquals("u", AuthPolicy.user(opts(b -> b.name("n").user("u")), "host"));
        assertEquals("n", AuthPolicy.ourName(opts(b -> b.name("n").user("u")), "host"));
    }

    @Test
    void passwordOptionOverridesSecretsFiles() throws Exception {
        SecretProvider files = (c, s) -> Optional.of(Secret.of("from-file"));
        assertEquals("from-file", AuthPolicy.peerSecrets(opts(b -> b), files).secret("a", "b").orElseThrow().reveal());
        assertEquals("pw", AuthPolicy.peerSecrets(opts(b -> b.password(Secret.of("pw"))), files).secret("a", "b").orElseThrow().reveal());
    }

    @Test
    void timers() throws Exception {
        AuthSettings o = opts(b -> b.papRestart(5).papMaxAuthreq(4).papTimeout(9).chapRestart(6).chapMaxChallenge(7)
                .chapInterval(120));
        assertEquals(new AuthConfig(Duration.ofSeconds(5), 4, Duration.ZERO, Duration.ofSeconds(30)),
                AuthPolicy.peerConfig(o, PAP));
        assertEquals(Duration.ofSeconds(9), AuthPolicy.authenticatorConfig(o, PAP).requestTimeout());
        assertEquals(new AuthConfig(Duration.ofSeconds(6), 7, Duration.ofSeconds(120), Duration.ofSeconds(30)),
                AuthPolicy.authenticatorConfig(o, CHAP_MD5));
        assertEquals(AuthConfig.DEFAULTS, AuthPolicy.authenticatorConfig(opts(b -> b), MSCHAP_V2));
    }
}
