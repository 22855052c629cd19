/*
 * IKEv1 fragmentation (ike/v1/frag.h): the fragment datagram codec, reassembly with its
 * limits, and two engines negotiating Main and Aggressive Mode with ike_frag force and a
 * fragment size so small that every message travels in fragments.
 */

#include "ikev1_test_net.h"

#include "ike/v1/frag.h"

#define NP_AT 16 /* next payload octet in the ISAKMP header */

static const struct ikev1_hdr hdr0 = {
    .cookie_i = {1, 2, 3, 4, 5, 6, 7, 8},
    .cookie_r = {9, 10, 11, 12, 13, 14, 15, 16},
    .version = IKEV1_VERSION,
    .exchange = IKEV1_EXCH_MAIN,
};

static struct ikev1_peer
peer_x(const char *a, uint16_t port)
{
	struct ikev1_peer p = {.lport = 500, .rport = port};

	assert_int_equal(addr_parse("192.0.2.1", &p.local), 0);
	assert_int_equal(addr_parse(a, &p.remote), 0);
	return p;
}

static size_t
frag_of(uint8_t num, bool last, const void *data, size_t n, uint8_t *out, size_t cap)
{
	int len = ikev1_frag_dgram_build(&hdr0, IKEV1_FRAG_ID, num, last, data, n, out, cap);

	assert_true(len > 0);
	return (size_t)len;
}

static void
test_codec_round_trip(void **state)
{
	static const uint8_t data[] = "the middle of some ISAKMP message";
	uint8_t buf[256];
	struct ikev1_hdr h;
	struct ikev1_frag f;
	size_t len = frag_of(3, true, data, sizeof(data), buf, sizeof(buf));

	(void)state;
	assert_int_equal(len, IKEV1_HDR_LEN + IKEV1_FRAG_HDR_LEN + sizeof(data));
	assert_int_equal(buf[NP_AT], IKEV1_PL_FRAG);
	/* generic header: no next payload, length covering the fragment header and data */
	assert_int_equal(buf[28], 0);
	assert_int_equal((buf[30] << 8) | buf[31], IKEV1_FRAG_HDR_LEN + sizeof(data));
	assert_int_equal((buf[32] << 8) | buf[33], IKEV1_FRAG_ID);
	assert_int_equal(buf[34], 3);
	assert_int_equal(buf[35], IKEV1_FRAG_LAST);
	assert_int_equal(ikev1_frag_dgram_parse(buf, len, &h, &f), 0);
	assert_memory_equal(h.cookie_i, hdr0.cookie_i, 8);
	assert_memory_equal(h.cookie_r, hdr0.cookie_r, 8);
	assert_int_equal(h.exchange, IKEV1_EXCH_MAIN);
	assert_int_equal(f.id, IKEV1_FRAG_ID);
	assert_int_equal(f.number, 3);
	assert_int_equal(f.flags, IKEV1_FRAG_LAST);
	assert_int_equal(rd_left(&f.data), sizeof(data));
	assert_memory_equal(f.data.p, data, sizeof(data));
	/* truncated, number 0, empty data, trailing bytes: refused */
	assert_int_equal(ikev1_frag_dgram_parse(buf, len - 1, &h, &f), -EBADMSG);
	buf[34] = 0;
	assert_int_equal(ikev1_frag_dgram_parse(buf, len, &h, &f), -EBADMSG);
	len = frag_of(1, false, data, 0, buf, sizeof(buf));
	assert_int_equal(ikev1_frag_dgram_parse(buf, len, &h, &f), -EBADMSG);
	/* too small an output buffer */
	assert_int_equal(ikev1_frag_dgram_build(&hdr0, 1, 1, true, data, sizeof(data), buf, 40),
	                 -ENOSPC);
}

/* Split msg into n fragments (the last may be shorter) into dg[] / dl[]. */
static void
split(const uint8_t *msg, size_t len, size_t n, uint8_t dg[][512], size_t *dl)
{
	size_t per = (len + n - 1) / n, at = 0;

	for (size_t i = 0; i < n; i++) {
		size_t k = len - at < per ? len - at : per;

		dl[i] = frag_of((uint8_t)(i + 1), i + 1 == n, msg + at, k, dg[i], 512);
		at += k;
	}
}

