/* Data plane sockets. */
#include "dataplane/sock.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/log.h"

#define DP_SOCK_BUF (4 << 20) /* deep socket buffers absorb bursts from batches */

static const struct {
	uint8_t family, proto;
} sock_kind[DP_SOCK__COUNT] = {
	[DP_SOCK_RAW4_OUT] = {AF_INET, IPPROTO_RAW},  [DP_SOCK_RAW6_OUT] = {AF_INET6, IPPROTO_RAW},
	[DP_SOCK_ESP4] = {AF_INET, IPPROTO_ESP},      [DP_SOCK_AH4] = {AF_INET, IPPROTO_AH},
	[DP_SOCK_COMP4] = {AF_INET, IPPROTO_COMP},    [DP_SOCK_ESP6] = {AF_INET6, IPPROTO_ESP},
	[DP_SOCK_AH6] = {AF_INET6, IPPROTO_AH},       [DP_SOCK_COMP6] = {AF_INET6, IPPROTO_COMP},
	[DP_SOCK_UDP4] = {AF_INET, IPPROTO_UDP},      [DP_SOCK_UDP6] = {AF_INET6, IPPROTO_UDP},
};

uint8_t
dp_sock_proto(enum dp_sock_kind k)
{
	return sock_kind[k].proto;
}

uint8_t
dp_sock_family(enum dp_sock_kind k)
{
	return sock_kind[k].family;
}

static void
sock_tune(int fd, uint32_t mark)
{
	int sz = DP_SOCK_BUF;

	setsockopt(fd, SOL_SOCKET, SO_MARK, &mark, sizeof(mark));
	/* FORCE variants pass rmem_max as root; fall back silently otherwise */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &sz, sizeof(sz)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
}

static int
sock_open_udp(uint8_t family, uint16_t port)
{
	struct sockaddr_storage ss;
	struct addr any = {.family = family};
	int fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0), one = 1;

	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (family == AF_INET6) {
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
		setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &one, sizeof(one));
	} else {
		setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof(one));
	}
	/* coalesced receive (Linux 5.0): one recvmsg for a train of ESP datagrams */
	setsockopt(fd, SOL_UDP, UDP_GRO, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, addr_to_sockaddr(&any, port, &ss)) < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

static int
sock_open_one(enum dp_sock_kind k, uint16_t natt_port)
{
	uint8_t family = sock_kind[k].family, proto = sock_kind[k].proto;
	int fd, one = 1;

	if (proto == IPPROTO_UDP)
		return sock_open_udp(family, natt_port);
	fd = socket(family, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, proto);
	if (fd < 0)
		return -errno;
	/* IPv6 raw sockets strip the header: we need the destination to rebuild it */
	if (family == AF_INET6 && proto != IPPROTO_RAW)
		setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &one, sizeof(one));
	return fd;
}

int
dp_socks_open(struct dp_socks *s, uint32_t mark, uint16_t natt_port)
{
	for (int k = 0; k < DP_SOCK__COUNT; k++)
		s->fd[k] = -1;
	for (int k = 0; k < DP_SOCK__COUNT; k++) {
		int fd = sock_open_one(k, natt_port);

		if (fd < 0 && sock_kind[k].family == AF_INET6 && fd == -EAFNOSUPPORT) {
			log_warn("IPv6 unavailable: data plane runs IPv4 only");
			continue;
		}
		if (fd < 0) {
			log_err("data plane socket (family %u, protocol %u): %s",
				sock_kind[k].family, sock_kind[k].proto, strerror(-fd));
			dp_socks_close(s);
			return fd;
		}
		sock_tune(fd, mark);
		s->fd[k] = fd;
	}
	return 0;
}

void
dp_socks_close(struct dp_socks *s)
{
	for (int k = 0; k < DP_SOCK__COUNT; k++) {
		if (s->fd[k] >= 0)
			close(s->fd[k]);
		s->fd[k] = -1;
	}
}

uint16_t
dp_sock_cmsg_gro(struct msghdr *m)
{
	for (struct cmsghdr *c = CMSG_FIRSTHDR(m); c; c = CMSG_NXTHDR(m, c)) {
		if (c->cmsg_level == SOL_UDP && c->cmsg_type == UDP_GRO &&
		    c->cmsg_len >= CMSG_LEN(sizeof(int))) {
			int v;

			memcpy(&v, CMSG_DATA(c), sizeof(v));
			return v > 0 && v <= UINT16_MAX ? (uint16_t)v : 0;
		}
	}
	return 0;
}
