/*
 * The security association database.
 *
 * Every entry sits in three structures: a hash table keyed by (spi, proto)
 * for inbound packets, one keyed by (dst, src, proto) for outbound bundle
 * resolution, and a list in insertion order for walks and dumps. Both tables
 * use open hashing with a power-of-two bucket count that doubles when the
 * load exceeds one entry per bucket.
 *
 * Removal is safe at any time from hooks and walk callbacks: every running
 * walk registers a cursor holding its next entry, and removing that entry
 * moves the cursor on (the Linux list-cursor idea), so callbacks may delete
 * the current entry or any other one.
 *
 * A hard byte limit found by sad_account() marks the SA DEAD (lookups skip
 * it at once); the hard_expire hook and the removal happen at the next
 * sad_expire(), which sad_next_expiry() schedules immediately. The entry
 * therefore stays valid for the caller of sad_account().
 */
#include "ipsec/sad.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib/secmem.h"

#define SAD_BUCKETS_MIN 16

struct sad_cursor {
	struct sad_entry *next;
	struct sad_cursor *up;
};

struct sad {
	struct sad_hooks hooks;
	struct sad_entry **spi_tab; /* by (spi, proto) */
	struct sad_entry **out_tab; /* by (dst, src, proto) */
	size_t nbuckets;            /* power of two, same for both tables */
	size_t count;
	struct sad_entry *head, *tail;
	struct sad_cursor *cursors; /* running walks, innermost first */
	uint64_t next_id;
};

