/*
 * A fake network for in-process IKEv1 exchange tests: two engines whose environments
 * queue datagrams (optionally through a NAPT in front of side A), deterministic random
 * bytes and DH private keys, and "deliver the next message" steps.
 */
#ifndef COATI_TESTS_IKEV1_TEST_NET_H
#define COATI_TESTS_IKEV1_TEST_NET_H

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ike/v1/engine.h"
#include "ike/v1/ikev1.h"

#define QUEUE_MAX 32
#define MSG_MAX 4096
#define CHILDREN_MAX 16
#define TIMERS_MAX 8

struct net;

struct side {
	struct net *net;
	int idx;
	struct ikev1_engine *e;
	struct ikev1_remote cfg;
	struct ikev1_peer peer; /* towards the other side, as this side sees it */
	uint32_t rnd;
	struct ikev1_child installed[CHILDREN_MAX];
	size_t ninstalled, nremoved, nsent, nhalf;
	struct ikev1_ike_sa *timer_sa;
	uint64_t timer_ms, timer_at; /* as asked for; timer_at on the virtual clock */
	char last_event[256];
	/* env_psk's psk.txt: key for the ID text or address text psk_id (NULL: none) */
	const char *psk_id, *psk_key;
	char psk_asked[64]; /* what env_psk was last asked for: "ID" or "addr" */
	unsigned phase1[3];       /* env->phase1 reports, by enum ikev1_phase1_event */
	uint64_t phase1_at[3];    /* virtual time of the last one */
	char remote_id[IKEV1_CFG_ID_MAX + 1];
	struct {
		struct ikev1_ike_sa *sa;
		uint64_t due_ms;
	} timers[TIMERS_MAX]; /* every SA's armed timer, for net_advance */
	size_t ntimers;
	bool no_remote; /* env->remote finds nothing (a configuration without the peer) */
};

struct dgram {
	int to;
	struct ikev1_peer p; /* as the receiver sees it */
	uint8_t buf[MSG_MAX];
	size_t len;
};

struct net {
	bool nat; /* A (side 0) sits behind a NAT: 10.0.0.1 shows as 192.0.2.100 */
	struct side s[2];
	struct dgram q[QUEUE_MAX];
	size_t nq;
	uint64_t now_ms; /* the virtual clock both engines read */
};

/* A NAPT: A's ports 500 and 4500 appear as 1500 and 14500 on the outside. */
static inline void
nat_rewrite(struct dgram *d, int from)
{
	if (from == 0) {
		assert_int_equal(addr_parse("192.0.2.100", &d->p.remote), 0);
		d->p.rport = d->p.rport == 500 ? 1500 : 14500;
	} else {
		assert_int_equal(addr_parse("10.0.0.1", &d->p.local), 0);
		d->p.lport = d->p.lport == 1500 ? 500 : 4500;
	}
}

static inline int
env_send(void *arg, const struct ikev1_peer *p, const uint8_t *msg, size_t len)
{
	struct side *s = arg;
	struct net *n = s->net;
	struct dgram *d;

	assert_true(n->nq < QUEUE_MAX);
	assert_true(len <= MSG_MAX);
	d = &n->q[n->nq++];
	d->to = !s->idx;
	d->p.local = p->remote;
	d->p.remote = p->local;
	d->p.lport = p->rport;
	d->p.rport = p->lport;
	if (n->nat)
		nat_rewrite(d, s->idx);
	memcpy(d->buf, msg, len);
	d->len = len;
	s->nsent++;
	return 0;
}

static inline uint64_t
env_now(void *arg)
{
	return ((struct side *)arg)->net->now_ms;
}

static inline void
env_timer(void *arg, struct ikev1_ike_sa *sa, uint64_t ms)
{
	struct side *s = arg;

	s->timer_sa = ms ? sa : (s->timer_sa == sa ? NULL : s->timer_sa);
	s->timer_ms = ms;
	s->timer_at = s->net->now_ms + ms;
	for (size_t i = 0; i < s->ntimers; i++) {
		if (s->timers[i].sa == sa) {
			s->timers[i] = s->timers[--s->ntimers];
			break;
		}
	}
	if (ms) {
		assert_true(s->ntimers < TIMERS_MAX);
		s->timers[s->ntimers].sa = sa;
		s->timers[s->ntimers++].due_ms = s->net->now_ms + ms;
	}
}

