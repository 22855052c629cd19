/*
 * Dead Peer Detection (RFC 3706): the R-U-THERE codec, then two engines in one process on
 * a virtual clock (tests/unit/ikev1_test_net.h): probes answered while both live, a peer
 * that goes silent declared dead at dpd_delay + dpd_retry * dpd_maxfail, an ACK with a
 * wrong sequence number ignored, and the phase1_up/down/dead reports with REMOTE_ID.
 */
#include "ikev1_test_net.h"

#include "ike/v1/engine_int.h"

#define DELAY 2000
#define RETRY 1000
#define MAXFAIL 3

static const uint8_t cky_i[8] = {1, 2, 3, 4, 5, 6, 7, 8};
static const uint8_t cky_r[8] = {9, 10, 11, 12, 13, 14, 15, 16};

/* ---- codec ---------------------------------------------------------------- */

/* Build an Informational with the notification, parse it back to the N payload. */
static void
roundtrip(const struct ikev1_notify *in, uint8_t *buf, size_t cap, struct ikev1_msg *m,
          struct ikev1_notify *out)
{
	struct ikev1_hdr h = {.version = IKEV1_VERSION, .exchange = IKEV1_EXCH_INFO};
	struct ikev1_out o;
	int len;

	memcpy(h.cookie_i, cky_i, 8);
	memcpy(h.cookie_r, cky_r, 8);
	ikev1_out_init(&o, buf, cap, &h);
	ikev1_out_notify(&o, in);
	len = ikev1_out_finish(&o);
	assert_true(len > 0);
	assert_int_equal(ikev1_parse(buf, (size_t)len, m), 0);
	assert_int_equal(ikev1_notify_parse(ikev1_msg_find(m, IKEV1_PL_N, 0), out), 0);
}

static void
test_codec_roundtrip(void **state)
{
	/* HDR (28) | N: generic header 4, DOI 4, proto 1, SPI size 1, type 2, SPI 16, seq 4 */
	static const uint8_t want_n[] = {
	    0, 0, 0, 32, 0, 0, 0, 1, 1, 16, 0x8d, 0x28, 1,  2,    3,    4,    5,    6,
	    7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 0x12, 0x34, 0x56, 0x78,
	};
	struct ikev1_dpd_buf b;
	struct ikev1_notify n, got;
	struct ikev1_msg m;
	uint8_t buf[256];
	uint32_t seq = 0;
	bool ack = true;

	(void)state;
	ikev1_dpd_notify(cky_i, cky_r, false, 0x12345678, &b, &n);
	roundtrip(&n, buf, sizeof(buf), &m, &got);
	assert_int_equal(m.payloads[0].type, IKEV1_PL_N);
	assert_memory_equal(buf + IKEV1_HDR_LEN, want_n, sizeof(want_n));
	assert_int_equal(got.type, IKEV1_N_R_U_THERE);
	assert_int_equal(ikev1_dpd_parse(&got, cky_i, cky_r, &ack, &seq), 0);
	assert_false(ack);
	assert_int_equal(seq, 0x12345678);

	ikev1_dpd_notify(cky_i, cky_r, true, 0xffffffffu, &b, &n);
	roundtrip(&n, buf, sizeof(buf), &m, &got);
	assert_int_equal(got.type, IKEV1_N_R_U_THERE_ACK);
	assert_int_equal(ikev1_dpd_parse(&got, cky_i, cky_r, &ack, &seq), 0);
	assert_true(ack);
	assert_int_equal(seq, 0xffffffffu);
}

static void
test_codec_rejects(void **state)
{
	struct ikev1_dpd_buf b;
	struct ikev1_notify n, bad;
	uint8_t longer[5] = {0};
	uint32_t seq = 7;
	bool ack = false;

	(void)state;
	ikev1_dpd_notify(cky_i, cky_r, true, 42, &b, &n);
	/* someone else's cookies: another SA's probe */
	assert_int_equal(ikev1_dpd_parse(&n, cky_r, cky_i, &ack, &seq), -EPROTO);
	bad = n;
	bad.spi = rd_init(b.spi, 8);
	assert_int_equal(ikev1_dpd_parse(&bad, cky_i, cky_r, &ack, &seq), -EBADMSG);
	for (size_t len = 0; len < 4; len++) {
		bad = n;
		bad.data = rd_init(b.seq, len);
		assert_int_equal(ikev1_dpd_parse(&bad, cky_i, cky_r, &ack, &seq), -EBADMSG);
	}
	bad = n;
	bad.data = rd_init(longer, sizeof(longer));
	assert_int_equal(ikev1_dpd_parse(&bad, cky_i, cky_r, &ack, &seq), -EBADMSG);
	bad = n;
	bad.type = IKEV1_N_INITIAL_CONTACT;
	assert_int_equal(ikev1_dpd_parse(&bad, cky_i, cky_r, &ack, &seq), -ENOENT);
	/* failures leave the outputs alone */
	assert_false(ack);
	assert_int_equal(seq, 7);
}

