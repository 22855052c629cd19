/* Unit tests for the SPD: ordering, selectors, update/delete, and a brute-force cross-check. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ipsec/spd.h"

struct hook_log {
	int added, removed;
	uint32_t last_removed_prio;
};

static void
on_added(struct spd_entry *e, void *arg)
{
	struct hook_log *h = arg;

	(void)e;
	h->added++;
}

static void
on_removed(struct spd_entry *e, void *arg)
{
	struct hook_log *h = arg;

	h->removed++;
	h->last_removed_prio = e->pol.priority;
}

static struct spd *
new_spd(struct hook_log *h)
{
	struct spd_hooks hooks = {on_added, on_removed, h};
	struct spd *spd;

	memset(h, 0, sizeof(*h));
	spd = spd_new(&hooks);
	assert_non_null(spd);
	return spd;
}

static struct prefix
P(const char *s) {
	struct prefix p;

	assert_int_equal(prefix_parse(s, &p), 0);
	return p;
}

static struct addr
A(const char *s) {
	struct addr a;

	assert_int_equal(addr_parse(s, &a), 0);
	return a;
}

static struct ipsec_policy
pol(const char *src, const char *dst, uint8_t dir, uint8_t action)
{
	struct ipsec_policy p;

	memset(&p, 0, sizeof(p));
	p.sel.src = P(src);
	p.sel.dst = P(dst);
	p.sel.proto = IPSEC_ULP_ANY;
	p.dir = dir;
	p.action = action;
	if (action == IPSEC_ACTION_IPSEC) {
		p.nreq = 1;
		p.req[0].proto = IPSEC_PROTO_ESP;
		p.req[0].mode = IPSEC_MODE_TRANSPORT;
		p.req[0].level = IPSEC_LEVEL_REQUIRE;
	}
	return p;
}

static struct spd_flow
flow(const char *src, const char *dst, uint8_t proto, uint16_t sport, uint16_t dport)
{
	struct spd_flow f;

	memset(&f, 0, sizeof(f));
	f.src = A(src);
	f.dst = A(dst);
	f.proto = proto;
	f.sport = sport;
	f.dport = dport;
	return f;
}

static struct spd_entry *
add(struct spd *spd, struct ipsec_policy p)
{
	struct spd_entry *e;

	assert_int_equal(spd_add(spd, &p, false, 1, &e), 0);
	return e;
}

static void
test_specificity(void **state)
{
	struct hook_log h;
	struct spd *spd = new_spd(&h);
	struct spd_entry *all, *net, *host, *src24, *v6;
	struct spd_flow f;

	(void)state;
	all = add(spd, pol("0.0.0.0/0", "0.0.0.0/0", IPSEC_DIR_OUT, IPSEC_ACTION_NONE));
	net = add(spd, pol("0.0.0.0/0", "10.1.0.0/16", IPSEC_DIR_OUT, IPSEC_ACTION_IPSEC));
	host = add(spd, pol("0.0.0.0/0", "10.1.2.3/32", IPSEC_DIR_OUT, IPSEC_ACTION_DISCARD));
	src24 = add(spd, pol("192.168.1.0/24", "10.1.0.0/16", IPSEC_DIR_OUT, IPSEC_ACTION_NONE));
	v6 = add(spd, pol("::/0", "2001:db8::/32", IPSEC_DIR_OUT, IPSEC_ACTION_IPSEC));
	assert_int_equal(h.added, 5);
	assert_int_equal(spd_count(spd), 5);

	f = flow("192.168.2.1", "10.9.9.9", 6, 1, 2);
	assert_ptr_equal(spd_lookup(spd, IPSEC_DIR_OUT, &f), all);
	f = flow("192.168.2.1", "10.1.9.9", 6, 1, 2);
	assert_ptr_equal(spd_lookup(spd, IPSEC_DIR_OUT, &f), net);
	f = flow("192.168.1.1", "10.1.9.9", 6, 1, 2);
	assert_ptr_equal(spd_lookup(spd, IPSEC_DIR_OUT, &f), src24);
	f = flow("192.168.1.1", "10.1.2.3", 6, 1, 2);
	assert_ptr_equal(spd_lookup(spd, IPSEC_DIR_OUT, &f), host);
	assert_null(spd_lookup(spd, IPSEC_DIR_IN, &f));
	assert_null(spd_lookup(spd, IPSEC_DIR__COUNT, &f));
	f = flow("2001:db8:1::1", "2001:db8::5", 17, 1, 2);
	assert_ptr_equal(spd_lookup(spd, IPSEC_DIR_OUT, &f), v6);
	f = flow("2001:db8:1::1", "2001:db9::5", 17, 1, 2);
	assert_null(spd_lookup(spd, IPSEC_DIR_OUT, &f));
	assert_int_equal(host->hits, 1);
	spd_free(spd);
	assert_int_equal(h.removed, 5);
}

/* A family-0 selector is "any" of both families, ranked like a /0. */
static void
test_wildcard_family(void **state)
{
	struct hook_log h;
	struct spd *spd = new_spd(&h);
	struct ipsec_policy p = pol("0.0.0.0/0", "0.0.0.0/0", IPSEC_DIR_IN, IPSEC_ACTION_NONE);
	struct spd_entry *any, *v4;
	struct spd_flow f;

	(void)state;
	memset(&p.sel.src, 0, sizeof(p.sel.src));
	memset(&p.sel.dst, 0, sizeof(p.sel.dst));
	any = add(spd, p);
	f = flow("2001:db8::1", "2001:db8::2", 58, 128, 0);
	assert_ptr_equal(spd_lookup(spd, IPSEC_DIR_IN, &f), any);
	f = flow("10.0.0.5", "192.0.2.1", 6, 1, 2);
	assert_ptr_equal(spd_lookup(spd, IPSEC_DIR_IN, &f), any);
	/* Same rank and dst length, longer src: wins although its group is probed second. */
	v4 = add(spd, pol("10.0.0.0/24", "0.0.0.0/0", IPSEC_DIR_IN, IPSEC_ACTION_DISCARD));
	assert_ptr_equal(spd_lookup(spd, IPSEC_DIR_IN, &f), v4);
	f = flow("10.0.1.5", "192.0.2.1", 6, 1, 2);
	assert_ptr_equal(spd_lookup(spd, IPSEC_DIR_IN, &f), any);
	spd_free(spd);
}

