/*
 * Lifetimes and make-before-break renewal (RFC 2407 4.5, RFC 2409 5.5 and 9; racoon's
 * behaviour where the RFCs are silent).
 *
 * Phase 2: the SAD carries each pair's hard limits as negotiated and soft limits before
 * them; the soft expiry (ikev1_child_expired) starts a new Quick Mode for the same
 * selectors. The initiator of a pair has the earlier soft limit, so it renews and the
 * responder only does when the initiator did not. The renewing side moves its outbound
 * traffic to the new pair REKEY_OUT_MS after QM2, once the peer has had QM3 (the
 * responder's inbound SA is in since QM2, x_quick.c). Once the new pair is in, every older
 * pair with the same selectors is deleted (Delete sent, removed) REKEY_DELETE_MS later:
 * outbound traffic moves to the newest SA at once, inbound is still accepted on the old
 * SPIs until then, and the SAD's hard limit is the backstop.
 *
 * Phase 1: an ISAKMP SA is renewed at its soft limit with a new Main or Aggressive Mode
 * (unless the peer already started one, the remote says rekey off, or it is passive
 * and the SA has no children with rekey on).
 * IKEv1 children do not depend on the ISAKMP SA that made them, but strongSwan removes
 * them with it: so once our new ISAKMP SA is up, every pair of the old one is negotiated
 * again through it, and the old one is deleted (Delete sent) when its last pair has gone.
 * When the peer renewed, its new Quick Modes (or the old SA's hard limit) empty the old
 * one the same way. Deletes for pairs of a replaced ISAKMP SA go through it and through
 * the newest one (a peer may have moved them: strongSwan's reauthentication does). An
 * ISAKMP SA that reaches its hard limit is deleted with a Delete payload, its children
 * moving to a sibling when there is one, else deleted with it.
 */
#include <errno.h>
#include <string.h>

#include "ike/v1/engine_int.h"
#include "lib/secmem.h"

#define REKEY_DELETE_MS 1000 /* an old pair lives on this long after its successor is in */
#define REKEY_OUT_MS 200     /* a renewal we initiated: outbound moves to it this much later */

/* The soft limit: 80 % of the hard one for the initiator, 90 % for the responder, each
 * less a random 0..5 %, so that the initiator goes first and the ends do not collide. */
uint64_t
ikev1_soft_of(struct ikev1_engine *e, uint64_t hard, bool initiator)
{
	uint64_t span = hard / 20, jitter = 0, soft;
	uint8_t b[4];

	if (hard == 0)
		return 0;
	if (span && ikev1_random(e, b, sizeof(b)) == 0)
		jitter = be32_get(b) % (span + 1);
	soft = hard / 10 * (initiator ? 8 : 9) + hard % 10 * (initiator ? 8 : 9) / 10 - jitter;
	return soft ? soft : 1;
}

static uint64_t
now_ms(const struct ikev1_ike_sa *sa)
{
	return sa->eng->env.now_ms(sa->eng->env.arg);
}

static void
earlier(uint64_t *next, uint64_t t)
{
	if (t && (!*next || t < *next))
		*next = t;
}

void
ikev1_sa_arm(struct ikev1_ike_sa *sa)
{
	uint64_t next = 0, now = now_ms(sa);

	earlier(&next, sa->retx_at_ms);
	if (sa->state != ST_P1_DONE)
		earlier(&next, sa->p1_deadline_ms);
	for (size_t i = 0; i < IKEV1_QM_MAX; i++)
		if (sa->qm[i] && sa->qm[i]->used && sa->qm[i]->state != ST_QM_DONE)
			earlier(&next, sa->qm[i]->deadline_ms);
	earlier(&next, sa->dpd_at);
	if (sa->have_req)
		earlier(&next, sa->qm_start_ms);
	earlier(&next, sa->ra_at);
	if (!sa->replacing)
		earlier(&next, sa->p1_soft_ms);
	earlier(&next, sa->p1_hard_ms);
	if (sa->retire && sa->nchildren == 0)
		earlier(&next, now);
	for (size_t i = 0; i < sa->nchildren; i++) {
		earlier(&next, sa->children[i].delete_at_ms);
		earlier(&next, sa->children[i].out_at_ms);
	}
	sa->eng->env.timer(sa->eng->env.arg, sa, !next ? 0 : next > now ? next - now : 1);
}

