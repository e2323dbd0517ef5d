package io.jl2tp.l2tp.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.unix.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.InetSocketAddress;

/**
 * Data messages a TUN reader sends in one burst, leaving in one system call: UDP generic
 * segmentation offload ({@code UDP_SEGMENT}, Linux 4.18). While a thread has a batch open
 * ({@link #begin}), the data messages it sends through an epoll {@link L2tpSocket} from off the
 * event loop are copied, back to back, into one buffer of that thread instead of being sent one
 * {@code write}/{@code sendto} each; {@link #flush} sends them as one {@code sendmmsg(2)} message
 * with a {@code UDP_SEGMENT} control message giving the datagrams' length. The kernel takes the
 * run through its UDP and IP output once and cuts it into the same datagrams — in the device
 * driver or the NIC where it can, else just before the device — so what reaches the wire, and
 * the peer, is byte for byte what separate sends would have produced.
 *
 * <p>A run holds datagrams of one length to one destination from one socket; a shorter datagram
 * ends it (it may only be the last, as {@code udp_send_skb} demands), and so does another length
 * or destination, {@value #MAX_SEGMENTS} datagrams ({@code UDP_MAX_SEGMENTS}) or
 * {@value #CAPACITY} octets. One datagram alone is sent as before. Where the kernel or the route
 * refuses segmentation, the run is sent one datagram at a time: datagrams longer than the path
 * MTU ({@code EMSGSIZE}; IP fragmentation is per datagram) are not batched again; other
 * refusals — no checksum offload on the outgoing device ({@code EIO}), an old kernel
 * ({@code ENOPROTOOPT}, {@code EINVAL}) — after {@value #REFUSALS_BEFORE_OFF} of them stop
 * batching on that socket for good. A full send buffer
 * ({@code EAGAIN}) hands each datagram to the event loop, as for a single send.
 *
 * <p>Netty's {@code sendmmsg} binding, which writes the {@code UDP_SEGMENT} control message, is
 * package-private: it is reached through method handles, as {@code DirectSend} reaches
 * {@code sendToAddress}; where that fails (another Netty), {@link #begin} leaves batching off.
 * One batch per thread; not for the event loop (its sends go through the channel).
 */
public final class SendBatch {

    private static final Logger log = LoggerFactory.getLogger(SendBatch.class);

    /** {@code UDP_MAX_SEGMENTS} of Linux 4.18–6.x (later kernels allow 128). */
    static final int MAX_SEGMENTS = 64;
    /**
     * Octets of UDP payload per run (22 datagrams of a 1 460-octet MTU): what Netty's per-thread
     * buffer cache still holds, allocated at a thread's first datagram.
     */
    static final int CAPACITY = 32 * 1024;
    /** Refused runs after which a socket sends one datagram at a time only. */
    static final int REFUSALS_BEFORE_OFF = 8;

    private static final ThreadLocal<SendBatch> CURRENT = new ThreadLocal<>();
    /**
     * Netty's NativeDatagramPacketArray, taken for the length of one sendmmsg call and put back:
     * each holds 1 024 message slots (~130 KiB of heap and native memory), so they are shared by
     * all batching threads — an LNS has one per call — and number at most the sends in progress
     * at once (about the cores), not the threads. Process-wide, like Netty's own pools.
     */
    private static final java.util.concurrent.ConcurrentLinkedQueue<Object> ARRAYS =
            new java.util.concurrent.ConcurrentLinkedQueue<>();

    private ByteBuf buf; // allocated at the first datagram
    private L2tpSocket.DirectSink sink;
    private InetSocketAddress to;
    private int segment;
    private int count;
    private boolean closedRun; // a shorter datagram came last: nothing may follow it

    private SendBatch() {
    }

    /**
     * Opens a batch on this thread, if Netty's binding is reachable (else sends stay one by one).
     * Returns whether batching is on. Idempotent.
     */
    public static boolean begin() {
        if (CURRENT.get() != null) {
            return true;
        }
        if (!Gso.AVAILABLE || Boolean.getBoolean("jl2tp.udp.gso.off")) {
            return false;
        }
        CURRENT.set(new SendBatch());
        return true;
    }

    /** Sends what this thread's batch holds (nothing if none is open). */
    public static void flush() {
        SendBatch b = CURRENT.get();
        if (b != null) {
            b.send();
        }
    }

    /** Sends what this thread's batch holds and closes it. Idempotent. */
    public static void end() {
        SendBatch b = CURRENT.get();
        if (b == null) {
            return;
        }
        CURRENT.remove();
        try {
            b.send();
        } finally {
            if (b.buf != null) {
                b.buf.release();
            }
        }
    }

    /** This thread's open batch, or null. */
    static SendBatch current() {
        return CURRENT.get();
    }

    /**
     * Takes {@code datagram} (its readable bytes; released here) for {@code to} through
     * {@code sink}. Returns false, having taken nothing, if it cannot be batched: the caller sends
     * it alone.
     */
    boolean add(L2tpSocket.DirectSink sink, ByteBuf datagram, InetSocketAddress to) {
        int len = datagram.readableBytes();
        if (len == 0 || len > sink.longestSegment() || !sink.gso()) {
            return false;
        }
        if (count > 0 && (sink != this.sink || closedRun || len > segment || count == MAX_SEGMENTS
                || buf.writerIndex() + len > CAPACITY || !(to == this.to || to.equals(this.to)))) {
            send();
        }
        if (count == 0) {
            this.sink = sink;
            this.to = to;
            this.segment = len;
            if (buf == null) {
                buf = PooledByteBufAllocator.DEFAULT.directBuffer(CAPACITY, CAPACITY);
            }
            buf.clear();
        }
        buf.writeBytes(datagram, datagram.readerIndex(), len);
        datagram.release();
        count++;
        closedRun = len < segment;
        return true;
    }

