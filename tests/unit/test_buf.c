/* The bounds-checked reader and writer: failure consumes nothing, overflow is sticky. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "lib/buf.h"

static const uint8_t msg[] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
			      0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f};

static void
test_reads(void **state)
{
	struct rd r = rd_init(msg, sizeof(msg));
	uint8_t u8;
	uint16_t u16;
	uint32_t u32;
	uint64_t u64;

	assert_true(rd_u8(&r, &u8));
	assert_int_equal(u8, 0x01);
	assert_true(rd_be16(&r, &u16));
	assert_int_equal(u16, 0x0203);
	assert_true(rd_be32(&r, &u32));
	assert_int_equal(u32, 0x04050607);
	assert_true(rd_be64(&r, &u64));
	assert_true(u64 == 0x08090a0b0c0d0e0fULL);
	assert_true(rd_end(&r));
	assert_false(rd_u8(&r, &u8));
}

/* Every read at every truncation either succeeds whole or leaves reader and output alone. */
static void
test_truncation(void **state)
{
	for (size_t len = 0; len < 8; len++) {
		struct rd r = rd_init(msg, len);
		uint64_t u64 = 42;
		uint32_t u32 = 42;
		uint16_t u16 = 42;
		struct rd child = {NULL, 99};

		assert_false(rd_be64(&r, &u64));
		assert_true(u64 == 42);
		if (len < 4) {
			assert_false(rd_be32(&r, &u32));
			assert_int_equal(u32, 42);
		}
		if (len < 2) {
			assert_false(rd_be16(&r, &u16));
			assert_int_equal(u16, 42);
		}
		assert_false(rd_sub(&r, len + 1, &child));
		assert_null(child.p);
		assert_int_equal(child.len, 99);
		assert_false(rd_skip(&r, len + 1));
		assert_int_equal(rd_left(&r), len);
		assert_ptr_equal(r.p, msg);
	}
}

static void
test_sub_and_peek(void **state)
{
	struct rd r = rd_init(msg, sizeof(msg)), child;
	uint8_t b;
	uint32_t v;

	assert_true(rd_sub(&r, 4, &child));
	assert_int_equal(rd_left(&child), 4);
	assert_int_equal(rd_left(&r), sizeof(msg) - 4);
	assert_true(rd_peek_u8(&child, 3, &b));
	assert_int_equal(b, 0x04);
	assert_false(rd_peek_u8(&child, 4, &b));
	assert_true(rd_peek_be32(&child, 0, &v));
	assert_int_equal(v, 0x01020304);
	assert_false(rd_peek_be32(&child, 1, &v));
	assert_false(rd_peek_be32(&child, SIZE_MAX, &v));
	assert_true(rd_skip(&child, 4));
	assert_true(rd_end(&child));
}

static void
test_writer(void **state)
{
	uint8_t buf[8];
	struct wr w = wr_init(buf, sizeof(buf));
	size_t at;

	wr_u8(&w, 0xaa);
	at = wr_reserve_be16(&w);
	wr_be32(&w, 0x01020304);
	wr_patch_be16(&w, at, 0xbeef);
	assert_true(wr_ok(&w));
	assert_int_equal(w.len, 7);
	assert_int_equal(buf[1], 0xbe);
	assert_int_equal(buf[2], 0xef);
	wr_patch_u8(&w, 0, 0x55);
	assert_int_equal(buf[0], 0x55);
	wr_patch_u8(&w, 7, 0x66); /* beyond what was written: ignored */
	assert_int_equal(w.len, 7);
	wr_be16(&w, 1); /* one byte short: overflow, nothing written */
	assert_false(wr_ok(&w));
	assert_int_equal(w.len, 7);
	wr_u8(&w, 1); /* sticky even though it would fit */
	assert_false(wr_ok(&w));
	assert_int_equal(w.len, 7);
	assert_int_equal(wr_reserve(&w, 0), SIZE_MAX);
	w = wr_init(buf, sizeof(buf));
	wr_u8(&w, 1);
	wr_fail(&w);
	assert_false(wr_ok(&w));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reads),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_sub_and_peek),
		cmocka_unit_test(test_writer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
