package io.jl2tp.l2tp.tunnel;

import io.jl2tp.l2tp.transport.TransportConfig;

import java.time.Duration;

/**
 * Settings of one control connection (both roles).
 *
 * @param hostName       our Host Name AVP (§4.4.3), also the name in logs
 * @param secret         shared tunnel secret for tunnel authentication (§5.1.1) and hidden AVPs
 *                       (§4.3); null or empty = none. Never logged.
 * @param hideAvps       send the AVPs the RFC allows to be hidden with the H bit (xl2tpd's
 *                       {@code hidden bit}); needs a secret
 * @param challenge      challenge the peer (xl2tpd's {@code challenge}); on by default when a
 *                       secret is set
 * @param transport      reliable-delivery parameters
 * @param helloInterval  send HELLO after this long without receiving anything (default 60 s,
 *                       §6.5); zero disables
 * @param vendorName     Vendor Name AVP, null for none
 * @param firmware       Firmware Revision AVP value
 * @param sendTieBreaker include a Tie Breaker AVP in our SCCRQ (§4.4.3)
 */
public record TunnelConfig(String hostName, byte[] secret, boolean hideAvps, boolean challenge,
                           TransportConfig transport, Duration helloInterval, String vendorName, int firmware,
                           boolean sendTieBreaker) {

    /** Defaults: host "jl2tp", no secret, RFC timers. */
    public static TunnelConfig defaults(String hostName) {
        return new TunnelConfig(hostName, null, false, false, TransportConfig.DEFAULTS, Duration.ofSeconds(60),
                "jl2tp", 0x0100, false);
    }

    /** Validates. */
    public TunnelConfig {
        if (hostName == null || hostName.isEmpty()) {
            throw new IllegalArgumentException("host name must not be empty (§4.4.3 Host Name)");
        }
        if (secret != null && secret.length == 0) {
            secret = null;
        }
        if (hideAvps && secret == null) {
            throw new IllegalArgumentException("hidden AVPs need a tunnel secret (§4.3)");
        }
    }

    /** True if a tunnel secret is configured. */
    public boolean hasSecret() {
        return secret != null;
    }

    public TunnelConfig withSecret(byte[] s, boolean challengePeer) {
        return new TunnelConfig(hostName, s, hideAvps && s != null, challengePeer, transport, helloInterval, vendorName,
                firmware, sendTieBreaker);
    }

    public TunnelConfig withHidden(boolean hide) {
        return new TunnelConfig(hostName, secret, hide, challenge, transport, helloInterval, vendorName, firmware,
                sendTieBreaker);
    }

    public TunnelConfig withTransport(TransportConfig t) {
        return new TunnelConfig(hostName, secret, hideAvps, challenge, t, helloInterval, vendorName, firmware,
                sendTieBreaker);
    }

    public TunnelConfig withHelloInterval(Duration d) {
        return new TunnelConfig(hostName, secret, hideAvps, challenge, transport, d, vendorName, firmware,
                sendTieBreaker);
    }

    public TunnelConfig withTieBreaker(boolean send) {
        return new TunnelConfig(hostName, secret, hideAvps, challenge, transport, helloInterval, vendorName, firmware,
                send);
    }

    @Override
    public String toString() {
        return "TunnelConfig[host=" + hostName + ", secret=" + (secret == null ? "none" : "***") + ", hidden="
                + hideAvps + ", challenge=" + challenge + ", " + transport + ", hello=" + helloInterval + "]";
    }
}
