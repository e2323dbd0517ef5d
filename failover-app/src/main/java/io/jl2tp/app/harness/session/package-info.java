/**
 * What the harness LNS and LAC share: user-space calls ({@link io.jl2tp.app.harness.session.HarnessCall},
 * {@link io.jl2tp.app.harness.session.UserPlane}), the UDP socket with pcap and misbehaviour seams
 * ({@link io.jl2tp.app.harness.session.HarnessSocket}), per-call traffic streams
 * ({@link io.jl2tp.app.harness.session.CallStreams}, {@link io.jl2tp.app.harness.session.StreamReport}),
 * scenario actions and the control socket.
 */
package io.jl2tp.app.harness.session;
