/*
 * Binary encoding of the IPsec model for the admin protocol and the state
 * store. Fields come in a fixed order with no tags: the enclosing message
 * carries the version. Integers are big-endian.
 *
 *   addr      u8 family (0 none, 4 IPv4, 6 IPv6) + 0/4/16 bytes
 *   prefix    addr + u8 len
 *   key       u8 len (<= IPSEC_KEY_MAX) + len bytes
 *   lifetime  be64 bytes, be64 add_seconds, be64 use_seconds
 *   sa        addr src, addr dst, u8 proto, u8 mode, be32 spi, be32 reqid,
 *             be16 replay, u8 esn, u8 enc, u8 auth, u8 comp, key enc, key auth,
 *             be16 encap_sport, be16 encap_dport, lifetime soft, lifetime hard,
 *             u8 origin
 *   selector  prefix src, prefix dst, u8 proto, be16 sport, be16 dport
 *   request   u8 proto, u8 mode, u8 level, be32 reqid, addr src, addr dst
 *   policy    selector, u8 dir, u8 action, be32 priority, u8 nreq,
 *             nreq x request, u8 origin
 *   counters  7 x be64 in struct ipsec_counters order
 *
 * Decoders check every enum and length, so a decoded value is well formed;
 * whether it is consistent (e.g. AH without a cipher) is sad_add's and
 * spd_add's job. On failure a decoder consumes nothing and leaves *out alone.
 */
#include "ipsec/codec.h"

#include <errno.h>
#include <string.h>

#include "lib/secmem.h"

enum codec_family {
	CODEC_FAMILY_NONE = 0,
	CODEC_FAMILY_INET = 4,
	CODEC_FAMILY_INET6 = 6,
};

void
addr_encode(struct wr *w, const struct addr *a)
{
	switch (a->family) {
	case AF_INET:
		wr_u8(w, CODEC_FAMILY_INET);
		wr_bytes(w, a->bytes, 4);
		break;
	case AF_INET6:
		wr_u8(w, CODEC_FAMILY_INET6);
		wr_bytes(w, a->bytes, 16);
		break;
	default:
		wr_u8(w, CODEC_FAMILY_NONE);
		break;
	}
}

static bool
addr_read(struct rd *r, struct addr *out)
{
	struct addr a;
	uint8_t fam;

	memset(&a, 0, sizeof(a));
	if (!rd_u8(r, &fam))
		return false;
	if (fam == CODEC_FAMILY_INET)
		a.family = AF_INET;
	else if (fam == CODEC_FAMILY_INET6)
		a.family = AF_INET6;
	else if (fam != CODEC_FAMILY_NONE)
		return false;
	if (!rd_copy(r, a.bytes, addr_len(&a)))
		return false;
	*out = a;
	return true;
}

int
addr_decode(struct rd *r, struct addr *out)
{
	struct rd save = *r;

	if (!addr_read(r, out)) {
		*r = save;
		return -EBADMSG;
	}
	return 0;
}

static void
prefix_encode(struct wr *w, const struct prefix *p)
{
	addr_encode(w, &p->addr);
	wr_u8(w, p->len);
}

static bool
prefix_read(struct rd *r, struct prefix *out)
{
	return addr_read(r, &out->addr) && rd_u8(r, &out->len) && out->len <= addr_bits(&out->addr);
}

/* An over-long key is a caller bug: poison the writer rather than emit it. */
static void
key_encode(struct wr *w, const struct ipsec_key *k)
{
	if (k->len > IPSEC_KEY_MAX) {
		w->overflow = true;
		return;
	}
	wr_u8(w, k->len);
	wr_bytes(w, k->bytes, k->len);
}

static bool
key_read(struct rd *r, struct ipsec_key *out)
{
	return rd_u8(r, &out->len) && out->len <= IPSEC_KEY_MAX && rd_copy(r, out->bytes, out->len);
}

