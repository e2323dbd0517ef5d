package io.jl2tp.testkit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a test (class or method) that needs root: network namespaces, TUN, the l2tpns LNS.
 * Without root it is skipped with a loud reason on a developer machine, and FAILS when the
 * environment variable {@code CI=true} (CI runs as root; a skip there would hide a broken test).
 * {@link #commands()} names programs that must be on the PATH, with the same rule.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag("root")
@ExtendWith(RootGate.class)
public @interface RequiresRoot {

    /** Programs the test runs (e.g. "l2tpns", "tshark"). */
    String[] commands() default {};
}
