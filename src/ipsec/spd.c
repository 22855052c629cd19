/*
 * The security policy database.
 *
 * Lookup must not scan every policy: a gateway may carry thousands. Per
 * direction, policies are grouped by (family, dst prefix length), and each
 * group is a hash table keyed by the masked destination. A lookup probes
 * each group present for the packet's family once, longest prefix first, and
 * keeps the best candidate by the order of spd.h. A group whose lowest
 * priority value cannot beat the candidate found so far is skipped: with
 * equal priorities the first hit ends the search. Cost is per distinct prefix
 * length (at most 33 for IPv4, 129 for IPv6), not per policy.
 *
 * Priority 0 means "not set" and ranks as Linux's default priority
 * (0x80000000, setkey's "prio def"): an explicit "prio high" or small value
 * beats unprioritised policies, as on a kernel SPD.
 *
 * Walks and hooks may remove any entry: running walks hold a registered
 * cursor that removal moves on, as in sad.c.
 */
#include "ipsec/spd.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define SPD_BUCKETS_MIN 8
#define SPD_PRIO_DEFAULT 0x80000000u

/* All policies of one direction with the same dst family and prefix length. */
struct spd_tab {
	uint8_t family, len;
	size_t nbuckets, count;
	uint32_t min_prio; /* lower bound of the ranks inside (not raised on delete) */
	struct spd_entry **b;
};

struct spd_dir {
	struct spd_tab **tabs; /* longest prefix first */
	size_t ntabs;
};

struct spd_cursor {
	struct spd_entry *next;
	struct spd_cursor *up;
};

struct spd {
	struct spd_hooks hooks;
	struct spd_dir dirs[IPSEC_DIR__COUNT];
	struct spd_entry *head, *tail;
	size_t count;
	uint64_t next_id, next_seq;
	uint32_t next_reqid; /* for "unique" requests without a number, as KAME */
	struct spd_cursor *cursors;
};

static uint32_t
prio_rank(const struct spd_entry *e)
{
	return e->pol.priority ? e->pol.priority : SPD_PRIO_DEFAULT;
}

static bool
ulp_any(uint8_t proto)
{
	return proto == 0 || proto == IPSEC_ULP_ANY;
}

static bool
prefix_ok(const struct prefix *p)
{
	if (p->addr.family == 0)
		return p->len == 0;
	if (p->addr.family != AF_INET && p->addr.family != AF_INET6)
		return false;
	return p->len <= addr_bits(&p->addr);
}

/* A family-0 prefix is the wildcard "any" of either family. */
static bool
prefix_match(const struct prefix *p, const struct addr *a)
{
	return p->addr.family == 0 || prefix_contains(p, a);
}

static bool
prefix_eq(const struct prefix *a, const struct prefix *b)
{
	struct prefix x = *a, y = *b;

	if (x.len != y.len || x.addr.family != y.addr.family)
		return false;
	prefix_mask(&x);
	prefix_mask(&y);
	return addr_eq(&x.addr, &y.addr);
}

bool
ipsec_selector_match(const struct ipsec_selector *sel, const struct spd_flow *flow)
{
	if (!ulp_any(sel->proto) && sel->proto != flow->proto)
		return false;
	if ((sel->sport && sel->sport != flow->sport) || (sel->dport && sel->dport != flow->dport))
		return false;
	return prefix_match(&sel->dst, &flow->dst) && prefix_match(&sel->src, &flow->src);
}

bool
ipsec_selector_eq(const struct ipsec_selector *a, const struct ipsec_selector *b)
{
	if (a->proto != b->proto && !(ulp_any(a->proto) && ulp_any(b->proto)))
		return false;
	return a->sport == b->sport && a->dport == b->dport && prefix_eq(&a->src, &b->src) &&
	       prefix_eq(&a->dst, &b->dst);
}

static size_t
addr_bucket(const struct addr *a, size_t nbuckets)
{
	uint64_t h = 0xcbf29ce484222325ULL ^ a->family;
	size_t n = addr_len(a);

	for (size_t i = 0; i < n; i++)
		h = (h ^ a->bytes[i]) * 0x100000001b3ULL; /* FNV-1a */
	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 32;
	return h & (nbuckets - 1);
}

static struct spd_entry **
tab_bucket(const struct spd_tab *t, const struct addr *masked_dst)
{
	return &t->b[addr_bucket(masked_dst, t->nbuckets)];
}

