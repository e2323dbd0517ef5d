package io.jl2tp.ppp.options;

import io.jl2tp.ppp.fsm.CpConfig;
import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What IPCP negotiates (pppd {@code ipcp.c}, RFC 1332, RFC 1877 for DNS): one of the
 * per-protocol parts of {@link PppSettings}.
 *
 * <p>Threads: immutable; the builder is for one thread.
 *
 * @param enabled IPCP runs; false after {@code noip}
 * @param localIp {@code <local>:<remote>}: our IPv4 address to request
 * @param remoteIp {@code <local>:<remote>}: the remote's IPv4 address
 * @param acceptLocal {@code ipcp-accept-local}: accept the peer's idea of our address
 * @param acceptRemote {@code ipcp-accept-remote}: accept the peer's idea of its address
 * @param usePeerDns {@code usepeerdns}: ask for DNS servers (RFC 1877)
 * @param msDns {@code ms-dns}: DNS servers to give a peer (authenticator/LNS side), at most 2
 * @param timers {@code ipcp-restart}, {@code ipcp-max-configure}, {@code ipcp-max-terminate}, {@code ipcp-max-failure}
 */
public record IpcpSettings(
        boolean enabled,
        Optional<Inet4Address> localIp,
        Optional<Inet4Address> remoteIp,
        boolean acceptLocal,
        boolean acceptRemote,
        boolean usePeerDns,
        List<Inet4Address> msDns,
        CpConfig timers) {

    /** pppd's defaults. */
    public static final IpcpSettings DEFAULTS = builder().build();

    /** Checks for nulls and freezes the lists. */
    public IpcpSettings {
        Objects.requireNonNull(localIp, "localIp");
        Objects.requireNonNull(remoteIp, "remoteIp");
        msDns = List.copyOf(msDns);
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
        b.localIp = localIp;
        b.remoteIp = remoteIp;
        b.acceptLocal = acceptLocal;
        b.acceptRemote = acceptRemote;
        b.usePeerDns = usePeerDns;
        b.msDns = new ArrayList<>(msDns);
        b.timers = timers;
        return b;
    }

    /** Mutable builder for {@link IpcpSettings}; setters return {@code this}. */
    public static final class Builder {
        private boolean enabled = true;
        private Optional<Inet4Address> localIp = Optional.empty();
        private Optional<Inet4Address> remoteIp = Optional.empty();
        private boolean acceptLocal = false;
        private boolean acceptRemote = false;
        private boolean usePeerDns = false;
        private List<Inet4Address> msDns = new ArrayList<>();
        private CpConfig timers = CpConfig.PPPD;

        private Builder() {
        }

        /** IPCP runs; false after {@code noip}. */
        public Builder enabled(boolean v) {
            this.enabled = v;
            return this;
        }

        /** Sets {@code <local>:<remote>}: our IPv4 address to request. */
        public Builder localIp(Inet4Address v) {
            this.localIp = Optional.ofNullable(v);
            return this;
        }

        /** Sets {@code <local>:<remote>}: the remote's IPv4 address. */
        public Builder remoteIp(Inet4Address v) {
            this.remoteIp = Optional.ofNullable(v);
            return this;
        }

        /** Sets {@code ipcp-accept-local}: accept the peer's idea of our address. */
        public Builder acceptLocal(boolean v) {
            this.acceptLocal = v;
            return this;
        }

        /** Sets {@code ipcp-accept-remote}: accept the peer's idea of its address. */
        public Builder acceptRemote(boolean v) {
            this.acceptRemote = v;
            return this;
        }

        /** Sets {@code usepeerdns}: ask for DNS servers (RFC 1877). */
        public Builder usePeerDns(boolean v) {
            this.usePeerDns = v;
            return this;
        }

        /** Sets {@code ms-dns}: DNS servers to give a peer (authenticator/LNS side), at most 2. */
        public Builder msDns(List<Inet4Address> v) {
            this.msDns = new ArrayList<>(v);
            return this;
        }

        /** Sets {@code ipcp-restart}, {@code ipcp-max-configure}, {@code ipcp-max-terminate}, {@code ipcp-max-failure}. */
        public Builder timers(CpConfig v) {
            this.timers = Objects.requireNonNull(v, "timers");
            return this;
        }

        /** The immutable settings. */
        public IpcpSettings build() {
            return new IpcpSettings(enabled, localIp, remoteIp, acceptLocal, acceptRemote, usePeerDns, msDns, timers);
        }
    }
}
