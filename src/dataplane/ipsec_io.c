/*
 * Dispatch of one packet to ESP, AH or IPComp, and the header surgery they
 * share: opening room for an IPsec header in place (outer header in the
 * headroom for tunnel mode, the IP header moved forward for transport
 * mode) and closing it again on input.
 */
#include "dataplane/ipsec_io.h"

#include <errno.h>
#include <string.h>

#include "dataplane/ah.h"
#include "dataplane/dpsa.h"
#include "dataplane/esp.h"
#include "dataplane/ipcomp.h"
#include "lib/buf.h"

int
ipsec_io_encap_begin(const struct sad_entry *e, struct pkt *p, struct ipsec_encap *c)
{
	const struct addr *src = &e->sa.src, *dst = &e->sa.dst;
	struct ip_info ii;

	if (ip_parse(p->data, p->len, &ii) < 0)
		return -EINVAL;
	p->len = ii.total_len;
	c->tunnel = e->sa.mode == IPSEC_MODE_TUNNEL;
	if (c->tunnel) {
		if ((dst->family != AF_INET && dst->family != AF_INET6) ||
		    src->family != dst->family)
			return -EINVAL;
		c->family = dst->family;
		c->ip_len = c->family == AF_INET ? IP4_HDR_LEN : IP6_HDR_LEN;
		c->proto_off = c->family == AF_INET ? 9 : 6;
		c->nh = ii.family == AF_INET ? IP_PROTO_IPIP : IP_PROTO_IPV6;
		c->payload_len = ii.total_len;
		return 0;
	}
	/*
	 * RFC 4303 3.3.4 / RFC 4302 3.3.4: transport mode protects whole
	 * datagrams; a fragment's offsets would not survive the new header.
	 */
	if (ii.partial)
		return -EINVAL;
	c->family = ii.family;
	c->ip_len = ii.hdr_len;
	c->proto_off = ii.proto_off;
	c->nh = ii.proto;
	c->payload_len = ii.total_len - ii.hdr_len;
	return 0;
}

int
ipsec_io_encap(struct sad_entry *e, struct pkt *p, const struct ipsec_encap *c, uint8_t proto,
               size_t hdr_len, size_t tail_len)
{
	struct dp_sa *d = e->backend;
	size_t front = hdr_len + (c->tunnel ? c->ip_len : 0);
	size_t total = c->ip_len + hdr_len + c->payload_len + tail_len;
	size_t head = pkt_headroom(p);
	uint8_t *ip;

	if (head < front || total > sizeof(p->buf) - (head - front) || !ip_len_ok(c->family, total))
		return -EMSGSIZE;
	ip = p->data - front;
	if (c->tunnel && c->family == AF_INET) {
		ip4_build(ip, &e->sa.src, &e->sa.dst, proto, (uint16_t)total, d->ip_id++,
		          IPSEC_OUTER_TTL);
	} else if (c->tunnel) {
		ip6_build(ip, &e->sa.src, &e->sa.dst, proto, (uint16_t)(total - IP6_HDR_LEN),
		          IPSEC_OUTER_TTL);
	} else {
		/* only the header moves; the payload stays where it is */
		memmove(ip, p->data, c->ip_len);
		ip[c->proto_off] = proto;
		ip_set_len(ip, c->family, total);
	}
	p->data = ip;
	p->len = total;
	return 0;
}

int
ipsec_io_seq_next(const struct sad_entry *e, uint64_t *out)
{
	/* RFC 4303 3.3.3, RFC 4302 3.3.2: the counter must never cycle under one key */
	uint64_t max = e->sa.esn ? UINT64_MAX : UINT32_MAX;

	if (e->seq_out >= max)
		return -EOVERFLOW;
	*out = e->seq_out + 1;
	return 0;
}

