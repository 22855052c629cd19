/* Admin protocol framing and records: round trips, version check, truncations. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "admin/proto.h"

static void
test_hdr(void **state)
{
	struct admin_hdr h = {ADMIN_VERSION, ADMIN_SA_DUMP, 0, 1234, 77}, g;
	uint8_t b[ADMIN_HDR_LEN];

	admin_hdr_encode(b, &h);
	assert_int_equal(admin_hdr_decode(b, &g), 0);
	assert_int_equal(g.type, ADMIN_SA_DUMP);
	assert_int_equal(g.len, 1234);
	assert_int_equal(g.seq, 77);
	b[0] = ADMIN_VERSION + 1;
	assert_int_equal(admin_hdr_decode(b, &g), -EPROTONOSUPPORT);
}

static void
test_string(void **state)
{
	uint8_t buf[64];
	struct wr w = wr_init(buf, sizeof(buf));
	char out[8];
	struct rd r;

	admin_string_encode(&w, "coati");
	assert_true(wr_ok(&w));
	r = rd_init(buf, w.len);
	assert_int_equal(admin_string_decode(&r, out, sizeof(out)), 0);
	assert_string_equal(out, "coati");
	assert_true(rd_end(&r));
	/* too long for the caller's buffer: refused, nothing consumed */
	r = rd_init(buf, w.len);
	assert_int_equal(admin_string_decode(&r, out, 5), -EBADMSG);
	assert_int_equal(rd_left(&r), w.len);
	for (size_t len = 0; len < w.len; len++) {
		r = rd_init(buf, len);
		assert_int_equal(admin_string_decode(&r, out, sizeof(out)), -EBADMSG);
		assert_int_equal(rd_left(&r), len);
	}
}

static void
fill_sa_info(struct admin_sa_info *i)
{
	memset(i, 0, sizeof(*i));
	addr_parse("192.0.2.1", &i->sa.src);
	addr_parse("192.0.2.2", &i->sa.dst);
	i->sa.proto = IPSEC_PROTO_ESP;
	i->sa.mode = IPSEC_MODE_TUNNEL;
	i->sa.spi = 0x1001;
	i->sa.replay = 64;
	i->sa.enc = IPSEC_ENC_AES_GCM16;
	i->sa.enc_key.len = 20;
	memset(i->sa.enc_key.bytes, 0x5a, 20);
	i->sa.hard.add_seconds = 3600;
	i->ctr.packets = 10;
	i->ctr.auth_fail = 2;
	i->seq_out = 99;
	i->state = 1;
	i->age = 5;
	i->idle = UINT64_MAX;
	i->id = 3;
}

static void
test_sa_info(void **state)
{
	struct admin_sa_info a, b;
	uint8_t buf[1024];
	struct wr w = wr_init(buf, sizeof(buf));
	struct rd r;

	fill_sa_info(&a);
	admin_sa_info_encode(&w, &a);
	assert_true(wr_ok(&w));
	r = rd_init(buf, w.len);
	assert_int_equal(admin_sa_info_decode(&r, &b), 0);
	assert_true(rd_end(&r));
	assert_true(addr_eq(&a.sa.dst, &b.sa.dst));
	assert_int_equal(b.sa.spi, 0x1001);
	assert_memory_equal(b.sa.enc_key.bytes, a.sa.enc_key.bytes, 20);
	assert_true(b.ctr.auth_fail == 2 && b.seq_out == 99 && b.idle == UINT64_MAX);
	for (size_t len = 0; len < w.len; len++) {
		r = rd_init(buf, len);
		assert_int_equal(admin_sa_info_decode(&r, &b), -EBADMSG);
		assert_int_equal(rd_left(&r), len);
	}
}

static void
test_spd_info(void **state)
{
	struct admin_spd_info a, b;
	uint8_t buf[1024];
	struct wr w = wr_init(buf, sizeof(buf));
	struct rd r;

	memset(&a, 0, sizeof(a));
	prefix_parse("10.2.0.0/24", &a.pol.sel.src);
	prefix_parse("10.1.0.0/24", &a.pol.sel.dst);
	a.pol.sel.proto = IPSEC_ULP_ANY;
	a.pol.dir = IPSEC_DIR_OUT;
	a.pol.action = IPSEC_ACTION_IPSEC;
	a.pol.nreq = 1;
	a.pol.req[0].proto = IPSEC_PROTO_ESP;
	a.pol.req[0].mode = IPSEC_MODE_TUNNEL;
	a.pol.req[0].level = IPSEC_LEVEL_REQUIRE;
	addr_parse("192.0.2.1", &a.pol.req[0].src);
	addr_parse("192.0.2.2", &a.pol.req[0].dst);
	a.id = 7;
	a.hits = 1000;
	admin_spd_info_encode(&w, &a);
	assert_true(wr_ok(&w));
	r = rd_init(buf, w.len);
	assert_int_equal(admin_spd_info_decode(&r, &b), 0);
	assert_true(rd_end(&r));
	assert_int_equal(b.pol.sel.dst.len, 24);
	assert_true(addr_eq(&b.pol.req[0].dst, &a.pol.req[0].dst));
	assert_true(b.hits == 1000 && b.id == 7);
	for (size_t len = 0; len < w.len; len++) {
		r = rd_init(buf, len);
		assert_int_equal(admin_spd_info_decode(&r, &b), -EBADMSG);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hdr),
		cmocka_unit_test(test_string),
		cmocka_unit_test(test_sa_info),
		cmocka_unit_test(test_spd_info),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
