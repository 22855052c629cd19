/*
 * IPv4/IPv6 header parsing (untrusted, through struct rd) and building
 * (our own headers, in preallocated headroom).
 */
#include "dataplane/ip.h"

#include <errno.h>
#include <string.h>

#include "lib/buf.h"

#define IP4_MF 0x2000 /* RFC 791 3.1: more fragments */
#define IP4_OFF_MASK 0x1fff
#define IP6_FRAG_OFF_MASK 0xfff8 /* RFC 8200 4.5 */
#define IP6_FRAG_M 0x0001

/*
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * |Version|  IHL  |Type of Service|          Total Length         |
 * |         Identification        |Flags|      Fragment Offset    |
 * |  Time to Live |    Protocol   |         Header Checksum       |
 * |                       Source Address                          |
 * |                    Destination Address                        |
 * |                    Options                    |    Padding    |   RFC 791 3.1
 */
static int
ip4_parse(struct rd *r, size_t len, struct ip_info *out)
{
	uint8_t vihl, tos, ttl, proto;
	uint16_t total, id, frag, csum;
	size_t ihl;

	if (!rd_u8(r, &vihl) || !rd_u8(r, &tos) || !rd_be16(r, &total) || !rd_be16(r, &id) ||
	    !rd_be16(r, &frag) || !rd_u8(r, &ttl) || !rd_u8(r, &proto) || !rd_be16(r, &csum) ||
	    !rd_copy(r, &out->src.v4, 4) || !rd_copy(r, &out->dst.v4, 4))
		return -EBADMSG;
	ihl = (size_t)(vihl & 0x0f) * 4;
	if (ihl < IP4_HDR_LEN || total < ihl || total > len || !rd_skip(r, ihl - IP4_HDR_LEN))
		return -EBADMSG;
	out->family = AF_INET;
	out->src.family = out->dst.family = AF_INET;
	out->hdr_len = ihl;
	out->proto = proto;
	out->proto_off = 9;
	out->total_len = total;
	out->fragment = (frag & IP4_OFF_MASK) != 0;
	out->partial = (frag & (IP4_MF | IP4_OFF_MASK)) != 0;
	return 0;
}

static bool
ip6_is_ext(uint8_t nh)
{
	return nh == IP_PROTO_HOPOPTS || nh == IP_PROTO_ROUTING || nh == IP_PROTO_DSTOPTS ||
	       nh == IP_PROTO_FRAGMENT;
}

/*
 * Walk the extension headers (RFC 8200 4) up to the upper-layer header.
 * r is bounded to the payload length; off counts bytes from the IPv6 header.
 * A fragment header ends the walk: the ULP header may not be in this piece.
 */
static int
ip6_walk_ext(struct rd *r, uint8_t nh, struct ip_info *out)
{
	size_t off = IP6_HDR_LEN, nh_off = 6;
	uint8_t next, hlen;
	uint16_t frag;
	int n;

	for (n = 0; ip6_is_ext(nh); n++) {
		/* RFC 8200 4.3: hop-by-hop options only right after the IPv6 header */
		if (n == IP_EXT_MAX || (nh == IP_PROTO_HOPOPTS && n > 0))
			return -EBADMSG;
		if (!rd_u8(r, &next) || !rd_u8(r, &hlen))
			return -EBADMSG;
		if (nh == IP_PROTO_FRAGMENT) {
			if (!rd_be16(r, &frag) || !rd_skip(r, 4))
				return -EBADMSG;
			out->fragment = out->partial = true;
			nh_off = off;
			off += 8;
			nh = next;
			break;
		}
		if (!rd_skip(r, (size_t)hlen * 8 + 6))
			return -EBADMSG;
		nh_off = off;
		off += (size_t)hlen * 8 + 8;
		nh = next;
	}
	out->proto = nh;
	out->proto_off = nh_off;
	out->hdr_len = off;
	return 0;
}

/*
 * |Version| Traffic Class |           Flow Label                  |
 * |         Payload Length        |  Next Header  |   Hop Limit   |
 * |                 Source Address (128 bits)                     |
 * |              Destination Address (128 bits)                   |  RFC 8200 3
 */
static int
ip6_parse(struct rd *r, struct ip_info *out)
{
	uint32_t vtcfl;
	uint16_t plen;
	uint8_t nh, hops;
	struct rd pl;

	if (!rd_be32(r, &vtcfl) || !rd_be16(r, &plen) || !rd_u8(r, &nh) || !rd_u8(r, &hops) ||
	    !rd_copy(r, &out->src.v6, 16) || !rd_copy(r, &out->dst.v6, 16))
		return -EBADMSG;
	/* a jumbogram (RFC 2675, payload length 0) fails here: its hop-by-hop header is missing */
	if (!rd_sub(r, plen, &pl))
		return -EBADMSG;
	out->family = AF_INET6;
	out->src.family = out->dst.family = AF_INET6;
	out->total_len = IP6_HDR_LEN + (size_t)plen;
	out->fragment = out->partial = false;
	return ip6_walk_ext(&pl, nh, out);
}

