/*
 * In-process IKEv1 exchanges: two engines wired by a fake transport that queues
 * datagrams, deterministic random bytes and DH private keys through the environment, and
 * "deliver the next message to B" steps with assertions on states and installed SAs.
 */

#include "ikev1_test_net.h"

static void
run_full(uint8_t mode, uint16_t pfs, int initiator)
{
	struct net *n = net_new(mode);
	struct walk wa, wb;

	n->s[0].cfg.sainfo.pfs_group = pfs;
	n->s[1].cfg.sainfo.pfs_group = pfs;
	assert_int_equal(initiate(n, initiator), 0);
	net_run(n);
	assert_children_paired(n);
	wa = sa_of(&n->s[0]);
	wb = sa_of(&n->s[1]);
	assert_int_equal(wa.n, 1);
	assert_int_equal(wb.n, 1);
	assert_true(wa.info.established && wb.info.established);
	assert_int_equal(wa.info.exchange, mode);
	assert_memory_equal(wa.info.cky_i, wb.info.cky_i, 8);
	assert_memory_equal(wa.info.cky_r, wb.info.cky_r, 8);
	assert_true(wa.info.initiator == (initiator == 0));
	assert_false(wa.info.nat);
	assert_false(n->s[0].installed[0].udp_encap);
	assert_int_equal(n->s[0].installed[0].encap_mode, IKEV1_ENCAP_TUNNEL);
	net_free(n);
}

static void
test_main_psk_quick(void **state)
{
	(void)state;
	run_full(IKEV1_EXCH_MAIN, 0, 0);
}

static void
test_main_psk_quick_pfs(void **state)
{
	(void)state;
	run_full(IKEV1_EXCH_MAIN, DH_MODP_2048, 0);
}

static void
test_main_psk_quick_responder(void **state)
{
	(void)state;
	run_full(IKEV1_EXCH_MAIN, 0, 1);
	run_full(IKEV1_EXCH_MAIN, DH_ECP_256, 1);
}

static void
test_aggressive_psk(void **state)
{
	(void)state;
	run_full(IKEV1_EXCH_AGGRESSIVE, 0, 0);
	run_full(IKEV1_EXCH_AGGRESSIVE, DH_MODP_2048, 1);
}

/*
 * A responder whose remote has no key of its own (racoon's "remote anonymous") asks
 * psk.txt at negotiation time: by address in Main Mode, by the peer's ID in Aggressive
 * Mode; with no entry the negotiation fails with an event and nothing is installed.
 */
static void
psk_lookup(uint8_t mode, const char *id, const char *want_asked, bool found)
{
	struct net *n = net_new(mode);
	struct side *r = &n->s[1];
	static const char key[] = "not-a-secret-test-psk";

	r->cfg.psk_len = 0;
	r->psk_id = id;
	r->psk_key = key;
	n->s[0].cfg.my_id.type = IKEV1_ID_FQDN;
	n->s[0].cfg.my_id.len = 12;
	memcpy(n->s[0].cfg.my_id.data, "a@coati.test", 12);
	assert_int_equal(initiate(n, 0), 0);
	/* bounded: the queue holds at most QUEUE_MAX messages and nothing is retransmitted */
	for (int i = 0; i < QUEUE_MAX && n->nq; i++)
		net_step(n, n->q[0].to);
	assert_string_equal(r->psk_asked, want_asked);
	assert_int_equal(r->ninstalled, found ? 1 : 0);
	assert_int_equal(n->s[0].ninstalled, found ? 1 : 0);
	if (!found)
		assert_non_null(strstr(r->last_event, "no pre-shared key"));
	net_free(n);
}

static void
test_psk_lookup(void **state)
{
	(void)state;
	psk_lookup(IKEV1_EXCH_MAIN, "192.0.2.1", "addr", true);
	psk_lookup(IKEV1_EXCH_MAIN, "192.0.2.9", "addr", false);
	psk_lookup(IKEV1_EXCH_AGGRESSIVE, "a@coati.test", "ID", true);
	psk_lookup(IKEV1_EXCH_AGGRESSIVE, "192.0.2.1", "ID", true);
	psk_lookup(IKEV1_EXCH_AGGRESSIVE, "b@coati.test", "ID", false);
}

