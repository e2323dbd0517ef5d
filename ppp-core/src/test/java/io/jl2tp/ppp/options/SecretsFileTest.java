package io.jl2tp.ppp.options;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jl2tp.ppp.auth.AuthMethod;
import io.jl2tp.ppp.auth.AuthProtocols;
import io.jl2tp.ppp.auth.Secret;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** pppd chap-secrets / pap-secrets parsing, lookup scoring and permission checks. */
class SecretsFileTest {

    @TempDir
    Path dir;

    private static SecretsFile parse(String text) throws PppConfigException {
        return SecretsFile.parse(text, "chap-secrets", p -> {
            throw new PppConfigException(p.toString(), 0, null, "not found");
        });
    }

    private static String secret(SecretsFile f, String client, String server) {
        return f.secret(client, server).map(Secret::reveal).orElse(null);
    }

    /** Word splitting: quotes, escapes, comments, continuation. Columns: text → client|server|secret|addresses. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "alice lns pw                           | alice | lns | pw    | []",
            "`\"alice smith\" * \"pass word\"`      | alice smith | * | pass word | []",
            "`'single q' srv 'it''s'`               | single q | srv | its | []",
            "`alice lns a\\sb`                      | alice | lns | a b | []",
            "`alice lns a\\\\b`                     | alice | lns | a\\b | []",
            "`alice lns \\x41\\102c`                | alice | lns | ABc | []",
            "`alice lns pw#comment`                 | alice | lns | pw | []",
            "`alice lns \"pw#not-comment\"`         | alice | lns | pw#not-comment | []",
            "`alice lns pw 10.0.0.1 10.1.0.0/16`    | alice | lns | pw | [10.0.0.1, 10.1.0.0/16]",
            "`alice lns pw -`                       | alice | lns | pw | [-]",
            "`alice lns pw *`                       | alice | lns | pw | [*]",
            "`alice lns pw !10.0.0.9 peer.example`  | alice | lns | pw | [!10.0.0.9, peer.example]",
            "`alice lns \"\"`                       | alice | lns |  | []",
            "`alice lns pw 10.0.0.1 -- ipparam x`   | alice | lns | pw | [10.0.0.1]",
            "`alice \\\n lns pw`                    | alice | lns | pw | []",
            "`alice lns \"multi\nline\"`            | alice | lns | `multi\nline` | []",
    })
    void parsesOneEntry(String text, String client, String server, String secret, String addrs) throws Exception {
        SecretsFile f = parse(text);
        assertEquals(1, f.entries().size(), f.entries().toString());
        SecretEntry e = f.entries().get(0);
        assertEquals(client, e.client());
        assertEquals(server, e.server());
        assertEquals(secret == null ? "" : secret, e.secret().reveal());
        assertEquals(addrs, e.addresses().toString());
        assertEquals(1, e.line());
    }

    @Test
    void secretsAreOctetStringsAsInPppd() throws Exception {
        // \xff and \0 escapes give raw octets; UTF-8 text keeps its UTF-8 octets.
        SecretsFile f = parse("alice lns a\\xff\\0b\nbjörn lns pässword\n");
        assertArrayEquals(new byte[] {'a', (byte) 0xff, 0, 'b'}, f.entries().get(0).secret().bytes());
        assertArrayEquals("pässword".getBytes(StandardCharsets.UTF_8), f.secret("björn", "lns").orElseThrow().bytes());
        // MS-CHAPv2 hashes UTF-16LE: valid UTF-8 is decoded, other octets zero-extended like pppd.
        assertArrayEquals("pässword".getBytes(StandardCharsets.UTF_16LE), f.entries().get(1).secret().unicode());
        assertArrayEquals(new byte[] {'a', 0, (byte) 0xff, 0, 0, 0, 'b', 0}, f.entries().get(0).secret().unicode());
    }

    @Test
    void commentsBlankLinesAndLineNumbers() throws Exception {
        SecretsFile f = parse("""
                # Secrets for authentication using CHAP
                # client\tserver\tsecret\t\t\tIP addresses

                alice\tlns\t"s3cret"\t*
                  # indented comment
                bob * hunter2   # trailing comment
                """);
        assertEquals(2, f.entries().size());
        assertEquals(4, f.entries().get(0).line());
        assertEquals(6, f.entries().get(1).line());
        assertEquals("hunter2", f.entries().get(1).secret().reveal());
    }

    @Test
    void scoringPrefersExactMatchesLikePppd() throws Exception {
        SecretsFile f = parse("""
                * * any-any
                * lns any-lns
                alice * alice-any
                alice lns alice-lns
                alice lns second-exact
                """);
        assertEquals("alice-lns", secret(f, "alice", "lns"), "exact beats wildcards; first exact wins");
        assertEquals("alice-any", secret(f, "alice", "other"));
        assertEquals("any-lns", secret(f, "bob", "lns"));
        assertEquals("any-any", secret(f, "bob", "other"));
        SecretsFile order = parse("* lns wild-client\nalice * wild-server\n");
        // pppd: NONWILD_SERVER (2) outranks NONWILD_CLIENT (1).
        assertEquals("wild-client", secret(order, "alice", "lns"));
        SecretsFile none = parse("alice lns pw\n");
        assertEquals(Optional.empty(), none.secret("bob", "lns"));
        assertEquals(Optional.empty(), none.secret("alice", "LNS"), "names are case-sensitive");
    }

    @Test
    void indirectSecretFile() throws Exception {
        SecretsFile f = SecretsFile.parse("alice lns @/etc/ppp/alice.pw 10.0.0.1\n", "chap-secrets",
                p -> p.toString().equals("/etc/ppp/alice.pw") ? "\"from file\" ignored-rest\nsecond line\n" : null);
        assertEquals("from file", f.entries().get(0).secret().reveal());
        assertEquals(List.of("10.0.0.1"), f.entries().get(0).addresses());
    }

    @Test
    void indirectSecretPathWithNulIsAConfigErrorThatDoesNotShowTheSecret() {
        // issue #11 (found by PppConfigFuzzTest#secretsFile): Path.of would throw InvalidPathException
        PppConfigException e = assertThrows(PppConfigException.class,
                () -> SecretsFile.parse("ok ok ok\nalice lns @/etc/ppp/pw\u0000x\n", "chap-secrets", p -> "never read"));
        assertEquals(2, e.line());
        assertEquals("secret", e.option());
        assertFalse(e.getMessage().contains("/etc/ppp/pw"), e.getMessage());
    }

    @Test
    void errorsNameFileLineAndColumnButNeverTheSecret() {
        PppConfigException e = assertThrows(PppConfigException.class, () -> parse("\n\nalice lns\n"));
        assertEquals("chap-secrets:3: option 'secret': entry has no secret (client server secret [addresses])", e.getMessage());
        e = assertThrows(PppConfigException.class, () -> parse("alice\n"));
        assertEquals(1, e.line());
        assertEquals("server", e.option());
        e = assertThrows(PppConfigException.class, () -> parse("ok ok ok\nalice lns topsecret 10.0.0.256\n"));
        assertEquals("chap-secrets:2: option 'addresses': '10.0.0.256' is not a valid IPv4 address", e.getMessage());
        e = assertThrows(PppConfigException.class, () -> parse("alice lns topsecret 10.0.0.0/33\n"));
        assertEquals("addresses", e.option());
        e = assertThrows(PppConfigException.class, () -> parse("alice lns topsecret - 10.0.0.1\n"));
        assertEquals("'-' (no address) must stand alone", e.reason());
        e = assertThrows(PppConfigException.class, () -> parse("alice lns \"topsecret\n"));
        assertEquals("chap-secrets:1: unterminated double quote", e.getMessage());
        assertFalse(e.getMessage().contains("topsecret"));
        e = assertThrows(PppConfigException.class, () -> parse("alice lns @/nowhere\n"));
        assertEquals("chap-secrets:1: option 'secret': indirect secret file: /nowhere: not found", e.getMessage());
    }

    @Test
    void optionsAfterDoubleDash() throws Exception {
        SecretsFile f = parse("alice lns pw 10.0.0.1 -- ipparam x\nbob lns pw --\n");
        assertEquals(List.of("ipparam", "x"), f.entries().get(0).options());
        assertEquals(List.of("10.0.0.1"), f.entries().get(0).addresses());
        assertEquals(List.of(), f.entries().get(1).options());
        assertEquals(List.of(), f.entries().get(1).addresses());
    }

    @Test
    void toStringNeverShowsSecrets() throws Exception {
        SecretsFile f = parse("alice lns topsecret 10.0.0.1\n");
        assertFalse(f.toString().contains("topsecret"));
        assertFalse(f.entries().toString().contains("topsecret"));
        assertEquals("SecretEntry[chap-secrets:1 client=alice server=lns secret=*** addresses=[10.0.0.1]]",
                f.entries().get(0).toString());
    }

    @Test
    void addressHelpers() throws Exception {
        SecretsFile f = parse("a s p -\nb s p\nc s p *\nd s p 10.0.0.1\n");
        assertTrue(f.entries().get(0).noAddressAllowed());
        assertTrue(f.entries().get(1).anyAddressAllowed());
        assertTrue(f.entries().get(2).anyAddressAllowed());
        assertFalse(f.entries().get(3).anyAddressAllowed());
        assertFalse(f.entries().get(3).noAddressAllowed());
    }

    // ---- files on disk ------------------------------------------------------------------

    private Path write(String name, String text, String perms) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms));
        return p;
    }

    @Test
    void load_privateFileIsAccepted() throws Exception {
        Path p = write("chap-secrets", "alice lns s3cret\n", "rw-------");
        SecretsFile f = SecretsFile.load(p);
        assertEquals("s3cret", secret(f, "alice", "lns"));
        assertEquals(p.toString(), f.file());
    }

    @Test
    void load_worldReadableFileIsRefused() throws Exception {
        Path p = write("chap-secrets", "alice lns s3cret\n", "rw-r--r--");
        PppConfigException e = assertThrows(PppConfigException.class, () -> SecretsFile.load(p));
        assertEquals(p + ": secret file " + p + " has world and/or group access (mode 0644, rw-r--r--);"
                + " refusing to use it — run: chmod 600 " + p, e.getMessage());
        assertFalse(e.getMessage().contains("s3cret"));
    }

    @Test
    void load_groupWritableFileIsRefused() throws Exception {
        Path p = write("pap-secrets", "alice lns s3cret\n", "rw--w----");
        PppConfigException e = assertThrows(PppConfigException.class, () -> SecretsFile.load(p));
        assertTrue(e.reason().contains("mode 0620"), e.getMessage());
    }

    /** NixOS + agenix: /etc/xl2tpd/ppp/chap-secrets is a symlink (mode 0777) to a 0600 file in /run/agenix. */
    @Test
    void load_theModeOfASymlinksTargetCounts() throws Exception {
        Path target = write("agenix-secret", "alice lns s3cret\n", "rw-------");
        Path link = Files.createSymbolicLink(dir.resolve("chap-secrets-link"), target);
        assertEquals("s3cret", secret(SecretsFile.load(link), "alice", "lns"));
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
        PppConfigException e = assertThrows(PppConfigException.class, () -> SecretsFile.load(link));
        assertTrue(e.reason().contains("mode 0644"), e.getMessage());
    }