static bool
same_peer(const struct ikev1_ike_sa *a, const struct ikev1_ike_sa *b)
{
	return a != b && addr_eq(&a->peer.remote, &b->peer.remote);
}

/* The newest established ISAKMP SA with sa's peer, preferring one not replaced, other
 * than sa unless self. */
static struct ikev1_ike_sa *
sa_newest(struct ikev1_ike_sa *sa, bool self)
{
	struct ikev1_ike_sa *any = NULL;

	/* the table is newest first */
	for (struct ikev1_ike_sa *o = sa->eng->sas; o; o = o->next) {
		if (!(self && o == sa) && !same_peer(sa, o))
			continue;
		if (o->state != ST_P1_DONE)
			continue;
		if (!o->replacing)
			return o;
		if (!any)
			any = o;
	}
	return any;
}

struct ikev1_ike_sa *
ikev1_sa_sibling(struct ikev1_ike_sa *sa)
{
	return sa_newest(sa, false);
}

static bool
prefix_same(const struct prefix *a, const struct prefix *b)
{
	return a->len == b->len && addr_eq(&a->addr, &b->addr);
}

static bool
child_same(const struct ikev1_child *a, const struct ikev1_child *b)
{
	return prefix_same(&a->sel.src, &b->sel.src) && prefix_same(&a->sel.dst, &b->sel.dst) &&
	       a->sel.proto == b->sel.proto && a->sel.sport == b->sel.sport &&
	       a->sel.dport == b->sel.dport && a->in.mode == b->in.mode;
}

/* Another pair with c's selectors, under any ISAKMP SA with the peer. */
static bool
child_twin(struct ikev1_ike_sa *sa, const struct ikev1_child *c)
{
	for (struct ikev1_ike_sa *o = sa->eng->sas; o; o = o->next) {
		if (o != sa && !same_peer(sa, o))
			continue;
		for (size_t j = 0; j < o->nchildren; j++)
			if (&o->children[j] != c && child_same(&o->children[j], c))
				return true;
	}
	return false;
}

/* A Delete for child c (our inbound SPI: the peer sends with it, RFC 2408 3.15). */
static void
child_announce(struct ikev1_ike_sa *via, const struct ikev1_child *c)
{
	uint8_t spi[4];
	struct ikev1_delete d = {.doi = IKEV1_DOI_IPSEC,
	                         .protocol = IKEV1_PROTO_ESP,
	                         .spi_size = sizeof(spi),
	                         .count = 1};

	be32_put(spi, c->in.spi);
	d.spis = rd_init(spi, sizeof(spi));
	ikev1_info_send(via, NULL, &d);
}

/*
 * The Delete goes through the ISAKMP SA the pair is under; when that one is replaced,
 * through the newest one too: a peer may have moved its children there (strongSwan's
 * reauthentication does) or not (strongSwan as the responder of our renewal).
 */
void
ikev1_child_remove_at(struct ikev1_ike_sa *sa, size_t i, bool announce)
{
	struct ikev1_child *c = &sa->children[i];
	struct ikev1_ike_sa *newest = sa_newest(sa, true);

	if (announce && sa->state == ST_P1_DONE)
		child_announce(sa, c);
	if (announce && newest && (newest != sa) && (sa->replacing || sa->state != ST_P1_DONE))
		child_announce(newest, c);
	c->policy_shared = child_twin(sa, c);
	sa->eng->env.remove(sa->eng->env.arg, c);
	*c = sa->children[--sa->nchildren];
	secmem_wipe(&sa->children[sa->nchildren], sizeof(sa->children[0]));
}

void
ikev1_child_installed(struct ikev1_ike_sa *sa, size_t i)
{
	const struct ikev1_child *c = &sa->children[i];
	uint64_t at = now_ms(sa) + REKEY_DELETE_MS;

	for (struct ikev1_ike_sa *o = sa->eng->sas; o; o = o->next) {
		bool armed = false;

		if (o != sa && !same_peer(sa, o))
			continue;
		for (size_t j = 0; j < o->nchildren; j++) {
			struct ikev1_child *old = &o->children[j];

			if (old == c || old->delete_at_ms || old->pending_mid || !child_same(old, c))
				continue;
			old->rekeying = true;
			old->delete_at_ms = at;
			armed = true;
			ikev1_sa_event(o, "IPsec SA spi in %08x out %08x replaced by in %08x out %08x",
			               old->in.spi, old->out.spi, c->in.spi, c->out.spi);
		}
		if (armed)
			ikev1_sa_arm(o);
	}
}

