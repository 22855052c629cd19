/*
 * The ISAKMP SA table (keyed by the cookie pair, RFC 2408 2.5.3), the phase 2 exchanges of
 * each SA (keyed by M-ID), retransmission (racoon's timer section: counter x interval),
 * and the engine's public entry points other than input.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ike/v1/engine_int.h"
#include "lib/secmem.h"

#define RETRY_COUNTER_DEFAULT 5
#define RETRY_INTERVAL_DEFAULT 10000

uint64_t
ikev1_retry_window_ms(const struct ikev1_remote *cfg)
{
	uint64_t counter = cfg->retry_counter ? cfg->retry_counter : RETRY_COUNTER_DEFAULT;
	uint64_t interval =
	    cfg->retry_interval_ms ? cfg->retry_interval_ms : RETRY_INTERVAL_DEFAULT;

	return (counter + 1) * interval;
}

int
ikev1_engine_new(const struct ikev1_env *env, struct ikev1_engine **out)
{
	struct ikev1_engine *e;

	if (!env->send || !env->now_ms || !env->timer || !env->random || !env->install ||
	    !env->remove || !env->event || !env->remote)
		return -EINVAL;
	e = calloc(1, sizeof(*e));
	if (e == NULL)
		return -ENOMEM;
	e->env = *env;
	*out = e;
	return 0;
}

void
ikev1_engine_free(struct ikev1_engine *e)
{
	if (e == NULL)
		return;
	while (e->sas) {
		ikev1_children_remove(e->sas);
		ikev1_sa_free(e, e->sas);
	}
	ikev1_reasm_clear(&e->reasm);
	free(e);
}

int
ikev1_random(struct ikev1_engine *e, void *buf, size_t n)
{
	return e->env.random(e->env.arg, buf, n);
}

int
ikev1_dh_new(struct ikev1_engine *e, uint16_t group, struct dh **out)
{
	if (!dh_group_supported((enum dh_group)group))
		return -EINVAL;
	if (e->env.dh_new)
		return e->env.dh_new(e->env.arg, (enum dh_group)group, out);
	return dh_new((enum dh_group)group, out);
}

void
ikev1_sa_event(struct ikev1_ike_sa *sa, const char *fmt, ...)
{
	char text[256], peer[ADDR_STRLEN];
	int n;
	va_list ap;

	n = snprintf(text, sizeof(text),
	             "%s[%u] %s: ", addr_ntop(&sa->peer.remote, peer, sizeof(peer)), sa->peer.rport,
	             sa->initiator ? "initiator" : "responder");
	if (n < 0 || (size_t)n >= sizeof(text))
		n = 0;
	va_start(ap, fmt);
	vsnprintf(text + n, sizeof(text) - (size_t)n, fmt, ap);
	va_end(ap);
	sa->eng->env.event(sa->eng->env.arg, text);
}

int
ikev1_sa_new(struct ikev1_engine *e, const struct ikev1_peer *p, const struct ikev1_remote *cfg,
             bool initiator, struct ikev1_ike_sa **out)
{
	struct ikev1_ike_sa *sa;

	if (e->nsas >= IKEV1_SA_MAX)
		return -ENOSPC;
	sa = calloc(1, sizeof(*sa));
	if (sa == NULL || (sa->ph1 = calloc(1, sizeof(*sa->ph1))) == NULL) {
		free(sa);
		return -ENOMEM;
	}
	sa->eng = e;
	sa->cfg = cfg;
	sa->peer = *p;
	sa->p1_deadline_ms = ikev1_deadline(e, cfg, cfg->phase1_ms);
	sa->initiator = initiator;
	sa->lport0 = p->lport;
	sa->rport0 = p->rport;
	sa->next = e->sas;
	e->sas = sa;
	e->nsas++;
	*out = sa;
	return 0;
}

static void
xmit_clear(struct ikev1_xmit *x)
{
	free(x->msg);
	memset(x, 0, sizeof(*x));
}

void
ikev1_qm_release(struct ikev1_qm *qm)
{
	dh_free(qm->dh);
	xmit_clear(&qm->x);
	secmem_wipe(qm, sizeof(*qm));
}

static void
qm_free(struct ikev1_ike_sa *sa, size_t i)
{
	if (sa->qm[i] == NULL)
		return;
	ikev1_qm_release(sa->qm[i]);
	free(sa->qm[i]);
	sa->qm[i] = NULL;
}

void
ikev1_qm_trim(struct ikev1_ike_sa *sa)
{
	for (size_t i = 0; i < IKEV1_QM_MAX; i++) {
		const struct ikev1_qm *qm = sa->qm[i];

		if (qm && (!qm->used || (qm->state == ST_QM_DONE && !qm->initiator)))
			qm_free(sa, i);
	}
}

void
ikev1_p1_data_free(struct ikev1_ike_sa *sa)
{
	if (sa->ph1 == NULL)
		return;
	dh_free(sa->ph1->dh);
	secmem_wipe(sa->ph1, sizeof(*sa->ph1));
	free(sa->ph1);
	sa->ph1 = NULL;
}

void
ikev1_sa_free(struct ikev1_engine *e, struct ikev1_ike_sa *sa)
{
	struct ikev1_ike_sa **pp;

	if (sa == NULL)
		return;
	for (pp = &e->sas; *pp; pp = &(*pp)->next) {
		if (*pp == sa) {
			*pp = sa->next;
			e->nsas--;
			break;
		}
	}
	if (sa->state == ST_P1_DONE && sa->reported_up)
		ikev1_sa_report(sa, IKEV1_PHASE1_DOWN);
	ikev1_txn_release(sa);
	e->env.timer(e->env.arg, sa, 0);
	for (size_t i = 0; i < IKEV1_QM_MAX; i++)
		qm_free(sa, i);
	if (sa->children) {
		secmem_wipe(sa->children, sa->children_cap * sizeof(*sa->children));
		free(sa->children);
	}
	ikev1_p1_data_free(sa);
	ikecipher_free(sa->cipher);
	ikev1_keys_clear(&sa->keys);
	xmit_clear(&sa->x);
	secmem_wipe(sa, sizeof(*sa));
	free(sa);
}

/*
 * By cookies: the initiator's cookie alone while the responder's is still zero (MM1/AM1
 * and their retransmissions), both once they are known.
 */
