/*
 * IKEv1 exchanges that go wrong, in-process (see ikev1_test_net.h): wrong pre-shared
 * keys, no proposal chosen, lost and repeated messages, garbled, truncated, mutated and
 * replayed ones. A refused message must leave the receiver exactly as it was.
 */

#include "ikev1_test_net.h"

static void
sweep_one(int k, int m)
{
	struct net *n = net_new(IKEV1_EXCH_MAIN);
	struct dgram d, bad;

	for (int i = 0; i < 2; i++) {
		n->s[i].cfg.props[0].group = DH_MODP_1024;
		n->s[i].cfg.n_props = 1;
	}
	assert_int_equal(initiate(n, 0), 0);
	for (int i = 0; i < k; i++)
		assert_int_equal(net_step(n, n->q[0].to), 0);
	d = net_pop(n);
	bad = d;
	bad.buf[(size_t)(m * 37 + k) % d.len] ^= (uint8_t)(1u << (m % 8));
	if (net_deliver(n, &bad) != 0) {
		assert_int_equal(net_deliver(n, &d), 0);
		net_run(n);
		assert_children_paired(n);
	}
	while (n->nq)
		(void)net_step(n, n->q[0].to);
	net_free(n);
}

static void
test_mutation_sweep(void **state)
{
	(void)state;
	for (int k = 0; k < 9; k++)
		for (int m = 0; m < 24; m++)
			sweep_one(k, m);
}

static void
test_replayed_exchanges(void **state)
{
	struct net *n = net_new(IKEV1_EXCH_MAIN);
	struct dgram qm1, del;

	(void)state;
	assert_int_equal(initiate(n, 0), 0);
	for (int i = 0; i < 6; i++)
		assert_int_equal(net_step(n, n->q[0].to), 0);
	qm1 = net_pop(n);
	assert_int_equal(net_deliver(n, &qm1), 0);
	net_run(n);
	assert_children_paired(n);
	/* enough further exchanges for the first one's slot to be reused */
	for (int i = 0; i < 8; i++) {
		assert_int_equal(initiate(n, 0), 0);
		net_run(n);
	}
	assert_int_equal(n->s[1].ninstalled, 9);
	assert_int_equal(net_deliver(n, &qm1), -EPROTO);
	assert_int_equal(n->nq, 0);
	assert_int_equal(n->s[1].ninstalled, 9);
	/* a Delete taken once is not taken again */
	assert_int_equal(ikev1_delete_children(n->s[0].e, sa_of(&n->s[0]).sa), 0);
	del = net_pop(n);
	assert_int_equal(net_deliver(n, &del), 0);
	assert_int_equal(n->s[1].ninstalled, 0);
	assert_int_equal(net_deliver(n, &del), -EPROTO);
	net_free(n);
}

static void
test_wrong_psk_main(void **state)
{
	struct net *n = net_new(IKEV1_EXCH_MAIN);
	int err;

	(void)state;
	n->s[1].cfg.psk[0] ^= 1;
	assert_int_equal(initiate(n, 0), 0);
	for (int i = 0; i < 4; i++)
		assert_int_equal(net_step(n, n->q[0].to), 0);
	/* MM5 under other keys: garbage after decryption, or a HASH_I mismatch */
	err = net_step(n, 1);
	assert_true(err == -EACCES || err == -EBADMSG || err == -EPROTO);
	assert_int_equal(n->nq, 0);
	assert_false(sa_of(&n->s[1]).info.established);
	assert_string_equal(sa_of(&n->s[1]).info.state, "MM_R2");
	assert_int_equal(n->s[0].ninstalled + n->s[1].ninstalled, 0);
	net_free(n);
}

