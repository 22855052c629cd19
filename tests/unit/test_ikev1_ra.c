/*
 * Remote access (x_txn.c, x_txn_client.c, codec_modecfg.c): the mode config attribute
 * codec (round trip, limits, every truncation), then a coati client and a coati gateway
 * in one process: Aggressive Mode with XAUTHInitPreShared, Xauth, mode config pull, Quick
 * Mode from the address leased; a wrong password; Quick Mode refused before the login.
 */
#include "ikev1_test_net.h"

#include "ike/v1/engine_int.h"

#define GW 1
#define CL 0

/* ---- codec ---------------------------------------------------------------- */

static void
mc_sample(struct ikev1_modecfg *mc)
{
	memset(mc, 0, sizeof(*mc));
	assert_int_equal(addr_parse("10.3.0.10", &mc->addr4), 0);
	assert_int_equal(addr_parse("255.255.255.0", &mc->netmask4), 0);
	assert_int_equal(addr_parse("10.1.0.53", &mc->dns4[0]), 0);
	assert_int_equal(addr_parse("10.1.0.54", &mc->dns4[1]), 0);
	mc->n_dns4 = 2;
	assert_int_equal(addr_parse("10.1.0.55", &mc->wins4[0]), 0);
	mc->n_wins4 = 1;
	mc->split = IKEV1_SPLIT_INCLUDE;
	assert_int_equal(prefix_parse("10.1.0.0/24", &mc->split_net[0]), 0);
	assert_int_equal(prefix_parse("172.16.0.0/12", &mc->split_net[1]), 0);
	mc->n_split_net = 2;
	strcpy(mc->default_domain, "coati.test");
	strcpy(mc->split_dns, "a.test,b.test");
	strcpy(mc->banner, "Welcome\nto the LAN\n");
	mc->save_passwd = true;
	mc->pfs_group = 2;
}

/* Every attribute type a client asks for, answered from mc, as one attribute block. */
static size_t
mc_encode(const struct ikev1_modecfg *mc, uint8_t *buf, size_t cap, struct rd *attrs)
{
	struct ikev1_hdr h = {.version = IKEV1_VERSION, .exchange = IKEV1_EXCH_TRANSACTION};
	struct ikev1_msg m;
	struct ikev1_cfg c;
	struct ikev1_out o;
	int len;

	ikev1_out_init(&o, buf, cap, &h);
	ikev1_out_cfg_begin(&o, IKEV1_CFG_REPLY, 7);
	ikev1_modecfg_out_all(&o, mc);
	ikev1_out_end(&o);
	len = ikev1_out_finish(&o);
	assert_true(len > 0);
	assert_int_equal(ikev1_parse(buf, (size_t)len, &m), 0);
	assert_int_equal(ikev1_cfg_parse(ikev1_msg_find(&m, IKEV1_PL_ATTR, 0), &c), 0);
	assert_int_equal(c.type, IKEV1_CFG_REPLY);
	assert_int_equal(c.identifier, 7);
	*attrs = c.attrs;
	return (size_t)len;
}

static void
test_modecfg_roundtrip(void **state)
{
	struct ikev1_modecfg in, out;
	uint8_t buf[2048];
	struct rd attrs;

	(void)state;
	mc_sample(&in);
	mc_encode(&in, buf, sizeof(buf), &attrs);
	assert_int_equal(ikev1_modecfg_parse(&attrs, &out), 0);
	assert_true(addr_eq(&out.addr4, &in.addr4));
	assert_true(addr_eq(&out.netmask4, &in.netmask4));
	assert_int_equal(out.n_dns4, 2);
	assert_true(addr_eq(&out.dns4[1], &in.dns4[1]));
	assert_int_equal(out.n_wins4, 1);
	assert_int_equal(out.split, IKEV1_SPLIT_INCLUDE);
	assert_int_equal(out.n_split_net, 2);
	assert_int_equal(out.split_net[1].len, 12);
	assert_true(addr_eq(&out.split_net[1].addr, &in.split_net[1].addr));
	assert_string_equal(out.default_domain, "coati.test");
	assert_string_equal(out.split_dns, "a.test,b.test");
	assert_string_equal(out.banner, in.banner);
	assert_true(out.save_passwd);
	assert_int_equal(out.pfs_group, 2);
}

