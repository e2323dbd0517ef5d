package io.jl2tp.app.config;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The pppd options that concern the program running the link rather than the PPP protocols
 * (pppd {@code options.c}, {@code main.c}, {@code sys-linux.c}): the interface, routes, redial
 * and hook-script settings. The protocol settings are ppp-core's
 * {@link io.jl2tp.ppp.options.PppSettings}; {@link PppdOptionsParser} fills both.
 *
 * @param ifname {@code ifname}: the network interface name, at most 15 characters (jl2tp default: l2tp0)
 * @param ipparam {@code ipparam}: extra argument for the ip-up/ip-down scripts
 * @param linkname {@code linkname}: LINKNAME for the hook scripts and the pid file name ppp-NAME.pid
 * @param debug {@code debug} (true) / {@code nodebug} (false): log PPP control packets
 * @param persist {@code persist} (true) / {@code nopersist} (false): redial after the link ends
 * @param maxfail {@code maxfail}: consecutive failed attempts before giving up, 0 = never (default 10)
 * @param holdoff {@code holdoff}: seconds to wait before redialling after the link ended (default 30)
 * @param defaultRoute {@code defaultroute} (true) / {@code nodefaultroute} (false): add a default route through the link
 * @param defaultRouteMetric {@code defaultroute-metric}: metric of that default route
 * @param replaceDefaultRoute {@code replacedefaultroute}: replace an existing default route, restoring it when the link ends
 */
public record PppdAppOptions(
        Optional<String> ifname,
        Optional<String> ipparam,
        Optional<String> linkname,
        boolean debug,
        boolean persist,
        int maxfail,
        int holdoff,
        boolean defaultRoute,
        OptionalInt defaultRouteMetric,
        boolean replaceDefaultRoute) {

    /** pppd's defaults. */
    public static final PppdAppOptions DEFAULTS = builder().build();

    /** Checks for nulls. */
    public PppdAppOptions {
        Objects.requireNonNull(ifname, "ifname");
        Objects.requireNonNull(ipparam, "ipparam");
        Objects.requireNonNull(linkname, "linkname");
        Objects.requireNonNull(defaultRouteMetric, "defaultRouteMetric");
    }

    /** A builder preset with pppd's defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder preset with these settings. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.ifname = ifname;
        b.ipparam = ipparam;
        b.linkname = linkname;
        b.debug = debug;
        b.persist = persist;
        b.maxfail = maxfail;
        b.holdoff = holdoff;
        b.defaultRoute = defaultRoute;
        b.defaultRouteMetric = defaultRouteMetric;
        b.replaceDefaultRoute = replaceDefaultRoute;
        return b;
    }

    /** Mutable builder for {@link PppdAppOptions}; setters return {@code this}. */
    public static final class Builder {
        private Optional<String> ifname = Optional.empty();
        private Optional<String> ipparam = Optional.empty();
        private Optional<String> linkname = Optional.empty();
        private boolean debug = false;
        private boolean persist = false;
        private int maxfail = 10;
        private int holdoff = 30;
        private boolean defaultRoute = false;
        private OptionalInt defaultRouteMetric = OptionalInt.empty();
        private boolean replaceDefaultRoute = false;

        private Builder() {
        }

        /** Sets {@code ifname}: the network interface name, at most 15 characters (jl2tp default: l2tp0). */
        public Builder ifname(String v) {
            this.ifname = Optional.ofNullable(v);
            return this;
        }

        /** Sets {@code ipparam}: extra argument for the ip-up/ip-down scripts. */
        public Builder ipparam(String v) {
            this.ipparam = Optional.ofNullable(v);
            return this;
        }

        /** Sets {@code linkname}: LINKNAME for the hook scripts and the pid file name ppp-NAME.pid. */
        public Builder linkname(String v) {
            this.linkname = Optional.ofNullable(v);
            return this;
        }

        /** Sets {@code debug} (true) / {@code nodebug} (false): log PPP control packets. */
        public Builder debug(boolean v) {
            this.debug = v;
            return this;
        }

        /** Sets {@code persist} (true) / {@code nopersist} (false): redial after the link ends. */
        public Builder persist(boolean v) {
            this.persist = v;
            return this;
        }

        /** Sets {@code maxfail}: consecutive failed attempts before giving up, 0 = never (default 10). */
        public Builder maxfail(int v) {
            this.maxfail = v;
            return this;
        }

        /** Sets {@code holdoff}: seconds to wait before redialling after the link ended (default 30). */
        public Builder holdoff(int v) {
            this.holdoff = v;
            return this;
        }

        /** Sets {@code defaultroute} (true) / {@code nodefaultroute} (false): add a default route through the link. */
        public Builder defaultRoute(boolean v) {
            this.defaultRoute = v;
            return this;
        }

        /** Sets {@code defaultroute-metric}: metric of that default route. */
        public Builder defaultRouteMetric(int v) {
            this.defaultRouteMetric = OptionalInt.of(v);
            return this;
        }

        /** Sets {@code replacedefaultroute}: replace an existing default route, restoring it when the link ends. */
        public Builder replaceDefaultRoute(boolean v) {
            this.replaceDefaultRoute = v;
            return this;
        }

        /** The immutable settings. */
        public PppdAppOptions build() {
            return new PppdAppOptions(ifname, ipparam, linkname, debug, persist, maxfail, holdoff, defaultRoute,
                    defaultRouteMetric, replaceDefaultRoute);
        }
    }
}
