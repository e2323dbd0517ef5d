package io.jl2tp.ppp.auth;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CHAP engine, RFC 1994 §4, with a pluggable {@link ChapDigest} — the shape of pppd's
 * {@code chap-new.c}: {@link Peer} answers Challenges (also re-challenges at any time after
 * the first success), {@link Authenticator} sends Challenges, retransmits them, verifies and
 * re-challenges periodically when configured.
 *
 * <p>Threads: each instance is confined to its link's event loop (its timer runs there too).
 */
final class Chap {

    /** RFC 1994 §4.1: Challenge. */
    static final int CHALLENGE = 1;
    /** RFC 1994 §4.1: Response. */
    static final int RESPONSE = 2;
    /** RFC 1994 §4.2: Success. */
    static final int SUCCESS = 3;
    /** RFC 1994 §4.2: Failure. */
    static final int FAILURE = 4;

    private static final Logger LOG = LoggerFactory.getLogger(Chap.class);

    private Chap() {
    }

    /**
     * A parsed Challenge or Response body (RFC 1994 §4.1: Value-Size, Value, Name), or null
     * if Value-Size is zero or runs past the packet.
     */
    record ValueAndName(byte[] value, String name, String shownName) {
        static ValueAndName parse(byte[] d) {
            if (d.length < 1) {
                return null;
            }
            int size = d[0] & 0xFF;
            // §4.1: "The Value-Size field is one octet and indicates the length of the Value
            // field." A zero-length value cannot be a challenge or a response.
            if (size == 0 || 1 + size > d.length) {
                return null;
            }
            byte[] value = Arrays.copyOfRange(d, 1, 1 + size);
            int nameLen = d.length - 1 - size;
            return new ValueAndName(value, new String(d, 1 + size, nameLen, StandardCharsets.UTF_8),
                    AuthPacket.printable(d, 1 + size, nameLen));
        }
    }

    /** The side that answers Challenges (pppd {@code chap_auth_with_peer}). */
    static final class Peer extends AuthSide {
        private enum State { INITIAL, STARTED, OPEN, FAILED, STOPPED }

        private final ChapDigest digest;
        private final String remoteName;          // pppd "remotename"; null = use the Challenge's Name
        private final SecureRandom random;
        private State state = State.INITIAL;
        private int responseId = -1;              // Identifier of our last Response, -1 if none
        private ChapDigest.PeerResponse pending;  // checks the Success for our last Response
        private byte[] lastChallenge;             // Value of the Challenge we last answered
        private byte[] lastValue;                 // the Response Value we sent for it

        Peer(ChapDigest digest, String ourName, SecretProvider secrets, String remoteName,
             AuthConfig config, ScheduledExecutorService loop, AuthListener listener, SecureRandom random) {
            super(digest.method(), ourName, secrets, config, loop, listener);
            this.digest = digest;
            this.remoteName = remoteName;
            this.random = random;
        }

        @Override
        public void start() {
            if (state == State.INITIAL) {
                state = State.STARTED;
            }
        }

        @Override
        public void input(ByteBuf packet) {
            AuthPacket p = AuthPacket.decode(packet);
            if (p == null) {
                LOG.debug("{}CHAP peer: dropped malformed packet", log);
                return;
            }
            if (state != State.STARTED && state != State.OPEN) {
                LOG.debug("{}CHAP peer: ignored code={} id={} in state {}", log, p.code(), p.id(), state);
                return;
            }
            switch (p.code()) {
                case CHALLENGE -> challenge(p);
                case SUCCESS, FAILURE -> status(p);
                default -> LOG.debug("{}CHAP peer: ignored code={} id={}", log, p.code(), p.id());
            }
        }

