package io.jl2tp.ppp.auth;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PAP, RFC 1334 §2, in both directions — the shape of pppd's {@code upap.c}: the peer
 * ({@link Peer}) repeats Authenticate-Request until it gets an Ack or Nak; the authenticator
 * ({@link Authenticator}) checks Peer-ID/Password against the secrets and answers.
 *
 * <p>Threads: each instance is confined to its link's event loop (its timer runs there too).
 */
final class Pap {

    /** RFC 1334 §2.2: Authenticate-Request. */
    static final int AUTH_REQ = 1;
    /** RFC 1334 §2.2: Authenticate-Ack. */
    static final int AUTH_ACK = 2;
    /** RFC 1334 §2.2: Authenticate-Nak. */
    static final int AUTH_NAK = 3;

    private static final Logger LOG = LoggerFactory.getLogger(Pap.class);

    private Pap() {
    }

    /**
     * Extracts the Message of an Ack/Nak (RFC 1334 §2.2.2: Msg-Length, Message): "" when the
     * Msg-Length octet is absent (pppd tolerates that), null when Msg-Length runs past the
     * packet (malformed: drop it).
     */
    static String message(byte[] data) {
        if (data.length < 1) {
            return "";
        }
        int mlen = data[0] & 0xFF;
        if (1 + mlen > data.length) {
            return null;
        }
        return AuthPacket.printable(data, 1, mlen);
    }

    /** The side that authenticates itself (pppd {@code upap_authwithpeer}). */
    static final class Peer extends AuthSide {
        private enum State { INITIAL, REQUESTING, OPEN, FAILED, STOPPED }

        private final String remoteName;           // server name for lookup ("" if unknown)
        private final boolean[] sentIds = new boolean[256]; // Identifiers used by this round's requests
        private State state = State.INITIAL;
        private int id;                             // Identifier of the last request sent
        private byte[] peerId;                      // encoded Peer-ID
        private Secret password;                    // looked up at start()

        Peer(String ourName, SecretProvider secrets, String remoteName, AuthConfig config,
             ScheduledExecutorService loop, AuthListener listener, Random random) {
            super(AuthMethod.PAP, ourName, secrets, config, loop, listener);
            this.remoteName = remoteName == null ? "" : remoteName;
            this.id = random.nextInt(256);
        }

        @Override
        public void start() {
            if (state != State.INITIAL) {
                return;
            }
            Optional<Secret> pw = secrets.secret(ourName, remoteName);
            if (pw.isEmpty()) {
                fail("no PAP secret for " + ourName + " to " + (remoteName.isEmpty() ? "*" : remoteName));
                return;
            }
            peerId = ourName.getBytes(StandardCharsets.UTF_8);
            password = pw.get();
            if (peerId.length > 255 || password.bytes().length > 255) {
                fail("PAP Peer-ID or password longer than 255 octets");
                return;
            }
            state = State.REQUESTING;
            timer.request(this::sendRequest, n -> fail("timeout: no response to " + n + " PAP Authenticate-Requests"));
        }

        /** Sends an Authenticate-Request with a fresh Identifier (the timer retransmits). */
        private void sendRequest(int attempt) {
            // RFC 1334 §2.2.1: "The Identifier field MUST be changed each time an
            // Authenticate-Request packet is issued."
            id = (id + 1) & 0xFF;
            sentIds[id] = true;
            byte[] pw = password.bytes();
            LOG.debug("{}PAP peer: sent Authenticate-Request id={} peer-id={} (try {})", log, id, ourName, attempt);
            listener.send(AuthMethod.PROTOCOL_PAP, AuthPacket.encode(AUTH_REQ, id,
                    AuthPacket.octet(peerId.length), peerId, AuthPacket.octet(pw.length), pw));
        }

        @Override
        public void input(ByteBuf packet) {
            AuthPacket p = AuthPacket.decode(packet);
            if (p == null) {
                LOG.debug("{}PAP peer: dropped malformed packet", log);
                return;
            }
            if (state != State.REQUESTING) {
                LOG.debug("{}PAP peer: ignored code={} id={} in state {}", log, p.code(), p.id(), state);
                return;
            }
            // pppd accepts the answer to any of the requests of this round (a late Ack to a
            // retransmitted request is still the authenticator's verdict); others are stale.
            if ((p.code() == AUTH_ACK || p.code() == AUTH_NAK) && !sentIds[p.id()]) {
                LOG.debug("{}PAP peer: ignored code={} with unknown id={}", log, p.code(), p.id());
                return;
            }
            String msg = message(p.data());
            if (msg == null) {
                LOG.debug("{}PAP peer: dropped code={} id={} with bad Msg-Length", log, p.code(), p.id());
                return;
            }
            switch (p.code()) {
                case AUTH_ACK -> {
                    timer.cancel();
                    state = State.OPEN;
                    LOG.info("{}PAP: authenticated to peer as {}", log, ourName);
                    listener.succeeded(ourName, msg);
                }
                case AUTH_NAK -> fail("PAP authentication failed: " + (msg.isEmpty() ? "Authenticate-Nak" : msg));
                default -> LOG.debug("{}PAP peer: ignored unknown code={} id={}", log, p.code(), p.id());
            }
        }

