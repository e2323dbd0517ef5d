package io.jl2tp.ppp.options;

import io.jl2tp.ppp.auth.Secret;
import java.util.Objects;
import java.util.Optional;

/**
 * Who authenticates whom and how (pppd {@code auth.c}, {@code upap.c}, {@code chap-new.c}): one of
 * the per-protocol parts of {@link PppSettings}; {@link AuthPolicy} says what they mean.
 * {@link #toString()} never shows the password.
 *
 * <p>Threads: immutable; the builder is for one thread.
 *
 * @param name {@code name}: our name for authentication (default: the host name)
 * @param user {@code user}: the name we authenticate as (default: {@code name})
 * @param remotename {@code remotename}: the remote's name for secret lookup
 * @param password {@code password}: our password as peer (overrides the secrets files); never printed
 * @param auth {@code auth} / {@code require-*} (true) and {@code noauth} (false): require the peer to authenticate
 * @param requirePap {@code require-pap} / {@code +pap}
 * @param requireChap {@code require-chap} / {@code +chap} (CHAP-MD5)
 * @param requireMschap {@code require-mschap} (MS-CHAPv1: not implemented by jl2tp)
 * @param requireMschapV2 {@code require-mschap-v2}
 * @param requireEap {@code require-eap} (not implemented by jl2tp)
 * @param refusePap {@code refuse-pap} / {@code -pap}
 * @param refuseChap {@code refuse-chap} / {@code -chap} (CHAP-MD5 only, as pppd)
 * @param refuseMschap {@code refuse-mschap}
 * @param refuseMschapV2 {@code refuse-mschap-v2}
 * @param refuseEap {@code refuse-eap}
 * @param papRestart {@code pap-restart}: seconds between Authenticate-Requests (default 3)
 * @param papMaxAuthreq {@code pap-max-authreq}: Authenticate-Requests sent before giving up (default 10)
 * @param papTimeout {@code pap-timeout}: seconds to wait for the peer's request as authenticator, 0 = forever (default 30)
 * @param chapRestart {@code chap-restart}: seconds between Challenge retransmissions (default 3)
 * @param chapMaxChallenge {@code chap-max-challenge}: Challenge transmissions before giving up (default 10)
 * @param chapInterval {@code chap-interval}: seconds between re-challenges, 0 = never (default 0)
 */
