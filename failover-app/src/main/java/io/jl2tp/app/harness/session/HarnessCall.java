package io.jl2tp.app.harness.session;

import io.jl2tp.app.harness.scenario.Directive;
import io.jl2tp.app.harness.scenario.Scenario;
import io.jl2tp.app.link.CallLink;
import io.jl2tp.l2tp.tunnel.FrameReceiver;
import io.jl2tp.l2tp.tunnel.Session;
import io.jl2tp.ppp.PppEvent;
import io.jl2tp.ppp.PppLink;
import io.jl2tp.ppp.options.PppSettings;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One harness call: failover-app's {@link CallLink} (the L2TP session and its PPP link) with a
 * {@link UserPlane} where the dialer and the LNS attach a TUN, the scenario's session actions
 * on timers, and the timestamps the reports need. Optionally answers every LCP
 * Configure-Request with a Configure-Nak of the MRU (RFC 1661 §5.3) before PPP sees it.
 *
 * <p>Threads: the event loop only; the volatile fields are read by status snapshots.
 */
public final class HarnessCall {

    private final CallLink link;
    private final UserPlane plane;
    private final CallStreams streams;
    private final ScheduledExecutorService loop;
    private final boolean nakMru;
    private final List<ScheduledFuture<?>> timers = new ArrayList<>();
    private final long placedNanos = System.nanoTime();
    private volatile long upNanos;          // IPCP up, 0 before
    private volatile PppEvent.IpUp ip;
    private volatile PppEvent.Ipv6Up ip6;
    private volatile String downCause;      // null while alive
    private volatile String peerName;
    private volatile String phase = "establish";
    private long naks;
    /** For the LAC's bookkeeping: the call was counted as up or as failed (event loop). */
    public boolean counted;

    /**
     * Joins PPP to {@code session}; {@code events} sees every PPP event after this call has
     * recorded it.
     */
    public HarnessCall(Session session, PppSettings ppp, PppLink.Settings settings, ScheduledExecutorService loop,
                       Scenario scenario, Consumer<PppEvent> events, ByteBufAllocator alloc, Random random) {
        this.loop = loop;
        this.nakMru = scenario.has(Directive.NakForeverLcpMru.class);
        this.link = new CallLink(session, ppp, settings, loop, e -> {
            record(e);
            events.accept(e);
        }, alloc, random);
        this.plane = new UserPlane(link.ppp(), alloc, session.localId());
        this.streams = new CallStreams(plane, alloc, loop);
        plane.streams = streams;
        if (nakMru) {
            session.receiver(receiver());
        }
    }

    private void record(PppEvent e) {
        if (e instanceof PppEvent.IpUp up) {
            ip = up;
            streams.ipv4(true);
            if (upNanos == 0) {
                upNanos = System.nanoTime();
            }
        } else if (e instanceof PppEvent.IpDown) {
            streams.ipv4(false);
        } else if (e instanceof PppEvent.Ipv6Up up) {
            ip6 = up;
        } else if (e instanceof PppEvent.Authenticated a && a.weAuthenticatedPeer()) {
            peerName = a.peerName();
        } else if (e instanceof PppEvent.PhaseChanged p) {
            phase = p.phase().name().toLowerCase(java.util.Locale.ROOT);
        } else if (e instanceof PppEvent.Down d) {
            end(d.reason().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')
                    + (d.message() == null || d.message().isEmpty() ? "" : ": " + d.message()));
        }
    }

    /** Where the session's frames go: PPP, or first the MRU Nak-er. */
    public FrameReceiver receiver() {
        return nakMru ? this::nakOrPass : link.receiver();
    }

    /** RFC 1661 §5.3: a Configure-Nak suggesting another MRU to every Configure-Request (code 1). */
    private void nakOrPass(ByteBuf frame) {
        int r = frame.readerIndex();
        int off = frame.readableBytes() >= 2 && frame.getUnsignedShort(r) == 0xff03 ? r + 2 : r;
        if (frame.writerIndex() - off >= 6 && frame.getUnsignedShort(off) == 0xc021 && frame.getByte(off + 2) == 1) {
            int id = frame.getUnsignedByte(off + 3);
            int asked = 1500;
            int end = Math.min(frame.writerIndex(), off + 2 + frame.getUnsignedShort(off + 4));
            for (int p = off + 6; p + 2 <= end; ) {
                int type = frame.getUnsignedByte(p);
                int len = frame.getUnsignedByte(p + 1);
                if (len < 2) {
                    break;
                }
                if (type == 1 && len == 4 && p + 4 <= end) {
                    asked = frame.getUnsignedShort(p + 2);
                }
                p += len;
            }
            frame.release();
            int offer = asked == 1400 ? 1300 : 1400;
            ByteBuf nak = ByteBufAllocator.DEFAULT.buffer(Session.HEADROOM + 12);
            nak.writerIndex(Session.HEADROOM).readerIndex(Session.HEADROOM);
            nak.writeShort(0xff03).writeShort(0xc021).writeByte(3).writeByte(id).writeShort(8)
                    .writeByte(1).writeByte(4).writeShort(offer);
            naks++;
            link.session().send(nak);
            return;
        }
        link.ppp().input(frame);
    }

    /** Schedules {@code after} for this call, relative to now (the session is up). Event loop. */
    public void schedule(List<Directive.After> actions) {
        for (Directive.After a : actions) {
            timers.add(loop.schedule(() -> Actions.onCall(this, a.action()), a.after().toMillis(), TimeUnit.MILLISECONDS));
        }
    }

    /** The call is over (event loop): timers are cancelled; {@code why} is kept for reports. */
    public void end(String why) {
        if (downCause == null) {
            downCause = why;
        }
        for (ScheduledFuture<?> f : timers) {
            f.cancel(false);
        }
        timers.clear();
        streams.stop();
    }

    public Session session() {
        return link.session();
    }

    public CallLink link() {
        return link;
    }

    public UserPlane plane() {
        return plane;
    }

    /** The call's traffic stream (idle unless started). */
    public CallStreams streams() {
        return streams;
    }

    /** Nanoseconds from the call's creation to IPCP up, or -1. */
    public long setupNanos() {
        long u = upNanos;
        return u == 0 ? -1 : u - placedNanos;
    }

    public PppEvent.IpUp ip() {
        return ip;
    }

    public PppEvent.Ipv6Up ip6() {
        return ip6;
    }

    /** Why the call ended, or null while it lives. */
    public String downCause() {
        return downCause;
    }

    public String peerName() {
        return peerName;
    }

    public String phase() {
        return phase;
    }

    /** Configure-Naks sent by the nak-forever directive. */
    public long naks() {
        return naks;
    }
}