struct ikev1_ike_sa *
ikev1_sa_find(struct ikev1_engine *e, const struct ikev1_hdr *h)
{
	static const uint8_t zero[IKEV1_COOKIE_LEN];

	for (struct ikev1_ike_sa *sa = e->sas; sa; sa = sa->next) {
		if (memcmp(sa->cky_i, h->cookie_i, IKEV1_COOKIE_LEN))
			continue;
		if (!memcmp(sa->cky_r, h->cookie_r, IKEV1_COOKIE_LEN))
			return sa;
		/* a repeated MM1/AM1, or a notification about it, carries no responder cookie */
		if (!memcmp(h->cookie_r, zero, sizeof(zero)))
			return sa;
		/* our MM1/AM1 got its first answer: the responder's cookie is news */
		if (sa->initiator && !memcmp(sa->cky_r, zero, sizeof(zero)))
			return sa;
	}
	return NULL;
}

struct ikev1_qm *
ikev1_qm_find(struct ikev1_ike_sa *sa, uint32_t mid)
{
	for (size_t i = 0; i < IKEV1_QM_MAX; i++)
		if (sa->qm[i] && sa->qm[i]->used && sa->qm[i]->mid == mid)
			return sa->qm[i];
	return NULL;
}

void
ikev1_mid_remember(struct ikev1_ike_sa *sa, uint32_t mid)
{
	sa->mids_seen[sa->mids_pos++ % IKEV1_MIDS_SEEN] = mid;
}

bool
ikev1_mid_seen(const struct ikev1_ike_sa *sa, uint32_t mid)
{
	for (size_t i = 0; i < IKEV1_MIDS_SEEN && i < sa->mids_pos; i++)
		if (sa->mids_seen[i] == mid)
			return true;
	return false;
}

/* A free slot; a finished exchange is reused (oldest first) when none is free. */
struct ikev1_qm *
ikev1_qm_alloc(struct ikev1_ike_sa *sa)
{
	for (size_t i = 0; i < IKEV1_QM_MAX; i++)
		if (sa->qm[i] && !sa->qm[i]->used)
			return sa->qm[i];
	for (size_t i = 0; i < IKEV1_QM_MAX; i++)
		if (sa->qm[i] == NULL)
			return sa->qm[i] = calloc(1, sizeof(*sa->qm[i]));
	for (size_t i = 0; i < IKEV1_QM_MAX; i++) {
		if (sa->qm[i]->state == ST_QM_DONE) {
			ikev1_qm_release(sa->qm[i]);
			return sa->qm[i];
		}
	}
	return NULL;
}

