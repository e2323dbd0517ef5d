package io.jl2tp.app.harness.session;

import io.jl2tp.app.link.CallLink;
import io.jl2tp.ppp.PppLink;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.net.Inet4Address;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The traffic stream of one call, both ends: {@link #start} paces sequence-numbered
 * {@link StreamPacket}s to the peer's PPP address from a periodic timer on the call's event
 * loop — a tick every 1/rate s but at least {@value #MIN_TICK_MILLIS} ms, sending the packets
 * due by then (packet k leaves k/rate s after the start). After a stall it catches up at most
 * {@value #BURST_TICKS} ticks' worth (at least {@value #MIN_BURST}) a tick; what is more than
 * a second behind is skipped and counted, never queued, as are packets falling due while IPCP
 * is down again (renegotiating). {@link #startWhenPeerStreams} waits
 * for the peer's first stream packet (its IPCP is up, so nothing is sent into a link that
 * would drop it), or a fallback delay. {@link #receive} takes the peer's stream packets out of
 * the call's IP input and accounts them in {@link SequenceStats}. Everything is allocated once
 * per call: the send scratch packet at start, the receive side at the first stream packet.
 *
 * <p>Threads: the event loop only.
 */
public final class CallStreams {

    static final int MIN_TICK_MILLIS = 2;
    /** Catching up after a stall: at most this many ticks' worth of packets at once, and at least {@value #MIN_BURST}. */
    static final int BURST_TICKS = 10;
    static final int MIN_BURST = 64;

    private final UserPlane plane;
    private final ByteBufAllocator alloc;
    private final ScheduledExecutorService loop;
    private SequenceStats rx;          // null before the first stream packet
    private byte[] rxScratch;
    private byte[] tx;                 // the packet being restamped, null before start
    private int txLen;
    private double rate;
    private long maxBurst;
    private long startNanos;
    private long endNanos;
    private long total;                // packets in the whole stream
    private boolean started;
    private boolean done;
    private boolean ipDown;            // IPCP went down after the start (renegotiating): due packets are skipped
    private long due;                  // packets sent + skipped
    private long sent;
    private long skipped;
    private ScheduledFuture<?> timer;
    private Pending pending;           // startWhenPeerStreams, until it starts
    private ScheduledFuture<?> fallback;

    private record Pending(StreamConfig config, Inet4Address local, Inet4Address remote, int flow) {
    }

    CallStreams(UserPlane plane, ByteBufAllocator alloc, ScheduledExecutorService loop) {
        this.plane = plane;
        this.alloc = alloc;
        this.loop = loop;
    }

    /**
     * Starts {@link #start} once the peer's first stream packet arrives on this call, or after
     * {@code fallbackMillis} if none has (a peer that sends no stream). Ignored if already started.
     */
    public void startWhenPeerStreams(StreamConfig c, Inet4Address local, Inet4Address remote, int flow, long fallbackMillis) {
        if (started || done || pending != null) {
            return;
        }
        pending = new Pending(c, local, remote, flow);
        if (rx != null) {
            startPending();
        } else {
            fallback = loop.schedule(this::startPending, fallbackMillis, TimeUnit.MILLISECONDS);
        }
    }

    private void startPending() {
        Pending p = pending;
        pending = null;
        if (fallback != null) {
            fallback.cancel(false);
            fallback = null;
        }
        if (p != null) {
            start(p.config(), p.local(), p.remote(), p.flow());
        }
    }

    /**
     * Starts sending {@code c}'s stream from {@code local} to {@code remote} (IPCP's addresses),
     * flow id {@code flow}. Ignored if already started.
     */
    public void start(StreamConfig c, Inet4Address local, Inet4Address remote, int flow) {
        if (started) {
            return;
        }
        started = true;
        tx = new byte[StreamPacket.OVERHEAD + c.size()];
        txLen = StreamPacket.build(tx, local.getAddress(), remote.getAddress(), flow, 0, 0, c.size());
        rate = c.rate();
        long tickNanos = Math.max(MIN_TICK_MILLIS * 1_000_000L, 1_000_000_000L / c.rate());
        maxBurst = Math.max(MIN_BURST, BURST_TICKS * (long) Math.ceil(rate * tickNanos / 1e9));
        startNanos = System.nanoTime();
        endNanos = startNanos + c.duration().toNanos();
        total = Math.max(1, Math.round(c.duration().toNanos() / 1e9 * rate));
        tick();
        if (!done) {
            timer = loop.scheduleAtFixedRate(this::tick, tickNanos, tickNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void tick() {
        if (done) {
            return;
        }
        long now = System.nanoTime();
        // Packet k leaves at k / rate seconds after the start.
        long target = now >= endNanos ? total : Math.min(total, (long) Math.floor((now - startNanos) * rate / 1e9) + 1);
        long n = target - due;
        long behind = Math.max(maxBurst, (long) rate);
        if (n > behind) {
            skipped += n - behind;
            due += n - behind;
            n = behind;
        }
        n = Math.min(n, maxBurst);
        if (ipDown) {
            skipped += n;
            due += n;
            n = 0;
        }
        for (long i = 0; i < n; i++) {
            StreamPacket.restamp(tx, txLen, sent, StreamClock.micros());
            ByteBuf buf = alloc.buffer(CallLink.HEADROOM + txLen);
            buf.writerIndex(CallLink.HEADROOM).readerIndex(CallLink.HEADROOM);
            buf.writeBytes(tx, 0, txLen);
            plane.send(PppLink.PROTO_IPV4, buf);
            sent++;
            due++;
        }
        if (due == total) {
            stop();
        }
    }

    /**
     * IPCP went down (false) or came up again (true): while it is down the packets that fall due
     * are skipped, not numbered — PPP would drop them (RFC 1661 §3.7, no IP until IPCP is Opened).
     */
    void ipv4(boolean up) {
        ipDown = !up;
    }

    /** Stops sending (the call ended, or the stream's time is up). Idempotent. */
    public void stop() {
        done = true;
        pending = null;
        if (fallback != null) {
            fallback.cancel(false);
            fallback = null;
        }
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    /**
     * Takes {@code ip} (one IPv4 packet, not consumed, not released) if it is a stream packet
     * and accounts it; false if it is something else.
     */
    boolean receive(ByteBuf ip) {
        if (!StreamPacket.isStream(ip)) {
            return false;
        }
        if (rx == null) {
            rx = new SequenceStats();
            rxScratch = new byte[1500];
        }
        long now = StreamClock.micros();
        int h = StreamPacket.check(ip, rxScratch);
        if (h < 0) {
            rx.countCorrupt();
        } else {
            rx.record(StreamPacket.seq(rxScratch, h), now - StreamPacket.sentMicros(rxScratch, h));
            if (pending != null) {
                startPending();
            }
        }
        return true;
    }

    /** Packets sent so far. */
    public long sent() {
        return sent;
    }

    /** Packets not sent: the event loop fell more than a second behind the rate, or IPCP was down. */
    public long skipped() {
        return skipped;
    }

    /** True while the stream is being sent. */
    public boolean sending() {
        return timer != null;
    }

    /** What was received, or null if no stream packet arrived. */
    public SequenceStats received() {
        return rx;
    }
}
