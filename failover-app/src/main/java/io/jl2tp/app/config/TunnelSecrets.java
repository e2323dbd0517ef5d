package io.jl2tp.app.config;

import io.jl2tp.ppp.options.PppConfigException;
import io.jl2tp.ppp.options.SecretsFile;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * xl2tpd's tunnel secrets file ({@code [global] auth file}, default /etc/l2tpd/l2tp-secrets):
 * lines of {@code THEM US SECRET}, {@code #} comments, {@code *} matching any host. The first
 * line whose {@code THEM} matches the peer (name or address as configured) and whose {@code US}
 * matches our host name wins. Like pppd's secrets, the file is refused when group or others may
 * read or write it.
 */
public final class TunnelSecrets {

    private record Entry(String them, String us, String secret) {
    }

    private final List<Entry> entries;

    private TunnelSecrets(List<Entry> entries) {
        this.entries = entries;
    }

    /** No file: no tunnel secret for anybody. */
    public static TunnelSecrets none() {
        return new TunnelSecrets(List.of());
    }

    /** Reads {@code file}; an absent file means no tunnel secrets (xl2tpd's behaviour). */
    public static TunnelSecrets load(Path file) throws BadConfigException {
        if (!Files.exists(file)) {
            return none();
        }
        String text;
        try {
            text = SecretsFile.readSecretFile(file);
        } catch (PppConfigException e) {
            throw new BadConfigException(file.toString(), 0, null, null, e.getMessage());
        }
        return parse(text, file.toString());
    }

    /** Parses the file's text; {@code name} is used in messages. */
    public static TunnelSecrets parse(String text, String name) throws BadConfigException {
        List<Entry> entries = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int hash = lines[i].indexOf('#');
            String l = (hash >= 0 ? lines[i].substring(0, hash) : lines[i]).strip();
            if (l.isEmpty()) {
                continue;
            }
            String[] w = l.split("\\s+");
            if (w.length != 3) {
                throw new BadConfigException(name, i + 1, null, null,
                        "expected 'THEM US SECRET' (3 words), found " + w.length);
            }
            entries.add(new Entry(w[0], w[1], w[2]));
        }
        return new TunnelSecrets(List.copyOf(entries));
    }

    /** The secret for a tunnel to {@code them} from {@code us}, if a line matches. */
    public Optional<byte[]> secret(String them, String us) {
        for (Entry e : entries) {
            if ((e.them.equals("*") || e.them.equalsIgnoreCase(them)) && (e.us.equals("*") || e.us.equalsIgnoreCase(us))) {
                return Optional.of(e.secret.getBytes(StandardCharsets.UTF_8));
            }
        }
        return Optional.empty();
    }
}