static void
fill(uint8_t *msg, size_t len)
{
	for (size_t i = 0; i < len; i++)
		msg[i] = (uint8_t)(i * 7 + 1);
}

static void
test_reasm_orders(void **state)
{
	static const size_t orders[][4] = {{0, 1, 2, 3}, {3, 1, 0, 2}, {2, 3, 1, 0}};
	struct ikev1_reasm_tab *t = calloc(1, sizeof(*t));
	struct ikev1_peer p = peer_x("192.0.2.2", 500);
	uint8_t msg[1000], dg[4][512], *out;
	size_t dl[4], out_len;

	(void)state;
	fill(msg, sizeof(msg));
	split(msg, sizeof(msg), 4, dg, dl);
	for (size_t o = 0; o < 3; o++) {
		for (size_t i = 0; i < 3; i++) {
			size_t k = orders[o][i];

			assert_int_equal(ikev1_reasm_add(t, &p, dg[k], dl[k], 0, &out, &out_len),
			                 0);
			/* a duplicate (a retransmission) changes nothing */
			assert_int_equal(ikev1_reasm_add(t, &p, dg[k], dl[k], 0, &out, &out_len),
			                 0);
		}
		assert_int_equal(ikev1_reasm_pending(t), 1);
		assert_int_equal(
		    ikev1_reasm_add(t, &p, dg[orders[o][3]], dl[orders[o][3]], 0, &out, &out_len),
		    1);
		assert_int_equal(out_len, sizeof(msg));
		assert_memory_equal(out, msg, sizeof(msg));
		free(out);
		assert_int_equal(ikev1_reasm_pending(t), 0);
	}
	ikev1_reasm_clear(t);
	free(t);
}

/* Fragments of different peers or cookies never mix. */
static void
test_reasm_keyed(void **state)
{
	struct ikev1_reasm_tab *t = calloc(1, sizeof(*t));
	struct ikev1_peer p = peer_x("192.0.2.2", 500), q = peer_x("192.0.2.3", 500);
	struct ikev1_peer r = peer_x("192.0.2.2", 4500);
	uint8_t msg[600], dg[2][512], *out;
	size_t dl[2], out_len;

	(void)state;
	fill(msg, sizeof(msg));
	split(msg, sizeof(msg), 2, dg, dl);
	assert_int_equal(ikev1_reasm_add(t, &p, dg[0], dl[0], 0, &out, &out_len), 0);
	assert_int_equal(ikev1_reasm_add(t, &q, dg[1], dl[1], 0, &out, &out_len), 0);
	assert_int_equal(ikev1_reasm_add(t, &r, dg[1], dl[1], 0, &out, &out_len), 0);
	dg[1][0] ^= 1; /* another initiator cookie */
	assert_int_equal(ikev1_reasm_add(t, &p, dg[1], dl[1], 0, &out, &out_len), 0);
	assert_int_equal(ikev1_reasm_pending(t), 4);
	dg[1][0] ^= 1;
	assert_int_equal(ikev1_reasm_add(t, &p, dg[1], dl[1], 0, &out, &out_len), 1);
	free(out);
	assert_int_equal(ikev1_reasm_pending(t), 3);
	ikev1_reasm_clear(t);
	assert_int_equal(ikev1_reasm_pending(t), 0);
	free(t);
}