public record AuthSettings(
        Optional<String> name,
        Optional<String> user,
        Optional<String> remotename,
        Optional<Secret> password,
        boolean auth,
        boolean requirePap,
        boolean requireChap,
        boolean requireMschap,
        boolean requireMschapV2,
        boolean requireEap,
        boolean refusePap,
        boolean refuseChap,
        boolean refuseMschap,
        boolean refuseMschapV2,
        boolean refuseEap,
        int papRestart,
        int papMaxAuthreq,
        int papTimeout,
        int chapRestart,
        int chapMaxChallenge,
        int chapInterval) {

    /** pppd's defaults. */
    public static final AuthSettings DEFAULTS = builder().build();

    /** Checks for nulls. */
    public AuthSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(remotename, "remotename");
        Objects.requireNonNull(password, "password");
    }

    /** A builder preset with pppd's defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder preset with these settings. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.name = name;
        b.user = user;
        b.remotename = remotename;
        b.password = password;
        b.auth = auth;
        b.requirePap = requirePap;
        b.requireChap = requireChap;
        b.requireMschap = requireMschap;
        b.requireMschapV2 = requireMschapV2;
        b.requireEap = requireEap;
        b.refusePap = refusePap;
        b.refuseChap = refuseChap;
        b.refuseMschap = refuseMschap;
        b.refuseMschapV2 = refuseMschapV2;
        b.refuseEap = refuseEap;
        b.papRestart = papRestart;
        b.papMaxAuthreq = papMaxAuthreq;
        b.papTimeout = papTimeout;
        b.chapRestart = chapRestart;
        b.chapMaxChallenge = chapMaxChallenge;
        b.chapInterval = chapInterval;
        return b;
    }

    /** All settings, the password masked. */
    @Override
    public String toString() {
        return "AuthSettings[name=" + name + ", user=" + user + ", remotename=" + remotename + ", password="
                + (password.isPresent() ? "***" : "none") + ", auth=" + auth + ", require=" + flags(requirePap,
                requireChap, requireMschap, requireMschapV2, requireEap) + ", refuse=" + flags(refusePap, refuseChap,
                refuseMschap, refuseMschapV2, refuseEap) + ", pap=" + papRestart + "/" + papMaxAuthreq + "/" + papTimeout
                + ", chap=" + chapRestart + "/" + chapMaxChallenge + "/" + chapInterval + "]";
    }

    private static String flags(boolean pap, boolean chap, boolean mschap, boolean mschapV2, boolean eap) {
        StringBuilder sb = new StringBuilder("{");
        String[] names = {"pap", "chap", "mschap", "mschap-v2", "eap"};
        boolean[] on = {pap, chap, mschap, mschapV2, eap};
        for (int i = 0; i < on.length; i++) {
            if (on[i]) {
                sb.append(sb.length() > 1 ? "," : "").append(names[i]);
            }
        }
        return sb.append('}').toString();
    }

    /** Mutable builder for {@link AuthSettings}; setters return {@code this}. */
    public static final class Builder {
        private Optional<String> name = Optional.empty();
        private Optional<String> user = Optional.empty();
        private Optional<String> remotename = Optional.empty();
        private Optional<Secret> password = Optional.empty();
        private boolean auth = false;
        private boolean requirePap = false;
        private boolean requireChap = false;
        private boolean requireMschap = false;
        private boolean requireMschapV2 = false;
        private boolean requireEap = false;
        private boolean refusePap = false;
        private boolean refuseChap = false;
        private boolean refuseMschap = false;
        private boolean refuseMschapV2 = false;
        private boolean refuseEap = false;
        private int papRestart = 3;
        private int papMaxAuthreq = 10;
        private int papTimeout = 30;
        private int chapRestart = 3;
        private int chapMaxChallenge = 10;
        private int chapInterval = 0;

        private Builder() {
        }

        /** Sets {@code name}: our name for authentication (default: the host name). */
        public Builder name(String v) {
            this.name = Optional.ofNullable(v);
            return this;
        }

        /** Sets {@code user}: the name we authenticate as (default: {@code name}). */
        public Builder user(String v) {
            this.user = Optional.ofNullable(v);
            return this;
        }

        /** Sets {@code remotename}: the remote's name for secret lookup. */
        public Builder remotename(String v) {
            this.remotename = Optional.ofNullable(v);
            return this;
        }

        /** Sets {@code password}: our password as peer (overrides the secrets files); never printed. */
        public Builder password(Secret v) {
            this.password = Optional.ofNullable(v);
            return this;
        }

        /** Sets {@code auth} / {@code require-*} (true) and {@code noauth} (false): require the peer to authenticate. */
        public Builder auth(boolean v) {
            this.auth = v;
            return this;
        }

        /** Sets {@code require-pap} / {@code +pap}. */
        public Builder requirePap(boolean v) {
            this.requirePap = v;
            return this;
        }

        /** Sets {@code require-chap} / {@code +chap} (CHAP-MD5). */
        public Builder requireChap(boolean v) {
            this.requireChap = v;
            return this;
        }

        /** Sets {@code require-mschap} (MS-CHAPv1: not implemented by jl2tp). */
        public Builder requireMschap(boolean v) {
            this.requireMschap = v;
            return this;
        }

        /** Sets {@code require-mschap-v2}. */
        public Builder requireMschapV2(boolean v) {
            this.requireMschapV2 = v;
            return this;
        }

        /** Sets {@code require-eap} (not implemented by jl2tp). */
        public Builder requireEap(boolean v) {
            this.requireEap = v;
            return this;
        }

        /** Sets {@code refuse-pap} / {@code -pap}. */
        public Builder refusePap(boolean v) {
            this.refusePap = v;
            return this;
        }

        /** Sets {@code refuse-chap} / {@code -chap} (CHAP-MD5 only, as pppd). */
        public Builder refuseChap(boolean v) {
            this.refuseChap = v;
            return this;
        }

        /** Sets {@code refuse-mschap}. */
        public Builder refuseMschap(boolean v) {
            this.refuseMschap = v;
            return this;
        }

        /** Sets {@code refuse-mschap-v2}. */
        public Builder refuseMschapV2(boolean v) {
            this.refuseMschapV2 = v;
            return this;
        }

        /** Sets {@code refuse-eap}. */
        public Builder refuseEap(boolean v) {
            this.refuseEap = v;
            return this;
        }

        /** Sets {@code pap-restart}: seconds between Authenticate-Requests (default 3). */
        public Builder papRestart(int v) {
            this.papRestart = v;
            return this;
        }

        /** Sets {@code pap-max-authreq}: Authenticate-Requests sent before giving up (default 10). */
        public Builder papMaxAuthreq(int v) {
            this.papMaxAuthreq = v;
            return this;
        }

        /** Sets {@code pap-timeout}: seconds to wait for the peer's request as authenticator, 0 = forever (default 30). */
        public Builder papTimeout(int v) {
            this.papTimeout = v;
            return this;
        }

        /** Sets {@code chap-restart}: seconds between Challenge retransmissions (default 3). */
        public Builder chapRestart(int v) {
            this.chapRestart = v;
            return this;
        }

        /** Sets {@code chap-max-challenge}: Challenge transmissions before giving up (default 10). */
        public Builder chapMaxChallenge(int v) {
            this.chapMaxChallenge = v;
            return this;
        }

        /** Sets {@code chap-interval}: seconds between re-challenges, 0 = never (default 0). */
        public Builder chapInterval(int v) {
            this.chapInterval = v;
            return this;
        }

        /** The immutable settings. */
        public AuthSettings build() {
            return new AuthSettings(name, user, remotename, password, auth, requirePap, requireChap, requireMschap,
                    requireMschapV2, requireEap, refusePap, refuseChap, refuseMschap, refuseMschapV2,
                    refuseEap, papRestart, papMaxAuthreq, papTimeout, chapRestart, chapMaxChallenge,
                    chapInterval);
        }
    }
}
