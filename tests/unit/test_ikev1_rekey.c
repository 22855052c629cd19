/*
 * IKEv1 lifetimes and rekeying, coati against coati in process (ikev1_test_net.h): the
 * lifetime attributes of Quick Mode in both units, proposal_check on them, renewal of a
 * pair on its soft expiry (outbound moving over after a delay) with the old SPIs deleted
 * after the new ones are in, the responder leaving the renewal to the initiator, the
 * responder's early inbound SA, and phase 1 renewal and expiry with the children kept.
 */

#include "ikev1_test_net.h"

static struct net *
net_up(uint32_t sec_a, uint32_t kb_a, uint32_t sec_b, uint32_t kb_b, enum ikev1_propcheck pc)
{
	struct net *n = net_new(IKEV1_EXCH_MAIN);

	n->s[0].cfg.sainfo.lifetime_sec = sec_a;
	n->s[0].cfg.sainfo.lifetime_kb = kb_a;
	n->s[1].cfg.sainfo.lifetime_sec = sec_b;
	n->s[1].cfg.sainfo.lifetime_kb = kb_b;
	n->s[1].cfg.proposal_check = pc;
	assert_int_equal(initiate(n, 0), 0);
	for (int i = 0; i < 64 && n->nq; i++) {
		struct dgram d = net_pop(n);

		net_deliver(n, &d);
	}
	return n;
}

/* Both lifetime types proposed, taken, and installed as hard limits with soft ones. */
static void
test_qm_lifetimes(void **state)
{
	struct net *n = net_up(10, 1000, 10, 1000, IKEV1_PROPCHECK_STRICT);
	const struct ikev1_child *a, *b;

	(void)state;
	assert_int_equal(n->s[0].ninstalled, 1);
	assert_int_equal(n->s[1].ninstalled, 1);
	a = &n->s[0].installed[0];
	b = &n->s[1].installed[0];
	for (int i = 0; i < 2; i++) {
		const struct ipsec_sa *x = i ? &a->out : &a->in, *y = i ? &b->out : &b->in;

		assert_int_equal(x->hard.add_seconds, 10);
		assert_int_equal(x->hard.bytes, 1000 * 1024);
		assert_int_equal(y->hard.add_seconds, 10);
		assert_int_equal(y->hard.bytes, 1000 * 1024);
		/* the initiator's soft limits come first: 80 % against 90 %, less <= 5 % */
		assert_int_equal(x->soft.add_seconds, 8);
		assert_int_equal(y->soft.add_seconds, 9);
		assert_in_range(x->soft.bytes, 760 * 1024, 800 * 1024);
		assert_in_range(y->soft.bytes, 860 * 1024, 900 * 1024);
	}
	assert_true(a->initiator);
	assert_false(b->initiator);
	net_free(n);
}

struct pc_case {
	enum ikev1_propcheck pc;
	uint32_t sec_a, kb_a, sec_b, kb_b;
	bool ok;
	uint32_t sec, kb; /* what both sides install */
};

/* racoon's proposal_check on what the initiator (A) proposes against the responder (B). */
static void
test_proposal_check(void **state)
{
	static const struct pc_case cases[] = {
	    {IKEV1_PROPCHECK_OBEY, 1200, 0, 600, 0, true, 1200, 0},
	    {IKEV1_PROPCHECK_OBEY, 600, 2000, 1200, 100, true, 600, 2000},
	    {IKEV1_PROPCHECK_STRICT, 1200, 0, 600, 0, false, 0, 0},
	    {IKEV1_PROPCHECK_STRICT, 600, 0, 1200, 0, true, 600, 0},
	    {IKEV1_PROPCHECK_STRICT, 600, 2000, 600, 1000, false, 0, 0},
	    {IKEV1_PROPCHECK_CLAIM, 1200, 0, 600, 0, true, 600, 0},
	    {IKEV1_PROPCHECK_CLAIM, 600, 2000, 1200, 1000, true, 600, 1000},
	    {IKEV1_PROPCHECK_EXACT, 600, 0, 1200, 0, false, 0, 0},
	    {IKEV1_PROPCHECK_EXACT, 600, 1000, 600, 2000, false, 0, 0},
	    {IKEV1_PROPCHECK_EXACT, 600, 1000, 600, 1000, true, 600, 1000},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct pc_case *c = &cases[i];
		struct net *n = net_up(c->sec_a, c->kb_a, c->sec_b, c->kb_b, c->pc);

		if (!c->ok) {
			assert_int_equal(n->s[0].ninstalled, 0);
			assert_int_equal(n->s[1].ninstalled, 0);
			net_free(n);
			continue;
		}
		assert_int_equal(n->s[0].ninstalled, 1);
		assert_int_equal(n->s[1].ninstalled, 1);
		for (int s = 0; s < 2; s++) {
			const struct ikev1_child *x = &n->s[s].installed[0];

			assert_int_equal(x->in.hard.add_seconds, c->sec);
			assert_int_equal(x->out.hard.bytes, (uint64_t)c->kb * 1024);
		}
		net_free(n);
	}
}

