/*
 * racoon.conf proposals and sainfo algorithms to SA payloads and back (RFC 2409
 * Appendix A for phase 1, RFC 2407 4.4.4 and 4.5 for ESP), and the responder's choice
 * under proposal_check (racoon.conf(5): obey, strict, claim, exact).
 */
#include <errno.h>
#include <string.h>

#include "ike/v1/engine_int.h"

#define AES_KEYLEN_DEFAULT 128

enum hash_alg
ikev1_hash_alg(uint16_t p1_hash)
{
	switch (p1_hash) {
	case IKEV1_HASH_MD5:
		return HASH_MD5;
	case IKEV1_HASH_SHA:
		return HASH_SHA1;
	case IKEV1_HASH_SHA2_256:
		return HASH_SHA256;
	case IKEV1_HASH_SHA2_384:
		return HASH_SHA384;
	case IKEV1_HASH_SHA2_512:
		return HASH_SHA512;
	}
	return 0;
}

int
ikev1_p1_cipher(const struct ikev1_p1_prop *p, enum ikecipher_alg *alg, size_t *key_len)
{
	switch (p->enc) {
	case IKEV1_ENC_AES_CBC:
		*alg = IKECIPHER_AES_CBC;
		*key_len = (p->keylen ? p->keylen : AES_KEYLEN_DEFAULT) / 8;
		return 0;
	case IKEV1_ENC_3DES:
		*alg = IKECIPHER_3DES_CBC;
		*key_len = 24;
		return 0;
	}
	return -EINVAL;
}

static void
p1_xform(struct ikev1_out *o, uint8_t number, const struct ikev1_p1_prop *p)
{
	ikev1_out_xform_begin(o, number, IKEV1_KEY_IKE);
	ikev1_out_attr_tv(o, IKEV1_P1_ENC, p->enc);
	if (p->enc == IKEV1_ENC_AES_CBC)
		ikev1_out_attr_tv(o, IKEV1_P1_KEY_LENGTH,
		                  p->keylen ? p->keylen : AES_KEYLEN_DEFAULT);
	ikev1_out_attr_tv(o, IKEV1_P1_HASH, p->hash);
	ikev1_out_attr_tv(o, IKEV1_P1_AUTH, p->auth);
	ikev1_out_attr_tv(o, IKEV1_P1_GROUP_DESC, p->group);
	if (p->lifetime_sec) {
		ikev1_out_attr_tv(o, IKEV1_P1_LIFE_TYPE, IKEV1_LIFE_SECONDS);
		ikev1_out_attr_uint(o, IKEV1_P1_LIFE_DURATION, p->lifetime_sec);
	}
	ikev1_out_xform_end(o);
}

/*
 * A chosen transform sent back as it came (RFC 2408 4.2: the responder must not modify
 * the proposal), except a lifetime that proposal_check shortened: life seconds, life_kb
 * kilobytes (0: keep the value as it came).
 */
static void
xform_echo(struct ikev1_out *o, const struct ikev1_choice *c, uint16_t life_type_attr,
           uint16_t life_attr, uint32_t life, uint32_t life_kb)
{
	struct ikev1_attr a[IKEV1_ATTRS_MAX];
	uint32_t want = 0;
	uint64_t v;
	size_t n = 0;

	ikev1_attrs_parse(&c->xf.attrs, a, IKEV1_ATTRS_MAX, &n);
	ikev1_out_xform_begin(o, c->xf.number, c->xf.id);
	for (size_t i = 0; i < n; i++) {
		if (a[i].type == life_type_attr && ikev1_attr_uint(&a[i], &v))
			want = v == IKEV1_LIFE_SECONDS ? life : v == IKEV1_LIFE_KILOBYTES ? life_kb : 0;
		if (a[i].type == life_attr && want && ikev1_attr_uint(&a[i], &v) && v != want)
			ikev1_out_attr_uint(o, life_attr, want);
		else
			ikev1_out_attr(o, &a[i]);
	}
	ikev1_out_xform_end(o);
}

