/** ppp-core */
package io.jl2tp.ppp;