/* A block made of one attribute: type, TLV value. */
static struct rd
one_attr(uint8_t *b, uint16_t type, const void *v, size_t n)
{
	be16_put(b, type);
	be16_put(b + 2, (uint16_t)n);
	memcpy(b + 4, v, n);
	return rd_init(b, 4 + n);
}

static void
test_modecfg_limits(void **state)
{
	static const uint8_t split_bad[14] = {10, 1, 0, 0, 255, 0, 255, 0};
	static const uint8_t nul_text[] = {'a', 0, 'b'};
	uint8_t b[2048], big[IKEV1_MODECFG_TEXT_MAX];
	struct ikev1_modecfg out, keep;
	struct rd r;

	(void)state;
	memset(&keep, 0x5a, sizeof(keep));
	out = keep;
	r = one_attr(b, IKEV1_CFG_INTERNAL_IP4_ADDRESS, "\x0a\x03\x00", 3);
	assert_int_equal(ikev1_modecfg_parse(&r, &out), -EBADMSG);
	r = one_attr(b, IKEV1_CFG_UNITY_SPLIT_INCLUDE, split_bad, sizeof(split_bad));
	assert_int_equal(ikev1_modecfg_parse(&r, &out), -EBADMSG);
	r = one_attr(b, IKEV1_CFG_UNITY_SPLIT_INCLUDE, split_bad, 13);
	assert_int_equal(ikev1_modecfg_parse(&r, &out), -EBADMSG);
	r = one_attr(b, IKEV1_CFG_UNITY_BANNER, nul_text, sizeof(nul_text));
	assert_int_equal(ikev1_modecfg_parse(&r, &out), -EBADMSG);
	memset(big, 'x', sizeof(big));
	r = one_attr(b, IKEV1_CFG_UNITY_BANNER, big, sizeof(big));
	assert_int_equal(ikev1_modecfg_parse(&r, &out), -EBADMSG);
	/* a failure leaves the output alone */
	assert_memory_equal(&out, &keep, sizeof(out));
	r = one_attr(b, IKEV1_CFG_UNITY_BANNER, big, sizeof(big) - 1);
	assert_int_equal(ikev1_modecfg_parse(&r, &out), 0);
	assert_int_equal(strlen(out.banner), sizeof(big) - 1);
	/* strongSwan's attr plugin sends address and mask only, 8 bytes a network */
	{
		static const uint8_t eight[16] = {10,  1,  0, 0, 255, 255, 255, 0,
		                                  172, 16, 0, 0, 255, 240, 0,   0};

		r = one_attr(b, IKEV1_CFG_UNITY_SPLIT_INCLUDE, eight, sizeof(eight));
		assert_int_equal(ikev1_modecfg_parse(&r, &out), 0);
		assert_int_equal(out.n_split_net, 2);
		assert_int_equal(out.split_net[0].len, 24);
		assert_int_equal(out.split_net[1].len, 12);
		r = one_attr(b, IKEV1_CFG_UNITY_SPLIT_INCLUDE, eight, 12);
		assert_int_equal(ikev1_modecfg_parse(&r, &out), -EBADMSG);
	}
	/* unknown attributes are skipped, lists past their maximum cut */
	r = one_attr(b, 0x7777, "zz", 2);
	assert_int_equal(ikev1_modecfg_parse(&r, &out), 0);
	{
		size_t n = 0;

		for (int i = 0; i < 5; i++, n += 8)
			(void)one_attr(b + n, IKEV1_CFG_INTERNAL_IP4_DNS, "\x0a\x00\x00\x01", 4);
		r = rd_init(b, n);
		assert_int_equal(ikev1_modecfg_parse(&r, &out), 0);
		assert_int_equal(out.n_dns4, IKEV1_MODECFG_DNS_MAX);
	}
}

