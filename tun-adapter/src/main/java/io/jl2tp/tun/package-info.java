/** tun-adapter */
package io.jl2tp.tun;
