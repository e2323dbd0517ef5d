package io.jl2tp.l2tp.transport;

import io.jl2tp.l2tp.wire.ControlMessage;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Reliable, in-order delivery of the control messages of one control connection
 * (RFC 2661 §5.8 and Appendix A). Confined to one event loop; no locks.
 *
 * <pre>
 *  send(msg) ─► queue ─► (window: min(cwnd, peer RWS) in flight) ─► output(msg with Ns/Nr)
 *  input(msg) ─► ack processing (Nr) ─► in order? deliver (or hold, if the listener is not ready)
 *                                     : duplicate? ZLB : hold if in window
 *  timer ─► retransmit oldest (same Ns, current Nr), 1, 2, 4, 8, 8 … s ─► retry limit ─► failed
 * </pre>
 *
 * Slow start and congestion avoidance follow Appendix A: cwnd starts at 1, ssthresh at the
 * peer's window; +1 per acknowledged message below ssthresh, +1/cwnd above; a retransmission
 * halves ssthresh and sets cwnd back to 1.
 */
public final class ReliableTransport {

    /** Where the transport sends messages and delivers received ones. */
    public interface Listener {
        /** Transmit {@code msg} (Ns/Nr already set) to the peer. */
        void output(ControlMessage msg);

        /** A received non-ZLB message, exactly once and in order. */
        void deliver(ControlMessage msg);

        /** The retry limit was reached for a message (§5.8: clear the tunnel). */
        void retriesExhausted(ControlMessage msg, int retries);

        /** All messages sent so far have been acknowledged. */
        default void allAcknowledged() {
        }

        /**
         * Whether {@code msg}, the next in order, may be delivered now. False defers it: it is
         * kept as if it had not arrived yet (held, not acknowledged, {@code Nr} does not pass it),
         * and offered again when the peer acknowledges something of ours or sends it again. The
         * peer's window and its RFC 2661 §5.8 retransmission then pace it. Used by the LNS to
         * stop a flood of ICRQs from growing its reply queue without bound (issue 11 row 2).
         */
        default boolean readyFor(ControlMessage msg) {
            return true;
        }
    }

    private record InFlight(int ns, ControlMessage msg) {
    }

    private final TransportConfig config;
    private final ScheduledExecutorService loop;
    private final Listener listener;

    private int tunnelId;          // receiver's id for our ZLBs
    private int nextNs;            // Ns of the next new message
    private int expectedNr;        // next Ns expected from the peer (our Nr)
    private int peerWindow = 4;    // §5.8: assume 4 without an RWS AVP
    private double cwnd = 1;
    private double ssthresh = 4;

    private final ArrayDeque<ControlMessage> queue = new ArrayDeque<>();
    /** Queued messages whose first transmission someone waits for (by identity; few at a time). */
    private final java.util.IdentityHashMap<ControlMessage, Runnable> onTransmit = new java.util.IdentityHashMap<>();
    private final ArrayDeque<InFlight> inFlight = new ArrayDeque<>();
    private final Map<Integer, ControlMessage> held = new HashMap<>();

    private ScheduledFuture<?> retransmitTimer;
    private long currentTimeoutMs;
    private int retries;
    private ScheduledFuture<?> ackTimer;
    private boolean closed;

    private long retransmissions;
    private long duplicates;
    private long deferred;
    private boolean unverifiedPeer;

    public ReliableTransport(TransportConfig config, ScheduledExecutorService loop, Listener listener) {
        this.config = config;
        this.loop = loop;
        this.listener = listener;
        this.currentTimeoutMs = config.initialTimeout().toMillis();
    }

    /** Sets the tunnel id that outgoing messages carry (the peer's Assigned Tunnel ID). */
    public void setTunnelId(int tunnelId) {
        this.tunnelId = tunnelId;
    }

    /**
     * Reflection guard for an LNS answering an SCCRQ (issue 11 row 8). Until the peer
     * acknowledges something we sent — proof that it receives at the address it claims — our
     * unacknowledged messages are not retransmitted on our timer; a duplicate of the peer's
     * message (its own retransmission) is answered by retransmitting them instead of a ZLB.
     *
     * <p>Why this is what RFC 2661 demands and no more: §5.8 asks for retransmission so that a
     * lost message is recovered. Our SCCRP (or StopCCN) is the acknowledgement of the peer's
     * SCCRQ (its Nr), so if it is lost, the peer's SCCRQ stays unacknowledged and the peer's own
     * §5.8 timer retransmits it — and that duplicate draws our retransmission. Recovery is
     * intact, with the requester's timer driving it, while a spoofed SCCRQ draws exactly one
     * reply instead of one plus every retransmission (7 datagrams before this). Once the peer
     * acknowledges, normal §5.8 retransmission applies. A peer that never acknowledges is
     * cleared by the tunnel's set-up timeout, without a StopCCN.
     */
    public void answerDuplicatesOnlyUntilAcknowledged() {
        unverifiedPeer = true;
    }

