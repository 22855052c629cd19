/*
 * Segmentation of TUN super-segments (the kernel's TSO/USO output, handed
 * to us because we set TUNSETOFFLOAD) into packets that fit the path, as
 * the kernel's tcp_gso_segment()/udp4_ufo_fragment() would have made them.
 */
#include "dataplane/gso.h"

#include <endian.h>
#include <errno.h>
#include <string.h>

enum {
	TCP_F_FIN = 0x01,
	TCP_F_PSH = 0x08,
	TCP_F_CWR = 0x80,
	TCP_HDR_MIN = 20, /* RFC 9293 3.1 */
	UDP_HDR_LEN = 8,  /* RFC 768 */
	TCP_OFF_SEQ = 4,
	TCP_OFF_FLAGS = 13,
	TCP_OFF_CSUM = 16,
	UDP_OFF_LEN = 4,
	UDP_OFF_CSUM = 6,
	IP4_OFF_ID = 4,
};

static bool
rd_le16(struct rd *r, uint16_t *out)
{
	uint8_t lo, hi;
	struct rd t = *r;

	if (!rd_u8(&t, &lo) || !rd_u8(&t, &hi))
		return false;
	*r = t;
	*out = (uint16_t)(lo | hi << 8);
	return true;
}

bool
vnet_hdr_read(struct rd *r, struct vnet_hdr *out)
{
	struct vnet_hdr h;
	struct rd t = *r;

	if (!rd_u8(&t, &h.flags) || !rd_u8(&t, &h.gso_type) || !rd_le16(&t, &h.hdr_len) ||
	    !rd_le16(&t, &h.gso_size) || !rd_le16(&t, &h.csum_start) ||
	    !rd_le16(&t, &h.csum_offset))
		return false;
	*r = t;
	*out = h;
	return true;
}