    /** Sends the run held, if any. */
    private void send() {
        int n = count;
        if (n == 0) {
            return;
        }
        count = 0;
        closedRun = false;
        L2tpSocket.DirectSink s = sink;
        InetSocketAddress dest = to;
        sink = null;
        to = null;
        if (n == 1) {
            s.sendAlone(buf.retainedSlice(0, buf.writerIndex()), dest, true);
            return;
        }
        int len = buf.writerIndex();
        int sent;
        try {
            sent = s.sendSegmented(this, buf, len, segment, dest);
        } catch (IOException e) {
            if (refusal(e)) {
                s.refused(e, segment);
                sendEach(s, len, dest);
            } else {
                s.failed(dest, e, n); // unreachable, refused by the peer, closed: lost, as one by one
            }
            return;
        }
        if (sent == 0) {
            sendEach(s, len, dest); // EAGAIN: each to the channel, which waits for EPOLLOUT
        } else {
            s.segmented(n);
        }
    }

    private void sendEach(L2tpSocket.DirectSink s, int len, InetSocketAddress dest) {
        for (int off = 0; off < len; off += segment) {
            s.sendAlone(buf.retainedSlice(off, Math.min(segment, len - off)), dest, true);
        }
    }

    /**
     * Errors that mean "not segmented here", not "not sendable": EIO (no checksum offload on the
     * device), EINVAL and ENOPROTOOPT (kernel), EMSGSIZE (a datagram longer than the path MTU,
     * which alone would be fragmented), EOPNOTSUPP. A datagram that cannot be sent at all fails
     * again when sent alone, and is counted then.
     */
    static boolean refusal(IOException e) {
        if (e instanceof Errors.NativeIoException nio) {
            int err = -nio.expectedErr();
            return err == 5 || err == 22 || err == 90 || err == 92 || err == 95;
        }
        return false;
    }

    /** One sendmmsg(2) of one message: {@code len} octets of {@code b} cut into {@code segment}s. */
    int sendmmsg(int fd, boolean ipv6, ByteBuf b, int len, int segment, InetSocketAddress recipient) throws IOException {
        Object packets = ARRAYS.poll();
        try {
            if (packets == null) {
                packets = Gso.NEW_ARRAY.invokeExact();
            }
            Gso.CLEAR.invokeExact(packets);
            if (!(boolean) Gso.ADD.invokeExact(packets, b, 0, len, segment, recipient)) {
                throw new IOException("sendmmsg: the message did not fit");
            }
            return (int) Gso.SENDMMSG.invokeExact(fd, ipv6, (Object) Gso.PACKETS.invokeExact(packets), 0, 1);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException(t);
        } finally {
            if (packets != null) {
                ARRAYS.offer(packets);
            }
        }
    }

    /** Netty's sendmmsg binding, through method handles (package-private in Netty). */
    static final class Gso {
        static final boolean AVAILABLE;
        static final MethodHandle NEW_ARRAY;  // () Object
        static final MethodHandle ADD;        // (Object, ByteBuf, int, int, int, InetSocketAddress) boolean
        static final MethodHandle PACKETS;    // (Object) Object
        static final MethodHandle CLEAR;      // (Object) void
        static final MethodHandle SENDMMSG;   // (int, boolean, Object, int, int) int

        static {
            MethodHandle newArray = null, add = null, packets = null, clear = null, sendmmsg = null;
            boolean ok = false;
            try {
                Class<?> native_ = Class.forName("io.netty.channel.epoll.Native");
                Class<?> array = Class.forName("io.netty.channel.epoll.NativeDatagramPacketArray");
                Class<?> packet = Class.forName("io.netty.channel.epoll.NativeDatagramPacketArray$NativeDatagramPacket");
                MethodHandles.Lookup l = MethodHandles.privateLookupIn(array, MethodHandles.lookup());
                newArray = l.findConstructor(array, MethodType.methodType(void.class))
                        .asType(MethodType.methodType(Object.class));
                add = l.findVirtual(array, "add0", MethodType.methodType(boolean.class, ByteBuf.class, int.class,
                        int.class, int.class, InetSocketAddress.class))
                        .asType(MethodType.methodType(boolean.class, Object.class, ByteBuf.class, int.class,
                                int.class, int.class, InetSocketAddress.class));
                packets = l.findVirtual(array, "packets", MethodType.methodType(packet.arrayType()))
                        .asType(MethodType.methodType(Object.class, Object.class));
                clear = l.findVirtual(array, "clear", MethodType.methodType(void.class))
                        .asType(MethodType.methodType(void.class, Object.class));
                MethodHandles.Lookup n = MethodHandles.privateLookupIn(native_, MethodHandles.lookup());
                sendmmsg = n.findStatic(native_, "sendmmsg", MethodType.methodType(int.class, int.class,
                        boolean.class, packet.arrayType(), int.class, int.class))
                        .asType(MethodType.methodType(int.class, int.class, boolean.class, Object.class, int.class,
                                int.class));
                ok = io.netty.channel.epoll.Epoll.isAvailable()
                        && (boolean) native_.getField("IS_SUPPORTING_SENDMMSG").get(null);
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                log.debug("UDP segmentation unavailable (Netty's sendmmsg binding): {}", e.toString());
            }
            NEW_ARRAY = newArray;
            ADD = add;
            PACKETS = packets;
            CLEAR = clear;
            SENDMMSG = sendmmsg;
            AVAILABLE = ok;
        }

        private Gso() {
        }
    }

    /** For tests: whether this machine's Netty exposes what batching needs. */
    public static boolean available() {
        return Gso.AVAILABLE;
    }
}