static bool
has_spi(const struct side *s, uint32_t in)
{
	for (size_t i = 0; i < s->ninstalled; i++)
		if (s->installed[i].in.spi == in)
			return true;
	return false;
}

/* The SAD says soft: a new Quick Mode; the old pair goes a little after the new one. */
static void
test_soft_renews(void **state)
{
	struct net *n = net_up(10, 0, 10, 0, IKEV1_PROPCHECK_OBEY);
	struct ikev1_child old_a = n->s[0].installed[0], old_b = n->s[1].installed[0];
	struct ikev1_child new_a, new_b;

	(void)state;
	n->now_ms = 8000;
	ikev1_child_expired(n->s[0].e, &old_a.out.dst, old_a.out.spi, false);
	assert_int_equal(n->nq, 1); /* QM1 through the ISAKMP SA that is up */
	/* the other SA of the pair says soft too: nothing more */
	ikev1_child_expired(n->s[0].e, &old_a.in.dst, old_a.in.spi, false);
	assert_int_equal(n->nq, 1);
	net_run(n);
	assert_int_equal(n->s[0].ninstalled, 2);
	assert_int_equal(n->s[1].ninstalled, 2);
	new_a = n->s[0].installed[1];
	new_b = n->s[1].installed[1];
	assert_int_equal(new_a.in.spi, new_b.out.spi);
	assert_int_not_equal(new_a.in.spi, old_a.in.spi);
	assert_true(new_a.initiator);
	/* A sends on the old pair until B surely has QM3: its new outbound SA waits */
	assert_int_equal(n->s[0].nhalf, 1);
	assert_int_equal(n->s[1].nhalf, 0);
	net_advance(n, 150);
	assert_int_equal(n->s[0].nhalf, 1);
	net_advance(n, 100);
	assert_int_equal(n->s[0].nhalf, 0);
	/* both keep the old pair for a while (inbound in flight) */
	net_advance(n, 650);
	assert_true(has_spi(&n->s[0], old_a.in.spi) && has_spi(&n->s[1], old_b.in.spi));
	assert_int_equal(n->s[0].nremoved + n->s[1].nremoved, 0);
	net_advance(n, 1500);
	assert_int_equal(n->s[0].ninstalled, 1);
	assert_int_equal(n->s[1].ninstalled, 1);
	assert_true(has_spi(&n->s[0], new_a.in.spi) && has_spi(&n->s[1], new_b.in.spi));
	/* the old pair's removal kept the policies: the new pair has the same selectors */
	assert_int_equal(n->s[0].nremoved, 1);
	assert_int_equal(n->s[1].nremoved, 1);
	/* a late hard expiry of the old SPIs finds nothing to do */
	ikev1_child_expired(n->s[1].e, &old_b.in.dst, old_b.in.spi, true);
	assert_int_equal(n->nq, 0);
	assert_int_equal(n->s[1].ninstalled, 1);
	net_free(n);
}

/* The responder's soft limit comes later: when the initiator renewed, it does nothing;
 * when the initiator did not, it renews itself. A peer's Delete of the old SPIs leaves
 * the new pair alone. */