/* A 64-bit finaliser (MurmurHash3 fmix64): keys differing in one bit spread over all buckets. */
static uint64_t
hash_mix(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

static uint64_t
hash_addr(uint64_t h, const struct addr *a)
{
	size_t n = addr_len(a);

	for (size_t i = 0; i < n; i++)
		h = (h ^ a->bytes[i]) * 0x100000001b3ULL; /* FNV-1a step */
	return h;
}

static size_t
spi_bucket(const struct sad *sad, uint32_t spi, uint8_t proto)
{
	return hash_mix((uint64_t)spi << 8 | proto) & (sad->nbuckets - 1);
}

static size_t
out_bucket(const struct sad *sad, const struct addr *dst, const struct addr *src, uint8_t proto)
{
	uint64_t h = 0xcbf29ce484222325ULL ^ proto;

	h = hash_addr(h, dst);
	h = hash_addr(h ^ 0xff, src);
	return hash_mix(h) & (sad->nbuckets - 1);
}

static void
out_link(struct sad *sad, struct sad_entry *e)
{
	size_t o = out_bucket(sad, &e->sa.dst, &e->sa.src, e->sa.proto);

	e->hnext_out = sad->out_tab[o];
	sad->out_tab[o] = e;
}

static void
tab_link(struct sad *sad, struct sad_entry *e)
{
	size_t b = spi_bucket(sad, e->sa.spi, e->sa.proto);

	e->hnext_spi = sad->spi_tab[b];
	sad->spi_tab[b] = e;
	out_link(sad, e);
}

static void
out_unlink(struct sad *sad, struct sad_entry *e)
{
	struct sad_entry **pp = &sad->out_tab[out_bucket(sad, &e->sa.dst, &e->sa.src, e->sa.proto)];

	while (*pp != e)
		pp = &(*pp)->hnext_out;
	*pp = e->hnext_out;
}

static void
tab_unlink(struct sad *sad, struct sad_entry *e)
{
	struct sad_entry **pp = &sad->spi_tab[spi_bucket(sad, e->sa.spi, e->sa.proto)];

	while (*pp != e)
		pp = &(*pp)->hnext_spi;
	*pp = e->hnext_spi;
	out_unlink(sad, e);
}

/* Double both tables; on allocation failure keep the old ones (only slower). */
static void
sad_grow(struct sad *sad)
{
	size_t n = sad->nbuckets * 2;
	struct sad_entry **spi = calloc(n, sizeof(*spi));
	struct sad_entry **out = calloc(n, sizeof(*out));

	if (!spi || !out) {
		free(spi);
		free(out);
		return;
	}
	free(sad->spi_tab);
	free(sad->out_tab);
	sad->spi_tab = spi;
	sad->out_tab = out;
	sad->nbuckets = n;
	for (struct sad_entry *e = sad->head; e; e = e->lnext)
		tab_link(sad, e);
}

struct sad *
sad_new(const struct sad_hooks *hooks)
{
	struct sad *sad = calloc(1, sizeof(*sad));

	if (!sad)
		return NULL;
	if (hooks)
		sad->hooks = *hooks;
	sad->nbuckets = SAD_BUCKETS_MIN;
	sad->spi_tab = calloc(sad->nbuckets, sizeof(*sad->spi_tab));
	sad->out_tab = calloc(sad->nbuckets, sizeof(*sad->out_tab));
	sad->next_id = 1;
	if (!sad->spi_tab || !sad->out_tab) {
		sad_free(sad);
		return NULL;
	}
	return sad;
}

/* Take e out of every structure; running walks whose next entry is e skip to the one after. */
static void
sad_detach(struct sad *sad, struct sad_entry *e)
{
	for (struct sad_cursor *c = sad->cursors; c; c = c->up)
		if (c->next == e)
			c->next = e->lnext;
	tab_unlink(sad, e);
	if (e->lprev)
		e->lprev->lnext = e->lnext;
	else
		sad->head = e->lnext;
	if (e->lnext)
		e->lnext->lprev = e->lprev;
	else
		sad->tail = e->lprev;
	sad->count--;
}

/* Tell the backend (it frees e->backend), then wipe the keys with the entry. */
static void
sad_release(struct sad *sad, struct sad_entry *e)
{
	if (sad->hooks.removed)
		sad->hooks.removed(e, sad->hooks.arg);
	secmem_wipe(e, sizeof(*e));
	free(e);
}

static void
sad_remove(struct sad *sad, struct sad_entry *e)
{
	sad_detach(sad, e);
	sad_release(sad, e);
}

void
sad_free(struct sad *sad)
{
	if (!sad)
		return;
	while (sad->head)
		sad_remove(sad, sad->head);
	free(sad->spi_tab);
	free(sad->out_tab);
	free(sad);
}

static bool
sa_keys_ok(const struct ipsec_sa *sa)
{
	if (sa->enc >= IPSEC_ENC__COUNT || sa->auth >= IPSEC_AUTH__COUNT)
		return false;
	if (sa->enc_key.len > IPSEC_KEY_MAX || sa->auth_key.len > IPSEC_KEY_MAX)
		return false;
	return ipsec_enc_key_ok(sa->enc, sa->enc_key.len) &&
	       ipsec_auth_key_ok(sa->auth, sa->auth_key.len);
}

/* The transforms each protocol allows (RFC 4303 3.2, RFC 4302, RFC 3173). */
static bool
sa_transforms_ok(const struct ipsec_sa *sa)
{
	switch (sa->proto) {
	case IPSEC_PROTO_ESP:
		if (sa->comp != IPSEC_COMP_NONE)
			return false;
		if (sa->enc == IPSEC_ENC_NONE && sa->auth == IPSEC_AUTH_NONE)
			return false;
		/* An AEAD carries its own ICV: a second integrity transform is an error. */
		return !ipsec_enc_is_aead(sa->enc) || sa->auth == IPSEC_AUTH_NONE;
	case IPSEC_PROTO_AH:
		return sa->auth != IPSEC_AUTH_NONE && sa->enc == IPSEC_ENC_NONE &&
		       sa->comp == IPSEC_COMP_NONE && sa->encap_dport == 0;
	case IPSEC_PROTO_IPCOMP:
		/* The CPI is 16 bits (RFC 3173 2.2). */
		return sa->comp == IPSEC_COMP_DEFLATE && sa->enc == IPSEC_ENC_NONE &&
		       sa->auth == IPSEC_AUTH_NONE && sa->spi <= 0xffff && sa->encap_dport == 0;
	default:
		return false;
	}
}

static bool
sa_valid(const struct ipsec_sa *sa)
{
	if (sa->src.family != sa->dst.family ||
	    (sa->dst.family != AF_INET && sa->dst.family != AF_INET6))
		return false;
	if (sa->spi == 0 || sa->mode > IPSEC_MODE_TUNNEL || sa->origin > IPSEC_ORIGIN_IKE)
		return false;
	if (sa->replay > IPSEC_REPLAY_MAX)
		return false;
	if ((sa->encap_sport == 0) != (sa->encap_dport == 0))
		return false;
	return sa_keys_ok(sa) && sa_transforms_ok(sa);
}

struct sad_entry *
sad_get(struct sad *sad, const struct addr *dst, uint8_t proto, uint32_t spi)
{
	struct sad_entry *e = sad->spi_tab[spi_bucket(sad, spi, proto)];

	for (; e; e = e->hnext_spi)
		if (e->sa.spi == spi && e->sa.proto == proto && addr_eq(&e->sa.dst, dst))
			return e;
	return NULL;
}

int
sad_add(struct sad *sad, const struct ipsec_sa *sa, uint64_t now, struct sad_entry **out)
{
	struct sad_entry *e;

	if (!sa_valid(sa))
		return -EINVAL;
	if (sad_get(sad, &sa->dst, sa->proto, sa->spi))
		return -EEXIST;
	e = calloc(1, sizeof(*e));
	if (!e)
		return -ENOMEM;
	e->sa = *sa;
	e->add_time = now;
	e->state = SAD_STATE_MATURE;
	e->id = sad->next_id++;
	if (sad->count >= sad->nbuckets)
		sad_grow(sad);
	tab_link(sad, e);
	e->lprev = sad->tail;
	if (sad->tail)
		sad->tail->lnext = e;
	else
		sad->head = e;
	sad->tail = e;
	sad->count++;
	if (out)
		*out = e;
	return 0;
}

int
sad_update(struct sad *sad, const struct ipsec_sa *sa, struct sad_entry **out)
{
	struct sad_entry *e;

	if (!sa_valid(sa))
		return -EINVAL;
	e = sad_get(sad, &sa->dst, sa->proto, sa->spi);
	if (!e)
		return -ENOENT;
	/* The source may change, and with it the outbound bucket. */
	out_unlink(sad, e);
	e->sa = *sa;
	out_link(sad, e);
	if (out)
		*out = e;
	return 0;
}

struct sad_entry *
sad_lookup_in(struct sad *sad, const struct addr *dst, uint8_t proto, uint32_t spi)
{
	struct sad_entry *e = sad->spi_tab[spi_bucket(sad, spi, proto)];
	bool any_dst = !dst || dst->family == 0;

	for (; e; e = e->hnext_spi) {
		if (e->sa.spi != spi || e->sa.proto != proto || e->state == SAD_STATE_DEAD)
			continue;
		if (any_dst || addr_eq(&e->sa.dst, dst))
			return e;
	}
	return NULL;
}

static bool
mode_match(uint8_t have, uint8_t want)
{
	return have == want || have == IPSEC_MODE_ANY || want == IPSEC_MODE_ANY;
}

struct sad_entry *
sad_lookup_out(struct sad *sad, const struct addr *src, const struct addr *dst, uint8_t proto,
               uint8_t mode, uint32_t reqid)
{
	struct sad_entry *e = sad->out_tab[out_bucket(sad, dst, src, proto)];
	struct sad_entry *mature = NULL, *dying = NULL;

	for (; e; e = e->hnext_out) {
		if (e->sa.proto != proto || !addr_eq(&e->sa.dst, dst) ||
		    !addr_eq(&e->sa.src, src) || !mode_match(e->sa.mode, mode))
			continue;
		if (reqid && e->sa.reqid != reqid)
			continue;
		/* Ids grow with insertion: the highest is the newest. */
		if (e->state == SAD_STATE_MATURE && (!mature || e->id > mature->id))
			mature = e;
		else if (e->state == SAD_STATE_DYING && (!dying || e->id > dying->id))
			dying = e;
	}
	return mature ? mature : dying;
}

int
sad_delete(struct sad *sad, const struct addr *dst, uint8_t proto, uint32_t spi)
{
	struct sad_entry *e = sad_get(sad, dst, proto, spi);

	if (!e)
		return -ENOENT;
	sad_remove(sad, e);
	return 0;
}

/* Walk with a registered cursor so that fn may remove any entry, this one included. */
int
sad_walk(struct sad *sad, int (*fn)(struct sad_entry *e, void *arg), void *arg)
{
	struct sad_cursor c = {sad->head, sad->cursors};
	int rc = 0;

	sad->cursors = &c;
	while (c.next) {
		struct sad_entry *e = c.next;

		c.next = e->lnext;
		rc = fn(e, arg);
		if (rc)
			break;
	}
	sad->cursors = c.up;
	return rc;
}

struct match_arg {
	struct sad *sad;
	const struct addr *src, *dst;
	uint8_t proto;
	int count;
};

static int
delete_match(struct sad_entry *e, void *arg)
{
	struct match_arg *m = arg;

	if (m->proto != IPSEC_PROTO_ANY && e->sa.proto != m->proto)
		return 0;
	if (m->src && !addr_eq(&e->sa.src, m->src))
		return 0;
	if (m->dst && !addr_eq(&e->sa.dst, m->dst))
		return 0;
	sad_remove(m->sad, e);
	m->count++;
	return 0;
}

int
sad_delete_all(struct sad *sad, const struct addr *src, const struct addr *dst, uint8_t proto)
{
	struct match_arg m = {sad, src, dst, proto, 0};

	sad_walk(sad, delete_match, &m);
	return m.count;
}

int
sad_flush(struct sad *sad, uint8_t proto)
{
	struct match_arg m = {sad, NULL, NULL, proto, 0};

	sad_walk(sad, delete_match, &m);
	return m.count;
}

size_t
sad_count(const struct sad *sad)
{
	return sad->count;
}

static void
sad_soft(struct sad *sad, struct sad_entry *e)
{
	if (e->state != SAD_STATE_MATURE)
		return;
	e->state = SAD_STATE_DYING;
	if (sad->hooks.soft_expire)
		sad->hooks.soft_expire(e, sad->hooks.arg);
}

/*
 * Byte limits (RFC 4301 4.4.2.1): a packet passes while the total including
 * it stays within the hard limit; reaching the limit makes the SA DEAD.
 * The soft_expire hook may run from here: it must not remove e.
 */
bool
sad_account(struct sad *sad, struct sad_entry *e, uint64_t len, uint64_t now)
{
	const struct ipsec_lifetime *hard = &e->sa.hard;

	if (e->state == SAD_STATE_DEAD)
		return false;
	if (hard->bytes && (e->ctr.bytes >= hard->bytes || len > hard->bytes - e->ctr.bytes)) {
		e->state = SAD_STATE_DEAD;
		return false;
	}
	if (!e->use_time)
		e->use_time = now;
	e->ctr.packets++;
	e->ctr.bytes += len;
	if (hard->bytes && e->ctr.bytes >= hard->bytes)
		e->state = SAD_STATE_DEAD;
	else if (e->sa.soft.bytes && e->ctr.bytes >= e->sa.soft.bytes)
		sad_soft(sad, e);
	return true;
}

/* Earliest time a lifetime fires (UINT64_MAX: never); the use clock starts at first use. */
static uint64_t
lifetime_deadline(const struct ipsec_lifetime *lt, const struct sad_entry *e)
{
	uint64_t t = UINT64_MAX;

	if (lt->add_seconds && lt->add_seconds <= UINT64_MAX - e->add_time)
		t = e->add_time + lt->add_seconds;
	if (lt->use_seconds && e->use_time && lt->use_seconds <= UINT64_MAX - e->use_time &&
	    e->use_time + lt->use_seconds < t)
		t = e->use_time + lt->use_seconds;
	return t;
}

struct expire_arg {
	struct sad *sad;
	uint64_t now;
};

static int
expire_one(struct sad_entry *e, void *arg)
{
	struct expire_arg *x = arg;
	struct sad *sad = x->sad;

	if (e->state != SAD_STATE_DEAD && lifetime_deadline(&e->sa.hard, e) <= x->now)
		e->state = SAD_STATE_DEAD;
	if (e->state == SAD_STATE_DEAD) {
		/*
		 * Detach first: a hook that reacts by deleting the SA itself
		 * (an IKE delete, say) then gets -ENOENT instead of a double free.
		 */
		sad_detach(sad, e);
		if (sad->hooks.hard_expire)
			sad->hooks.hard_expire(e, sad->hooks.arg);
		sad_release(sad, e);
		return 0;
	}
	if (lifetime_deadline(&e->sa.soft, e) <= x->now)
		sad_soft(sad, e);
	return 0;
}

void
sad_expire(struct sad *sad, uint64_t now)
{
	struct expire_arg x = {sad, now};

	sad_walk(sad, expire_one, &x);
}

uint64_t
sad_next_expiry(const struct sad *sad, uint64_t now)
{
	uint64_t next = UINT64_MAX;

	for (const struct sad_entry *e = sad->head; e; e = e->lnext) {
		uint64_t t;

		if (e->state == SAD_STATE_DEAD)
			return 0;
		t = lifetime_deadline(&e->sa.hard, e);
		if (e->state == SAD_STATE_MATURE) {
			uint64_t s = lifetime_deadline(&e->sa.soft, e);

			if (s < t)
				t = s;
		}
		if (t < next)
			next = t;
	}
	if (next == UINT64_MAX)
		return UINT64_MAX;
	return next > now ? next - now : 0;
}
