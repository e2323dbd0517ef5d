package io.jl2tp.app.link;

import io.jl2tp.l2tp.tunnel.ProxyAvps;
import io.jl2tp.l2tp.tunnel.Session;
import io.jl2tp.ppp.PppLink;
import io.jl2tp.ppp.ProxyAuth;
import io.jl2tp.ppp.ProxyLcp;
import io.jl2tp.ppp.wire.PppProtocolException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RFC 2661 §4.4.5 proxy LCP and authentication, where the two cores meet: l2tp-core carries the
 * AVPs in the ICCN ({@link ProxyAvps}), ppp-core builds and takes over the values
 * ({@link PppLink#offerProxy}, {@link PppLink#acceptProxy}). Both calls run on the event loop
 * before {@link CallLink#start}.
 */
public final class ProxyStart {

    private static final Logger log = LoggerFactory.getLogger(ProxyStart.class);

    private ProxyStart() {
    }

    /**
     * Client LAC: puts our own PPP's LCP and (CHAP-MD5) authentication into the call's ICCN,
     * so that PPP starts in the Network phase; call right after the session is opened (the ICCN
     * leaves when the ICRP comes). Nothing is sent when the PPP settings do not allow it.
     */
    public static void offer(CallLink call, boolean auth) {
        PppLink.ProxyOffer o;
        try {
            o = call.ppp().offerProxy(auth);
        } catch (PppProtocolException e) {
            log.debug("no proxy LCP: {}", e.getMessage()); // our own options: cannot happen
            return;
        }
        if (o == null) {
            log.debug("no proxy LCP: the PPP options do not allow it (we require the LNS to authenticate)");
            return;
        }
        ProxyAuth a = o.auth();
        call.session().proxy(new ProxyAvps(o.lcp().initialReceived(), o.lcp().lastSent(), o.lcp().lastReceived(),
                a == null ? -1 : a.type(), a == null ? null : a.name(), a == null ? null : a.challenge(),
                a == null ? -1 : a.id(), a == null ? null : a.response()));
    }

    /**
     * LNS: hands the ICCN's proxy values, if any, to the call's PPP. Proxy authentication is
     * trusted when the LAC proved it holds the tunnel secret (RFC 2661 §5.1.1) or the operator
     * said so ({@code acceptProxyAuth}); see docs/ppp-auth.md.
     */
    public static void accept(CallLink call, boolean acceptProxyAuth) {
        Session s = call.session();
        ProxyAvps p = s.proxy();
        if (p == null) {
            return;
        }
        ProxyLcp lcp = p.hasLcp() ? new ProxyLcp(p.initialReceived(), p.lastSent(), p.lastReceived()) : null;
        ProxyAuth auth = p.hasAuth() ? new ProxyAuth(p.authenType(), p.authenName(), p.challenge(), p.authenId(), p.response())
                : null;
        call.ppp().acceptProxy(lcp, auth, s.tunnel().peerAuthenticated() || acceptProxyAuth);
    }
}