/* Move the virtual clock to side idx's last armed timer and fire it. */
static inline void
net_fire(struct net *n, int idx)
{
	struct side *s = &n->s[idx];

	assert_non_null(s->timer_sa);
	if (s->timer_at > n->now_ms)
		n->now_ms = s->timer_at;
	ikev1_timer(s->e, s->timer_sa);
}

/* Deterministic "random" bytes, different per side. */
static inline int
env_random(void *arg, void *buf, size_t n)
{
	struct side *s = arg;
	uint8_t *b = buf;

	for (size_t i = 0; i < n; i++) {
		s->rnd = s->rnd * 1103515245u + 12345u;
		b[i] = (uint8_t)(s->rnd >> 16);
	}
	return 0;
}

static inline int
env_dh_new(void *arg, enum dh_group group, struct dh **out)
{
	struct side *s = arg;
	uint8_t priv[32];

	env_random(s, priv, sizeof(priv));
	priv[0] = 0x01; /* below every group's order */
	return dh_new_with_private(group, priv, sizeof(priv), out);
}

/* installed[] holds pairs; nhalf of them have only their inbound SA in so far. */
static inline int
env_install(void *arg, const struct ikev1_child *c)
{
	struct side *s = arg;

	if (c->install == IKEV1_INSTALL_OUT) {
		for (size_t i = 0; i < s->ninstalled; i++) {
			if (s->installed[i].in.spi == c->in.spi) {
				assert_int_equal(s->installed[i].install, IKEV1_INSTALL_IN);
				s->installed[i] = *c;
				s->nhalf--;
				return 0;
			}
		}
		fail_msg("an outbound SA for a pair that was never installed");
	}
	assert_true(s->ninstalled < CHILDREN_MAX);
	s->installed[s->ninstalled++] = *c;
	if (c->install == IKEV1_INSTALL_IN)
		s->nhalf++;
	return 0;
}

static inline void
env_remove(void *arg, const struct ikev1_child *c)
{
	struct side *s = arg;

	for (size_t i = 0; i < s->ninstalled; i++) {
		if (s->installed[i].in.spi == c->in.spi) {
			if (s->installed[i].install == IKEV1_INSTALL_IN)
				s->nhalf--;
			s->installed[i] = s->installed[--s->ninstalled];
			s->nremoved++;
			return;
		}
	}
	fail_msg("removing a child that was never installed");
}

static inline void
env_event(void *arg, const char *text)
{
	struct side *s = arg;

	snprintf(s->last_event, sizeof(s->last_event), "%s", text);
	if (getenv("IKEV1_TEST_VERBOSE"))
		fprintf(stderr, "[%c] %s\n", 'A' + s->idx, text);
}

static inline void
env_phase1(void *arg, enum ikev1_phase1_event ev, const struct ikev1_phase1_info *info)
{
	struct side *s = arg;

	assert_true((unsigned)ev < 3);
	assert_non_null(info->cfg);
	s->phase1[ev]++;
	s->phase1_at[ev] = s->net->now_ms;
	snprintf(s->remote_id, sizeof(s->remote_id), "%s", info->remote_id ? info->remote_id : "");
}

static inline const struct ikev1_remote *
env_remote(void *arg, const struct ikev1_peer *p)
{
	struct side *s = arg;

	(void)p;
	return s->no_remote ? NULL : &s->cfg;
}

/* racoon's psk.txt look-up: the peer's ID text (Aggressive Mode), then its address. */
static inline int
env_psk(void *arg, const struct ikev1_peer *p, uint8_t id_type, const uint8_t *id, size_t id_len,
	uint8_t *key, size_t *key_len)
{
	struct side *s = arg;
	char a[ADDR_STRLEN];

	if (!s->psk_id)
		return -ENOENT;
	addr_ntop(&p->remote, a, sizeof(a));
	snprintf(s->psk_asked, sizeof(s->psk_asked), "%s", id ? "ID" : "addr");
	if ((id && (id_type == IKEV1_ID_FQDN || id_type == IKEV1_ID_USER_FQDN) &&
	     id_len == strlen(s->psk_id) && memcmp(id, s->psk_id, id_len) == 0) ||
	    strcmp(a, s->psk_id) == 0) {
		*key_len = strlen(s->psk_key);
		memcpy(key, s->psk_key, *key_len);
		return 0;
	}
	return -ENOENT;
}