/* Aggressive Mode: the initiator's Quick Mode waits aggr_qm_delay_ms after AM3. */
static void
test_aggressive_qm_delay(void **state)
{
	struct net *n = net_new(IKEV1_EXCH_AGGRESSIVE);

	(void)state;
	n->s[0].cfg.aggr_qm_delay_ms = 100;
	assert_int_equal(initiate(n, 0), 0);
	net_run(n); /* AM1, AM2, AM3, INITIAL-CONTACT: no Quick Mode yet */
	assert_true(sa_of(&n->s[0]).info.established);
	assert_int_equal(n->s[0].ninstalled, 0);
	net_fire(n, 0);
	assert_int_equal(n->now_ms, 100);
	net_run(n);
	assert_children_paired(n);
	net_free(n);
}

/* racoon's order: both IDs given, then one, then anonymous; ties to the first. */
static void
test_sainfo_pick(void **state)
{
	struct ikev1_sainfo v[4];
	struct ikev1_remote cfg;
	struct ikev1_child_req r = req_for(0); /* 10.1.0.0/16 -> 10.2.0.0/16 */

	(void)state;
	memset(v, 0, sizeof(v));
	memset(&cfg, 0, sizeof(cfg));
	cfg.sainfos = v;
	cfg.n_sainfos = 4;
	/* v[0] anonymous; v[1] local only; v[2] both; v[3] both but another remote */
	assert_int_equal(prefix_parse("10.1.0.0/16", &v[1].local), 0);
	v[2].local = v[1].local;
	assert_int_equal(prefix_parse("10.2.0.0/16", &v[2].remote), 0);
	v[3].local = v[1].local;
	assert_int_equal(prefix_parse("10.3.0.0/16", &v[3].remote), 0);
	assert_ptr_equal(ikev1_sainfo_pick(&cfg, &r.sel), &v[2]);
	v[2].proto = IPPROTO_TCP; /* the selector is any protocol: no longer exact */
	assert_ptr_equal(ikev1_sainfo_pick(&cfg, &r.sel), &v[1]);
	assert_int_equal(prefix_parse("10.9.0.0/16", &r.sel.src), 0);
	assert_ptr_equal(ikev1_sainfo_pick(&cfg, &r.sel), &v[0]);
	cfg.n_sainfos = 0; /* no list: the remote's one sainfo, anonymous */
	assert_ptr_equal(ikev1_sainfo_pick(&cfg, &r.sel), &cfg.sainfo);
	cfg.sainfo = v[3];
	assert_null(ikev1_sainfo_pick(&cfg, &r.sel));
}

/* The exact message sequence of Main Mode + Quick Mode, step by step. */

static void
test_main_steps(void **state)
{
	struct net *n = net_new(IKEV1_EXCH_MAIN);

	(void)state;
	assert_int_equal(initiate(n, 0), 0);
	assert_int_equal(net_step(n, 1), 0); /* MM1 */
	assert_string_equal(sa_of(&n->s[1]).info.state, "MM_R1");
	assert_int_equal(net_step(n, 0), 0); /* MM2 */
	assert_int_equal(net_step(n, 1), 0); /* MM3 */
	assert_int_equal(net_step(n, 0), 0); /* MM4 */
	assert_string_equal(sa_of(&n->s[0]).info.state, "MM_I3");
	assert_int_equal(net_step(n, 1), 0); /* MM5 */
	assert_true(sa_of(&n->s[1]).info.established);
	assert_int_equal(net_step(n, 0), 0); /* MM6 */
	assert_true(sa_of(&n->s[0]).info.established);
	assert_int_equal(n->nq, 1); /* QM1 */
	assert_int_equal(net_step(n, 1), 0); /* QM1: the responder's inbound SA goes in */
	assert_int_equal(n->s[1].ninstalled, 1);
	assert_int_equal(n->s[1].nhalf, 1);
	assert_int_equal(n->s[0].ninstalled, 0);
	assert_int_equal(net_step(n, 0), 0); /* QM2: the initiator installs */
	assert_int_equal(n->s[0].ninstalled, 1);
	assert_int_equal(n->s[0].nhalf, 0);
	assert_int_equal(net_step(n, 1), 0); /* QM3: the responder's outbound SA */
	assert_children_paired(n);
	assert_int_equal(n->nq, 0);
	net_free(n);
}

