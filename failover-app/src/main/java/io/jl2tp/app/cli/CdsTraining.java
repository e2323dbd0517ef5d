package io.jl2tp.app.cli;

import io.jl2tp.l2tp.netty.L2tpSocket;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The training run behind the class-data-sharing archive (JDK 17: {@code -XX:ArchiveClassesAtExit})
 * or the AOT cache (JDK 25: {@code -XX:AOTCacheOutput}) that dist/jl2tp-java builds on first use:
 * loads what a daemon start loads — picocli's command tree, the logging set-up, the xl2tpd.conf
 * and pppd options parsers ({@code xl2tpd --check} on a throw-away configuration), the L2TP
 * socket on Netty's transport (bound to loopback, then closed), JNA's binding of libc (the TUN
 * device, sd_notify; ~90 classes and java.logging) — and exits. Touches nothing
 * outside its temporary directory. {@code java -cp jl2tp.jar io.jl2tp.app.cli.CdsTraining}.
 * With {@code -Djl2tp.native.out=DIR} it also copies the jar's native libraries into DIR
 * ({@link NativeLibraries}).
 */
public final class CdsTraining {

    private CdsTraining() {
    }

    public static void main(String[] args) throws Exception {
        String nativeOut = System.getProperty(NativeLibraries.OUT_PROPERTY);
        if (nativeOut != null && !nativeOut.isEmpty()) {
            NativeLibraries.extract(Path.of(nativeOut));
        }
        Path dir = Files.createTempDirectory("jl2tp-cds");
        try {
            Path options = Files.writeString(dir.resolve("options"), "name train\nnoauth\nmtu 1400\nifname l2tp-train\n");
            Path conf = Files.writeString(dir.resolve("xl2tpd.conf"), "[global]\nmax retries = 5\n[lac train]\nlns = 127.0.0.1\n"
                    + "pppoptfile = " + options + "\nautodial = no\nredial = yes\n");
            Path secrets = Files.writeString(dir.resolve("chap-secrets"), "train * secret\n");
            Files.setPosixFilePermissions(secrets, PosixFilePermissions.fromString("rw-------"));
            int rc = Main.commandLine("xl2tpd").execute("xl2tpd", "--check", "-c", conf.toString(), "--ppp-dir", dir.toString());
            org.slf4j.LoggerFactory.getLogger(CdsTraining.class).info("{}", Transport.describe());
            L2tpSocket socket = L2tpSocket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            socket.close("training", 200);
            io.jl2tp.tun.linux.LibC.getpid();
            if (rc != 0) {
                throw new IllegalStateException("xl2tpd --check on the training configuration: exit " + rc);
            }
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(dir);
        }
    }
}
