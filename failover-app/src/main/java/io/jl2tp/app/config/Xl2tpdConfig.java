package io.jl2tp.app.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * An xl2tpd.conf as jl2tp understands it: {@code [global]}, the {@code [lac NAME]} sections, and
 * jl2tp's {@code [failover NAME]} sections. Immutable.
 *
 * @param global    the [global] section
 * @param lacs      [lac NAME] sections by name, in file order
 * @param failovers [failover NAME] sections by the LAC they dial
 * @param warnings  unknown keys and keys accepted but without effect, each with file:line; at
 *                  most {@link Xl2tpdConfigParser#MAX_WARNINGS}, the last then saying how many more
 * @param warningCount every warning, shown or not
 */
public record Xl2tpdConfig(Global global, Map<String, Lac> lacs, Map<String, Failover> failovers, List<String> warnings,
                           int warningCount) {

    /**
     * The local address a LAC's UDP socket binds, as xl2tpd binds its one socket to
     * {@code listen-addr}:{@code port}: the LAC's {@code local port} if set, else [global]
     * {@code port} if the file sets it, else an ephemeral port (jl2tp's default, so that
     * several LACs and an LNS on the same host never collide); the address is
     * {@code listen-addr}, or the wildcard.
     */
    public InetSocketAddress localAddress(Lac lac) {
        int p = lac.localPort() != 0 ? lac.localPort() : global.portGiven() ? global.port() : 0;
        return global.listenAddr() == null ? new InetSocketAddress(p) : new InetSocketAddress(global.listenAddr(), p);
    }

    /**
     * [global].
     *
     * @param listenAddr   {@code listen-addr}: the address to bind (an IP literal; null = all)
     * @param port         {@code port} (default 1701)
     * @param portGiven    whether the file sets {@code port} (then the LACs send from it, as xl2tpd's do;
     *                     see {@link Xl2tpdConfig#localAddress(Lac)})
     * @param authFile     {@code auth file} (default /etc/xl2tpd/l2tp-secrets)
     * @param maxRetries   {@code max retries} (default 5): control retransmissions before a tunnel is cleared
     * @param capBackoff   {@code cap backoff} seconds (default 8; xl2tpd parses but ignores it, jl2tp applies it)
     * @param helloInterval {@code hello interval} seconds (jl2tp; default 60)
     * @param debugLoggers logger names (packages) raised to DEBUG by the {@code debug *} keys set to yes
     */
    public record Global(InetAddress listenAddr, int port, boolean portGiven, Path authFile, int maxRetries, int capBackoff,
                         int helloInterval, List<String> debugLoggers) {

        /** The same settings with another tunnel secrets file (xl2tpd's {@code -s}). */
        public Global withAuthFile(Path file) {
            return new Global(listenAddr, port, portGiven, file, maxRetries, capBackoff, helloInterval, debugLoggers);
        }
    }

    /**
     * [lac NAME].
     *
     * @param name          section name (what {@code c NAME} dials)
     * @param lnsHost       {@code lns} host
     * @param lnsPort       {@code lns} port (host:port; default 1701)
     * @param autodial      dial at start-up (default no)
     * @param redial        dial again after a loss (default no)
     * @param redialTimeout seconds before redialling (default 30, at least 1)
     * @param maxRedials    redial attempts, 0 = unlimited (default 0)
     * @param requireAuth   {@code require authentication}: we authenticate the LNS (default no)
     * @param refusePap     {@code refuse pap}
     * @param refuseChap    {@code refuse chap}
     * @param requirePap    {@code require pap}
     * @param requireChap   {@code require chap}
     * @param user          {@code name}: the PPP user name (default: from the pppd options)
     * @param hostname      {@code hostname}: our Host Name AVP (default: the system's)
     * @param pppOptFile    {@code pppoptfile}: the pppd options file
     * @param tunnelRws     {@code tunnel rws} (default 8)
     * @param hiddenBit     {@code hidden bit} (default no)
     * @param lengthBit     {@code length bit} (default no, as xl2tpd: data messages carry no Length field)
     * @param challenge     {@code challenge}: challenge the LNS with the tunnel secret (default no)
     * @param flowBit       {@code flow bit}: ask for sequenced data (Sequencing Required; default no)
     * @param defaultRoute  {@code defaultroute} (default no)
     * @param localPort     {@code local port} (jl2tp; default 0 = ephemeral)
     * @param redialBackoff {@code redial backoff} (jl2tp; default no: xl2tpd's fixed {@code redial timeout};
     *                      yes: doubling with jitter up to 8 × on repeated failures)
     * @param line          line of the section header (for messages)
     * @param proxyAuth     {@code proxy auth} (jl2tp; default yes): send RFC 2661 §4.4.5 proxy LCP and
     *                      authentication AVPs in the ICCN, so that an LNS that takes them skips LCP
     *                      and CHAP (docs/benchmarks.md, "Round trips: what the RFCs allow"; why on by
     *                      default: docs/ppp-auth.md)
     */
    public record Lac(String name, String lnsHost, int lnsPort, boolean autodial, boolean redial, int redialTimeout,
                      int maxRedials, boolean requireAuth, boolean refusePap, boolean refuseChap, boolean requirePap,
                      boolean requireChap, String user, String hostname, Path pppOptFile, int tunnelRws, boolean hiddenBit,
                      boolean lengthBit, boolean challenge, boolean flowBit, boolean defaultRoute, int localPort,
                      boolean redialBackoff, int line, boolean proxyAuth) {

        /** With {@code proxy auth} at its default (yes). */
        public Lac(String name, String lnsHost, int lnsPort, boolean autodial, boolean redial, int redialTimeout,
                   int maxRedials, boolean requireAuth, boolean refusePap, boolean refuseChap, boolean requirePap,
                   boolean requireChap, String user, String hostname, Path pppOptFile, int tunnelRws, boolean hiddenBit,
                   boolean lengthBit, boolean challenge, boolean flowBit, boolean defaultRoute, int localPort,
                   boolean redialBackoff, int line) {
            this(name, lnsHost, lnsPort, autodial, redial, redialTimeout, maxRedials, requireAuth, refusePap, refuseChap,
                    requirePap, requireChap, user, hostname, pppOptFile, tunnelRws, hiddenBit, lengthBit, challenge, flowBit,
                    defaultRoute, localPort, redialBackoff, line, true);
        }
    }

    /**
     * [failover NAME] (jl2tp): when {@code primary} goes down, dial the LAC NAME over {@code backup}.
     *
     * @param lac           the [lac] section to dial
     * @param primary       interface whose loss triggers the session (e.g. pppoe-aaisp)
     * @param backup        interface the tunnel must use (its gateway is learned; e.g. wan-4g)
     * @param routes        manage default routes and the LNS host route (default yes)
     * @param routeMetric   metric of the default routes via the tunnel (default 100)
     * @param holdUp        seconds the primary must stay up before hanging up (default 5)
     * @param probe         the {@code probe} line as written (addresses pinged through the primary to
     *                      catch silent failures), or null
     * @param probeInterval seconds between probes (default 1)
     * @param probeDown     lost probes in a row that count as a failure (default 3)
     * @param probeUp       answered probes in a row that count as recovery (default 5)
     * @param line          line of the section header
     * @param probes        the probe targets, IPv4 and IPv6 (empty: no probe)
     * @param probeReliability how many of the targets must answer for a probe round to succeed
     *                      (mwan3's {@code reliability}; default 1)
     * @param warmStandby   {@code standby = warm}: while the primary is up, keep the L2TP tunnel (no
     *                      call) up over the backup with HELLOs, so a failover only places the call
     *                      and runs PPP; {@code cold} (the default) sends nothing until the primary fails
     */
    public record Failover(String lac, String primary, String backup, boolean routes, int routeMetric, int holdUp,
                           String probe, int probeInterval, int probeDown, int probeUp, int line,
                           List<java.net.InetAddress> probes, int probeReliability, boolean warmStandby) {
    }
}
