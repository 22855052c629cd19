/* IPv4/IPv6 addresses and prefixes. */
#ifndef COATI_LIB_ADDR_H
#define COATI_LIB_ADDR_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

/* An address of either family; family 0 means "unset/any". */
struct addr {
	uint8_t family; /* AF_INET, AF_INET6 or 0 */
	union {
		struct in_addr v4;
		struct in6_addr v6;
		uint8_t bytes[16];
	};
};

struct prefix {
	struct addr addr;
	uint8_t len; /* prefix length in bits */
};

#define ADDR_STRLEN 46       /* INET6_ADDRSTRLEN */
#define PREFIX_STRLEN 50

/* Byte length of an address of this family (4, 16, or 0). */
size_t addr_len(const struct addr *a);
/* Parse a numeric IPv4 or IPv6 address. Returns 0 or -EINVAL. */
int addr_parse(const char *s, struct addr *out);
/* Parse "addr[/len]"; a missing length means a host prefix. Returns 0 or -EINVAL. */
int prefix_parse(const char *s, struct prefix *out);
const char *addr_ntop(const struct addr *a, char *buf, size_t len);
const char *prefix_ntop(const struct prefix *p, char *buf, size_t len);
bool addr_eq(const struct addr *a, const struct addr *b);
int addr_cmp(const struct addr *a, const struct addr *b);
bool addr_is_any(const struct addr *a);
/* Host prefix length of a's family (32 or 128). */
uint8_t addr_bits(const struct addr *a);
/* True if a lies in p (same family, first p->len bits equal). */
bool prefix_contains(const struct prefix *p, const struct addr *a);
/* Zero the host bits of p. */
void prefix_mask(struct prefix *p);
/* sockaddr conversion; port in host order. */
socklen_t addr_to_sockaddr(const struct addr *a, uint16_t port, struct sockaddr_storage *ss);
int addr_from_sockaddr(const struct sockaddr *sa, struct addr *out, uint16_t *port);

#endif
