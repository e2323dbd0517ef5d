package io.jl2tp.ppp.options;

import io.jl2tp.ppp.auth.AuthConfig;
import io.jl2tp.ppp.auth.AuthMethod;
import io.jl2tp.ppp.auth.SecretProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * What {@link AuthSettings} mean for authentication, mirroring pppd's {@code auth.c}
 * ({@code auth_check_options}) and {@code lcp.c}: which methods we accept when the remote
 * asks us to authenticate, which we ask the remote for, the names, timers and secrets.
 *
 * <p>Threads: stateless functions of immutable settings.
 */
public final class AuthPolicy {

    /** pppd's preference when it may choose (Nak'ing or requesting): MS-CHAPv2, CHAP-MD5, PAP. */
    public static final List<AuthMethod> PREFERENCE = List.of(AuthMethod.MSCHAP_V2, AuthMethod.CHAP_MD5, AuthMethod.PAP);

    private AuthPolicy() {
    }

    /** {@code methods} sorted by {@link #PREFERENCE}, e.g. to pick the method to suggest in a Nak. */
    public static List<AuthMethod> inPreferenceOrder(Set<AuthMethod> methods) {
        List<AuthMethod> l = new ArrayList<>();
        for (AuthMethod m : PREFERENCE) {
            if (methods.contains(m)) {
                l.add(m);
            }
        }
        return l;
    }

    /**
     * The methods we agree to authenticate ourselves with when the remote's LCP asks
     * (pppd {@code lcp_allowoptions}): all jl2tp supports, minus {@code refuse-pap},
     * {@code refuse-chap} (MD5 only, as pppd), {@code refuse-mschap-v2}. Whether a secret
     * exists is checked when authentication starts.
     */
    public static Set<AuthMethod> peerMethods(AuthSettings o) {
        Set<AuthMethod> s = EnumSet.allOf(AuthMethod.class);
        if (o.refusePap()) {
            s.remove(AuthMethod.PAP);
        }
        if (o.refuseChap()) {
            s.remove(AuthMethod.CHAP_MD5);
        }
        if (o.refuseMschapV2()) {
            s.remove(AuthMethod.MSCHAP_V2);
        }
        return s;
    }

    /**
     * The methods we can really authenticate ourselves with (pppd {@code lcp_allowoptions}
     * after {@code auth_check_options}): {@link #peerMethods(AuthSettings)} minus those we have
     * no secret for. With the {@code password} option every non-refused method qualifies;
     * otherwise PAP needs a {@code pap-secrets} entry and CHAP/MS-CHAPv2 a {@code chap-secrets}
     * entry for client {@code user} and server {@code remotename} (any server when
     * {@code remotename} is not set). A null file counts as empty.
     */
    public static Set<AuthMethod> peerMethods(AuthSettings o, String user, SecretsFile papSecrets,
                                              SecretsFile chapSecrets) {
        Set<AuthMethod> s = peerMethods(o);
        if (o.password().isPresent()) {
            return s;
        }
        String server = o.remotename().orElse(null);
        boolean pap = papSecrets != null && papSecrets.find(user, server).isPresent();
        boolean chap = chapSecrets != null && chapSecrets.find(user, server).isPresent();
        if (!pap) {
            s.remove(AuthMethod.PAP);
        }
        if (!chap) {
            s.remove(AuthMethod.CHAP_MD5);
            s.remove(AuthMethod.MSCHAP_V2);
        }
        return s;
    }

    /**
     * The methods we ask the remote to authenticate with, most preferred first (pppd asks for
     * CHAP — MS-CHAPv2 before MD5 — and falls back to PAP on a Nak). Empty when
     * {@code noauth} (or no {@code auth}/{@code require-*}): we do not authenticate the
     * remote. {@code auth} alone means every method; {@code require-*} options restrict to
     * those named. {@code require-mschap} (v1) and {@code require-eap} are not implemented,
     * so a configuration requiring only those yields an empty list although
     * {@link AuthSettings#auth()} is true: the caller must then refuse to bring the link up.
     */
    public static List<AuthMethod> authenticatorMethods(AuthSettings o) {
        List<AuthMethod> l = new ArrayList<>();
        if (!o.auth()) {
            return l;
        }
        boolean specific = o.requirePap() || o.requireChap() || o.requireMschap() || o.requireMschapV2()
                || o.requireEap();
        if (!specific || o.requireMschapV2()) {
            l.add(AuthMethod.MSCHAP_V2);
        }
        if (!specific || o.requireChap()) {
            l.add(AuthMethod.CHAP_MD5);
        }
        if (!specific || o.requirePap()) {
            l.add(AuthMethod.PAP);
        }
        return l;
    }

    /** Our name (pppd {@code our_name}): {@code name}, else the host name given. */
    public static String ourName(AuthSettings o, String hostname) {
        return o.name().orElse(hostname);
    }

    /** The name we authenticate as (pppd {@code user}): {@code user}, else our name. */
    public static String user(AuthSettings o, String hostname) {
        return o.user().orElse(ourName(o, hostname));
    }

    /**
     * Secrets for authenticating ourselves: the {@code password} option if given (pppd uses it
     * for PAP and CHAP alike as client), else the secrets file.
     */
    public static SecretProvider peerSecrets(AuthSettings o, SecretProvider files) {
        return o.password().<SecretProvider>map(SecretProvider::fixed).orElse(files);
    }

    /** Timers for us as peer: {@code pap-restart}/{@code pap-max-authreq} (CHAP peers have none). */
    public static AuthConfig peerConfig(AuthSettings o, AuthMethod m) {
        if (m == AuthMethod.PAP) {
            return AuthConfig.DEFAULTS.withRestart(Duration.ofSeconds(o.papRestart()))
                    .withMaxTransmits(o.papMaxAuthreq());
        }
        return AuthConfig.DEFAULTS.withRestart(Duration.ofSeconds(o.chapRestart()))
                .withMaxTransmits(o.chapMaxChallenge());
    }

    /**
     * Timers for us as authenticator: {@code pap-timeout} for PAP; {@code chap-restart},
     * {@code chap-max-challenge} and {@code chap-interval} for CHAP.
     */
    public static AuthConfig authenticatorConfig(AuthSettings o, AuthMethod m) {
        if (m == AuthMethod.PAP) {
            return AuthConfig.DEFAULTS.withRequestTimeout(Duration.ofSeconds(o.papTimeout()));
        }
        return AuthConfig.DEFAULTS.withRestart(Duration.ofSeconds(o.chapRestart()))
                .withMaxTransmits(o.chapMaxChallenge())
                .withRechallenge(Duration.ofSeconds(o.chapInterval()));
    }
}