/* Keep msg as the exchange's last message (for retransmission), then send it. */
int
ikev1_xmit_send(struct ikev1_ike_sa *sa, struct ikev1_xmit *x, const uint8_t *msg, size_t len,
                const uint8_t *rx_digest, bool awaiting)
{
	uint8_t *copy = malloc(len);
	const struct ikev1_remote *cfg = sa->cfg;

	if (copy == NULL)
		return -ENOMEM;
	memcpy(copy, msg, len);
	free(x->msg);
	x->msg = copy;
	x->len = len;
	x->have_rx = rx_digest != NULL;
	if (rx_digest)
		memcpy(x->rx_digest, rx_digest, sizeof(x->rx_digest));
	x->awaiting = awaiting;
	x->tries = 0;
	if (awaiting) {
		sa->retx_at_ms = sa->eng->env.now_ms(sa->eng->env.arg) +
		                 (cfg->retry_interval_ms ? cfg->retry_interval_ms
		                                         : RETRY_INTERVAL_DEFAULT);
		ikev1_sa_arm(sa);
	}
	return ikev1_send(sa, msg, len);
}

int
ikev1_children_reserve(struct ikev1_ike_sa *sa)
{
	size_t cap = sa->children_cap ? 2 * sa->children_cap : 1;
	struct ikev1_child *c;

	if (sa->nchildren < sa->children_cap)
		return 0;
	if (sa->nchildren >= IKEV1_CHILDREN_MAX)
		return -ENOSPC;
	if (cap > IKEV1_CHILDREN_MAX)
		cap = IKEV1_CHILDREN_MAX;
	/* not realloc: the old array holds keys and is wiped before it goes */
	if ((c = calloc(cap, sizeof(*c))) == NULL)
		return -ENOMEM;
	if (sa->children) {
		memcpy(c, sa->children, sa->nchildren * sizeof(*c));
		secmem_wipe(sa->children, sa->children_cap * sizeof(*c));
		free(sa->children);
	}
	sa->children = c;
	sa->children_cap = cap;
	return 0;
}

void
ikev1_child_add(struct ikev1_ike_sa *sa, const struct ikev1_child *c)
{
	if (ikev1_children_reserve(sa) == 0)
		sa->children[sa->nchildren++] = *c;
}

void
ikev1_children_remove(struct ikev1_ike_sa *sa)
{
	while (sa->nchildren)
		ikev1_child_remove_at(sa, sa->nchildren - 1, false);
}

static struct ikev1_ike_sa *
sa_established(struct ikev1_engine *e, const struct ikev1_peer *p)
{
	for (struct ikev1_ike_sa *sa = e->sas; sa; sa = sa->next)
		if (sa->state == ST_P1_DONE && addr_eq(&sa->peer.remote, &p->remote))
			return sa;
	return NULL;
}

int
ikev1_initiate(struct ikev1_engine *e, const struct ikev1_peer *peer,
               const struct ikev1_remote *cfg, const struct ikev1_child_req *req)
{
	struct ikev1_ike_sa *sa = sa_established(e, peer);
	int err;

	if (cfg->n_props == 0 || cfg->n_modes == 0)
		return -EINVAL;
	if (sa && req && sa->ra != RA_OPEN) {
		/* a remote access client still logging in: Quick Mode follows (x_txn_client.c) */
		sa->req = *req;
		sa->have_req = true;
		return 0;
	}
	if (sa)
		return req ? ikev1_quick_start(sa, req) : 0;
	err = ikev1_sa_new(e, peer, cfg, true, &sa);
	if (err < 0)
		return err;
	if (req) {
		sa->req = *req;
		sa->have_req = true;
	}
	sa->exchange = cfg->modes[0];
	err = sa->exchange == IKEV1_EXCH_AGGRESSIVE ? ikev1_aggr_start(sa) : ikev1_main_start(sa);
	if (err < 0)
		ikev1_sa_free(e, sa);
	return err;
}

/* Retransmit one waiting message; false once the counter is exhausted. */
static bool
timer_retransmit(struct ikev1_ike_sa *sa, struct ikev1_xmit *x, bool *armed)
{
	uint32_t counter = sa->cfg->retry_counter ? sa->cfg->retry_counter : RETRY_COUNTER_DEFAULT;

	if (!x->awaiting || x->msg == NULL)
		return true;
	if (x->tries >= counter)
		return false;
	x->tries++;
	ikev1_send(sa, x->msg, x->len);
	*armed = true;
	return true;
}

