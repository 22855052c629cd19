/* coatid's IKE sockets (see ike_sock.h). */
#include "daemon/ike_sock.h"

#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "config/conf.h"
#include "lib/log.h"
#include "lib/pktinfo.h"

/* One UDP socket on addr:port (addr unspecified: the family's every address). */
static int
sock_open(const struct daemon *d, const struct addr *addr, uint16_t port, bool freebind)
{
	struct sockaddr_storage ss;
	int fd = socket(addr->family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0), one = 1, err;

	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_MARK, &d->opts.mark, sizeof(d->opts.mark));
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (addr->family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (freebind)
		setsockopt(fd, addr->family == AF_INET6 ? IPPROTO_IPV6 : IPPROTO_IP,
			   addr->family == AF_INET6 ? IPV6_FREEBIND : IP_FREEBIND, &one, sizeof(one));
	if ((err = pktinfo_enable(fd, addr->family)) < 0 ||
	    bind(fd, (struct sockaddr *)&ss, addr_to_sockaddr(addr, port, &ss)) < 0) {
		err = err ? err : -errno;
		close(fd);
		return err;
	}
	return fd;
}

static int
socks_add(struct ike_socks *ss, int fd, const struct addr *addr, uint16_t port)
{
	if (ss->n == IKE_SOCKS_MAX) {
		close(fd);
		return -ENOSPC;
	}
	ss->s[ss->n++] = (struct ike_sock){fd, *addr, port, NULL};
	return 0;
}

/* racoon's listen list: each isakmp address, bound strictly or freely. */
static int
open_listed(struct ike_socks *ss, const struct daemon *d)
{
	const struct cfg *c = d->cfg;
	char a[ADDR_STRLEN];
	int fd, err;

	for (size_t i = 0; i < c->n_listen; i++) {
		const struct cfg_listen_addr *la = &c->listen[i];

		if (la->natt || (d->opts.family && la->addr.family != d->opts.family))
			continue;
		addr_ntop(&la->addr, a, sizeof(a));
		fd = sock_open(d, &la->addr, la->port, false);
		if (fd == -EADDRNOTAVAIL && !c->strict_address) {
			log_warn("%s:%d: listen isakmp %s: not an address of this host (yet): "
				 "bound for when it comes", la->loc.file, la->loc.line, a);
			fd = sock_open(d, &la->addr, la->port, true);
		}
		if (fd < 0) {
			log_err("%s:%d: listen isakmp %s [%u]: %s", la->loc.file, la->loc.line, a,
				la->port, strerror(-fd));
			return fd;
		}
		if ((err = socks_add(ss, fd, &la->addr, la->port)) < 0) {
			log_err("%s:%d: more than %d listen addresses", la->loc.file, la->loc.line,
				IKE_SOCKS_MAX);
			return err;
		}
		log_info("IKE listens on %s [%u]", a, la->port);
	}
	return 0;
}

/* No list: the IKE port of every address, IPv4 required, IPv6 if the host has it. */
static int
open_wildcard(struct ike_socks *ss, const struct daemon *d)
{
	static const uint8_t fams[] = {AF_INET, AF_INET6};

	for (size_t i = 0; i < sizeof(fams); i++) {
		struct addr any = {.family = fams[i]};
		int fd;

		if (d->opts.family && d->opts.family != fams[i])
			continue;
		if ((fd = sock_open(d, &any, d->opts.isakmp_port, false)) < 0) {
			if (fams[i] == AF_INET6) {
				log_warn("IKE port %u (IPv6): %s", d->opts.isakmp_port,
					 strerror(-fd));
				continue;
			}
			log_err("IKE port %u (IPv4): %s", d->opts.isakmp_port, strerror(-fd));
			return fd;
		}
		socks_add(ss, fd, &any, d->opts.isakmp_port);
	}
	return 0;
}

static bool
has_listed(const struct cfg *c)
{
	for (size_t i = 0; i < c->n_listen; i++)
		if (!c->listen[i].natt)
			return true;
	return false;
}

int
ike_socks_open(struct ike_socks *ss, const struct daemon *d)
{
	int err;

	memset(ss, 0, sizeof(*ss));
	err = has_listed(d->cfg) ? open_listed(ss, d) : open_wildcard(ss, d);
	if (err == 0 && ss->n == 0)
		err = -EADDRNOTAVAIL;
	if (err < 0)
		ike_socks_close(ss);
	return err;
}

void
ike_socks_close(struct ike_socks *ss)
{
	for (size_t i = 0; i < ss->n; i++)
		close(ss->s[i].fd);
	ss->n = 0;
}

int
ike_socks_fd(const struct ike_socks *ss, const struct addr *local, uint16_t lport)
{
	int any = -1;

	for (size_t i = 0; i < ss->n; i++) {
		const struct ike_sock *s = &ss->s[i];

		if (s->port != lport || s->addr.family != local->family)
			continue;
		if (addr_eq(&s->addr, local))
			return s->fd;
		if (addr_is_any(&s->addr))
			any = s->fd;
	}
	return any;
}

uint16_t
ike_socks_port(const struct ike_socks *ss, const struct addr *local)
{
	uint16_t any = 0;

	for (size_t i = 0; i < ss->n; i++) {
		const struct ike_sock *s = &ss->s[i];

		if (s->addr.family != local->family)
			continue;
		if (addr_eq(&s->addr, local))
			return s->port;
		if (addr_is_any(&s->addr) && !any)
			any = s->port;
	}
	return any;
}
