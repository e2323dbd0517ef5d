/*
 * The brief's yardstick: a plain TUN <-> UDP relay in C — one thread, poll(2), one read and one
 * send (or recv and write) per packet, no headers added. run-throughput.sh runs one in each
 * namespace and measures iperf3 through it beside jl2tp's tunnel, in the same run.
 *
 *   relay IFNAME LOCAL_IP LOCAL_PORT PEER_IP PEER_PORT
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

static void die(const char *what) { perror(what); exit(1); }

static struct sockaddr_in addr(const char *ip, const char *port) {
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((unsigned short) atoi(port));
    if (inet_pton(AF_INET, ip, &a.sin_addr) != 1) { fprintf(stderr, "bad address %s\n", ip); exit(2); }
    return a;
}

int main(int argc, char **argv) {
    if (argc != 6) { fprintf(stderr, "usage: relay IFNAME LOCAL_IP LOCAL_PORT PEER_IP PEER_PORT\n"); return 2; }
    int tun = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
    if (tun < 0) die("open /dev/net/tun");
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
    strncpy(ifr.ifr_name, argv[1], IFNAMSIZ - 1);
    if (ioctl(tun, TUNSETIFF, &ifr) < 0) die("TUNSETIFF");
    int udp = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (udp < 0) die("socket");
    struct sockaddr_in local = addr(argv[2], argv[3]), peer = addr(argv[4], argv[5]);
    if (bind(udp, (struct sockaddr *) &local, sizeof local) < 0) die("bind");
    if (connect(udp, (struct sockaddr *) &peer, sizeof peer) < 0) die("connect");
    static char buf[65536];
    struct pollfd fds[2] = {{tun, POLLIN, 0}, {udp, POLLIN, 0}};
    for (;;) {
        if (poll(fds, 2, -1) < 0) die("poll");
        if (fds[0].revents & POLLIN) {
            ssize_t n = read(tun, buf, sizeof buf);
            if (n > 0) send(udp, buf, (size_t) n, 0);   /* ECONNREFUSED etc.: drop, as a relay does */
        }
        if (fds[1].revents & POLLIN) {
            ssize_t n = recv(udp, buf, sizeof buf, 0);
            if (n > 0 && write(tun, buf, (size_t) n) < 0) { /* dropped */ }
        }
    }
}
