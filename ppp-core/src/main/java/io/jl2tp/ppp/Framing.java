package io.jl2tp.ppp;

import io.jl2tp.ppp.auth.AuthMethod;
import io.jl2tp.ppp.ipcp.Ipcp;
import io.jl2tp.ppp.ipv6cp.Ipv6cp;
import io.jl2tp.ppp.lcp.Lcp;
import io.jl2tp.ppp.wire.CpPacket;
import io.jl2tp.ppp.wire.PppProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PPP framing over L2TP (RFC 2661 §5.1 carries HDLC-like frames without flags or FCS): the
 * address/control octets FF 03, omitted when the peer agreed to Address-and-Control-Field-
 * Compression (RFC 1662 §3.2, RFC 1661 §6.6), and the protocol field, one octet when the
 * peer agreed to Protocol-Field-Compression (RFC 1661 §6.5). pppd does this in the kernel's
 * ppp_generic and in {@code lcp.c}'s option flags.
 *
 * <p>Also both ends of the link's frames: {@link #decode} finds a received frame's protocol
 * (the link demultiplexes on it) and {@link #decodeControl} turns a control protocol's
 * information field into a packet, counting the malformed ones; on the transmit side control,
 * authentication and IP frames get their header here and go to the {@link PppLink.FrameSink}.
 *
 * <p>Threads: {@link #negotiated(boolean, boolean)}, {@link #decodeControl}, {@link #sendControl}
 * and {@link #sendAuth} run on the event loop; {@link #sendIp} on any thread (the TUN reader).
 * The compression in force is a volatile immutable snapshot; the frame counter a
 * {@link LongAdder}, as both threads send. The static methods keep no state.
 */
final class Framing {

    /** What we may compress when sending: the peer's ACFC and PFC as acknowledged by us. */
    record Negotiated(boolean acfc, boolean pfc) {
    }

    /** A received frame's protocol and where its information field starts. */
    record Header(int protocol, int offset) {
    }

    /** Headroom reserved in control frames for the layers below (L2TP, UDP, IP). */
    private static final int LOWER_HEADROOM = 24;

    private static final Logger log = LoggerFactory.getLogger(PppLink.class);

    private final ByteBufAllocator alloc;
    private final PppLink.FrameSink out;
    private final String logPrefix;
    private final LongAdder txFrames = new LongAdder();
    private volatile Negotiated current = new Negotiated(false, false);
    private volatile long malformed;          // control packets that did not decode; event loop writes

    Framing(ByteBufAllocator alloc, PppLink.FrameSink out, String logPrefix) {
        this.alloc = alloc;
        this.out = out;
        this.logPrefix = logPrefix;
    }

    /** LCP reached Opened: from now on, compress as the peer allowed. Event loop. */
    void negotiated(boolean acfc, boolean pfc) {
        current = new Negotiated(acfc, pfc);
    }

    /** The compression in force (any thread). */
    Negotiated current() {
        return current;
    }

    /** Decodes a received control packet; a malformed one is counted, logged at DEBUG and dropped (null). */
    CpPacket decodeControl(String proto, ByteBuf info) {
        try {
            CpPacket p = CpPacket.decode(info);
            if (log.isDebugEnabled()) {
                log.debug("{}rcvd [{} {}]", logPrefix, proto, p);
            }
            return p;
        } catch (PppProtocolException e) {
            malformed++;
            log.debug("{}malformed {} packet discarded: {}", logPrefix, proto, e.getMessage());
            return null;
        }
    }

    /** Control packets that did not decode so far (any thread). */
    long malformed() {
        return malformed;
    }

    /** Frames sent so far (any thread). */
    long txFrames() {
        return txFrames.sum();
    }

    /** Sends a control packet of {@code protocol} (event loop). */
    void sendControl(int protocol, CpPacket p) {
        if (log.isDebugEnabled()) {
            log.debug("{}sent [{} {}]", logPrefix, protocolName(protocol), p);
        }
        ByteBuf b = alloc.buffer(LOWER_HEADROOM + PppLink.HEADROOM + p.length());
        b.writerIndex(LOWER_HEADROOM + PppLink.HEADROOM).readerIndex(LOWER_HEADROOM + PppLink.HEADROOM);
        p.encode(b);
        // RFC 1661 §6.5/6.6: LCP packets are always sent with a 2-octet protocol and FF 03.
        prepend(b, protocol, protocol != Lcp.PROTOCOL && current.acfc(), false);
        txFrames.increment();
        out.send(b);
    }

    /** Sends an authentication packet (event loop); ownership of {@code packet} passes in. */
    void sendAuth(int protocol, ByteBuf packet) {
        ByteBuf b = alloc.buffer(LOWER_HEADROOM + PppLink.HEADROOM + packet.readableBytes());
        b.writerIndex(LOWER_HEADROOM + PppLink.HEADROOM).readerIndex(LOWER_HEADROOM + PppLink.HEADROOM);
        b.writeBytes(packet);
        packet.release();
        prepend(b, protocol, current.acfc(), false);
        txFrames.increment();
        out.send(b);
    }

    /** Sends an IP packet that has {@link PppLink#HEADROOM} before its readerIndex (any thread). */
    void sendIp(int protocol, ByteBuf ip) {
        Negotiated f = current;
        prepend(ip, protocol, f.acfc(), f.pfc());
        txFrames.increment();
        out.send(ip);
    }

    /**
     * Reads the header of a received frame without moving its indices: FF 03 may be absent in
     * either case (RFC 1662 §3.2 says a receiver accepts both once ACFC was offered; we accept
     * both always), a protocol whose first octet is odd is the compressed one-octet form
     * (RFC 1661 §6.5). Returns null for a frame too short to carry a protocol.
     */
    static Header decode(ByteBuf frame) {
        int r = frame.readerIndex();
        int end = frame.writerIndex();
        if (end - r >= 2 && frame.getUnsignedByte(r) == 0xff && frame.getUnsignedByte(r + 1) == 0x03) {
            r += 2;
        }
        if (end - r < 1) {
            return null;
        }
        if ((frame.getUnsignedByte(r) & 1) != 0) {
            return new Header(frame.getUnsignedByte(r), r + 1);
        }
        if (end - r < 2) {
            return null;
        }
        return new Header(frame.getUnsignedShort(r), r + 2);
    }

    /**
     * Writes the PPP header of {@code protocol} into the headroom before {@code buf}'s
     * readerIndex: 1 or 2 protocol octets (PFC, only for protocols below 0x100 with an odd low
     * octet), preceded by FF 03 unless ACFC; moves readerIndex back over it.
     *
     * @throws IndexOutOfBoundsException when the headroom is too small (a programming error)
     */
    static void prepend(ByteBuf buf, int protocol, boolean acfc, boolean pfc) {
        int r = buf.readerIndex();
        boolean shortProto = pfc && protocol < 0x100 && (protocol & 1) != 0;
        int hl = (acfc ? 0 : 2) + (shortProto ? 1 : 2);
        if (r < hl) {
            throw new IndexOutOfBoundsException("need " + hl + " octets of headroom, have " + r);
        }
        int i = r - hl;
        if (!acfc) {
            buf.setByte(i++, 0xff);
            buf.setByte(i++, 0x03);
        }
        if (shortProto) {
            buf.setByte(i, protocol);
        } else {
            buf.setShort(i, protocol);
        }
        buf.readerIndex(r - hl);
    }

    /** A control protocol's name for logs. */
    static String protocolName(int protocol) {
        return switch (protocol) {
            case Lcp.PROTOCOL -> "LCP";
            case Ipcp.PROTOCOL -> "IPCP";
            case Ipv6cp.PROTOCOL -> "IPV6CP";
            case AuthMethod.PROTOCOL_PAP -> "PAP";
            case AuthMethod.PROTOCOL_CHAP -> "CHAP";
            default -> "0x" + Integer.toHexString(protocol);
        };
    }
}
