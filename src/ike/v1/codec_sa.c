/* SA payloads with their proposals and transforms, data attributes, mode cfg ATTR. */
#include "ike/v1/codec.h"

#include <errno.h>

#define ATTR_AF 0x8000

/*
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !A!       Attribute Type        !    AF=0  Attribute Length     !
 * !F!                             !    AF=1  Attribute Value      !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * .                   AF=0  Attribute Value                       .
 * .                   AF=1  Not Transmitted                       .
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *                      RFC 2408 3.3
 *
 * A zero-length TLV is accepted: mode cfg REQUESTs send empty values to ask for them.
 */
static bool
attr_next(struct rd *r, struct ikev1_attr *out)
{
	struct rd c = *r;
	struct ikev1_attr a = {0};
	uint16_t type, v;

	if (!rd_be16(&c, &type) || !rd_be16(&c, &v))
		return false;
	a.type = type & ~ATTR_AF;
	a.tv = (type & ATTR_AF) != 0;
	if (a.tv)
		a.value = v;
	else if (!rd_bytes(&c, v, &a.data))
		return false;
	*out = a;
	*r = c;
	return true;
}

/* Validate a whole attribute block and count it, filling out[] when given. */
static int
attrs_walk(struct rd r, struct ikev1_attr *out, size_t max, size_t *ret_n)
{
	struct ikev1_attr a;
	size_t n = 0;

	while (!rd_end(&r)) {
		if (!attr_next(&r, &a))
			return -EBADMSG;
		if (n == max)
			return -E2BIG;
		if (out != NULL)
			out[n] = a;
		n++;
	}
	*ret_n = n;
	return 0;
}

int
ikev1_attrs_parse(const struct rd *attrs, struct ikev1_attr *out, size_t max, size_t *ret_n)
{
	size_t n;
	int err;

	/* validate before writing so that a failure leaves out[] untouched */
	err = attrs_walk(*attrs, NULL, max, &n);
	if (err < 0)
		return err;
	attrs_walk(*attrs, out, max, &n);
	*ret_n = n;
	return 0;
}

bool
ikev1_attr_uint(const struct ikev1_attr *a, uint64_t *out)
{
	struct rd r = a->data;
	uint64_t v = 0;
	uint8_t b;

	if (a->tv) {
		*out = a->value;
		return true;
	}
	if (r.len == 0 || r.len > sizeof(v))
		return false;
	while (rd_u8(&r, &b))
		v = v << 8 | b;
	*out = v;
	return true;
}

/*
 * ! Next Payload  !   RESERVED    !         Payload Length        !
 * !  Transform #  !  Transform-Id !           RESERVED2           !
 * ~                        SA Attributes                          ~
 *                      RFC 2408 3.6
 */
static int
xform_parse(struct rd *r, uint8_t *np, struct ikev1_transform *out)
{
	struct ikev1_transform t;
	uint8_t reserved;
	uint16_t len, reserved2;
	struct rd body;
	int err;

	if (!rd_u8(r, np) || !rd_u8(r, &reserved) || !rd_be16(r, &len) || len < IKEV1_GEN_HDR_LEN ||
	    !rd_sub(r, len - IKEV1_GEN_HDR_LEN, &body))
		return -EBADMSG;
	if (*np != IKEV1_PL_T && *np != IKEV1_PL_NONE)
		return -EBADMSG;
	if (!rd_u8(&body, &t.number) || !rd_u8(&body, &t.id) || !rd_be16(&body, &reserved2))
		return -EBADMSG;
	err = attrs_walk(body, NULL, IKEV1_ATTRS_MAX, &t.nattrs);
	if (err < 0)
		return err;
	t.attrs = body;
	*out = t;
	return 0;
}

/*
 * ! Next Payload  !   RESERVED    !         Payload Length        !
 * !  Proposal #   !  Protocol-Id  !    SPI Size   !# of Transforms!
 * !                        SPI (variable)                         !
 *                      RFC 2408 3.5
 *
 * Transforms follow, chained by next payload T (3) and ended by 0; their number must
 * match "# of Transforms" exactly.
 */