/* Every waiting message of the SA once more; false when phase 1 gave up (sa freed). */
static bool
timer_retransmit_all(struct ikev1_engine *e, struct ikev1_ike_sa *sa, uint64_t now)
{
	bool armed = false;

	sa->retx_at_ms = 0;
	if (!timer_retransmit(sa, &sa->x, &armed)) {
		ikev1_sa_event(sa, "phase 1 negotiation timed out in %s",
		               ikev1_state_name(sa->state));
		ikev1_children_remove(sa);
		ikev1_sa_free(e, sa);
		return false;
	}
	for (size_t i = 0; i < IKEV1_QM_MAX; i++) {
		struct ikev1_qm *qm = sa->qm[i];

		if (!qm || !qm->used || timer_retransmit(sa, &qm->x, &armed))
			continue;
		if (qm->state == ST_TX_I1) {
			/* an unanswered Xauth step: the login never completes */
			ikev1_sa_event(sa, "transaction %08x timed out", qm->mid);
			ikev1_children_remove(sa);
			ikev1_sa_free(e, sa);
			return false;
		}
		ikev1_sa_event(sa, "quick mode %08x timed out", qm->mid);
		ikev1_child_abandon(sa, qm->mid);
		ikev1_qm_release(qm);
	}
	ikev1_qm_trim(sa);
	if (armed)
		sa->retx_at_ms = now + (sa->cfg->retry_interval_ms ? sa->cfg->retry_interval_ms
		                                                   : RETRY_INTERVAL_DEFAULT);
	return true;
}

uint64_t
ikev1_deadline(struct ikev1_engine *e, const struct ikev1_remote *cfg, uint32_t limit_ms)
{
	uint32_t interval = cfg->retry_interval_ms ? cfg->retry_interval_ms : RETRY_INTERVAL_DEFAULT;

	if (!limit_ms)
		return 0;
	/* a limit within the first retransmission and its answer would forbid any retry:
	 * racoon's defaults (phase2 10 s, interval 10 s) do, and a peer that drops a
	 * message arriving too early (charon, a QM1 before it took AM3) never gets one */
	if (limit_ms < 2 * interval)
		limit_ms = 2 * interval;
	return e->env.now_ms(e->env.arg) + limit_ms;
}

bool
ikev1_deadlines_run(struct ikev1_ike_sa *sa, uint64_t now)
{
	if (sa->state != ST_P1_DONE && sa->p1_deadline_ms && now >= sa->p1_deadline_ms) {
		ikev1_sa_event(sa, "phase 1 not completed within %u s (timer phase1) in %s",
		               sa->cfg->phase1_ms / 1000, ikev1_state_name(sa->state));
		ikev1_children_remove(sa);
		ikev1_sa_free(sa->eng, sa);
		return true;
	}
	for (size_t i = 0; i < IKEV1_QM_MAX; i++) {
		struct ikev1_qm *qm = sa->qm[i];

		if (!qm || !qm->used || qm->state == ST_QM_DONE || !qm->deadline_ms ||
		    now < qm->deadline_ms)
			continue;
		ikev1_sa_event(sa, "quick mode %08x not completed within %u s (timer phase2)",
		               qm->mid, sa->cfg->phase2_ms / 1000);
		ikev1_child_abandon(sa, qm->mid);
		ikev1_qm_release(qm);
	}
	ikev1_qm_trim(sa);
	return false;
}

/* The deadlines that passed: retransmissions, DPD, lifetimes; then the timer again. */
void
ikev1_timer(struct ikev1_engine *e, struct ikev1_ike_sa *sa)
{
	uint64_t now = e->env.now_ms(e->env.arg);

	if (ikev1_deadlines_run(sa, now))
		return;
	if (sa->qm_start_ms && now >= sa->qm_start_ms && sa->have_req) {
		sa->qm_start_ms = 0;
		sa->have_req = false;
		ikev1_quick_start(sa, &sa->req);
	}
	if (sa->retx_at_ms && now >= sa->retx_at_ms && !timer_retransmit_all(e, sa, now))
		return;
	if (sa->dpd_at && now >= sa->dpd_at && !ikev1_dpd_timer(sa, now))
		return;
	if (sa->ra_at && now >= sa->ra_at && !ikev1_txn_client_timer(sa))
		return;
	if (ikev1_lifetimes_run(sa, now))
		return;
	ikev1_sa_arm(sa);
}