static void
test_priority(void **state)
{
	struct hook_log h;
	struct spd *spd = new_spd(&h);
	struct ipsec_policy p;
	struct spd_entry *host, *wide, *low, *first, *second;
	struct spd_flow f = flow("192.0.2.1", "198.51.100.7", 6, 1000, 22);

	(void)state;
	host = add(spd, pol("0.0.0.0/0", "198.51.100.7/32", IPSEC_DIR_OUT, IPSEC_ACTION_NONE));
	p = pol("0.0.0.0/0", "0.0.0.0/0", IPSEC_DIR_OUT, IPSEC_ACTION_DISCARD);
	p.priority = 0x7fffffff; /* setkey "prio def - 1": above unprioritised policies */
	wide = add(spd, p);
	assert_ptr_equal(spd_lookup(spd, IPSEC_DIR_OUT, &f), wide);
	p = pol("192.0.2.0/24", "198.51.100.0/24", IPSEC_DIR_OUT, IPSEC_ACTION_NONE);
	p.priority = 0x90000000; /* below default */
	low = add(spd, p);
	assert_ptr_equal(spd_lookup(spd, IPSEC_DIR_OUT, &f), wide);
	assert_int_equal(spd_delete(spd, &wide->pol.sel, IPSEC_DIR_OUT), 0);
	assert_ptr_equal(spd_lookup(spd, IPSEC_DIR_OUT, &f), host);
	/* An explicit "prio def" ties with an unset priority: specificity decides. */
	p = pol("192.0.2.0/24", "198.51.100.7/32", IPSEC_DIR_OUT, IPSEC_ACTION_DISCARD);
	p.priority = 0x80000000;
	first = add(spd, p);
	assert_ptr_equal(spd_lookup(spd, IPSEC_DIR_OUT, &f), first);
	/* Equal in everything: the older policy wins. */
	p = pol("192.0.2.0/24", "198.51.100.7/32", IPSEC_DIR_OUT, IPSEC_ACTION_DISCARD);
	p.sel.dport = 22;
	second = add(spd, p);
	p.sel.dport = 0;
	p.sel.sport = 1000;
	add(spd, p);
	assert_ptr_equal(spd_lookup(spd, IPSEC_DIR_OUT, &f), first);
	assert_int_equal(spd_delete(spd, &first->pol.sel, IPSEC_DIR_OUT), 0);
	assert_ptr_equal(spd_lookup(spd, IPSEC_DIR_OUT, &f), second);
	(void)low;
	spd_free(spd);
}

