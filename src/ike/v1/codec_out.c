/*
 * The ISAKMP message builder, the SA and attribute encoders.
 *
 * Every chained structure names its successor in its own header (RFC 2408 3.2), which is
 * unknown while it is written. So the builder remembers the offset of the last
 * next-payload octet at each level (message, proposal, transform) and patches it when
 * the next item begins; a last item keeps the 0 written first. Lengths are patched when
 * an item ends. Only offsets are kept: nothing points into the buffer.
 */
#include "ike/v1/codec.h"

#include <errno.h>
#include <limits.h>

#define NONE SIZE_MAX
#define ATTR_AF 0x8000
#define HDR_NP_AT 16  /* offset of Next Payload in the ISAKMP header */
#define HDR_LEN_AT 24 /* offset of Length */
#define PROP_NTRANSFORMS_AT 7

/* Overwrite one octet already written; offsets are stale once the writer overflowed. */
static void
patch_u8(struct ikev1_out *o, size_t at, uint8_t v)
{
	if (!wr_ok(&o->w))
		return;
	if (at >= o->w.len) {
		o->bad = true;
		return;
	}
	wr_patch_u8(&o->w, at, v);
}

/* Patch the 16-bit length of the generic header starting at start. */
static void
len_patch(struct ikev1_out *o, size_t start)
{
	size_t len;

	if (!wr_ok(&o->w))
		return;
	len = o->w.len - start;
	/* a payload that outgrew its length field is as fatal as a full buffer */
	if (len > UINT16_MAX) {
		wr_fail(&o->w);
		return;
	}
	wr_patch_be16(&o->w, start + 2, (uint16_t)len);
}

/* Write a generic header (RFC 2408 3.2) with zero next payload and length. */
static size_t
gen_hdr(struct ikev1_out *o)
{
	size_t at = o->w.len;

	wr_u8(&o->w, IKEV1_PL_NONE);
	wr_u8(&o->w, 0);
	wr_be16(&o->w, 0);
	return at;
}

void
ikev1_out_init(struct ikev1_out *o, void *buf, size_t cap, const struct ikev1_hdr *h)
{
	struct ikev1_hdr hdr = *h;

	hdr.np = IKEV1_PL_NONE;
	hdr.length = 0;
	o->w = wr_init(buf, cap);
	o->bad = false;
	o->np_at = HDR_NP_AT;
	o->pl_at = NONE;
	o->prop_at = NONE;
	o->prop_np_at = NONE;
	o->ntransforms = 0;
	o->xf_at = NONE;
	o->xf_np_at = NONE;
	ikev1_hdr_encode(&o->w, &hdr);
}

void
ikev1_out_begin(struct ikev1_out *o, uint8_t type)
{
	if (o->pl_at != NONE || type == IKEV1_PL_NONE) {
		o->bad = true;
		return;
	}
	/* the previous payload (or the header) names this one */
	patch_u8(o, o->np_at, type);
	o->pl_at = gen_hdr(o);
	o->np_at = o->pl_at;
}

void
ikev1_out_end(struct ikev1_out *o)
{
	if (o->pl_at == NONE || o->prop_at != NONE) {
		o->bad = true;
		return;
	}
	len_patch(o, o->pl_at);
	o->pl_at = NONE;
}

/*
 * The length patched here covers the plaintext message; an exchange that encrypts the
 * body pads it and patches the length again: the header length covers the padding too.
 */
int
ikev1_out_finish(struct ikev1_out *o)
{
	if (o->bad || o->pl_at != NONE)
		return -EINVAL;
	if (!wr_ok(&o->w) || o->w.len > INT_MAX || o->w.len > UINT32_MAX)
		return -EMSGSIZE;
	wr_patch_be32(&o->w, HDR_LEN_AT, (uint32_t)o->w.len);
	return (int)o->w.len;
}

/* Attributes belong to an open transform or to an open ATTR payload. */
static bool
attr_ok(struct ikev1_out *o, uint16_t type)
{
	bool in_xform = o->xf_at != NONE;
	bool in_cfg = o->pl_at != NONE && o->prop_at == NONE;

	if ((!in_xform && !in_cfg) || (type & ATTR_AF)) {
		o->bad = true;
		return false;
	}
	return true;
}

void
ikev1_out_attr_tv(struct ikev1_out *o, uint16_t type, uint16_t value)
{
	if (!attr_ok(o, type))
		return;
	wr_be16(&o->w, type | ATTR_AF);
	wr_be16(&o->w, value);
}

void
ikev1_out_attr_tlv(struct ikev1_out *o, uint16_t type, const void *p, size_t len)
{
	if (!attr_ok(o, type))
		return;
	if (len > UINT16_MAX) {
		o->bad = true;
		return;
	}
	wr_be16(&o->w, type);
	wr_be16(&o->w, (uint16_t)len);
	wr_bytes(&o->w, p, len);
}

void
ikev1_out_attr_uint(struct ikev1_out *o, uint16_t type, uint64_t value)
{
	uint8_t b[8];

	if (value <= UINT16_MAX) {
		ikev1_out_attr_tv(o, type, (uint16_t)value);
	} else if (value <= UINT32_MAX) {
		be32_put(b, (uint32_t)value);
		ikev1_out_attr_tlv(o, type, b, 4);
	} else {
		be64_put(b, value);
		ikev1_out_attr_tlv(o, type, b, 8);
	}
}

