package io.jl2tp.ppp.options;

import io.jl2tp.ppp.auth.Secret;
import java.net.Inet4Address;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The pppd options jl2tp honours, as parsed from pppd options files ({@code
 * /etc/ppp/options.xl2tpd}, xl2tpd's {@code pppoptfile}) by {@link PppOptionsParser}.
 * Immutable; each component is named after its pppd option and documented with pppd's
 * default. {@link #toString()} never shows the password.
 *
 * @param name {@code name}: our name for authentication (pppd default: the host name)
 * @param user {@code user}: the name we authenticate as (default: {@code name})
 * @param remotename {@code remotename}: the remote's name for secret lookup
 * @param password {@code password}: our password as peer (overrides the secrets files); never printed
 * @param auth {@code auth} / {@code require-*} (true) and {@code noauth} (false): require the peer to authenticate
 * @param requirePap {@code require-pap} / {@code +pap}
 * @param requireChap {@code require-chap} / {@code +chap} (CHAP-MD5)
 * @param requireMschap {@code require-mschap} (MS-CHAPv1: not implemented by jl2tp)
 * @param requireMschapV2 {@code require-mschap-v2}
 * @param requireEap {@code require-eap} (not implemented by jl2tp)
 * @param refusePap {@code refuse-pap} / {@code -pap}
 * @param refuseChap {@code refuse-chap} / {@code -chap} (CHAP-MD5 only, as pppd)
 * @param refuseMschap {@code refuse-mschap}
 * @param refuseMschapV2 {@code refuse-mschap-v2}
 * @param refuseEap {@code refuse-eap}
 * @param papRestart {@code pap-restart}: seconds between Authenticate-Requests (default 3)
 * @param papMaxAuthreq {@code pap-max-authreq}: Authenticate-Requests sent before giving up (default 10)
 * @param papTimeout {@code pap-timeout}: seconds to wait for the peer's request as authenticator, 0 = forever (default 30)
 * @param chapRestart {@code chap-restart}: seconds between Challenge retransmissions (default 3)
 * @param chapMaxChallenge {@code chap-max-challenge}: Challenge transmissions before giving up (default 10)
 * @param chapInterval {@code chap-interval}: seconds between re-challenges, 0 = never (default 0)
 * @param mtu {@code mtu}: our MTU, 128..16384 (default: negotiated, 1500)
 * @param mru {@code mru}: the MRU we ask for, 128..16384 (default 1500)
 * @param noPcomp {@code nopcomp} / {@code -pc}: no Protocol-Field-Compression
 * @param noAccomp {@code noaccomp} / {@code -ac}: no Address/Control-Field-Compression
 * @param noMagic {@code nomagic}: no Magic-Number negotiation
 * @param lcpEchoInterval {@code lcp-echo-interval}: seconds between LCP Echo-Requests, 0 = off (default 0)
 * @param lcpEchoFailure {@code lcp-echo-failure}: unanswered echoes before the link is declared dead, 0 = never (default 0)
 * @param lcpEchoAdaptive {@code lcp-echo-adaptive}: send echoes only when no traffic came in
 * @param lcpRestart {@code lcp-restart}: LCP restart timer in seconds (default 3)
 * @param lcpMaxConfigure {@code lcp-max-configure}: Max-Configure (default 10)
 * @param lcpMaxFailure {@code lcp-max-failure}: Max-Failure (default 10, pppd.8)
 * @param lcpMaxTerminate {@code lcp-max-terminate}: Max-Terminate (default 3, pppd.8)
 * @param ip false after {@code noip}: IPCP disabled
 * @param localIp {@code <local>:<remote>}: our IPv4 address to request
 * @param remoteIp {@code <local>:<remote>}: the remote's IPv4 address
 * @param noIpDefault {@code noipdefault}: do not derive a local address from the host name
 * @param ipcpAcceptLocal {@code ipcp-accept-local}: accept the peer's idea of our address
 * @param ipcpAcceptRemote {@code ipcp-accept-remote}: accept the peer's idea of its address
 * @param usePeerDns {@code usepeerdns}: ask for DNS servers (RFC 1877)
 * @param msDns {@code ms-dns}: DNS servers to give a peer (authenticator/LNS side), at most 2
 * @param defaultRoute {@code defaultroute} (true) / {@code nodefaultroute} (false)
 * @param defaultRouteMetric {@code defaultroute-metric}: metric of the default route
 * @param replaceDefaultRoute {@code replacedefaultroute}: replace an existing default route
 * @param noVj {@code novj} / {@code -vj}: no Van Jacobson header compression
 * @param noVjCcomp {@code novjccomp} / {@code -vjccomp}: no VJ connection-ID compression
 * @param ipcpRestart {@code ipcp-restart}: seconds (default 3)
 * @param ipcpMaxConfigure {@code ipcp-max-configure} (default 10)
 * @param ipcpMaxFailure {@code ipcp-max-failure} (default 10)
 * @param ipcpMaxTerminate {@code ipcp-max-terminate} (default 3)
 * @param ipv6 {@code +ipv6} (true) / {@code noipv6}, {@code -ipv6} (false): run IPV6CP
 * @param ipv6LocalId {@code ipv6 <local>,<remote>}: our 64-bit interface identifier
 * @param ipv6RemoteId {@code ipv6 <local>,<remote>}: the remote's interface identifier
 * @param ipv6cpUseIpaddr {@code ipv6cp-use-ipaddr}: interface identifier from the local IPv4 address
 * @param ipv6cpUsePersistent {@code ipv6cp-use-persistent}: interface identifier from a persistent source
 * @param ipv6cpAcceptLocal {@code ipv6cp-accept-local}: accept the peer's identifier for us
 * @param ipv6cpAcceptRemote {@code ipv6cp-accept-remote}: accept the peer's own identifier
 * @param ipv6cpRestart {@code ipv6cp-restart}: seconds (default 3)
 * @param ipv6cpMaxConfigure {@code ipv6cp-max-configure} (default 10)
 * @param ipv6cpMaxFailure {@code ipv6cp-max-failure} (default 10)
 * @param ipv6cpMaxTerminate {@code ipv6cp-max-terminate} (default 3)
 * @param noCcp {@code noccp} / {@code -ccp}: no Compression Control Protocol
 * @param noBsdComp {@code nobsdcomp} / {@code -bsdcomp}
 * @param noDeflate {@code nodeflate} / {@code -deflate}
 * @param ifname {@code ifname}: the network interface name (at most 15 characters)
 * @param ipparam {@code ipparam}: extra argument for the ip-up/ip-down scripts
 * @param linkname {@code linkname}: name for the pid file and LINKNAME
 * @param debug {@code debug}: log control packets
 * @param kdebug {@code kdebug}: kernel debug level (bits 1, 2, 4)
 * @param persist {@code persist} (true) / {@code nopersist} (false): redial after the link ends
 * @param maxfail {@code maxfail}: consecutive failed attempts before giving up, 0 = never (default 10)
 * @param holdoff {@code holdoff}: seconds to wait before redialling (default 30)
 * @param lock {@code lock}: lock the device (no effect for L2TP)
 * @param nodetach {@code nodetach}: stay in the foreground
 * @param updetach {@code updetach}: detach once the link is up
 * @param connectDelay {@code connect-delay}: milliseconds to wait for the peer's first packet (default 1000)
 * @param unknown options jl2tp does not know (plugin options and the like), each warned about with file:line
 * @param ignored options jl2tp knows but that have no effect here (tty settings, plugins, scripts)
 */
public record PppOptions(
        Optional<String> name,
        Optional<String> user,
        Optional<String> remotename,
        Optional<Secret> password,
        boolean auth,
        boolean requirePap,
        boolean requireChap,
        boolean requireMschap,
        boolean requireMschapV2,
        boolean requireEap,
        boolean refusePap,
        boolean refuseChap,
        boolean refuseMschap,
        boolean refuseMschapV2,
        boolean refuseEap,
        int papRestart,
        int papMaxAuthreq,
        int papTimeout,
        int chapRestart,
        int chapMaxChallenge,
        int chapInterval,
        OptionalInt mtu,
        OptionalInt mru,
        boolean noPcomp,
        boolean noAccomp,
        boolean noMagic,
        int lcpEchoInterval,
        int lcpEchoFailure,
        boolean lcpEchoAdaptive,
        int lcpRestart,
        int lcpMaxConfigure,
        int lcpMaxFailure,
        int lcpMaxTerminate,
        boolean ip,
        Optional<Inet4Address> localIp,
        Optional<Inet4Address> remoteIp,
        boolean noIpDefault,
        boolean ipcpAcceptLocal,
        boolean ipcpAcceptRemote,
        boolean usePeerDns,
        List<Inet4Address> msDns,
        boolean defaultRoute,
        OptionalInt defaultRouteMetric,
        boolean replaceDefaultRoute,
        boolean noVj,
        boolean noVjCcomp,
        int ipcpRestart,
        int ipcpMaxConfigure,
        int ipcpMaxFailure,
        int ipcpMaxTerminate,
        boolean ipv6,
        OptionalLong ipv6LocalId,
        OptionalLong ipv6RemoteId,
        boolean ipv6cpUseIpaddr,
        boolean ipv6cpUsePersistent,
        boolean ipv6cpAcceptLocal,
        boolean ipv6cpAcceptRemote,
        int ipv6cpRestart,
        int ipv6cpMaxConfigure,
        int ipv6cpMaxFailure,
        int ipv6cpMaxTerminate,
        boolean noCcp,
        boolean noBsdComp,
        boolean noDeflate,
        Optional<String> ifname,
        Optional<String> ipparam,
        Optional<String> linkname,
        boolean debug,
        int kdebug,
        boolean persist,
        int maxfail,
        int holdoff,
        boolean lock,
        boolean nodetach,
        boolean updetach,
        int connectDelay,
        List<OptionWarning> unknown,
        List<OptionWarning> ignored) {

    /** pppd's defaults: nothing set. */
    public static final PppOptions DEFAULTS = builder().build();

    /** Checks for nulls and freezes the lists. */
    public PppOptions {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(remotename, "remotename");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(mtu, "mtu");
        Objects.requireNonNull(mru, "mru");
        Objects.requireNonNull(localIp, "localIp");
        Objects.requireNonNull(remoteIp, "remoteIp");
        Objects.requireNonNull(msDns, "msDns");
        msDns = List.copyOf(msDns);
        Objects.requireNonNull(defaultRouteMetric, "defaultRouteMetric");
        Objects.requireNonNull(ipv6LocalId, "ipv6LocalId");
        Objects.requireNonNull(ipv6RemoteId, "ipv6RemoteId");
        Objects.requireNonNull(ifname, "ifname");
        Objects.requireNonNull(ipparam, "ipparam");
        Objects.requireNonNull(linkname, "linkname");
        Objects.requireNonNull(unknown, "unknown");
        unknown = List.copyOf(unknown);
        Objects.requireNonNull(ignored, "ignored");
        ignored = List.copyOf(ignored);
    }

    /** Parses the pppd options file {@code file} (following {@code file} includes). */
    public static PppOptions parse(Path file) throws PppConfigException {
        return new PppOptionsParser().parseFile(file);
    }

    /** A builder preset with pppd's defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder preset with these options. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.name = name;
        b.user = user;
        b.remotename = remotename;
        b.password = password;
        b.auth = auth;
        b.requirePap = requirePap;
        b.requireChap = requireChap;
        b.requireMschap = requireMschap;
        b.requireMschapV2 = requireMschapV2;
        b.requireEap = requireEap;
        b.refusePap = refusePap;
        b.refuseChap = refuseChap;
        b.refuseMschap = refuseMschap;
        b.refuseMschapV2 = refuseMschapV2;
        b.refuseEap = refuseEap;
        b.papRestart = papRestart;
        b.papMaxAuthreq = papMaxAuthreq;
        b.papTimeout = papTimeout;
        b.chapRestart = chapRestart;
        b.chapMaxChallenge = chapMaxChallenge;
        b.chapInterval = chapInterval;
        b.mtu = mtu;
        b.mru = mru;
        b.noPcomp = noPcomp;
        b.noAccomp = noAccomp;
        b.noMagic = noMagic;
        b.lcpEchoInterval = lcpEchoInterval;
        b.lcpEchoFailure = lcpEchoFailure;
        b.lcpEchoAdaptive = lcpEchoAdaptive;
        b.lcpRestart = lcpRestart;
        b.lcpMaxConfigure = lcpMaxConfigure;
        b.lcpMaxFailure = lcpMaxFailure;
        b.lcpMaxTerminate = lcpMaxTerminate;
        b.ip = ip;
        b.localIp = localIp;
        b.remoteIp = remoteIp;
        b.noIpDefault = noIpDefault;
        b.ipcpAcceptLocal = ipcpAcceptLocal;
        b.ipcpAcceptRemote = ipcpAcceptRemote;
        b.usePeerDns = usePeerDns;
        b.msDns = new ArrayList<>(msDns);
        b.defaultRoute = defaultRoute;
        b.defaultRouteMetric = defaultRouteMetric;
        b.replaceDefaultRoute = replaceDefaultRoute;
        b.noVj = noVj;
        b.noVjCcomp = noVjCcomp;
        b.ipcpRestart = ipcpRestart;
        b.ipcpMaxConfigure = ipcpMaxConfigure;
        b.ipcpMaxFailure = ipcpMaxFailure;
        b.ipcpMaxTerminate = ipcpMaxTerminate;
        b.ipv6 = ipv6;
        b.ipv6LocalId = ipv6LocalId;
        b.ipv6RemoteId = ipv6RemoteId;
        b.ipv6cpUseIpaddr = ipv6cpUseIpaddr;
        b.ipv6cpUsePersistent = ipv6cpUsePersistent;
        b.ipv6cpAcceptLocal = ipv6cpAcceptLocal;
        b.ipv6cpAcceptRemote = ipv6cpAcceptRemote;
        b.ipv6cpRestart = ipv6cpRestart;
        b.ipv6cpMaxConfigure = ipv6cpMaxConfigure;
        b.ipv6cpMaxFailure = ipv6cpMaxFailure;
        b.ipv6cpMaxTerminate = ipv6cpMaxTerminate;
        b.noCcp = noCcp;
        b.noBsdComp = noBsdComp;
        b.noDeflate = noDeflate;
        b.ifname = ifname;
        b.ipparam = ipparam;
        b.linkname = linkname;
        b.debug = debug;
        b.kdebug = kdebug;
        b.persist = persist;
        b.maxfail = maxfail;
        b.holdoff = holdoff;
        b.lock = lock;
        b.nodetach = nodetach;
        b.updetach = updetach;
        b.connectDelay = connectDelay;
        b.unknown = new ArrayList<>(unknown);
        b.ignored = new ArrayList<>(ignored);
        return b;
    }

    /** All options, the password masked. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("PppOptions[");
        sb.append("name=").append(name);
        sb.append(", user=").append(user);
        sb.append(", remotename=").append(remotename);
        sb.append(", password=").append(password.isPresent() ? "***" : "none");
        sb.append(", auth=").append(auth);
        sb.append(", requirePap=").append(requirePap);
        sb.append(", requireChap=").append(requireChap);
        sb.append(", requireMschap=").append(requireMschap);
        sb.append(", requireMschapV2=").append(requireMschapV2);
        sb.append(", requireEap=").append(requireEap);
        sb.append(", refusePap=").append(refusePap);
        sb.append(", refuseChap=").append(refuseChap);
        sb.append(", refuseMschap=").append(refuseMschap);
        sb.append(", refuseMschapV2=").append(refuseMschapV2);
        sb.append(", refuseEap=").append(refuseEap);
        sb.append(", papRestart=").append(papRestart);
        sb.append(", papMaxAuthreq=").append(papMaxAuthreq);
        sb.append(", papTimeout=").append(papTimeout);
        sb.append(", chapRestart=").append(chapRestart);
        sb.append(", chapMaxChallenge=").append(chapMaxChallenge);
        sb.append(", chapInterval=").append(chapInterval);
        sb.append(", mtu=").append(mtu);
        sb.append(", mru=").append(mru);
        sb.append(", noPcomp=").append(noPcomp);
        sb.append(", noAccomp=").append(noAccomp);
        sb.append(", noMagic=").append(noMagic);
        sb.append(", lcpEchoInterval=").append(lcpEchoInterval);
        sb.append(", lcpEchoFailure=").append(lcpEchoFailure);
        sb.append(", lcpEchoAdaptive=").append(lcpEchoAdaptive);
        sb.append(", lcpRestart=").append(lcpRestart);
        sb.append(", lcpMaxConfigure=").append(lcpMaxConfigure);
        sb.append(", lcpMaxFailure=").append(lcpMaxFailure);
        sb.append(", lcpMaxTerminate=").append(lcpMaxTerminate);
        sb.append(", ip=").append(ip);
        sb.append(", localIp=").append(localIp);
        sb.append(", remoteIp=").append(remoteIp);
        sb.append(", noIpDefault=").append(noIpDefault);
        sb.append(", ipcpAcceptLocal=").append(ipcpAcceptLocal);
        sb.append(", ipcpAcceptRemote=").append(ipcpAcceptRemote);
        sb.append(", usePeerDns=").append(usePeerDns);
        sb.append(", msDns=").append(msDns);
        sb.append(", defaultRoute=").append(defaultRoute);
        sb.append(", defaultRouteMetric=").append(defaultRouteMetric);
        sb.append(", replaceDefaultRoute=").append(replaceDefaultRoute);
        sb.append(", noVj=").append(noVj);
        sb.append(", noVjCcomp=").append(noVjCcomp);
        sb.append(", ipcpRestart=").append(ipcpRestart);
        sb.append(", ipcpMaxConfigure=").append(ipcpMaxConfigure);
        sb.append(", ipcpMaxFailure=").append(ipcpMaxFailure);
        sb.append(", ipcpMaxTerminate=").append(ipcpMaxTerminate);
        sb.append(", ipv6=").append(ipv6);
        sb.append(", ipv6LocalId=").append(ipv6LocalId);
        sb.append(", ipv6RemoteId=").append(ipv6RemoteId);
        sb.append(", ipv6cpUseIpaddr=").append(ipv6cpUseIpaddr);
        sb.append(", ipv6cpUsePersistent=").append(ipv6cpUsePersistent);
        sb.append(", ipv6cpAcceptLocal=").append(ipv6cpAcceptLocal);
        sb.append(", ipv6cpAcceptRemote=").append(ipv6cpAcceptRemote);
        sb.append(", ipv6cpRestart=").append(ipv6cpRestart);
        sb.append(", ipv6cpMaxConfigure=").append(ipv6cpMaxConfigure);
        sb.append(", ipv6cpMaxFailure=").append(ipv6cpMaxFailure);
        sb.append(", ipv6cpMaxTerminate=").append(ipv6cpMaxTerminate);
        sb.append(", noCcp=").append(noCcp);
        sb.append(", noBsdComp=").append(noBsdComp);
        sb.append(", noDeflate=").append(noDeflate);
        sb.append(", ifname=").append(ifname);
        sb.append(", ipparam=").append(ipparam);
        sb.append(", linkname=").append(linkname);
        sb.append(", debug=").append(debug);
        sb.append(", kdebug=").append(kdebug);
        sb.append(", persist=").append(persist);
        sb.append(", maxfail=").append(maxfail);
        sb.append(", holdoff=").append(holdoff);
        sb.append(", lock=").append(lock);
        sb.append(", nodetach=").append(nodetach);
        sb.append(", updetach=").append(updetach);
        sb.append(", connectDelay=").append(connectDelay);
        sb.append(", unknown=").append(unknown);
        sb.append(", ignored=").append(ignored);
        return sb.append(']').toString();
    }

    /** Mutable builder for {@link PppOptions}; setters return {@code this}. */
    public static final class Builder {
        private Optional<String> name = Optional.empty();
        private Optional<String> user = Optional.empty();
        private Optional<String> remotename = Optional.empty();
        private Optional<Secret> password = Optional.empty();
        private boolean auth = false;
        private boolean requirePap = false;
        private boolean requireChap = false;
        private boolean requireMschap = false;
        private boolean requireMschapV2 = false;
        private boolean requireEap = false;
        private boolean refusePap = false;
        private boolean refuseChap = false;
        private boolean refuseMschap = false;
        private boolean refuseMschapV2 = false;
        private boolean refuseEap = false;
        private int papRestart = 3;
        private int papMaxAuthreq = 10;
        private int papTimeout = 30;
        private int chapRestart = 3;
        private int chapMaxChallenge = 10;
        private int chapInterval = 0;
        private OptionalInt mtu = OptionalInt.empty();
        private OptionalInt mru = OptionalInt.empty();
        private boolean noPcomp = false;
        private boolean noAccomp = false;
        private boolean noMagic = false;
        private int lcpEchoInterval = 0;
        private int lcpEchoFailure = 0;
        private boolean lcpEchoAdaptive = false;
        private int lcpRestart = 3;
        private int lcpMaxConfigure = 10;
        private int lcpMaxFailure = 10;
        private int lcpMaxTerminate = 3;
        private boolean ip = true;
        private Optional<Inet4Address> localIp = Optional.empty();
        private Optional<Inet4Address> remoteIp = Optional.empty();
        private boolean noIpDefault = false;
        private boolean ipcpAcceptLocal = false;
        private boolean ipcpAcceptRemote = false;
        private boolean usePeerDns = false;
        private List<Inet4Address> msDns = new ArrayList<>();
        private boolean defaultRoute = false;
        private OptionalInt defaultRouteMetric = OptionalInt.empty();
        private boolean replaceDefaultRoute = false;
        private boolean noVj = false;
        private boolean noVjCcomp = false;
        private int ipcpRestart = 3;
        private int ipcpMaxConfigure = 10;
        private int ipcpMaxFailure = 10;
        private int ipcpMaxTerminate = 3;
        private boolean ipv6 = false;
        private OptionalLong ipv6LocalId = OptionalLong.empty();
        private OptionalLong ipv6RemoteId = OptionalLong.empty();
        private boolean ipv6cpUseIpaddr = false;
        private boolean ipv6cpUsePersistent = false;
        private boolean ipv6cpAcceptLocal = false;
        private boolean ipv6cpAcceptRemote = false;
        private int ipv6cpRestart = 3;
        private int ipv6cpMaxConfigure = 10;
        private int ipv6cpMaxFailure = 10;
        private int ipv6cpMaxTerminate = 3;
        private boolean noCcp = false;
        private boolean noBsdComp = false;
        private boolean noDeflate = false;
        private Optional<String> ifname = Optional.empty();
        private Optional<String> ipparam = Optional.empty();
        private Optional<String> linkname = Optional.empty();
        private boolean debug = false;
        private int kdebug = 0;
        private boolean persist = false;
        private int maxfail = 10;
        private int holdoff = 30;
        private boolean lock = false;
        private boolean nodetach = false;
        private boolean updetach = false;
        private int connectDelay = 1000;
        private List<OptionWarning> unknown = new ArrayList<>();
        private List<OptionWarning> ignored = new ArrayList<>();

        private Builder() {
        }

        /** Sets {@code name}: our name for authentication (pppd default: the host name). */
        public Builder name(String v) {
            this.name = Optional.ofNullable(v);
            return this;
        }

        /** Sets {@code user}: the name we authenticate as (default: {@code name}). */
        public Builder user(String v) {
            this.user = Optional.ofNullable(v);
            return this;
        }

        /** Sets {@code remotename}: the remote's name for secret lookup. */
        public Builder remotename(String v) {
            this.remotename = Optional.ofNullable(v);
            return this;
        }

        /** Sets {@code password}: our password as peer (overrides the secrets files); never printed. */
        public Builder password(Secret v) {
            this.password = Optional.ofNullable(v);
            return this;
        }

        /** Sets {@code auth} / {@code require-*} (true) and {@code noauth} (false): require the peer to authenticate. */
        public Builder auth(boolean v) {
            this.auth = v;
            return this;
        }

        /** Sets {@code require-pap} / {@code +pap}. */
        public Builder requirePap(boolean v) {
            this.requirePap = v;
            return this;
        }

        /** Sets {@code require-chap} / {@code +chap} (CHAP-MD5). */
        public Builder requireChap(boolean v) {
            this.requireChap = v;
            return this;
        }

        /** Sets {@code require-mschap} (MS-CHAPv1: not implemented by jl2tp). */
        public Builder requireMschap(boolean v) {
            this.requireMschap = v;
            return this;
        }

        /** Sets {@code require-mschap-v2}. */
        public Builder requireMschapV2(boolean v) {
            this.requireMschapV2 = v;
            return this;
        }

        /** Sets {@code require-eap} (not implemented by jl2tp). */
        public Builder requireEap(boolean v) {
            this.requireEap = v;
            return this;
        }

        /** Sets {@code refuse-pap} / {@code -pap}. */
        public Builder refusePap(boolean v) {
            this.refusePap = v;
            return this;
        }

        /** Sets {@code refuse-chap} / {@code -chap} (CHAP-MD5 only, as pppd). */
        public Builder refuseChap(boolean v) {
            this.refuseChap = v;
            return this;
        }

        /** Sets {@code refuse-mschap}. */
        public Builder refuseMschap(boolean v) {
            this.refuseMschap = v;
            return this;
        }

        /** Sets {@code refuse-mschap-v2}. */
        public Builder refuseMschapV2(boolean v) {
            this.refuseMschapV2 = v;
            return this;
        }

        /** Sets {@code refuse-eap}. */
        public Builder refuseEap(boolean v) {
            this.refuseEap = v;
            return this;
        }

        /** Sets {@code pap-restart}: seconds between Authenticate-Requests (default 3). */
        public Builder papRestart(int v) {
            this.papRestart = v;
            return this;
        }

        /** Sets {@code pap-max-authreq}: Authenticate-Requests sent before giving up (default 10). */
        public Builder papMaxAuthreq(int v) {
            this.papMaxAuthreq = v;
            return this;
        }

        /** Sets {@code pap-timeout}: seconds to wait for the peer's request as authenticator, 0 = forever (default 30). */
        public Builder papTimeout(int v) {
            this.papTimeout = v;
            return this;
        }

        /** Sets {@code chap-restart}: seconds between Challenge retransmissions (default 3). */
        public Builder chapRestart(int v) {
            this.chapRestart = v;
            return this;
        }

        /** Sets {@code chap-max-challenge}: Challenge transmissions before giving up (default 10). */
        public Builder chapMaxChallenge(int v) {
            this.chapMaxChallenge = v;
            return this;
        }

        /** Sets {@code chap-interval}: seconds between re-challenges, 0 = never (default 0). */
        public Builder chapInterval(int v) {
            this.chapInterval = v;
            return this;
        }

        /** Sets {@code mtu}: our MTU, 128..16384 (default: negotiated, 1500). */
        public Builder mtu(int v) {
            this.mtu = OptionalInt.of(v);
            return this;
        }

        /** Sets {@code mru}: the MRU we ask for, 128..16384 (default 1500). */
        public Builder mru(int v) {
            this.mru = OptionalInt.of(v);
            return this;
        }

        /** Sets {@code nopcomp} / {@code -pc}: no Protocol-Field-Compression. */
        public Builder noPcomp(boolean v) {
            this.noPcomp = v;
            return this;
        }

        /** Sets {@code noaccomp} / {@code -ac}: no Address/Control-Field-Compression. */
        public Builder noAccomp(boolean v) {
            this.noAccomp = v;
            return this;
        }

        /** Sets {@code nomagic}: no Magic-Number negotiation. */
        public Builder noMagic(boolean v) {
            this.noMagic = v;
            return this;
        }

        /** Sets {@code lcp-echo-interval}: seconds between LCP Echo-Requests, 0 = off (default 0). */
        public Builder lcpEchoInterval(int v) {
            this.lcpEchoInterval = v;
            return this;
        }

        /** Sets {@code lcp-echo-failure}: unanswered echoes before the link is declared dead, 0 = never (default 0). */
        public Builder lcpEchoFailure(int v) {
            this.lcpEchoFailure = v;
            return this;
        }

        /** Sets {@code lcp-echo-adaptive}: send echoes only when no traffic came in. */
        public Builder lcpEchoAdaptive(boolean v) {
            this.lcpEchoAdaptive = v;
            return this;
        }

        /** Sets {@code lcp-restart}: LCP restart timer in seconds (default 3). */
        public Builder lcpRestart(int v) {
            this.lcpRestart = v;
            return this;
        }

        /** Sets {@code lcp-max-configure}: Max-Configure (default 10). */
        public Builder lcpMaxConfigure(int v) {
            this.lcpMaxConfigure = v;
            return this;
        }

        /** Sets {@code lcp-max-failure}: Max-Failure (default 10, pppd.8). */
        public Builder lcpMaxFailure(int v) {
            this.lcpMaxFailure = v;
            return this;
        }

        /** Sets {@code lcp-max-terminate}: Max-Terminate (default 3, pppd.8). */
        public Builder lcpMaxTerminate(int v) {
            this.lcpMaxTerminate = v;
            return this;
        }

        /** Sets false after {@code noip}: IPCP disabled. */
        public Builder ip(boolean v) {
            this.ip = v;
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

        /** Sets {@code noipdefault}: do not derive a local address from the host name. */
        public Builder noIpDefault(boolean v) {
            this.noIpDefault = v;
            return this;
        }

        /** Sets {@code ipcp-accept-local}: accept the peer's idea of our address. */
        public Builder ipcpAcceptLocal(boolean v) {
            this.ipcpAcceptLocal = v;
            return this;
        }

        /** Sets {@code ipcp-accept-remote}: accept the peer's idea of its address. */
        public Builder ipcpAcceptRemote(boolean v) {
            this.ipcpAcceptRemote = v;
            return this;
        }

        /** Sets {@code usepeerdns}: ask for DNS servers (RFC 1877). */
        public Builder usePeerDns(boolean v) {
            this.usePeerDns = v;
            return this;
        }

        /** Adds to {@code ms-dns}: DNS servers to give a peer (authenticator/LNS side), at most 2. */
        public Builder addMsDns(Inet4Address v) {
            this.msDns.add(Objects.requireNonNull(v));
            return this;
        }

        /** Replaces {@code ms-dns}: DNS servers to give a peer (authenticator/LNS side), at most 2. */
        public Builder msDns(List<Inet4Address> v) {
            this.msDns = new ArrayList<>(v);
            return this;
        }

        /** Sets {@code defaultroute} (true) / {@code nodefaultroute} (false). */
        public Builder defaultRoute(boolean v) {
            this.defaultRoute = v;
            return this;
        }

        /** Sets {@code defaultroute-metric}: metric of the default route. */
        public Builder defaultRouteMetric(int v) {
            this.defaultRouteMetric = OptionalInt.of(v);
            return this;
        }

        /** Sets {@code replacedefaultroute}: replace an existing default route. */
        public Builder replaceDefaultRoute(boolean v) {
            this.replaceDefaultRoute = v;
            return this;
        }

        /** Sets {@code novj} / {@code -vj}: no Van Jacobson header compression. */
        public Builder noVj(boolean v) {
            this.noVj = v;
            return this;
        }

        /** Sets {@code novjccomp} / {@code -vjccomp}: no VJ connection-ID compression. */
        public Builder noVjCcomp(boolean v) {
            this.noVjCcomp = v;
            return this;
        }

        /** Sets {@code ipcp-restart}: seconds (default 3). */
        public Builder ipcpRestart(int v) {
            this.ipcpRestart = v;
            return this;
        }

        /** Sets {@code ipcp-max-configure} (default 10). */
        public Builder ipcpMaxConfigure(int v) {
            this.ipcpMaxConfigure = v;
            return this;
        }

        /** Sets {@code ipcp-max-failure} (default 10). */
        public Builder ipcpMaxFailure(int v) {
            this.ipcpMaxFailure = v;
            return this;
        }

        /** Sets {@code ipcp-max-terminate} (default 3). */
        public Builder ipcpMaxTerminate(int v) {
            this.ipcpMaxTerminate = v;
            return this;
        }

        /** Sets {@code +ipv6} (true) / {@code noipv6}, {@code -ipv6} (false): run IPV6CP. */
        public Builder ipv6(boolean v) {
            this.ipv6 = v;
            return this;
        }

        /** Sets {@code ipv6 <local>,<remote>}: our 64-bit interface identifier. */
        public Builder ipv6LocalId(long v) {
            this.ipv6LocalId = OptionalLong.of(v);
            return this;
        }

        /** Sets {@code ipv6 <local>,<remote>}: the remote's interface identifier. */
        public Builder ipv6RemoteId(long v) {
            this.ipv6RemoteId = OptionalLong.of(v);
            return this;
        }

        /** Sets {@code ipv6cp-use-ipaddr}: interface identifier from the local IPv4 address. */
        public Builder ipv6cpUseIpaddr(boolean v) {
            this.ipv6cpUseIpaddr = v;
            return this;
        }

        /** Sets {@code ipv6cp-use-persistent}: interface identifier from a persistent source. */
        public Builder ipv6cpUsePersistent(boolean v) {
            this.ipv6cpUsePersistent = v;
            return this;
        }

        /** Sets {@code ipv6cp-accept-local}: accept the peer's identifier for us. */
        public Builder ipv6cpAcceptLocal(boolean v) {
            this.ipv6cpAcceptLocal = v;
            return this;
        }

        /** Sets {@code ipv6cp-accept-remote}: accept the peer's own identifier. */
        public Builder ipv6cpAcceptRemote(boolean v) {
            this.ipv6cpAcceptRemote = v;
            return this;
        }

        /** Sets {@code ipv6cp-restart}: seconds (default 3). */
        public Builder ipv6cpRestart(int v) {
            this.ipv6cpRestart = v;
            return this;
        }

        /** Sets {@code ipv6cp-max-configure} (default 10). */
        public Builder ipv6cpMaxConfigure(int v) {
            this.ipv6cpMaxConfigure = v;
            return this;
        }

        /** Sets {@code ipv6cp-max-failure} (default 10). */
        public Builder ipv6cpMaxFailure(int v) {
            this.ipv6cpMaxFailure = v;
            return this;
        }

        /** Sets {@code ipv6cp-max-terminate} (default 3). */
        public Builder ipv6cpMaxTerminate(int v) {
            this.ipv6cpMaxTerminate = v;
            return this;
        }

        /** Sets {@code noccp} / {@code -ccp}: no Compression Control Protocol. */
        public Builder noCcp(boolean v) {
            this.noCcp = v;
            return this;
        }

        /** Sets {@code nobsdcomp} / {@code -bsdcomp}. */
        public Builder noBsdComp(boolean v) {
            this.noBsdComp = v;
            return this;
        }

        /** Sets {@code nodeflate} / {@code -deflate}. */
        public Builder noDeflate(boolean v) {
            this.noDeflate = v;
            return this;
        }

        /** Sets {@code ifname}: the network interface name (at most 15 characters). */
        public Builder ifname(String v) {
            this.ifname = Optional.ofNullable(v);
            return this;
        }

        /** Sets {@code ipparam}: extra argument for the ip-up/ip-down scripts. */
        public Builder ipparam(String v) {
            this.ipparam = Optional.ofNullable(v);
            return this;
        }

        /** Sets {@code linkname}: name for the pid file and LINKNAME. */
        public Builder linkname(String v) {
            this.linkname = Optional.ofNullable(v);
            return this;
        }

        /** Sets {@code debug}: log control packets. */
        public Builder debug(boolean v) {
            this.debug = v;
            return this;
        }

        /** Sets {@code kdebug}: kernel debug level (bits 1, 2, 4). */
        public Builder kdebug(int v) {
            this.kdebug = v;
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

        /** Sets {@code holdoff}: seconds to wait before redialling (default 30). */
        public Builder holdoff(int v) {
            this.holdoff = v;
            return this;
        }

        /** Sets {@code lock}: lock the device (no effect for L2TP). */
        public Builder lock(boolean v) {
            this.lock = v;
            return this;
        }

        /** Sets {@code nodetach}: stay in the foreground. */
        public Builder nodetach(boolean v) {
            this.nodetach = v;
            return this;
        }

        /** Sets {@code updetach}: detach once the link is up. */
        public Builder updetach(boolean v) {
            this.updetach = v;
            return this;
        }

        /** Sets {@code connect-delay}: milliseconds to wait for the peer's first packet (default 1000). */
        public Builder connectDelay(int v) {
            this.connectDelay = v;
            return this;
        }

        /** Adds to options jl2tp does not know (plugin options and the like), each warned about with file:line. */
        public Builder addUnknown(OptionWarning v) {
            this.unknown.add(Objects.requireNonNull(v));
            return this;
        }

        /** Replaces options jl2tp does not know (plugin options and the like), each warned about with file:line. */
        public Builder unknown(List<OptionWarning> v) {
            this.unknown = new ArrayList<>(v);
            return this;
        }

        /** Adds to options jl2tp knows but that have no effect here (tty settings, plugins, scripts). */
        public Builder addIgnored(OptionWarning v) {
            this.ignored.add(Objects.requireNonNull(v));
            return this;
        }

        /** Replaces options jl2tp knows but that have no effect here (tty settings, plugins, scripts). */
        public Builder ignored(List<OptionWarning> v) {
            this.ignored = new ArrayList<>(v);
            return this;
        }

        /** The immutable options. */
        public PppOptions build() {
            return new PppOptions(name, user, remotename, password, auth, requirePap, requireChap, requireMschap, requireMschapV2, requireEap, refusePap, refuseChap, refuseMschap, refuseMschapV2, refuseEap, papRestart, papMaxAuthreq, papTimeout, chapRestart, chapMaxChallenge, chapInterval, mtu, mru, noPcomp, noAccomp, noMagic, lcpEchoInterval, lcpEchoFailure, lcpEchoAdaptive, lcpRestart, lcpMaxConfigure, lcpMaxFailure, lcpMaxTerminate, ip, localIp, remoteIp, noIpDefault, ipcpAcceptLocal, ipcpAcceptRemote, usePeerDns, msDns, defaultRoute, defaultRouteMetric, replaceDefaultRoute, noVj, noVjCcomp, ipcpRestart, ipcpMaxConfigure, ipcpMaxFailure, ipcpMaxTerminate, ipv6, ipv6LocalId, ipv6RemoteId, ipv6cpUseIpaddr, ipv6cpUsePersistent, ipv6cpAcceptLocal, ipv6cpAcceptRemote, ipv6cpRestart, ipv6cpMaxConfigure, ipv6cpMaxFailure, ipv6cpMaxTerminate, noCcp, noBsdComp, noDeflate, ifname, ipparam, linkname, debug, kdebug, persist, maxfail, holdoff, lock, nodetach, updetach, connectDelay, unknown, ignored);
        }
    }
}
