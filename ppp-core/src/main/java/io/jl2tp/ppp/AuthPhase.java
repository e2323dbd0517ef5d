package io.jl2tp.ppp;

import io.jl2tp.ppp.auth.AuthListener;
import io.jl2tp.ppp.auth.AuthMethod;
import io.jl2tp.ppp.auth.AuthProtocol;
import io.jl2tp.ppp.auth.AuthProtocols;
import io.jl2tp.ppp.auth.ProxyVerifier;
import io.jl2tp.ppp.auth.SecretProvider;
import io.jl2tp.ppp.options.AuthPolicy;
import io.jl2tp.ppp.options.AuthSettings;
import io.netty.buffer.ByteBuf;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Authenticate phase (RFC 1661 §3.5), as pppd's {@code auth.c} runs it: the method LCP
 * agreed in each direction ({@code lcp.ourAuth()} — we check the peer; {@code lcp.peerAuth()}
 * — the peer checks us) is started with the names, secrets and timers of {@link AuthSettings};
 * the phase is done when both directions succeeded, and fails as soon as one fails.
 *
 * <p>Threads: every method runs on the link's event loop (the protocols' timers too).
 */
final class AuthPhase {

    private static final Logger log = LoggerFactory.getLogger(AuthPhase.class);

    /** What the phase reports to the link. */
    interface Listener {
        /** Sends an authentication packet (ownership passes). */
        void send(int protocol, ByteBuf packet);

        /** One direction succeeded ({@code weAuthenticatedPeer}: we checked the peer). */
        void authenticated(boolean weAuthenticatedPeer, String method, String peerName);

        /** Both directions succeeded: the Network phase may begin. */
        void done();

        /** One direction failed: the link must terminate. */
        void failed(String method, String reason);
    }

    private final AuthSettings settings;
    private final PppLink.Settings env;
    private final ScheduledExecutorService loop;
    private final String logPrefix;
    private final Listener listener;

    private AuthProtocol asPeer;              // we prove our identity, null if not asked
    private AuthProtocol asAuthenticator;     // we check the peer's, null if we did not ask
    private boolean peerDone;
    private boolean authenticatorDone;
    private String authenticatedPeerName;     // the name the peer proved, null before

    AuthPhase(AuthSettings settings, PppLink.Settings env, ScheduledExecutorService loop, String logPrefix,
              Listener listener) {
        this.settings = settings;
        this.env = env;
        this.loop = loop;
        this.logPrefix = logPrefix;
        this.listener = listener;
    }

    /**
     * Starts the protocols LCP agreed ({@code checkPeer}: we authenticate the peer with it;
     * {@code proveOurs}: the peer authenticates us with it; either may be null, not both).
     */
    void start(AuthMethod checkPeer, AuthMethod proveOurs) {
        stop();
        peerDone = proveOurs == null;
        authenticatorDone = checkPeer == null;
        String ourName = AuthPolicy.ourName(settings, env.hostName());
        if (checkPeer != null) {
            asAuthenticator = AuthProtocols.authenticator(checkPeer, ourName, env.authenticatorSecrets(),
                    AuthPolicy.authenticatorConfig(settings, checkPeer).withLogPrefix(logPrefix), loop,
                    new Events(true, checkPeer));
            asAuthenticator.start();
        }
        if (proveOurs != null) {
            SecretProvider secrets = AuthPolicy.peerSecrets(settings, env.peerSecrets());
            asPeer = AuthProtocols.peer(proveOurs, AuthPolicy.user(settings, env.hostName()), secrets,
                    settings.remotename().orElse(null), AuthPolicy.peerConfig(settings, proveOurs).withLogPrefix(logPrefix),
                    loop, new Events(false, proveOurs));
            asPeer.start();
        }
    }

    /**
     * Starts the phase on a link whose LCP was taken over from a LAC (RFC 2661 §4.4.5).
     *
     * <p>Authenticator side (an LNS, {@code checkPeer} set): the LAC's Proxy Authen values are
     * verified with our secrets when {@code trusted} (the caller's policy, docs/ppp-auth.md) and
     * they match the method LCP agreed; verified, the direction is done without a Challenge;
     * wrong (a well-formed response, the wrong secret), the call fails as a wrong password would,
     * with the Failure / Authenticate-Nak the peer would have got; unusable or untrusted, the
     * authenticator starts as usual (RFC 2661 §4.4.5: "an additional round of … authentication
     * if the LAC is not trusted").
     *
     * <p>Peer side (a client LAC that proxied its own authentication, {@code ourProxied}): the
     * direction counts as done, so the Network phase may begin at once, but the peer protocol
     * still runs and answers a Challenge that comes anyway (RFC 1994 §4: a Challenge may come at
     * any time); its Success then reports {@link Listener#done()} again.
     */
    void startProxied(AuthMethod checkPeer, AuthMethod proveOurs, ProxyAuth proxy, boolean trusted,
                      boolean ourProxied) {
        if (checkPeer != null && proxy != null && acceptProxy(checkPeer, proxy, trusted)) {
            start(null, proveOurs);
            authenticatorDone = true;
            authenticatedPeerName = proxy.name();
            listener.authenticated(true, name(checkPeer), proxy.name());
        } else {
            if (failedByProxy) {
                return;
            }
            start(checkPeer, proveOurs);
        }
        if (ourProxied && proveOurs != null) {
            peerDone = true;
            log.info("{}{}: authenticated by proxy in the ICCN (RFC 2661 §4.4.5); a Challenge will still be answered",
                    logPrefix, name(proveOurs));
        }
        if (peerDone && authenticatorDone) {
            listener.done();
        }
    }