        /** Reports a final failure once and stops timers. */
        private void fail(String reason) {
            timer.cancel();
            state = State.FAILED;
            LOG.info("{}PAP: authentication to peer failed: {}", log, reason);
            listener.failed(reason);
        }

        @Override
        public void stop() {
            timer.cancel();
            state = State.STOPPED;
        }
    }

    /** The side that checks the remote (pppd {@code upap_authpeer}). */
    static final class Authenticator extends AuthSide {
        private enum State { INITIAL, LISTEN, OPEN, BADAUTH, STOPPED }

        /** pppd's messages: "Login ok" / "Login incorrect". */
        static final String MSG_OK = "Login ok";
        static final String MSG_BAD = "Login incorrect";

        private State state = State.INITIAL;

        Authenticator(String ourName, SecretProvider secrets, AuthConfig config,
                      ScheduledExecutorService loop, AuthListener listener) {
            super(AuthMethod.PAP, ourName, secrets, config, loop, listener);
        }

        @Override
        public void start() {
            if (state != State.INITIAL) {
                return;
            }
            state = State.LISTEN;
            timer.after(config.requestTimeout(), this::timeout);
        }

        /** pap-timeout expired without an Authenticate-Request. */
        private void timeout() {
            if (state == State.LISTEN) {
                state = State.BADAUTH;
                LOG.info("{}PAP: peer sent no Authenticate-Request", log);
                listener.failed("timeout: peer sent no PAP Authenticate-Request");
            }
        }

        @Override
        public void input(ByteBuf packet) {
            AuthPacket p = AuthPacket.decode(packet);
            if (p == null) {
                LOG.debug("{}PAP authenticator: dropped malformed packet", log);
                return;
            }
            if (p.code() != AUTH_REQ) {
                LOG.debug("{}PAP authenticator: ignored code={} id={}", log, p.code(), p.id());
                return;
            }
            switch (state) {
                case OPEN -> reply(AUTH_ACK, p.id(), MSG_OK);       // our Ack was lost: repeat it
                case BADAUTH -> reply(AUTH_NAK, p.id(), MSG_BAD);   // likewise the Nak
                case LISTEN -> check(p);
                default -> LOG.debug("{}PAP authenticator: ignored request in state {}", log, state);
            }
        }

        /** Parses Peer-ID / Password (RFC 1334 §2.2.1) and answers Ack or Nak. */
        private void check(AuthPacket p) {
            byte[] d = p.data();
            if (d.length < 1) {
                LOG.debug("{}PAP authenticator: dropped request without Peer-ID", log);
                return;
            }
            int idLen = d[0] & 0xFF;
            if (1 + idLen + 1 > d.length) {
                LOG.debug("{}PAP authenticator: dropped request with bad Peer-ID length", log);
                return;
            }
            int pwLen = d[1 + idLen] & 0xFF;
            if (2 + idLen + pwLen > d.length) {
                LOG.debug("{}PAP authenticator: dropped request with bad Passwd-Length", log);
                return;
            }
            String peerName = new String(d, 1, idLen, StandardCharsets.UTF_8);
            byte[] pw = new byte[pwLen];
            System.arraycopy(d, 2 + idLen, pw, 0, pwLen);
            String shown = AuthPacket.printable(d, 1, idLen);
            LOG.debug("{}PAP authenticator: Authenticate-Request id={} peer-id={}", log, p.id(), shown);
            Optional<Secret> secret = secrets.secret(peerName, ourName);
            java.util.Arrays.fill(d, (byte) 0);
            boolean ok = secret.isPresent() && secret.get().matches(pw);
            java.util.Arrays.fill(pw, (byte) 0);
            timer.cancel();
            if (ok) {
                state = State.OPEN;
                reply(AUTH_ACK, p.id(), MSG_OK);
                LOG.info("{}PAP: peer {} authenticated", log, shown);
                listener.succeeded(peerName, MSG_OK);
            } else {
                state = State.BADAUTH;
                reply(AUTH_NAK, p.id(), MSG_BAD);
                String reason = secret.isEmpty()
                        ? "no PAP secret for " + shown + " to " + ourName
                        : "PAP password mismatch for " + shown;
                LOG.info("{}PAP: peer failed to authenticate: {}", log, reason);
                listener.failed(reason);
            }
        }

        /** Sends Ack/Nak with {@code msg} (RFC 1334 §2.2.2), Identifier copied from the request. */
        private void reply(int code, int id, String msg) {
            byte[] m = msg.getBytes(StandardCharsets.UTF_8);
            listener.send(AuthMethod.PROTOCOL_PAP, AuthPacket.encode(code, id, AuthPacket.octet(m.length), m));
        }

        @Override
        public void stop() {
            timer.cancel();
            state = State.STOPPED;
        }
    }
}
