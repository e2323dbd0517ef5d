package io.jl2tp.tun.netlink;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import io.jl2tp.tun.linux.Errno;
import io.jl2tp.tun.linux.LibC;
import io.jl2tp.tun.linux.NativeIoException;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * rtnetlink (NETLINK_ROUTE) without the {@code ip} command: addresses, routes, link state and
 * MTU, route dumps, and link/address events. Every request asks for an acknowledgement; a kernel
 * error becomes a {@link NetlinkException} naming the request as {@code ip} would print it.
 *
 * <p>The socket belongs to the network namespace of the thread that opened it. Requests are
 * synchronous and serialised on this object.
 */
public final class RtNetlink implements AutoCloseable {

    static final int NETLINK_ROUTE = 0;
    static final short RTM_NEWLINK = 16;
    static final short RTM_DELLINK = 17;
    static final short RTM_GETLINK = 18;
    static final short RTM_NEWADDR = 20;
    static final short RTM_DELADDR = 21;
    static final short RTM_GETADDR = 22;
    static final short RTM_NEWROUTE = 24;
    static final short RTM_DELROUTE = 25;
    static final short RTM_GETROUTE = 26;
    static final int NLM_F_REQUEST = 1;
    static final int NLM_F_MULTI = 2;
    static final int NLM_F_ACK = 4;
    static final int NLM_F_DUMP = 0x300;
    static final int NLM_F_REPLACE = 0x100;
    static final int NLM_F_EXCL = 0x200;
    static final int NLM_F_CREATE = 0x400;
    static final int NLMSG_ERROR = 2;
    static final int NLMSG_DONE = 3;
    static final int IFLA_IFNAME = 3;
    static final int IFLA_MTU = 4;
    static final int IFA_ADDRESS = 1;
    static final int IFA_LOCAL = 2;
    static final int RTA_DST = 1;
    static final int RTA_OIF = 4;
    static final int RTA_GATEWAY = 5;
    static final int RTA_PRIORITY = 6;
    static final int RTA_METRICS = 8;
    static final int RTA_TABLE = 15;
    static final int RTAX_MTU = 2;
    static final int IFF_UP = 0x1;
    static final int IFF_RUNNING = 0x40;
    static final int RTPROT_BOOT = 3;
    static final int RT_SCOPE_UNIVERSE = 0;
    static final int RT_SCOPE_LINK = 253;
    static final int RT_SCOPE_NOWHERE = 255;
    static final int RTN_UNICAST = 1;
    static final int RTMGRP_LINK = 1;
    static final int RTMGRP_IPV4_IFADDR = 0x10;
    static final int RTMGRP_IPV6_IFADDR = 0x100;
    static final int RTMGRP_IPV4_ROUTE = 0x40;
    static final int RTMGRP_IPV6_ROUTE = 0x400;
    private static final int ENOBUFS = 105;

    private final int fd;
    private final Memory rx = new Memory(1 << 16);
    private int seq = (int) (System.nanoTime() & 0x7fffffff);
    private volatile boolean closed;

    private RtNetlink(int fd) {
        this.fd = fd;
    }

    /** Opens a request socket in the calling thread's network namespace. */
    public static RtNetlink open() throws NativeIoException {
        return new RtNetlink(openSocket(0));
    }

    static int openSocket(int groups) throws NativeIoException {
        int fd;
        try {
            fd = LibC.socket(LibC.AF_NETLINK, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, NETLINK_ROUTE);
        } catch (LastErrorException e) {
            throw new NativeIoException("socket(AF_NETLINK, NETLINK_ROUTE)", e.getErrorCode(), null);
        }
        Memory sa = new Memory(12);
        sa.clear();
        sa.setShort(0, (short) LibC.AF_NETLINK);
        sa.setInt(8, groups);
        try {
            LibC.bind(fd, sa, 12);
        } catch (LastErrorException e) {
            try {
                LibC.close(fd);
            } catch (LastErrorException ignored) {
                // closing a socket that failed to bind
            }
            throw new NativeIoException("bind(AF_NETLINK groups=0x" + Integer.toHexString(groups) + ")", e.getErrorCode(), null);
        }
        return fd;
    }

    // ---- message building ----

    private static final class Msg {
        final ByteBuffer b = ByteBuffer.allocate(1024).order(ByteOrder.nativeOrder());