void
ikev1_sa_report(struct ikev1_ike_sa *sa, enum ikev1_phase1_event ev)
{
	char id[IKEV1_CFG_ID_MAX + 1];
	struct ikev1_phase1_info info = {.peer = sa->peer, .cfg = sa->cfg};
	struct ikev1_env *env = &sa->eng->env;

	if (ev == IKEV1_PHASE1_UP)
		sa->reported_up = true;
	if (!env->phase1)
		return;
	if (sa->idr_len && ikev1_id_text(sa->idr_b, sa->idr_len, id, sizeof(id)))
		info.remote_id = id;
	env->phase1(env->arg, ev, &info);
}

/* Delete payloads carry our inbound SPIs: the ones the peer sends with (RFC 2408 3.15). */
int
ikev1_delete_children(struct ikev1_engine *e, struct ikev1_ike_sa *sa)
{
	uint8_t spis[IKEV1_CHILDREN_MAX * 4];
	struct ikev1_delete d = {
	    .doi = IKEV1_DOI_IPSEC, .protocol = IKEV1_PROTO_ESP, .spi_size = 4};
	int err = 0;

	(void)e;
	for (size_t i = 0; i < sa->nchildren; i++)
		be32_put(spis + 4 * i, sa->children[i].in.spi);
	d.count = (uint16_t)sa->nchildren;
	d.spis = rd_init(spis, 4 * sa->nchildren);
	if (sa->nchildren && sa->state == ST_P1_DONE)
		err = ikev1_info_send(sa, NULL, &d);
	ikev1_children_remove(sa);
	return err;
}

int
ikev1_delete(struct ikev1_engine *e, struct ikev1_ike_sa *sa)
{
	uint8_t cookies[2 * IKEV1_COOKIE_LEN];
	struct ikev1_delete d = {.doi = IKEV1_DOI_IPSEC,
	                         .protocol = IKEV1_PROTO_ISAKMP,
	                         .spi_size = sizeof(cookies),
	                         .count = 1};
	int err = ikev1_delete_children(e, sa);

	memcpy(cookies, sa->cky_i, IKEV1_COOKIE_LEN);
	memcpy(cookies + IKEV1_COOKIE_LEN, sa->cky_r, IKEV1_COOKIE_LEN);
	d.spis = rd_init(cookies, sizeof(cookies));
	if (sa->state == ST_P1_DONE) {
		int err2 = ikev1_info_send(sa, NULL, &d);

		if (err == 0)
			err = err2;
	}
	ikev1_sa_event(sa, "ISAKMP SA deleted");
	ikev1_sa_free(e, sa);
	return err;
}

void
ikev1_sa_walk(struct ikev1_engine *e,
              bool (*fn)(void *arg, struct ikev1_ike_sa *sa, const struct ikev1_sa_info *info),
              void *arg)
{
	struct ikev1_ike_sa *next;

	for (struct ikev1_ike_sa *sa = e->sas; sa; sa = next) {
		struct ikev1_sa_info info = {
		    .peer = sa->peer,
		    .initiator = sa->initiator,
		    .established = sa->state == ST_P1_DONE,
		    .exchange = sa->exchange,
		    .state = ikev1_state_name(sa->state),
		    .nchildren = sa->nchildren,
		    .nat = sa->floated,
		    .nat_local = sa->floated && sa->nat_here,
		    .user = sa->xauth_user[0] ? sa->xauth_user : NULL,
		    .vaddr4 = sa->vaddr4,
		};

		next = sa->next;
		memcpy(info.cky_i, sa->cky_i, sizeof(info.cky_i));
		memcpy(info.cky_r, sa->cky_r, sizeof(info.cky_r));
		if (!fn(arg, sa, &info))
			break;
	}
}

void
ikev1_reconfigure(struct ikev1_engine *e)
{
	struct ikev1_ike_sa *next;

	for (struct ikev1_ike_sa *sa = e->sas; sa; sa = next) {
		const struct ikev1_remote *cfg = e->env.remote(e->env.arg, &sa->peer);

		next = sa->next;
		if (cfg) {
			sa->cfg = cfg;
			continue;
		}
		ikev1_sa_event(sa, "no remote for the peer in the new configuration");
		ikev1_delete(e, sa);
	}
}