/*
 * A renewal we initiated goes in on QM2; a peer that installs on QM3 (strongSwan) would
 * drop what we sent on the new SPI before that. So the inbound SA goes in now and the
 * outbound one REKEY_OUT_MS later; until then we send on the old pair.
 */
void
ikev1_child_stage(struct ikev1_ike_sa *sa, struct ikev1_child *c)
{
	if (!child_twin(sa, c))
		return;
	c->install = IKEV1_INSTALL_IN;
	c->out_at_ms = now_ms(sa) + REKEY_OUT_MS;
}

void
ikev1_child_abandon(struct ikev1_ike_sa *sa, uint32_t mid)
{
	for (size_t i = 0; i < sa->nchildren; i++) {
		if (sa->children[i].pending_mid == mid) {
			ikev1_child_remove_at(sa, i, false);
			return;
		}
	}
}

/* The outbound SAs of renewals whose time has come. */
static void
children_out(struct ikev1_ike_sa *sa, uint64_t now)
{
	for (size_t i = 0; i < sa->nchildren; i++) {
		struct ikev1_child *c = &sa->children[i];

		if (!c->out_at_ms || now < c->out_at_ms)
			continue;
		c->out_at_ms = 0;
		c->install = IKEV1_INSTALL_OUT;
		if (sa->eng->env.install(sa->eng->env.arg, c) < 0)
			ikev1_sa_event(sa, "IPsec SA spi out %08x: installing it failed", c->out.spi);
	}
}

bool
ikev1_children_move(struct ikev1_ike_sa *from)
{
	struct ikev1_ike_sa *to = ikev1_sa_sibling(from);

	if (from->nchildren == 0)
		return true;
	if (to == NULL)
		return false;
	while (from->nchildren && ikev1_children_reserve(to) == 0) {
		struct ikev1_child *c = &from->children[--from->nchildren];

		to->children[to->nchildren++] = *c;
		secmem_wipe(c, sizeof(*c));
	}
	ikev1_sa_arm(to);
	return true;
}

static void child_renew(struct ikev1_ike_sa *sa, struct ikev1_child *c, const char *why);

/*
 * sa is up: every older ISAKMP SA with the peer is replaced and goes once its children
 * are gone. After our own renewal we negotiate them again through sa at once (a peer
 * such as strongSwan removes the children of an ISAKMP SA with it); after the peer's,
 * the peer renews them, or they move to sa at the old one's end.
 */
bool
ikev1_p1_replace_done(struct ikev1_ike_sa *sa)
{
	struct ikev1_engine *e = sa->eng;
	bool others = false;

	for (struct ikev1_ike_sa *o = e->sas; o; o = o->next) {
		if (!same_peer(sa, o))
			continue;
		others = true;
		if (o->state != ST_P1_DONE || o->retire)
			continue;
		if (sa->initiator && o->replacing) {
			ikev1_sa_event(o, "ISAKMP SA replaced: renewing its %zu IPsec SA pair(s)",
			               o->nchildren);
			for (size_t i = 0; i < o->nchildren; i++) {
				if (o->children[i].delete_at_ms || o->children[i].pending_mid)
					continue;
				o->children[i].rekeying = false;
				child_renew(o, &o->children[i], "ISAKMP SA renewed");
			}
		}
		o->replacing = true;
		o->retire = true;
		ikev1_sa_arm(o);
	}
	return others;
}

