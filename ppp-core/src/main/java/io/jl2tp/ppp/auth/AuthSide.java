package io.jl2tp.ppp.auth;

import java.util.concurrent.ScheduledExecutorService;

/**
 * What every PAP and CHAP instance has, in either direction: the method, our name, the
 * secrets, the timers ({@link AuthConfig}) and their one {@link RetryTimer}, the listener
 * and the log prefix.
 *
 * <p>Threads: the owning link's event loop only.
 */
abstract class AuthSide implements AuthProtocol {

    protected final AuthMethod method;          // what this instance runs
    protected final String ourName;             // peer: the name we send; authenticator: ours for lookup
    protected final SecretProvider secrets;
    protected final AuthConfig config;
    protected final String log;                 // log line prefix
    protected final RetryTimer timer;           // restart/retransmit, or a one-shot wait
    protected final AuthListener listener;

    AuthSide(AuthMethod method, String ourName, SecretProvider secrets, AuthConfig config, ScheduledExecutorService loop,
             AuthListener listener) {
        this.method = method;
        this.ourName = ourName;
        this.secrets = secrets;
        this.config = config;
        this.log = config.logPrefix();
        this.timer = new RetryTimer(loop, config);
        this.listener = listener;
    }

    @Override
    public final int protocol() {
        return method == AuthMethod.PAP ? AuthMethod.PROTOCOL_PAP : AuthMethod.PROTOCOL_CHAP;
    }

    @Override
    public final AuthMethod method() {
        return method;
    }
}