/* Every truncation of a good block fails cleanly or parses a prefix; flips never crash. */
static void
test_modecfg_truncations(void **state)
{
	struct ikev1_modecfg in, out;
	uint8_t buf[2048], copy[2048];
	struct rd attrs, r;

	(void)state;
	mc_sample(&in);
	mc_encode(&in, buf, sizeof(buf), &attrs);
	for (size_t len = 0; len < rd_left(&attrs); len++) {
		r = rd_init(attrs.p, len);
		(void)ikev1_modecfg_parse(&r, &out);
	}
	/* a cut inside the last attribute is malformed */
	r = rd_init(attrs.p, rd_left(&attrs) - 1);
	assert_int_equal(ikev1_modecfg_parse(&r, &out), -EBADMSG);
	for (size_t i = 0; i < rd_left(&attrs); i++) {
		memcpy(copy, attrs.p, rd_left(&attrs));
		copy[i] ^= 0xff;
		r = rd_init(copy, rd_left(&attrs));
		(void)ikev1_modecfg_parse(&r, &out);
	}
}

/* ---- engine: a coati client and a coati gateway ------------------------------ */

struct ra_side {
	const char *user, *pass;      /* client: the login it gives */
	const char *want_pass;        /* gateway: the one password accepted */
	struct ikev1_modecfg applied; /* client: what modecfg_apply got */
	unsigned logins, leases, applies, releases;
	char last_user[IKEV1_XAUTH_USER_MAX + 1];
};

static struct ra_side ra[2];

static int
ra_side_of(void *arg)
{
	return ((struct side *)arg)->idx;
}

static int
env_xauth_check(void *arg, const struct ikev1_peer *p, const char *user, const char *password)
{
	struct ra_side *r = &ra[ra_side_of(arg)];

	(void)p;
	r->logins++;
	snprintf(r->last_user, sizeof(r->last_user), "%s", user);
	return strcmp(user, "alice") == 0 && strcmp(password, r->want_pass) == 0 ? 0 : -EACCES;
}

static int
env_lease(void *arg, const struct ikev1_peer *p, const char *user, struct ikev1_modecfg *out)
{
	struct ra_side *r = &ra[ra_side_of(arg)];

	(void)p;
	assert_non_null(user);
	r->leases++;
	mc_sample(out);
	return 0;
}

static void
env_release(void *arg, const struct ikev1_peer *p, const struct addr *a)
{
	(void)p;
	(void)a;
	ra[ra_side_of(arg)].releases++;
}

static int
env_login(void *arg, const struct ikev1_peer *p, char *user, size_t ucap, char *pass, size_t pcap)
{
	struct ra_side *r = &ra[ra_side_of(arg)];

	(void)p;
	if (!r->user)
		return -ENOENT;
	snprintf(user, ucap, "%s", r->user);
	snprintf(pass, pcap, "%s", r->pass);
	return 0;
}

static int
env_apply(void *arg, const struct ikev1_peer *p, const struct ikev1_modecfg *mc)
{
	struct ra_side *r = &ra[ra_side_of(arg)];

	(void)p;
	r->applies++;
	r->applied = *mc;
	return 0;
}

/* Client A (side 0) and gateway B (side 1), Aggressive Mode with XAUTHInitPreShared. */
static struct net *
ra_net(const char *pass)
{
	struct net *n = net_new(IKEV1_EXCH_AGGRESSIVE);

	memset(ra, 0, sizeof(ra));
	ra[CL].user = "alice";
	ra[CL].pass = pass;
	ra[GW].want_pass = "right-password";
	for (int i = 0; i < 2; i++) {
		struct side *s = &n->s[i];
		struct ikev1_env env = {
		    .arg = s,
		    .send = env_send,
		    .now_ms = env_now,
		    .timer = env_timer,
		    .random = env_random,
		    .dh_new = env_dh_new,
		    .install = env_install,
		    .remove = env_remove,
		    .event = env_event,
		    .remote = env_remote,
		    .psk = env_psk,
		    .phase1 = env_phase1,
		    .xauth_check = env_xauth_check,
		    .modecfg_lease = env_lease,
		    .modecfg_release = env_release,
		    .xauth_login = env_login,
		    .modecfg_apply = env_apply,
		};

		ikev1_engine_free(s->e);
		assert_int_equal(ikev1_engine_new(&env, &s->e), 0);
		s->cfg.props[0].auth = IKEV1_AUTH_XAUTH_INIT_PSK;
		s->cfg.n_props = 1;
	}
	n->s[CL].cfg.modecfg_client = true;
	n->s[GW].cfg.modecfg_server = true;
	return n;
}

