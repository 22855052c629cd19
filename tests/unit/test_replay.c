/*
 * Anti-replay window and ESN inference (RFC 4303 3.4.3, Appendix A),
 * written as numbered rows in the manner of WireGuard's selftest/counter.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "dataplane/replay.h"

struct row {
	uint64_t seq;
	bool expect;
};

#define T(s, e) {(s), (e)}

/* replay_check must not change anything; then update the window as the data plane does. */
static bool
step(struct replay *r, uint64_t seq)
{
	struct replay before = *r;
	bool ok = replay_check(r, seq);

	assert_memory_equal(&before, r, sizeof(before));
	assert_int_equal(replay_check(r, seq), ok);
	if (ok)
		replay_update(r, seq);
	return ok;
}

static void
run_rows(uint32_t window, const struct row *rows, size_t n)
{
	struct replay r;

	replay_init(&r, window);
	for (size_t i = 0; i < n; i++) {
		bool got = step(&r, rows[i].seq);

		if (got != rows[i].expect)
			fail_msg("window %u row %zu: seq %llu: got %d, want %d", window, i + 1,
				 (unsigned long long)rows[i].seq, got, rows[i].expect);
	}
}

static void
test_window_64(void **state)
{
	static const struct row rows[] = {
		T(0, false),        /*  1: zero is never sent */
		T(1, true),         /*  2 */
		T(1, false),        /*  3: duplicate */
		T(9, true),         /*  4 */
		T(8, true),         /*  5: reordered, inside */
		T(7, true),         /*  6 */
		T(7, false),        /*  7 */
		T(64, true),        /*  8: window is now 1..64 */
		T(2, true),         /*  9: oldest-but-one slot, unseen */
		T(1, false),        /* 10: seen */
		T(65, true),        /* 11: window 2..65 */
		T(1, false),        /* 12: too old */
		T(2, false),        /* 13: seen */
		T(3, true),         /* 14: bottom edge */
		T(3, false),        /* 15 */
		T(200, true),       /* 16: jump */
		T(137, true),       /* 17: bottom edge of 137..200 */
		T(136, false),      /* 18: just below */
		T(200, false),      /* 19 */
		T(199, true),       /* 20 */
		T(100000, true),    /* 21: big jump clears everything */
		T(99937, true),     /* 22 */
		T(99936, false),    /* 23 */
		T(99999, true),     /* 24 */
		T(99999, false),    /* 25 */
		T(100001, true),    /* 26 */
		T(99938, true),     /* 27: 100001 - 63 */
		T(99937, false),    /* 28: seen and now out */
	};

	(void)state;
	run_rows(64, rows, sizeof(rows) / sizeof(rows[0]));
}

static void
test_window_32(void **state)
{
	static const struct row rows[] = {
		T(32, true),  /*  1: first packet may skip ahead */
		T(1, true),   /*  2: bottom of 1..32 */
		T(1, false),  /*  3 */
		T(33, true),  /*  4 */
		T(1, false),  /*  5: out */
		T(2, true),   /*  6: bottom of 2..33 */
		T(64, true),  /*  7: 33..64 */
		T(33, false), /*  8: seen */
		T(32, false), /*  9: out */
		T(34, true),  /* 10 */
		T(65, true),  /* 11: 34..65 */
		T(34, false), /* 12 */
		T(35, true),  /* 13 */
	};

	(void)state;
	run_rows(32, rows, sizeof(rows) / sizeof(rows[0]));
}

static void
test_window_zero(void **state)
{
	static const struct row rows[] = {
		T(1, true), T(1, true), T(0, true), T(100, true), T(2, true), T(100, true),
	};

	(void)state;
	run_rows(0, rows, sizeof(rows) / sizeof(rows[0]));
}

/* Every slot of a full window, twice, then the edges (windows 32, 128, 4096). */
static void
check_full_window(uint32_t w)
{
	struct replay r;
	uint64_t top = 10 * (uint64_t)w + 7;

	replay_init(&r, w);
	assert_true(step(&r, top));
	for (uint64_t s = top - w + 1; s < top; s++)
		assert_true(step(&r, s));
	for (uint64_t s = top - w + 1; s <= top; s++)
		assert_false(step(&r, s));
	assert_false(step(&r, top - w));
	/* slide by one: exactly one new slot opens at the top, one drops at the bottom */
	assert_true(step(&r, top + 1));
	assert_false(step(&r, top - w + 1));
	assert_false(step(&r, top - w + 2));
	/* a jump of exactly the window forgets everything below the new bottom */
	assert_true(step(&r, top + 1 + w));
	assert_true(step(&r, top + 2));
	assert_false(step(&r, top + 1));
}