        /** Answers a Challenge (first or re-challenge, RFC 1994 §4.1). */
        private void challenge(AuthPacket p) {
            ValueAndName c = ValueAndName.parse(p.data());
            if (c == null) {
                LOG.debug("{}CHAP peer: dropped Challenge id={} with bad Value-Size", log, p.id());
                return;
            }
            if (digest.method() == AuthMethod.MSCHAP_V2 && c.value().length != MsChapV2.CHALLENGE_LEN) {
                LOG.debug("{}CHAP peer: dropped MS-CHAPv2 Challenge id={} of {} octets", log, p.id(), c.value().length);
                return;
            }
            String server = remoteName != null ? remoteName : c.name();
            LOG.debug("{}CHAP peer: Challenge id={} name={}", log, p.id(), c.shownName());
            // RFC 1994 §2.3: "the length of the secret MUST be at least 1 octet".
            Optional<Secret> secret = secrets.secret(ourName, server).filter(x -> !x.isEmpty());
            if (secret.isEmpty()) {
                fail("no CHAP secret for " + ourName + " to " + AuthPacket.printable(server));
                return;
            }
            byte[] value;
            if (p.id() == responseId && lastValue != null && Arrays.equals(c.value(), lastChallenge)) {
                // The same Challenge again (an authenticator like pppd retransmits it unchanged
                // when our Response is late): answer identically, so that whichever of our
                // Responses it verifies, the Success matches (MS-CHAPv2 peer challenges are
                // random, so a fresh Response would expect a different authenticator response).
                value = lastValue.clone();
            } else {
                ChapDigest.PeerResponse r = digest.respond(p.id(), c.value(), ourName, secret.get(), random);
                value = r.value();
                pending = r;
                lastChallenge = c.value();
                lastValue = value.clone();
            }
            byte[] name = ourName.getBytes(StandardCharsets.UTF_8);
            // RFC 1994 §4.1: "The Identifier field MUST be copied from the Identifier field of
            // the Challenge which caused the Response."
            int rid = p.id();
            responseId = rid;
            // The Response is repeated until a Success or Failure comes: a lost Success would
            // otherwise leave us waiting for ever, since the authenticator, which has moved on
            // to the network phase, sends no new Challenge. RFC 1994 §4.2 provides for it: the
            // authenticator "MUST allow repeated Response packets during the Network-Layer
            // Protocol phase after it has sent a Success packet" (and repeats its verdict).
            timer.request(attempt -> {
                listener.send(AuthMethod.PROTOCOL_CHAP,
                        AuthPacket.encode(RESPONSE, rid, AuthPacket.octet(value.length), value, name));
                LOG.debug("{}CHAP peer: sent Response id={} name={} (try {})", log, rid, ourName, attempt);
            }, n -> fail("timeout: no Success or Failure after " + n + " CHAP Responses"));
        }

        /** Handles Success/Failure for our last Response (RFC 1994 §4.2). */
        private void status(AuthPacket p) {
            // §4.2: "The Identifier field MUST be copied from the Identifier field of the
            // Response which caused this reply." Others are stale or forged: ignore.
            if (pending == null || p.id() != responseId) {
                LOG.debug("{}CHAP peer: ignored code={} id={} (last response id={})", log, p.code(), p.id(), responseId);
                return;
            }
            String msg = AuthPacket.printable(p.data(), 0, p.data().length);
            ChapDigest.PeerResponse r = pending;
            pending = null;
            timer.cancel();
            if (p.code() == FAILURE) {
                fail(digest.failureReason(msg));
                return;
            }
            Optional<String> bad = r.checkSuccess(msg);
            if (bad.isPresent()) {
                fail(bad.get());
                return;
            }
            if (state == State.STARTED) {
                state = State.OPEN;
                LOG.info("{}CHAP ({}): authenticated to peer as {}", log, digest.method(), ourName);
                listener.succeeded(ourName, r.successText(msg));
            } else {
                LOG.debug("{}CHAP peer: re-authentication id={} succeeded", log, p.id());
            }
        }

        /** Reports a final failure once. */
        private void fail(String reason) {
            state = State.FAILED;
            pending = null;
            timer.cancel();
            LOG.info("{}CHAP ({}): authentication to peer failed: {}", log, digest.method(), reason);
            listener.failed(reason);
        }

        @Override
        public void stop() {
            state = State.STOPPED;
            pending = null;
            timer.cancel();
        }
    }

    /** The side that sends Challenges and verifies Responses (pppd {@code chap_auth_peer}). */
    static final class Authenticator extends AuthSide {
        private enum State { INITIAL, CHALLENGING, OPEN, FAILED, STOPPED }

        private final ChapDigest digest;
        private final SecureRandom random;
        private State state = State.INITIAL;
        private boolean everSucceeded;            // succeeded() already reported
        private String authenticatedName;         // the name that first authenticated, null before
        private int id;                           // Identifier of the current Challenge
        private byte[] challenge;                 // current Challenge Value, null when none outstanding
        private ByteBuf lastStatus;               // our last Success/Failure, resent on a duplicate Response
        private int lastStatusId = -1;            // its Identifier

        Authenticator(ChapDigest digest, String ourName, SecretProvider secrets, AuthConfig config,
                      ScheduledExecutorService loop, AuthListener listener, SecureRandom random) {
            super(digest.method(), ourName, secrets, config, loop, listener);
            this.digest = digest;
            this.random = random;
            this.id = random.nextInt(256);
        }

        @Override
        public void start() {
            if (state != State.INITIAL) {
                return;
            }
            state = State.CHALLENGING;
            newChallenge();
        }

        /** Starts a new challenge round (first challenge or re-challenge). */
        private void newChallenge() {
            timer.request(this::sendChallenge, n -> fail("timeout: peer did not answer " + n + " CHAP Challenges"));
        }

        /**
         * Sends a Challenge (the timer retransmits). Every transmission, retransmissions
         * included, gets a fresh Identifier and Value — RFC 1994 §4.1: "The Identifier field
         * MUST be changed each time a Challenge is sent" and "The Challenge Value MUST be
         * changed each time a Challenge is sent." (pppd repeats the same packet instead.)
         */
        private void sendChallenge(int attempt) {
            id = (id + 1) & 0xFF;
            if (challenge != null) {
                Arrays.fill(challenge, (byte) 0);
            }
            challenge = digest.newChallenge(random);
            byte[] name = ourName.getBytes(StandardCharsets.UTF_8);
            listener.send(AuthMethod.PROTOCOL_CHAP,
                    AuthPacket.encode(CHALLENGE, id, AuthPacket.octet(challenge.length), challenge, name));
            LOG.debug("{}CHAP authenticator: sent Challenge id={} ({} octets, try {})", log, id, challenge.length, attempt);
        }

