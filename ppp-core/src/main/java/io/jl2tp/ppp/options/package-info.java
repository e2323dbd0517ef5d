/**
 * pppd-compatible configuration: options files ({@link io.jl2tp.ppp.options.PppOptions},
 * {@link io.jl2tp.ppp.options.PppOptionsParser}), {@code chap-secrets}/{@code pap-secrets}
 * ({@link io.jl2tp.ppp.options.SecretsFile}) and what the options mean for authentication
 * ({@link io.jl2tp.ppp.options.AuthPolicy}).
 *
 * <p>Errors are {@link io.jl2tp.ppp.options.PppConfigException} with file, line, option and
 * reason. Unknown options are logged at WARN with file:line and kept. Secrets and the
 * {@code password} option never appear in logs, exceptions or {@code toString()}.
 */
package io.jl2tp.ppp.options;
