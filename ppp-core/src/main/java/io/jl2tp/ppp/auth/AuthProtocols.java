package io.jl2tp.ppp.auth;

import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Factories for the two directions of PPP authentication. "Peer" is the side that proves
 * its identity (pppd's {@code upap_authwithpeer} / {@code chap_auth_with_peer}),
 * "authenticator" the side that checks it ({@code upap_authpeer} / {@code chap_auth_peer}).
 */
public final class AuthProtocols {

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
        Objects.requireNonNull(m, "method");
        Objects.requireNonNull(ourName, "ourName");
        Objects.requireNonNull(secrets, "secrets");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(l, "listener");
        throw new UnsupportedOperationException("auth peer " + m + ": implementation lands in the next commit");
    }

    /** We check the remote's identity, naming ourselves {@code ourName}, with pppd's default timers. */
    public static AuthProtocol authenticator(AuthMethod m, String ourName, SecretProvider secrets,
                                             ScheduledExecutorService loop, AuthListener l) {
        return authenticator(m, ourName, secrets, AuthConfig.DEFAULTS, loop, l);
    }

    /** As {@link #authenticator(AuthMethod, String, SecretProvider, ScheduledExecutorService, AuthListener)} with explicit timers. */
    public static AuthProtocol authenticator(AuthMethod m, String ourName, SecretProvider secrets,
                                             AuthConfig config, ScheduledExecutorService loop, AuthListener l) {
        Objects.requireNonNull(m, "method");
        Objects.requireNonNull(ourName, "ourName");
        Objects.requireNonNull(secrets, "secrets");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(l, "listener");
        throw new UnsupportedOperationException("auth authenticator " + m + ": implementation lands in the next commit");
    }
}
