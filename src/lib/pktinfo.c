/* IP_PKTINFO / IPV6_PKTINFO helpers. */
#include "lib/pktinfo.h"

#include <errno.h>
#include <netinet/in.h>
#include <string.h>

int
pktinfo_enable(int fd, uint8_t family)
{
	int one = 1;

	if (family == AF_INET6)
		return setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &one, sizeof(one)) < 0 ? -errno
											      : 0;
	return setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof(one)) < 0 ? -errno : 0;
}

bool
pktinfo_get(struct msghdr *m, struct addr *dst)
{
	for (struct cmsghdr *c = CMSG_FIRSTHDR(m); c; c = CMSG_NXTHDR(m, c)) {
		if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
			struct in_pktinfo pi;

			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			memset(dst, 0, sizeof(*dst));
			dst->family = AF_INET;
			dst->v4 = pi.ipi_addr;
			return true;
		}
		if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO) {
			struct in6_pktinfo pi;

			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			memset(dst, 0, sizeof(*dst));
			dst->family = AF_INET6;
			dst->v6 = pi.ipi6_addr;
			return true;
		}
	}
	return false;
}

size_t
pktinfo_put(struct cmsghdr *c, const struct addr *src)
{
	if (src->family == AF_INET) {
		struct in_pktinfo pi = {.ipi_spec_dst = src->v4};

		c->cmsg_level = IPPROTO_IP;
		c->cmsg_type = IP_PKTINFO;
		c->cmsg_len = CMSG_LEN(sizeof(pi));
		memcpy(CMSG_DATA(c), &pi, sizeof(pi));
		return CMSG_SPACE(sizeof(pi));
	}
	struct in6_pktinfo pi = {.ipi6_addr = src->v6};

	c->cmsg_level = IPPROTO_IPV6;
	c->cmsg_type = IPV6_PKTINFO;
	c->cmsg_len = CMSG_LEN(sizeof(pi));
	memcpy(CMSG_DATA(c), &pi, sizeof(pi));
	return CMSG_SPACE(sizeof(pi));
}

int
pktinfo_sendmsg(int fd, const struct addr *src, const struct addr *to, uint16_t port,
		struct iovec *iov, size_t n)
{
	struct sockaddr_storage ss;
	char cbuf[PKTINFO_SPACE];
	struct msghdr m = {.msg_name = &ss, .msg_iov = iov, .msg_iovlen = n};

	m.msg_namelen = addr_to_sockaddr(to, port, &ss);
	if (src->family == to->family) {
		memset(cbuf, 0, sizeof(cbuf));
		m.msg_control = cbuf;
		m.msg_controllen = sizeof(cbuf);
		m.msg_controllen = pktinfo_put(CMSG_FIRSTHDR(&m), src);
	}
	return sendmsg(fd, &m, 0) < 0 ? -errno : 0;
}