static void
le16_put(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

void
vnet_hdr_write(uint8_t *p, const struct vnet_hdr *h)
{
	p[0] = h->flags;
	p[1] = h->gso_type;
	le16_put(p + 2, h->hdr_len);
	le16_put(p + 4, h->gso_size);
	le16_put(p + 6, h->csum_start);
	le16_put(p + 8, h->csum_offset);
}

/*
 * Native-order 64-bit words with end-around carry: RFC 1071 2(B) and 4.1,
 * the sum is independent of byte order and word size, so only the fold
 * needs to know either.
 */
uint64_t
csum_add(uint64_t sum, const uint8_t *p, size_t len)
{
	uint64_t w = 0, w2, sum2 = 0;

	/* two independent carry chains: the loop is bound by add latency */
	while (len >= 16) {
		memcpy(&w, p, 8);
		memcpy(&w2, p + 8, 8);
		sum += w;
		sum += sum < w;
		sum2 += w2;
		sum2 += sum2 < w2;
		p += 16;
		len -= 16;
	}
	sum += sum2;
	sum += sum < sum2;
	while (len >= 8) {
		memcpy(&w, p, 8);
		sum += w;
		sum += sum < w;
		p += 8;
		len -= 8;
	}
	if (len) {
		uint8_t last[8] = {0};

		/* zero padding at the end keeps every byte at its position in the word */
		memcpy(last, p, len);
		memcpy(&w, last, 8);
		sum += w;
		sum += sum < w;
	}
	return sum;
}

uint16_t
csum_fold(uint64_t sum)
{
	sum = (sum & 0xffffffff) + (sum >> 32);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return be16toh((uint16_t)sum);
}

uint64_t
csum_pseudo(const struct ip_info *ii, uint8_t proto, size_t l4_len)
{
	uint8_t b[8] = {0};
	uint64_t sum;

	if (ii->family == AF_INET) {
		sum = csum_add(0, (const uint8_t *)&ii->src.v4, 4);
		sum = csum_add(sum, (const uint8_t *)&ii->dst.v4, 4);
		b[1] = proto;
		be16_put(b + 2, (uint16_t)l4_len);
		return csum_add(sum, b, 4);
	}
	sum = csum_add(0, (const uint8_t *)&ii->src.v6, 16);
	sum = csum_add(sum, (const uint8_t *)&ii->dst.v6, 16);
	be32_put(b, (uint32_t)l4_len);
	b[7] = proto;
	return csum_add(sum, b, 8);
}

/* Header length of the GSO packet: IP + TCP (data offset) or IP + UDP. */
static int
gso_hdr_len(struct gso_iter *it, uint8_t type)
{
	struct rd r = rd_init(it->pkt, it->ii.total_len);
	uint8_t doff;

	if (it->ii.partial || !rd_skip(&r, it->ii.hdr_len))
		return -EBADMSG;
	if (type == VNET_GSO_UDP_L4) {
		if (it->ii.proto != IP_PROTO_UDP || rd_left(&r) < UDP_HDR_LEN)
			return -EBADMSG;
		it->hdr_len = it->ii.hdr_len + UDP_HDR_LEN;
		return 0;
	}
	if (it->ii.proto != IP_PROTO_TCP ||
	    (type == VNET_GSO_TCPV4) != (it->ii.family == AF_INET) ||
	    !rd_peek_u8(&r, 12, &doff) || (size_t)(doff >> 4) * 4 < TCP_HDR_MIN ||
	    (size_t)(doff >> 4) * 4 > rd_left(&r))
		return -EBADMSG;
	it->hdr_len = it->ii.hdr_len + (size_t)(doff >> 4) * 4;
	return 0;
}

int
gso_begin(struct gso_iter *it, const uint8_t *buf, size_t len)
{
	struct rd r = rd_init(buf, len);
	uint8_t type;

	memset(it, 0, sizeof(*it));
	if (!vnet_hdr_read(&r, &it->vh) || !rd_ptr(&r, rd_left(&r), &it->pkt))
		return -EBADMSG;
	it->len = len - VNET_HDR_LEN;
	if (ip_parse(it->pkt, it->len, &it->ii) < 0)
		return -EBADMSG;
	type = it->vh.gso_type & (uint8_t)~VNET_GSO_ECN;
	switch (type) {
	case VNET_GSO_NONE:
		if ((it->vh.flags & VNET_F_NEEDS_CSUM) &&
		    ((size_t)it->vh.csum_start + it->vh.csum_offset + 2 > it->ii.total_len ||
		     it->vh.csum_start < it->ii.hdr_len))
			return -EBADMSG;
		it->hdr_len = it->ii.total_len;
		return 0;
	case VNET_GSO_TCPV4:
	case VNET_GSO_TCPV6:
	case VNET_GSO_UDP_L4:
		if (it->vh.gso_size == 0 || gso_hdr_len(it, type) < 0)
			return -EBADMSG;
		it->vh.gso_type = type;
		return 0;
	default:
		return -EBADMSG;
	}
}

/* The checksum of the segment's transport header and payload, pseudo-header included. */
static void
gso_l4_csum(struct gso_iter *it, uint8_t *seg, size_t seg_len)
{
	const size_t l4 = it->ii.hdr_len, l4_len = seg_len - l4;
	bool tcp = it->ii.proto == IP_PROTO_TCP;
	size_t at = l4 + (tcp ? TCP_OFF_CSUM : UDP_OFF_CSUM);
	uint16_t c;

	be16_put(seg + at, 0);
	c = (uint16_t)~csum_fold(csum_add(csum_pseudo(&it->ii, it->ii.proto, l4_len), seg + l4,
					  l4_len));
	/* RFC 768: a computed zero is sent as all ones (zero means "no checksum") */
	be16_put(seg + at, !tcp && c == 0 ? 0xffff : c);
}

/* One plain packet: copied, with the checksum the stack left to us completed. */
static bool
gso_next_plain(struct gso_iter *it, struct pkt *out)
{
	size_t start = it->vh.csum_start, at = start + it->vh.csum_offset;

	memcpy(out->data, it->pkt, it->ii.total_len);
	out->len = it->ii.total_len;
	if (it->vh.flags & VNET_F_NEEDS_CSUM) {
		/* virtio: the field already holds the pseudo-header sum; sum over it */
		uint16_t c = (uint16_t)~csum_fold(csum_add(0, out->data + start,
							    out->len - start));

		be16_put(out->data + at, c ? c : 0xffff);
	}
	it->done = true;
	return true;
}

bool
gso_next(struct gso_iter *it, struct pkt *out)
{
	size_t total = it->ii.total_len, seg, l4 = it->ii.hdr_len;
	uint8_t *p;
	bool last;

	if (it->done)
		return false;
	pkt_reset(out);
	if (it->vh.gso_type == VNET_GSO_NONE)
		return gso_next_plain(it, out);
	if (it->off == 0)
		it->off = it->hdr_len;
	seg = total - it->off < it->vh.gso_size ? total - it->off : it->vh.gso_size;
	last = it->off + seg >= total;
	p = out->data;
	memcpy(p, it->pkt, it->hdr_len);
	memcpy(p + it->hdr_len, it->pkt + it->off, seg);
	out->len = it->hdr_len + seg;
	ip_set_len(p, it->ii.family, out->len);
	if (it->ii.family == AF_INET) {
		be16_put(p + IP4_OFF_ID, (uint16_t)(be16_get(p + IP4_OFF_ID) + it->idx));
		ip4_set_csum(p);
	}
	if (it->ii.proto == IP_PROTO_TCP) {
		uint32_t seq = be32_get(p + l4 + TCP_OFF_SEQ) + (uint32_t)(it->off - it->hdr_len);

		be32_put(p + l4 + TCP_OFF_SEQ, seq);
		if (!last)
			p[l4 + TCP_OFF_FLAGS] &= (uint8_t)~(TCP_F_FIN | TCP_F_PSH);
		if (it->idx > 0)
			p[l4 + TCP_OFF_FLAGS] &= (uint8_t)~TCP_F_CWR;
	} else {
		be16_put(p + l4 + UDP_OFF_LEN, (uint16_t)(out->len - l4));
	}
	gso_l4_csum(it, p, out->len);
	it->off += seg;
	it->idx++;
	it->done = last;
	return true;
}