/* Our offer (all proposals, one transform each) or, with echo, the responder's choice. */
void
ikev1_p1_sa_build(struct ikev1_out *o, const struct ikev1_remote *cfg,
                  const struct ikev1_choice *echo, uint32_t life)
{
	ikev1_out_sa_begin(o, IKEV1_DOI_IPSEC, IKEV1_SIT_IDENTITY_ONLY);
	ikev1_out_prop_begin(o, echo ? echo->prop_no : 1, IKEV1_PROTO_ISAKMP, NULL, 0);
	if (echo)
		xform_echo(o, echo, IKEV1_P1_LIFE_TYPE, IKEV1_P1_LIFE_DURATION, life, 0);
	for (size_t i = 0; !echo && i < cfg->n_props; i++)
		p1_xform(o, (uint8_t)(i + 1), &cfg->props[i]);
	ikev1_out_prop_end(o);
	ikev1_out_sa_end(o);
}

/* A transform's attributes as a proposal; false for anything we do not know. */
static bool
p1_decode(const struct ikev1_transform *t, struct ikev1_p1_prop *out)
{
	struct ikev1_attr a[IKEV1_ATTRS_MAX];
	struct ikev1_p1_prop p = {0};
	uint16_t life_type = 0;
	size_t n;
	uint64_t v;

	if (t->id != IKEV1_KEY_IKE || ikev1_attrs_parse(&t->attrs, a, IKEV1_ATTRS_MAX, &n) < 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (!ikev1_attr_uint(&a[i], &v) || v > UINT32_MAX)
			return false;
		switch (a[i].type) {
		case IKEV1_P1_ENC:
			p.enc = (uint16_t)v;
			break;
		case IKEV1_P1_KEY_LENGTH:
			p.keylen = (uint16_t)v;
			break;
		case IKEV1_P1_HASH:
			p.hash = (uint16_t)v;
			break;
		case IKEV1_P1_AUTH:
			p.auth = (uint16_t)v;
			break;
		case IKEV1_P1_GROUP_DESC:
			p.group = (uint16_t)v;
			break;
		case IKEV1_P1_LIFE_TYPE:
			life_type = (uint16_t)v;
			break;
		case IKEV1_P1_LIFE_DURATION:
			if (life_type == IKEV1_LIFE_SECONDS)
				p.lifetime_sec = (uint32_t)v;
			break;
		default:
			return false;
		}
	}
	if (p.enc == IKEV1_ENC_AES_CBC && p.keylen == 0)
		p.keylen = AES_KEYLEN_DEFAULT;
	*out = p;
	return true;
}

static bool
p1_same(const struct ikev1_p1_prop *a, const struct ikev1_p1_prop *b)
{
	uint16_t ka = a->enc == IKEV1_ENC_AES_CBC && !a->keylen ? AES_KEYLEN_DEFAULT : a->keylen;
	uint16_t kb = b->enc == IKEV1_ENC_AES_CBC && !b->keylen ? AES_KEYLEN_DEFAULT : b->keylen;

	return a->enc == b->enc && ka == kb && a->hash == b->hash && a->auth == b->auth &&
	       a->group == b->group;
}

/* racoon's proposal_check on a lifetime; 0 on either side means "not limited". */
static bool
life_check(enum ikev1_propcheck pc, uint32_t theirs, uint32_t ours, uint32_t *chosen)
{
	if (ours == 0 || theirs == 0 || pc == IKEV1_PROPCHECK_OBEY) {
		*chosen = theirs ? theirs : ours;
		return true;
	}
	switch (pc) {
	case IKEV1_PROPCHECK_STRICT:
		*chosen = theirs;
		return theirs <= ours;
	case IKEV1_PROPCHECK_CLAIM:
		*chosen = theirs < ours ? theirs : ours;
		return true;
	case IKEV1_PROPCHECK_EXACT:
		*chosen = theirs;
		return theirs == ours;
	case IKEV1_PROPCHECK_OBEY:
		break;
	}
	return true;
}

