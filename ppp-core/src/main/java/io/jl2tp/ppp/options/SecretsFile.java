package io.jl2tp.ppp.options;

import io.jl2tp.ppp.auth.Secret;
import io.jl2tp.ppp.auth.SecretProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A pppd {@code chap-secrets} or {@code pap-secrets} file, and the {@link SecretProvider}
 * that answers lookups from it the way pppd's {@code scan_authfile()} ({@code auth.c}) does.
 *
 * <p>Format (pppd(8) "AUTHENTICATION"): one entry per line, {@code client server secret
 * [address …]}, words split by pppd's own rules (quotes, backslash escapes, {@code #}
 * comments, see {@link PppdWords}); {@code *} as client or server matches anyone; a secret
 * {@code @/path} is replaced by the first word of that file; words after {@code --} are
 * per-client options. Lookup scoring: an entry naming
 * both client and server exactly beats one with a wildcard server, which beats a wildcard
 * client, which beats {@code * *}; among equals the first in the file wins.
 *
 * <p>Unlike pppd, which only warns ("Warning - secret file … has world and/or group
 * access"), {@link #load(Path)} refuses a file (or {@code @/path} file) readable or writable
 * by group or others. Secrets never appear in {@code toString()}, logs or exceptions.
 *
 * <p>Threads: immutable once loaded; lookups are safe from any thread.
 */
public final class SecretsFile implements SecretProvider {

    private static final Set<PosixFilePermission> GROUP_OR_OTHER = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);
    private static final Pattern IPV4ISH = Pattern.compile("[0-9.]+(/[0-9]+)?");

    private static final int NONWILD_CLIENT = 1;   // pppd auth.c scoring bits
    private static final int NONWILD_SERVER = 2;

    private final String file;                // file name for messages
    private final List<SecretEntry> entries;  // in file order

    private SecretsFile(String file, List<SecretEntry> entries) {
        this.file = file;
        this.entries = List.copyOf(entries);
    }

    /**
     * Reads and checks {@code path}: it must exist, be a regular file and have no group or
     * world permissions; so must every {@code @/path} file it names.
     */
    public static SecretsFile load(Path path) throws PppConfigException {
        String text = readSecretFile(path);
        return parse(text, path.toString(), SecretsFile::readSecretFile);
    }

    /** Reads the file named by an {@code @/path} secret. */
    @FunctionalInterface
    public interface IndirectReader {
        /** The contents of {@code path}, or an exception naming it. */
        String read(Path path) throws PppConfigException;
    }

    /**
     * Parses {@code text} as the contents of a secrets file named {@code file}; {@code @/path}
     * secrets are read with {@code indirect} (which may throw {@link PppConfigException}
     * ). Performs no permission checks: use {@link #load(Path)} for files.
     */
    public static SecretsFile parse(String text, String file, IndirectReader indirect) throws PppConfigException {
        List<PppdWords.Word> words = PppdWords.split(PppdWords.octets(text), file);
        List<SecretEntry> entries = new ArrayList<>();
        int i = 0;
        while (i < words.size()) {
            int start = i;
            i++;
            while (i < words.size() && !words.get(i).atNewline()) {
                i++;
            }
            entries.add(entry(words.subList(start, i), file, indirect));
        }
        return new SecretsFile(file, entries);
    }

    /** Builds one entry from its words (client, server, secret, addresses…). */
    private static SecretEntry entry(List<PppdWords.Word> w, String file, IndirectReader indirect)
            throws PppConfigException {
        int line = w.get(0).line();
        if (w.size() < 2) {
            throw new PppConfigException(file, line, "server", "entry has a client but no server and no secret");
        }
        if (w.size() < 3) {
            throw new PppConfigException(file, line, "secret", "entry has no secret (client server secret [addresses])");
        }
        byte[] secret = w.get(2).bytes();
        String secretText = w.get(2).text();
        if (secretText.startsWith("@/")) {
            Path p;
            try {
                p = Path.of(w.get(2).utf8().substring(1));
            } catch (java.nio.file.InvalidPathException e) {
                // a NUL octet: no file can be meant (never show the word: it is the secret column)
                throw new PppConfigException(file, line, "secret", "indirect secret file: not a valid path");
            }
            String content;
            try {
                content = indirect.read(p);
            } catch (PppConfigException e) {
                throw new PppConfigException(file, line, "secret", "indirect secret file: " + e.getMessage());
            }
            List<PppdWords.Word> sw;
            try {
                sw = PppdWords.split(PppdWords.octets(content), p.toString());
            } catch (PppConfigException e) {
                throw new PppConfigException(file, line, "secret", "indirect secret file: " + e.getMessage());
            }
            if (sw.isEmpty()) {
                throw new PppConfigException(file, line, "secret", "indirect secret file " + p + " is empty");
            }
            // pppd reads the first word of the file (getword), so a secret with spaces must be quoted.
            secret = sw.get(0).bytes();
        }
        List<String> addrs = new ArrayList<>();
        List<String> opts = new ArrayList<>();
        boolean inOptions = false;
        for (int k = 3; k < w.size(); k++) {
            String a = w.get(k).utf8();
            if (inOptions) {
                opts.add(a);
            } else if (a.equals("--")) {
                inOptions = true;   // pppd: the rest of the line is options for this client
            } else {
                checkAddress(a, file, w.get(k).line());
                addrs.add(a);
            }
        }
        if (addrs.contains("-") && addrs.size() > 1) {
            throw new PppConfigException(file, line, "addresses", "'-' (no address) must stand alone");
        }
        return new SecretEntry(w.get(0).utf8(), w.get(1).utf8(), Secret.ofBytes(secret), addrs, opts, file, line);
    }

    /** Validates one word of the address column (literal IPv4 forms must be well formed). */
    private static void checkAddress(String a, String file, int line) throws PppConfigException {
        String s = a.startsWith("!") ? a.substring(1) : a;
        if (s.isEmpty()) {
            throw new PppConfigException(file, line, "addresses", "empty address");
        }
        if (s.equals("-") || s.equals("*")) {
            return;
        }
        if (IPV4ISH.matcher(s).matches()) {
            String[] parts = s.split("/", 2);
            if (!isIpv4(parts[0])) {
                throw new PppConfigException(file, line, "addresses", "'" + a + "' is not a valid IPv4 address");
            }
            if (parts.length == 2) {
                int n = parts[1].length() > 2 ? 99 : Integer.parseInt(parts[1]);
                if (n > 32) {
                    throw new PppConfigException(file, line, "addresses", "'" + a + "': prefix length above 32");
                }
            }
        }
        // Anything else is a host name, as pppd accepts; kept as written.
    }

    /** True for a dotted quad with each part 0..255. */
    public static boolean isIpv4(String s) {
        String[] q = s.split("\\.", -1);
        if (q.length != 4) {
            return false;
        }
        for (String x : q) {
            if (x.isEmpty() || x.length() > 3 || !x.chars().allMatch(Character::isDigit) || Integer.parseInt(x) > 255) {
                return false;
            }
        }
        return true;
    }

    /**
     * Reads a secrets (or indirect secret) file after checking that it exists, is a regular
     * file and is private to its owner.
     */
    /**
     * Reads a file that holds secrets, refusing it (as pppd warns) when it is missing, not a
     * regular file, or has any group or world permission. For every secret file jl2tp reads.
     */
    public static String readSecretFile(Path path) throws PppConfigException {
        String name = path.toString();
        try {
            if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS) && !Files.exists(path)) {
                throw new PppConfigException(name, 0, null, "secrets file not found");
            }
            if (!Files.isRegularFile(path)) {
                throw new PppConfigException(name, 0, null, "secrets file is not a regular file");
            }
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(path);
            Set<PosixFilePermission> bad = EnumSet.noneOf(PosixFilePermission.class);
            bad.addAll(perms);
            bad.retainAll(GROUP_OR_OTHER);
            if (!bad.isEmpty()) {
                // pppd: "Warning - secret file %s has world and/or group access"; we refuse.
                throw new PppConfigException(name, 0, null, "secret file " + name
                        + " has world and/or group access (mode " + mode(perms) + ", "
                        + PosixFilePermissions.toString(perms) + "); refusing to use it — run: chmod 600 " + name);
            }
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new PppConfigException(name, 0, null, "secrets file not found");
        } catch (UnsupportedOperationException e) {
            throw new PppConfigException(name, 0, null, "cannot check permissions (not a POSIX file system)");
        } catch (java.nio.charset.MalformedInputException e) {
            throw new PppConfigException(name, 0, null, "not valid UTF-8 text");
        } catch (IOException e) {
            throw new PppConfigException(name, 0, null, "cannot read: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()));
        }
    }

    /** Octal mode string such as "0644". */
    static String mode(Set<PosixFilePermission> perms) {
        int m = 0;
        for (PosixFilePermission p : perms) {
            m |= 1 << (8 - p.ordinal());
        }
        return String.format("%04o", m);
    }

    /** The entries, in file order. */
    public List<SecretEntry> entries() {
        return entries;
    }

    /** The file these entries came from. */
    public String file() {
        return file;
    }

    /**
     * The best entry for {@code client} authenticating to {@code server} by pppd's scoring
     * (null client or server: any). Empty if none matches.
     */
    public Optional<SecretEntry> find(String client, String server) {
        SecretEntry best = null;
        int bestFlag = -1;
        for (SecretEntry e : entries) {
            int flag = 0;
            if (!isWild(e.client())) {
                if (client != null && !e.client().equals(client)) {
                    continue;
                }
                flag |= NONWILD_CLIENT;
            }
            if (!isWild(e.server())) {
                if (server != null && !e.server().equals(server)) {
                    continue;
                }
                flag |= NONWILD_SERVER;
            }
            if (flag <= bestFlag) {
                continue;
            }
            best = e;
            bestFlag = flag;
            if (flag == (NONWILD_CLIENT | NONWILD_SERVER)) {
                break;
            }
        }
        return Optional.ofNullable(best);
    }

    /** pppd ISWILD: the word is exactly "*". */
    private static boolean isWild(String word) {
        return word.equals("*");
    }

    @Override
    public Optional<Secret> secret(String client, String server) {
        return find(client, server).map(SecretEntry::secret);
    }

    /** File name and entry count only. */
    @Override
    public String toString() {
        return "SecretsFile[" + file + ", " + entries.size() + " entries]";
    }
}