static struct spd_tab *
tab_find(struct spd_dir *d, uint8_t family, uint8_t len)
{
	for (size_t i = 0; i < d->ntabs; i++)
		if (d->tabs[i]->family == family && d->tabs[i]->len == len)
			return d->tabs[i];
	return NULL;
}

/* Find or create the group, keeping the array ordered by descending prefix length. */
static struct spd_tab *
tab_get(struct spd_dir *d, uint8_t family, uint8_t len)
{
	struct spd_tab *t = tab_find(d, family, len), **tabs;
	size_t at = 0;

	if (t)
		return t;
	t = calloc(1, sizeof(*t));
	tabs = realloc(d->tabs, (d->ntabs + 1) * sizeof(*tabs));
	if (tabs)
		d->tabs = tabs;
	if (t)
		t->b = calloc(SPD_BUCKETS_MIN, sizeof(*t->b));
	if (!t || !tabs || !t->b) {
		if (t)
			free(t->b);
		free(t);
		return NULL;
	}
	t->family = family;
	t->len = len;
	t->nbuckets = SPD_BUCKETS_MIN;
	t->min_prio = UINT32_MAX;
	while (at < d->ntabs && d->tabs[at]->len >= len)
		at++;
	memmove(&d->tabs[at + 1], &d->tabs[at], (d->ntabs - at) * sizeof(*tabs));
	d->tabs[at] = t;
	d->ntabs++;
	return t;
}

static void
tab_drop(struct spd_dir *d, struct spd_tab *t)
{
	size_t at = 0;

	while (d->tabs[at] != t)
		at++;
	memmove(&d->tabs[at], &d->tabs[at + 1], (d->ntabs - at - 1) * sizeof(*d->tabs));
	d->ntabs--;
	free(t->b);
	free(t);
}

/* Double the buckets; on allocation failure keep the old ones (only slower). */
static void
tab_grow(struct spd_tab *t)
{
	size_t n = t->nbuckets * 2;
	struct spd_entry **b = calloc(n, sizeof(*b));

	if (!b)
		return;
	for (size_t i = 0; i < t->nbuckets; i++) {
		struct spd_entry *e = t->b[i], *next;

		for (; e; e = next) {
			size_t k = addr_bucket(&e->pol.sel.dst.addr, n);

			next = e->hnext;
			e->hnext = b[k];
			b[k] = e;
		}
	}
	free(t->b);
	t->b = b;
	t->nbuckets = n;
}

struct spd *
spd_new(const struct spd_hooks *hooks)
{
	struct spd *spd = calloc(1, sizeof(*spd));

	if (!spd)
		return NULL;
	if (hooks)
		spd->hooks = *hooks;
	spd->next_id = 1;
	spd->next_seq = 1;
	spd->next_reqid = IPSEC_REQID_AUTO_MIN;
	return spd;
}

static bool
request_ok(const struct ipsec_request *rq)
{
	if (rq->proto != IPSEC_PROTO_ESP && rq->proto != IPSEC_PROTO_AH &&
	    rq->proto != IPSEC_PROTO_IPCOMP)
		return false;
	if (rq->mode != IPSEC_MODE_TRANSPORT && rq->mode != IPSEC_MODE_TUNNEL)
		return false;
	if (rq->level > IPSEC_LEVEL_UNIQUE || rq->src.family != rq->dst.family)
		return false;
	if (rq->dst.family != 0 && rq->dst.family != AF_INET && rq->dst.family != AF_INET6)
		return false;
	/* A tunnel needs its outer endpoints (RFC 4301 4.4.1.2 "tunnel header"). */
	return rq->mode != IPSEC_MODE_TUNNEL || rq->dst.family != 0;
}

static bool
policy_ok(const struct ipsec_policy *pol)
{
	const struct ipsec_selector *sel = &pol->sel;

	if (pol->dir >= IPSEC_DIR__COUNT || pol->action > IPSEC_ACTION_IPSEC ||
	    pol->origin > IPSEC_ORIGIN_IKE || pol->nreq > IPSEC_BUNDLE_MAX)
		return false;
	if (!prefix_ok(&sel->src) || !prefix_ok(&sel->dst) ||
	    sel->src.addr.family != sel->dst.addr.family)
		return false;
	/* Only "ipsec" carries a bundle; "none" and "discard" have none. */
	if ((pol->action == IPSEC_ACTION_IPSEC) != (pol->nreq > 0))
		return false;
	for (uint8_t i = 0; i < pol->nreq; i++)
		if (!request_ok(&pol->req[i]))
			return false;
	return true;
}