static void
test_full_windows(void **state)
{
	(void)state;
	check_full_window(32);
	check_full_window(64);
	check_full_window(128);
	check_full_window(1000);
	check_full_window(4096);
}

/* Pseudo-random traffic against a plain model of the window. */
#define MODEL_MAX 60000

static void
check_model(uint32_t w)
{
	static bool seen[MODEL_MAX];
	uint64_t top = 0, x = 12345;
	struct replay r;

	memset(seen, 0, sizeof(seen));
	replay_init(&r, w);
	for (int i = 0; i < 20000; i++) {
		uint64_t seq;
		bool want;

		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		/* mostly forward, with reordering and duplicates reaching past the window */
		seq = top + (x >> 33) % 8;
		if ((x >> 20) % 3 == 0)
			seq = top > (x >> 40) % (2 * (uint64_t)w + 2) ?
				      top - (x >> 40) % (2 * (uint64_t)w + 2) : 0;
		if (seq >= MODEL_MAX)
			break;
		want = seq != 0 && (seq > top || (top - seq < w && !seen[seq]));
		if (step(&r, seq) != want)
			fail_msg("window %u step %d seq %llu: want %d", w, i,
				 (unsigned long long)seq, want);
		if (want) {
			seen[seq] = true;
			if (seq > top)
				top = seq;
		}
	}
}

static void
test_model(void **state)
{
	(void)state;
	check_model(32);
	check_model(64);
	check_model(100);
	check_model(128);
	check_model(4096);
}

struct infer_row {
	uint64_t top;
	uint32_t window;
	uint32_t seq_lo;
	uint64_t expect;
};

static void
test_esn_infer(void **state)
{
	static const struct infer_row rows[] = {
		/* 1-3: case B (window spans two subspaces): top 2^32 + 5 */
		{0x100000005, 64, 3, 0x100000003},
		{0x100000005, 64, 0xfffffff0, 0x0fffffff0},
		{0x100000005, 64, 100, 0x100000064},
		/* 4-6: case A: top in the middle of subspace 1 */
		{0x180000000, 64, 0x7fffffc1, 0x17fffffc1},
		{0x180000000, 64, 0x7fffffc0, 0x27fffffc0},
		{0x180000000, 64, 0x90000000, 0x190000000},
		/* 7-8: nothing received yet: there is no subspace below 0 */
		{0, 64, 1, 1},
		{0, 64, 0xffffffff, 0xffffffff},
		/* 9-10: just before the wrap */
		{0xfffffff0, 64, 5, 0x100000005},
		{0xfffffff0, 64, 0xffffffb1, 0xffffffb1},
		/* 11: a 4096 window */
		{0x200000010, 4096, 0xfffff020, 0x1fffff020},
	};
	struct replay r;

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		replay_init(&r, rows[i].window);
		r.top = rows[i].top;
		if (replay_infer(&r, rows[i].seq_lo, true) != rows[i].expect)
			fail_msg("infer row %zu", i + 1);
		assert_int_equal(replay_infer(&r, rows[i].seq_lo, false), rows[i].seq_lo);
	}
}

/* ESN acceptance across 2^32, low halves as they arrive on the wire. */
static void
test_esn_wrap(void **state)
{
	static const struct {
		uint32_t lo;
		uint64_t full;
		bool ok;
	} rows[] = {
		{0xfffffffe, 0xfffffffe, true},   /* 1 */
		{0xffffffff, 0xffffffff, true},   /* 2 */
		{0, 0x100000000, true},           /* 3: low half 0 is fine with ESN */
		{1, 0x100000001, true},           /* 4 */
		{0xfffffffd, 0xfffffffd, true},   /* 5: late, still inside */
		{0xffffffff, 0xffffffff, false},  /* 6: replay from the old subspace */
		{0, 0x100000000, false},          /* 7 */
		{0xffffffbe, 0x1ffffffbe, true},  /* 8: below the bottom: ahead, same subspace */
	};
	struct replay r;

	(void)state;
	replay_init(&r, 64);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		uint64_t full = replay_infer(&r, rows[i].lo, true);

		if (full != rows[i].full || step(&r, full) != rows[i].ok)
			fail_msg("esn row %zu", i + 1);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_window_64),
		cmocka_unit_test(test_window_32),
		cmocka_unit_test(test_window_zero),
		cmocka_unit_test(test_full_windows),
		cmocka_unit_test(test_model),
		cmocka_unit_test(test_esn_infer),
		cmocka_unit_test(test_esn_wrap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