int
ip_parse(const uint8_t *pkt, size_t len, struct ip_info *out)
{
	struct rd r = rd_init(pkt, len);
	struct ip_info ii;
	uint8_t v;
	int rc;

	memset(&ii, 0, sizeof(ii));
	if (!rd_peek_u8(&r, 0, &v))
		return -EBADMSG;
	switch (v >> 4) {
	case 4:
		rc = ip4_parse(&r, len, &ii);
		break;
	case 6:
		rc = ip6_parse(&r, &ii);
		break;
	default:
		rc = -EBADMSG;
		break;
	}
	if (rc == 0)
		*out = ii;
	return rc;
}

static bool
proto_has_ports(uint8_t proto)
{
	return proto == IP_PROTO_TCP || proto == IP_PROTO_UDP || proto == IP_PROTO_SCTP ||
	       proto == IP_PROTO_UDPLITE;
}

int
ip_flow(const uint8_t *pkt, size_t len, struct spd_flow *out)
{
	struct ip_info ii;
	struct rd r;
	uint16_t a = 0, b = 0;
	uint8_t t, c;
	int rc;

	if ((rc = ip_parse(pkt, len, &ii)) < 0)
		return rc;
	r = rd_init(pkt, ii.total_len);
	if (!rd_skip(&r, ii.hdr_len))
		return -EBADMSG;
	if (!ii.fragment && proto_has_ports(ii.proto)) {
		if (!rd_be16(&r, &a) || !rd_be16(&r, &b))
			return -EBADMSG;
	} else if (!ii.fragment && (ii.proto == IP_PROTO_ICMP || ii.proto == IP_PROTO_ICMPV6)) {
		/* setkey's "icmp type,code" selectors ride in the port fields */
		if (!rd_u8(&r, &t) || !rd_u8(&r, &c))
			return -EBADMSG;
		a = t;
		b = c;
	}
	out->src = ii.src;
	out->dst = ii.dst;
	out->proto = ii.proto;
	out->sport = a;
	out->dport = b;
	return 0;
}

uint32_t
ip_csum_add(uint32_t sum, const uint8_t *p, size_t len)
{
	uint64_t s = sum;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (i < len)
		s += (uint32_t)p[i] << 8;
	while (s >> 32)
		s = (s & 0xffffffff) + (s >> 32);
	return (uint32_t)s;
}

uint16_t
ip_csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

void
ip4_set_csum(uint8_t *p)
{
	size_t ihl = (size_t)(p[0] & 0x0f) * 4;

	be16_put(p + 10, 0);
	be16_put(p + 10, (uint16_t)~ip_csum_fold(ip_csum_add(0, p, ihl)));
}

void
ip4_build(uint8_t *p, const struct addr *src, const struct addr *dst, uint8_t proto,
          uint16_t total_len, uint16_t id, uint8_t ttl)
{
	struct wr w = wr_init(p, IP4_HDR_LEN);

	wr_u8(&w, 0x45);
	wr_u8(&w, 0);
	wr_be16(&w, total_len);
	wr_be16(&w, id);
	wr_be16(&w, 0); /* DF clear: the outer packet may be fragmented on the path */
	wr_u8(&w, ttl);
	wr_u8(&w, proto);
	wr_be16(&w, 0);
	wr_bytes(&w, &src->v4, 4);
	wr_bytes(&w, &dst->v4, 4);
	ip4_set_csum(p);
}

void
ip6_build(uint8_t *p, const struct addr *src, const struct addr *dst, uint8_t next,
          uint16_t payload_len, uint8_t hop_limit)
{
	struct wr w = wr_init(p, IP6_HDR_LEN);

	wr_be32(&w, 6u << 28);
	wr_be16(&w, payload_len);
	wr_u8(&w, next);
	wr_u8(&w, hop_limit);
	wr_bytes(&w, &src->v6, 16);
	wr_bytes(&w, &dst->v6, 16);
}

bool
ip_len_ok(uint8_t family, size_t total_len)
{
	if (family == AF_INET)
		return total_len >= IP4_HDR_LEN && total_len <= IP_LEN_MAX;
	return total_len >= IP6_HDR_LEN && total_len - IP6_HDR_LEN <= IP_LEN_MAX;
}

void
ip_set_len(uint8_t *p, uint8_t family, size_t total_len)
{
	if (family == AF_INET) {
		be16_put(p + 2, (uint16_t)total_len);
		ip4_set_csum(p);
	} else {
		be16_put(p + 4, (uint16_t)(total_len - IP6_HDR_LEN));
	}
}