static inline void
cfg_default(struct ikev1_remote *c, uint8_t mode)
{
	static const char psk[] = "not-a-secret-test-psk";

	memset(c, 0, sizeof(*c));
	c->modes[0] = mode;
	c->n_modes = 1;
	c->props[0] = (struct ikev1_p1_prop){IKEV1_ENC_AES_CBC, 128,          IKEV1_HASH_SHA2_256,
	                                     IKEV1_AUTH_PSK,    DH_MODP_2048, 28800};
	c->props[1] = (struct ikev1_p1_prop){IKEV1_ENC_3DES, 0,    IKEV1_HASH_SHA, IKEV1_AUTH_PSK,
	                                     DH_MODP_2048,   28800};
	c->n_props = 2;
	c->nonce_size = 16;
	c->natt = IKEV1_NATT_ON;
	memcpy(c->psk, psk, sizeof(psk) - 1);
	c->psk_len = sizeof(psk) - 1;
	c->sainfo.lifetime_sec = 3600;
	c->sainfo.enc[0] = (struct ikev1_p2_enc){IPSEC_ENC_AES_CBC, 128};
	c->sainfo.n_enc = 1;
	c->sainfo.auth[0] = IPSEC_AUTH_HMAC_SHA1_96;
	c->sainfo.auth[1] = IPSEC_AUTH_HMAC_SHA256_128;
	c->sainfo.n_auth = 2;
	c->generate_policy = true;
	c->retry_counter = 3;
	c->retry_interval_ms = 1000;
}

static inline struct net *
net_new(uint8_t mode)
{
	struct net *n = calloc(1, sizeof(*n));

	assert_non_null(n);
	for (int i = 0; i < 2; i++) {
		struct side *s = &n->s[i];
		struct ikev1_env env = {
		    .arg = s,           .send = env_send,          .now_ms = env_now,
		    .timer = env_timer, .random = env_random,      .dh_new = env_dh_new,
		    .install = env_install, .remove = env_remove,  .event = env_event,
		    .remote = env_remote,   .psk = env_psk,
		    .phase1 = env_phase1,
		};

		s->net = n;
		s->idx = i;
		s->rnd = 0x1000u * (uint32_t)(i + 1);
		cfg_default(&s->cfg, mode);
		assert_int_equal(addr_parse(i ? "192.0.2.2" : "192.0.2.1", &s->peer.local), 0);
		assert_int_equal(addr_parse(i ? "192.0.2.1" : "192.0.2.2", &s->peer.remote), 0);
		s->peer.lport = s->peer.rport = 500;
		assert_int_equal(ikev1_engine_new(&env, &s->e), 0);
	}
	return n;
}

static inline void
net_free(struct net *n)
{
	for (int i = 0; i < 2; i++)
		ikev1_engine_free(n->s[i].e);
	free(n);
}

/* Take the oldest datagram in flight (to either side) out of the queue. */
static inline struct dgram
net_pop(struct net *n)
{
	struct dgram d;

	assert_true(n->nq > 0);
	d = n->q[0];
	memmove(&n->q[0], &n->q[1], (n->nq - 1) * sizeof(n->q[0]));
	n->nq--;
	return d;
}

static inline int
net_deliver(struct net *n, const struct dgram *d)
{
	return ikev1_input(n->s[d->to].e, &d->p, d->buf, d->len);
}

/* Deliver the next datagram; it must be for side `to`. */
static inline int
net_step(struct net *n, int to)
{
	struct dgram d = net_pop(n);

	assert_int_equal(d.to, to);
	return net_deliver(n, &d);
}

/* Deliver everything until the queue is empty; every delivery must succeed. */
static inline void
net_run(struct net *n)
{
	for (int i = 0; i < 64 && n->nq; i++)
		assert_int_equal(net_step(n, n->q[0].to), 0);
	assert_int_equal(n->nq, 0);
}

static inline struct ikev1_child_req
req_for(int idx)
{
	struct ikev1_child_req r = {.proto = IPSEC_PROTO_ESP, .mode = IPSEC_MODE_TUNNEL};

	assert_int_equal(prefix_parse(idx ? "10.2.0.0/16" : "10.1.0.0/16", &r.sel.src), 0);
	assert_int_equal(prefix_parse(idx ? "10.1.0.0/16" : "10.2.0.0/16", &r.sel.dst), 0);
	r.sel.proto = IPSEC_ULP_ANY;
	return r;
}

