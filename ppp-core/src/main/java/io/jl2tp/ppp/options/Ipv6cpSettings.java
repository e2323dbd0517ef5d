package io.jl2tp.ppp.options;

import io.jl2tp.ppp.fsm.CpConfig;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * What IPV6CP negotiates (pppd {@code ipv6cp.c}, RFC 5072): one of the per-protocol parts of
 * {@link PppSettings}.
 *
 * <p>Threads: immutable; the builder is for one thread.
 *
 * @param enabled IPV6CP runs: {@code +ipv6} (true), {@code noipv6} / {@code -ipv6} (false)
 * @param localId {@code ipv6 <local>,}: our 64-bit interface identifier
 * @param useIpaddr {@code ipv6cp-use-ipaddr}: interface identifier from the local IPv4 address
 * @param acceptLocal {@code ipv6cp-accept-local}: accept the peer's identifier for us
 * @param timers {@code ipv6cp-restart}, {@code ipv6cp-max-configure}, {@code ipv6cp-max-terminate}, {@code ipv6cp-max-failure}
 */
public record Ipv6cpSettings(
        boolean enabled,
        OptionalLong localId,
        boolean useIpaddr,
        boolean acceptLocal,
        CpConfig timers) {

    /** pppd's defaults. */
    public static final Ipv6cpSettings DEFAULTS = builder().build();

    /** Checks for nulls. */
    public Ipv6cpSettings {
        Objects.requireNonNull(localId, "localId");
        Objects.requireNonNull(timers, "timers");
    }

    /** A builder preset with pppd's defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder preset with these settings. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.enabled = enabled;
        b.localId = localId;
        b.useIpaddr = useIpaddr;
        b.acceptLocal = acceptLocal;
        b.timers = timers;
        return b;
    }

    /** Mutable builder for {@link Ipv6cpSettings}; setters return {@code this}. */
    public static final class Builder {
        private boolean enabled = false;
        private OptionalLong localId = OptionalLong.empty();
        private boolean useIpaddr = false;
        private boolean acceptLocal = false;
        private CpConfig timers = CpConfig.PPPD;

        private Builder() {
        }

        /** IPV6CP runs: {@code +ipv6} (true), {@code noipv6} / {@code -ipv6} (false). */
        public Builder enabled(boolean v) {
            this.enabled = v;
            return this;
        }

        /** Sets {@code ipv6 <local>,}: our 64-bit interface identifier. */
        public Builder localId(long v) {
            this.localId = OptionalLong.of(v);
            return this;
        }

        /** Sets {@code ipv6cp-use-ipaddr}: interface identifier from the local IPv4 address. */
        public Builder useIpaddr(boolean v) {
            this.useIpaddr = v;
            return this;
        }

        /** Sets {@code ipv6cp-accept-local}: accept the peer's identifier for us. */
        public Builder acceptLocal(boolean v) {
            this.acceptLocal = v;
            return this;
        }

        /** Sets {@code ipv6cp-restart}, {@code ipv6cp-max-configure}, {@code ipv6cp-max-terminate}, {@code ipv6cp-max-failure}. */
        public Builder timers(CpConfig v) {
            this.timers = Objects.requireNonNull(v, "timers");
            return this;
        }

        /** The immutable settings. */
        public Ipv6cpSettings build() {
            return new Ipv6cpSettings(enabled, localId, useIpaddr, acceptLocal, timers);
        }
    }
}
