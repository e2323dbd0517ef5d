package io.jl2tp.app.config;

import io.jl2tp.ppp.options.OptionWarning;
import io.jl2tp.ppp.options.PppConfigException;
import io.jl2tp.ppp.options.PppSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * A parsed pppd options file ({@code /etc/ppp/options.xl2tpd}, xl2tpd's {@code pppoptfile}):
 * what the PPP protocols negotiate, what the application does around the link, and the
 * warnings (file:line) for every option that was accepted without its pppd effect.
 *
 * @param ppp      the protocol settings, handed to {@link io.jl2tp.ppp.PppLink}
 * @param app      interface, routes, redial and hook settings
 * @param warnings options unknown to jl2tp or known but without effect here, in file order
 */
public record PppdOptions(PppSettings ppp, PppdAppOptions app, List<OptionWarning> warnings) {

    /** pppd's defaults, no warnings. */
    public static final PppdOptions DEFAULTS = new PppdOptions(PppSettings.DEFAULTS, PppdAppOptions.DEFAULTS, List.of());

    /** Checks for nulls and freezes the list. */
    public PppdOptions {
        Objects.requireNonNull(ppp, "ppp");
        Objects.requireNonNull(app, "app");
        warnings = List.copyOf(warnings);
    }

    /** Parses the pppd options file {@code file} (following {@code file} and {@code call} includes). */
    public static PppdOptions parse(Path file) throws PppConfigException {
        return new PppdOptionsParser().parseFile(file);
    }

    /** A copy with other protocol settings. */
    public PppdOptions withPpp(UnaryOperator<PppSettings.Builder> change) {
        return new PppdOptions(change.apply(ppp.toBuilder()).build(), app, warnings);
    }

    /** A copy with other application settings. */
    public PppdOptions withApp(UnaryOperator<PppdAppOptions.Builder> change) {
        return new PppdOptions(ppp, change.apply(app.toBuilder()).build(), warnings);
    }
}
