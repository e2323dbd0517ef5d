/** l2tp-core */
package io.jl2tp.l2tp;
