package io.jl2tp.app.harness.conformance;

import java.util.Map;
import java.util.Set;

/**
 * Named lists of scenarios an implementation is known to fail ({@code --known l2tpns}): a
 * failure of a listed scenario is reported as {@link Verdict#KNOWN}, a pass as
 * {@link Verdict#XPASS}, so that a change either way shows. Each list was measured with this
 * harness against the implementation named (docs/conformance.md).
 */
public final class KnownDeviations {

    private static final Map<String, Set<String>> PROFILES = Map.of(
            "none", Set.of(),
            "jl2tp", Set.of(),
            "l2tpns", Set.of());

    private KnownDeviations() {
    }

    /** The scenario ids known to fail for {@code profile}, or null if there is no such profile. */
    public static Set<String> of(String profile) {
        return PROFILES.get(profile);
    }

    /** The profile names. */
    public static Set<String> profiles() {
        return PROFILES.keySet();
    }
}
