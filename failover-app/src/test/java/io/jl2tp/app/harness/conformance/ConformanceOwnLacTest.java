package io.jl2tp.app.harness.conformance;

import io.jl2tp.app.config.PppdOptions;
import io.jl2tp.app.dial.Dialer;
import io.jl2tp.app.dial.RedialPolicy;
import io.jl2tp.app.dial.Redialer;
import io.jl2tp.l2tp.tunnel.SessionConfig;
import io.jl2tp.l2tp.tunnel.TunnelConfig;
import io.jl2tp.ppp.auth.Secret;
import io.jl2tp.ppp.auth.SecretProvider;
import io.jl2tp.testkit.NetNs;
import io.jl2tp.testkit.RequiresRoot;
import org.junit.jupiter.api.Test;

import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The {@code --lac} suite against jl2tp's own LAC: a {@link Redialer} (redial after 200 ms, tunnel
 * secret, challenging the LNS) in one namespace dials the harness LNS in another, once per
 * scenario. Every scenario's verdict is asserted.
 */
@RequiresRoot(commands = {"ip"})
class ConformanceOwnLacTest {

    private static final InetSocketAddress LNS = new InetSocketAddress("203.0.113.2", 1701);

    @Test
    void everyScenarioPasses() throws Exception {
        byte[] secret = "tunnelsecret".getBytes(StandardCharsets.US_ASCII);
        try (NetNs lnsNs = NetNs.create("hlns"); NetNs lacNs = NetNs.create("hlac")) {
            NetNs.veth(lacNs, "wan", "203.0.113.1/24", lnsNs, "wan", "203.0.113.2/24");
            // The dial thread lives in the LAC's namespace (a thread inherits its creator's).
            ScheduledExecutorService scheduler = lacNs.call(() -> {
                ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "conformance-lac");
                    t.setDaemon(true);
                    return t;
                });
                s.submit(() -> { }).get();
                return s;
            });
            RedialPolicy fast = new RedialPolicy(true, Duration.ofMillis(200), false, Duration.ofMillis(200), 0, 0);
            Redialer lac = new Redialer("conf", () -> new Dialer.Config("conf", LNS,
                    TunnelConfig.defaults("jl2tp-lac").withSecret(secret, true), SessionConfig.defaults(),
                    PppdOptions.DEFAULTS.withPpp(b -> b.auth(a -> a.name("alice"))).withApp(a -> a.ifname("l2tp-conf")),
                    SecretProvider.fixed(Secret.of("s3cret")), "jl2tp-lac", null), fast, scheduler, new Redialer.Listener() { });
            Target target = new Target(LNS, secret, null, null, Duration.ofSeconds(3));
            List<Result> results;
            try (DatagramSocket socket = lnsNs.call(() -> new DatagramSocket(LNS))) {
                lac.activate();
                results = ConformanceSuite.run(target, LacScenarios.all(socket, Duration.ofSeconds(30)), KnownDeviations.of("jl2tp"),
                        r -> System.out.println(r.scenario().id() + " " + r.verdict() + " " + r.detail()));
            } finally {
                lac.deactivate("test over");
                scheduler.shutdownNow();
            }
            System.out.print(Report.table(results));
            Map<String, Verdict> got = new TreeMap<>();
            Map<String, Verdict> want = new TreeMap<>();
            for (Result r : results) {
                got.put(r.scenario().id(), r.verdict());
                want.put(r.scenario().id(), Verdict.PASS);
            }
            assertEquals(want, got, Report.table(results));
        }
    }
}
