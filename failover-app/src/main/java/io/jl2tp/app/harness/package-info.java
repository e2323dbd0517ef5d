/**
 * The protocol test harness: the impairment relay ({@link io.jl2tp.app.harness.ImpairRelay},
 * decisions in {@link io.jl2tp.app.harness.Impairment}), libpcap output
 * ({@link io.jl2tp.app.harness.PcapWriter}) and the {@code jl2tp harness} commands.
 */
package io.jl2tp.app.harness;
