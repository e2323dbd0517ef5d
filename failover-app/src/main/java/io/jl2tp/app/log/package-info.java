/** Logging: the one escaping point for log text, journald priorities, syslog, xl2tpd's debug keys. */
package io.jl2tp.app.log;
