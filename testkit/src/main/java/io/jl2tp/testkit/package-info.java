/** Test fixtures shared by the jl2tp modules: virtual time, network namespaces, the l2tpns reference LNS. */
package io.jl2tp.testkit;
