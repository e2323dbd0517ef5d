/** Small reusable helpers of l2tp-core: the rate limiter for peer-caused log lines. */
package io.jl2tp.l2tp.util;