static void
lifetime_encode(struct wr *w, const struct ipsec_lifetime *lt)
{
	wr_be64(w, lt->bytes);
	wr_be64(w, lt->add_seconds);
	wr_be64(w, lt->use_seconds);
}

static bool
lifetime_read(struct rd *r, struct ipsec_lifetime *out)
{
	return rd_be64(r, &out->bytes) && rd_be64(r, &out->add_seconds) &&
	       rd_be64(r, &out->use_seconds);
}

static bool
proto_ok(uint8_t proto)
{
	return proto == IPSEC_PROTO_ESP || proto == IPSEC_PROTO_AH || proto == IPSEC_PROTO_IPCOMP;
}

void
ipsec_sa_encode(struct wr *w, const struct ipsec_sa *sa)
{
	addr_encode(w, &sa->src);
	addr_encode(w, &sa->dst);
	wr_u8(w, sa->proto);
	wr_u8(w, sa->mode);
	wr_be32(w, sa->spi);
	wr_be32(w, sa->reqid);
	wr_be16(w, sa->replay);
	wr_u8(w, sa->esn);
	wr_u8(w, sa->enc);
	wr_u8(w, sa->auth);
	wr_u8(w, sa->comp);
	key_encode(w, &sa->enc_key);
	key_encode(w, &sa->auth_key);
	wr_be16(w, sa->encap_sport);
	wr_be16(w, sa->encap_dport);
	lifetime_encode(w, &sa->soft);
	lifetime_encode(w, &sa->hard);
	wr_u8(w, sa->origin);
}

static bool
sa_read(struct rd *r, struct ipsec_sa *sa)
{
	uint8_t esn;

	if (!addr_read(r, &sa->src) || !addr_read(r, &sa->dst) || !rd_u8(r, &sa->proto) ||
	    !rd_u8(r, &sa->mode) || !rd_be32(r, &sa->spi) || !rd_be32(r, &sa->reqid) ||
	    !rd_be16(r, &sa->replay) || !rd_u8(r, &esn) || !rd_u8(r, &sa->enc) ||
	    !rd_u8(r, &sa->auth) || !rd_u8(r, &sa->comp))
		return false;
	if (!proto_ok(sa->proto) || sa->mode > IPSEC_MODE_TUNNEL || esn > 1 ||
	    sa->enc >= IPSEC_ENC__COUNT || sa->auth >= IPSEC_AUTH__COUNT ||
	    (sa->comp != IPSEC_COMP_NONE && sa->comp != IPSEC_COMP_DEFLATE))
		return false;
	sa->esn = esn;
	if (!key_read(r, &sa->enc_key) || !key_read(r, &sa->auth_key) ||
	    !rd_be16(r, &sa->encap_sport) || !rd_be16(r, &sa->encap_dport) ||
	    !lifetime_read(r, &sa->soft) || !lifetime_read(r, &sa->hard) || !rd_u8(r, &sa->origin))
		return false;
	return sa->origin <= IPSEC_ORIGIN_IKE;
}

int
ipsec_sa_decode(struct rd *r, struct ipsec_sa *out)
{
	struct rd save = *r;
	struct ipsec_sa sa;
	int rc = 0;

	memset(&sa, 0, sizeof(sa));
	if (sa_read(r, &sa))
		*out = sa;
	else {
		*r = save;
		rc = -EBADMSG;
	}
	secmem_wipe(&sa, sizeof(sa));
	return rc;
}

void
ipsec_selector_encode(struct wr *w, const struct ipsec_selector *sel)
{
	prefix_encode(w, &sel->src);
	prefix_encode(w, &sel->dst);
	wr_u8(w, sel->proto);
	wr_be16(w, sel->sport);
	wr_be16(w, sel->dport);
}

static bool
selector_read(struct rd *r, struct ipsec_selector *sel)
{
	return prefix_read(r, &sel->src) && prefix_read(r, &sel->dst) && rd_u8(r, &sel->proto) &&
	       rd_be16(r, &sel->sport) && rd_be16(r, &sel->dport);
}

