/**
 * {@code jl2tp harness conformance}: a scripted LAC that tests an LNS against RFC 2661 and the
 * PPP RFCs, one scenario per clause (and, with {@code --lac}, a scripted LNS that tests a LAC:
 * {@link io.jl2tp.app.harness.conformance.LacScenarios}), with l2tp-core's codec and ppp-core's packet codecs on a
 * plain UDP socket so that it can misbehave exactly ({@link io.jl2tp.app.harness.conformance.ConformanceSuite},
 * reports in {@link io.jl2tp.app.harness.conformance.Report}). The harness logs nothing; what it
 * saw is in each result's detail. Secrets never appear in a detail.
 */
package io.jl2tp.app.harness.conformance;