/* The stored form: host bits cleared, so equal selectors hash alike. */
static void
selector_canon(struct ipsec_selector *sel)
{
	if (sel->src.addr.family == 0)
		memset(&sel->src.addr, 0, sizeof(sel->src.addr));
	if (sel->dst.addr.family == 0)
		memset(&sel->dst.addr, 0, sizeof(sel->dst.addr));
	prefix_mask(&sel->src);
	prefix_mask(&sel->dst);
	if (sel->proto == 0)
		sel->proto = IPSEC_ULP_ANY;
}

static struct spd_entry *
spd_find(struct spd *spd, const struct ipsec_selector *canon, uint8_t dir, struct spd_tab **tab)
{
	struct spd_tab *t = tab_find(&spd->dirs[dir], canon->dst.addr.family, canon->dst.len);
	struct spd_entry *e;

	*tab = t;
	if (!t)
		return NULL;
	for (e = *tab_bucket(t, &canon->dst.addr); e; e = e->hnext)
		if (ipsec_selector_eq(&e->pol.sel, canon))
			return e;
	return NULL;
}

/*
 * A "unique" request without a number gets one of its own, so that its SAs serve this
 * policy only; numbers at or above IPSEC_REQID_AUTO_MIN seen (a restored policy) are
 * skipped. Wraps within the automatic range (a collision needs 2^32 - 2^14 adds).
 */
static void
reqids_assign(struct spd *spd, struct ipsec_policy *pol)
{
	for (uint8_t i = 0; i < pol->nreq; i++) {
		struct ipsec_request *rq = &pol->req[i];

		if (rq->level != IPSEC_LEVEL_UNIQUE)
			continue;
		if (rq->reqid == 0)
			rq->reqid = spd->next_reqid;
		else if (rq->reqid < spd->next_reqid)
			continue;
		spd->next_reqid = rq->reqid == UINT32_MAX ? IPSEC_REQID_AUTO_MIN : rq->reqid + 1;
	}
}

static void
spd_replace(struct spd *spd, struct spd_tab *t, struct spd_entry *e, const struct ipsec_policy *pol)
{
	if (spd->hooks.removed)
		spd->hooks.removed(e, spd->hooks.arg);
	e->pol = *pol;
	selector_canon(&e->pol.sel);
	reqids_assign(spd, &e->pol);
	if (prio_rank(e) < t->min_prio)
		t->min_prio = prio_rank(e);
	if (spd->hooks.added)
		spd->hooks.added(e, spd->hooks.arg);
}

int
spd_add(struct spd *spd, const struct ipsec_policy *pol, bool update, uint64_t now,
        struct spd_entry **out)
{
	struct ipsec_selector canon;
	struct spd_entry *e, **bucket;
	struct spd_tab *t;

	if (!policy_ok(pol))
		return -EINVAL;
	canon = pol->sel;
	selector_canon(&canon);
	e = spd_find(spd, &canon, pol->dir, &t);
	if (e && !update)
		return -EEXIST;
	if (!e && update)
		return -ENOENT;
	if (e) {
		/* setkey spdupdate: same id and place in order, new contents. */
		spd_replace(spd, t, e, pol);
		goto out;
	}
	t = tab_get(&spd->dirs[pol->dir], canon.dst.addr.family, canon.dst.len);
	e = calloc(1, sizeof(*e));
	if (!t || !e) {
		free(e);
		if (t && t->count == 0)
			tab_drop(&spd->dirs[pol->dir], t);
		return -ENOMEM;
	}
	e->pol = *pol;
	e->pol.sel = canon;
	reqids_assign(spd, &e->pol);
	e->id = spd->next_id++;
	e->seq = spd->next_seq++;
	e->add_time = now;
	if (t->count >= t->nbuckets)
		tab_grow(t);
	bucket = tab_bucket(t, &canon.dst.addr);
	e->hnext = *bucket;
	*bucket = e;
	t->count++;
	if (prio_rank(e) < t->min_prio)
		t->min_prio = prio_rank(e);
	e->lprev = spd->tail;
	if (spd->tail)
		spd->tail->lnext = e;
	else
		spd->head = e;
	spd->tail = e;
	spd->count++;
	if (spd->hooks.added)
		spd->hooks.added(e, spd->hooks.arg);
out:
	if (out)
		*out = e;
	return 0;
}

