/** Netty UDP binding of the L2TP endpoint (epoll where available). */
package io.jl2tp.l2tp.netty;
