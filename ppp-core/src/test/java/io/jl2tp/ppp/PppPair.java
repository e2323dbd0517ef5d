package io.jl2tp.ppp;

import io.jl2tp.ppp.options.PppSettings;
import io.jl2tp.ppp.options.SecretsFile;
import io.jl2tp.testkit.VirtualScheduler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Two PPP links back to back over an in-memory pipe on one virtual clock (pppd's PppPair idea,
 * without a kernel): {@link #peer} dials like a LAC's pppd, {@link #authenticator} answers like
 * an LNS. Frames take 5 ms; {@link #cut} drops everything.
 */
final class PppPair {

    static Inet4Address ip(String s) {
        try {
            return (Inet4Address) InetAddress.getByName(s);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    static final PppLink.AddressPlan PLAN = new PppLink.AddressPlan() {
        @Override
        public Inet4Address local() {
            return ip("198.51.100.1");
        }

        @Override
        public Inet4Address remoteFor(String peerName) {
            return ip("198.51.100.128");
        }

        @Override
        public List<Inet4Address> dns() {
            return List.of(ip("198.51.100.53"), ip("198.51.100.54"));
        }
    };

    final VirtualScheduler clock = new VirtualScheduler();
    final List<PppEvent> peerEvents = new ArrayList<>();
    final List<PppEvent> authEvents = new ArrayList<>();
    final List<ByteBuf> toPeer = new ArrayList<>();
    boolean cut;
    Consumer<ByteBuf> tapToAuthenticator = b -> { };
    Consumer<ByteBuf> tapToPeer = b -> { };
    final PppLink peer;
    final PppLink authenticator;

    PppPair(PppSettings peerOptions, String peerSecrets, PppSettings authOptions, String authSecrets) throws Exception {
        this(peerOptions, peerSecrets, authOptions, authSecrets, 1);
    }

    PppPair(PppSettings peerOptions, String peerSecrets, PppSettings authOptions, String authSecrets, long seed) throws Exception {
        UnpooledByteBufAllocator alloc = new UnpooledByteBufAllocator(false, true);
        PppLink[] box = new PppLink[2];
        SecretsFile ps = SecretsFile.parse(peerSecrets, "peer-secrets", p -> { throw new IllegalStateException("no @files"); });
        SecretsFile as = SecretsFile.parse(authSecrets, "auth-secrets", p -> { throw new IllegalStateException("no @files"); });
        peer = new PppLink(peerOptions, new PppLink.Settings("lac-host", ps, ps, null, "peer "), clock,
                f -> carry(f, box, 1), peerEvents::add, alloc, new Random(seed));
        authenticator = new PppLink(authOptions, new PppLink.Settings("lns-host", as, as, PLAN, "auth "), clock,
                f -> carry(f, box, 0), authEvents::add, alloc, new Random(seed + 1));
        box[0] = peer;
        box[1] = authenticator;
    }

    private void carry(ByteBuf frame, PppLink[] box, int to) {
        if (cut) {
            frame.release();
            return;
        }
        if (to == 1) {
            tapToAuthenticator.accept(frame);
        } else {
            tapToPeer.accept(frame);
        }
        clock.schedule(() -> box[to].input(frame), 5, TimeUnit.MILLISECONDS);
    }

    void start() {
        clock.execute(() -> {
            peer.start();
            authenticator.start();
        });
    }

    void run(long ms) {
        clock.advance(ms, TimeUnit.MILLISECONDS);
    }

    static <T extends PppEvent> List<T> of(List<PppEvent> all, Class<T> type) {
        return all.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
