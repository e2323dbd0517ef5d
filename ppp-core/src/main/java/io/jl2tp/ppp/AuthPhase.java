package io.jl2tp.ppp;

import io.jl2tp.ppp.auth.AuthListener;
import io.jl2tp.ppp.auth.AuthMethod;
import io.jl2tp.ppp.auth.AuthProtocol;
import io.jl2tp.ppp.auth.AuthProtocols;
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
