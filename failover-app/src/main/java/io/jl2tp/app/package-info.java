/** failover-app */
package io.jl2tp.app;
