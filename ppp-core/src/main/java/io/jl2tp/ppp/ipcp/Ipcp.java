package io.jl2tp.ppp.ipcp;

import io.jl2tp.ppp.fsm.CpHandler;
import io.jl2tp.ppp.wire.CpOption;
import io.jl2tp.ppp.wire.CpPacket;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * IPCP option handling (RFC 1332) with the DNS extensions of RFC 1877: IP-Address (3), primary
 * and secondary DNS (129, 131) and NBNS (130, 132). VJ compression (2) and the deprecated
 * IP-Addresses (1) are rejected; we never ask for them.
 *
 * <p>Peer side (a LAC dialling its ISP): ask for 0.0.0.0 (or the configured address), take the
 * Nak; ask for DNS with {@code usepeerdns}, stop on Reject. Authenticator side (jl2tp's LNS):
 * give the peer an address from an allocator and DNS servers.
 *
 * <p>Threads: confined to the link's event loop, like the automaton that drives it; no locks.
 */
public final class Ipcp implements CpHandler {

    public static final int PROTOCOL = 0x8021;
    public static final int OPT_ADDRESSES = 1;
    public static final int OPT_COMPRESSION = 2;
    public static final int OPT_ADDRESS = 3;
    public static final int OPT_DNS1 = 129;
    public static final int OPT_NBNS1 = 130;
    public static final int OPT_DNS2 = 131;
    public static final int OPT_NBNS2 = 132;

    /** Settings from the pppd options (and, for an LNS, its address plan). */
    public record Settings(Inet4Address local, Inet4Address remote, boolean acceptLocal, boolean acceptRemote,
                           boolean usePeerDns, List<Inet4Address> dnsToGive) {
    }

    /** Events to the link. */
    public interface Listener {
        void ipcpUp(Inet4Address local, Inet4Address remote, List<Inet4Address> dns);

        void ipcpDown();

        void ipcpFinished();
    }

    private static final Inet4Address ZERO = v4(new byte[4]);

    private final Settings settings;
    private final Listener listener;
    private Inet4Address wantLocal;
    private boolean askAddress;
    private final Inet4Address[] wantDns = new Inet4Address[2];
    private final boolean[] askDns = new boolean[2];
    private Inet4Address peerAddress;
    private Inet4Address remoteAssigned;

    public Ipcp(Settings settings, Listener listener) {
        this.settings = settings;
        this.listener = listener;
    }

    static Inet4Address v4(byte[] b) {
        try {
            return (Inet4Address) InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static boolean isZero(Inet4Address a) {
        return a == null || a.equals(ZERO);
    }

    @Override
    public void resetci() {
        wantLocal = settings.local() != null ? settings.local() : ZERO;
        askAddress = true;
        wantDns[0] = ZERO;
        wantDns[1] = ZERO;
        askDns[0] = settings.usePeerDns();
        askDns[1] = settings.usePeerDns();
        remoteAssigned = settings.remote();
        // peerAddress is the peer's option: set by each acknowledged request (reqci), kept here.
    }

    @Override
    public List<CpOption> addci() {
        List<CpOption> o = new ArrayList<>();
        if (askAddress) {
            o.add(new CpOption(OPT_ADDRESS, wantLocal.getAddress()));
        }
        if (askDns[0]) {
            o.add(new CpOption(OPT_DNS1, wantDns[0].getAddress()));
        }
        if (askDns[1]) {
            o.add(new CpOption(OPT_DNS2, wantDns[1].getAddress()));
        }
        return o;
    }

    @Override
    public boolean nakci(List<CpOption> nak) {
        for (CpOption o : nak) {
            if ((o.type() == OPT_ADDRESS || o.type() == OPT_DNS1 || o.type() == OPT_DNS2) && o.data().length != 4) {
                return false;
            }
            switch (o.type()) {
                case OPT_ADDRESS -> {
                    // RFC 1332 §3.3: a Nak carries an address for us; take it when we asked for
                    // 0.0.0.0 or ipcp-accept-local is set.
                    Inet4Address a = v4(o.data());
                    if (settings.local() == null || settings.acceptLocal()) {
                        wantLocal = a;
                    }
                }
                case OPT_DNS1 -> wantDns[0] = v4(o.data());
                case OPT_DNS2 -> wantDns[1] = v4(o.data());
                default -> {
                }
            }
        }
        return true;
    }

    @Override
    public boolean rejci(List<CpOption> rejected) {
        for (CpOption o : rejected) {
            switch (o.type()) {
                case OPT_ADDRESS -> askAddress = false;
                case OPT_DNS1 -> askDns[0] = false; // RFC 1877: on Reject, stop asking
                case OPT_DNS2 -> askDns[1] = false;
                default -> {
                    return false;
                }
            }
        }
        return true;
    }

    @Override
    public ReqResult reqci(List<CpOption> req, boolean rejectIfDisagree) {
        List<CpOption> rej = new ArrayList<>();
        List<CpOption> nak = new ArrayList<>();
        Inet4Address peer = null;
        for (CpOption o : req) {
            switch (o.type()) {
                case OPT_ADDRESS -> {
                    if (o.data().length != 4) {
                        rej.add(o);
                        break;
                    }
                    Inet4Address a = v4(o.data());
                    if (isZero(a)) {
                        // The peer wants an address from us.
                        if (remoteAssigned != null) {
                            nak.add(new CpOption(OPT_ADDRESS, remoteAssigned.getAddress()));
                        } else {
                            rej.add(o);
                        }
                    } else if (remoteAssigned != null && !remoteAssigned.equals(a) && !settings.acceptRemote()) {
                        nak.add(new CpOption(OPT_ADDRESS, remoteAssigned.getAddress()));
                    } else {
                        peer = a;
                    }
                }
                case OPT_DNS1, OPT_DNS2 -> {
                    int i = o.type() == OPT_DNS1 ? 0 : 1;
                    if (o.data().length != 4 || settings.dnsToGive().size() <= i) {
                        rej.add(o);
                    } else if (!settings.dnsToGive().get(i).equals(v4(o.data()))) {
                        nak.add(new CpOption(o.type(), settings.dnsToGive().get(i).getAddress()));
                    }
                }
                default -> rej.add(o); // VJ compression (2), IP-Addresses (1), NBNS, unknown
            }
        }
        if (!rej.isEmpty()) {
            return new ReqResult(CpPacket.CONF_REJ, rej);
        }
        if (!nak.isEmpty()) {
            return new ReqResult(CpPacket.CONF_NAK, nak); // CpFsm turns it into a Reject at Max-Failure
        }
        peerAddress = peer;
        return new ReqResult(CpPacket.CONF_ACK, req);
    }

    @Override
    public void up() {
        List<Inet4Address> dns = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            if (askDns[i] && !isZero(wantDns[i])) {
                dns.add(wantDns[i]);
            }
        }
        Inet4Address remote = peerAddress != null ? peerAddress : remoteAssigned;
        listener.ipcpUp(wantLocal, remote, dns);
    }

    @Override
    public void down() {
        listener.ipcpDown();
    }

    @Override
    public void finished() {
        listener.ipcpFinished();
    }

    /** Our negotiated address (0.0.0.0 before IPCP is up). */
    public Inet4Address local() {
        return wantLocal;
    }
}
