package io.jl2tp.harness.junit;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Gives a test parameter of type {@link RunningHarness} a running jl2tp harness LNS or LAC,
 * started before the test and closed after it; when the test fails, what the harness sent and
 * received is kept as a pcap ({@link RunningHarness#pcap()}, under {@code target/l2tp-harness/}
 * unless the system property {@code jl2tp.harness.pcapDir} says otherwise).
 *
 * <pre>
 * &#64;Test
 * void myLacConnects(&#64;L2tpHarness(users = "alice:s3cret") RunningHarness lns) throws Exception {
 *     myLac.dial("127.0.0.1", lns.port(), "alice", "s3cret");
 *     lns.awaitSessionsUp(1, Duration.ofSeconds(10));
 * }
 * </pre>
 *
 * A {@link Role#LAC} parameter dials {@link #lns()}, or, when that is empty, the harness LNS of
 * an earlier parameter of the same test.
 */
@Documented
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(L2tpHarnessExtension.class)
public @interface L2tpHarness {

    /** Which harness: an LNS to point a LAC at, or a LAC that dials an LNS. */
    enum Role { LNS, LAC }

    /** The harness's role (default: an LNS). */
    Role role() default Role.LNS;

    /**
     * PPP users as {@code name:secret}: the LNS accepts each; the LAC dials as the first
     * (default {@code harness} with an empty secret, which a CHAP LNS refuses).
     */
    String[] users() default {};

    /**
     * Scenario lines in the format of {@code jl2tp harness lns --scenario} (one directive a line,
     * e.g. {@code "auth reject"}, {@code "drop control 3"}, {@code "after 2s stopccn result 6"}).
     */
    String[] scenario() default {};

    /** A scenario file (path relative to the working directory), read after {@link #scenario()}. */
    String scenarioFile() default "";

    /** LAC: the LNS to dial as {@code HOST:PORT}; empty: the harness LNS of an earlier parameter. */
    String lns() default "";

    /** LAC: tunnels to open. */
    int tunnels() default 1;

    /** LAC: calls per tunnel. */
    int sessions() default 1;

    /** LNS/LAC: offer IPV6CP besides IPCP. */
    boolean ipv6() default true;
}