static void
test_wrong_psk_aggressive(void **state)
{
	struct net *n = net_new(IKEV1_EXCH_AGGRESSIVE);

	(void)state;
	n->s[1].cfg.psk[0] ^= 1;
	assert_int_equal(initiate(n, 0), 0);
	assert_int_equal(net_step(n, 1), 0);       /* AM1 */
	assert_int_equal(net_step(n, 0), -EACCES); /* AM2: HASH_R does not verify */
	assert_int_equal(n->nq, 0);
	assert_string_equal(sa_of(&n->s[0]).info.state, "AM_I1");
	assert_int_equal(n->s[0].ninstalled + n->s[1].ninstalled, 0);
	net_free(n);
}

static void
test_no_proposal_chosen(void **state)
{
	struct net *n = net_new(IKEV1_EXCH_MAIN);

	(void)state;
	n->s[1].cfg.props[0].group = DH_MODP_1024;
	n->s[1].cfg.n_props = 1;
	assert_int_equal(initiate(n, 0), 0);
	assert_int_equal(net_step(n, 1), -ENOENT);
	assert_int_equal(sa_of(&n->s[1]).n, 0);
	/* the NO-PROPOSAL-CHOSEN notify is logged, and changes nothing */
	assert_int_equal(n->nq, 1);
	assert_int_equal(net_step(n, 0), 0);
	assert_non_null(strstr(n->s[0].last_event, "NO_PROPOSAL_CHOSEN"));
	assert_string_equal(sa_of(&n->s[0]).info.state, "MM_I1");
	net_free(n);
}

static void
test_no_proposal_chosen_quick(void **state)
{
	struct net *n = net_new(IKEV1_EXCH_MAIN);

	(void)state;
	n->s[1].cfg.sainfo.enc[0].enc = IPSEC_ENC_3DES_CBC;
	assert_int_equal(initiate(n, 0), 0);
	for (int i = 0; i < 6; i++)
		assert_int_equal(net_step(n, n->q[0].to), 0);
	assert_int_equal(net_step(n, 1), -ENOENT);
	assert_true(sa_of(&n->s[1]).info.established);
	assert_int_equal(n->s[0].ninstalled + n->s[1].ninstalled, 0);
	net_free(n);
}

static void
test_retransmission(void **state)
{
	struct net *n = net_new(IKEV1_EXCH_MAIN);
	struct dgram mm1, mm2, mm2b, mm5, mm6, mm6b;

	(void)state;
	assert_int_equal(initiate(n, 0), 0);
	mm1 = net_pop(n);
	assert_int_equal(net_deliver(n, &mm1), 0);
	mm2 = net_pop(n); /* lost */

	net_fire(n, 0);
	assert_int_equal(n->nq, 1);
	assert_int_equal(n->q[0].len, mm1.len);
	assert_memory_equal(n->q[0].buf, mm1.buf, mm1.len);
	assert_int_equal(net_step(n, 1), 0);
	mm2b = net_pop(n);
	assert_int_equal(mm2b.len, mm2.len);
	assert_memory_equal(mm2b.buf, mm2.buf, mm2.len);
	assert_int_equal(sa_of(&n->s[1]).n, 1);
	assert_int_equal(net_deliver(n, &mm2b), 0);
	assert_int_equal(net_step(n, 1), 0); /* MM3 */
	assert_int_equal(net_step(n, 0), 0); /* MM4 */
	mm5 = net_pop(n);
	assert_int_equal(net_deliver(n, &mm5), 0);
	mm6 = net_pop(n);
	/* MM6 lost too: the repeated MM5 gets the same MM6, the SA stays as it is */
	assert_int_equal(net_deliver(n, &mm5), 0);
	mm6b = net_pop(n);
	assert_int_equal(mm6b.len, mm6.len);
	assert_memory_equal(mm6b.buf, mm6.buf, mm6.len);
	assert_int_equal(net_deliver(n, &mm6b), 0);
	net_run(n);
	assert_children_paired(n);
	net_free(n);
}

