package io.jl2tp.ppp.auth;

import io.jl2tp.testkit.VirtualScheduler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A peer and an authenticator joined back to back over an in-memory, lossy pipe on one
 * {@link VirtualScheduler} — pppd's PppPair without the kernel.
 */
final class AuthPair {

    /** One side: records what it sent and what it was told; forwards packets to the other side. */
    static final class Side implements AuthListener {
        final String label;
        final VirtualScheduler loop;
        final List<String> events = new ArrayList<>();   // "succeeded <name> <msg>" / "failed <reason>"
        final List<byte[]> sent = new ArrayList<>();     // every packet sent, as bytes, with send time
        final List<Long> sentAtMillis = new ArrayList<>();
        AuthProtocol proto;
        Side other;
        int dropNext;                                    // drop this many of the next packets
        boolean dropAll;                                 // drop every packet
        UnaryOperator<byte[]> tamper = UnaryOperator.identity();

        Side(String label, VirtualScheduler loop) {
            this.label = label;
            this.loop = loop;
        }

        @Override
        public void send(int protocol, ByteBuf packet) {
            byte[] bytes = ByteBufUtil.getBytes(packet);
            packet.release();
            sent.add(bytes);
            sentAtMillis.add(loop.millis());
            if (dropAll || dropNext > 0) {
                dropNext = Math.max(0, dropNext - 1);
                return;
            }
            byte[] out = tamper.apply(bytes);
            loop.execute(() -> {
                ByteBuf in = Unpooled.wrappedBuffer(out);
                try {
                    other.proto.input(in);
                } finally {
                    in.release();
                }
            });
        }

        @Override
        public void succeeded(String peerName, String message) {
            events.add("succeeded " + peerName + " " + message);
        }

        @Override
        public void failed(String reason) {
            events.add("failed " + reason);
        }

        /** Code octet of the i-th sent packet. */
        int code(int i) {
            return sent.get(i)[0] & 0xFF;
        }

        /** Identifier of the i-th sent packet. */
        int id(int i) {
            return sent.get(i)[1] & 0xFF;
        }
    }

    /** A mutable map-backed secrets table keyed "client server". */
    static final class Secrets implements SecretProvider {
        final Map<String, Secret> map = new HashMap<>();

        Secrets put(String client, String server, String secret) {
            map.put(client + " " + server, Secret.of(secret));
            return this;
        }

        @Override
        public Optional<Secret> secret(String client, String server) {
            return Optional.ofNullable(map.get(client + " " + server));
        }
    }

    final VirtualScheduler loop = new VirtualScheduler();
    final Side peer = new Side("peer", loop);
    final Side auth = new Side("authenticator", loop);
    final Secrets peerSecrets = new Secrets();
    final Secrets authSecrets = new Secrets();

    /** Creates both protocols for {@code m}: peer "alice" authenticating to "lns". */
    AuthPair(AuthMethod m, AuthConfig config) {
        this(m, "alice", config);
    }

    /** Creates both protocols for {@code m} with the given peer name. */
    AuthPair(AuthMethod m, String peerName, AuthConfig config) {
        peer.other = auth;
        auth.other = peer;
        // PAP carries no server name, so the peer is told it (pppd "remotename"); CHAP takes
        // it from the Challenge.
        String remote = m == AuthMethod.PAP ? "lns" : null;
        peer.proto = AuthProtocols.peer(m, peerName, peerSecrets, remote, config, loop, peer);
        auth.proto = AuthProtocols.authenticator(m, "lns", authSecrets, config, loop, auth);
    }

    /** Starts both sides (authenticator first, as after LCP Opened) and runs what is due. */
    AuthPair start() {
        auth.proto.start();
        peer.proto.start();
        loop.runPending();
        return this;
    }
}