static void
test_id_text(void **state)
{
	static const uint8_t v4[] = {IKEV1_ID_IPV4_ADDR, 17, 1, 0xf4, 192, 0, 2, 1};
	static const uint8_t fqdn[] = {IKEV1_ID_FQDN, 0, 0, 0, 'g', 'w', '\n', 'x'};
	static const uint8_t v6[] = {IKEV1_ID_IPV6_ADDR, 0, 0, 0, 0x20, 0x01, 0x0d, 0xb8, 0, 0,
	                             0,                  0, 0, 0, 0,    0,    0,    0,    0, 1};
	static const uint8_t subnet[] = {IKEV1_ID_IPV4_ADDR_SUBNET, 0, 0, 0, 10, 0, 0, 0,
	                                 255,                       0, 0, 0};
	char t[64];

	(void)state;
	assert_true(ikev1_id_text(v4, sizeof(v4), t, sizeof(t)));
	assert_string_equal(t, "192.0.2.1");
	assert_true(ikev1_id_text(v6, sizeof(v6), t, sizeof(t)));
	assert_string_equal(t, "2001:db8::1");
	/* the peer's name reaches a script's environment: no control characters */
	assert_true(ikev1_id_text(fqdn, sizeof(fqdn), t, sizeof(t)));
	assert_string_equal(t, "gw?x");
	assert_true(ikev1_id_text(fqdn, sizeof(fqdn), t, 3));
	assert_string_equal(t, "gw");
	assert_false(ikev1_id_text(subnet, sizeof(subnet), t, sizeof(t)));
	for (size_t len = 0; len < sizeof(v4); len++)
		assert_false(ikev1_id_text(v4, len, t, sizeof(t)));
}

/* ---- engine --------------------------------------------------------------- */

static struct net *
dpd_net_mode(uint8_t mode, uint32_t delay_a, uint32_t delay_b)
{
	struct net *n = net_new(mode);

	n->s[0].cfg.dpd_delay_ms = delay_a;
	n->s[1].cfg.dpd_delay_ms = delay_b;
	for (int i = 0; i < 2; i++) {
		n->s[i].cfg.dpd_retry_ms = RETRY;
		n->s[i].cfg.dpd_maxfail = MAXFAIL;
	}
	assert_int_equal(initiate(n, 0), 0);
	net_run(n);
	assert_children_paired(n);
	return n;
}

static struct net *
dpd_net(uint32_t delay_a, uint32_t delay_b)
{
	return dpd_net_mode(IKEV1_EXCH_MAIN, delay_a, delay_b);
}

/*
 * Fire the timers of the live sides in deadline order up to virtual time t, delivering
 * what they send; side 1 is unplugged when b_dead (its timers stop, datagrams to it are
 * lost). Returns the datagrams side 0 sent.
 */
static size_t
run_to(struct net *n, uint64_t t, bool b_dead)
{
	size_t sent = n->s[0].nsent;

	for (int guard = 0; guard < 1000; guard++) {
		int next = -1;

		for (int i = 0; i < 2; i++) {
			const struct side *s = &n->s[i];

			if ((i == 1 && b_dead) || !s->timer_sa || s->timer_at > t)
				continue;
			if (next < 0 || s->timer_at < n->s[next].timer_at)
				next = i;
		}
		if (next < 0)
			break;
		net_fire(n, next);
		while (n->nq) {
			struct dgram d = net_pop(n);

			if (!(b_dead && d.to == 1))
				assert_int_equal(net_deliver(n, &d), 0);
		}
	}
	n->now_ms = t;
	return n->s[0].nsent - sent;
}

static void
test_alive_probes_answered(void **state)
{
	struct net *n = dpd_net(DELAY, DELAY);
	size_t sent_b = n->s[1].nsent;

	(void)state;
	assert_int_equal(n->s[0].phase1[IKEV1_PHASE1_UP], 1);
	assert_int_equal(n->s[1].phase1[IKEV1_PHASE1_UP], 1);
	/* a minute of idleness: each side probes every DPD_DELAY, the other answers */
	assert_true(run_to(n, 60000, false) >= 2 * (60000 / DELAY) - 2);
	assert_true(n->s[1].nsent - sent_b >= 2 * (60000 / DELAY) - 2);
	for (int i = 0; i < 2; i++) {
		assert_int_equal(sa_of(&n->s[i]).n, 1);
		assert_int_equal(n->s[i].ninstalled, 1);
		assert_int_equal(n->s[i].phase1[IKEV1_PHASE1_DEAD], 0);
		/* the next probe is at most DELAY away */
		assert_non_null(n->s[i].timer_sa);
		assert_true(n->s[i].timer_at <= n->now_ms + DELAY);
	}
	net_free(n);
}