static void
test_retransmission_gives_up(void **state)
{
	struct net *n = net_new(IKEV1_EXCH_MAIN);

	(void)state;
	assert_int_equal(initiate(n, 0), 0);
	for (int i = 0; i < 3; i++) {
		net_fire(n, 0);
		assert_int_equal(n->nq, (size_t)i + 2);
	}
	net_fire(n, 0);
	assert_int_equal(n->nq, 4);
	assert_int_equal(sa_of(&n->s[0]).n, 0);
	assert_non_null(strstr(n->s[0].last_event, "timed out"));
	net_free(n);
}

static void
test_garbled_dropped(void **state)
{
	struct net *n = net_new(IKEV1_EXCH_MAIN);
	struct dgram qm1, bad;

	(void)state;
	assert_int_equal(initiate(n, 0), 0);
	for (int i = 0; i < 6; i++)
		assert_int_equal(net_step(n, n->q[0].to), 0);
	qm1 = net_pop(n);
	for (size_t off = 28; off < qm1.len; off += 7) {
		bad = qm1;
		bad.buf[off] ^= 0x40;
		assert_int_not_equal(net_deliver(n, &bad), 0);
		assert_int_equal(n->nq, 0);
	}
	for (size_t len = 0; len < qm1.len; len += 5) {
		bad = qm1;
		bad.len = len;
		assert_int_not_equal(net_deliver(n, &bad), 0);
		assert_int_equal(n->nq, 0);
	}
	assert_true(sa_of(&n->s[1]).info.established);
	assert_int_equal(net_deliver(n, &qm1), 0);
	net_run(n);
	assert_children_paired(n);
	net_free(n);
}

/* timer { phase1; phase2; }: an exchange not done in time is given up, retransmissions
 * or not. */
static void
test_phase_deadlines(void **state)
{
	struct net *n = net_new(IKEV1_EXCH_MAIN);

	(void)state;
	n->s[0].cfg.phase1_ms = 2500; /* retransmissions every 1000 ms, 3 of them */
	assert_int_equal(initiate(n, 0), 0);
	for (int i = 0; i < 3 && sa_of(&n->s[0]).n; i++) {
		n->nq = 0; /* the peer never answers */
		net_fire(n, 0);
	}
	assert_int_equal(sa_of(&n->s[0]).n, 0);
	assert_int_equal(n->now_ms, 2500);
	assert_non_null(strstr(n->s[0].last_event, "timer phase1"));
	net_free(n);

	/* phase 1 completes, the Quick Mode does not */
	n = net_new(IKEV1_EXCH_MAIN);
	n->s[0].cfg.phase2_ms = 1500; /* at least two intervals: 2000 ms */
	assert_int_equal(initiate(n, 0), 0);
	for (int i = 0; i < 4; i++) /* MM1..MM4 */
		assert_int_equal(net_step(n, n->q[0].to), 0);
	assert_int_equal(net_step(n, 1), 0); /* MM5 */
	assert_int_equal(net_step(n, 0), 0); /* MM6: A sends QM1 */
	n->nq = 0;
	net_fire(n, 0); /* QM1 again after 1000 ms */
	n->nq = 0;
	net_fire(n, 0); /* 2000 ms: given up, the second retransmission not sent */
	assert_non_null(strstr(n->s[0].last_event, "timer phase2"));
	assert_int_equal(sa_of(&n->s[0]).n, 1);
	assert_true(sa_of(&n->s[0]).info.established);
	assert_int_equal(n->s[0].ninstalled, 0);
	net_free(n);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_mutation_sweep),
	    cmocka_unit_test(test_wrong_psk_main),
	    cmocka_unit_test(test_wrong_psk_aggressive),
	    cmocka_unit_test(test_no_proposal_chosen),
	    cmocka_unit_test(test_no_proposal_chosen_quick),
	    cmocka_unit_test(test_retransmission),
	    cmocka_unit_test(test_retransmission_gives_up),
	    cmocka_unit_test(test_garbled_dropped),
	    cmocka_unit_test(test_replayed_exchanges),
	    cmocka_unit_test(test_phase_deadlines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
