package io.jl2tp.ppp.ipv6cp;

import io.jl2tp.ppp.fsm.CpHandler;
import io.jl2tp.ppp.wire.CpOption;
import io.jl2tp.ppp.wire.CpPacket;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.LongSupplier;

/**
 * IPV6CP (RFC 5072): exactly one option, Interface-Identifier (1, 8 octets), negotiated by the
 * rules of §4.1. The results are the fe80::/64 link-local addresses of both ends; global
 * addresses come from router advertisements, never from IPV6CP.
 *
 * <p>Threads: confined to the link's event loop, like the automaton that drives it; no locks.
 */
public final class Ipv6cp implements CpHandler {

    public static final int PROTOCOL = 0x8057;
    public static final int OPT_INTERFACE_ID = 1;

    /**
     * @param localId       configured identifier (pppd {@code ipv6 <local>,}) or 0
     * @param useIpaddr     pppd {@code ipv6cp-use-ipaddr}: take the identifier from our IPv4 address
     * @param ipv4Local     supplies our IPv4 address as an unsigned 32-bit value (0 if unknown)
     * @param acceptLocal   take the identifier the peer Naks us with even if one was configured
     */
    public record Settings(long localId, boolean useIpaddr, LongSupplier ipv4Local, boolean acceptLocal) {
    }

    /** Events to the link. */
    public interface Listener {
        void ipv6cpUp(Inet6Address localLinkLocal, Inet6Address remoteLinkLocal);

        void ipv6cpDown();

        void ipv6cpFinished();
    }

    private final Settings settings;
    private final Random random;
    private final Listener listener;
    private long ourId;
    private boolean askId;
    private long peerId;

    public Ipv6cp(Settings settings, Random random, Listener listener) {
        this.settings = settings;
        this.random = random;
        this.listener = listener;
    }

    /** A random identifier with the u (universal/local) bit cleared, never zero (§4.1). */
    long randomId() {
        long id;
        do {
            id = random.nextLong() & ~0x0200_0000_0000_0000L;
        } while (id == 0 || id == peerId);
        return id;
    }

    @Override
    public void resetci() {
        askId = true;
        // peerId is the peer's option: set by each acknowledged request (reqci), kept here.
        long v4 = settings.ipv4Local().getAsLong();
        if (settings.localId() != 0) {
            ourId = settings.localId();
        } else if (settings.useIpaddr() && v4 != 0) {
            ourId = v4; // pppd (eui64_setlo32): the IPv4 address in the low 32 bits
        } else {
            ourId = randomId();
        }
    }

    @Override
    public List<CpOption> addci() {
        return askId ? List.of(idOption(ourId)) : List.of();
    }

    private static CpOption idOption(long id) {
        byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (id >>> (56 - 8 * i));
        }
        return new CpOption(OPT_INTERFACE_ID, b);
    }

    private static long idOf(CpOption o) {
        long v = 0;
        for (byte b : o.data()) {
            v = (v << 8) | (b & 0xff);
        }
        return v;
    }

    @Override
    public boolean nakci(List<CpOption> nak) {
        for (CpOption o : nak) {
            if (o.type() == OPT_INTERFACE_ID) {
                if (o.data().length != 8) {
                    return false;
                }
                long suggested = idOf(o);
                // §4.1: the peer suggests an identifier for us; use it unless it is zero or
                // clashes with the peer's own.
                if (suggested != 0 && suggested != peerId && (settings.localId() == 0 || settings.acceptLocal())) {
                    ourId = suggested;
                } else {
                    ourId = randomId();
                }
            }
        }
        return true;
    }

    @Override
    public boolean rejci(List<CpOption> rejected) {
        for (CpOption o : rejected) {
            if (o.type() != OPT_INTERFACE_ID) {
                return false;
            }
            askId = false;
        }
        return true;
    }

    @Override
    public ReqResult reqci(List<CpOption> req, boolean rejectIfDisagree) {
        List<CpOption> rej = new ArrayList<>();
        CpOption nak = null;
        long his = 0;          // 64-bit identifiers use every bit: no sentinel value
        boolean seen = false;
        for (CpOption o : req) {
            if (o.type() != OPT_INTERFACE_ID || o.data().length != 8 || seen) {
                rej.add(o); // exactly one Interface-Identifier; anything else is unknown
                continue;
            }
            seen = true;
            long id = idOf(o);
            if (id == 0 && (!askId || ourId == 0)) {
                rej.add(o);                                  // §4.1: both zero → Reject
            } else if (id == 0) {
                nak = idOption(suggestionFor());             // §4.1: zero → Nak with a suggestion
            } else if (askId && id == ourId) {
                nak = idOption(suggestionFor());             // §4.1: equal → Nak with a new one
            } else {
                his = id;                                    // §4.1: different, non-zero → Ack
            }
        }
        if (!rej.isEmpty()) {
            return new ReqResult(CpPacket.CONF_REJ, rej);
        }
        if (nak != null) {
            return new ReqResult(CpPacket.CONF_NAK, List.of(nak)); // CpFsm rejects instead at Max-Failure
        }
        peerId = his; // 0 if the request carried no identifier
        return new ReqResult(CpPacket.CONF_ACK, req);
    }

    private long suggestionFor() {
        long s;
        do {
            s = random.nextLong() & ~0x0200_0000_0000_0000L;
        } while (s == 0 || s == ourId);
        return s;
    }

    @Override
    public void up() {
        listener.ipv6cpUp(linkLocal(ourId), linkLocal(peerId));
    }

    @Override
    public void down() {
        listener.ipv6cpDown();
    }

    @Override
    public void finished() {
        listener.ipv6cpFinished();
    }

    /** fe80::/64 with {@code id} as the interface identifier. */
    public static Inet6Address linkLocal(long id) {
        byte[] b = new byte[16];
        b[0] = (byte) 0xfe;
        b[1] = (byte) 0x80;
        for (int i = 0; i < 8; i++) {
            b[8 + i] = (byte) (id >>> (56 - 8 * i));
        }
        try {
            return (Inet6Address) InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Our interface identifier. */
    public long ourId() {
        return ourId;
    }

    /** The peer's interface identifier (0 until acked). */
    public long peerId() {
        return peerId;
    }

    /** An IPv6 address in RFC 5952 form (longest run of zero groups as ::), as pppd prints it. */
    public static String compact(Inet6Address a) {
        byte[] b = a.getAddress();
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }
}