static void
silent_peer_dead(uint8_t mode)
{
	struct net *n = dpd_net_mode(mode, DELAY, DELAY);
	uint64_t t0 = n->now_ms;

	/* nothing more from B: MAXFAIL R-U-THEREs, then dead at DELAY + RETRY * MAXFAIL */
	assert_int_equal(run_to(n, t0 + DELAY + RETRY * MAXFAIL - 1, true), MAXFAIL);
	assert_int_equal(sa_of(&n->s[0]).n, 1);
	assert_int_equal(run_to(n, t0 + DELAY + RETRY * MAXFAIL, true), 0);
	assert_int_equal(sa_of(&n->s[0]).n, 0);
	assert_int_equal(n->s[0].ninstalled, 0);
	assert_int_equal(n->s[0].nremoved, 1);
	assert_int_equal(n->s[0].phase1[IKEV1_PHASE1_DEAD], 1);
	assert_int_equal(n->s[0].phase1_at[IKEV1_PHASE1_DEAD], t0 + DELAY + RETRY * MAXFAIL);
	assert_int_equal(n->s[0].phase1[IKEV1_PHASE1_DOWN], 1);
	assert_null(n->s[0].timer_sa);
	net_free(n);
}

static void
test_silent_peer_dead(void **state)
{
	(void)state;
	silent_peer_dead(IKEV1_EXCH_MAIN);
	silent_peer_dead(IKEV1_EXCH_AGGRESSIVE);
}

/* A Quick Mode from the peer is proof of life: the next probe waits DELAY from it. */
static void
test_quick_mode_postpones(void **state)
{
	struct net *n = dpd_net(DELAY, 60000); /* B announces DPD but probes late */
	struct ikev1_child_req r = req_for(1);

	(void)state;
	assert_int_equal(run_to(n, 1500, false), 0);
	/* other selectors than the first pair's: a new pair, not its renewal */
	assert_int_equal(prefix_parse("10.3.0.0/16", &r.sel.src), 0);
	assert_int_equal(ikev1_initiate(n->s[1].e, &n->s[1].peer, &n->s[1].cfg, &r), 0);
	net_run(n);
	assert_int_equal(n->s[0].ninstalled, 2);
	assert_int_equal(sa_of(&n->s[0]).sa->dpd_at, 1500 + DELAY);
	assert_int_equal(run_to(n, 1500 + DELAY - 1, false), 0);
	assert_int_equal(run_to(n, 1500 + DELAY, false), 1);
	net_free(n);
}

/* An authentic ACK whose sequence number we never sent proves nothing. */
static void
test_wrong_sequence_ignored(void **state)
{
	struct net *n = dpd_net(DELAY, DELAY);
	struct ikev1_ike_sa *a = sa_of(&n->s[0]).sa, *b = sa_of(&n->s[1]).sa;
	uint64_t t0 = n->now_ms;
	struct ikev1_dpd_buf buf;
	struct ikev1_notify ack;

	(void)state;
	for (uint32_t f = 0; f < MAXFAIL; f++) {
		assert_int_equal(run_to(n, t0 + DELAY + RETRY * f, true), 1);
		assert_true(a->dpd_pending);
		ikev1_dpd_notify(b->cky_i, b->cky_r, true, a->dpd_seq + 1, &buf, &ack);
		assert_int_equal(ikev1_info_send(b, &ack, NULL), 0);
		ikev1_dpd_notify(b->cky_i, b->cky_r, true, a->dpd_seq_first - 1, &buf, &ack);
		assert_int_equal(ikev1_info_send(b, &ack, NULL), 0);
		assert_int_equal(net_step(n, 0), 0);
		assert_non_null(strstr(n->s[0].last_event, "unexpected sequence"));
		assert_int_equal(net_step(n, 0), 0);
	}
	assert_int_equal(run_to(n, t0 + DELAY + RETRY * MAXFAIL, true), 0);
	assert_int_equal(sa_of(&n->s[0]).n, 0);
	assert_int_equal(n->s[0].phase1[IKEV1_PHASE1_DEAD], 1);
	net_free(n);
}

