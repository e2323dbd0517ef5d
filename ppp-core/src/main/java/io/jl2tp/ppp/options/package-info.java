/**
 * PPP settings, one record per protocol ({@link io.jl2tp.ppp.options.LcpSettings},
 * {@link io.jl2tp.ppp.options.AuthSettings}, {@link io.jl2tp.ppp.options.IpcpSettings},
 * {@link io.jl2tp.ppp.options.Ipv6cpSettings}, joined in
 * {@link io.jl2tp.ppp.options.PppSettings}); what they mean for authentication
 * ({@link io.jl2tp.ppp.options.AuthPolicy}); pppd's {@code chap-secrets}/{@code pap-secrets}
 * ({@link io.jl2tp.ppp.options.SecretsFile}) and its word syntax
 * ({@link io.jl2tp.ppp.options.PppdWords}). The pppd options-file parser lives in the
 * application (failover-app {@code io.jl2tp.app.config.PppdOptionsParser}), which also owns
 * the options that are not about PPP (docs/design-notes.md).
 *
 * <p>Errors are {@link io.jl2tp.ppp.options.PppConfigException} with file, line, option and
 * reason. Secrets and the {@code password} option never appear in logs, exceptions or
 * {@code toString()}.
 */
package io.jl2tp.ppp.options;
