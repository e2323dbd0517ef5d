/** The in-process harness LAC ({@link io.jl2tp.app.harness.lac.HarnessLac}) behind {@code jl2tp harness lac}. */
package io.jl2tp.app.harness.lac;