int
ipsec_io_decap(const struct sad_entry *e, struct pkt *p, const struct ip_info *ii, size_t off,
               size_t plen, uint8_t nh)
{
	struct ip_info in;
	uint8_t *ip;

	if (nh == IP_PROTO_NONE)
		return -ENODATA;
	if (off < ii->hdr_len || off > p->len || plen > p->len - off)
		return -EINVAL;
	if (e->sa.mode == IPSEC_MODE_TUNNEL) {
		if (nh != IP_PROTO_IPIP && nh != IP_PROTO_IPV6)
			return -EINVAL;
		if (ip_parse(p->data + off, plen, &in) < 0 ||
		    in.family != (nh == IP_PROTO_IPIP ? AF_INET : AF_INET6))
			return -EINVAL;
		/* RFC 4303 2.7: TFC padding may follow the inner packet; drop it */
		p->data += off;
		p->len = in.total_len;
		return 0;
	}
	if (!ip_len_ok(ii->family, ii->hdr_len + plen))
		return -EINVAL;
	ip = p->data + (off - ii->hdr_len);
	memmove(ip, p->data, ii->hdr_len);
	ip[ii->proto_off] = nh;
	ip_set_len(ip, ii->family, ii->hdr_len + plen);
	p->data = ip;
	p->len = ii->hdr_len + plen;
	return 0;
}

int
ipsec_output(struct sad_entry *e, struct pkt *p)
{
	struct dp_sa *d = e->backend;
	int rc;

	if (!d)
		return -EINVAL;
	switch (e->sa.proto) {
	case IPSEC_PROTO_ESP:
		rc = esp_encap(e, d, p);
		break;
	case IPSEC_PROTO_AH:
		rc = ah_encap(e, d, p);
		break;
	case IPSEC_PROTO_IPCOMP:
		rc = ipcomp_encap(e, d, p);
		break;
	default:
		rc = -EINVAL;
		break;
	}
	if (rc == -EOVERFLOW)
		e->ctr.seq_overflow++;
	return rc;
}

/* SPI (ESP, AH) or CPI (IPComp, RFC 3173 2) of an IPsec header. */
static bool
ipsec_io_spi(struct rd *r, uint8_t proto, uint32_t *spi)
{
	switch (proto) {
	case IPSEC_PROTO_ESP: /* RFC 4303 2: SPI first */
		return rd_peek_be32(r, 0, spi);
	case IPSEC_PROTO_AH: /* RFC 4302 2: next header, length, reserved, SPI */
		return rd_peek_be32(r, 4, spi);
	case IPSEC_PROTO_IPCOMP: /* next header, flags, 16-bit CPI */
		if (!rd_peek_be32(r, 0, spi))
			return false;
		*spi &= 0xffff;
		return true;
	default:
		return false;
	}
}

static int
ipsec_io_dispatch(struct sad_entry *e, struct pkt *p, const struct ip_info *ii)
{
	struct dp_sa *d = e->backend;

	if (!d || e->sa.proto != ii->proto)
		return -EINVAL;
	switch (ii->proto) {
	case IPSEC_PROTO_ESP:
		return esp_decap(e, d, p, ii);
	case IPSEC_PROTO_AH:
		return ah_decap(e, d, p, ii);
	default:
		return ipcomp_decap(e, d, p, ii);
	}
}

int
ipsec_input(struct sad *sad, struct pkt *p, struct sad_entry **out)
{
	struct sad_entry *e;
	struct ip_info ii;
	struct rd r;
	uint32_t spi;
	int rc;

	*out = NULL;
	if (ip_parse(p->data, p->len, &ii) < 0)
		return -EINVAL;
	p->len = ii.total_len;
	r = rd_init(p->data, p->len);
	/* the receiver reassembles before IPsec processing (RFC 4303 3.4.1) */
	if (ii.partial || !rd_skip(&r, ii.hdr_len) || !ipsec_io_spi(&r, ii.proto, &spi))
		return -EINVAL;
	if (!(e = sad_lookup_in(sad, &ii.dst, ii.proto, spi)))
		return -ENOENT;
	*out = e;
	rc = ipsec_io_dispatch(e, p, &ii);
	switch (rc) {
	case -EBADMSG:
		e->ctr.auth_fail++;
		break;
	case -EALREADY:
		e->ctr.replay++;
		break;
	case 0:
	case -ENODATA:
		break;
	default:
		e->ctr.invalid++;
		rc = -EINVAL;
		break;
	}
	return rc;
}