static void
test_engine_xauth_modecfg(void **state)
{
	struct net *n = ra_net("right-password");
	const struct ikev1_child *c;
	struct addr want;
	struct walk w;

	(void)state;
	assert_int_equal(ikev1_initiate(n->s[CL].e, &n->s[CL].peer, &n->s[CL].cfg, NULL), 0);
	net_run(n);
	assert_int_equal(ra[GW].logins, 1);
	assert_string_equal(ra[GW].last_user, "alice");
	assert_int_equal(ra[GW].leases, 1);
	assert_int_equal(ra[CL].applies, 1);
	assert_int_equal(addr_parse("10.3.0.10", &want), 0);
	assert_true(addr_eq(&ra[CL].applied.addr4, &want));
	assert_int_equal(ra[CL].applied.n_split_net, 2);
	assert_string_equal(ra[CL].applied.banner, "Welcome\nto the LAN\n");
	/* one Quick Mode per split network, from the address leased */
	assert_int_equal(n->s[CL].ninstalled, 2);
	assert_int_equal(n->s[GW].ninstalled, 2);
	c = &n->s[CL].installed[0];
	assert_int_equal(c->sel.src.len, 32);
	assert_true(addr_eq(&c->sel.src.addr, &ra[CL].applied.addr4));
	w = sa_of(&n->s[GW]);
	assert_int_equal(w.n, 1);
	assert_string_equal(w.info.user, "alice");
	assert_true(addr_eq(&w.info.vaddr4, &ra[CL].applied.addr4));
	w = sa_of(&n->s[CL]);
	assert_true(addr_eq(&w.info.vaddr4, &ra[CL].applied.addr4));
	/* the gateway renews a pair (its Quick Mode to the client's address) */
	{
		struct ikev1_child_req r = {.proto = IPSEC_PROTO_ESP, .mode = IPSEC_MODE_TUNNEL};

		r.sel.src = n->s[GW].installed[0].sel.src;
		r.sel.dst = n->s[GW].installed[0].sel.dst;
		r.sel.proto = IPSEC_ULP_ANY;
		assert_true(addr_eq(&r.sel.dst.addr, &want));
		assert_int_equal(ikev1_quick_start(sa_of(&n->s[GW]).sa, &r), 0);
		net_run(n);
		assert_int_equal(n->s[CL].ninstalled, 3);
		assert_int_equal(n->s[GW].ninstalled, 3);
	}
	/* the client goes: both sides give the address back */
	assert_int_equal(ikev1_delete(n->s[CL].e, sa_of(&n->s[CL]).sa), 0);
	net_run(n);
	assert_int_equal(sa_of(&n->s[GW]).n, 0);
	assert_int_equal(ra[GW].releases, 1);
	assert_int_equal(ra[CL].releases, 1);
	assert_int_equal(n->s[GW].ninstalled, 0);
	net_free(n);
}

