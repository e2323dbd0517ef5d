package io.jl2tp.ppp.options;

import io.jl2tp.ppp.fsm.CpConfig;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * What LCP negotiates and how it keeps the link alive (pppd {@code lcp.c}, RFC 1661 §6):
 * one of the per-protocol parts of {@link PppSettings}.
 *
 * <p>Threads: immutable; the builder is for one thread.
 *
 * @param mtu pppd {@code mtu}: the largest information field we send, 128..16384 (default: the peer's MRU)
 * @param mru pppd {@code mru}: the MRU we ask for, 128..16384 (default 1500, not negotiated)
 * @param pcomp Protocol-Field-Compression allowed; false after {@code nopcomp} / {@code -pc}
 * @param accomp Address-and-Control-Field-Compression allowed; false after {@code noaccomp} / {@code -ac}
 * @param magic Magic-Number negotiated; false after {@code nomagic}
 * @param echoInterval {@code lcp-echo-interval}: seconds between Echo-Requests, 0 = off (default 0)
 * @param echoFailure {@code lcp-echo-failure}: unanswered echoes before the link is declared dead, 0 = never (default 0)
 * @param echoAdaptive {@code lcp-echo-adaptive}: send echoes only when no traffic came in
 * @param timers {@code lcp-restart}, {@code lcp-max-configure}, {@code lcp-max-terminate}, {@code lcp-max-failure}
 */
public record LcpSettings(
        OptionalInt mtu,
        OptionalInt mru,
        boolean pcomp,
        boolean accomp,
        boolean magic,
        int echoInterval,
        int echoFailure,
        boolean echoAdaptive,
        CpConfig timers) {

    /** pppd's defaults. */
    public static final LcpSettings DEFAULTS = builder().build();

    /** Checks for nulls. */
    public LcpSettings {
        Objects.requireNonNull(mtu, "mtu");
        Objects.requireNonNull(mru, "mru");
        Objects.requireNonNull(timers, "timers");
    }

    /** A builder preset with pppd's defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder preset with these settings. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.mtu = mtu;
        b.mru = mru;
        b.pcomp = pcomp;
        b.accomp = accomp;
        b.magic = magic;
        b.echoInterval = echoInterval;
        b.echoFailure = echoFailure;
        b.echoAdaptive = echoAdaptive;
        b.timers = timers;
        return b;
    }

    /** Mutable builder for {@link LcpSettings}; setters return {@code this}. */
    public static final class Builder {
        private OptionalInt mtu = OptionalInt.empty();
        private OptionalInt mru = OptionalInt.empty();
        private boolean pcomp = true;
        private boolean accomp = true;
        private boolean magic = true;
        private int echoInterval = 0;
        private int echoFailure = 0;
        private boolean echoAdaptive = false;
        private CpConfig timers = CpConfig.PPPD;

        private Builder() {
        }

        /** pppd {@code mtu}: the largest information field we send, 128..16384 (default: the peer's MRU). */
        public Builder mtu(int v) {
            this.mtu = OptionalInt.of(v);
            return this;
        }

        /** pppd {@code mru}: the MRU we ask for, 128..16384 (default 1500, not negotiated). */
        public Builder mru(int v) {
            this.mru = OptionalInt.of(v);
            return this;
        }

        /** Protocol-Field-Compression allowed; false after {@code nopcomp} / {@code -pc}. */
        public Builder pcomp(boolean v) {
            this.pcomp = v;
            return this;
        }

        /** Address-and-Control-Field-Compression allowed; false after {@code noaccomp} / {@code -ac}. */
        public Builder accomp(boolean v) {
            this.accomp = v;
            return this;
        }

        /** Magic-Number negotiated; false after {@code nomagic}. */
        public Builder magic(boolean v) {
            this.magic = v;
            return this;
        }

        /** Sets {@code lcp-echo-interval}: seconds between Echo-Requests, 0 = off (default 0). */
        public Builder echoInterval(int v) {
            this.echoInterval = v;
            return this;
        }

        /** Sets {@code lcp-echo-failure}: unanswered echoes before the link is declared dead, 0 = never (default 0). */
        public Builder echoFailure(int v) {
            this.echoFailure = v;
            return this;
        }

        /** Sets {@code lcp-echo-adaptive}: send echoes only when no traffic came in. */
        public Builder echoAdaptive(boolean v) {
            this.echoAdaptive = v;
            return this;
        }

        /** Sets {@code lcp-restart}, {@code lcp-max-configure}, {@code lcp-max-terminate}, {@code lcp-max-failure}. */
        public Builder timers(CpConfig v) {
            this.timers = Objects.requireNonNull(v, "timers");
            return this;
        }

        /** The immutable settings. */
        public LcpSettings build() {
            return new LcpSettings(mtu, mru, pcomp, accomp, magic, echoInterval, echoFailure, echoAdaptive, timers);
        }
    }
}
