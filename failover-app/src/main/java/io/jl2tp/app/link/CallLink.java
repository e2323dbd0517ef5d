package io.jl2tp.app.link;

import io.jl2tp.l2tp.netty.SendBatch;
import io.jl2tp.l2tp.tunnel.FrameReceiver;
import io.jl2tp.l2tp.tunnel.Session;
import io.jl2tp.ppp.PppEvent;
import io.jl2tp.ppp.PppLink;
import io.jl2tp.ppp.options.PppSettings;
import io.jl2tp.tun.InterfaceGoneException;
import io.jl2tp.tun.TunDevice;
import io.jl2tp.tun.offload.Gro;
import io.jl2tp.tun.offload.Gso;
import io.jl2tp.tun.offload.VnetHdr;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/**
 * One call's data path: an L2TP {@link Session}, the {@link PppLink} that runs over it, and the
 * {@link TunDevice} that carries its IP packets — the one place where the three layers meet, used
 * by the dialer, the LNS and the tests alike.
 *
 * <pre>
 * Outbound flow (TUN reader thread, one per attached call, started by {@link #attach}):
 *   tun.read into a pooled direct buffer, {@link #HEADROOM} octets in front
 *   → outbound {@link PacketFilter} (the place for the TCP MSS clamp)
 *   → PppLink.sendIp: PPP header written into the headroom (dropped if that NCP is down)
 *   → Session.send: L2TP data header written into the headroom → UDP sendto
 *
 * Inbound flow (the L2TP endpoint's event loop):
 *   UDP → Session (data header checked) → {@link #receiver()} = PppLink.input
 *   → control protocols (LCP, auth, IPCP, IPV6CP) stay on the loop
 *   → IP: inbound {@link PacketFilter} → tun.write, buffer released
 * </pre>
 *
 * With a TUN that has offloads ({@link TunDevice#vnetHdr()}): the reader splits what it reads
 * ({@link Gso}: TCP super-packets into segments, partial checksums completed) and the inbound
 * flow coalesces TCP segments into one write per batch of received datagrams ({@link Gro},
 * flushed by a task queued behind the batch on the event loop).
 *
 * Ownership: everything except {@link #close} runs on the event loop. The reader thread only
 * reads the TUN and calls the two send paths, which are safe from one data thread
 * ({@code PppLink.sendIp}, {@code Session.send}). {@link #close} may block (it joins the reader)
 * and must not run on the event loop. The attached {@code TunDevice} belongs to the call from
 * {@link #attach} on and is closed by {@link #close}.
 */
public final class CallLink {

    private static final Logger log = LoggerFactory.getLogger(CallLink.class);

    /** Octets left in front of each packet read from the TUN: the L2TP data header and the PPP header. */
    public static final int HEADROOM = Session.HEADROOM + PppLink.HEADROOM;
    private static final long READER_EXIT_MILLIS = 5000;

    /** Looks at or rewrites (in place, same length) an IP packet as it passes; never takes ownership. */
    @FunctionalInterface
    public interface PacketFilter {
        /** Does nothing. */
        PacketFilter NONE = (protocol, ip) -> { };

        /** {@code protocol} is {@link PppLink#PROTO_IPV4} or {@link PppLink#PROTO_IPV6}; the buffer's readable bytes are the packet. */
        void apply(int protocol, ByteBuf ip);
    }

    private final Session session;
    private final PppLink ppp;
    private final ByteBufAllocator alloc;
    private final ScheduledExecutorService loop;
    private final CompletableFuture<PppEvent.Down> dead = new CompletableFuture<>();
    private volatile PacketFilter outbound = PacketFilter.NONE;
    private volatile PacketFilter inbound = PacketFilter.NONE;
    private volatile TunDevice tun;
    private volatile Thread reader;
    private volatile boolean closed;
    private boolean started; // event loop
    private Gro gro;          // event loop; with a vnet-header TUN
    private boolean groFlushQueued; // event loop
    private final Runnable groFlush = this::flushGro;
    private final Gro.Out toDevice = b -> tun.write(b); // one instance: no capture per packet

    /**
     * Joins a PPP link to {@code session} (event loop): the session's frames go to PPP from now on.
     * An LNS also returns {@link #receiver()} from its {@code SessionAcceptor}.
     *
     * @param events the owner's PPP event handler (on the loop); {@link #dead()} completes just before it sees {@code Down}
     */
    public CallLink(Session session, PppSettings options, PppLink.Settings settings, ScheduledExecutorService loop,
                    Consumer<PppEvent> events, ByteBufAllocator alloc, Random random) {
        this.session = session;
        this.alloc = alloc;
        this.loop = loop;
        this.ppp = new PppLink(options, settings, loop, session::send, e -> {
            if (e instanceof PppEvent.Down d) {
                dead.complete(d);
            }
            events.accept(e);
        }, alloc, random);
        session.receiver(ppp::input);
    }