static void
test_ports_proto(void **state)
{
	struct hook_log h;
	struct spd *spd = new_spd(&h);
	struct ipsec_policy p = pol("10.0.0.0/8", "10.0.0.0/8", IPSEC_DIR_IN, IPSEC_ACTION_NONE);
	struct spd_entry *tcp22, *udp, *icmp;
	struct spd_flow f;

	(void)state;
	p.sel.proto = 6;
	p.sel.dport = 22;
	tcp22 = add(spd, p);
	p.sel.proto = 17;
	p.sel.dport = 0;
	udp = add(spd, p);
	p.sel.proto = 1;
	p.sel.sport = 8; /* echo request */
	icmp = add(spd, p);
	f = flow("10.0.0.1", "10.0.0.2", 6, 5555, 22);
	assert_ptr_equal(spd_lookup(spd, IPSEC_DIR_IN, &f), tcp22);
	f.dport = 23;
	assert_null(spd_lookup(spd, IPSEC_DIR_IN, &f));
	f.proto = 17;
	assert_ptr_equal(spd_lookup(spd, IPSEC_DIR_IN, &f), udp);
	f = flow("10.0.0.1", "10.0.0.2", 1, 8, 0);
	assert_ptr_equal(spd_lookup(spd, IPSEC_DIR_IN, &f), icmp);
	f.sport = 0;
	assert_null(spd_lookup(spd, IPSEC_DIR_IN, &f));
	f = flow("11.0.0.1", "10.0.0.2", 17, 1, 1);
	assert_null(spd_lookup(spd, IPSEC_DIR_IN, &f));
	/* proto 0 is the same "any" as 255 */
	p = pol("10.0.0.0/8", "10.0.0.0/8", IPSEC_DIR_IN, IPSEC_ACTION_NONE);
	p.sel.proto = 0;
	assert_int_equal(spd_add(spd, &p, false, 1, NULL), 0);
	p.sel.proto = IPSEC_ULP_ANY;
	assert_int_equal(spd_add(spd, &p, false, 1, NULL), -EEXIST);
	spd_free(spd);
}

static void
test_update_delete(void **state)
{
	struct hook_log h;
	struct spd *spd = new_spd(&h);
	struct ipsec_policy p = pol("10.0.0.0/8", "10.1.2.3/16", IPSEC_DIR_FWD, IPSEC_ACTION_NONE);
	struct spd_entry *e, *u;
	struct spd_flow f = flow("10.5.5.5", "10.1.7.7", 6, 1, 1);

	(void)state;
	assert_int_equal(spd_add(spd, &p, true, 1, NULL), -ENOENT);
	assert_int_equal(spd_add(spd, &p, false, 1, &e), 0);
	/* Stored masked: the same selector written with host bits is a duplicate. */
	assert_int_equal(e->pol.sel.dst.addr.bytes[2], 0);
	p.sel.dst = P("10.1.0.0/16");
	assert_int_equal(spd_add(spd, &p, false, 1, NULL), -EEXIST);
	assert_int_equal(h.added, 1);
	p.dir = IPSEC_DIR_IN;
	assert_int_equal(spd_add(spd, &p, false, 1, NULL), 0);
	p = pol("10.0.0.0/8", "10.1.0.0/16", IPSEC_DIR_FWD, IPSEC_ACTION_IPSEC);
	p.priority = 77;
	assert_int_equal(spd_add(spd, &p, true, 5, &u), 0);
	assert_ptr_equal(u, e);
	assert_int_equal(h.removed, 1);
	assert_int_equal(h.last_removed_prio, 0);
	assert_int_equal(h.added, 3);
	assert_int_equal(e->pol.action, IPSEC_ACTION_IPSEC);
	assert_int_equal(spd_count(spd), 2);
	assert_ptr_equal(spd_lookup(spd, IPSEC_DIR_FWD, &f), e);
	assert_int_equal(spd_delete(spd, &p.sel, IPSEC_DIR_OUT), -ENOENT);
	assert_int_equal(spd_delete(spd, &p.sel, IPSEC_DIR_FWD), 0);
	assert_int_equal(h.last_removed_prio, 77);
	assert_int_equal(spd_delete(spd, &p.sel, IPSEC_DIR_FWD), -ENOENT);
	assert_null(spd_lookup(spd, IPSEC_DIR_FWD, &f));
	assert_int_equal(spd_flush(spd), 1);
	assert_int_equal(spd_count(spd), 0);
	assert_int_equal(h.removed, 3);
	spd_free(spd);
	assert_int_equal(h.removed, 3);
}

