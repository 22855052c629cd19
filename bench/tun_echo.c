/*
 * tun_echo - the latency floor of any TUN data plane on this machine: one
 * userspace hop that answers ICMP echo requests read from a TUN device.
 * A ping through it crosses TUN -> userspace -> TUN once; a tunnel between
 * two userspace daemons does that twice per direction.
 *
 * Build and run (root; bench/RESULTS.md has the figures):
 *   cc -O2 -o /tmp/tun_echo bench/tun_echo.c
 *   ip netns add techo && ip netns exec techo /tmp/tun_echo &
 *   ip netns exec techo ip link set techo0 up
 *   ip netns exec techo ip addr add 10.77.0.1/24 dev techo0
 *   ip netns exec techo ping -c 20 -i 0.05 10.77.0.2; kill %1; ip netns del techo
 * It exits after 20 s without a packet.
 */
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

int
main(void)
{
	struct ifreq ifr;
	uint8_t b[2048], t[4];
	int fd = open("/dev/net/tun", O_RDWR);

	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
	strcpy(ifr.ifr_name, "techo0");
	if (fd < 0 || ioctl(fd, TUNSETIFF, &ifr) < 0) {
		perror("tun_echo: /dev/net/tun");
		return 1;
	}
	for (;;) {
		struct pollfd p = {fd, POLLIN, 0};
		ssize_t n;

		if (poll(&p, 1, 20000) <= 0)
			return 0;
		n = read(fd, b, sizeof(b));
		/* IPv4 without options, ICMP echo request */
		if (n < 28 || b[0] != 0x45 || b[9] != 1 || b[20] != 8)
			continue;
		memcpy(t, b + 12, 4);
		memcpy(b + 12, b + 16, 4);
		memcpy(b + 16, t, 4);
		b[20] = 0;
		/* type 8 -> 0 lowers the sum by 0x0800: add it back, end-around carry */
		uint32_t sum = (uint32_t)(b[22] << 8 | b[23]) + 0x0800;
		sum = (sum & 0xffff) + (sum >> 16);
		b[22] = (uint8_t)(sum >> 8);
		b[23] = (uint8_t)sum;
		if (write(fd, b, (size_t)n) < 0)
			perror("tun_echo: write");
	}
}