/* Phase 1 soft limit: start a new ISAKMP SA with the peer, unless there is no need. */
static void
p1_renew(struct ikev1_ike_sa *sa)
{
	struct ikev1_engine *e = sa->eng;
	struct ikev1_peer peer = sa->peer;
	const struct ikev1_remote *cfg = sa->cfg;
	struct ikev1_ike_sa *n;
	int err;

	sa->replacing = true;
	for (struct ikev1_ike_sa *o = e->sas; o; o = o->next) {
		if (same_peer(sa, o) && !o->replacing) {
			ikev1_sa_event(sa, "ISAKMP SA soft lifetime: a newer one exists");
			return;
		}
	}
	/* a remote access login and its mode config address belong to this SA: a renewal
	 * would need the login again (and the gateway would become the Xauth client) */
	if (ikev1_txn_xauth(sa) || sa->vaddr4.family || cfg->modecfg_client) {
		ikev1_sa_event(sa, "ISAKMP SA soft lifetime: not renewed (remote access)");
		return;
	}
	if (cfg->p1_rekey == IKEV1_REKEY_OFF ||
	    (cfg->p1_rekey == IKEV1_REKEY_ON && sa->nchildren == 0 && cfg->passive)) {
		ikev1_sa_event(sa, "ISAKMP SA soft lifetime: not renewed (%s)",
		               cfg->p1_rekey == IKEV1_REKEY_OFF ? "rekey off"
		                                                : "passive, no IPsec SAs");
		return;
	}
	peer.lport = sa->lport0;
	peer.rport = sa->rport0;
	if ((err = ikev1_sa_new(e, &peer, cfg, true, &n)) < 0)
		goto fail;
	n->exchange = cfg->n_modes ? cfg->modes[0] : sa->exchange;
	err = n->exchange == IKEV1_EXCH_AGGRESSIVE ? ikev1_aggr_start(n) : ikev1_main_start(n);
	if (err < 0) {
		ikev1_sa_free(e, n);
		goto fail;
	}
	ikev1_sa_event(sa, "ISAKMP SA soft lifetime: renewing it");
	return;
fail:
	ikev1_sa_event(sa, "ISAKMP SA soft lifetime: renewal failed (%d)", err);
}

bool
ikev1_lifetimes_run(struct ikev1_ike_sa *sa, uint64_t now)
{
	children_out(sa, now);
	for (size_t i = 0; i < sa->nchildren;) {
		const struct ikev1_child *c = &sa->children[i];

		if (!c->delete_at_ms || now < c->delete_at_ms) {
			i++;
			continue;
		}
		ikev1_sa_event(sa, "deleting the replaced IPsec SA spi in %08x out %08x",
		               c->in.spi, c->out.spi);
		ikev1_child_remove_at(sa, i, true);
	}
	if (sa->retire && sa->nchildren == 0) {
		ikev1_sa_event(sa, "ISAKMP SA replaced, no IPsec SAs left: deleting it");
		ikev1_delete(sa->eng, sa);
		return true;
	}
	if (sa->p1_hard_ms && now >= sa->p1_hard_ms) {
		ikev1_sa_event(sa, "ISAKMP SA hard lifetime reached");
		ikev1_children_move(sa);
		ikev1_delete(sa->eng, sa);
		return true;
	}
	if (sa->p1_soft_ms && !sa->replacing && now >= sa->p1_soft_ms)
		p1_renew(sa);
	return false;
}

/* At the soft limit (or for a renewed ISAKMP SA): a new Quick Mode for the same
 * selectors through the newest ISAKMP SA with the peer (ikev1_initiate makes a new one
 * when none is up). */
static void
child_renew(struct ikev1_ike_sa *sa, struct ikev1_child *c, const char *why)
{
	struct ikev1_child_req req = {.sel = c->sel, .proto = IPSEC_PROTO_ESP, .mode = c->in.mode};
	struct ikev1_peer peer = sa->peer;
	uint32_t spi = c->in.spi;
	int err;

	if (c->rekeying)
		return;
	c->rekeying = true;
	peer.lport = sa->lport0;
	peer.rport = sa->rport0;
	ikev1_sa_event(sa, "IPsec SA spi in %08x: %s, renewing it (%s of the pair)", spi, why,
	               c->initiator ? "initiator" : "responder");
	err = ikev1_initiate(sa->eng, &peer, sa->cfg, &req);
	if (err < 0) {
		c->rekeying = false;
		ikev1_sa_event(sa, "IPsec SA spi in %08x: renewal failed (%d)", spi, err);
	}
}

void
ikev1_child_expired(struct ikev1_engine *e, const struct addr *dst, uint32_t spi, bool hard)
{
	for (struct ikev1_ike_sa *sa = e->sas; sa; sa = sa->next) {
		for (size_t i = 0; i < sa->nchildren; i++) {
			struct ikev1_child *c = &sa->children[i];

			if (!(c->in.spi == spi && addr_eq(&c->in.dst, dst)) &&
			    !(c->out.spi == spi && addr_eq(&c->out.dst, dst)))
				continue;
			if (!hard) {
				child_renew(sa, c, "soft lifetime");
				return;
			}
			ikev1_sa_event(sa, "IPsec SA spi in %08x out %08x: hard lifetime", c->in.spi,
			               c->out.spi);
			ikev1_child_remove_at(sa, i, true);
			ikev1_sa_arm(sa);
			return;
		}
	}
}