static void
test_reasm_limits(void **state)
{
	struct ikev1_reasm_tab *t = calloc(1, sizeof(*t));
	struct ikev1_peer p = peer_x("192.0.2.2", 500);
	static uint8_t big[4200], dgb[4300];
	uint8_t dg[512], *out;
	size_t len, out_len;

	(void)state;
	/* fragment number past the count limit */
	len = frag_of(IKEV1_FRAG_MAX + 1, true, "x", 1, dg, sizeof(dg));
	assert_int_equal(ikev1_reasm_add(t, &p, dg, len, 0, &out, &out_len), -E2BIG);
	assert_int_equal(ikev1_reasm_pending(t), 0);
	/* the reassembled size past 64 KiB: 16 x 4200 bytes */
	for (uint8_t i = 1; i <= IKEV1_FRAG_MAX; i++) {
		int l = ikev1_frag_dgram_build(&hdr0, IKEV1_FRAG_ID, i, i == IKEV1_FRAG_MAX, big,
		                               sizeof(big), dgb, sizeof(dgb));

		assert_true(l > 0);
		assert_int_equal(ikev1_reasm_add(t, &p, dgb, (size_t)l, 0, &out, &out_len),
		                 i < IKEV1_FRAG_MAX ? 0 : -E2BIG);
	}
	assert_int_equal(ikev1_reasm_pending(t), 0);
	/* pending reassemblies are bounded: the oldest gives way */
	for (int i = 0; i < IKEV1_FRAG_PENDING + 4; i++) {
		char a[32];
		struct ikev1_peer pi;

		snprintf(a, sizeof(a), "192.0.2.%d", 10 + i);
		pi = peer_x(a, 500);
		len = frag_of(1, false, "y", 1, dg, sizeof(dg));
		assert_int_equal(ikev1_reasm_add(t, &pi, dg, len, (uint64_t)i, &out, &out_len), 0);
		assert_true(ikev1_reasm_pending(t) <= IKEV1_FRAG_PENDING);
	}
	assert_int_equal(ikev1_reasm_pending(t), IKEV1_FRAG_PENDING);
	/* a fragment past the count limit evicts nobody */
	len = frag_of(IKEV1_FRAG_MAX + 1, false, "x", 1, dg, sizeof(dg));
	assert_int_equal(ikev1_reasm_add(t, &p, dg, len, 100, &out, &out_len), -E2BIG);
	assert_int_equal(ikev1_reasm_pending(t), IKEV1_FRAG_PENDING);
	/* garbage is not a fragment */
	assert_int_equal(ikev1_reasm_add(t, &p, (const uint8_t *)"junk", 4, 0, &out, &out_len),
	                 -EBADMSG);
	ikev1_reasm_clear(t);
	free(t);
}

static void
test_reasm_timeout(void **state)
{
	struct ikev1_reasm_tab *t = calloc(1, sizeof(*t));
	struct ikev1_peer p = peer_x("192.0.2.2", 500);
	uint8_t msg[600], dg[2][512], *out;
	size_t dl[2], out_len;

	(void)state;
	fill(msg, sizeof(msg));
	split(msg, sizeof(msg), 2, dg, dl);
	assert_int_equal(ikev1_reasm_add(t, &p, dg[0], dl[0], 1000, &out, &out_len), 0);
	ikev1_reasm_expire(t, 1000 + IKEV1_FRAG_TIMEOUT_MS - 1);
	assert_int_equal(ikev1_reasm_pending(t), 1);
	ikev1_reasm_expire(t, 1000 + IKEV1_FRAG_TIMEOUT_MS);
	assert_int_equal(ikev1_reasm_pending(t), 0);
	/* a fragment after the timeout starts over: the expired half is gone */
	assert_int_equal(ikev1_reasm_add(t, &p, dg[0], dl[0], 1000, &out, &out_len), 0);
	assert_int_equal(
	    ikev1_reasm_add(t, &p, dg[1], dl[1], 1000 + IKEV1_FRAG_TIMEOUT_MS, &out, &out_len), 0);
	assert_int_equal(ikev1_reasm_pending(t), 1);
	assert_int_equal(
	    ikev1_reasm_add(t, &p, dg[0], dl[0], 1000 + IKEV1_FRAG_TIMEOUT_MS, &out, &out_len), 1);
	free(out);
	ikev1_reasm_clear(t);
	free(t);
}

