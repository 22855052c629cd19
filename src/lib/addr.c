/* IPv4/IPv6 addresses and prefixes. */
#include "lib/addr.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t
addr_len(const struct addr *a)
{
	return a->family == AF_INET ? 4 : a->family == AF_INET6 ? 16 : 0;
}

uint8_t
addr_bits(const struct addr *a)
{
	return (uint8_t)(addr_len(a) * 8);
}

int
addr_parse(const char *s, struct addr *out)
{
	struct addr a;

	memset(&a, 0, sizeof(a));
	if (inet_pton(AF_INET, s, &a.v4) == 1)
		a.family = AF_INET;
	else if (inet_pton(AF_INET6, s, &a.v6) == 1)
		a.family = AF_INET6;
	else
		return -EINVAL;
	*out = a;
	return 0;
}

int
prefix_parse(const char *s, struct prefix *out)
{
	char tmp[PREFIX_STRLEN];
	const char *slash = strchr(s, '/');
	struct prefix p;
	size_t n = slash ? (size_t)(slash - s) : strlen(s);

	if (n >= sizeof(tmp))
		return -EINVAL;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	if (addr_parse(tmp, &p.addr) < 0)
		return -EINVAL;
	p.len = addr_bits(&p.addr);
	if (slash) {
		char *end;
		unsigned long l;

		if (slash[1] < '0' || slash[1] > '9')
			return -EINVAL;
		l = strtoul(slash + 1, &end, 10);
		if (*end || l > p.len)
			return -EINVAL;
		p.len = (uint8_t)l;
	}
	*out = p;
	return 0;
}

const char *
addr_ntop(const struct addr *a, char *buf, size_t len)
{
	if (a->family == 0) {
		snprintf(buf, len, "(any)");
		return buf;
	}
	if (!inet_ntop(a->family, a->bytes, buf, (socklen_t)len))
		snprintf(buf, len, "(bad)");
	return buf;
}

const char *
prefix_ntop(const struct prefix *p, char *buf, size_t len)
{
	char a[ADDR_STRLEN];

	snprintf(buf, len, "%s/%u", addr_ntop(&p->addr, a, sizeof(a)), p->len);
	return buf;
}

bool
addr_eq(const struct addr *a, const struct addr *b)
{
	return a->family == b->family && memcmp(a->bytes, b->bytes, addr_len(a)) == 0;
}

int
addr_cmp(const struct addr *a, const struct addr *b)
{
	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	return memcmp(a->bytes, b->bytes, addr_len(a));
}

bool
addr_is_any(const struct addr *a)
{
	static const uint8_t zero[16];

	return a->family == 0 || memcmp(a->bytes, zero, addr_len(a)) == 0;
}

bool
prefix_contains(const struct prefix *p, const struct addr *a)
{
	unsigned full = p->len / 8, rest = p->len % 8;

	if (p->addr.family != a->family)
		return false;
	if (memcmp(p->addr.bytes, a->bytes, full) != 0)
		return false;
	if (rest) {
		uint8_t mask = (uint8_t)(0xff << (8 - rest));

		return ((p->addr.bytes[full] ^ a->bytes[full]) & mask) == 0;
	}
	return true;
}

void
prefix_mask(struct prefix *p)
{
	size_t n = addr_len(&p->addr);

	for (size_t i = 0; i < n; i++) {
		unsigned bit = (unsigned)i * 8;

		if (bit >= p->len)
			p->addr.bytes[i] = 0;
		else if (p->len - bit < 8)
			p->addr.bytes[i] &= (uint8_t)(0xff << (8 - (p->len - bit)));
	}
}

socklen_t
addr_to_sockaddr(const struct addr *a, uint16_t port, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (a->family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;

		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		sin->sin_addr = a->v4;
		return sizeof(*sin);
	}
	if (a->family == AF_INET6) {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		sin6->sin6_addr = a->v6;
		return sizeof(*sin6);
	}
	return 0;
}

int
addr_from_sockaddr(const struct sockaddr *sa, struct addr *out, uint16_t *port)
{
	memset(out, 0, sizeof(*out));
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *sin = (const struct sockaddr_in *)sa;

		out->family = AF_INET;
		out->v4 = sin->sin_addr;
		if (port)
			*port = ntohs(sin->sin_port);
		return 0;
	}
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)sa;

		out->family = AF_INET6;
		out->v6 = sin6->sin6_addr;
		if (port)
			*port = ntohs(sin6->sin6_port);
		return 0;
	}
	return -EAFNOSUPPORT;
}
