package io.jl2tp.dist;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shipped jar (failover-app/target/jl2tp.jar, which this module is built after) carries only
 * the part of BouncyCastle jl2tp uses (failover-app/pom.xml): every BouncyCastle class in it links,
 * and MS-CHAPv2 computed from the jar alone gives RFC 2759 §9.2's answers.
 */
class ShadedJarTest {

    /** Runs in a JVM whose class path is the shaded jar and this class only. */
    public static final class Probe {
        public static void main(String[] args) throws Exception {
            int linked = 0;
            try (JarFile jar = new JarFile(args[0])) {
                for (var e : (Iterable<java.util.jar.JarEntry>) jar.stream()::iterator) {
                    String n = e.getName();
                    if (n.startsWith("org/bouncycastle/") && n.endsWith(".class")) {
                        Class<?> c = Class.forName(n.substring(0, n.length() - 6).replace('/', '.'), false,
                                Probe.class.getClassLoader());
                        c.getDeclaredMethods(); // links the signatures' types too
                        linked++;
                    }
                }
            }
            HexFormat hex = HexFormat.of();
            byte[] auth = hex.parseHex("5b5d7c7d7b3f2f3e3c2c602132262628");
            byte[] peer = hex.parseHex("21402324255e262a28295f2b3a337c7e");
            byte[] hash = io.jl2tp.ppp.auth.MsChapV2.ntPasswordHash("clientPass".getBytes(StandardCharsets.UTF_16LE));
            byte[] challenge = io.jl2tp.ppp.auth.MsChapV2.challengeHash(peer, auth, "User");
            byte[] response = io.jl2tp.ppp.auth.MsChapV2.challengeResponse(challenge, hash);
            System.out.println("linked=" + (linked > 0) + " hash=" + hex.formatHex(hash)
                    + " challenge=" + hex.formatHex(challenge) + " response=" + hex.formatHex(response));
        }
    }

    @Test
    void bouncyCastleInTheJarLinksAndMsChapV2MatchesRfc2759() throws Exception {
        Path jar = Path.of(System.getProperty("user.dir")).getParent().resolve("failover-app/target/jl2tp.jar");
        assertTrue(Files.isRegularFile(jar), jar + ": build failover-app first (mvn verify builds it before this module)");
        Path probe = Path.of(Probe.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", jar + File.pathSeparator + probe, Probe.class.getName(), jar.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertEquals("linked=true hash=44ebba8d5312b8d611474411f56989ae challenge=d02e4386bce91226"
                + " response=82309ecd8d708b5ea08faa3981cd83544233114a3d85d6df", out);
        try (JarFile j = new JarFile(jar.toFile())) {
            long bc = j.stream().filter(e -> e.getName().startsWith("org/bouncycastle/")).count();
            assertTrue(bc < 1500, bc + " BouncyCastle entries: the shade filter is not applied");
        }
    }
}