    /** True while {@link #answerDuplicatesOnlyUntilAcknowledged} holds back retransmissions. */
    public boolean awaitingFirstAcknowledgement() {
        return unverifiedPeer;
    }

    /** The peer's receive window from its RWS AVP (§5.8); values below 1 are ignored. */
    public void setPeerWindow(int rws) {
        if (rws >= 1) {
            peerWindow = rws;
            ssthresh = rws;
            pump();
        }
    }

    /** The peer's receive window in use. */
    public int peerWindow() {
        return peerWindow;
    }

    /** Current congestion window (messages). */
    public double congestionWindow() {
        return cwnd;
    }

    /** Our Nr: the next Ns we expect. */
    public int expectedNr() {
        return expectedNr;
    }

    /** The Ns the next new message will get. */
    public int nextNs() {
        return nextNs;
    }

    /** Messages sent and not yet acknowledged. */
    public int inFlight() {
        return inFlight.size();
    }

    /** Messages waiting for window space. */
    public int queued() {
        return queue.size();
    }

    /** Retransmissions so far. */
    public long retransmissions() {
        return retransmissions;
    }

    /** In-order messages the listener deferred ({@link Listener#readyFor}), counting each offer. */
    public long deferred() {
        return deferred;
    }

    /** Duplicates received so far. */
    public long duplicates() {
        return duplicates;
    }

    /** True if nothing is queued or unacknowledged. */
    public boolean idle() {
        return queue.isEmpty() && inFlight.isEmpty();
    }

    /** Queues {@code msg} for reliable delivery; its tunnel id is kept, Ns/Nr are assigned. */
    public void send(ControlMessage msg) {
        send(msg, null);
    }

    /**
     * As {@link #send(ControlMessage)}; {@code transmitted} (nullable) runs once {@code msg} has
     * been handed to the output for the first time — at once if the window has room, later if it
     * waits in the queue — and never if the transport is closed first. It runs after the
     * messages that went out with it, never inside {@link Listener#output}.
     */
    public void send(ControlMessage msg, Runnable transmitted) {
        if (closed) {
            return;
        }
        queue.add(msg);
        if (transmitted != null) {
            onTransmit.put(msg, transmitted);
        }
        pump();
    }

    private void pump() {
        int window = (int) Math.min(Math.floor(cwnd), peerWindow);
        java.util.List<Runnable> done = null;
        while (!queue.isEmpty() && inFlight.size() < Math.max(1, window)) {
            ControlMessage original = queue.poll();
            ControlMessage m = original.withSequence(nextNs, expectedNr);
            inFlight.add(new InFlight(nextNs, m));
            nextNs = Seq.next(nextNs);
            cancelAck(); // the Nr rides on this message (piggybacked acknowledgement)
            listener.output(m);
            if (retransmitTimer == null) {
                armRetransmit();
            }
            Runnable r = onTransmit.isEmpty() ? null : onTransmit.remove(original);
            if (r != null) {
                (done == null ? done = new java.util.ArrayList<>() : done).add(r);
            }
        }
        if (done != null) {
            done.forEach(Runnable::run);
        }
    }

    /** Processes a received control message (ZLB or not), already decoded and source-checked. */
    public void input(ControlMessage msg) {
        if (closed) {
            return;
        }
        boolean progress = acknowledge(msg.nr());
        if (msg.isZlb()) {
            if (progress && deliverInOrder()) {
                scheduleAck(); // our queue drained: deferred messages went through
            }
            return;
        }
        int ns = msg.ns();
        if (ns == expectedNr) {
            held.putIfAbsent(ns, msg);
            if (deliverInOrder()) {
                scheduleAck();
            }
            // else deferred by the listener: not acknowledged, so the peer keeps it in its window
        } else if (Seq.before(ns, expectedNr)) {
            // §5.8: a duplicate MUST still be acknowledged; it is not delivered again.
            duplicates++;
            if (unverifiedPeer && !inFlight.isEmpty()) {
                // The peer retransmitted: our reply was lost; send it again (same Ns, current Nr).
                InFlight oldest = inFlight.peek();
                retransmissions++;
                cancelAck();
                listener.output(oldest.msg().withSequence(oldest.ns(), expectedNr));
            } else {
                sendZlbNow();
            }
        } else if (Seq.distance(expectedNr, ns) < config.receiveWindow()) {
            held.putIfAbsent(ns, msg); // out of order, within our window: hold until the gap fills
            if (progress && deliverInOrder()) {
                scheduleAck();
            }
            sendZlbNow();              // tell the peer where we are
        }
        // beyond our window: dropped; the peer retransmits.
    }