static void
test_engine_wrong_password(void **state)
{
	struct net *n = ra_net("wrong-password");

	(void)state;
	assert_int_equal(ikev1_initiate(n->s[CL].e, &n->s[CL].peer, &n->s[CL].cfg, NULL), 0);
	/* both ends delete the ISAKMP SA, so each one's Delete finds nothing at the other */
	for (int i = 0; i < 64 && n->nq; i++) {
		int err = net_step(n, n->q[0].to);

		assert_true(err == 0 || err == -ENOENT);
	}
	assert_int_equal(ra[GW].logins, 1);
	assert_int_equal(ra[GW].leases, 0);
	assert_int_equal(ra[CL].applies, 0);
	assert_int_equal(sa_of(&n->s[GW]).n, 0);
	assert_int_equal(sa_of(&n->s[CL]).n, 0);
	assert_int_equal(n->s[CL].ninstalled, 0);
	assert_int_equal(n->s[GW].ninstalled, 0);
	assert_non_null(strstr(n->s[GW].last_event, "ISAKMP SA deleted"));
	assert_non_null(strstr(n->s[CL].last_event, "ISAKMP SA deleted"));
	net_free(n);
}

/* A client that skips Xauth and goes straight to Quick Mode is refused. */
static void
test_engine_quick_before_login(void **state)
{
	struct net *n = ra_net("right-password");
	struct ikev1_child_req r = req_for(CL);
	struct walk w;
	int err = 0;

	(void)state;
	ra[CL].user = NULL; /* no login: the client cannot answer */
	assert_int_equal(ikev1_initiate(n->s[CL].e, &n->s[CL].peer, &n->s[CL].cfg, NULL), 0);
	for (int i = 0; i < 64 && n->nq; i++)
		(void)net_step(n, n->q[0].to);
	w = sa_of(&n->s[CL]);
	assert_int_equal(w.n, 1);
	/* force the client's Quick Mode out as if it had logged in */
	w.sa->ra = RA_OPEN;
	assert_int_equal(ikev1_quick_start(w.sa, &r), 0);
	while (n->nq) {
		struct dgram d = net_pop(n);

		if (d.to == GW)
			err = net_deliver(n, &d);
	}
	assert_int_equal(err, -EACCES);
	assert_int_equal(n->s[GW].ninstalled, 0);
	assert_int_equal(ra[GW].logins, 0);
	net_free(n);
}

/* racoon's "mode_cfg on" on the gateway: it pushes the configuration after the login,
 * while the client's own request crosses it; one configuration, one SA pair per net. */
static void
test_engine_push(void **state)
{
	struct net *n = ra_net("right-password");

	(void)state;
	n->s[GW].cfg.modecfg_client = true;
	assert_int_equal(ikev1_initiate(n->s[CL].e, &n->s[CL].peer, &n->s[CL].cfg, NULL), 0);
	for (int i = 0; i < 64 && n->nq; i++) {
		int err = net_step(n, n->q[0].to);

		/* the client's crossing REQUEST is refused while the push is out */
		assert_true(err == 0 || err == -EPROTO);
	}
	assert_non_null(strstr(n->s[GW].last_event, "IPsec SA established"));
	assert_int_equal(ra[CL].applies, 1);
	assert_int_equal(ra[GW].leases, 1);
	assert_int_equal(n->s[CL].ninstalled, 2);
	assert_int_equal(n->s[GW].ninstalled, 2);
	/* nothing left to retransmit: every exchange completed */
	for (size_t i = 0; i < IKEV1_QM_MAX; i++) {
		{
			const struct ikev1_qm *q = sa_of(&n->s[CL]).sa->qm[i];

			assert_false(q && q->used && q->x.awaiting);
		}
		{
			const struct ikev1_qm *q = sa_of(&n->s[GW]).sa->qm[i];

			assert_false(q && q->used && q->x.awaiting);
		}
	}
	net_free(n);
}

/* Everything in flight is lost. */
static void
drop_all(struct net *n)
{
	n->nq = 0;
}