        Msg(short type, int flags, int seq) {
            b.putInt(0).putShort(type).putShort((short) flags).putInt(seq).putInt(0);
        }

        Msg attr(int type, byte[] data) {
            int len = 4 + data.length;
            b.putShort((short) len).putShort((short) type).put(data);
            pad();
            return this;
        }

        Msg attrInt(int type, int v) {
            return attr(type, ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(v).array());
        }

        void pad() {
            while ((b.position() & 3) != 0) {
                b.put((byte) 0);
            }
        }

        byte[] finish() {
            b.putInt(0, b.position());
            byte[] out = new byte[b.position()];
            b.get(0, out);
            return out;
        }
    }

    private synchronized List<ByteBuffer> transact(Msg m, String what, boolean dump) throws IOException {
        if (closed) {
            throw new IOException("netlink socket closed");
        }
        int mySeq = ++seq;
        m.b.putInt(8, mySeq);
        byte[] req = m.finish();
        Memory out = new Memory(req.length);
        out.write(0, req, 0, req.length);
        try {
            LibC.send(fd, out, req.length, 0);
        } catch (LastErrorException e) {
            throw new NativeIoException("send(netlink " + what + ")", e.getErrorCode(), null);
        }
        List<ByteBuffer> replies = new ArrayList<>();
        while (true) {
            long n;
            try {
                n = LibC.recv(fd, rx, rx.size(), 0);
            } catch (LastErrorException e) {
                throw new NativeIoException("recv(netlink " + what + ")", e.getErrorCode(), null);
            }
            ByteBuffer buf = rx.getByteBuffer(0, n).order(ByteOrder.nativeOrder());
            while (buf.remaining() >= 16) {
                int start = buf.position();
                int len = buf.getInt(start);
                short type = buf.getShort(start + 4);
                int rseq = buf.getInt(start + 8);
                if (len < 16 || len > buf.limit() - start) { // not start + len: it overflows for a huge len
                    throw new IOException("malformed netlink reply to " + what + ": length " + len);
                }
                // Copy: the receive buffer is reused by the next recv() of a multi-part dump.
                ByteBuffer one = ByteBuffer.allocate(len).order(ByteOrder.nativeOrder());
                one.put(0, buf, start, len);
                buf.position(Math.min(buf.limit(), start + ((len + 3) & ~3)));
                if (rseq != mySeq) {
                    continue; // a stale reply to an earlier request
                }
                if (type == NLMSG_ERROR) {
                    int err = one.getInt(16);
                    if (err == 0) {
                        return replies; // ACK
                    }
                    throw new NetlinkException(what, -err);
                }
                if (type == NLMSG_DONE) {
                    return replies;
                }
                replies.add(one);
            }
            boolean wantsAck = (m.b.getShort(6) & NLM_F_ACK) != 0;
            if (!dump && !wantsAck && !replies.isEmpty()) {
                return replies; // a single answer to a plain get request
            }
        }
    }

    // ---- links ----

    /** The index of interface {@code name}; {@link NetlinkException} (ENODEV) if there is none. */
    public int linkIndex(String name) throws IOException {
        Msg m = new Msg(RTM_GETLINK, NLM_F_REQUEST, 0);
        m.b.put((byte) 0).put((byte) 0).putShort((short) 0).putInt(0).putInt(0).putInt(0);
        byte[] n = (name + "\0").getBytes(StandardCharsets.UTF_8);
        m.attr(IFLA_IFNAME, n);
        try {
            List<ByteBuffer> r = transact(m, "RTM_GETLINK " + name, false);
            for (ByteBuffer b : r) {
                return b.getInt(16 + 4);
            }
        } catch (NetlinkException e) {
            if (e.notFound()) {
                throw new NetlinkException("no such interface: RTM_GETLINK " + name, Errno.ENODEV);
            }
            throw e;
        }
        throw new NetlinkException("no such interface: RTM_GETLINK " + name, Errno.ENODEV);
    }