    @Test
    void load_missingFileIsAClearError() {
        Path p = dir.resolve("nope");
        PppConfigException e = assertThrows(PppConfigException.class, () -> SecretsFile.load(p));
        assertEquals(p + ": secrets file not found", e.getMessage());
    }

    @Test
    void load_indirectFileIsCheckedToo() throws Exception {
        Path pw = write("alice.pw", "from-indirect\n", "rw-------");
        Path p = write("chap-secrets", "alice lns @" + pw + "\n", "rw-------");
        assertEquals("from-indirect", secret(SecretsFile.load(p), "alice", "lns"));
        Files.setPosixFilePermissions(pw, PosixFilePermissions.fromString("rw-r-----"));
        PppConfigException e = assertThrows(PppConfigException.class, () -> SecretsFile.load(p));
        assertEquals(1, e.line());
        assertTrue(e.reason().contains("has world and/or group access (mode 0640"), e.getMessage());
    }

    /** The seed set-up: options "name <USERNAME>" (auth settings) plus a 0600 chap-secrets; CHAP against an LNS. */
    @Test
    void seedSetupAuthenticatesWithChap() throws Exception {
        Path secrets = write("chap-secrets", "# AAISP L2TP\nuser@a.1 * \"line password\"\n", "rw-------");
        // the seed's options file: +ipv6 ipv6cp-use-ipaddr name user@a.1 noauth ifname l2tp-aaisp
        AuthSettings o = AuthSettings.builder().name("user@a.1").auth(false).build();
        SecretsFile f = SecretsFile.load(secrets);
        String user = AuthPolicy.user(o, "host");
        assertEquals("user@a.1", user);
        io.jl2tp.testkit.VirtualScheduler loop = new io.jl2tp.testkit.VirtualScheduler();
        java.util.List<String> events = new java.util.ArrayList<>();
        java.util.List<io.netty.buffer.ByteBuf> out = new java.util.ArrayList<>();
        io.jl2tp.ppp.auth.AuthListener l = new io.jl2tp.ppp.auth.AuthListener() {
            @Override
            public void send(int protocol, io.netty.buffer.ByteBuf packet) {
                out.add(packet);
            }

            @Override
            public void succeeded(String peerName, String message) {
                events.add("ok " + peerName);
            }

            @Override
            public void failed(String reason) {
                events.add("failed " + reason);
            }
        };
        var peer = AuthProtocols.peer(AuthMethod.CHAP_MD5, user, AuthPolicy.peerSecrets(o, f),
                o.remotename().orElse(null), AuthPolicy.peerConfig(o, AuthMethod.CHAP_MD5), loop, l);
        peer.start();
        byte[] challenge = new byte[16];
        byte[] name = "lns.aa.net.uk".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        io.netty.buffer.ByteBuf c = io.netty.buffer.Unpooled.buffer();
        c.writeByte(1).writeByte(7).writeShort(4 + 1 + 16 + name.length).writeByte(16).writeBytes(challenge).writeBytes(name);
        peer.input(c);
        c.release();
        assertEquals(1, out.size());
        io.netty.buffer.ByteBuf r = out.get(0);
        assertEquals(2, r.getByte(0));
        assertEquals(7, r.getByte(1));
        byte[] value = new byte[16];
        r.getBytes(5, value);
        assertEquals(java.util.HexFormat.of().formatHex(io.jl2tp.ppp.auth.ChapMd5.response(7,
                "line password".getBytes(java.nio.charset.StandardCharsets.US_ASCII), challenge)),
                java.util.HexFormat.of().formatHex(value));
        r.release();
        assertEquals(List.of(), events);
        assertTrue(AuthPolicy.authenticatorMethods(o).isEmpty(), "noauth: we do not ask the LNS to authenticate");
    }
}
