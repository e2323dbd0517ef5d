package io.jl2tp.app.lns;

import io.jl2tp.app.ProcessResources;
import io.jl2tp.app.dial.Dialer;
import io.jl2tp.l2tp.netty.L2tpSocket;
import io.jl2tp.l2tp.tunnel.SessionConfig;
import io.jl2tp.l2tp.tunnel.Tunnel;
import io.jl2tp.l2tp.tunnel.TunnelConfig;
import io.jl2tp.ppp.PppEvent;
import io.jl2tp.ppp.options.PppSettings;
import io.jl2tp.app.config.PppdOptions;
import io.jl2tp.ppp.options.SecretsFile;
import io.jl2tp.testkit.NetNs;
import io.jl2tp.testkit.RequiresRoot;
import org.junit.jupiter.api.Test;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 11 row 3: calls that never authenticate get nothing — no pool address, no TUN
 * interface, no thread — so they cannot lock a real user out. The pool here has one address;
 * three unauthenticated calls are open while a real user dials.
 */
@RequiresRoot(commands = {"ip"})
class LnsUnauthenticatedCallsTest {

    private static final InetSocketAddress LNS = new InetSocketAddress("203.0.113.2", 1701);

    @Test
    void unauthenticatedCallsHoldNoAddressInterfaceOrThreadAndARealUserGetsIn() throws Exception {
        SecretsFile users = SecretsFile.parse("alice * s3cret\n", "users", p -> {
            throw new IllegalStateException();
        });
        try (NetNs lnsNs = NetNs.create("ulns"); NetNs lacNs = NetNs.create("ulac")) {
            NetNs.veth(lacNs, "wan", "203.0.113.1/24", lnsNs, "wan", "203.0.113.2/24");
            int calls = 3;
            CountDownLatch lnsStarted = new CountDownLatch(calls); // the LNS started PPP on the call
            LnsServer lns = new LnsServer(new LnsServer.Config(LNS, TunnelConfig.defaults("jl2tp-lns"),
                    PppSettings.builder().auth(a -> a.auth(true).requireChap(true)).build(), users,
                    (Inet4Address) InetAddress.getByName("198.51.100.1"), LnsServer.range("198.51.100.", 128, 128), List.of()),
                    e -> {
                        if (e instanceof PppEvent.PhaseChanged p && p.phase() == PppEvent.Phase.ESTABLISH) {
                            lnsStarted.countDown();
                        }
                    });
            lnsNs.run(lns::start);
            L2tpSocket silent = lacNs.call(() -> L2tpSocket.bind(new InetSocketAddress("203.0.113.1", 0)));
            Dialer dialer = null;
            try {
                java.util.Set<Thread> threadsBefore = ProcessResources.threads();
                silent.call(() -> {
                    Tunnel t = silent.endpoint().connect(LNS, TunnelConfig.defaults("silent"), e -> { });
                    for (int i = 0; i < calls; i++) {
                        t.openSession(SessionConfig.defaults(), f -> f.release()); // never answers PPP
                    }
                    return null;
                }).get();
                assertTrue(lnsStarted.await(20, TimeUnit.SECONDS), "the LNS took the calls and started PPP on them");
                assertEquals(calls, lns.calls());
                assertEquals(1, lns.freeAddresses(), "no address before authentication");
                assertFalse(lnsNs.exec("ip", "-o", "link").contains("lns"), "no interface before authentication");
                assertEquals(List.of(), ProcessResources.added(threadsBefore, ProcessResources.threads()),
                        "no thread before authentication");

                dialer = new Dialer(new Dialer.Config("real", LNS, TunnelConfig.defaults("jl2tp-lac"), SessionConfig.defaults(),
                        PppdOptions.DEFAULTS.withPpp(b -> b.auth(a -> a.name("alice"))).withApp(a -> a.ifname("l2tp-real")), users, "jl2tp-lac", null), e -> { });
                lacNs.run(dialer::start);
                PppEvent.IpUp ip = dialer.ipUp().get(20, TimeUnit.SECONDS);
                assertEquals("198.51.100.128", ip.local().getHostAddress(), "the real user got the pool's address");
                assertEquals(0, lns.freeAddresses());
                assertTrue(lnsNs.exec("ip", "-o", "link").contains("lns"), "the authenticated call has its interface");
            } finally {
                if (dialer != null) {
                    dialer.hangUp("test over", 2000);
                }
                silent.close("test over", 500);
                lns.close();
            }
            assertEquals(1, lns.freeAddresses(), "the address is back in the pool after the call");
        }
    }

    /**
     * The address goes back to the pool when the call's interface cannot be created: with a pool
     * of one, the first call fails that way and the next caller still gets the address.
     */
    @Test
    void anAddressIsNotLostWhenTheInterfaceCannotBeCreated() throws Exception {
        SecretsFile users = SecretsFile.parse("alice * s3cret\n", "users", p -> {
            throw new IllegalStateException();
        });
        java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();
        try (NetNs lnsNs = NetNs.create("flns"); NetNs lacNs = NetNs.create("flac")) {
            NetNs.veth(lacNs, "wan", "203.0.113.1/24", lnsNs, "wan", "203.0.113.2/24");
            LnsServer lns = new LnsServer(new LnsServer.Config(LNS, TunnelConfig.defaults("jl2tp-lns"),
                    PppSettings.builder().auth(a -> a.auth(true).requireChap(true)).build(), users,
                    (Inet4Address) InetAddress.getByName("198.51.100.1"), LnsServer.range("198.51.100.", 128, 128), List.of()),
                    e -> { }, ifname -> {
                        if (attempts.incrementAndGet() == 1) {
                            throw new java.io.IOException("TUNSETIFF " + ifname + ": Device or resource busy (test)");
                        }
                        return io.jl2tp.app.dial.KernelLink.create(ifname);
                    });
            lnsNs.run(lns::start);
            try {
                for (int i = 1; i <= 2; i++) {
                    Dialer d = new Dialer(new Dialer.Config("try" + i, LNS, TunnelConfig.defaults("jl2tp-lac"),
                            SessionConfig.defaults(), PppdOptions.DEFAULTS.withPpp(b -> b.auth(a -> a.name("alice"))).withApp(a -> a.ifname("l2tp-try")), users,
                            "jl2tp-lac", null), e -> { });
                    try {
                        lacNs.run(d::start);
                        if (i == 1) {
                            d.down().get(30, TimeUnit.SECONDS); // the LNS closes the call it cannot give an interface
                        } else {
                            assertEquals("198.51.100.128", d.ipUp().get(20, TimeUnit.SECONDS).local().getHostAddress(),
                                    "the second caller gets the address the first call could not use");
                        }
                    } finally {
                        d.hangUp("test over", 2000);
                    }
                }
                assertEquals(2, attempts.get());
            } finally {
                lns.close();
            }
            assertEquals(1, lns.freeAddresses());
        }
    }
}
