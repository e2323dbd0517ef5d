/** Reliable delivery of control messages (RFC 2661 §5.8, Appendix A). */
package io.jl2tp.l2tp.transport;