static void
test_reasm_inconsistent(void **state)
{
	struct ikev1_reasm_tab *t = calloc(1, sizeof(*t));
	struct ikev1_peer p = peer_x("192.0.2.2", 500);
	uint8_t msg[900], dg[3][512], other[512], *out;
	size_t dl[3], len, out_len;

	(void)state;
	fill(msg, sizeof(msg));
	split(msg, sizeof(msg), 3, dg, dl);
	/* the same number with other bytes drops the reassembly */
	assert_int_equal(ikev1_reasm_add(t, &p, dg[0], dl[0], 0, &out, &out_len), 0);
	memcpy(other, dg[0], dl[0]);
	other[dl[0] - 1] ^= 0xff;
	assert_int_equal(ikev1_reasm_add(t, &p, other, dl[0], 0, &out, &out_len), -EPROTO);
	assert_int_equal(ikev1_reasm_pending(t), 0);
	/* a second LAST */
	assert_int_equal(ikev1_reasm_add(t, &p, dg[2], dl[2], 0, &out, &out_len), 0);
	len = frag_of(2, true, "z", 1, other, sizeof(other));
	assert_int_equal(ikev1_reasm_add(t, &p, other, len, 0, &out, &out_len), -EPROTO);
	assert_int_equal(ikev1_reasm_pending(t), 0);
	/* a number past LAST, and LAST below one already seen */
	assert_int_equal(ikev1_reasm_add(t, &p, dg[2], dl[2], 0, &out, &out_len), 0);
	len = frag_of(4, false, "z", 1, other, sizeof(other));
	assert_int_equal(ikev1_reasm_add(t, &p, other, len, 0, &out, &out_len), -EPROTO);
	assert_int_equal(ikev1_reasm_add(t, &p, other, len, 0, &out, &out_len), 0);
	assert_int_equal(ikev1_reasm_add(t, &p, dg[2], dl[2], 0, &out, &out_len), -EPROTO);
	assert_int_equal(ikev1_reasm_pending(t), 0);
	/* after all that, the real message still reassembles */
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(ikev1_reasm_add(t, &p, dg[i], dl[i], 0, &out, &out_len), i == 2);
	assert_memory_equal(out, msg, sizeof(msg));
	free(out);
	free(t);
}

static bool
is_frag(const struct dgram *d)
{
	return d->len > NP_AT && d->buf[NP_AT] == IKEV1_PL_FRAG;
}

/* Deliver everything; count the datagrams and those that were fragments. */
static void
run_counting(struct net *n, size_t *all, size_t *frags)
{
	*all = *frags = 0;
	for (int i = 0; i < 512 && n->nq; i++) {
		struct dgram d = net_pop(n);

		(*all)++;
		*frags += is_frag(&d);
		assert_int_equal(net_deliver(n, &d), 0);
	}
	assert_int_equal(n->nq, 0);
}

static void
run_forced(uint8_t mode, uint16_t pfs)
{
	struct net *n = net_new(mode);
	size_t all, frags;

	for (int i = 0; i < 2; i++) {
		n->s[i].cfg.frag = IKEV1_FRAG_FORCE;
		n->s[i].cfg.frag_size = 100;
		n->s[i].cfg.sainfo.pfs_group = pfs;
	}
	assert_int_equal(initiate(n, 0), 0);
	run_counting(n, &all, &frags);
	assert_children_paired(n);
	assert_true(sa_of(&n->s[0]).info.established && sa_of(&n->s[1]).info.established);
	/* 6 (MM) or 3 (AM) + 3 (QM) messages, each in more than one fragment */
	assert_true(all >= 2 * (mode == IKEV1_EXCH_MAIN ? 9u : 6u));
	assert_int_equal(frags, all);
	net_free(n);
}

static void
test_engine_main_forced(void **state)
{
	(void)state;
	run_forced(IKEV1_EXCH_MAIN, 0);
	run_forced(IKEV1_EXCH_MAIN, DH_MODP_2048);
}

static void
test_engine_aggr_forced(void **state)
{
	(void)state;
	run_forced(IKEV1_EXCH_AGGRESSIVE, 0);
}

/* "on": MM1 goes whole (the peer's support is unknown), the rest in fragments. */
static void
test_engine_on(void **state)
{
	struct net *n = net_new(IKEV1_EXCH_MAIN);
	size_t all, frags;

	(void)state;
	for (int i = 0; i < 2; i++) {
		n->s[i].cfg.frag = IKEV1_FRAG_ON;
		n->s[i].cfg.frag_size = 100;
	}
	assert_int_equal(initiate(n, 0), 0);
	assert_int_equal(n->nq, 1);
	assert_false(is_frag(&n->q[0]));
	run_counting(n, &all, &frags);
	assert_children_paired(n);
	assert_int_equal(frags, all - 1);
	net_free(n);
}

