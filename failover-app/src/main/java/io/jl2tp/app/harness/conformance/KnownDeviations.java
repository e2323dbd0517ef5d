package io.jl2tp.app.harness.conformance;

import java.util.Map;
import java.util.Set;

/**
 * Named lists of scenarios an implementation is known to fail ({@code --known l2tpns}): a
 * failure of a listed scenario is reported as {@link Verdict#KNOWN}, a pass as
 * {@link Verdict#XPASS}, so that a change either way shows. Each list was measured with this
 * harness against the implementation named (docs/conformance.md); the value says what it does.
 */
public final class KnownDeviations {

    /** l2tpns 2.4.1 (Debian), measured by ConformanceL2tpnsTest. */
    private static final Map<String, String> L2TPNS = Map.of(
            "stopccn", "acknowledges the StopCCN but still answers an ICRQ on the tunnel with ICRP (and opens the session)",
            "chap-failure", "sends no CHAP Failure: after RADIUS rejects the user it only ends the call with CDN",
            "pap-failure", "sends no PAP Authenticate-Nak: after RADIUS rejects the user it only ends the call with CDN");

    private static final Map<String, Map<String, String>> PROFILES = Map.of(
            "none", Map.of(),
            "jl2tp", Map.of(),
            "l2tpns", L2TPNS);

    private KnownDeviations() {
    }

    /** The scenario ids known to fail for {@code profile}, or null if there is no such profile. */
    public static Set<String> of(String profile) {
        Map<String, String> p = PROFILES.get(profile);
        return p == null ? null : p.keySet();
    }

    /** What the implementation of {@code profile} does in scenario {@code id}, or null. */
    public static String why(String profile, String id) {
        Map<String, String> p = PROFILES.get(profile);
        return p == null ? null : p.get(id);
    }

    /** The profile names. */
    public static Set<String> profiles() {
        return new java.util.TreeSet<>(PROFILES.keySet());
    }
}
