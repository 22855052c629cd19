/* TUN device setup. */
#include "dataplane/tun.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "dataplane/gso.h"
#include "lib/log.h"

/* Older uapi headers lack the UDP segmentation flags (Linux 6.2). */
#ifndef TUN_F_USO4
#define TUN_F_USO4 0x20
#define TUN_F_USO6 0x40
#endif

int
tun_open(const char *name, char ret_name[IFNAMSIZ])
{
	struct ifreq ifr;
	int fd, err, hl = VNET_HDR_LEN;

	if (strlen(name) >= IFNAMSIZ)
		return -ENAMETOOLONG;
	fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TUN | IFF_NO_PI | IFF_VNET_HDR;
	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", name);
	if (ioctl(fd, TUNSETIFF, &ifr) < 0 || ioctl(fd, TUNSETVNETHDRSZ, &hl) < 0) {
		err = -errno;
		close(fd);
		return err;
	}
	snprintf(ret_name, IFNAMSIZ, "%s", ifr.ifr_name);
	return fd;
}

int
tun_set_offload(int fd, bool *ret_uso)
{
	unsigned long base = TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6;

	*ret_uso = ioctl(fd, TUNSETOFFLOAD, base | TUN_F_USO4 | TUN_F_USO6) == 0;
	if (!*ret_uso && ioctl(fd, TUNSETOFFLOAD, base) < 0)
		return -errno;
	return 0;
}

/* Best effort: a missing file (IPv6 disabled) leaves the default. */
static void
tun_sysctl(const char *fmt, const char *name, const char *value)
{
	char path[128];
	int fd;

	snprintf(path, sizeof(path), fmt, name);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	if (write(fd, value, strlen(value)) < 0)
		log_debug_f("%s: %s", path, strerror(errno));
	close(fd);
}

int
tun_up(const char *name, int mtu)
{
	struct ifreq ifr;
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), err = 0;

	if (s < 0)
		return -errno;
	tun_sysctl("/proc/sys/net/ipv4/conf/%s/rp_filter", name, "0");
	/* no link-local address means no MLD reports, RS or DAD on the tunnel */
	tun_sysctl("/proc/sys/net/ipv6/conf/%s/addr_gen_mode", name, "1");
	tun_sysctl("/proc/sys/net/ipv6/conf/%s/accept_ra", name, "0");
	tun_sysctl("/proc/sys/net/ipv6/conf/%s/router_solicitations", name, "0");
	tun_sysctl("/proc/sys/net/ipv6/conf/%s/dad_transmits", name, "0");
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", name);
	ifr.ifr_mtu = mtu;
	if (ioctl(s, SIOCSIFMTU, &ifr) < 0)
		err = -errno;
	if (!err && ioctl(s, SIOCGIFFLAGS, &ifr) < 0)
		err = -errno;
	if (!err) {
		ifr.ifr_flags |= IFF_UP;
		if (ioctl(s, SIOCSIFFLAGS, &ifr) < 0)
			err = -errno;
	}
	close(s);
	return err;
}