/* A peer without ike_frag gets whole messages and ignores fragments. */
static void
test_engine_peer_off(void **state)
{
	struct net *n = net_new(IKEV1_EXCH_MAIN);
	size_t all, frags;

	(void)state;
	n->s[0].cfg.frag = IKEV1_FRAG_ON;
	n->s[0].cfg.frag_size = 100;
	assert_int_equal(initiate(n, 0), 0);
	run_counting(n, &all, &frags);
	assert_children_paired(n);
	assert_int_equal(frags, 0);
	net_free(n);

	n = net_new(IKEV1_EXCH_MAIN);
	n->s[0].cfg.frag = IKEV1_FRAG_FORCE;
	n->s[0].cfg.frag_size = 100;
	assert_int_equal(initiate(n, 0), 0);
	assert_true(n->nq > 1 && is_frag(&n->q[0]));
	assert_int_equal(net_step(n, 1), -ENOENT);
	net_free(n);
}

/* The retransmission timer resends every fragment; a repeated message is answered again. */
static void
test_engine_retransmit(void **state)
{
	struct net *n = net_new(IKEV1_EXCH_MAIN);
	size_t first, again;

	(void)state;
	for (int i = 0; i < 2; i++) {
		n->s[i].cfg.frag = IKEV1_FRAG_FORCE;
		n->s[i].cfg.frag_size = 100;
	}
	assert_int_equal(initiate(n, 0), 0);
	first = n->nq;
	assert_true(first > 1);
	net_fire(n, 0);
	assert_int_equal(n->nq, 2 * first);
	for (size_t i = 0; i < first; i++) {
		assert_true(is_frag(&n->q[i]));
		assert_int_equal(n->q[i].len, n->q[first + i].len);
		assert_memory_equal(n->q[i].buf, n->q[first + i].buf, n->q[i].len);
	}
	/* B reassembles MM1 twice: the first answers it, the second resends that answer */
	for (size_t i = 0; i < first; i++)
		assert_int_equal(net_step(n, 1), 0);
	again = n->nq - first;
	assert_true(again > 1);
	for (size_t i = 0; i < first; i++)
		assert_int_equal(net_step(n, 1), 0);
	assert_int_equal(n->nq, 2 * again);
	net_free(n);
}

/* esp_frag reaches the outbound SA of a UDP-encapsulated pair, and only that one. */
static void
test_esp_frag_child(void **state)
{
	for (int natt = 0; natt < 2; natt++) {
		struct net *n = net_new(IKEV1_EXCH_MAIN);
		const struct ikev1_child *a, *b;

		n->s[0].cfg.natt = natt ? IKEV1_NATT_FORCE : IKEV1_NATT_OFF;
		n->s[0].cfg.esp_frag = 552;
		n->s[1].cfg.esp_frag = 1400;
		assert_int_equal(initiate(n, 0), 0);
		net_run(n);
		assert_children_paired(n);
		a = &n->s[0].installed[0];
		b = &n->s[1].installed[0];
		assert_int_equal(a->udp_encap, natt);
		assert_int_equal(a->out.frag_size, natt ? 552 : 0);
		assert_int_equal(b->out.frag_size, natt ? 1400 : 0);
		assert_int_equal(a->in.frag_size, 0);
		assert_int_equal(b->in.frag_size, 0);
		net_free(n);
	}
	(void)state;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_codec_round_trip),   cmocka_unit_test(test_reasm_orders),
	    cmocka_unit_test(test_reasm_keyed),        cmocka_unit_test(test_reasm_limits),
	    cmocka_unit_test(test_reasm_timeout),      cmocka_unit_test(test_reasm_inconsistent),
	    cmocka_unit_test(test_engine_main_forced), cmocka_unit_test(test_engine_aggr_forced),
	    cmocka_unit_test(test_engine_on),          cmocka_unit_test(test_engine_peer_off),
	    cmocka_unit_test(test_engine_retransmit),  cmocka_unit_test(test_esp_frag_child),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
