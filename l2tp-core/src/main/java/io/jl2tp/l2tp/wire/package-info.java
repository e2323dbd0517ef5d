/**
 * L2TPv2 wire formats (RFC 2661 §3, §4): header, AVPs (typed, hidden), control and data
 * messages. The only package that knows the bytes; it does not log.
 */
package io.jl2tp.l2tp.wire;