static void
test_responder_second(void **state)
{
	struct net *n = net_up(10, 0, 10, 0, IKEV1_PROPCHECK_OBEY);
	struct ikev1_child old_b = n->s[1].installed[0], new_b;

	(void)state;
	ikev1_child_expired(n->s[0].e, &n->s[0].installed[0].in.dst,
	                    n->s[0].installed[0].in.spi, false);
	net_run(n);
	assert_int_equal(n->s[1].ninstalled, 2);
	new_b = n->s[1].installed[1];
	ikev1_child_expired(n->s[1].e, &old_b.in.dst, old_b.in.spi, false);
	assert_int_equal(n->nq, 0);
	net_advance(n, 3000);
	assert_int_equal(n->s[1].ninstalled, 1);
	assert_int_equal(n->s[1].installed[0].in.spi, new_b.in.spi);

	/* now the initiator (A) says nothing: B renews the pair it is responder of */
	ikev1_child_expired(n->s[1].e, &new_b.in.dst, new_b.in.spi, false);
	assert_int_equal(n->nq, 1);
	net_run(n);
	assert_int_equal(n->s[1].ninstalled, 2);
	assert_true(n->s[1].installed[1].initiator);
	assert_false(n->s[0].installed[1].initiator);
	net_advance(n, 3000);
	assert_int_equal(n->s[0].ninstalled, 1);
	assert_int_equal(n->s[1].ninstalled, 1);
	assert_int_equal(n->s[0].installed[0].out.spi, n->s[1].installed[0].in.spi);
	net_free(n);
}

/* QM3 never comes: the responder's early inbound SA goes with the exchange. */
static void
test_qm3_lost(void **state)
{
	struct net *n = net_new(IKEV1_EXCH_MAIN);

	(void)state;
	assert_int_equal(initiate(n, 0), 0);
	for (int i = 0; i < 6; i++)
		assert_int_equal(net_step(n, n->q[0].to), 0); /* Main Mode */
	assert_int_equal(net_step(n, 1), 0);                  /* QM1 */
	assert_int_equal(n->s[1].nhalf, 1);
	for (int i = 0; i < 8 && n->s[1].ninstalled; i++) {
		n->nq = 0; /* QM2 and its retransmissions are lost */
		net_fire(n, 1);
	}
	assert_int_equal(n->s[1].ninstalled, 0);
	assert_int_equal(n->s[1].nhalf, 0);
	assert_int_equal(n->s[1].nremoved, 1);
	assert_true(sa_of(&n->s[1]).info.established);
	net_free(n);
}

static size_t
n_sas(struct side *s)
{
	return sa_of(s).n;
}

/* Phase 1 renewed at its soft limit: a new Main Mode, the pair negotiated again through
 * it without a gap, then the old ISAKMP SA deleted; later renewals use the new one. */
static void
test_p1_renewed(void **state)
{
	struct net *n = net_new(IKEV1_EXCH_MAIN);
	struct ikev1_child child;
	uint8_t cky_i[8];

	(void)state;
	for (int i = 0; i < 2; i++) {
		n->s[i].cfg.props[0].lifetime_sec = 100;
		n->s[i].cfg.props[1].lifetime_sec = 100;
	}
	assert_int_equal(initiate(n, 0), 0);
	net_run(n);
	child = n->s[0].installed[0];
	memcpy(cky_i, sa_of(&n->s[0]).info.cky_i, sizeof(cky_i));
	/* A's soft limit: 76..80 s; B's would be 86..90 s */
	net_advance(n, 75000);
	assert_int_equal(n_sas(&n->s[0]), 1);
	net_advance(n, 7000);
	assert_int_equal(n_sas(&n->s[0]), 1);
	assert_int_equal(n_sas(&n->s[1]), 1);
	assert_true(sa_of(&n->s[0]).info.initiator);
	assert_memory_not_equal(sa_of(&n->s[0]).info.cky_i, cky_i, sizeof(cky_i));
	assert_memory_equal(sa_of(&n->s[1]).info.cky_i, sa_of(&n->s[0]).info.cky_i, 8);
	/* the pair was negotiated again through the new one, the old pair deleted */
	assert_int_equal(sa_of(&n->s[0]).info.nchildren, 1);
	assert_int_equal(sa_of(&n->s[1]).info.nchildren, 1);
	assert_int_equal(n->s[0].ninstalled, 1);
	assert_int_equal(n->s[1].ninstalled, 1);
	assert_int_equal(n->s[0].nremoved, 1);
	assert_int_equal(n->s[1].nremoved, 1);
	assert_int_not_equal(n->s[0].installed[0].in.spi, child.in.spi);
	assert_int_equal(n->s[0].installed[0].in.spi, n->s[1].installed[0].out.spi);
	assert_int_equal(n->s[0].nhalf + n->s[1].nhalf, 0);
	assert_non_null(strstr(n->s[1].last_event, "peer deleted the ISAKMP SA"));
	/* past the old one's hard limit nothing happens */
	child = n->s[0].installed[0];
	net_advance(n, 25000);
	assert_int_equal(n->s[0].ninstalled, 1);
	assert_int_equal(n->s[1].ninstalled, 1);
	/* the pair is renewed through the new ISAKMP SA */
	ikev1_child_expired(n->s[0].e, &child.in.dst, child.in.spi, false);
	net_run(n);
	assert_int_equal(n->s[0].ninstalled, 2);
	net_advance(n, 3000);
	assert_int_equal(n->s[0].ninstalled, 1);
	assert_int_equal(n->s[1].ninstalled, 1);
	assert_int_not_equal(n->s[0].installed[0].in.spi, child.in.spi);
	assert_int_equal(n_sas(&n->s[0]), 1);
	net_free(n);
}

