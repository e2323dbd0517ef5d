/*
 * tunbench: the C side of jl2tp's TUN packet-path benchmark (docs/benchmarks.md).
 *   tunbench reflect IFNAME SECONDS   - create TUN IFNAME (IFF_TUN|IFF_NO_PI), then read() each
 *                                       packet and write() it back, like the Java reflector;
 *                                       prints "packets=N seconds=S pps=P"
 *   tunbench flood DST SECONDS SIZE   - send SIZE-octet IP packets (UDP) to DST:9 with sendmmsg
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static int reflect(const char *name, double seconds) {
    int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
    if (fd < 0) { perror("open /dev/net/tun"); return 1; }
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
    strncpy(ifr.ifr_name, name, IFNAMSIZ - 1);
    if (ioctl(fd, TUNSETIFF, &ifr) < 0) { perror("ioctl(TUNSETIFF)"); return 1; }
    printf("ready\n");
    fflush(stdout);
    static unsigned char buf[65536];
    long packets = 0;
    double start = 0, end = 0;
    struct pollfd p = {.fd = fd, .events = POLLIN};
    for (;;) {
        if (start == 0) {               /* wait for the first packet, then time the run */
            if (poll(&p, 1, 30000) <= 0) break;
            start = now();
            end = start + seconds;
        }
        ssize_t n = read(fd, buf, sizeof buf);
        if (n < 0) { perror("read"); break; }
        if (write(fd, buf, n) < 0) { /* queue full: drop, as the Java side does */ }
        packets++;
        if ((packets & 1023) == 0 && now() >= end) break;
    }
    double t = now() - start;
    printf("packets=%ld seconds=%.3f pps=%.0f\n", packets, t, packets / t);
    return 0;
}

static int flood(const char *dst, double seconds, int size) {
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons(9)};
    inet_pton(AF_INET, dst, &to.sin_addr);
    if (connect(s, (struct sockaddr *) &to, sizeof to) < 0) { perror("connect"); return 1; }
    int payload = size - 28;
    static unsigned char data[65536];
    enum { BATCH = 64 };
    struct mmsghdr msgs[BATCH];
    struct iovec iov[BATCH];
    for (int i = 0; i < BATCH; i++) {
        iov[i].iov_base = data;
        iov[i].iov_len = payload;
        memset(&msgs[i], 0, sizeof msgs[i]);
        msgs[i].msg_hdr.msg_iov = &iov[i];
        msgs[i].msg_hdr.msg_iovlen = 1;
    }
    double end = now() + seconds;
    long sent = 0;
    while (now() < end) {
        int n = sendmmsg(s, msgs, BATCH, 0);
        if (n > 0) sent += n;
    }
    printf("sent=%ld\n", sent);
    return 0;
}

int main(int argc, char **argv) {
    if (argc == 4 && strcmp(argv[1], "reflect") == 0) return reflect(argv[2], atof(argv[3]));
    if (argc == 5 && strcmp(argv[1], "flood") == 0) return flood(argv[2], atof(argv[3]), atoi(argv[4]));
    fprintf(stderr, "usage: tunbench reflect IFNAME SECONDS | tunbench flood DST SECONDS SIZE\n");
    return 2;
}
