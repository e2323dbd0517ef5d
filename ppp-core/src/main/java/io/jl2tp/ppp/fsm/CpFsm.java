package io.jl2tp.ppp.fsm;

import io.jl2tp.ppp.wire.CpOption;
import io.jl2tp.ppp.wire.CpPacket;
import io.jl2tp.ppp.wire.PppProtocolException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The RFC 1661 §4 option negotiation automaton, written once and driven by a {@link CpHandler}
 * per protocol (the structure of pppd's fsm.c). It turns received packets and timer expiry
 * into the events of {@link StateTable} and carries out the actions; identifiers follow §5:
 * a new Identifier for every Configure-Request we send, and Ack/Nak/Reject only accepted with
 * the Identifier of our latest request — an Ack only if its options match ours exactly.
 *
 * <p>Confined to one event loop; no locks.
 */
public final class CpFsm {

    /** Where packets go (the PPP link adds the protocol field). */
    @FunctionalInterface
    public interface Output {
        /** Sends a control packet of {@code protocol}. */
        void send(int protocol, CpPacket packet);
    }

    private static final Logger log = LoggerFactory.getLogger(CpFsm.class);

    private final String name;
    private final int protocol;
    private final CpHandler handler;
    private final CpConfig config;
    private final ScheduledExecutorService loop;
    private final Output output;
    private final String logPrefix;

    private State state = State.INITIAL;
    private int id;                      // last Identifier we used
    private int reqId = -1;              // Identifier of our outstanding Configure-Request
    private byte[] sentOptions = new byte[0];
    private int restartCount;
    private int failureCount;            // Configure-Naks sent since the last Ack (Max-Failure)
    private volatile long malformed;     // packets dropped as malformed; event loop writes
    private ScheduledFuture<?> timer;
    private String terminateReason = "";

    /** Per-event context: the packet that answers the one being processed. */
    private CpPacket response;
    private int receivedId;

    public CpFsm(String name, int protocol, CpHandler handler, CpConfig config, ScheduledExecutorService loop,
                 Output output, String logPrefix) {
        this.name = name;
        this.protocol = protocol;
        this.handler = handler;
        this.config = config;
        this.loop = loop;
        this.output = output;
        this.logPrefix = logPrefix;
    }

    /** Current state. */
    public State state() {
        return state;
    }

    /** Protocol number (0xC021 LCP, 0x8021 IPCP, 0x8057 IPV6CP). */
    public int protocol() {
        return protocol;
    }

    /** The protocol's name. */
    public String name() {
        return name;
    }

    /** Restart counter (for tests). */
    int restartCount() {
        return restartCount;
    }

    // ---- administrative and lower-layer events ----

    /** The lower layer is up. */
    public void up() {
        event(Event.UP);
    }

    /** The lower layer is down. */
    public void down() {
        event(Event.DOWN);
    }

    /** Administrative Open. */
    public void open() {
        event(Event.OPEN);
    }

    /** Administrative Close with a reason carried in the Terminate-Request. */
    public void close(String reason) {
        terminateReason = reason == null ? "" : reason;
        event(Event.CLOSE);
    }

    /** The peer rejected this whole protocol (Protocol-Reject): RXJ- (§5.7). */
    public void protocolRejected() {
        event(Event.RXJ_MINUS);
    }

    /**
     * Enters Opened without a negotiation of our own: the options were negotiated elsewhere and
     * the handler already holds them — RFC 2661 §4.4.5, LCP "negotiated by the LAC" and handed
     * over in the Proxy LCP AVPs. The result is the state the RFC 1661 §4.1 table reaches after
     * Open, Up and a completed exchange (Req-Sent … Opened with tlu): nothing is sent, no timer
     * runs, and every later event — a Configure-Request from the peer (tld, scr, sca/scn),
     * Close, Down — takes the table's Opened row. Only from Initial (a fresh automaton).
     *
     * @throws IllegalStateException if the automaton has already been used
     */
    public void startOpened() {
        if (state != State.INITIAL) {
            throw new IllegalStateException(name + " is in state " + state.rfcName() + ", not Initial");
        }
        state = State.OPENED;
        log.debug("{}{}: Initial --proxy--> Opened (negotiated by the LAC, RFC 2661 §4.4.5)", logPrefix, name);
        handler.up(); // tlu
    }

    /**
     * Sends our Configure-Request again now, as the restart timer would (TO+, RFC 1661 §4.1:
     * scr in Req-Sent and Ack-Sent), when it is known to have been discarded: the peer was not
     * yet in the phase that accepts it (RFC 1661 §3.5: NCP packets before the Network phase are
     * silently discarded). Does nothing unless our request is outstanding (Req-Sent, Ack-Sent)
     * and the restart counter allows another one.
     *
     * @return true if a Configure-Request was sent
     */
    public boolean requestAgain() {
        if ((state != State.REQ_SENT && state != State.ACK_SENT) || restartCount <= 0) {
            return false;
        }
        cancelTimer();
        event(Event.TO_PLUS);
        return true;
    }

    /** Drives the automaton with a raw event (tests exercise every table row with it). */
    public void event(Event e) {
        StateTable.Transition t = StateTable.lookup(state, e);
        if (t == null) {
            log.debug("{}{}: event {} in state {} ignored (not in the RFC 1661 table)", logPrefix, name, e.rfcName(),
                    state.rfcName());
            return;
        }
        State previous = state;
        state = t.next();
        if (!stateHasTimer(state)) {
            cancelTimer();
        }
        boolean terminating = t.actions().contains(Action.STR);
        for (Action a : t.actions()) {
            perform(a, previous, terminating);
        }
        if (previous != state) {
            log.debug("{}{}: {} --{}--> {}", logPrefix, name, previous.rfcName(), e.rfcName(), state.rfcName());
        }
    }

    private static boolean stateHasTimer(State s) {
        return s == State.CLOSING || s == State.STOPPING || s == State.REQ_SENT || s == State.ACK_RCVD
                || s == State.ACK_SENT;
    }

    private void perform(Action a, State previous, boolean terminating) {
        switch (a) {
            case TLU -> handler.up();
            case TLD -> handler.down();
            case TLS -> handler.starting();
            case TLF -> handler.finished();
            case IRC -> restartCount = terminating ? config.maxTerminate() : config.maxConfigure();
            case ZRC -> {
                restartCount = 0;
                startTimer();
            }
            case SCR -> sendConfigureRequest(previous);
            case SCA, SCN, STA, SCJ, SER -> {
                if (a == Action.STA && response == null) {
                    response = new CpPacket(CpPacket.TERM_ACK, receivedId, new byte[0]);
                }
                if (response != null) {
                    output.send(protocol, response);
                    response = null;
                }
            }
            case STR -> {
                id = (id + 1) & 0xff;
                byte[] reason = terminateReason.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                output.send(protocol, new CpPacket(CpPacket.TERM_REQ, id, reason));
                restartCount--;
                startTimer();
            }
        }
    }

    private void sendConfigureRequest(State previous) {
        if (previous != State.REQ_SENT && previous != State.ACK_RCVD && previous != State.ACK_SENT) {
            handler.resetci();
            failureCount = 0;
        }
        // §5.1: a new Identifier for each Configure-Request (changed whenever the content may).
        id = (id + 1) & 0xff;
        reqId = id;
        sentOptions = CpOption.encode(handler.addci());
        output.send(protocol, new CpPacket(CpPacket.CONF_REQ, id, sentOptions));
        restartCount--;
        startTimer();
    }

    private void startTimer() {
        cancelTimer();
        timer = loop.schedule(this::timeout, config.restart().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void timeout() {
        timer = null;
        if (!stateHasTimer(state)) {
            return;
        }
        if (restartCount > 0) {
            event(Event.TO_PLUS);
        } else {
            if (state == State.REQ_SENT || state == State.ACK_RCVD || state == State.ACK_SENT) {
                log.info("{}{}: no answer to {} Configure-Requests, giving up", logPrefix, name, config.maxConfigure());
            }
            event(Event.TO_MINUS);
        }
    }

    // ---- packets ----

    /**
     * A received packet of this protocol (event loop). Never throws: a packet whose options
     * cannot be decoded — a {@link PppProtocolException} from the option parser or the
     * protocol's handler — is counted ({@link #malformed()}) and dropped, as pppd's
     * {@code fsm_input} drops bad packets; the automaton's state is unchanged.
     */
    public void input(CpPacket p) {
        if (state == State.INITIAL || state == State.STARTING) {
            log.debug("{}{}: {} in state {} discarded", logPrefix, name, p, state.rfcName());
            return;
        }
        receivedId = p.id();
        response = null;
        try {
            dispatch(p);
        } catch (PppProtocolException e) {
            malformed++;
            log.debug("{}{}: malformed {} discarded: {}", logPrefix, name, CpPacket.codeName(p.code()), e.getMessage());
        } catch (RuntimeException e) {
            // A handler that trips over a packet it did not expect must not take the link (or
            // the event loop) down: the packet is treated as malformed, like a decode failure.
            malformed++;
            log.debug("{}{}: {} discarded, handler failed: {}", logPrefix, name, CpPacket.codeName(p.code()),
                    new PppProtocolException(e.toString()).getMessage());
        } finally {
            response = null;
        }
    }

    /** Packets dropped as malformed so far. */
    public long malformed() {
        return malformed;
    }

    private void dispatch(CpPacket p) throws PppProtocolException {
        switch (p.code()) {
            case CpPacket.CONF_REQ -> receiveConfigureRequest(p);
            case CpPacket.CONF_ACK -> receiveConfigureAck(p);
            case CpPacket.CONF_NAK, CpPacket.CONF_REJ -> receiveNakReject(p);
            case CpPacket.TERM_REQ -> {
                String reason = new String(p.data(), java.nio.charset.StandardCharsets.UTF_8).strip();
                if (state == State.OPENED) {
                    log.info("{}{}: peer requested termination{}", logPrefix, name, reason.isEmpty() ? "" : ": " + reason);
                }
                event(Event.RTR);
            }
            case CpPacket.TERM_ACK -> {
                if (state == State.CLOSING || state == State.STOPPING || p.id() == id) {
                    event(Event.RTA);
                } else {
                    event(Event.RTA);
                }
            }
            case CpPacket.CODE_REJ -> receiveCodeReject(p);
            default -> {
                if (!handler.extcode(p)) {
                    // §5.6: an unknown code is answered with Code-Reject carrying the packet.
                    response = new CpPacket(CpPacket.CODE_REJ, (id = (id + 1) & 0xff), encodeForReject(p));
                    event(Event.RUC);
                }
            }
        }
    }

    /** Sends a Code/Protocol-Reject style answer for extension handlers (e.g. Echo-Reply). */
    public void reply(CpPacket answer, Event e) {
        response = answer;
        event(e);
        response = null;
    }

    /** Sends a packet of this protocol outside the automaton (Echo-Request, Discard-Request). */
    public void send(CpPacket p) {
        output.send(protocol, p);
    }

    /** A fresh Identifier for an extension packet (Echo-Request, …). */
    public int nextId() {
        id = (id + 1) & 0xff;
        return id;
    }

    private static byte[] encodeForReject(CpPacket p) {
        io.netty.buffer.ByteBuf b = io.netty.buffer.Unpooled.buffer(p.length());
        try {
            p.encode(b);
            byte[] all = new byte[Math.min(b.readableBytes(), 1496)];
            b.getBytes(0, all);
            return all;
        } finally {
            b.release();
        }
    }

    private void receiveConfigureRequest(CpPacket p) throws PppProtocolException {
        if (state == State.CLOSED || state == State.CLOSING || state == State.STOPPING) {
            event(Event.RCR_PLUS); // Closed: sta; Closing/Stopping: nothing
            return;
        }
        List<CpOption> opts = CpOption.parse(p.data());
        if (state == State.OPENED) {
            log.info("{}{}: peer renegotiates", logPrefix, name);
        }
        boolean disagreeing = failureCount >= config.maxFailure();
        CpHandler.ReqResult r = handler.reqci(opts, disagreeing);
        if (r.code() == CpPacket.CONF_NAK && disagreeing) {
            // RFC 1661 §4.6 Max-Failure: after that many Naks without an Ack, what would be
            // Nak'd is Configure-Rejected instead (the peer's own options, in its order).
            java.util.Set<Integer> naked = new java.util.HashSet<>();
            r.options().forEach(o -> naked.add(o.type()));
            r = new CpHandler.ReqResult(CpPacket.CONF_REJ, opts.stream().filter(o -> naked.contains(o.type())).toList());
        }
        if (r.code() == CpPacket.CONF_ACK) {
            failureCount = 0;
            response = new CpPacket(CpPacket.CONF_ACK, p.id(), p.data());
            event(Event.RCR_PLUS);
        } else {
            if (r.code() == CpPacket.CONF_NAK) {
                failureCount++;
            }
            response = new CpPacket(r.code(), p.id(), CpOption.encode(r.options()));
            event(Event.RCR_MINUS);
        }
    }

    private void receiveConfigureAck(CpPacket p) throws PppProtocolException {
        if (state == State.CLOSED || state == State.STOPPED) {
            event(Event.RCA); // sta
            return;
        }
        // §5.2: the Identifier MUST match the last Configure-Request and the options MUST be
        // exactly those sent; otherwise the packet is silently discarded.
        if (p.id() != reqId || !Arrays.equals(p.data(), sentOptions)) {
            log.debug("{}{}: Configure-Ack id=0x{} does not match our request id=0x{}, discarded", logPrefix, name,
                    Integer.toHexString(p.id()), Integer.toHexString(reqId));
            return;
        }
        handler.ackci(CpOption.parse(p.data()));
        reqId = -1;
        event(Event.RCA);
    }

    private void receiveNakReject(CpPacket p) throws PppProtocolException {
        if (state == State.CLOSED || state == State.STOPPED) {
            event(Event.RCN); // sta
            return;
        }
        if (p.id() != reqId) {
            log.debug("{}{}: {} with stale id=0x{} discarded", logPrefix, name, CpPacket.codeName(p.code()),
                    Integer.toHexString(p.id()));
            return;
        }
        List<CpOption> opts = CpOption.parse(p.data());
        boolean ok = p.code() == CpPacket.CONF_NAK ? handler.nakci(opts) : handler.rejci(opts);
        if (!ok) {
            log.debug("{}{}: bad {} discarded", logPrefix, name, CpPacket.codeName(p.code()));
            return;
        }
        reqId = -1;
        event(Event.RCN);
    }

    private void receiveCodeReject(CpPacket p) {
        int rejected = p.data().length > 0 ? p.data()[0] & 0xff : 0;
        // §5.6: rejecting a code we need (1–7) is catastrophic (RXJ-); others are permitted (RXJ+).
        boolean fatal = rejected >= CpPacket.CONF_REQ && rejected <= CpPacket.CODE_REJ;
        log.info("{}{}: peer rejected code {}", logPrefix, name, CpPacket.codeName(rejected));
        event(fatal ? Event.RXJ_MINUS : Event.RXJ_PLUS);
    }

    @Override
    public String toString() {
        return name + " " + state.rfcName();
    }
}
