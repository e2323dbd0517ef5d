package io.jl2tp.app.dial;

import io.jl2tp.ppp.auth.SecretProvider;
import io.jl2tp.ppp.options.PppConfigException;
import io.jl2tp.ppp.options.SecretsFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where a LAC's PPP secrets come from when no password is given: pppd's secrets files. */
public final class PppSecrets {

    private static final Logger log = LoggerFactory.getLogger(PppSecrets.class);

    private PppSecrets() {
    }

    /**
     * {@code chap-secrets} in {@code pppDir}, else {@code pap-secrets}, else none (then only an
     * LNS that does not authenticate us will take the call), each loaded with pppd's rules.
     *
     * @param who for the warning when there is neither file (the LAC's name)
     */
    public static SecretProvider fromDir(Path pppDir, String who) throws PppConfigException {
        Path chap = pppDir.resolve("chap-secrets");
        Path pap = pppDir.resolve("pap-secrets");
        if (Files.exists(chap)) {
            return SecretsFile.load(chap);
        }
        if (Files.exists(pap)) {
            return SecretsFile.load(pap);
        }
        log.warn("{}: no {} or {}; only 'noauth' LNSs will accept us", who, chap, pap);
        return SecretProvider.none();
    }
}