int
ipsec_selector_decode(struct rd *r, struct ipsec_selector *out)
{
	struct rd save = *r;
	struct ipsec_selector sel;

	memset(&sel, 0, sizeof(sel));
	if (!selector_read(r, &sel)) {
		*r = save;
		return -EBADMSG;
	}
	*out = sel;
	return 0;
}

static bool
request_read(struct rd *r, struct ipsec_request *rq)
{
	if (!rd_u8(r, &rq->proto) || !rd_u8(r, &rq->mode) || !rd_u8(r, &rq->level) ||
	    !rd_be32(r, &rq->reqid) || !addr_read(r, &rq->src) || !addr_read(r, &rq->dst))
		return false;
	return proto_ok(rq->proto) && rq->mode <= IPSEC_MODE_TUNNEL &&
	       rq->level <= IPSEC_LEVEL_UNIQUE;
}

void
ipsec_policy_encode(struct wr *w, const struct ipsec_policy *pol)
{
	uint8_t n = pol->nreq <= IPSEC_BUNDLE_MAX ? pol->nreq : 0;

	if (n != pol->nreq)
		w->overflow = true;
	ipsec_selector_encode(w, &pol->sel);
	wr_u8(w, pol->dir);
	wr_u8(w, pol->action);
	wr_be32(w, pol->priority);
	wr_u8(w, n);
	for (uint8_t i = 0; i < n; i++) {
		const struct ipsec_request *rq = &pol->req[i];

		wr_u8(w, rq->proto);
		wr_u8(w, rq->mode);
		wr_u8(w, rq->level);
		wr_be32(w, rq->reqid);
		addr_encode(w, &rq->src);
		addr_encode(w, &rq->dst);
	}
	wr_u8(w, pol->origin);
}

static bool
policy_read(struct rd *r, struct ipsec_policy *pol)
{
	if (!selector_read(r, &pol->sel) || !rd_u8(r, &pol->dir) || !rd_u8(r, &pol->action) ||
	    !rd_be32(r, &pol->priority) || !rd_u8(r, &pol->nreq))
		return false;
	if (pol->dir >= IPSEC_DIR__COUNT || pol->action > IPSEC_ACTION_IPSEC ||
	    pol->nreq > IPSEC_BUNDLE_MAX)
		return false;
	for (uint8_t i = 0; i < pol->nreq; i++)
		if (!request_read(r, &pol->req[i]))
			return false;
	return rd_u8(r, &pol->origin) && pol->origin <= IPSEC_ORIGIN_IKE;
}

int
ipsec_policy_decode(struct rd *r, struct ipsec_policy *out)
{
	struct rd save = *r;
	struct ipsec_policy pol;

	memset(&pol, 0, sizeof(pol));
	if (!policy_read(r, &pol)) {
		*r = save;
		return -EBADMSG;
	}
	*out = pol;
	return 0;
}

void
ipsec_counters_encode(struct wr *w, const struct ipsec_counters *c)
{
	wr_be64(w, c->packets);
	wr_be64(w, c->bytes);
	wr_be64(w, c->auth_fail);
	wr_be64(w, c->replay);
	wr_be64(w, c->invalid);
	wr_be64(w, c->policy_drop);
	wr_be64(w, c->seq_overflow);
}

int
ipsec_counters_decode(struct rd *r, struct ipsec_counters *out)
{
	struct rd save = *r;
	struct ipsec_counters c;

	if (!rd_be64(r, &c.packets) || !rd_be64(r, &c.bytes) || !rd_be64(r, &c.auth_fail) ||
	    !rd_be64(r, &c.replay) || !rd_be64(r, &c.invalid) || !rd_be64(r, &c.policy_drop) ||
	    !rd_be64(r, &c.seq_overflow)) {
		*r = save;
		return -EBADMSG;
	}
	*out = c;
	return 0;
}
