package io.jl2tp.ppp.auth;

import java.util.Objects;
import java.util.Optional;

/**
 * Looks up the secret shared by a client (the party that authenticates itself) and a server
 * (the party that checks it), as pppd's {@code get_secret(unit, client, server, …)} does over
 * {@code chap-secrets} / {@code pap-secrets}. As peer we ask for (our name, the remote's
 * name); as authenticator for (the peer's name from its packet, our name).
 */
@FunctionalInterface
public interface SecretProvider {

    /** The secret for {@code client} authenticating to {@code server}, or empty if none. */
    Optional<Secret> secret(String client, String server);

    /** A provider that knows no secrets. */
    static SecretProvider none() {
        return (c, s) -> Optional.empty();
    }

    /**
     * A provider that answers every lookup with {@code password}: pppd's {@code password}
     * option, which as peer overrides the secrets files for PAP and CHAP alike.
     */
    static SecretProvider fixed(Secret password) {
        Objects.requireNonNull(password, "password");
        return (c, s) -> Optional.of(password);
    }
}