bool
ikev1_p1_xauth(const struct ikev1_remote *cfg)
{
	for (size_t i = 0; i < cfg->n_props; i++)
		if (cfg->props[i].auth == IKEV1_AUTH_XAUTH_INIT_PSK)
			return true;
	return false;
}

/* One received transform against our proposals; the chosen one (with lifetime) to out. */
static bool
p1_match(const struct ikev1_remote *cfg, const struct ikev1_transform *x, bool responder,
         struct ikev1_p1_prop *out)
{
	struct ikev1_p1_prop t;

	if (!p1_decode(x, &t))
		return false;
	for (size_t j = 0; j < cfg->n_props; j++) {
		const struct ikev1_p1_prop *c = &cfg->props[j];
		uint32_t life = t.lifetime_sec;

		if (!p1_same(&t, c) || !ikev1_auth_usable(cfg, t.auth) ||
		    !dh_group_supported((enum dh_group)t.group) || !ikev1_hash_alg(t.hash))
			continue;
		if (responder &&
		    !life_check(cfg->proposal_check, t.lifetime_sec, c->lifetime_sec, &life))
			continue;
		if (!responder && c->lifetime_sec && t.lifetime_sec > c->lifetime_sec)
			continue;
		t.lifetime_sec = life;
		*out = t;
		return true;
	}
	return false;
}

/*
 * Responder: the first of the initiator's transforms that one of our proposals accepts.
 * Initiator: the answer must be exactly one transform we offered. -ENOENT when nothing
 * fits (NO-PROPOSAL-CHOSEN), -EBADMSG for a malformed SA.
 */
int
ikev1_p1_sa_select(const struct ikev1_remote *cfg, const struct ikev1_payload *pl, bool responder,
                   struct ikev1_p1_prop *out, struct ikev1_choice *ret_choice)
{
	struct ikev1_sa sa_pl;

	if (ikev1_sa_parse(pl, &sa_pl) < 0 || sa_pl.nproposals == 0)
		return -EBADMSG;
	if (!responder && (sa_pl.nproposals != 1 || sa_pl.proposals[0].ntransforms != 1))
		return -ENOENT;
	/* one proposal with many transforms is usual (RFC 2409 5); several are accepted */
	for (size_t k = 0; k < sa_pl.nproposals; k++) {
		const struct ikev1_proposal *p = &sa_pl.proposals[k];

		if (p->protocol != IKEV1_PROTO_ISAKMP)
			continue;
		for (size_t i = 0; i < p->ntransforms; i++) {
			if (!p1_match(cfg, &p->transforms[i], responder, out))
				continue;
			if (ret_choice) {
				ret_choice->prop_no = p->number;
				ret_choice->xf = p->transforms[i];
			}
			return 0;
		}
	}
	return -ENOENT;
}

static uint8_t
esp_xform_id(uint8_t enc)
{
	switch (enc) {
	case IPSEC_ENC_NULL:
		return IKEV1_ESP_NULL;
	case IPSEC_ENC_3DES_CBC:
		return IKEV1_ESP_3DES;
	case IPSEC_ENC_AES_CBC:
		return IKEV1_ESP_AES_CBC;
	case IPSEC_ENC_AES_CTR:
		return IKEV1_ESP_AES_CTR;
	case IPSEC_ENC_AES_GCM16:
		return IKEV1_ESP_AES_GCM_16;
	}
	return 0;
}

static uint8_t
esp_enc_of(uint8_t id)
{
	for (uint8_t enc = IPSEC_ENC_NULL; enc < IPSEC_ENC__COUNT; enc++)
		if (esp_xform_id(enc) == id)
			return enc;
	return IPSEC_ENC_NONE;
}

