package io.jl2tp.ppp.auth;

import java.security.SecureRandom;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Factories for the two directions of PPP authentication. "Peer" is the side that proves
 * its identity (pppd's {@code upap_authwithpeer} / {@code chap_auth_with_peer}),
 * "authenticator" the side that checks it ({@code upap_authpeer} / {@code chap_auth_peer}).
 *
 * <p>Threads: stateless; the shared {@link SecureRandom} is thread-safe.
 */
public final class AuthProtocols {

    /** Source of challenges, peer challenges and initial Identifiers (RFC 1994 §2.3). */
    private static final SecureRandom RANDOM = new SecureRandom();

    private AuthProtocols() {
    }

    /**
     * We authenticate ourselves to the remote as {@code ourName}, with pppd's default timers.
     *
     * @param remoteName the remote's name for secret lookup (pppd {@code remotename}); if
     *                   null, CHAP uses the name in the Challenge and PAP uses ""
     */
    public static AuthProtocol peer(AuthMethod m, String ourName, SecretProvider secrets, String remoteName,
                                    ScheduledExecutorService loop, AuthListener l) {
        return peer(m, ourName, secrets, remoteName, AuthConfig.DEFAULTS, loop, l);
    }

    /** As {@link #peer(AuthMethod, String, SecretProvider, String, ScheduledExecutorService, AuthListener)} with explicit timers. */
    public static AuthProtocol peer(AuthMethod m, String ourName, SecretProvider secrets, String remoteName,
                                    AuthConfig config, ScheduledExecutorService loop, AuthListener l) {
        requireAll(m, ourName, secrets, config, loop, l);
        return switch (m) {
            case PAP -> new Pap.Peer(ourName, secrets, remoteName, config, loop, l, RANDOM);
            case CHAP_MD5 -> new Chap.Peer(ChapMd5.INSTANCE, ourName, secrets, remoteName, config, loop, l, RANDOM);
            case MSCHAP_V2 -> new Chap.Peer(MsChapV2.INSTANCE, ourName, secrets, remoteName, config, loop, l, RANDOM);
        };
    }

    /** We check the remote's identity, naming ourselves {@code ourName}, with pppd's default timers. */
    public static AuthProtocol authenticator(AuthMethod m, String ourName, SecretProvider secrets,
                                             ScheduledExecutorService loop, AuthListener l) {
        return authenticator(m, ourName, secrets, AuthConfig.DEFAULTS, loop, l);
    }

    /** As {@link #authenticator(AuthMethod, String, SecretProvider, ScheduledExecutorService, AuthListener)} with explicit timers. */
    public static AuthProtocol authenticator(AuthMethod m, String ourName, SecretProvider secrets,
                                             AuthConfig config, ScheduledExecutorService loop, AuthListener l) {
        requireAll(m, ourName, secrets, config, loop, l);
        return switch (m) {
            case PAP -> new Pap.Authenticator(ourName, secrets, config, loop, l);
            case CHAP_MD5 -> new Chap.Authenticator(ChapMd5.INSTANCE, ourName, secrets, config, loop, l, RANDOM);
            case MSCHAP_V2 -> new Chap.Authenticator(MsChapV2.INSTANCE, ourName, secrets, config, loop, l, RANDOM);
        };
    }

    /** The arguments every instance needs, named when missing. */
    private static void requireAll(AuthMethod m, String ourName, SecretProvider secrets, AuthConfig config,
                                   ScheduledExecutorService loop, AuthListener l) {
        Objects.requireNonNull(m, "method");
        Objects.requireNonNull(ourName, "ourName");
        Objects.requireNonNull(secrets, "secrets");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(l, "listener");
    }
}