static int
prop_parse(struct rd *r, uint8_t *np, struct ikev1_proposal *out)
{
	uint8_t reserved, spi_size, declared, xnp = IKEV1_PL_T;
	uint16_t len;
	struct rd body;
	int err;

	if (!rd_u8(r, np) || !rd_u8(r, &reserved) || !rd_be16(r, &len) || len < IKEV1_GEN_HDR_LEN ||
	    !rd_sub(r, len - IKEV1_GEN_HDR_LEN, &body))
		return -EBADMSG;
	if (*np != IKEV1_PL_P && *np != IKEV1_PL_NONE)
		return -EBADMSG;
	if (!rd_u8(&body, &out->number) || !rd_u8(&body, &out->protocol) ||
	    !rd_u8(&body, &spi_size) || !rd_u8(&body, &declared) || spi_size > IKEV1_SPI_MAX ||
	    !rd_bytes(&body, spi_size, &out->spi))
		return -EBADMSG;
	out->ntransforms = 0;
	while (xnp == IKEV1_PL_T) {
		if (rd_end(&body))
			return -EBADMSG;
		if (out->ntransforms == IKEV1_TRANSFORMS_MAX)
			return -E2BIG;
		err = xform_parse(&body, &xnp, &out->transforms[out->ntransforms++]);
		if (err < 0)
			return err;
	}
	if (!rd_end(&body) || out->ntransforms != declared)
		return -EBADMSG;
	return 0;
}

/*
 * ! Next Payload  !   RESERVED    !         Payload Length        !
 * !              Domain of Interpretation  (DOI)                  !
 * ~                           Situation                           ~
 *                      RFC 2408 3.4
 *
 * Only the IPsec DOI with SIT_IDENTITY_ONLY: the secrecy and integrity situations
 * (RFC 2407 4.6.1) append labelled-domain fields nobody sends, so they are refused.
 */
int
ikev1_sa_parse(const struct ikev1_payload *pl, struct ikev1_sa *out)
{
	struct rd r = pl->body;
	struct ikev1_sa sa;
	uint8_t np = IKEV1_PL_P;
	int err;

	if (pl->type != IKEV1_PL_SA)
		return -EINVAL;
	if (!rd_be32(&r, &sa.doi) || !rd_be32(&r, &sa.situation))
		return -EBADMSG;
	if (sa.doi != IKEV1_DOI_IPSEC || sa.situation != IKEV1_SIT_IDENTITY_ONLY)
		return -EOPNOTSUPP;
	sa.nproposals = 0;
	while (np == IKEV1_PL_P) {
		if (rd_end(&r))
			return -EBADMSG;
		if (sa.nproposals == IKEV1_PROPOSALS_MAX)
			return -E2BIG;
		err = prop_parse(&r, &np, &sa.proposals[sa.nproposals++]);
		if (err < 0)
			return err;
	}
	if (!rd_end(&r))
		return -EBADMSG;
	*out = sa;
	return 0;
}

/*
 * ! Next Payload  !   RESERVED    !         Payload Length        !
 * !     Type      !   RESERVED    !           Identifier          !
 * ~                           Attributes                          ~
 *             draft-ietf-ipsec-isakmp-mode-cfg-05 3.2
 */
int
ikev1_cfg_parse(const struct ikev1_payload *pl, struct ikev1_cfg *out)
{
	struct rd r = pl->body;
	struct ikev1_cfg c;
	uint8_t reserved;
	int err;

	if (pl->type != IKEV1_PL_ATTR)
		return -EINVAL;
	if (!rd_u8(&r, &c.type) || !rd_u8(&r, &reserved) || !rd_be16(&r, &c.identifier))
		return -EBADMSG;
	err = attrs_walk(r, NULL, IKEV1_ATTRS_MAX, &c.nattrs);
	if (err < 0)
		return err;
	c.attrs = r;
	*out = c;
	return 0;
}