    /** The L2TP session. */
    public Session session() {
        return session;
    }

    /** The PPP link. */
    public PppLink ppp() {
        return ppp;
    }

    /** Where the session delivers received PPP frames. */
    public FrameReceiver receiver() {
        return ppp::input;
    }

    /** Completes when PPP is dead (RFC 1661 Link Dead), with the reason; the same {@code Down} the owner receives. */
    public CompletableFuture<PppEvent.Down> dead() {
        return dead;
    }

    /** True once {@link #start} ran: PPP will report {@code Down} when it ends. Event loop. */
    public boolean started() {
        return started;
    }

    /** Sets the filters applied to IP packets going to the peer and coming from it (before {@link #attach}). */
    public void filters(PacketFilter toPeer, PacketFilter fromPeer) {
        this.outbound = toPeer;
        this.inbound = fromPeer;
    }

    /** The session is up: PPP starts (RFC 1661 §3.3, Establish phase). Event loop. */
    public void start() {
        started = true;
        ppp.start();
    }

    /** The session went away: PPP's lower layer is down. Event loop. */
    public void lowerDown(String why) {
        ppp.lowerDown(why);
    }

    /**
     * Connects the TUN: received IP packets are written to it, and a reader thread sends what it
     * reads. Call once, on the event loop, when the first NCP is up; {@code mtu} sizes the read
     * buffers. The device is the call's from now on.
     */
    public void attach(TunDevice device, int mtu) {
        if (tun != null) {
            throw new IllegalStateException("a TUN is already attached");
        }
        tun = device;
        if (closed) {
            device.close();
            return;
        }
        if (device.vnetHdr()) {
            gro = new Gro(alloc, device.udpSegmentation());
        }
        ppp.ipSink(this::toTun);
        Thread t = new Thread(() -> readLoop(device, Math.max(mtu, device.mtu())), "tun-reader-" + device.name());
        t.setDaemon(true);
        reader = t;
        t.start();
    }

    /** Stops writing received packets to the TUN (event loop); the reader keeps the device until {@link #close}. */
    public void detach() {
        ppp.ipSink(null);
    }

    private void toTun(int protocol, ByteBuf ip) {
        TunDevice d = tun;
        try {
            if (d != null && !closed) {
                inbound.apply(protocol, ip);
                Gro g = gro;
                if (g == null) {
                    d.write(ip);
                } else {
                    g.write(ip, toDevice);
                    if (g.pending() && !groFlushQueued) {
                        groFlushQueued = true;
                        loop.execute(groFlush); // after the rest of this batch of datagrams
                    }
                }
            }
        } catch (IOException e) {
            log.debug("{}: TUN write failed: {}", d.name(), e.getMessage());
        } finally {
            ip.release();
        }
    }

    /** Writes the packet {@link Gro} built from the last batch (event loop). */
    private void flushGro() {
        groFlushQueued = false;
        Gro g = gro;
        TunDevice d = tun;
        if (g == null || d == null) {
            return;
        }
        try {
            if (closed) {
                g.close();
            } else {
                g.flush(toDevice);
            }
        } catch (IOException e) {
            log.debug("{}: TUN write failed: {}", d.name(), e.getMessage());
        }
    }

    private void readLoop(TunDevice device, int mtu) {
        if (device.vnetHdr()) {
            readSegments(device);
            return;
        }
        int size = HEADROOM + Math.max(mtu, 1500);
        while (!closed) {
            ByteBuf buf = alloc.directBuffer(size);
            buf.writerIndex(HEADROOM).readerIndex(HEADROOM);
            int n;
            try {
                n = device.read(buf);
            } catch (IOException e) {
                buf.release();
                if (!closed) {
                    interfaceLost(device, e);
                }
                return;
            }
            if (n <= 0 || closed) {
                buf.release();
                if (n < 0 || closed) {
                    return;
                }
                continue;
            }
            send(buf);
        }
    }