/* Passive on both ends and no children (rekey on), or rekey off even with children: the
 * ISAKMP SA is not renewed; at its hard limit it is deleted on both sides, with them. */
static void
run_p1_expires(bool with_child)
{
	struct net *n = net_new(IKEV1_EXCH_MAIN);

	for (int i = 0; i < 2; i++) {
		n->s[i].cfg.props[0].lifetime_sec = 100;
		n->s[i].cfg.passive = !with_child;
		n->s[i].cfg.p1_rekey = with_child ? IKEV1_REKEY_OFF : IKEV1_REKEY_ON;
	}
	if (with_child)
		assert_int_equal(initiate(n, 0), 0);
	else
		assert_int_equal(ikev1_initiate(n->s[0].e, &n->s[0].peer, &n->s[0].cfg, NULL), 0);
	net_run(n);
	assert_true(sa_of(&n->s[0]).info.established);
	net_advance(n, 99000);
	assert_int_equal(n_sas(&n->s[0]), 1);
	assert_int_equal(n_sas(&n->s[1]), 1);
	assert_int_equal(n->s[0].ninstalled, with_child);
	net_advance(n, 1000);
	assert_int_equal(n_sas(&n->s[0]), 0);
	assert_int_equal(n_sas(&n->s[1]), 0);
	assert_int_equal(n->s[0].ninstalled + n->s[1].ninstalled, 0);
	net_free(n);
}

static void
test_p1_expires(void **state)
{
	(void)state;
	run_p1_expires(false);
	run_p1_expires(true);
}

/* A reload: SAs take the new remote (renewals use its lifetime); without one they go. */
static void
test_reconfigure(void **state)
{
	struct net *n = net_up(10, 0, 10, 0, IKEV1_PROPCHECK_OBEY);
	struct ikev1_child c = n->s[0].installed[0];

	(void)state;
	n->s[0].cfg.sainfo.lifetime_sec = 20;
	ikev1_reconfigure(n->s[0].e);
	assert_int_equal(n_sas(&n->s[0]), 1);
	ikev1_child_expired(n->s[0].e, &c.in.dst, c.in.spi, false);
	net_run(n);
	assert_int_equal(n->s[1].ninstalled, 2);
	assert_int_equal(n->s[1].installed[1].in.hard.add_seconds, 20);
	n->s[1].no_remote = true;
	ikev1_reconfigure(n->s[1].e);
	assert_int_equal(n_sas(&n->s[1]), 0);
	assert_int_equal(n->s[1].ninstalled, 0);
	net_run(n); /* the Deletes: A follows */
	assert_int_equal(n_sas(&n->s[0]), 0);
	assert_int_equal(n->s[0].ninstalled, 0);
	net_free(n);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_qm_lifetimes),     cmocka_unit_test(test_proposal_check),
	    cmocka_unit_test(test_soft_renews),      cmocka_unit_test(test_responder_second),
	    cmocka_unit_test(test_qm3_lost),
	    cmocka_unit_test(test_p1_renewed),       cmocka_unit_test(test_p1_expires),
	    cmocka_unit_test(test_reconfigure),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
