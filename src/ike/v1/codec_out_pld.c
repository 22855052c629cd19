/*
 * Encoders of the payloads without nested structure (RFC 2408 3.7-3.16, RFC 3947).
 * Each refuses (marks the builder bad) what the matching decoder would refuse, so that
 * whatever we send parses back with our own codec.
 */
#include "ike/v1/codec.h"

#include <string.h>

void
ikev1_out_opaque(struct ikev1_out *o, uint8_t type, const void *p, size_t len)
{
	bool nonce = type == IKEV1_PL_NONCE;

	if (len == 0 || (nonce && (len < IKEV1_NONCE_MIN || len > IKEV1_NONCE_MAX))) {
		o->bad = true;
		return;
	}
	ikev1_out_begin(o, type);
	wr_bytes(&o->w, p, len);
	ikev1_out_end(o);
}

void
ikev1_out_id(struct ikev1_out *o, const struct ikev1_id *id)
{
	if (id->data.len == 0) {
		o->bad = true;
		return;
	}
	ikev1_out_begin(o, IKEV1_PL_ID);
	wr_u8(&o->w, id->type);
	wr_u8(&o->w, id->protocol);
	wr_be16(&o->w, id->port);
	wr_bytes(&o->w, id->data.p, id->data.len);
	ikev1_out_end(o);
}

/* The netmask of a prefix length, in the prefix's family. */
static void
mask_from_len(const struct prefix *p, struct addr *mask)
{
	memset(mask, 0, sizeof(*mask));
	mask->family = p->addr.family;
	for (unsigned i = 0; i < p->len; i++)
		mask->bytes[i / 8] |= (uint8_t)(0x80 >> (i % 8));
}

/* A host prefix is sent as an ADDR ID, anything shorter as ADDR_SUBNET (RFC 2407 4.6.2). */
void
ikev1_out_id_prefix(struct ikev1_out *o, uint8_t protocol, uint16_t port, const struct prefix *p)
{
	bool v4 = p->addr.family == AF_INET;
	bool host = p->len == addr_bits(&p->addr);
	struct addr mask;
	size_t alen = addr_len(&p->addr);

	if (alen == 0 || p->len > addr_bits(&p->addr)) {
		o->bad = true;
		return;
	}
	ikev1_out_begin(o, IKEV1_PL_ID);
	if (host)
		wr_u8(&o->w, v4 ? IKEV1_ID_IPV4_ADDR : IKEV1_ID_IPV6_ADDR);
	else
		wr_u8(&o->w, v4 ? IKEV1_ID_IPV4_ADDR_SUBNET : IKEV1_ID_IPV6_ADDR_SUBNET);
	wr_u8(&o->w, protocol);
	wr_be16(&o->w, port);
	wr_bytes(&o->w, p->addr.bytes, alen);
	if (!host) {
		mask_from_len(p, &mask);
		wr_bytes(&o->w, mask.bytes, alen);
	}
	ikev1_out_end(o);
}

void
ikev1_out_id_range(struct ikev1_out *o, uint8_t protocol, uint16_t port, const struct addr *lo,
                   const struct addr *hi)
{
	size_t alen = addr_len(lo);

	if (alen == 0 || lo->family != hi->family) {
		o->bad = true;
		return;
	}
	ikev1_out_begin(o, IKEV1_PL_ID);
	wr_u8(&o->w, lo->family == AF_INET ? IKEV1_ID_IPV4_ADDR_RANGE : IKEV1_ID_IPV6_ADDR_RANGE);
	wr_u8(&o->w, protocol);
	wr_be16(&o->w, port);
	wr_bytes(&o->w, lo->bytes, alen);
	wr_bytes(&o->w, hi->bytes, alen);
	ikev1_out_end(o);
}

void
ikev1_out_cert(struct ikev1_out *o, uint8_t type, const struct ikev1_cert *c)
{
	/* a CR may leave the CA out (any CA will do); a CERT must carry one */
	if ((type != IKEV1_PL_CERT && type != IKEV1_PL_CR) ||
	    (type == IKEV1_PL_CERT && c->data.len == 0)) {
		o->bad = true;
		return;
	}
	ikev1_out_begin(o, type);
	wr_u8(&o->w, c->encoding);
	wr_bytes(&o->w, c->data.p, c->data.len);
	ikev1_out_end(o);
}

void
ikev1_out_notify(struct ikev1_out *o, const struct ikev1_notify *n)
{
	/* the SPI size octet is the view's length: 16 (cookies) or 0 for ISAKMP */
	if (n->spi.len > IKEV1_SPI_MAX) {
		o->bad = true;
		return;
	}
	ikev1_out_begin(o, IKEV1_PL_N);
	wr_be32(&o->w, n->doi);
	wr_u8(&o->w, n->protocol);
	wr_u8(&o->w, (uint8_t)n->spi.len);
	wr_be16(&o->w, n->type);
	wr_bytes(&o->w, n->spi.p, n->spi.len);
	wr_bytes(&o->w, n->data.p, n->data.len);
	ikev1_out_end(o);
}

void
ikev1_out_delete(struct ikev1_out *o, const struct ikev1_delete *d)
{
	if (d->spi_size == 0 || d->spi_size > IKEV1_SPI_MAX || d->count == 0 ||
	    d->spis.len != (size_t)d->count * d->spi_size) {
		o->bad = true;
		return;
	}
	ikev1_out_begin(o, IKEV1_PL_D);
	wr_be32(&o->w, d->doi);
	wr_u8(&o->w, d->protocol);
	wr_u8(&o->w, d->spi_size);
	wr_be16(&o->w, d->count);
	wr_bytes(&o->w, d->spis.p, d->spis.len);
	ikev1_out_end(o);
}

void
ikev1_out_natoa(struct ikev1_out *o, uint8_t type, const struct addr *a)
{
	size_t alen = addr_len(a);

	if ((type != IKEV1_PL_NATOA && type != IKEV1_PL_NATOA_DRAFT) || alen == 0) {
		o->bad = true;
		return;
	}
	ikev1_out_begin(o, type);
	wr_u8(&o->w, a->family == AF_INET ? IKEV1_ID_IPV4_ADDR : IKEV1_ID_IPV6_ADDR);
	wr_u8(&o->w, 0); /* RESERVED, RESERVED (RFC 3947 5.2) */
	wr_be16(&o->w, 0);
	wr_bytes(&o->w, a->bytes, alen);
	ikev1_out_end(o);
}

void
ikev1_out_frag(struct ikev1_out *o, const struct ikev1_frag *f)
{
	/* racoon numbers fragments from 1; an empty fragment would carry nothing */
	if (f->number == 0 || f->data.len == 0) {
		o->bad = true;
		return;
	}
	ikev1_out_begin(o, IKEV1_PL_FRAG);
	wr_be16(&o->w, f->id);
	wr_u8(&o->w, f->number);
	wr_u8(&o->w, f->flags);
	wr_bytes(&o->w, f->data.p, f->data.len);
	ikev1_out_end(o);
}
