/**
 * PPP authentication: PAP (RFC 1334), CHAP-MD5 (RFC 1994) and MS-CHAPv2 (RFC 2759), each as
 * peer (we prove our identity) and authenticator (we check the remote's), plus pppd-format
 * secrets files.
 *
 * <p>Use {@link io.jl2tp.ppp.auth.AuthProtocols} to create one {@link
 * io.jl2tp.ppp.auth.AuthProtocol} per direction when LCP reaches Opened with an
 * Authentication-Protocol option; feed it the packets of its protocol number and react to
 * the {@link io.jl2tp.ppp.auth.AuthListener} callbacks. All calls run on the link's event
 * loop.
 *
 * <p>Logging: INFO for the outcome of authentication, DEBUG for each packet (decoded, names
 * only). Secrets, passwords, challenges' responses never appear in logs, exceptions or
 * {@code toString()}.
 */
package io.jl2tp.ppp.auth;