    private boolean failedByProxy;

    /** Verifies proxied authentication (LNS); false to authenticate as usual. May fail the link. */
    private boolean acceptProxy(AuthMethod method, ProxyAuth proxy, boolean trusted) {
        int wantType = method == AuthMethod.CHAP_MD5 ? ProxyAuth.CHAP
                : method == AuthMethod.PAP ? ProxyAuth.PAP : -1;
        if (proxy.type() != wantType) {
            log.info("{}proxy authentication (type {}) does not match {}: challenging the peer", logPrefix, proxy.type(),
                    name(method));
            return false;
        }
        if (!trusted) {
            // A challenge the LAC chose could be a replayed one (docs/ppp-auth.md).
            log.info("{}proxy authentication not trusted (no tunnel secret, no accept-proxy-auth): challenging the peer",
                    logPrefix);
            return false;
        }
        String ourName = AuthPolicy.ourName(settings, env.hostName());
        ProxyVerifier.Verdict v = ProxyVerifier.verify(method, proxy.name(), proxy.challenge(), proxy.id(), proxy.response(),
                ourName, env.authenticatorSecrets());
        if (v.ok()) {
            log.info("{}{} by proxy (RFC 2661 §4.4.5): {}", logPrefix, name(method), v.reason());
            return true;
        }
        if (!v.wrong()) {
            log.info("{}proxy authentication unusable ({}): challenging the peer", logPrefix, v.reason());
            return false;
        }
        log.warn("{}{} by proxy failed: {}", logPrefix, name(method), v.reason());
        failedByProxy = true;
        listener.send(v.protocol(), v.answer());
        listener.failed(name(method), v.reason());
        return false;
    }

    /** A PAP or CHAP packet (after the protocol field); the callee does not keep it. */
    void input(int protocol, ByteBuf info) {
        if (asPeer != null && asPeer.protocol() == protocol) {
            asPeer.input(info.duplicate());
        }
        if (asAuthenticator != null && asAuthenticator.protocol() == protocol) {
            asAuthenticator.input(info.duplicate());
        }
    }

    /** The name the peer authenticated with (null if we did not authenticate it). */
    String authenticatedPeerName() {
        return authenticatedPeerName;
    }

    /** LCP went down or the link ends: cancel the protocols' timers. Idempotent. */
    void stop() {
        if (asPeer != null) {
            asPeer.stop();
            asPeer = null;
        }
        if (asAuthenticator != null) {
            asAuthenticator.stop();
            asAuthenticator = null;
        }
    }

    private static String name(AuthMethod m) {
        return switch (m) {
            case PAP -> "PAP";
            case CHAP_MD5 -> "CHAP";
            case MSCHAP_V2 -> "MS-CHAP-v2";
        };
    }

    /** One direction's callbacks. */
    private final class Events implements AuthListener {
        private final boolean authenticator;
        private final AuthMethod method;

        Events(boolean authenticator, AuthMethod method) {
            this.authenticator = authenticator;
            this.method = method;
        }

        @Override
        public void send(int protocol, ByteBuf packet) {
            listener.send(protocol, packet);
        }

        @Override
        public void succeeded(String peerName, String message) {
            if (authenticator) {
                authenticatorDone = true;
                authenticatedPeerName = peerName;
                log.info("{}peer from calling number {} authorized", logPrefix, peerName == null ? "?" : peerName);
            } else {
                peerDone = true;
                log.info("{}{} authentication succeeded", logPrefix, name(method));
            }
            listener.authenticated(authenticator, name(method), peerName);
            if (peerDone && authenticatorDone) {
                listener.done();
            }
        }

        @Override
        public void failed(String reason) {
            log.warn("{}{} authentication failed: {}", logPrefix, name(method), reason);
            listener.failed(name(method), reason);
        }
    }
}