static void
test_invalid(void **state)
{
	struct hook_log h;
	struct spd *spd = new_spd(&h);
	struct ipsec_policy good =
	    pol("10.0.0.0/8", "10.0.0.0/8", IPSEC_DIR_OUT, IPSEC_ACTION_IPSEC);
	struct ipsec_policy p;

	(void)state;
#define BAD(stmt)                                                                                  \
	do {                                                                                       \
		p = good;                                                                          \
		stmt;                                                                              \
		assert_int_equal(spd_add(spd, &p, false, 1, NULL), -EINVAL);                       \
	} while (0)
	BAD(p.dir = IPSEC_DIR__COUNT);
	BAD(p.action = 3);
	BAD(p.origin = 2);
	BAD(p.nreq = 0);
	BAD(p.nreq = IPSEC_BUNDLE_MAX + 1);
	BAD(p.action = IPSEC_ACTION_NONE);
	BAD(p.sel.dst = P("2001:db8::/32"));
	BAD(p.sel.dst.len = 33);
	BAD(p.sel.src.addr.family = 99);
	BAD(p.req[0].proto = 17);
	BAD(p.req[0].mode = IPSEC_MODE_ANY);
	BAD(p.req[0].level = 4);
	BAD(p.req[0].mode = IPSEC_MODE_TUNNEL);
	BAD((p.req[0].mode = IPSEC_MODE_TUNNEL, p.req[0].src = A("192.0.2.1"),
	     p.req[0].dst = A("2001:db8::1")));
#undef BAD
	p = good;
	p.req[0].mode = IPSEC_MODE_TUNNEL;
	p.req[0].src = A("192.0.2.1");
	p.req[0].dst = A("192.0.2.2");
	assert_int_equal(spd_add(spd, &p, false, 1, NULL), 0);
	assert_int_equal(h.added, 1);
	spd_free(spd);
}

struct walk_arg {
	struct spd *spd;
	int seen;
};

static int
walk_delete(struct spd_entry *e, void *arg)
{
	struct walk_arg *w = arg;
	struct ipsec_selector sel = e->pol.sel;

	w->seen++;
	assert_int_equal(spd_delete(w->spd, &sel, e->pol.dir), 0);
	sel.dport++;
	spd_delete(w->spd, &sel, IPSEC_DIR_OUT);
	return 0;
}

static void
test_walk(void **state)
{
	struct hook_log h;
	struct spd *spd = new_spd(&h);
	struct ipsec_policy p = pol("10.0.0.0/8", "10.0.0.0/8", IPSEC_DIR_OUT, IPSEC_ACTION_NONE);
	struct walk_arg w = {spd, 0};

	(void)state;
	for (uint16_t i = 1; i <= 10; i++) {
		p.sel.dport = i;
		add(spd, p);
	}
	assert_int_equal(spd_walk(spd, walk_delete, &w), 0);
	assert_int_equal(w.seen, 5);
	assert_int_equal(spd_count(spd), 0);
	assert_int_equal(h.removed, 10);
	spd_free(spd);
}