static uint16_t
aalg_of(uint8_t auth)
{
	switch (auth) {
	case IPSEC_AUTH_HMAC_MD5_96:
		return IKEV1_AALG_HMAC_MD5;
	case IPSEC_AUTH_HMAC_SHA1_96:
		return IKEV1_AALG_HMAC_SHA;
	case IPSEC_AUTH_HMAC_SHA256_128:
		return IKEV1_AALG_HMAC_SHA2_256;
	case IPSEC_AUTH_HMAC_SHA384_192:
		return IKEV1_AALG_HMAC_SHA2_384;
	case IPSEC_AUTH_HMAC_SHA512_256:
		return IKEV1_AALG_HMAC_SHA2_512;
	}
	return 0;
}

static uint8_t
auth_of(uint16_t aalg)
{
	for (uint8_t a = IPSEC_AUTH_HMAC_MD5_96; a < IPSEC_AUTH__COUNT; a++)
		if (aalg_of(a) == aalg)
			return a;
	return IPSEC_AUTH_NONE;
}

static bool
enc_has_keylen(uint8_t enc)
{
	return enc == IPSEC_ENC_AES_CBC || enc == IPSEC_ENC_AES_CTR || enc == IPSEC_ENC_AES_GCM16;
}

/* KEYMAT bytes of the cipher: key, plus the 4-byte nonce/salt of CTR and GCM. */
size_t
ikev1_p2_enc_key_len(uint8_t enc, uint16_t keylen)
{
	size_t k = (keylen ? keylen : AES_KEYLEN_DEFAULT) / 8;

	switch (enc) {
	case IPSEC_ENC_3DES_CBC:
		return 24;
	case IPSEC_ENC_AES_CBC:
		return k;
	case IPSEC_ENC_AES_CTR:
	case IPSEC_ENC_AES_GCM16:
		return k + 4;
	}
	return 0;
}

size_t
ikev1_p2_auth_key_len(uint8_t auth)
{
	switch (auth) {
	case IPSEC_AUTH_HMAC_MD5_96:
		return 16;
	case IPSEC_AUTH_HMAC_SHA1_96:
		return 20;
	case IPSEC_AUTH_HMAC_SHA256_128:
		return 32;
	case IPSEC_AUTH_HMAC_SHA384_192:
		return 48;
	case IPSEC_AUTH_HMAC_SHA512_256:
		return 64;
	}
	return 0;
}

static void
p2_xform(struct ikev1_out *o, uint8_t number, const struct ikev1_qm *qm, uint16_t group)
{
	ikev1_out_xform_begin(o, number, esp_xform_id(qm->enc));
	if (qm->lifetime_sec) {
		ikev1_out_attr_tv(o, IKEV1_P2_LIFE_TYPE, IKEV1_LIFE_SECONDS);
		ikev1_out_attr_uint(o, IKEV1_P2_LIFE_DURATION, qm->lifetime_sec);
	}
	if (qm->lifetime_kb) {
		ikev1_out_attr_tv(o, IKEV1_P2_LIFE_TYPE, IKEV1_LIFE_KILOBYTES);
		ikev1_out_attr_uint(o, IKEV1_P2_LIFE_DURATION, qm->lifetime_kb);
	}
	if (group)
		ikev1_out_attr_tv(o, IKEV1_P2_GROUP_DESC, group);
	ikev1_out_attr_tv(o, IKEV1_P2_ENCAP_MODE, qm->encap_mode);
	if (!ipsec_enc_is_aead(qm->enc))
		ikev1_out_attr_tv(o, IKEV1_P2_AUTH_ALG, aalg_of(qm->auth));
	if (enc_has_keylen(qm->enc))
		ikev1_out_attr_tv(o, IKEV1_P2_KEY_LENGTH,
		                  qm->keylen ? qm->keylen : AES_KEYLEN_DEFAULT);
	ikev1_out_xform_end(o);
}

/*
 * One ESP proposal with our inbound SPI: every enc x auth of the sainfo (an AEAD cipher
 * once, without auth), or with echo the initiator's chosen transform.
 */