/* The answer to an earlier, retried probe still counts; it resets the count. */
static void
test_late_ack_counts(void **state)
{
	struct net *n = dpd_net(DELAY, DELAY);
	struct ikev1_ike_sa *a = sa_of(&n->s[0]).sa, *b = sa_of(&n->s[1]).sa;
	uint64_t t0 = n->now_ms;
	struct ikev1_dpd_buf buf;
	struct ikev1_notify ack;

	(void)state;
	assert_int_equal(run_to(n, t0 + DELAY + RETRY, true), 2);
	ikev1_dpd_notify(b->cky_i, b->cky_r, true, a->dpd_seq_first, &buf, &ack);
	assert_int_equal(ikev1_info_send(b, &ack, NULL), 0);
	assert_int_equal(net_step(n, 0), 0);
	assert_false(a->dpd_pending);
	assert_int_equal(n->s[0].timer_at, n->now_ms + DELAY);
	net_free(n);
}

/* Without the peer's DPD vendor ID we never probe, but we answer its R-U-THEREs. */
static void
test_no_vid_no_probe_but_answer(void **state)
{
	struct net *n = dpd_net(DELAY, 0);
	struct ikev1_ike_sa *a = sa_of(&n->s[0]).sa, *b = sa_of(&n->s[1]).sa;
	struct ikev1_dpd_buf buf;
	struct ikev1_notify probe;
	size_t sent_b;

	(void)state;
	assert_false(a->dpd_peer);
	assert_true(b->dpd_peer);
	assert_int_equal(run_to(n, 60000, false), 0);
	assert_int_equal(sa_of(&n->s[0]).n, 1);
	/* B (dpd_delay 0) sends no probes of its own, answers A's */
	sent_b = n->s[1].nsent;
	ikev1_dpd_notify(a->cky_i, a->cky_r, false, 77, &buf, &probe);
	assert_int_equal(ikev1_info_send(a, &probe, NULL), 0);
	assert_int_equal(net_step(n, 1), 0);
	assert_int_equal(n->s[1].nsent, sent_b + 1);
	/* A has nothing outstanding: the ACK is authentic but unexpected */
	assert_int_equal(net_step(n, 0), 0);
	assert_non_null(strstr(n->s[0].last_event, "unexpected sequence 77"));
	net_free(n);
}

static void
test_phase1_reports(void **state)
{
	struct net *n = dpd_net(0, 0);

	(void)state;
	assert_int_equal(n->s[0].phase1[IKEV1_PHASE1_UP], 1);
	assert_string_equal(n->s[0].remote_id, "192.0.2.2");
	assert_string_equal(n->s[1].remote_id, "192.0.2.1");
	assert_int_equal(ikev1_delete(n->s[0].e, sa_of(&n->s[0]).sa), 0);
	assert_int_equal(n->s[0].phase1[IKEV1_PHASE1_DOWN], 1);
	net_run(n);
	assert_int_equal(n->s[1].phase1[IKEV1_PHASE1_DOWN], 1);
	assert_int_equal(n->s[1].phase1[IKEV1_PHASE1_DEAD], 0);
	net_free(n);
}

/* A reload moves SAs to the new remotes; DPD then runs on the new values. */
static void
test_reconfigure(void **state)
{
	struct net *n = dpd_net(DELAY, DELAY);

	(void)state;
	/* env->remote hands out the side's configuration: the reload's new one */
	n->s[0].cfg.dpd_maxfail = 1;
	ikev1_reconfigure(n->s[0].e);
	assert_int_equal(run_to(n, DELAY + RETRY - 1, true), 1);
	assert_int_equal(sa_of(&n->s[0]).n, 1);
	assert_int_equal(run_to(n, DELAY + RETRY, true), 0);
	assert_int_equal(sa_of(&n->s[0]).n, 0);
	assert_int_equal(n->s[0].phase1[IKEV1_PHASE1_DEAD], 1);
	/* B's remote disappears: its SA is deleted, announced to the peer */
	n->s[1].no_remote = true;
	ikev1_reconfigure(n->s[1].e);
	assert_int_equal(sa_of(&n->s[1]).n, 0);
	assert_int_equal(n->s[1].phase1[IKEV1_PHASE1_DOWN], 1);
	assert_int_equal(n->s[1].ninstalled, 0);
	net_free(n);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_codec_roundtrip),
	    cmocka_unit_test(test_codec_rejects),
	    cmocka_unit_test(test_id_text),
	    cmocka_unit_test(test_alive_probes_answered),
	    cmocka_unit_test(test_silent_peer_dead),
	    cmocka_unit_test(test_quick_mode_postpones),
	    cmocka_unit_test(test_wrong_sequence_ignored),
	    cmocka_unit_test(test_late_ack_counts),
	    cmocka_unit_test(test_no_vid_no_probe_but_answer),
	    cmocka_unit_test(test_phase1_reports),
	    cmocka_unit_test(test_reconfigure),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