/* An independent reference: a linear scan with the ordering of spd.h. */
static uint32_t
ref_rank(const struct ipsec_policy *p)
{
	return p->priority ? p->priority : 0x80000000u;
}

static bool
ref_match(const struct ipsec_policy *p, const struct spd_flow *f)
{
	if (p->sel.proto != IPSEC_ULP_ANY && p->sel.proto != f->proto)
		return false;
	if (p->sel.sport && p->sel.sport != f->sport)
		return false;
	if (p->sel.dport && p->sel.dport != f->dport)
		return false;
	return prefix_contains(&p->sel.src, &f->src) && prefix_contains(&p->sel.dst, &f->dst);
}

static int
ref_better(const struct ipsec_policy *a, size_t ia, const struct ipsec_policy *b, size_t ib)
{
	if (ref_rank(a) != ref_rank(b))
		return ref_rank(a) < ref_rank(b);
	if (a->sel.dst.len != b->sel.dst.len)
		return a->sel.dst.len > b->sel.dst.len;
	if (a->sel.src.len != b->sel.src.len)
		return a->sel.src.len > b->sel.src.len;
	return ia < ib;
}

#define NPOL 5000

static struct addr
rand_v4(unsigned *seed)
{
	struct addr a;

	memset(&a, 0, sizeof(a));
	a.family = AF_INET;
	/* A small address space so that random flows hit many policies. */
	a.bytes[0] = 10;
	a.bytes[1] = (uint8_t)(rand_r(seed) % 4);
	a.bytes[2] = (uint8_t)(rand_r(seed) % 16);
	a.bytes[3] = (uint8_t)(rand_r(seed) % 8);
	return a;
}

static struct ipsec_policy
rand_policy(unsigned *seed)
{
	static const uint8_t lens[] = {0, 8, 14, 16, 20, 24, 28, 29, 30, 31, 32};
	struct ipsec_policy p = pol("0.0.0.0/0", "0.0.0.0/0", IPSEC_DIR_OUT, IPSEC_ACTION_NONE);

	p.dir = (uint8_t)(rand_r(seed) % 2);
	p.sel.src.addr = rand_v4(seed);
	p.sel.src.len = lens[rand_r(seed) % sizeof(lens)];
	p.sel.dst.addr = rand_v4(seed);
	p.sel.dst.len = lens[rand_r(seed) % sizeof(lens)];
	prefix_mask(&p.sel.src);
	prefix_mask(&p.sel.dst);
	p.sel.proto = rand_r(seed) % 3 ? IPSEC_ULP_ANY : (uint8_t)(rand_r(seed) % 2 ? 6 : 17);
	p.sel.sport = rand_r(seed) % 4 ? 0 : (uint16_t)(rand_r(seed) % 3 + 1);
	p.sel.dport = rand_r(seed) % 4 ? 0 : (uint16_t)(rand_r(seed) % 3 + 1);
	p.priority = rand_r(seed) % 3 ? 0 : (uint32_t)(rand_r(seed) % 3) * 0x40000000u;
	return p;
}

