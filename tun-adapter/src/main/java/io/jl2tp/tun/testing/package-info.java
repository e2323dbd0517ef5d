/** In-memory TUN device and packet helpers for tests of other modules. */
package io.jl2tp.tun.testing;
