/*
 * IPComp (RFC 3173) with deflate (RFC 2394). Each datagram is compressed
 * on its own (the streams are reset per packet), so loss and reordering
 * never matter. The streams and the scratch buffer are allocated once per
 * SA; nothing is allocated per packet.
 *
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * |  Next Header  |     Flags     | Compression Parameter Index   |   RFC 3173 2.2
 */
#include "dataplane/ipcomp.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "dataplane/ipsec_io.h"
#include "lib/buf.h"

/*
 * Linux inflates with a 2^11 window, so we deflate with one too (RFC 2394
 * 2 leaves the size open); inflating with the largest window accepts any
 * peer's choice. Negative bits: raw deflate without the zlib header.
 */
#define IPCOMP_DEFLATE_BITS (-11)
#define IPCOMP_INFLATE_BITS (-15)
#define IPCOMP_MEM_LEVEL 8

struct ipcomp_ctx {
	z_stream def, inf;
	bool def_ok, inf_ok;
	uint8_t scratch[IPCOMP_SCRATCH];
};

int
ipcomp_ctx_new(struct ipcomp_ctx **out)
{
	struct ipcomp_ctx *c = calloc(1, sizeof(*c));

	if (!c)
		return -ENOMEM;
	c->def_ok = deflateInit2(&c->def, Z_DEFAULT_COMPRESSION, Z_DEFLATED, IPCOMP_DEFLATE_BITS,
	                         IPCOMP_MEM_LEVEL, Z_DEFAULT_STRATEGY) == Z_OK;
	c->inf_ok = inflateInit2(&c->inf, IPCOMP_INFLATE_BITS) == Z_OK;
	if (!c->def_ok || !c->inf_ok) {
		ipcomp_ctx_free(c);
		return -ENOMEM;
	}
	*out = c;
	return 0;
}

void
ipcomp_ctx_free(struct ipcomp_ctx *c)
{
	if (!c)
		return;
	if (c->def_ok)
		deflateEnd(&c->def);
	if (c->inf_ok)
		inflateEnd(&c->inf);
	free(c);
}

int
ipcomp_deflate(struct ipcomp_ctx *c, const uint8_t *src, size_t len, const uint8_t **out,
               size_t *out_len)
{
	z_stream *z = &c->def;

	/* RFC 3173 2.2: only send the compressed form when it is strictly smaller */
	if (len <= IPCOMP_HDR_LEN + 1 || len > IPCOMP_SCRATCH)
		return 1;
	if (deflateReset(z) != Z_OK)
		return -EINVAL;
	z->next_in = (Bytef *)src;
	z->avail_in = (uInt)len;
	z->next_out = c->scratch;
	z->avail_out = (uInt)(len - IPCOMP_HDR_LEN - 1);
	if (deflate(z, Z_FINISH) != Z_STREAM_END)
		return 1;
	*out = c->scratch;
	*out_len = z->total_out;
	return 0;
}

int
ipcomp_inflate(struct ipcomp_ctx *c, const uint8_t *src, size_t len, const uint8_t **out,
               size_t *out_len)
{
	z_stream *z = &c->inf;
	int rc;

	if (len == 0 || len > UINT32_MAX || inflateReset(z) != Z_OK)
		return -EINVAL;
	z->next_in = (Bytef *)src;
	z->avail_in = (uInt)len;
	z->next_out = c->scratch;
	z->avail_out = sizeof(c->scratch);
	rc = inflate(z, Z_FINISH);
	/*
	 * Only a complete stream with nothing after it is accepted, as Linux
	 * does. Output that does not fit the scratch (a decompression bomb)
	 * fails here: it is never truncated.
	 */
	if (rc != Z_STREAM_END || z->avail_in != 0)
		return -EINVAL;
	*out = c->scratch;
	*out_len = z->total_out;
	return 0;
}

int
ipcomp_encap(struct sad_entry *e, struct dp_sa *d, struct pkt *p)
{
	struct ipsec_encap c;
	const uint8_t *z = NULL;
	size_t zlen = 0;
	uint8_t *hdr;
	int rc;

	if ((rc = ipsec_io_encap_begin(e, p, &c)) < 0)
		return rc;
	rc = 1;
	/* tunnel mode compresses the whole inner packet, transport the payload */
	if (c.payload_len >= IPCOMP_MIN_LEN)
		rc = ipcomp_deflate(d->comp, p->data + (c.tunnel ? 0 : c.ip_len), c.payload_len,
				    &z, &zlen);
	if (rc < 0)
		return rc;
	if (rc == 1) {
		/*
		 * RFC 3173 2.2: send it uncompressed. In tunnel mode that is the
		 * inner packet in plain IP-in-IP between the SA's endpoints, as
		 * KAME and Linux (its ipcomp tunnel's IPIP state) send it.
		 */
		if (c.tunnel && (rc = ipsec_io_encap(e, p, &c, c.nh, 0, 0)) < 0)
			return rc;
		return 1;
	}
	c.payload_len = zlen;
	if ((rc = ipsec_io_encap(e, p, &c, IPSEC_PROTO_IPCOMP, IPCOMP_HDR_LEN, 0)) < 0)
		return rc;
	hdr = p->data + c.ip_len;
	hdr[0] = c.nh;
	hdr[1] = 0;
	be16_put(hdr + 2, (uint16_t)e->sa.spi);
	memcpy(hdr + IPCOMP_HDR_LEN, z, zlen);
	return 0;
}

int
ipcomp_decap(struct sad_entry *e, struct dp_sa *d, struct pkt *p, const struct ip_info *ii)
{
	struct rd r = rd_init(p->data, p->len);
	const uint8_t *src, *out;
	size_t len, out_len;
	uint8_t nh, flags;
	uint16_t cpi;

	/* RFC 3173 2.2: the flags are reserved and ignored on receipt */
	if (!rd_skip(&r, ii->hdr_len) || !rd_u8(&r, &nh) || !rd_u8(&r, &flags) ||
	    !rd_be16(&r, &cpi))
		return -EINVAL;
	len = rd_left(&r);
	if (!rd_ptr(&r, len, &src) || ipcomp_inflate(d->comp, src, len, &out, &out_len) < 0)
		return -EINVAL;
	/* the payload goes back right after the IP header, over the compressed data */
	if (out_len > sizeof(p->buf) - pkt_headroom(p) - ii->hdr_len)
		return -EINVAL;
	memcpy(p->data + ii->hdr_len, out, out_len);
	p->len = ii->hdr_len + out_len;
	return ipsec_io_decap(e, p, ii, ii->hdr_len, out_len, nh);
}