/* A bare "unique" gets a reqid of its own (KAME's automatic range); "unique:N" keeps N. */
static void
test_unique_reqid(void **state)
{
	struct hook_log h;
	struct spd *spd = new_spd(&h);
	struct ipsec_policy a = pol("10.2.0.0/24", "10.1.0.0/24", IPSEC_DIR_OUT, IPSEC_ACTION_IPSEC);
	struct ipsec_policy b = pol("10.3.0.0/24", "10.1.0.0/24", IPSEC_DIR_OUT, IPSEC_ACTION_IPSEC);
	struct ipsec_policy c = pol("10.4.0.0/24", "10.1.0.0/24", IPSEC_DIR_OUT, IPSEC_ACTION_IPSEC);
	struct ipsec_policy r = pol("10.5.0.0/24", "10.1.0.0/24", IPSEC_DIR_OUT, IPSEC_ACTION_IPSEC);
	struct ipsec_policy d = pol("10.6.0.0/24", "10.1.0.0/24", IPSEC_DIR_OUT, IPSEC_ACTION_IPSEC);
	struct spd_entry *ea, *eb, *ec, *ed;

	(void)state;
	a.req[0].level = b.req[0].level = c.req[0].level = IPSEC_LEVEL_UNIQUE;
	r.req[0].level = d.req[0].level = IPSEC_LEVEL_UNIQUE;
	c.req[0].reqid = 7;
	ea = add(spd, a);
	eb = add(spd, b);
	ec = add(spd, c);
	assert_true(ea->pol.req[0].reqid >= IPSEC_REQID_AUTO_MIN);
	assert_int_equal(eb->pol.req[0].reqid, ea->pol.req[0].reqid + 1);
	assert_int_equal(ec->pol.req[0].reqid, 7);
	/* a restored policy's automatic reqid is never handed out again */
	r.req[0].reqid = IPSEC_REQID_AUTO_MIN + 100;
	add(spd, r);
	ed = add(spd, d);
	assert_int_equal(ed->pol.req[0].reqid, IPSEC_REQID_AUTO_MIN + 101);
	/* spdupdate keeps the number given, or assigns one */
	assert_int_equal(spd_add(spd, &a, true, 2, &ea), 0);
	assert_int_equal(ea->pol.req[0].reqid, IPSEC_REQID_AUTO_MIN + 102);
	/* require shares SAs: no reqid */
	ed = add(spd, pol("10.7.0.0/24", "10.1.0.0/24", IPSEC_DIR_OUT, IPSEC_ACTION_IPSEC));
	assert_int_equal(ed->pol.req[0].reqid, 0);
	spd_free(spd);
}

static void
test_bruteforce(void **state)
{
	struct hook_log h;
	struct spd *spd = new_spd(&h);
	struct ipsec_policy *pols = calloc(NPOL, sizeof(*pols));
	size_t n = 0;
	unsigned seed = 12345;
	int hits = 0;

	(void)state;
	assert_non_null(pols);
	while (n < NPOL) {
		pols[n] = rand_policy(&seed);
		if (spd_add(spd, &pols[n], false, 1, NULL) == 0)
			n++;
	}
	/* Deleting some keeps stale group bounds around: lookups must stay exact. */
	for (size_t i = 0; i < n; i += 7)
		assert_int_equal(spd_delete(spd, &pols[i].sel, pols[i].dir), 0);
	for (int k = 0; k < 20000; k++) {
		struct spd_flow f;
		uint8_t dir = (uint8_t)(k % 2);
		const struct ipsec_policy *want = NULL;
		size_t wi = 0;
		struct spd_entry *got;

		memset(&f, 0, sizeof(f));
		f.src = rand_v4(&seed);
		f.dst = rand_v4(&seed);
		f.proto = rand_r(&seed) % 2 ? 6 : 17;
		f.sport = (uint16_t)(rand_r(&seed) % 4);
		f.dport = (uint16_t)(rand_r(&seed) % 4);
		for (size_t i = 0; i < n; i++) {
			if (i % 7 == 0 || pols[i].dir != dir || !ref_match(&pols[i], &f))
				continue;
			if (!want || ref_better(&pols[i], i, want, wi)) {
				want = &pols[i];
				wi = i;
			}
		}
		got = spd_lookup(spd, dir, &f);
		if (!want) {
			assert_null(got);
			continue;
		}
		hits++;
		assert_non_null(got);
		assert_true(ipsec_selector_eq(&got->pol.sel, &want->sel));
		assert_int_equal(got->pol.dir, want->dir);
	}
	/* The random mix must exercise matches, not only misses. */
	assert_true(hits > 10000);
	free(pols);
	spd_free(spd);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_specificity),   cmocka_unit_test(test_wildcard_family),
	    cmocka_unit_test(test_priority),      cmocka_unit_test(test_ports_proto),
	    cmocka_unit_test(test_update_delete), cmocka_unit_test(test_invalid),
	    cmocka_unit_test(test_walk),          cmocka_unit_test(test_bruteforce),
	    cmocka_unit_test(test_unique_reqid),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