    /**
     * Delivers held messages from {@link #expectedNr} on while the listener is ready for them.
     * Returns true if at least one was delivered.
     */
    private boolean deliverInOrder() {
        boolean any = false;
        while (!closed) {
            ControlMessage next = held.get(expectedNr);
            if (next == null) {
                break;
            }
            if (!listener.readyFor(next)) {
                deferred++;
                break;
            }
            held.remove(expectedNr);
            expectedNr = Seq.next(expectedNr);
            any = true;
            listener.deliver(next);
        }
        return any;
    }

    /** Processes the peer's Nr; true if it acknowledged something new. */
    private boolean acknowledge(int nr) {
        boolean progress = false;
        while (!inFlight.isEmpty() && Seq.before(inFlight.peek().ns(), nr)) {
            inFlight.poll();
            progress = true;
            // Appendix A: slow start below ssthresh, congestion avoidance above.
            if (cwnd < ssthresh) {
                cwnd += 1;
            } else {
                cwnd += 1 / cwnd;
            }
            cwnd = Math.min(cwnd, peerWindow);
        }
        if (progress) {
            unverifiedPeer = false;
            retries = 0;
            currentTimeoutMs = config.initialTimeout().toMillis();
            cancelRetransmit();
            if (!inFlight.isEmpty()) {
                armRetransmit();
            }
            pump();
            if (inFlight.isEmpty() && queue.isEmpty()) {
                listener.allAcknowledged();
            }
        }
        return progress;
    }

    private void armRetransmit() {
        if (unverifiedPeer) {
            return;
        }
        retransmitTimer = loop.schedule(this::onRetransmitTimeout, currentTimeoutMs, TimeUnit.MILLISECONDS);
    }

    private void cancelRetransmit() {
        if (retransmitTimer != null) {
            retransmitTimer.cancel(false);
            retransmitTimer = null;
        }
    }

    private void onRetransmitTimeout() {
        retransmitTimer = null;
        if (closed || inFlight.isEmpty()) {
            return;
        }
        InFlight oldest = inFlight.peek();
        if (retries >= config.maxRetries()) {
            listener.retriesExhausted(oldest.msg(), retries);
            return;
        }
        retries++;
        retransmissions++;
        // Appendix A: on retransmission ssthresh = cwnd/2, cwnd = 1.
        ssthresh = Math.max(cwnd / 2, 1);
        cwnd = 1;
        // §5.8: same Ns, current Nr.
        cancelAck();
        listener.output(oldest.msg().withSequence(oldest.ns(), expectedNr));
        currentTimeoutMs = Math.min(currentTimeoutMs * 2, config.maxTimeout().toMillis());
        armRetransmit();
    }

    private void scheduleAck() {
        if (unverifiedPeer && !inFlight.isEmpty()) {
            // Our unacknowledged reply already carried this Nr. A separate ZLB would acknowledge
            // the peer's request on its own and stop the retransmission that recovers a lost
            // reply (see answerDuplicatesOnlyUntilAcknowledged).
            return;
        }
        if (ackTimer == null) {
            ackTimer = loop.schedule(() -> {
                ackTimer = null;
                sendZlbNow();
            }, config.ackDelay().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void cancelAck() {
        if (ackTimer != null) {
            ackTimer.cancel(false);
            ackTimer = null;
        }
    }

    /** Sends a ZLB acknowledgement now (ZLBs do not consume an Ns, §5.8). */
    public void sendZlbNow() {
        cancelAck();
        if (!closed) {
            listener.output(ControlMessage.zlb(tunnelId, nextNs, expectedNr));
        }
    }

    /** Stops all timers and drops all state; later calls are ignored. */
    public void close() {
        closed = true;
        cancelRetransmit();
        cancelAck();
        queue.clear();
        onTransmit.clear();
        inFlight.clear();
        held.clear();
    }
}