void
ikev1_p2_sa_build(struct ikev1_out *o, const struct ikev1_remote *cfg, const struct ikev1_qm *qm,
                  const struct ikev1_choice *echo)
{
	const struct ikev1_sainfo *si = &qm->si;
	uint8_t spi[4], n = 1;
	struct ikev1_qm t = *qm;

	be32_put(spi, qm->spi_in);
	ikev1_out_sa_begin(o, IKEV1_DOI_IPSEC, IKEV1_SIT_IDENTITY_ONLY);
	ikev1_out_prop_begin(o, echo ? echo->prop_no : 1, IKEV1_PROTO_ESP, spi, sizeof(spi));
	if (echo)
		xform_echo(o, echo, IKEV1_P2_LIFE_TYPE, IKEV1_P2_LIFE_DURATION, qm->lifetime_sec,
		           qm->lifetime_kb);
	for (size_t i = 0; !echo && i < si->n_enc; i++) {
		t.enc = si->enc[i].enc;
		t.keylen = si->enc[i].keylen;
		for (size_t j = 0; j < si->n_auth; j++) {
			t.auth = ipsec_enc_is_aead(t.enc) ? IPSEC_AUTH_NONE : si->auth[j];
			p2_xform(o, n++, &t, si->pfs_group);
			if (ipsec_enc_is_aead(t.enc))
				break;
		}
	}
	ikev1_out_prop_end(o);
	ikev1_out_sa_end(o);
}

/* An ESP transform into t (enc, auth, keylen, encap, lifetime) and its PFS group. */
static bool
p2_decode(const struct ikev1_transform *x, struct ikev1_qm *t, uint16_t *group)
{
	struct ikev1_attr a[IKEV1_ATTRS_MAX];
	uint16_t life_type = 0;
	size_t n;
	uint64_t v;

	t->enc = esp_enc_of(x->id);
	t->auth = IPSEC_AUTH_NONE;
	t->keylen = t->encap_mode = 0;
	t->lifetime_sec = t->lifetime_kb = 0;
	*group = 0;
	if (t->enc == IPSEC_ENC_NONE || ikev1_attrs_parse(&x->attrs, a, IKEV1_ATTRS_MAX, &n) < 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (!ikev1_attr_uint(&a[i], &v) || v > UINT32_MAX)
			return false;
		switch (a[i].type) {
		case IKEV1_P2_LIFE_TYPE:
			life_type = (uint16_t)v;
			break;
		case IKEV1_P2_LIFE_DURATION:
			if (life_type == IKEV1_LIFE_SECONDS)
				t->lifetime_sec = (uint32_t)v;
			else if (life_type == IKEV1_LIFE_KILOBYTES)
				t->lifetime_kb = (uint32_t)v;
			break;
		case IKEV1_P2_GROUP_DESC:
			*group = (uint16_t)v;
			break;
		case IKEV1_P2_ENCAP_MODE:
			t->encap_mode = (uint16_t)v;
			break;
		case IKEV1_P2_AUTH_ALG:
			t->auth = auth_of((uint16_t)v);
			if (t->auth == IPSEC_AUTH_NONE)
				return false;
			break;
		case IKEV1_P2_KEY_LENGTH:
			t->keylen = (uint16_t)v;
			break;
		default:
			return false;
		}
	}
	if (enc_has_keylen(t->enc) && t->keylen == 0)
		t->keylen = AES_KEYLEN_DEFAULT;
	return ipsec_enc_is_aead(t->enc) == (t->auth == IPSEC_AUTH_NONE);
}

static bool
p2_offered(const struct ikev1_sainfo *si, const struct ikev1_qm *t)
{
	bool enc_ok = false, auth_ok = ipsec_enc_is_aead(t->enc);

	for (size_t i = 0; i < si->n_enc; i++) {
		uint16_t kl = si->enc[i].keylen;

		if (enc_has_keylen(t->enc) && !kl)
			kl = AES_KEYLEN_DEFAULT;
		enc_ok |= si->enc[i].enc == t->enc && (!enc_has_keylen(t->enc) || kl == t->keylen);
	}
	for (size_t i = 0; !auth_ok && i < si->n_auth; i++)
		auth_ok = si->auth[i] == t->auth;
	return enc_ok && auth_ok;
}