void
ikev1_out_attr(struct ikev1_out *o, const struct ikev1_attr *a)
{
	if (a->tv)
		ikev1_out_attr_tv(o, a->type, a->value);
	else
		ikev1_out_attr_tlv(o, a->type, a->data.p, a->data.len);
}

/* Re-emit a validated attribute block attribute by attribute. */
static void
attrs_copy(struct ikev1_out *o, const struct rd *attrs)
{
	struct ikev1_attr a[IKEV1_ATTRS_MAX];
	size_t n;

	if (ikev1_attrs_parse(attrs, a, IKEV1_ATTRS_MAX, &n) < 0) {
		o->bad = true;
		return;
	}
	for (size_t i = 0; i < n; i++)
		ikev1_out_attr(o, &a[i]);
}

void
ikev1_out_sa_begin(struct ikev1_out *o, uint32_t doi, uint32_t situation)
{
	ikev1_out_begin(o, IKEV1_PL_SA);
	wr_be32(&o->w, doi);
	wr_be32(&o->w, situation);
	o->prop_np_at = NONE;
}

void
ikev1_out_prop_begin(struct ikev1_out *o, uint8_t number, uint8_t protocol, const void *spi,
                     size_t spi_len)
{
	if (o->pl_at == NONE || o->prop_at != NONE || spi_len > IKEV1_SPI_MAX) {
		o->bad = true;
		return;
	}
	/* proposals chain by next payload P (2), the last one by 0 (RFC 2408 3.5) */
	if (o->prop_np_at != NONE)
		patch_u8(o, o->prop_np_at, IKEV1_PL_P);
	o->prop_at = gen_hdr(o);
	o->prop_np_at = o->prop_at;
	wr_u8(&o->w, number);
	wr_u8(&o->w, protocol);
	wr_u8(&o->w, (uint8_t)spi_len);
	wr_u8(&o->w, 0); /* # of transforms, patched by prop_end */
	wr_bytes(&o->w, spi, spi_len);
	o->ntransforms = 0;
	o->xf_np_at = NONE;
}

void
ikev1_out_xform_begin(struct ikev1_out *o, uint8_t number, uint8_t id)
{
	if (o->prop_at == NONE || o->xf_at != NONE) {
		o->bad = true;
		return;
	}
	if (o->xf_np_at != NONE)
		patch_u8(o, o->xf_np_at, IKEV1_PL_T);
	o->xf_at = gen_hdr(o);
	o->xf_np_at = o->xf_at;
	wr_u8(&o->w, number);
	wr_u8(&o->w, id);
	wr_be16(&o->w, 0);
	o->ntransforms++;
}

void
ikev1_out_xform_end(struct ikev1_out *o)
{
	if (o->xf_at == NONE) {
		o->bad = true;
		return;
	}
	len_patch(o, o->xf_at);
	o->xf_at = NONE;
}

void
ikev1_out_prop_end(struct ikev1_out *o)
{
	/* "# of Transforms" is one octet and at least one transform is required */
	if (o->prop_at == NONE || o->xf_at != NONE || o->ntransforms == 0 ||
	    o->ntransforms > UINT8_MAX) {
		o->bad = true;
		return;
	}
	patch_u8(o, o->prop_at + PROP_NTRANSFORMS_AT, (uint8_t)o->ntransforms);
	len_patch(o, o->prop_at);
	o->prop_at = NONE;
}

void
ikev1_out_sa_end(struct ikev1_out *o)
{
	/* an SA without proposals would not parse back (RFC 2408 3.4 requires one) */
	if (o->prop_np_at == NONE) {
		o->bad = true;
		return;
	}
	o->prop_np_at = NONE;
	ikev1_out_end(o);
}

void
ikev1_out_sa(struct ikev1_out *o, const struct ikev1_sa *sa)
{
	const struct ikev1_proposal *p;
	const struct ikev1_transform *t;

	ikev1_out_sa_begin(o, sa->doi, sa->situation);
	for (size_t i = 0; i < sa->nproposals; i++) {
		p = &sa->proposals[i];
		ikev1_out_prop_begin(o, p->number, p->protocol, p->spi.p, p->spi.len);
		for (size_t j = 0; j < p->ntransforms; j++) {
			t = &p->transforms[j];
			ikev1_out_xform_begin(o, t->number, t->id);
			attrs_copy(o, &t->attrs);
			ikev1_out_xform_end(o);
		}
		ikev1_out_prop_end(o);
	}
	ikev1_out_sa_end(o);
}

void
ikev1_out_cfg_begin(struct ikev1_out *o, uint8_t type, uint16_t identifier)
{
	ikev1_out_begin(o, IKEV1_PL_ATTR);
	wr_u8(&o->w, type);
	wr_u8(&o->w, 0);
	wr_be16(&o->w, identifier);
}

void
ikev1_out_cfg(struct ikev1_out *o, const struct ikev1_cfg *c)
{
	ikev1_out_cfg_begin(o, c->type, c->identifier);
	attrs_copy(o, &c->attrs);
	ikev1_out_end(o);
}