/* strongSwan with kernel-libipsec claims a NAT on every link: follow its NAT-D. */

static void
test_natt_forced(void **state)
{
	struct net *n = net_new(IKEV1_EXCH_MAIN);
	const struct ikev1_child *a, *b;

	(void)state;
	n->s[0].cfg.natt = IKEV1_NATT_FORCE;
	assert_int_equal(initiate(n, 0), 0);
	for (int i = 0; i < 4; i++)
		assert_int_equal(net_step(n, n->q[0].to), 0);
	/* MM5 leaves from 4500 */
	assert_int_equal(n->q[0].p.rport, 4500);
	assert_int_equal(n->q[0].p.lport, 4500);
	net_run(n);
	assert_children_paired(n);
	a = &n->s[0].installed[0];
	b = &n->s[1].installed[0];
	assert_true(a->udp_encap && b->udp_encap);
	assert_int_equal(a->encap_mode, IKEV1_ENCAP_UDP_TUNNEL);
	assert_int_equal(b->encap_mode, IKEV1_ENCAP_UDP_TUNNEL);
	assert_int_equal(a->out.encap_sport, 4500);
	assert_int_equal(a->out.encap_dport, 4500);
	assert_int_equal(b->in.encap_sport, 4500);
	assert_true(sa_of(&n->s[0]).info.nat);
	assert_true(sa_of(&n->s[1]).info.nat);
	assert_int_equal(sa_of(&n->s[1]).info.peer.rport, 4500);
	net_free(n);
}

/* Without NAT-T on the responder nobody floats, even when the initiator forces. */

static void
test_natt_off(void **state)
{
	struct net *n = net_new(IKEV1_EXCH_MAIN);

	(void)state;
	n->s[0].cfg.natt = IKEV1_NATT_FORCE;
	n->s[1].cfg.natt = IKEV1_NATT_OFF;
	assert_int_equal(initiate(n, 0), 0);
	net_run(n);
	assert_children_paired(n);
	assert_false(n->s[0].installed[0].udp_encap);
	assert_false(sa_of(&n->s[1]).info.nat);
	net_free(n);
}

/* A real NAT between the two: both see it in NAT-D, both float, ESP goes in UDP. */

static void
test_natt_behind_nat(void **state)
{
	struct net *n = net_new(IKEV1_EXCH_MAIN);
	const struct ikev1_child *a, *b;

	(void)state;
	n->nat = true;
	assert_int_equal(addr_parse("10.0.0.1", &n->s[0].peer.local), 0);
	assert_int_equal(initiate(n, 0), 0);
	net_run(n);
	assert_children_paired(n);
	a = &n->s[0].installed[0];
	b = &n->s[1].installed[0];
	assert_true(a->udp_encap && b->udp_encap);
	assert_int_equal(a->out.encap_sport, 4500);
	assert_int_equal(a->out.encap_dport, 4500);
	/* the responder answers the NAT's outside port */
	assert_int_equal(b->out.encap_dport, 14500);
	assert_int_equal(b->in.encap_sport, 14500);
	assert_int_equal(sa_of(&n->s[1]).info.peer.rport, 14500);
	net_free(n);
}

/* Quick Mode started by the phase 1 responder over the same ISAKMP SA. */

