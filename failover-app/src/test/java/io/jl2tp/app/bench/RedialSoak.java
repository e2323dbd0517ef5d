package io.jl2tp.app.bench;

import io.jl2tp.app.dial.Dialer;
import io.jl2tp.l2tp.tunnel.SessionConfig;
import io.jl2tp.l2tp.tunnel.TunnelConfig;
import io.jl2tp.ppp.auth.Secret;
import io.jl2tp.ppp.auth.SecretProvider;
import io.jl2tp.ppp.options.PppSettings;
import io.jl2tp.app.config.PppdAppOptions;
import io.jl2tp.app.config.PppdOptions;
import java.util.List;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The redial loop of {@code jl2tp dial} (a new {@link Dialer} per attempt, hung up and closed
 * when it goes down) with a fixed pause instead of the capped exponential back-off, so that
 * 1 000 refused calls fit in minutes. After each refusal prints the process's thread count
 * (/proc/self/task), descriptor count (/proc/self/fd) and VmRSS. Used by
 * {@code failover-app/bench/run-redial-soak.sh}.
 *
 * <p>{@code RedialSoak LNS-ADDR N PAUSE-MS USER PASSWORD-FILE}
 */
public final class RedialSoak {

    private RedialSoak() {
    }

    public static void main(String[] args) throws Exception {
        InetSocketAddress lns = new InetSocketAddress(args[0], 1701);
        int n = Integer.parseInt(args[1]);
        long pause = Long.parseLong(args[2]);
        String user = args[3];
        SecretProvider secrets = SecretProvider.fixed(Secret.of(Files.readString(Path.of(args[4])).strip()));
        PppdOptions ppp = new PppdOptions(PppSettings.builder().auth(a -> a.name(user)).build(),
                PppdAppOptions.builder().ifname("l2tp-soak").build(), List.of());
        for (int i = 1; i <= n; i++) {
            Dialer d = new Dialer(new Dialer.Config("soak", lns, TunnelConfig.defaults("jl2tp-soak"), SessionConfig.defaults(),
                    ppp, secrets, "jl2tp-soak", null), e -> { });
            String why;
            try {
                d.start();
                why = d.down().get(60, TimeUnit.SECONDS);
                if (d.ipUp().isDone() && !d.ipUp().isCompletedExceptionally()) {
                    System.out.println("attempt " + i + " came up: the LNS should refuse every call");
                    System.exit(1);
                }
            } catch (Exception e) {
                why = "dial failed: " + e;
            } finally {
                if (!d.down().isDone()) {
                    d.hangUp("dial failed", 1500);
                }
                d.close();
            }
            Thread.sleep(pause);
            System.out.printf("refusal %d threads %d fds %d rss_kb %d (%s)%n", i, count("/proc/self/task"), count("/proc/self/fd"),
                    rssKb(), why.replaceAll("[^\\x20-\\x7e]", "?"));
        }
        System.exit(0);
    }

    static long count(String dir) throws IOException {
        try (Stream<Path> s = Files.list(Path.of(dir))) {
            return s.count();
        }
    }

    static long rssKb() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmRSS:"))
                .mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).findFirst().orElse(-1);
    }
}
