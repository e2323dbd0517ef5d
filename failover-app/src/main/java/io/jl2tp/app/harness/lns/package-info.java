/** The in-process harness LNS ({@link io.jl2tp.app.harness.lns.HarnessLns}) behind {@code jl2tp harness lns}. */
package io.jl2tp.app.harness.lns;