static inline int
initiate(struct net *n, int idx)
{
	struct ikev1_child_req r = req_for(idx);
	struct side *s = &n->s[idx];

	return ikev1_initiate(s->e, &s->peer, &s->cfg, &r);
}

struct walk {
	struct ikev1_ike_sa *sa;
	struct ikev1_sa_info info;
	size_t n;
};

static inline bool
walk_fn(void *arg, struct ikev1_ike_sa *sa, const struct ikev1_sa_info *info)
{
	struct walk *w = arg;

	if (w->n++ == 0) {
		w->sa = sa;
		w->info = *info;
	}
	return true;
}

static inline struct walk
sa_of(struct side *s)
{
	struct walk w = {0};

	ikev1_sa_walk(s->e, walk_fn, &w);
	return w;
}

static inline void
assert_key_eq(const struct ipsec_key *a, const struct ipsec_key *b)
{
	assert_int_equal(a->len, b->len);
	assert_memory_equal(a->bytes, b->bytes, a->len);
}

/* Each side's inbound SA is the other's outbound one: SPI, algorithms and KEYMAT. */
static inline void
assert_children_paired(struct net *n)
{
	const struct ikev1_child *a, *b;

	assert_int_equal(n->s[0].ninstalled, 1);
	assert_int_equal(n->s[1].ninstalled, 1);
	assert_int_equal(n->s[0].nhalf + n->s[1].nhalf, 0);
	a = &n->s[0].installed[0];
	b = &n->s[1].installed[0];
	assert_int_equal(a->in.spi, b->out.spi);
	assert_int_equal(a->out.spi, b->in.spi);
	assert_int_not_equal(a->in.spi, a->out.spi);
	assert_int_equal(a->in.enc, IPSEC_ENC_AES_CBC);
	assert_int_equal(a->in.auth, b->out.auth);
	assert_key_eq(&a->in.enc_key, &b->out.enc_key);
	assert_key_eq(&a->in.auth_key, &b->out.auth_key);
	assert_key_eq(&a->out.enc_key, &b->in.enc_key);
	assert_key_eq(&a->out.auth_key, &b->in.auth_key);
	assert_int_equal(a->in.enc_key.len, 16);
	assert_int_equal(a->in.auth_key.len, 20);
	assert_memory_not_equal(a->in.enc_key.bytes, a->out.enc_key.bytes, 16);
	assert_true(addr_eq(&a->out.dst, &b->in.dst));
	assert_true(addr_eq(&a->sel.src.addr, &b->sel.dst.addr));
	assert_int_equal(a->sel.src.len, b->sel.dst.len);
	assert_true(addr_eq(&a->sel.dst.addr, &b->sel.src.addr));
	assert_int_equal(a->in.mode, IPSEC_MODE_TUNNEL);
	assert_int_equal(b->in.mode, IPSEC_MODE_TUNNEL);
	assert_int_equal(a->in.hard.add_seconds, 3600);
}

/*
 * Move the clock on by ms: every timer that falls due fires in time order, and after each
 * the datagrams in flight are delivered (a late Delete may find nothing: not checked).
 */
static inline void
net_advance(struct net *n, uint64_t ms)
{
	uint64_t until = n->now_ms + ms;

	for (int rounds = 0; rounds < 256; rounds++) {
		struct side *s = NULL;
		size_t k = 0;

		for (int i = 0; i < 2; i++)
			for (size_t j = 0; j < n->s[i].ntimers; j++)
				if (n->s[i].timers[j].due_ms <= until &&
				    (!s || n->s[i].timers[j].due_ms < s->timers[k].due_ms)) {
					s = &n->s[i];
					k = j;
				}
		if (!s)
			break;
		struct ikev1_ike_sa *sa = s->timers[k].sa;

		n->now_ms = s->timers[k].due_ms;
		s->timers[k] = s->timers[--s->ntimers];
		ikev1_timer(s->e, sa);
		for (int i = 0; i < 64 && n->nq; i++) {
			struct dgram d = net_pop(n);

			net_deliver(n, &d);
		}
	}
	n->now_ms = until;
}

#endif