/* The gateway dies: DPD on the client declares it dead and the address is given back. */
static void
test_engine_dpd_releases(void **state)
{
	struct net *n = ra_net("right-password");
	int fired = 0;

	(void)state;
	n->s[CL].cfg.dpd_delay_ms = 2000;
	n->s[CL].cfg.dpd_retry_ms = 1000;
	n->s[CL].cfg.dpd_maxfail = 2;
	n->s[GW].cfg.dpd_delay_ms = 600000; /* sends the DPD vendor ID, never probes here */
	n->s[GW].cfg.dpd_retry_ms = 1000;
	n->s[GW].cfg.dpd_maxfail = 2;
	assert_int_equal(ikev1_initiate(n->s[CL].e, &n->s[CL].peer, &n->s[CL].cfg, NULL), 0);
	net_run(n);
	assert_int_equal(ra[CL].applies, 1);
	assert_int_equal(n->s[CL].ninstalled, 2);
	while (sa_of(&n->s[CL]).n && n->s[CL].timer_sa && fired++ < 20) {
		n->now_ms = n->s[CL].timer_at;
		net_fire(n, CL);
		drop_all(n);
	}
	assert_int_equal(sa_of(&n->s[CL]).n, 0);
	assert_int_equal(n->s[CL].phase1[IKEV1_PHASE1_DEAD], 1);
	assert_int_equal(ra[CL].releases, 1);
	assert_int_equal(n->s[CL].ninstalled, 0);
	net_free(n);
}

/* A client that never answers the login request: the gateway gives up and lets the SA go. */
static void
test_engine_gateway_gives_up(void **state)
{
	struct net *n = ra_net("right-password");
	int fired = 0;

	(void)state;
	ra[CL].user = NULL;
	assert_int_equal(ikev1_initiate(n->s[CL].e, &n->s[CL].peer, &n->s[CL].cfg, NULL), 0);
	for (int i = 0; i < 64 && n->nq; i++)
		(void)net_step(n, n->q[0].to);
	assert_int_equal(sa_of(&n->s[GW]).n, 1);
	while (n->s[GW].timer_sa && fired++ < 20) {
		n->now_ms = n->s[GW].timer_at;
		net_fire(n, GW);
		drop_all(n);
	}
	assert_int_equal(sa_of(&n->s[GW]).n, 0);
	assert_true(fired <= (int)n->s[GW].cfg.retry_counter + 2);
	assert_int_equal(ra[GW].logins, 0);
	net_free(n);
}

/* A gateway whose login request never arrives: the client drops the SA in time. */
static void
test_engine_client_gives_up(void **state)
{
	struct net *n = ra_net("right-password");
	uint64_t t0;

	(void)state;
	assert_int_equal(ikev1_initiate(n->s[CL].e, &n->s[CL].peer, &n->s[CL].cfg, NULL), 0);
	t0 = n->now_ms;
	/* AM1 -> gateway, AM2 -> client, AM3 -> gateway; the REQUEST is lost */
	for (int i = 0; i < 3; i++)
		assert_int_equal(net_step(n, n->q[0].to), 0);
	drop_all(n);
	assert_int_equal(sa_of(&n->s[CL]).n, 1);
	/* the client's own timers only (a stale retransmission deadline may come first) */
	for (int i = 0; i < 5 && sa_of(&n->s[CL]).n; i++) {
		assert_non_null(n->s[CL].timer_sa);
		n->now_ms = n->s[CL].timer_at;
		net_fire(n, CL);
		drop_all(n);
	}
	assert_int_equal(sa_of(&n->s[CL]).n, 0);
	assert_int_equal(n->now_ms - t0,
	                 (n->s[CL].cfg.retry_counter + 1) * n->s[CL].cfg.retry_interval_ms);
	assert_int_equal(n->s[CL].phase1[IKEV1_PHASE1_UP], 0);
	assert_int_equal(ra[CL].applies, 0);
	net_free(n);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_modecfg_roundtrip),
	    cmocka_unit_test(test_modecfg_limits),
	    cmocka_unit_test(test_modecfg_truncations),
	    cmocka_unit_test(test_engine_xauth_modecfg),
	    cmocka_unit_test(test_engine_wrong_password),
	    cmocka_unit_test(test_engine_quick_before_login),
	    cmocka_unit_test(test_engine_gateway_gives_up),
	    cmocka_unit_test(test_engine_push),
	    cmocka_unit_test(test_engine_dpd_releases),
	    cmocka_unit_test(test_engine_client_gives_up),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
