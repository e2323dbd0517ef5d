package io.jl2tp.app.harness;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A UDP relay that puts an impaired path between any LAC and any LNS (or any two UDP peers):
 * the client sends to {@code listen}; the relay forwards each datagram to {@code to} from a
 * socket of its own per client address and relays the replies back from {@code listen}, each
 * direction through its own {@link Impairment}. A black-hole switch drops everything, both
 * ways, for a while — a path that goes dark, as a 4G link does.
 *
 * <pre>
 *   client ──► listen ─[up: Impairment]──► upstream socket (one per client) ──► to
 *   client ◄── listen ◄─[down: Impairment]── upstream socket ◄────────────────── to
 * </pre>
 *
 * One thread owns every socket (a {@link Selector}: epoll on Linux), both impairments and the
 * release queue (a heap by release time; entries and their buffers are pooled, so a datagram
 * costs no allocation beyond what {@link DatagramChannel#receive} makes for the sender's
 * address). Create it on a thread inside the network namespace it should live in: its thread
 * is started from there, and sockets it opens later stay in that namespace. Replies are
 * accepted only from {@code to}'s address. Client mappings idle for {@code idleTimeout} are
 * closed; at most {@code maxClients} exist at once (later clients are refused and counted).
 */
public final class ImpairRelay implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ImpairRelay.class);
    private static final int MAX_DATAGRAM = 65_535;
    private static final int POOL_LIMIT = 4096;

    /** The two directions. */
    public enum Direction {
        /** client → {@code to} (LAC → LNS) */
        UP,
        /** {@code to} → client (LNS → LAC) */
        DOWN
    }

    /** Relay settings. */
    public record Config(InetSocketAddress listen, InetSocketAddress to, Impairment.Profile up, Impairment.Profile down,
                         long seed, Path pcap, int maxClients, Duration idleTimeout) {

        public Config {
            if (maxClients < 1) {
                throw new IllegalArgumentException("max clients must be at least 1");
            }
        }

        /** Unimpaired, seed 1, no pcap, 256 clients, 5 min idle timeout. */
        public static Config of(InetSocketAddress listen, InetSocketAddress to) {
            return new Config(listen, to, Impairment.Profile.NONE, Impairment.Profile.NONE, 1, null, 256, Duration.ofMinutes(5));
        }

        public Config with(Impairment.Profile upProfile, Impairment.Profile downProfile) {
            return new Config(listen, to, upProfile, downProfile, seed, pcap, maxClients, idleTimeout);
        }

        public Config withSeed(long s) {
            return new Config(listen, to, up, down, s, pcap, maxClients, idleTimeout);
        }

        public Config withPcap(Path file) {
            return new Config(listen, to, up, down, seed, file, maxClients, idleTimeout);
        }
    }

    /**
     * One direction's counters: the impairment's plus what the relay itself dropped.
     *
     * @param blackholed datagrams dropped by the black-hole switch
     * @param refused    datagrams from a client beyond {@code maxClients}, or (down) from an
     *                   address other than {@code to}
     * @param sendErrors datagrams the socket would not take (full send buffer, unreachable)
     */
    public record Stats(Impairment.Counters impairment, long blackholed, long refused, long sendErrors) {

        /** Everything received, dropped or not. */
        public long received() {
            return impairment.received() + blackholed + refused;
        }

        /** Every datagram not forwarded (loss, full queue, black hole, refused). */
        public long dropped() {
            return impairment.lost() + impairment.queueDropped() + blackholed + refused;
        }

        /** One line: the counters printed at exit. */
        public String line() {
            Impairment.Counters c = impairment;
            return "received " + received() + ", forwarded " + c.forwarded() + ", dropped " + dropped() + " (loss " + c.lost()
                    + ", queue " + c.queueDropped() + ", black-hole " + blackholed + ", refused " + refused + "), duplicated "
                    + c.duplicated() + ", reordered " + c.reordered() + ", delayed " + c.delayed()
                    + (sendErrors > 0 ? ", send errors " + sendErrors : "");
        }
    }

    private final Config config;
    private final Selector selector;
    private final DatagramChannel listen;
    private final InetSocketAddress listenAddress;
    private final InetSocketAddress upstreamSource;
    private final Impairment<Entry> upImpairment;
    private final Impairment<Entry> downImpairment;
    private final PcapWriter pcap;
    private final Map<InetSocketAddress, Client> clients = new HashMap<>();
    private final PriorityQueue<Entry> releases = new PriorityQueue<>((a, b) -> {
        int c = Long.compare(a.at - b.at, 0);
        return c != 0 ? c : Long.compare(a.seq, b.seq);
    });
    private final ArrayDeque<Entry> pool = new ArrayDeque<>();
    private final ByteBuffer receiveBuffer = ByteBuffer.allocateDirect(MAX_DATAGRAM);
    private final Thread thread;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final long[] relayCounters = new long[6]; // [2k + direction]: k = 0 black-holed, 1 refused, 2 send errors
    private final long wallOffsetMicros;
    private volatile long blackholeUntil = Long.MIN_VALUE;
    private volatile boolean blackholed;
    private volatile Stats[] published = new Stats[2];
    private volatile boolean closing;
    private volatile int clientCount;
    private volatile java.util.List<InetSocketAddress> clientList = java.util.List.of();
    private final java.util.concurrent.ConcurrentLinkedQueue<Injection> injections = new java.util.concurrent.ConcurrentLinkedQueue<>();

    private record Injection(Direction direction, InetSocketAddress client, byte[] datagram) {
    }
    private long seq;
    private long nextSweep;

    private ImpairRelay(Config config) throws IOException {
        this.config = config;
        InetAddress toAddr = config.to().getAddress();
        StandardProtocolFamily toFamily = toAddr instanceof Inet6Address ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
        this.upstreamSource = sourceFor(config.to(), toFamily);
        this.upImpairment = new Impairment<>(config.up(), config.seed(), this::duplicate);
        this.downImpairment = new Impairment<>(config.down(), config.seed() ^ 0x5DEECE66DL, this::duplicate);
        this.wallOffsetMicros = System.currentTimeMillis() * 1000 - System.nanoTime() / 1000;
        Selector sel = Selector.open();
        DatagramChannel ch = null;
        PcapWriter writer = null;
        try {
            ch = DatagramChannel.open(config.listen().getAddress() instanceof Inet6Address ? StandardProtocolFamily.INET6
                    : StandardProtocolFamily.INET);
            ch.bind(config.listen());
            ch.configureBlocking(false);
            ch.register(sel, SelectionKey.OP_READ, null);
            if (config.pcap() != null) {
                writer = PcapWriter.create(config.pcap());
            }
        } catch (IOException | RuntimeException e) {
            if (ch != null) {
                ch.close();
            }
            sel.close();
            throw e;
        }
        this.selector = sel;
        this.listen = ch;
        this.listenAddress = (InetSocketAddress) ch.getLocalAddress();
        this.pcap = writer;
        this.thread = new Thread(this::run, "impair-relay");
        this.thread.setDaemon(true);
    }

    /**
     * Binds {@code listen} and starts relaying. Sockets are created in the calling thread's
     * network namespace, and so is the relay's thread.
     */
    public static ImpairRelay start(Config config) throws IOException {
        ImpairRelay r = new ImpairRelay(config);
        r.thread.start();
        log.debug("impair: {} -> {} (seed {}); up: {}; down: {}", format(r.listenAddress), format(config.to()), config.seed(),
                config.up(), config.down());
        return r;
    }

    /** The address clients send to. */
    public InetSocketAddress localAddress() {
        return listenAddress;
    }

    /**
     * Drops every datagram, both ways, for {@code d} from now ({@link Duration#ZERO} ends a
     * black hole early). Any thread.
     */
    public void blackhole(Duration d) {
        blackholeUntil = System.nanoTime() + d.toNanos();
        blackholed = !d.isZero();
        log.info(d.isZero() ? "impair: black hole ended" : "impair: black hole for {} s", d.toMillis() / 1000.0);
        selector.wakeup();
    }

    /** True while the black hole is on. */
    public boolean blackholeOn() {
        return blackholed && blackholeUntil - System.nanoTime() > 0;
    }

    /** The counters of one direction, as of the relay thread's last pass (at most ~100 ms old; exact after close). */
    public Stats stats(Direction d) {
        Stats s = published[d.ordinal()];
        return s != null ? s : new Stats(new Impairment.Counters(0, 0, 0, 0, 0, 0, 0), 0, 0, 0);
    }

    /**
     * Sends {@code datagram} as the relay's own traffic would go, bypassing the impairment: UP
     * from {@code client}'s upstream socket to {@code to}, DOWN from the listening socket to
     * {@code client} — the same addresses and ports as the real flow, so the receiver cannot
     * tell it from the peer's (replays, spoofed messages). Ignored if {@code client} has no
     * mapping. Any thread; sent by the relay thread soon after.
     */
    public void inject(Direction direction, InetSocketAddress client, byte[] datagram) {
        injections.add(new Injection(direction, client, datagram.clone()));
        selector.wakeup();
    }

    /** The client addresses with a mapping now (as of the relay thread's last pass). */
    public java.util.List<InetSocketAddress> clientAddresses() {
        return clientList;
    }

    /** The number of client mappings (upstream sockets) open. */
    public int clients() {
        return clientCount;
    }

    /** Stops relaying, closes every socket and the pcap file; datagrams still queued are dropped. Idempotent. */
    @Override
    public void close() {
        closing = true;
        selector.wakeup();
        if (Thread.currentThread() != thread) {
            try {
                if (!stopped.await(5, TimeUnit.SECONDS)) {
                    log.warn("impair: relay thread did not stop");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        try {
            loop();
        } catch (Throwable t) {
            log.error("impair: relay failed: {}", t.toString(), t);
        } finally {
            shutdown();
            stopped.countDown();
        }
    }

    private void loop() throws IOException {
        long lastPublish = 0;
        while (!closing) {
            long now = System.nanoTime();
            long wake = Math.min(nextDue(), now + 100_000_000L);
            long waitNanos = wake - now;
            if (waitNanos >= 1_000_000) {
                selector.select(waitNanos / 1_000_000);
            } else {
                selector.selectNow();
            }
            now = System.nanoTime();
            Iterator<SelectionKey> it = selector.selectedKeys().iterator();
            while (it.hasNext()) {
                SelectionKey k = it.next();
                it.remove();
                if (k.isValid() && k.isReadable()) {
                    readAll(k, now);
                }
            }
            now = System.nanoTime();
            injectPending();
            upImpairment.expire(now, upSink);
            downImpairment.expire(now, downSink);
            releaseDue(now);
            if (now - nextSweep >= 0) {
                sweepIdle(now);
                nextSweep = now + 1_000_000_000L;
                if (pcap != null) {
                    pcap.flush();
                }
            }
            if (now - lastPublish >= 50_000_000L) {
                publish();
                lastPublish = now;
            }
        }
    }

    private void injectPending() {
        Injection i;
        while ((i = injections.poll()) != null) {
            Client c = clients.get(i.client());
            if (c == null) {
                continue;
            }
            ByteBuffer b = ByteBuffer.wrap(i.datagram());
            InetSocketAddress from = i.direction() == Direction.UP ? c.source : listenAddress;
            InetSocketAddress to = i.direction() == Direction.UP ? config.to() : c.address;
            capture(from, to, b);
            try {
                (i.direction() == Direction.UP ? c.upstream : listen).send(b, to);
            } catch (IOException e) {
                relayCounters[4 + i.direction().ordinal()]++;
            }
        }
    }

    private long nextDue() {
        long due = Long.MAX_VALUE;
        Entry head = releases.peek();
        if (head != null) {
            due = head.at;
        }
        due = Math.min(due, upImpairment.nextDeadline());
        return Math.min(due, downImpairment.nextDeadline());
    }

    private void readAll(SelectionKey key, long now) throws IOException {
        DatagramChannel ch = (DatagramChannel) key.channel();
        Client client = (Client) key.attachment();
        for (int i = 0; i < 64; i++) { // bounded, so one busy socket cannot starve the others
            receiveBuffer.clear();
            SocketAddress from;
            try {
                from = ch.receive(receiveBuffer);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                // An ICMP error reported on the socket (e.g. port unreachable): the datagram that
                // caused it is gone already; keep reading.
                log.debug("impair: receive: {}", e.toString());
                continue;
            }
            if (from == null) {
                return;
            }
            receiveBuffer.flip();
            InetSocketAddress sender = (InetSocketAddress) from;
            if (client == null) {
                fromClient(sender, now);
            } else {
                fromServer(client, sender, now);
            }
        }
    }

    private void fromClient(InetSocketAddress sender, long now) throws IOException {
        capture(sender, listenAddress, receiveBuffer);
        if (blackholeActive(now)) {
            relayCounters[0]++;
            return;
        }
        Client c = clients.get(sender);
        if (c == null) {
            if (clients.size() >= config.maxClients()) {
                relayCounters[2]++;
                return;
            }
            try {
                c = new Client(sender);
            } catch (IOException e) {
                relayCounters[2]++;
                log.warn("impair: no upstream socket for {}: {}", format(sender), e.getMessage());
                return;
            }
            clients.put(sender, c);
            clientCount = clients.size();
            clientList = java.util.List.copyOf(clients.keySet());
            log.info("impair: new client {} (upstream {})", format(sender), format(c.source));
        }
        c.lastActive = now;
        Entry e = entry(receiveBuffer);
        e.via = c.upstream;
        e.from = c.source;
        e.to = config.to();
        e.direction = Direction.UP;
        upImpairment.offer(e, e.buf.remaining(), now, upSink);
    }

    private void fromServer(Client c, InetSocketAddress sender, long now) throws IOException {
        capture(sender, c.source, receiveBuffer);
        if (!sender.getAddress().equals(config.to().getAddress())) {
            relayCounters[3]++;
            return;
        }
        if (blackholeActive(now)) {
            relayCounters[1]++;
            return;
        }
        c.lastActive = now;
        Entry e = entry(receiveBuffer);
        e.via = listen;
        e.from = listenAddress;
        e.to = c.address;
        e.direction = Direction.DOWN;
        downImpairment.offer(e, e.buf.remaining(), now, downSink);
    }

    private boolean blackholeActive(long now) {
        if (!blackholed) {
            return false;
        }
        if (blackholeUntil - now > 0) {
            return true;
        }
        blackholed = false;
        log.info("impair: black hole over");
        return false;
    }

    private final Impairment.Sink<Entry> upSink = new ReleaseSink();
    private final Impairment.Sink<Entry> downSink = new ReleaseSink();

    /** Queues a released copy by time, or sends it at once when it is due now. */
    private final class ReleaseSink implements Impairment.Sink<Entry> {
        @Override
        public void send(Entry e, long at) {
            e.at = at;
            e.seq = seq++;
            releases.add(e);
        }

        @Override
        public void drop(Entry e, Impairment.Drop why) {
            recycle(e);
        }
    }

    private void releaseDue(long now) {
        Entry e;
        while ((e = releases.peek()) != null && e.at - now <= 0) {
            releases.poll();
            try {
                capture(e.from, e.to, e.buf);
                int sent = e.via.send(e.buf, e.to);
                if (sent == 0) {
                    relayCounters[4 + e.direction.ordinal()]++;
                }
            } catch (IOException ex) {
                relayCounters[4 + e.direction.ordinal()]++;
                log.debug("impair: send to {}: {}", e.to, ex.toString());
            }
            recycle(e);
        }
    }

    private void sweepIdle(long now) {
        long idle = config.idleTimeout().toNanos();
        Iterator<Client> it = clients.values().iterator();
        while (it.hasNext()) {
            Client c = it.next();
            if (now - c.lastActive > idle) {
                it.remove();
                log.info("impair: client {} idle for {} s: mapping closed", format(c.address), config.idleTimeout().toSeconds());
                c.close();
            }
        }
        clientCount = clients.size();
        clientList = java.util.List.copyOf(clients.keySet());
    }

    private void capture(InetSocketAddress src, InetSocketAddress dst, ByteBuffer payload) {
        if (pcap == null) {
            return;
        }
        InetSocketAddress s = src;
        InetSocketAddress d = dst;
        if (s.getAddress() instanceof Inet6Address != d.getAddress() instanceof Inet6Address) {
            // A dual-stack wildcard socket saw an IPv4 peer: show our side as the IPv4 wildcard.
            if (s.getAddress().isAnyLocalAddress()) {
                s = new InetSocketAddress(any(d.getAddress()), s.getPort());
            } else {
                d = new InetSocketAddress(any(s.getAddress()), d.getPort());
            }
        }
        try {
            pcap.udp(wallOffsetMicros + System.nanoTime() / 1000, s, d, payload);
        } catch (IOException | IllegalArgumentException e) {
            log.debug("impair: pcap: {}", e.toString());
        }
    }

    /** ADDR:PORT, [V6ADDR]:PORT. */
    static String format(InetSocketAddress a) {
        String h = a.getAddress().getHostAddress();
        return (h.contains(":") ? "[" + h + "]" : h) + ":" + a.getPort();
    }

    private static InetAddress any(InetAddress like) {
        try {
            return InetAddress.getByName(like instanceof Inet4Address ? "0.0.0.0" : "::");
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private void publish() {
        Impairment.Counters u = upImpairment.counters();
        Impairment.Counters d = downImpairment.counters();
        published = new Stats[] {new Stats(u, relayCounters[0], relayCounters[2], relayCounters[4]),
            new Stats(d, relayCounters[1], relayCounters[3], relayCounters[5])};
    }

    private void shutdown() {
        for (Entry e : releases) {
            recycle(e);
        }
        releases.clear();
        upImpairment.clear(upSink);
        downImpairment.clear(downSink);
        releases.clear();
        for (Client c : clients.values()) {
            c.close();
        }
        clients.clear();
        clientCount = 0;
        publish();
        try {
            listen.close();
        } catch (IOException e) {
            log.debug("impair: close: {}", e.toString());
        }
        try {
            selector.close();
        } catch (IOException e) {
            log.debug("impair: close: {}", e.toString());
        }
        if (pcap != null) {
            try {
                pcap.close();
            } catch (IOException e) {
                log.warn("impair: pcap file: {}", e.getMessage());
            }
        }
    }

    private Entry entry(ByteBuffer data) {
        Entry e = pool.poll();
        if (e == null) {
            e = new Entry();
        }
        int len = data.remaining();
        if (e.buf == null || e.buf.capacity() < len) {
            e.buf = ByteBuffer.allocateDirect(Math.max(2048, len));
        }
        e.buf.clear();
        e.buf.put(data.duplicate());
        e.buf.flip();
        return e;
    }

    private Entry duplicate(Entry original) {
        Entry e = entry(original.buf);
        e.via = original.via;
        e.from = original.from;
        e.to = original.to;
        e.direction = original.direction;
        return e;
    }

    private void recycle(Entry e) {
        e.via = null;
        e.to = null;
        e.from = null;
        if (pool.size() < POOL_LIMIT && e.buf != null && e.buf.capacity() <= 16_384) {
            pool.add(e);
        }
    }

    /** The source address the kernel picks for {@code to} (a connected probe socket; nothing is sent). */
    private static InetSocketAddress sourceFor(InetSocketAddress to, StandardProtocolFamily family) throws IOException {
        try (DatagramChannel probe = DatagramChannel.open(family)) {
            probe.connect(to);
            return new InetSocketAddress(((InetSocketAddress) probe.getLocalAddress()).getAddress(), 0);
        }
    }

    /** One datagram on its way: pooled, with its buffer. */
    private static final class Entry {
        ByteBuffer buf;
        DatagramChannel via;
        InetSocketAddress from;
        InetSocketAddress to;
        Direction direction;
        long at;
        long seq;
    }

    /** A client address and the upstream socket that stands for it towards {@code to}. */
    private final class Client {
        final InetSocketAddress address;
        final DatagramChannel upstream;
        final InetSocketAddress source;
        long lastActive;

        Client(InetSocketAddress address) throws IOException {
            this.address = address;
            DatagramChannel ch = DatagramChannel.open(upstreamSource.getAddress() instanceof Inet6Address
                    ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
            try {
                ch.bind(upstreamSource);
                ch.configureBlocking(false);
                ch.register(selector, SelectionKey.OP_READ, this);
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
            this.upstream = ch;
            this.source = (InetSocketAddress) ch.getLocalAddress();
        }

        void close() {
            try {
                upstream.close();
            } catch (IOException e) {
                log.debug("impair: close: {}", e.toString());
            }
        }
    }
}
