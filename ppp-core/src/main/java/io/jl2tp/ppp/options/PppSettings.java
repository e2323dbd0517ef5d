package io.jl2tp.ppp.options;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * Everything a {@link io.jl2tp.ppp.PppLink} negotiates, one record per protocol as pppd keeps
 * one option table per protocol ({@code lcp.c}, {@code auth.c}, {@code ipcp.c},
 * {@code ipv6cp.c}). Application concerns (interface name, routes, redial, hook scripts) are
 * not here: they belong to whoever runs the link.
 *
 * <p>Threads: immutable; the builder is for one thread.
 *
 * @param lcp    LCP options, keepalive and LCP timers
 * @param auth   names, secrets, required/refused methods and PAP/CHAP timers
 * @param ipcp   IPCP options and timers
 * @param ipv6cp IPV6CP options and timers
 */
public record PppSettings(LcpSettings lcp, AuthSettings auth, IpcpSettings ipcp, Ipv6cpSettings ipv6cp) {

    /** pppd's defaults for every protocol. */
    public static final PppSettings DEFAULTS = new PppSettings(LcpSettings.DEFAULTS, AuthSettings.DEFAULTS,
            IpcpSettings.DEFAULTS, Ipv6cpSettings.DEFAULTS);

    /** Checks for nulls. */
    public PppSettings {
        Objects.requireNonNull(lcp, "lcp");
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(ipcp, "ipcp");
        Objects.requireNonNull(ipv6cp, "ipv6cp");
    }

    /** A builder preset with pppd's defaults. */
    public static Builder builder() {
        return DEFAULTS.toBuilder();
    }

    /** A builder preset with these settings. */
    public Builder toBuilder() {
        return new Builder(lcp.toBuilder(), auth.toBuilder(), ipcp.toBuilder(), ipv6cp.toBuilder());
    }

    /**
     * Builds the four parts together: {@code PppSettings.builder().auth(a -> a.requirePap(true))
     * .ipv6cp(v -> v.enabled(true)).build()}.
     */
    public static final class Builder {
        private final LcpSettings.Builder lcp;
        private final AuthSettings.Builder auth;
        private final IpcpSettings.Builder ipcp;
        private final Ipv6cpSettings.Builder ipv6cp;

        private Builder(LcpSettings.Builder lcp, AuthSettings.Builder auth, IpcpSettings.Builder ipcp,
                        Ipv6cpSettings.Builder ipv6cp) {
            this.lcp = lcp;
            this.auth = auth;
            this.ipcp = ipcp;
            this.ipv6cp = ipv6cp;
        }

        /** Changes the LCP part. */
        public Builder lcp(Consumer<LcpSettings.Builder> change) {
            change.accept(lcp);
            return this;
        }

        /** Changes the authentication part. */
        public Builder auth(Consumer<AuthSettings.Builder> change) {
            change.accept(auth);
            return this;
        }

        /** Changes the IPCP part. */
        public Builder ipcp(Consumer<IpcpSettings.Builder> change) {
            change.accept(ipcp);
            return this;
        }

        /** Changes the IPV6CP part. */
        public Builder ipv6cp(Consumer<Ipv6cpSettings.Builder> change) {
            change.accept(ipv6cp);
            return this;
        }

        /** The immutable settings. */
        public PppSettings build() {
            return new PppSettings(lcp.build(), auth.build(), ipcp.build(), ipv6cp.build());
        }
    }
}