static void
test_quick_from_responder(void **state)
{
	struct net *n = net_new(IKEV1_EXCH_MAIN);

	(void)state;
	n->s[0].cfg.sainfo.pfs_group = DH_MODP_2048;
	n->s[1].cfg.sainfo.pfs_group = DH_MODP_2048;
	{
		struct side *s = &n->s[0];

		assert_int_equal(ikev1_initiate(s->e, &s->peer, &s->cfg, NULL), 0);
	}
	net_run(n);
	assert_int_equal(n->s[0].ninstalled + n->s[1].ninstalled, 0);
	assert_true(sa_of(&n->s[1]).info.established);
	assert_int_equal(initiate(n, 1), 0);
	net_run(n);
	assert_children_paired(n);
	assert_int_equal(sa_of(&n->s[1]).n, 1);
	assert_false(sa_of(&n->s[1]).info.initiator);
	net_free(n);
}

/* Aggressive Mode floats at AM3 (RFC 3947 4) when the initiator forces NAT-T. */

static void
test_natt_aggressive(void **state)
{
	struct net *n = net_new(IKEV1_EXCH_AGGRESSIVE);

	(void)state;
	n->s[0].cfg.natt = IKEV1_NATT_FORCE;
	assert_int_equal(initiate(n, 0), 0);
	assert_int_equal(net_step(n, 1), 0); /* AM1 */
	assert_int_equal(net_step(n, 0), 0); /* AM2 */
	assert_int_equal(n->q[0].p.lport, 4500);
	net_run(n);
	assert_children_paired(n);
	assert_true(n->s[0].installed[0].udp_encap && n->s[1].installed[0].udp_encap);
	assert_int_equal(n->s[1].installed[0].encap_mode, IKEV1_ENCAP_UDP_TUNNEL);
	net_free(n);
}

/* IKE over IPv6 with IPv6 selectors, transport mode. */

static void
test_ipv6_transport(void **state)
{
	struct net *n = net_new(IKEV1_EXCH_MAIN);
	struct ikev1_child_req r = {.proto = IPSEC_PROTO_ESP, .mode = IPSEC_MODE_TRANSPORT};
	const struct ikev1_child *a, *b;

	(void)state;
	for (int i = 0; i < 2; i++) {
		struct side *s = &n->s[i];

		assert_int_equal(addr_parse(i ? "2001:db8::2" : "2001:db8::1", &s->peer.local), 0);
		assert_int_equal(addr_parse(i ? "2001:db8::1" : "2001:db8::2", &s->peer.remote), 0);
	}
	assert_int_equal(prefix_parse("2001:db8::1/128", &r.sel.src), 0);
	assert_int_equal(prefix_parse("2001:db8::2/128", &r.sel.dst), 0);
	r.sel.proto = 6;
	r.sel.dport = 443;
	assert_int_equal(ikev1_initiate(n->s[0].e, &n->s[0].peer, &n->s[0].cfg, &r), 0);
	net_run(n);
	assert_int_equal(n->s[0].ninstalled, 1);
	assert_int_equal(n->s[1].ninstalled, 1);
	a = &n->s[0].installed[0];
	b = &n->s[1].installed[0];
	assert_int_equal(a->in.mode, IPSEC_MODE_TRANSPORT);
	assert_int_equal(b->in.mode, IPSEC_MODE_TRANSPORT);
	assert_key_eq(&a->out.enc_key, &b->in.enc_key);
	assert_int_equal(b->sel.proto, 6);
	assert_int_equal(b->sel.sport, 443);
	assert_int_equal(b->sel.dport, 0);
	assert_int_equal(b->in.src.family, AF_INET6);
	net_free(n);
}

/*
 * Mutation sweep: every message of Main + Quick Mode, with a bit flipped, delivered in
 * place of the real one. Nothing may crash (run it under ASan). A mutant that is refused
 * must leave the receiver as it was: the original then completes the exchange.
 */

/* Authentic messages replayed later (M-ID already used) make nothing happen. */

/* Phase 2: the sainfo's algorithms do not meet; phase 1 stays, nothing is installed. */

/* A lost answer: the initiator retransmits, the responder answers with the same bytes. */

/* The timer gives up after the counter, and the half-open SA goes. */

/* Garbled or truncated protected messages are dropped and change nothing. */