/* One ESP transform against the sainfo; the result into t, its PFS group or -ENOENT. */
static int
p2_match(const struct ikev1_remote *cfg, const struct ikev1_transform *x, bool responder,
         uint16_t encap_want, struct ikev1_qm *t)
{
	const struct ikev1_sainfo *si = &t->si;
	uint16_t group;
	uint32_t life, life_kb;

	if (!p2_decode(x, t, &group) || !p2_offered(si, t))
		return -ENOENT;
	/* PFS must be ours, except that obey takes the initiator's (racoon.conf(5)) */
	if (group != si->pfs_group && !(responder && cfg->proposal_check == IKEV1_PROPCHECK_OBEY))
		return -ENOENT;
	if (group && !dh_group_supported((enum dh_group)group))
		return -ENOENT;
	if (encap_want && t->encap_mode != encap_want)
		return -ENOENT;
	if (responder) {
		if (!life_check(cfg->proposal_check, t->lifetime_sec, si->lifetime_sec, &life) ||
		    !life_check(cfg->proposal_check, t->lifetime_kb, si->lifetime_kb, &life_kb))
			return -ENOENT;
		t->lifetime_sec = life;
		t->lifetime_kb = life_kb;
	} else if ((si->lifetime_sec && t->lifetime_sec > si->lifetime_sec) ||
	           (si->lifetime_kb && t->lifetime_kb > si->lifetime_kb)) {
		return -ENOENT;
	}
	return group;
}

/* Proposals sharing a number form an AND bundle (RFC 2408 4.2): not for us yet. */
static bool
p2_bundled(const struct ikev1_sa *sa_pl, size_t k)
{
	for (size_t i = 0; i < sa_pl->nproposals; i++)
		if (i != k && sa_pl->proposals[i].number == sa_pl->proposals[k].number)
			return true;
	return false;
}

/*
 * Choose (responder) or check (initiator) the ESP transform, filling qm's algorithms,
 * lifetime, encapsulation and the peer's SPI (spi_out). strongSwan sends one proposal
 * per alternative, racoon one with many transforms: both are searched in order.
 * Returns the PFS group (0 = none), -ENOENT when nothing fits, -EBADMSG malformed.
 */
int
ikev1_p2_sa_select(const struct ikev1_remote *cfg, const struct ikev1_payload *pl, bool responder,
                   uint16_t encap_want, struct ikev1_qm *qm, struct ikev1_choice *ret_choice)
{
	struct ikev1_sa sa_pl;
	struct ikev1_qm t;
	int group;

	if (ikev1_sa_parse(pl, &sa_pl) < 0 || sa_pl.nproposals == 0)
		return -EBADMSG;
	if (!responder && (sa_pl.nproposals != 1 || sa_pl.proposals[0].ntransforms != 1))
		return -ENOENT;
	for (size_t k = 0; k < sa_pl.nproposals; k++) {
		const struct ikev1_proposal *p = &sa_pl.proposals[k];
		struct rd spi = p->spi;

		if (p->protocol != IKEV1_PROTO_ESP || rd_left(&spi) != 4 || p2_bundled(&sa_pl, k))
			continue;
		for (size_t i = 0; i < p->ntransforms; i++) {
			t = *qm;
			group = p2_match(cfg, &p->transforms[i], responder, encap_want, &t);
			if (group < 0)
				continue;
			if (!rd_be32(&spi, &t.spi_out))
				return -EBADMSG;
			*qm = t;
			if (ret_choice) {
				ret_choice->prop_no = p->number;
				ret_choice->xf = p->transforms[i];
			}
			return group;
		}
	}
	return -ENOENT;
}