    /** All links: index → name. */
    public List<NetlinkEvent.LinkEvent> links() throws IOException {
        Msg m = new Msg(RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, 0);
        m.b.put((byte) 0).put((byte) 0).putShort((short) 0).putInt(0).putInt(0).putInt(0);
        List<NetlinkEvent.LinkEvent> out = new ArrayList<>();
        for (ByteBuffer b : transact(m, "RTM_GETLINK (dump)", true)) {
            NetlinkEvent e = parse(b);
            if (e instanceof NetlinkEvent.LinkEvent l) {
                out.add(l);
            }
        }
        return out;
    }

    /** The interface's name for messages ({@code #N} if it is gone, null for 0); never throws. */
    public String nameOf(int ifindex) {
        try {
            for (NetlinkEvent.LinkEvent l : links()) {
                if (l.ifindex() == ifindex) {
                    return l.name();
                }
            }
        } catch (IOException ignored) {
            // only for messages
        }
        return ifindex == 0 ? null : "#" + ifindex;
    }

    private Msg link(int ifindex, int flags, int change) {
        Msg m = new Msg(RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK, 0);
        m.b.put((byte) 0).put((byte) 0).putShort((short) 0).putInt(ifindex).putInt(flags).putInt(change);
        return m;
    }

    /** Sets the link up or down. */
    public void setLinkUp(int ifindex, boolean up) throws IOException {
        transact(link(ifindex, up ? IFF_UP : 0, IFF_UP), "RTM_NEWLINK dev " + nameOf(ifindex) + (up ? " up" : " down"), false);
    }

    /** Sets the MTU. */
    public void setMtu(int ifindex, int mtu) throws IOException {
        transact(link(ifindex, 0, 0).attrInt(IFLA_MTU, mtu), "RTM_NEWLINK dev " + nameOf(ifindex) + " mtu " + mtu, false);
    }

    // ---- addresses ----

    private Msg address(short type, int flags, int ifindex, InetAddress local, int prefix, InetAddress peer, int scope) {
        Msg m = new Msg(type, flags, 0);
        int family = local instanceof Inet6Address ? LibC.AF_INET6 : LibC.AF_INET;
        m.b.put((byte) family).put((byte) prefix).put((byte) 0).put((byte) scope).putInt(ifindex);
        m.attr(IFA_LOCAL, local.getAddress());
        m.attr(IFA_ADDRESS, (peer != null ? peer : local).getAddress());
        return m;
    }

    private static String addrText(InetAddress local, int prefix, InetAddress peer) {
        return local.getHostAddress() + (peer != null ? " peer " + peer.getHostAddress() : "") + "/" + prefix;
    }

    /**
     * Adds {@code local/prefix} to the interface, with a point-to-point {@code peer} (as pppd
     * sets them: {@code 198.51.100.128 peer 198.51.100.1/32}) or none.
     */
    public void addAddress(int ifindex, InetAddress local, int prefix, InetAddress peer) throws IOException {
        int scope = local.isLinkLocalAddress() ? RT_SCOPE_LINK : RT_SCOPE_UNIVERSE;
        transact(address(RTM_NEWADDR, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, ifindex, local, prefix, peer, scope),
                "RTM_NEWADDR " + addrText(local, prefix, peer) + " dev " + nameOf(ifindex), false);
    }

    /** Removes an address. */
    public void deleteAddress(int ifindex, InetAddress local, int prefix, InetAddress peer) throws IOException {
        transact(address(RTM_DELADDR, NLM_F_REQUEST | NLM_F_ACK, ifindex, local, prefix, peer, 0),
                "RTM_DELADDR " + addrText(local, prefix, peer) + " dev " + nameOf(ifindex), false);
    }