static void
spd_remove(struct spd *spd, struct spd_entry *e)
{
	struct spd_dir *d = &spd->dirs[e->pol.dir];
	struct spd_tab *t = tab_find(d, e->pol.sel.dst.addr.family, e->pol.sel.dst.len);
	struct spd_entry **pp = tab_bucket(t, &e->pol.sel.dst.addr);

	while (*pp != e)
		pp = &(*pp)->hnext;
	*pp = e->hnext;
	if (--t->count == 0)
		tab_drop(d, t);
	for (struct spd_cursor *c = spd->cursors; c; c = c->up)
		if (c->next == e)
			c->next = e->lnext;
	if (e->lprev)
		e->lprev->lnext = e->lnext;
	else
		spd->head = e->lnext;
	if (e->lnext)
		e->lnext->lprev = e->lprev;
	else
		spd->tail = e->lprev;
	spd->count--;
	if (spd->hooks.removed)
		spd->hooks.removed(e, spd->hooks.arg);
	free(e);
}

int
spd_delete(struct spd *spd, const struct ipsec_selector *sel, uint8_t dir)
{
	struct ipsec_selector canon = *sel;
	struct spd_entry *e;
	struct spd_tab *t;

	if (dir >= IPSEC_DIR__COUNT || !prefix_ok(&sel->src) || !prefix_ok(&sel->dst))
		return -ENOENT;
	selector_canon(&canon);
	e = spd_find(spd, &canon, dir, &t);
	if (!e)
		return -ENOENT;
	spd_remove(spd, e);
	return 0;
}

int
spd_flush(struct spd *spd)
{
	int n = 0;

	while (spd->head) {
		spd_remove(spd, spd->head);
		n++;
	}
	return n;
}

void
spd_free(struct spd *spd)
{
	if (!spd)
		return;
	spd_flush(spd);
	for (int d = 0; d < IPSEC_DIR__COUNT; d++)
		free(spd->dirs[d].tabs);
	free(spd);
}

bool
spd_entry_before(const struct spd_entry *a, const struct spd_entry *b)
{
	if (prio_rank(a) != prio_rank(b))
		return prio_rank(a) < prio_rank(b);
	if (a->pol.sel.dst.len != b->pol.sel.dst.len)
		return a->pol.sel.dst.len > b->pol.sel.dst.len;
	if (a->pol.sel.src.len != b->pol.sel.src.len)
		return a->pol.sel.src.len > b->pol.sel.src.len;
	return a->seq < b->seq;
}

/* Groups come longest first: a group that cannot outrank the best so far is skipped. */
static bool
tab_hopeless(const struct spd_tab *t, const struct spd_entry *best)
{
	if (!best)
		return false;
	return t->min_prio > prio_rank(best) ||
	       (t->min_prio == prio_rank(best) && t->len < best->pol.sel.dst.len);
}

struct spd_entry *
spd_lookup(struct spd *spd, uint8_t dir, const struct spd_flow *flow)
{
	struct spd_entry *best = NULL;
	struct spd_dir *d;

	if (dir >= IPSEC_DIR__COUNT)
		return NULL;
	d = &spd->dirs[dir];
	for (size_t i = 0; i < d->ntabs; i++) {
		struct spd_tab *t = d->tabs[i];
		struct prefix key = {flow->dst, t->len};

		if ((t->family != 0 && t->family != flow->dst.family) || tab_hopeless(t, best))
			continue;
		if (t->family == 0)
			memset(&key.addr, 0, sizeof(key.addr));
		prefix_mask(&key);
		for (struct spd_entry *e = *tab_bucket(t, &key.addr); e; e = e->hnext)
			if (addr_eq(&e->pol.sel.dst.addr, &key.addr) &&
			    ipsec_selector_match(&e->pol.sel, flow) && (!best || spd_entry_before(e, best)))
				best = e;
	}
	if (best)
		best->hits++;
	return best;
}

int
spd_walk(struct spd *spd, int (*fn)(struct spd_entry *e, void *arg), void *arg)
{
	struct spd_cursor c = {spd->head, spd->cursors};
	int rc = 0;

	spd->cursors = &c;
	while (c.next) {
		struct spd_entry *e = c.next;

		c.next = e->lnext;
		rc = fn(e, arg);
		if (rc)
			break;
	}
	spd->cursors = c.up;
	return rc;
}

size_t
spd_count(const struct spd *spd)
{
	return spd->count;
}
