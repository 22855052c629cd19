/* IPv4/IPv6 header parsing and building for the data plane. */
#ifndef COATI_DATAPLANE_IP_H
#define COATI_DATAPLANE_IP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ipsec/spd.h"
#include "lib/addr.h"

/* Parsed view of an IP packet's headers. */
struct ip_info {
	uint8_t family;     /* AF_INET / AF_INET6 */
	size_t hdr_len;     /* IPv4 header, or IPv6 header + extension headers before the ULP */
	uint8_t proto;      /* upper-layer protocol (after IPv6 extension headers) */
	size_t proto_off;   /* offset of the byte that holds proto (IPv4 9, IPv6 6 or in an ext hdr) */
	size_t total_len;   /* from the header; <= the buffer length */
	struct addr src, dst;
	bool fragment;      /* a non-first fragment or fragment header present: no ports */
	bool partial;       /* any piece of a fragmented datagram (first fragment included) */
};

/* IP protocol numbers the data plane looks at (IANA "Assigned Internet Protocol Numbers"). */
enum ip_proto {
	IP_PROTO_HOPOPTS = 0,   /* RFC 8200 4.3 */
	IP_PROTO_ICMP = 1,      /* RFC 792 */
	IP_PROTO_IPIP = 4,      /* RFC 2003: IPv4 inner packet */
	IP_PROTO_TCP = 6,
	IP_PROTO_UDP = 17,
	IP_PROTO_IPV6 = 41,     /* RFC 2473: IPv6 inner packet */
	IP_PROTO_ROUTING = 43,  /* RFC 8200 4.4 */
	IP_PROTO_FRAGMENT = 44, /* RFC 8200 4.5 */
	IP_PROTO_ICMPV6 = 58,   /* RFC 4443 */
	IP_PROTO_NONE = 59,     /* RFC 8200 4.7, RFC 4303 2.6 dummy packets */
	IP_PROTO_DSTOPTS = 60,  /* RFC 8200 4.6 */
	IP_PROTO_SCTP = 132,
	IP_PROTO_UDPLITE = 136,
};

#define IP4_HDR_LEN 20
#define IP6_HDR_LEN 40
#define IP_LEN_MAX 65535   /* IPv4 total length, IPv6 payload length (no jumbograms) */
#define IP_EXT_MAX 8       /* IPv6 extension headers we walk before giving up */

/*
 * Parse an IP packet (version from the first nibble). Rejects truncated
 * headers and total lengths beyond len. 0 or -EBADMSG.
 */
int ip_parse(const uint8_t *pkt, size_t len, struct ip_info *out);
/* The 5-tuple for SPD lookup (ports 0 for fragments or non-TCP/UDP/SCTP; ICMP type/code). */
int ip_flow(const uint8_t *pkt, size_t len, struct spd_flow *out);
/* Write a 20-byte IPv4 header (no options) at p. */
void ip4_build(uint8_t *p, const struct addr *src, const struct addr *dst, uint8_t proto,
	       uint16_t total_len, uint16_t id, uint8_t ttl);
/* Write a 40-byte IPv6 header at p. */
void ip6_build(uint8_t *p, const struct addr *src, const struct addr *dst, uint8_t next,
	       uint16_t payload_len, uint8_t hop_limit);
/* Internet checksum (RFC 1071) over len bytes, folded, not complemented. */
uint32_t ip_csum_add(uint32_t sum, const uint8_t *p, size_t len);
uint16_t ip_csum_fold(uint32_t sum);
/* Recompute the IPv4 header checksum in place. */
void ip4_set_csum(uint8_t *p);
/*
 * Set the length field of a header ip_parse accepted or ip*_build wrote:
 * IPv4 total length (and the checksum), IPv6 payload length (total - 40).
 * total_len must be <= IP_LEN_MAX (+ 40 for IPv6) and >= the header.
 */
void ip_set_len(uint8_t *p, uint8_t family, size_t total_len);
/* Can a packet of this family carry total_len bytes in its length field? */
bool ip_len_ok(uint8_t family, size_t total_len);

#endif
