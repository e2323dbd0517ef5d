package io.jl2tp.ppp.options;

import io.jl2tp.ppp.auth.Secret;
import java.util.List;
import java.util.Objects;

/**
 * One line of a pppd {@code chap-secrets} / {@code pap-secrets} file: client, server, secret
 * and the optional list of IP addresses the client may use (pppd(8) "AUTHENTICATION").
 * {@code toString()} never shows the secret.
 *
 * @param client    the authenticating party's name, or {@code *} for any
 * @param server    the authenticator's name, or {@code *} for any
 * @param secret    the secret (from the line, or from an {@code @/path} file)
 * @param addresses the address column as written: IPv4 addresses, {@code a.b.c.d/n}
 *                  subnets, host names, each optionally prefixed by {@code !}; {@code -}
 *                  alone means no address is allowed; {@code *} any; empty = not restricted
 * @param options   pppd options written after {@code --} at the end of the line (pppd
 *                  applies them for this client), kept as words
 * @param file      the file the entry came from
 * @param line      its 1-based line
 */
public record SecretEntry(String client, String server, Secret secret, List<String> addresses,
                          List<String> options, String file, int line) {

    /** Copies the address list and checks for nulls. */
    public SecretEntry {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(secret, "secret");
        addresses = List.copyOf(addresses);
        options = List.copyOf(options);
        Objects.requireNonNull(file, "file");
    }

    /** True if the address column is the single word {@code -}: the client may use no address. */
    public boolean noAddressAllowed() {
        return addresses.equals(List.of("-"));
    }

    /** True if the address column is empty or {@code *}: any address is acceptable. */
    public boolean anyAddressAllowed() {
        return addresses.isEmpty() || addresses.contains("*");
    }

    /** Location and names only — never the secret. */
    @Override
    public String toString() {
        return "SecretEntry[" + file + ":" + line + " client=" + client + " server=" + server
                + " secret=*** addresses=" + addresses + (options.isEmpty() ? "" : " options=" + options) + "]";
    }
}