/* Delete: our inbound SPI tells the peer which pair to remove (RFC 2408 3.15). */

static void
test_delete_children(void **state)
{
	struct net *n = net_new(IKEV1_EXCH_MAIN);

	(void)state;
	assert_int_equal(initiate(n, 0), 0);
	net_run(n);
	assert_children_paired(n);
	assert_int_equal(ikev1_delete_children(n->s[0].e, sa_of(&n->s[0]).sa), 0);
	assert_int_equal(n->s[0].ninstalled, 0);
	assert_int_equal(n->s[0].nremoved, 1);
	assert_int_equal(n->nq, 1);
	assert_int_equal(net_step(n, 1), 0);
	assert_int_equal(n->s[1].ninstalled, 0);
	assert_int_equal(n->s[1].nremoved, 1);
	assert_true(sa_of(&n->s[1]).info.established);
	/* a second child over the same ISAKMP SA, then the ISAKMP SA itself */
	assert_int_equal(initiate(n, 0), 0);
	net_run(n);
	assert_children_paired(n);
	assert_int_equal(ikev1_delete(n->s[0].e, sa_of(&n->s[0]).sa), 0);
	assert_int_equal(sa_of(&n->s[0]).n, 0);
	net_run(n);
	assert_int_equal(sa_of(&n->s[1]).n, 0);
	assert_int_equal(n->s[1].ninstalled, 0);
	net_free(n);
}

/* A peer that restarted says INITIAL-CONTACT: its old SAs go (RFC 2407 4.6.3.3). */

static void
test_initial_contact(void **state)
{
	struct net *n = net_new(IKEV1_EXCH_MAIN);
	struct side *ghost = calloc(1, sizeof(*ghost));
	struct ikev1_engine *fresh = n->s[0].e;

	(void)state;
	assert_non_null(ghost);
	n->s[0].cfg.initial_contact = true;
	/* A's first life runs in an engine whose environment is the ghost side */
	*ghost = n->s[0];
	{
		struct ikev1_env env = {
		    .arg = ghost,       .send = env_send,          .now_ms = env_now,
		    .timer = env_timer, .random = env_random,      .dh_new = env_dh_new,
		    .install = env_install, .remove = env_remove,  .event = env_event,
		    .remote = env_remote,   .psk = env_psk,
		    .phase1 = env_phase1,
		};

		assert_int_equal(ikev1_engine_new(&env, &n->s[0].e), 0);
	}
	assert_int_equal(initiate(n, 0), 0);
	net_run(n);
	assert_int_equal(ghost->ninstalled, 1);
	assert_int_equal(n->s[1].ninstalled, 1);
	/* A restarts: a fresh engine, the old SAs forgotten without a Delete */
	ghost->e = n->s[0].e;
	n->s[0].e = fresh;
	n->s[0].rnd ^= 0x5a5a5a5au;
	assert_int_equal(initiate(n, 0), 0);
	net_run(n);
	assert_int_equal(sa_of(&n->s[1]).n, 1);
	assert_int_equal(n->s[1].nremoved, 1);
	assert_children_paired(n);
	ikev1_engine_free(ghost->e);
	free(ghost);
	net_free(n);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_main_psk_quick),
	    cmocka_unit_test(test_main_psk_quick_pfs),
	    cmocka_unit_test(test_main_psk_quick_responder),
	    cmocka_unit_test(test_aggressive_psk),
	    cmocka_unit_test(test_psk_lookup),
	    cmocka_unit_test(test_sainfo_pick),
	    cmocka_unit_test(test_aggressive_qm_delay),
	    cmocka_unit_test(test_main_steps),
	    cmocka_unit_test(test_natt_forced),
	    cmocka_unit_test(test_natt_off),
	    cmocka_unit_test(test_natt_behind_nat),
	    cmocka_unit_test(test_quick_from_responder),
	    cmocka_unit_test(test_natt_aggressive),
	    cmocka_unit_test(test_ipv6_transport),
	    cmocka_unit_test(test_delete_children),
	    cmocka_unit_test(test_initial_contact),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