        @Override
        public void input(ByteBuf packet) {
            AuthPacket p = AuthPacket.decode(packet);
            if (p == null) {
                LOG.debug("{}CHAP authenticator: dropped malformed packet", log);
                return;
            }
            if (p.code() != RESPONSE) {
                LOG.debug("{}CHAP authenticator: ignored code={} id={}", log, p.code(), p.id());
                return;
            }
            if (challenge == null || p.id() != id) {
                // A duplicate Response whose Success/Failure was lost: repeat our verdict
                // (pppd does the same); anything else is stale.
                if (lastStatus != null && p.id() == lastStatusId && state != State.STOPPED) {
                    listener.send(AuthMethod.PROTOCOL_CHAP, lastStatus.retainedDuplicate());
                } else {
                    LOG.debug("{}CHAP authenticator: ignored Response id={} (current id={})", log, p.id(), id);
                }
                return;
            }
            if (state != State.CHALLENGING && state != State.OPEN) {
                return;
            }
            ValueAndName r = ValueAndName.parse(p.data());
            if (r == null) {
                LOG.debug("{}CHAP authenticator: dropped Response id={} with bad Value-Size", log, p.id());
                return;
            }
            LOG.debug("{}CHAP authenticator: Response id={} name={}", log, p.id(), r.shownName());
            // RFC 1994 §2.3: an empty secret is no secret.
            Optional<Secret> secret = secrets.secret(r.name(), ourName).filter(x -> !x.isEmpty());
            if (authenticatedName != null && !authenticatedName.equals(r.name())) {
                // A re-challenge must be answered by the identity that authenticated first;
                // a different name (with its own valid secret) would be an identity switch.
                secret = Optional.empty();
            }
            ChapDigest.Verdict v = secret.isPresent()
                    ? digest.verify(p.id(), r.name(), secret.get(), challenge, r.value())
                    : new ChapDigest.Verdict(false, digest.failureMessage(challenge));
            byte[] failedChallenge = challenge;
            challenge = null;
            timer.cancel();
            setStatus(v.ok() ? SUCCESS : FAILURE, p.id(), v.message());
            if (!v.ok()) {
                Arrays.fill(failedChallenge, (byte) 0);
                String why;
                if (authenticatedName != null && !authenticatedName.equals(r.name())) {
                    why = "peer answered a re-challenge as " + r.shownName() + " after authenticating as "
                            + AuthPacket.printable(authenticatedName);
                } else if (secret.isEmpty()) {
                    why = "no CHAP secret for " + r.shownName() + " to " + ourName;
                } else {
                    why = "CHAP response from " + r.shownName() + " is wrong (wrong secret)";
                }
                fail(why);
                return;
            }
            if (!everSucceeded) {
                everSucceeded = true;
                authenticatedName = r.name();
                state = State.OPEN;
                LOG.info("{}CHAP ({}): peer {} authenticated", log, digest.method(), r.shownName());
                listener.succeeded(r.name(), v.message());
            } else {
                LOG.debug("{}CHAP authenticator: peer {} re-authenticated", log, r.shownName());
            }
            // RFC 1994 §2: "the authenticator sends a new challenge to the peer at random
            // intervals" after the link is established — pppd's chap-interval.
            timer.after(config.rechallenge(), this::rechallenge);
        }

        /** chap-interval elapsed: challenge the peer again. */
        private void rechallenge() {
            if (state == State.OPEN) {
                newChallenge();
            }
        }

        /** Sends Success/Failure and keeps it for duplicate Responses. */
        private void setStatus(int code, int statusId, String message) {
            releaseStatus();
            lastStatus = AuthPacket.encode(code, statusId, message.getBytes(StandardCharsets.UTF_8));
            lastStatusId = statusId;
            listener.send(AuthMethod.PROTOCOL_CHAP, lastStatus.retainedDuplicate());
        }

        /** Reports a final failure once. */
        private void fail(String reason) {
            timer.cancel();
            challenge = null;
            if (lastStatus != null && lastStatus.getUnsignedByte(lastStatus.readerIndex()) == SUCCESS) {
                // A re-challenge went unanswered: a late copy of the Response that earned the
                // earlier Success must not be told Success again now that we have failed.
                releaseStatus();
            }
            state = State.FAILED;
            LOG.info("{}CHAP ({}): peer failed to authenticate: {}", log, digest.method(), reason);
            listener.failed(reason);
        }

        /** Releases the kept Success/Failure packet. */
        private void releaseStatus() {
            if (lastStatus != null) {
                lastStatus.release();
                lastStatus = null;
            }
        }

        @Override
        public void stop() {
            timer.cancel();
            releaseStatus();
            challenge = null;
            state = State.STOPPED;
        }
    }
}
