/* esp_frag: inner IPv4 fragmentation before ESP-in-UDP, and the ICMP errors (frag.h). */
#include "dataplane/frag.h"

#include <errno.h>
#include <string.h>

#include "dataplane/esp.h"
#include "dataplane/ip.h"
#include "lib/buf.h"

#define UDP_HDR_LEN 8
#define IP4_DF 0x4000
#define IP4_MF 0x2000
#define IP4_OFF_MASK 0x1fff
#define IP4_OPT_COPY 0x80 /* RFC 791 3.1: the option goes into every fragment */
#define IP4_OPT_EOL 0
#define IP4_OPT_NOP 1
#define ICMP_UNREACH 3
#define ICMP_NEEDFRAG 4
#define ICMP6_TOO_BIG 2
#define ICMP_HDR_LEN 8
#define ICMP4_QUOTE 8    /* bytes of the offending datagram after its header (RFC 792) */
#define IP6_MIN_MTU 1280 /* RFC 8200 5: an ICMPv6 error never exceeds it */

size_t
frag_inner_max(const struct ipsec_sa *sa, const struct xform *x)
{
	size_t ip = sa->dst.family == AF_INET6 ? IP6_HDR_LEN : IP4_HDR_LEN;
	size_t over, block, room;

	if (sa->frag_size == 0 || x == NULL)
		return 0;
	over = ip + UDP_HDR_LEN + ESP_HDR_LEN + xform_iv_len(x) + xform_icv_len(x);
	block = xform_block_len(x);
	if (sa->frag_size <= over + ESP_TRAILER_LEN)
		return 0;
	room = (sa->frag_size - over) / block * block;
	if (room < FRAG_IP4_MIN + ESP_TRAILER_LEN)
		return 0;
	return room - ESP_TRAILER_LEN;
}

/* The options of a first fragment that RFC 791 copies into the later ones, padded. */
static bool
frag_copied_opts(struct rd r, uint8_t *out, size_t *ret_len)
{
	size_t n = 0;
	uint8_t type, len;

	while (rd_u8(&r, &type) && type != IP4_OPT_EOL) {
		struct rd body;

		if (type == IP4_OPT_NOP)
			continue;
		if (!rd_u8(&r, &len) || len < 2 || !rd_bytes(&r, len - 2u, &body))
			return false;
		if (!(type & IP4_OPT_COPY))
			continue;
		out[n++] = type;
		out[n++] = len;
		rd_copy(&body, out + n, len - 2u);
		n += len - 2u;
	}
	while (n % 4)
		out[n++] = IP4_OPT_EOL;
	*ret_len = n;
	return true;
}

int
frag_ip4_begin(struct frag_ip4 *it, const uint8_t *pkt, size_t len, size_t max)
{
	struct ip_info ii;
	struct rd r = rd_init(pkt, len), opts;
	uint16_t frag;

	if (ip_parse(pkt, len, &ii) < 0)
		return -EINVAL;
	if (ii.family != AF_INET)
		return -EMSGSIZE; /* only its source fragments an IPv6 packet (RFC 8200 5) */
	if (!rd_skip(&r, 6) || !rd_be16(&r, &frag) || !rd_skip(&r, 12) ||
	    !rd_bytes(&r, ii.hdr_len - IP4_HDR_LEN, &opts))
		return -EINVAL;
	if (frag & IP4_DF)
		return -EMSGSIZE;
	memset(it, 0, sizeof(*it));
	if (!frag_copied_opts(opts, it->opts, &it->opts_len))
		return -EINVAL;
	/* every piece must carry its header and at least 8 bytes of data */
	if (max < ii.hdr_len + 8 || max < IP4_HDR_LEN + it->opts_len + 8)
		return -EINVAL;
	it->pkt = pkt;
	it->hl = ii.hdr_len;
	it->total = ii.total_len;
	it->off = ii.hdr_len;
	it->max = max;
	it->base_off = frag & IP4_OFF_MASK;
	it->base_mf = frag & IP4_MF;
	return 0;
}

bool
frag_ip4_next(struct frag_ip4 *it, struct pkt *out)
{
	bool first = it->off == it->hl;
	size_t hl = first ? it->hl : IP4_HDR_LEN + it->opts_len;
	size_t n = it->total - it->off, done = it->off - it->hl;
	bool last;
	uint16_t frag;

	if (n == 0)
		return false;
	if (hl + n > it->max)
		n = (it->max - hl) / 8 * 8;
	last = it->off + n == it->total;
	pkt_reset(out);
	memcpy(out->data, it->pkt, IP4_HDR_LEN);
	if (first)
		memcpy(out->data + IP4_HDR_LEN, it->pkt + IP4_HDR_LEN, it->hl - IP4_HDR_LEN);
	else
		memcpy(out->data + IP4_HDR_LEN, it->opts, it->opts_len);
	out->data[0] = (uint8_t)(0x40 | hl / 4);
	frag = (uint16_t)(it->base_off + done / 8);
	if (!last || it->base_mf)
		frag |= IP4_MF;
	be16_put(out->data + 6, frag);
	memcpy(out->data + hl, it->pkt + it->off, n);
	out->len = hl + n;
	ip_set_len(out->data, AF_INET, out->len);
	it->off += n;
	return true;
}

