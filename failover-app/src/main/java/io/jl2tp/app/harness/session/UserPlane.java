package io.jl2tp.app.harness.session;

import io.jl2tp.app.link.CallLink;
import io.jl2tp.ppp.PppLink;
import io.jl2tp.tun.testing.Packets;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A session terminated in user space, the harness's stand-in for a TUN interface: IP packets
 * PPP delivers are counted (packets, octets, per direction) and ICMP / ICMPv6 Echo Requests
 * (RFC 792, RFC 4443 §4.1) are answered at once, whatever their destination — so one process
 * holds thousands of sessions without root and without a thread per session. It also sends its
 * own Echo Requests ({@link #ping}) and times the replies.
 *
 * <p>Threads: the event loop only (PPP delivers there and {@link #ping} must be called there).
 */
public final class UserPlane implements PppLink.IpSink {

    private final PppLink ppp;
    private final ByteBufAllocator alloc;
    private final int echoId;
    private final Map<Integer, Long> pending = new HashMap<>();
    private final List<Long> rttNanos = new ArrayList<>();
    private int nextSeq;
    long rxPackets;
    long rxOctets;
    long txPackets;
    long txOctets;
    long echoAnswered;
    long echoRepliesReceived;
    CallStreams streams;  // the call's traffic stream, if any: takes its packets before the copy below

    /** Answers and counts the IP traffic of {@code ppp} from now on (it becomes the link's IP sink). */
    public UserPlane(PppLink ppp, ByteBufAllocator alloc, int echoId) {
        this.ppp = ppp;
        this.alloc = alloc;
        this.echoId = echoId & 0xffff;
        ppp.ipSink(this);
    }

    @Override
    public void packet(int protocol, ByteBuf ip) {
        if (streams != null && protocol == PppLink.PROTO_IPV4 && streams.receive(ip)) {
            rxPackets++;
            rxOctets += ip.readableBytes();
            ip.release();
            return;
        }
        byte[] p;
        try {
            rxPackets++;
            rxOctets += ip.readableBytes();
            p = new byte[ip.readableBytes()];
            ip.getBytes(ip.readerIndex(), p);
        } finally {
            ip.release();
        }
        int type = protocol == PppLink.PROTO_IPV4 ? IcmpEcho.icmp4Type(p) : IcmpEcho.icmp6Type(p);
        boolean v4 = protocol == PppLink.PROTO_IPV4;
        if (v4 ? type == 8 && Packets.isIcmpEchoRequest(p) : type == 128 && Packets.isIcmp6EchoRequest(p)) {
            echoAnswered++;
            send(protocol, Packets.echoReply(p));
        } else if (v4 ? type == 0 : type == 129) {
            int off = IcmpEcho.icmpOffset(p);
            int id = ((p[off + 4] & 0xff) << 8) | (p[off + 5] & 0xff);
            int seq = ((p[off + 6] & 0xff) << 8) | (p[off + 7] & 0xff);
            Long sent = id == echoId ? pending.remove(seq) : null;
            if (sent != null) {
                echoRepliesReceived++;
                rttNanos.add(System.nanoTime() - sent);
            }
        }
    }

    /** Sends one Echo Request from {@code src} to {@code dst} with 56 octets of data. Event loop. */
    public void ping(InetAddress src, InetAddress dst) {
        int seq = nextSeq++ & 0xffff;
        pending.put(seq, System.nanoTime());
        send(src.getAddress().length == 4 ? PppLink.PROTO_IPV4 : PppLink.PROTO_IPV6, IcmpEcho.request(src, dst, echoId, seq, 56));
    }

    private void send(int protocol, byte[] packet) {
        ByteBuf buf = alloc.buffer(CallLink.HEADROOM + packet.length);
        buf.writerIndex(CallLink.HEADROOM).readerIndex(CallLink.HEADROOM);
        buf.writeBytes(packet);
        send(protocol, buf);
    }

    /** Sends one IP packet ({@code buf}'s readable bytes, {@link CallLink#HEADROOM} before them) and counts it. */
    void send(int protocol, ByteBuf buf) {
        txPackets++;
        txOctets += buf.readableBytes();
        ppp.sendIp(protocol, buf);
    }

    /** Round-trip times of the answered pings so far, in nanoseconds. */
    public List<Long> rttNanos() {
        return List.copyOf(rttNanos);
    }

    /** Pings still unanswered. */
    public int unanswered() {
        return pending.size();
    }

    /** Counters: rx packets, rx octets, tx packets, tx octets, echoes answered, echo replies received. */
    public long[] counters() {
        return new long[] {rxPackets, rxOctets, txPackets, txOctets, echoAnswered, echoRepliesReceived};
    }
}
