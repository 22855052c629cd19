/* Inbound cleartext enforcement through an nftables table (libnftables). */
#include "kernel/infilter.h"

#include <errno.h>
#include <malloc.h>
#include <nftables/libnftables.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/log.h"

#define INFILTER_TABLE "coati"

struct infilter {
	struct nft_ctx *nft;
	char tun[32];
	uint16_t ike_port, natt_port;
};

/* A growing text buffer; a failed allocation sticks. */
struct text {
	char *p;
	size_t len, cap;
	bool failed;
};

static void text_add(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
text_add(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		if (t->failed)
			return;
		va_start(ap, fmt);
		n = vsnprintf(t->p ? t->p + t->len : NULL, t->p ? t->cap - t->len : 0, fmt, ap);
		va_end(ap);
		if (n < 0) {
			t->failed = true;
			return;
		}
		if (t->p && (size_t)n < t->cap - t->len) {
			t->len += (size_t)n;
			return;
		}
		size_t cap = (t->cap ? t->cap * 2 : 4096) + (size_t)n;
		char *p = realloc(t->p, cap);

		if (!p) {
			t->failed = true;
			return;
		}
		t->p = p;
		t->cap = cap;
	}
}

static int
nft_run(struct infilter *f, const char *cmd)
{
	if (nft_run_cmd_from_buffer(f->nft, cmd) != 0) {
		const char *err = nft_ctx_get_error_buffer(f->nft);

		log_err("nftables: %s", err && *err ? err : "command failed");
		return -EIO;
	}
	return 0;
}

int
infilter_open(const char *tun_name, uint16_t ike_port, uint16_t natt_port,
	      struct infilter **out)
{
	struct infilter *f = calloc(1, sizeof(*f));

	if (!f)
		return -ENOMEM;
	f->nft = nft_ctx_new(NFT_CTX_DEFAULT);
	if (!f->nft) {
		free(f);
		return -ENOMEM;
	}
	nft_ctx_buffer_output(f->nft);
	nft_ctx_buffer_error(f->nft);
	snprintf(f->tun, sizeof(f->tun), "%s", tun_name);
	f->ike_port = ike_port;
	f->natt_port = natt_port;
	*out = f;
	return 0;
}

/* The match part of one selector, in nft syntax. */
static void
rule_match(struct text *t, const struct ipsec_selector *sel)
{
	const struct prefix *src = &sel->src, *dst = &sel->dst;
	uint8_t family = src->addr.family ? src->addr.family : dst->addr.family;
	const char *ipk = family == AF_INET6 ? "ip6" : "ip";
	char a[PREFIX_STRLEN];

	if (family)
		text_add(t, "meta nfproto %s ", family == AF_INET6 ? "ipv6" : "ipv4");
	if (src->addr.family && src->len)
		text_add(t, "%s saddr %s ", ipk, prefix_ntop(src, a, sizeof(a)));
	if (dst->addr.family && dst->len)
		text_add(t, "%s daddr %s ", ipk, prefix_ntop(dst, a, sizeof(a)));
	if (sel->proto == IPSEC_ULP_ANY) {
		if (sel->sport)
			text_add(t, "th sport %u ", sel->sport);
		if (sel->dport)
			text_add(t, "th dport %u ", sel->dport);
		return;
	}
	text_add(t, "meta l4proto %u ", sel->proto);
	if (sel->proto == IPPROTO_ICMP || sel->proto == IPPROTO_ICMPV6) {
		const char *ik = sel->proto == IPPROTO_ICMP ? "icmp" : "icmpv6";

		if (sel->sport)
			text_add(t, "%s type %u ", ik, sel->sport);
		if (sel->dport)
			text_add(t, "%s code %u ", ik, sel->dport);
		return;
	}
	if (sel->sport)
		text_add(t, "th sport %u ", sel->sport);
	if (sel->dport)
		text_add(t, "th dport %u ", sel->dport);
}

/* What cleartext matching a policy gets: only require/unique ipsec and discard drop it. */
static const char *
rule_verdict(const struct ipsec_policy *pol)
{
	if (pol->action == IPSEC_ACTION_DISCARD)
		return "drop";
	if (pol->action == IPSEC_ACTION_NONE)
		return "accept";
	for (unsigned i = 0; i < pol->nreq; i++)
		if (pol->req[i].level >= IPSEC_LEVEL_REQUIRE)
			return "drop";
	return "accept";
}

struct collect {
	struct spd_entry **v;
	size_t n, cap;
};

static int
collect_in(struct spd_entry *e, void *arg)
{
	struct collect *c = arg;

	if (e->pol.dir != IPSEC_DIR_IN && e->pol.dir != IPSEC_DIR_FWD)
		return 0;
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 64;
		struct spd_entry **v = realloc(c->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		c->v = v;
		c->cap = cap;
	}
	c->v[c->n++] = e;
	return 0;
}

static int
entry_cmp(const void *a, const void *b)
{
	const struct spd_entry *x = *(const struct spd_entry *const *)a;
	const struct spd_entry *y = *(const struct spd_entry *const *)b;

	return spd_entry_before(x, y) ? -1 : spd_entry_before(y, x) ? 1 : 0;
}

int
infilter_sync(struct infilter *f, struct spd *spd)
{
	struct collect c = {NULL, 0, 0};
	struct text t = {NULL, 0, 0, false};
	int err;

	if ((err = spd_walk(spd, collect_in, &c)) < 0) {
		free(c.v);
		return err;
	}
	if (c.n > 1)
		qsort(c.v, c.n, sizeof(*c.v), entry_cmp);
	/* one transaction: the table is replaced whole, never seen half-written */
	text_add(&t, "add table inet " INFILTER_TABLE "\ndelete table inet " INFILTER_TABLE "\n");
	text_add(&t, "table inet " INFILTER_TABLE " {\n chain inbound {\n"
		     "  type filter hook prerouting priority -150; policy accept;\n"
		     "  iifname \"%s\" accept\n  meta l4proto { esp, ah, comp } accept\n"
		     "  udp dport { %u, %u } accept\n"
		     /* neighbour discovery answers (RFC 4861) must not need an SA */
		     "  icmpv6 type { 133, 134, 135, 136, 137 } accept\n",
		 f->tun, f->ike_port, f->natt_port);
	for (size_t i = 0; i < c.n; i++) {
		text_add(&t, "  ");
		rule_match(&t, &c.v[i]->pol.sel);
		text_add(&t, "counter %s\n", rule_verdict(&c.v[i]->pol));
	}
	text_add(&t, " }\n}\n");
	free(c.v);
	err = t.failed ? -ENOMEM : nft_run(f, t.p);
	free(t.p);
	/*
	 * The text and libnftables' parse of it take some hundred bytes per policy, freed
	 * again at once; at thousands of IKE tunnels the heap would keep them (kilobytes of
	 * RSS per tunnel). Give the free memory back.
	 */
	malloc_trim(0);
	return err;
}

void
infilter_close(struct infilter *f)
{
	if (!f)
		return;
	nft_run(f, "add table inet " INFILTER_TABLE "\ndelete table inet " INFILTER_TABLE "\n");
	nft_ctx_free(f->nft);
	free(f);
}