    /**
     * The reader of a TUN with offloads. One read may be a TCP super-packet of up to 64 KiB, so
     * each read goes into a 64 KiB buffer, its {@link VnetHdr} in the headroom: a plain packet is
     * sent from there as it is ({@link Gso#unwrap}), a super-packet is cut by {@link Gso#split}
     * into packets with headroom of their own. The buffer is used again while the send path hands
     * it back at once (sendto done on this thread); one still queued (EAGAIN) is left to its queue.
     */
    private void readSegments(TunDevice device) {
        ByteBuf buf = null;
        Gso.Sink send = this::send;
        // The packets of one burst — a super-packet's segments, and what the next reads find
        // already waiting — leave as one UDP_SEGMENT send (SendBatch); flushed before the reader
        // would wait, so a packet is never held while nothing else comes.
        boolean batching = SendBatch.begin();
        int held = 0;
        try {
            while (!closed) {
                if (buf == null) {
                    buf = alloc.directBuffer(HEADROOM + 65536);
                }
                buf.clear().writerIndex(HEADROOM - VnetHdr.SIZE).readerIndex(HEADROOM - VnetHdr.SIZE);
                int n;
                try {
                    if (held > 0) {
                        n = held < MAX_HELD_READS ? device.readIfReady(buf) : 0;
                        if (n == 0) {
                            SendBatch.flush();
                            held = 0;
                            continue;
                        }
                    } else {
                        n = device.read(buf);
                    }
                } catch (IOException e) {
                    if (!closed) {
                        interfaceLost(device, e);
                    }
                    return;
                }
                if (n < 0 || closed) {
                    return;
                }
                if (n == 0) {
                    continue;
                }
                int kind = Gso.unwrap(buf);
                if (kind > 0) {
                    buf.retain(); // ours again if the send path is done with it when send returns
                    send(buf);
                    if (buf.refCnt() != 1) {
                        buf.release();
                        buf = null;
                    }
                } else if (kind < 0 || Gso.split(buf, HEADROOM, alloc, send) < 0) {
                    log.debug("{}: dropped a malformed offload packet ({} octets)", device.name(), n);
                }
                if (batching) {
                    held++;
                }
            }
        } finally {
            SendBatch.end();
            if (buf != null) {
                buf.release();
            }
        }
    }

    /** TUN reads whose packets one batch may hold before it is sent (it also ends itself when full). */
    private static final int MAX_HELD_READS = 64;

    private void send(ByteBuf buf) {
        if (closed) {
            buf.release();
            return;
        }
        int protocol = (buf.getByte(buf.readerIndex()) & 0xf0) >> 4 == 6 ? PppLink.PROTO_IPV6 : PppLink.PROTO_IPV4;
        outbound.apply(protocol, buf);
        ppp.sendIp(protocol, buf); // ownership passes; dropped there if that NCP is down
    }

    /**
     * The TUN failed under us while the call was up — typically the interface was deleted from
     * outside ({@code ip link del}: read(2) then fails with EBADFD). A session whose packets have
     * nowhere to go is of no use to anyone, and pppd ends the link when its unit goes away, so
     * this ends the call the same way: PPP closes administratively with the reason (LCP
     * Terminate-Request, RFC 1661 §3.7), the owner sees {@code Down} and releases the session
     * (CDN, RFC 2661 §5.4.3) and everything else as for any other end of the call. Reader thread.
     */
    private void interfaceLost(TunDevice device, IOException e) {
        String why = e instanceof InterfaceGoneException ? e.getMessage()
                : "interface " + device.name() + " lost (" + e.getMessage() + ")";
        log.warn("{}: TUN read failed, ending the call: {}", device.name(), e.getMessage());
        try {
            loop.execute(() -> ppp.close(why));
        } catch (RejectedExecutionException shuttingDown) {
            // the event loop is going away: the call ends with it
        }
    }

    /**
     * Releases what the call holds: stops the data path, closes the TUN (a Linux TUN interface
     * disappears with it) and waits for the reader thread to end. Idempotent. Not on the event loop.
     */
    public void close() {
        closed = true;
        TunDevice d = tun;
        if (d != null) {
            d.close();
        }
        Thread r = reader;
        if (r != null && r != Thread.currentThread()) {
            try {
                r.join(READER_EXIT_MILLIS); // closing the device wakes a blocked read at once
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (r.isAlive()) {
                log.warn("{}: TUN reader did not stop within {} ms", d == null ? "?" : d.name(), READER_EXIT_MILLIS);
            }
        }
    }

    /** True once {@link #close} ran and the reader thread (if any) has ended. */
    public boolean released() {
        Thread r = reader;
        return closed && (r == null || !r.isAlive());
    }
}