    /** The addresses of every link (family AF_UNSPEC = both). */
    public List<NetlinkEvent.AddressEvent> addresses() throws IOException {
        Msg m = new Msg(RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP, 0);
        m.b.put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 0).putInt(0);
        List<NetlinkEvent.AddressEvent> out = new ArrayList<>();
        for (ByteBuffer b : transact(m, "RTM_GETADDR (dump)", true)) {
            if (parse(b) instanceof NetlinkEvent.AddressEvent a) {
                out.add(a);
            }
        }
        return out;
    }

    // ---- routes ----

    private Msg route(short type, int flags, Route r, boolean forDelete) {
        Msg m = new Msg(type, flags, 0);
        boolean v6 = r.ipv6();
        m.b.put((byte) (v6 ? LibC.AF_INET6 : LibC.AF_INET)).put((byte) r.prefixLength()).put((byte) 0).put((byte) 0)
                .put((byte) (r.table() < 256 ? r.table() : 0))
                .put((byte) (forDelete ? 0 : RTPROT_BOOT))
                .put((byte) (forDelete ? RT_SCOPE_NOWHERE : r.scopeLink() ? RT_SCOPE_LINK : RT_SCOPE_UNIVERSE))
                .put((byte) RTN_UNICAST).putInt(0);
        if (r.prefixLength() > 0 && r.destination() != null) {
            m.attr(RTA_DST, r.destination().getAddress());
        }
        if (r.gateway() != null) {
            m.attr(RTA_GATEWAY, r.gateway().getAddress());
        }
        if (r.ifindex() > 0) {
            m.attrInt(RTA_OIF, r.ifindex());
        }
        if (r.metric() >= 0) {
            m.attrInt(RTA_PRIORITY, r.metric());
        }
        m.attrInt(RTA_TABLE, r.table());
        return m;
    }

    private String routeText(String op, Route r) {
        return op + (r.ipv6() ? " (inet6) " : " ") + r.describe(r.ifindex() > 0 ? nameOf(r.ifindex()) : null);
    }

    /** {@code ip route add}: fails with EEXIST if the same route exists. */
    public void addRoute(Route r) throws IOException {
        transact(route(RTM_NEWROUTE, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, r, false),
                routeText("RTM_NEWROUTE", r), false);
    }

    /** {@code ip route replace}: creates or replaces. */
    public void replaceRoute(Route r) throws IOException {
        transact(route(RTM_NEWROUTE, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_REPLACE, r, false),
                routeText("RTM_NEWROUTE (replace)", r), false);
    }

    /** {@code ip route del}: fails with ESRCH if there is no such route. */
    public void deleteRoute(Route r) throws IOException {
        transact(route(RTM_DELROUTE, NLM_F_REQUEST | NLM_F_ACK, r, true), routeText("RTM_DELROUTE", r), false);
    }

    /** Unicast routes of one family (IPv4 if {@code ipv6} is false) in every table. */
    public List<Route> routes(boolean ipv6) throws IOException {
        Msg m = new Msg(RTM_GETROUTE, NLM_F_REQUEST | NLM_F_DUMP, 0);
        m.b.put((byte) (ipv6 ? LibC.AF_INET6 : LibC.AF_INET)).put((byte) 0).put((byte) 0).put((byte) 0)
                .put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 0).putInt(0);
        List<Route> out = new ArrayList<>();
        for (ByteBuffer b : transact(m, "RTM_GETROUTE (dump)", true)) {
            Route r = parseRoute(b);
            if (r != null) {
                out.add(r);
            }
        }
        return out;
    }

    /**
     * The path MTU towards {@code dst} as the kernel would use it: {@code ip route get DST}
     * (RTM_GETROUTE), then the route's {@code mtu} metric (RTAX_MTU: a configured route MTU or a
     * learnt path MTU) if it has one, else the MTU of the interface it leaves through.
     */
    public PathMtu pathMtu(InetAddress dst) throws IOException {
        boolean v6 = dst instanceof Inet6Address;
        Msg m = new Msg(RTM_GETROUTE, NLM_F_REQUEST, 0);
        // rtmsg: family, dst_len, src_len, tos, table, protocol, scope, type, flags
        m.b.put((byte) (v6 ? LibC.AF_INET6 : LibC.AF_INET)).put((byte) (v6 ? 128 : 32)).put((byte) 0).put((byte) 0)
                .put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 0).putInt(0);
        m.attr(RTA_DST, dst.getAddress());
        String what = "RTM_GETROUTE " + dst.getHostAddress();
        for (ByteBuffer b : transact(m, what, false)) {
            if (b.getShort(4) != RTM_NEWROUTE || b.getInt(0) < 28) {
                continue;
            }
            int[] oif = {0};
            int[] mtu = {0};
            attrs(b, 28, (t, v) -> {
                if (t == RTA_OIF && v.remaining() >= 4) {
                    oif[0] = v.getInt(0);
                } else if (t == RTA_METRICS) {
                    // nested rtattrs: RTAX_* (RFC 3549 §3.1.1 leaves them to the implementation)
                    int off = 0;
                    while (off + 4 <= v.remaining()) {
                        int len = v.getShort(off) & 0xffff;
                        int type = v.getShort(off + 2) & 0x7fff;
                        if (len < 4 || off + len > v.remaining()) {
                            break;
                        }
                        if (type == RTAX_MTU && len >= 8) {
                            mtu[0] = v.getInt(off + 4);
                        }
                        off += (len + 3) & ~3;
                    }
                }
            });
            if (mtu[0] > 0) {
                return new PathMtu(mtu[0], oif[0], true);
            }
            if (oif[0] > 0) {
                return new PathMtu(linkMtu(oif[0]), oif[0], false);
            }
        }
        throw new IOException(what + ": no route");
    }

    /**
     * The MTU of the way to a destination.
     *
     * @param mtu       octets
     * @param ifindex   the interface the route leaves through
     * @param fromRoute true if the route's own mtu metric (configured or learnt) decided, false
     *                  if the interface's MTU did
     */
    public record PathMtu(int mtu, int ifindex, boolean fromRoute) {
    }

    /** The MTU of interface {@code ifindex} (IFLA_MTU). */
    public int linkMtu(int ifindex) throws IOException {
        Msg m = new Msg(RTM_GETLINK, NLM_F_REQUEST, 0);
        m.b.put((byte) 0).put((byte) 0).putShort((short) 0).putInt(ifindex).putInt(0).putInt(0);
        for (ByteBuffer b : transact(m, "RTM_GETLINK #" + ifindex, false)) {
            int[] mtu = {-1};
            attrs(b, 32, (t, v) -> {
                if (t == IFLA_MTU && v.remaining() >= 4) {
                    mtu[0] = v.getInt(0);
                }
            });
            if (mtu[0] > 0) {
                return mtu[0];
            }
        }
        throw new NetlinkException("RTM_GETLINK #" + ifindex + ": no MTU", Errno.ENODEV);
    }

    /**
     * The gateway of the lowest-metric default route through {@code ifindex} in the main table
     * (how the dialer learns the 4G router's address instead of hard-coding it).
     */
    public Optional<InetAddress> defaultGateway(int ifindex, boolean ipv6) throws IOException {
        return routes(ipv6).stream()
                .filter(r -> r.isDefault() && r.ifindex() == ifindex && r.gateway() != null && r.table() == Route.MAIN)
                .min((a, b) -> Integer.compare(Math.max(a.metric(), 0), Math.max(b.metric(), 0)))
                .map(Route::gateway);
    }

    /**
     * Sets {@code net.ipv6.conf.IFNAME.accept_ra} (0, 1, or 2 = also when forwarding). Done via
     * /proc/sys, which belongs to the network namespace of the calling thread.
     */
    public static void setAcceptRa(String ifname, int value) throws IOException {
        setIpv6Conf(ifname, "accept_ra", value);
    }

    /**
     * {@code addr_gen_mode} = 1 (none): the kernel makes no link-local address of its own, as
     * on a pppd interface, so the one IPV6CP negotiates is the only one. That address is then
     * "lonely", and adding it makes the kernel send its Router Solicitation once the link can
     * carry it (a solicitation sent at link-up, before IPV6CP is open, would be dropped).
     */
    public static void disableIpv6AddrGen(String ifname) throws IOException {
        setIpv6Conf(ifname, "addr_gen_mode", 1);
    }

    /**
     * Writes {@code /proc/sys/net/ipv6/conf/IFNAME/KEY}. The file is opened by the calling
     * thread, so this acts in that thread's network namespace.
     */
    public static void setIpv6Conf(String ifname, String key, int value) throws IOException {
        io.jl2tp.tun.linux.LinuxTunDevice.validateName(ifname);
        if (!key.matches("[a-z0-9_]+")) {
            throw new IllegalArgumentException("bad sysctl key: " + key);
        }
        try {
            Files.writeString(Path.of("/proc/sys/net/ipv6/conf", ifname, key), Integer.toString(value));
        } catch (IOException e) {
            throw new IOException("cannot set net.ipv6.conf." + ifname + "." + key + " = " + value + ": " + e.getMessage(), e);
        }
    }

    /** Reads {@code accept_ra} of an interface. */
    public static int acceptRa(String ifname) throws IOException {
        io.jl2tp.tun.linux.LinuxTunDevice.validateName(ifname);
        return Integer.parseInt(Files.readString(Path.of("/proc/sys/net/ipv6/conf", ifname, "accept_ra")).strip());
    }

    // ---- parsing (requests' replies and events) ----

    private static InetAddress addr(byte[] b) {
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** Walks the rtattrs from {@code off} to the message end; calls back with (type, value). */
    private interface AttrVisitor {
        void attr(int type, ByteBuffer value);
    }

    private static void attrs(ByteBuffer msg, int off, AttrVisitor v) {
        int end = msg.getInt(0);
        while (off + 4 <= end) {
            int len = msg.getShort(off) & 0xffff;
            int type = msg.getShort(off + 2) & 0x7fff;
            if (len < 4 || off + len > end) {
                return; // malformed attribute: stop rather than read garbage
            }
            v.attr(type, msg.slice(off + 4, len - 4).order(ByteOrder.nativeOrder()));
            off += (len + 3) & ~3;
        }
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    static Route parseRoute(ByteBuffer m) {
        if (m.getInt(0) < 28) {
            return null;
        }
        int family = m.get(16) & 0xff;
        int dstLen = m.get(17) & 0xff;
        int[] table = {m.get(20) & 0xff};
        int scope = m.get(22) & 0xff;
        int type = m.get(23) & 0xff;
        if (type != RTN_UNICAST) {
            return null;
        }
        InetAddress[] dst = {null};
        InetAddress[] gw = {null};
        int[] oif = {0};
        // The kernel leaves RTA_PRIORITY out of a route whose priority is 0 (IPv4's default,
        // `ip route add default via X`): absent means metric 0, not "unknown".
        int[] prio = {0};
        attrs(m, 28, (t, v) -> {
            switch (t) {
                case RTA_DST -> dst[0] = addr(bytes(v));
                case RTA_GATEWAY -> gw[0] = addr(bytes(v));
                case RTA_OIF -> oif[0] = v.remaining() >= 4 ? v.getInt(0) : 0;
                case RTA_PRIORITY -> prio[0] = v.remaining() >= 4 ? v.getInt(0) : 0;
                case RTA_TABLE -> table[0] = v.remaining() >= 4 ? v.getInt(0) : table[0];
                default -> {
                }
            }
        });
        if (dst[0] == null) {
            dst[0] = addr(new byte[family == LibC.AF_INET6 ? 16 : 4]);
        }
        return new Route(dst[0], dstLen, gw[0], oif[0], prio[0], table[0], scope == RT_SCOPE_LINK);
    }

    /** Parses an RTM_NEWLINK/DELLINK/NEWADDR/DELADDR/NEWROUTE/DELROUTE message into an event, or null. */
    static NetlinkEvent parse(ByteBuffer m) {
        int len = m.getInt(0);
        short type = m.getShort(4);
        if (type == RTM_NEWROUTE || type == RTM_DELROUTE) {
            Route r = parseRoute(m);
            return r == null ? null : new NetlinkEvent.RouteEvent(r, type == RTM_NEWROUTE);
        }
        if ((type == RTM_NEWLINK || type == RTM_DELLINK) && len >= 32) {
            int index = m.getInt(20);
            int flags = m.getInt(24);
            String[] name = {null};
            attrs(m, 32, (t, v) -> {
                if (t == IFLA_IFNAME) {
                    byte[] b = bytes(v);
                    int n = 0;
                    while (n < b.length && b[n] != 0) {
                        n++;
                    }
                    name[0] = new String(b, 0, n, StandardCharsets.UTF_8);
                }
            });
            return new NetlinkEvent.LinkEvent(index, name[0], (flags & IFF_UP) != 0, (flags & IFF_RUNNING) != 0,
                    type == RTM_DELLINK);
        }
        if ((type == RTM_NEWADDR || type == RTM_DELADDR) && len >= 24) {
            int prefix = m.get(17) & 0xff;
            int index = m.getInt(20);
            InetAddress[] local = {null};
            InetAddress[] address = {null};
            attrs(m, 24, (t, v) -> {
                if (t == IFA_LOCAL) {
                    local[0] = addr(bytes(v));
                } else if (t == IFA_ADDRESS) {
                    address[0] = addr(bytes(v));
                }
            });
            InetAddress a = local[0] != null ? local[0] : address[0];
            return a == null ? null : new NetlinkEvent.AddressEvent(index, a, prefix, type == RTM_NEWADDR);
        }
        return null;
    }

    // ---- events ----

    /** A running event subscription; {@link #close()} stops its reader thread. */
    public static final class Subscription implements AutoCloseable {
        private final int fd;
        private final int wake;
        private final Thread reader;
        private volatile boolean closed;

        private Subscription(int fd, int wake, Consumer<NetlinkEvent> listener) {
            this.fd = fd;
            this.wake = wake;
            this.reader = new Thread(() -> loop(listener), "rtnetlink-events");
            this.reader.setDaemon(true);
        }

        private void loop(Consumer<NetlinkEvent> listener) {
            Memory buf = new Memory(1 << 16);
            Memory fds = new Memory(16);
            while (!closed) {
                fds.setInt(0, fd);
                fds.setShort(4, LibC.POLLIN);
                fds.setShort(6, (short) 0);
                fds.setInt(8, wake);
                fds.setShort(12, LibC.POLLIN);
                fds.setShort(14, (short) 0);
                LibC.poll(fds, 2, -1);
                if (closed) {
                    break;
                }
                if ((fds.getShort(6) & LibC.POLLIN) == 0) {
                    continue;
                }
                long n;
                try {
                    n = LibC.recv(fd, buf, buf.size(), 0x40 /* MSG_DONTWAIT */);
                } catch (LastErrorException e) {
                    if (e.getErrorCode() == ENOBUFS) {
                        deliver(listener, new NetlinkEvent.Overrun()); // events were lost: the listener re-reads
                    }
                    continue; // EAGAIN, EINTR: keep listening
                }
                ByteBuffer b = buf.getByteBuffer(0, n).order(ByteOrder.nativeOrder());
                forEachMessage(b, (int) n, one -> {
                    NetlinkEvent e = parse(one);
                    if (e != null) {
                        deliver(listener, e);
                    }
                });
            }
        }

        /**
         * Hands each message of a datagram of {@code n} octets to {@code sink}, as a native-order
         * slice of its nlmsg_len octets; a malformed length drops the rest of the datagram.
         */
        static void forEachMessage(ByteBuffer b, int n, Consumer<ByteBuffer> sink) {
            int off = 0;
            while (off + 16 <= n) {
                int len = b.getInt(off);
                if (len < 16 || len > n - off) { // not off + len: it overflows for a huge len
                    break;
                }
                sink.accept(b.slice(off, len).order(ByteOrder.nativeOrder()));
                off += (len + 3) & ~3;
            }
        }

        private static void deliver(Consumer<NetlinkEvent> listener, NetlinkEvent e) {
            try {
                listener.accept(e);
            } catch (RuntimeException ex) {
                org.slf4j.LoggerFactory.getLogger(RtNetlink.class).warn("netlink event listener failed", ex);
            }
        }

        /** Stops listening. */
        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            Memory one = new Memory(8);
            one.setLong(0, 1);
            LibC.write(wake, com.sun.jna.Pointer.nativeValue(one), 8);
            try {
                reader.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            try {
                LibC.close(fd);
                LibC.close(wake);
            } catch (LastErrorException ignored) {
                // already closed
            }
        }
    }

    /**
     * Subscribes to link, IPv4/IPv6 address and IPv4/IPv6 route events of the calling thread's
     * namespace; the listener runs on a dedicated reader thread.
     */
    public static Subscription subscribe(Consumer<NetlinkEvent> listener) throws NativeIoException {
        int fd = openSocket(RTMGRP_LINK | RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR | RTMGRP_IPV4_ROUTE | RTMGRP_IPV6_ROUTE);
        int wake;
        try {
            wake = LibC.eventfd(0, LibC.EFD_CLOEXEC | LibC.EFD_NONBLOCK);
        } catch (LastErrorException e) {
            throw new NativeIoException("eventfd", e.getErrorCode(), null);
        }
        Subscription s = new Subscription(fd, wake, listener);
        s.reader.start();
        return s;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            try {
                LibC.close(fd);
            } catch (LastErrorException ignored) {
                // already closed
            }
        }
    }
}