/* ICMP errors are not answered with ICMP errors (RFC 1812 4.3.2.7, RFC 4443 2.4). */
static bool
frag_is_icmp_error(const uint8_t *pkt, size_t len, const struct ip_info *ii)
{
	struct rd r = rd_init(pkt, len);
	uint8_t type;

	if (ii->fragment || !rd_skip(&r, ii->hdr_len) || !rd_u8(&r, &type))
		return ii->fragment;
	if (ii->proto == IP_PROTO_ICMP)
		return type != 0 && type != 8 && type != 13 && type != 15 && type != 17;
	if (ii->proto == IP_PROTO_ICMPV6)
		return type < 128;
	return false;
}

static size_t
frag_icmp4(const struct ip_info *ii, const uint8_t *pkt, size_t mtu, uint8_t *out, size_t cap)
{
	size_t quote = ii->hdr_len + ICMP4_QUOTE, len;
	struct wr w;

	if (quote > ii->total_len)
		quote = ii->total_len;
	len = IP4_HDR_LEN + ICMP_HDR_LEN + quote;
	if (len > cap || mtu > UINT16_MAX)
		return 0;
	ip4_build(out, &ii->dst, &ii->src, IP_PROTO_ICMP, (uint16_t)len, 0, 64);
	w = wr_init(out + IP4_HDR_LEN, len - IP4_HDR_LEN);
	wr_u8(&w, ICMP_UNREACH);
	wr_u8(&w, ICMP_NEEDFRAG);
	wr_be16(&w, 0);
	wr_be16(&w, 0);
	wr_be16(&w, (uint16_t)mtu); /* RFC 1191 4: the next-hop MTU */
	wr_bytes(&w, pkt, quote);
	be16_put(out + IP4_HDR_LEN + 2,
	         (uint16_t)~ip_csum_fold(ip_csum_add(0, out + IP4_HDR_LEN, len - IP4_HDR_LEN)));
	return wr_ok(&w) ? len : 0;
}

static size_t
frag_icmp6(const struct ip_info *ii, const uint8_t *pkt, size_t mtu, uint8_t *out, size_t cap)
{
	size_t quote = ii->total_len, len;
	uint8_t pseudo[40];
	struct wr w;
	uint32_t sum;

	if (quote > IP6_MIN_MTU - IP6_HDR_LEN - ICMP_HDR_LEN)
		quote = IP6_MIN_MTU - IP6_HDR_LEN - ICMP_HDR_LEN;
	len = IP6_HDR_LEN + ICMP_HDR_LEN + quote;
	if (len > cap)
		return 0;
	ip6_build(out, &ii->dst, &ii->src, IP_PROTO_ICMPV6, (uint16_t)(len - IP6_HDR_LEN), 64);
	w = wr_init(out + IP6_HDR_LEN, len - IP6_HDR_LEN);
	wr_u8(&w, ICMP6_TOO_BIG);
	wr_u8(&w, 0);
	wr_be16(&w, 0);
	wr_be32(&w, (uint32_t)mtu);
	wr_bytes(&w, pkt, quote);
	if (!wr_ok(&w))
		return 0;
	/* RFC 8200 8.1 pseudo-header: addresses, upper-layer length, next header */
	memset(pseudo, 0, sizeof(pseudo));
	be32_put(pseudo, (uint32_t)(len - IP6_HDR_LEN));
	pseudo[7] = IP_PROTO_ICMPV6;
	sum = ip_csum_add(0, out + 8, 32);
	sum = ip_csum_add(sum, pseudo, 8);
	sum = ip_csum_add(sum, out + IP6_HDR_LEN, len - IP6_HDR_LEN);
	be16_put(out + IP6_HDR_LEN + 2, (uint16_t)~ip_csum_fold(sum));
	return len;
}

size_t
frag_too_big(const uint8_t *pkt, size_t len, size_t mtu, uint8_t *out, size_t cap)
{
	struct ip_info ii;

	if (ip_parse(pkt, len, &ii) < 0 || frag_is_icmp_error(pkt, len, &ii))
		return 0;
	if (ii.family == AF_INET)
		return frag_icmp4(&ii, pkt, mtu, out, cap);
	return frag_icmp6(&ii, pkt, mtu, out, cap);
}
