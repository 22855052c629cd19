/*
 * TCP receive coalescing. Segments join only when the result is exactly
 * what the peer's TSO would have sent as one super-segment: same flow and
 * IP header fields, contiguous sequence numbers, same ACK, window and
 * options, plain ACK flags (PSH only on the last), every segment but the
 * last full-sized, and a valid checksum on each (the merged packet goes to
 * the kernel as CHECKSUM_PARTIAL, which is never verified again).
 */
#include "dataplane/gro.h"

#include <errno.h>
#include <string.h>

#include "dataplane/gso.h"
#include "lib/buf.h"

enum {
	TCP_F_PSH = 0x08,
	TCP_F_ACK = 0x10,
	TCP_OFF_CSUM = 16,
};

/* The TCP fields that must agree between segments, from the reader. */
struct gro_tcp {
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t flags;
	uint16_t win;
	size_t thl;
	const uint8_t *opt;
	size_t payload;
};

static bool
gro_parse_tcp(const struct pkt *p, const struct ip_info *ii, struct gro_tcp *t)
{
	struct rd r = rd_init(p->data, ii->total_len);
	uint8_t doff;
	uint16_t csum, urg;

	if (!rd_skip(&r, ii->hdr_len) || !rd_be16(&r, &t->sport) || !rd_be16(&r, &t->dport) ||
	    !rd_be32(&r, &t->seq) || !rd_be32(&r, &t->ack) || !rd_u8(&r, &doff) ||
	    !rd_u8(&r, &t->flags) || !rd_be16(&r, &t->win) || !rd_be16(&r, &csum) ||
	    !rd_be16(&r, &urg))
		return false;
	t->thl = (size_t)(doff >> 4) * 4;
	if (t->thl < 20 || !rd_ptr(&r, t->thl - 20, &t->opt))
		return false;
	t->payload = rd_left(&r);
	return true;
}

/* Only plain IPv4 (no options, not fragmented) and IPv6 without extension headers. */
static bool
gro_ip_plain(const struct ip_info *ii)
{
	return ii->proto == IP_PROTO_TCP && !ii->partial &&
	       ii->hdr_len == (ii->family == AF_INET ? IP4_HDR_LEN : IP6_HDR_LEN);
}

static bool
gro_csum_ok(const struct pkt *p, const struct ip_info *ii)
{
	size_t l4_len = ii->total_len - ii->hdr_len;

	if (ii->family == AF_INET && csum_fold(csum_add(0, p->data, ii->hdr_len)) != 0xffff)
		return false;
	return csum_fold(csum_add(csum_pseudo(ii, IP_PROTO_TCP, l4_len), p->data + ii->hdr_len,
				  l4_len)) == 0xffff;
}

/* IPv4 TOS, flags, TTL; IPv6 version, traffic class, flow label, hop limit. */
static bool
gro_ip_same(const struct pkt *a, const struct pkt *b, uint8_t family)
{
	if (family == AF_INET)
		return a->data[1] == b->data[1] && a->data[6] == b->data[6] &&
		       a->data[8] == b->data[8];
	return memcmp(a->data, b->data, 4) == 0 && a->data[7] == b->data[7];
}

static bool
gro_can_join(const struct gro_item *it, const struct pkt *p, const struct ip_info *ii,
	     const struct gro_tcp *t)
{
	struct gro_tcp h;

	if (!it->open || (t->flags & (uint8_t)~TCP_F_PSH) != TCP_F_ACK || t->payload == 0 ||
	    t->payload > it->mss || t->seq != it->next_seq || it->nseg >= GRO_SEGS_MAX ||
	    t->thl != it->thl || it->p->len + t->payload > IP_LEN_MAX ||
	    t->payload > pkt_tailroom(it->p))
		return false;
	if (!gro_parse_tcp(it->p, &it->ii, &h) || h.ack != t->ack || h.win != t->win ||
	    memcmp(h.opt, t->opt, t->thl - 20) != 0)
		return false;
	return gro_ip_same(it->p, p, ii->family) && gro_csum_ok(p, ii);
}

static bool
gro_same_flow(const struct gro_item *it, const struct ip_info *ii, const struct gro_tcp *t)
{
	return it->ii.family == ii->family && it->ii.proto == ii->proto &&
	       it->sport == t->sport && it->dport == t->dport &&
	       addr_eq(&it->ii.src, &ii->src) && addr_eq(&it->ii.dst, &ii->dst);
}

static void
gro_new(struct gro *g, struct pkt *p, const struct ip_info *ii, const struct gro_tcp *t)
{
	struct gro_item *it = &g->item[g->n++];

	it->p = p;
	it->ii = *ii;
	it->nseg = 1;
	it->open = false;
	if (!t)
		return;
	it->sport = t->sport;
	it->dport = t->dport;
	it->thl = t->thl;
	it->mss = (uint16_t)t->payload;
	it->next_seq = t->seq + (uint32_t)t->payload;
	it->open = t->flags == TCP_F_ACK && t->payload > 0 && gro_csum_ok(p, ii);
}

bool
gro_add(struct gro *g, struct pkt *p)
{
	struct ip_info ii = {0};
	struct gro_tcp t;

	if (ip_parse(p->data, p->len, &ii) < 0 || !gro_ip_plain(&ii) ||
	    !gro_parse_tcp(p, &ii, &t)) {
		gro_new(g, p, &ii, NULL);
		return false;
	}
	p->len = ii.total_len;
	/* only the newest item of a flow may grow: older ones precede it on the wire */
	for (unsigned i = g->n; i-- > 0;) {
		struct gro_item *it = &g->item[i];

		if (!gro_same_flow(it, &ii, &t))
			continue;
		if (!gro_can_join(it, p, &ii, &t))
			break;
		memcpy(it->p->data + it->p->len, p->data + ii.hdr_len + t.thl, t.payload);
		it->p->len += t.payload;
		it->next_seq += (uint32_t)t.payload;
		it->nseg++;
		if (t.flags & TCP_F_PSH) {
			it->p->data[ii.hdr_len + 13] |= TCP_F_PSH;
			it->open = false;
		}
		if (t.payload < it->mss)
			it->open = false;
		return true;
	}
	gro_new(g, p, &ii, &t);
	return false;
}

struct pkt *
gro_finish(struct gro *g, unsigned i)
{
	struct gro_item *it = &g->item[i];
	struct pkt *p = it->p;
	struct vnet_hdr vh = {0};

	if (it->nseg > 1) {
		size_t l4 = it->ii.hdr_len, l4_len = p->len - l4;

		ip_set_len(p->data, it->ii.family, p->len);
		it->ii.total_len = p->len;
		/* virtio NEEDS_CSUM: the field holds the pseudo-header sum, the rest is added */
		be16_put(p->data + l4 + TCP_OFF_CSUM,
			 csum_fold(csum_pseudo(&it->ii, IP_PROTO_TCP, l4_len)));
		vh.flags = VNET_F_NEEDS_CSUM;
		vh.gso_type = it->ii.family == AF_INET ? VNET_GSO_TCPV4 : VNET_GSO_TCPV6;
		vh.hdr_len = (uint16_t)(l4 + it->thl);
		vh.gso_size = it->mss;
		vh.csum_start = (uint16_t)l4;
		vh.csum_offset = TCP_OFF_CSUM;
	}
	p->data -= VNET_HDR_LEN;
	p->len += VNET_HDR_LEN;
	vnet_hdr_write(p->data, &vh);
	return p;
}
