/* Unit tests for the IPsec codec: round trips, truncations, invalid values, mutations. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ipsec/codec.h"

static struct addr
A(const char *s) {
	struct addr a;

	assert_int_equal(addr_parse(s, &a), 0);
	return a;
}

static struct ipsec_sa
sample_sa(void)
{
	struct ipsec_sa sa;

	memset(&sa, 0, sizeof(sa));
	sa.src = A("2001:db8::1");
	sa.dst = A("2001:db8::2");
	sa.proto = IPSEC_PROTO_ESP;
	sa.mode = IPSEC_MODE_TUNNEL;
	sa.spi = 0xdeadbeef;
	sa.reqid = 0x01020304;
	sa.replay = 1024;
	sa.esn = true;
	sa.enc = IPSEC_ENC_AES_CBC;
	sa.auth = IPSEC_AUTH_HMAC_SHA512_256;
	sa.enc_key.len = 32;
	memset(sa.enc_key.bytes, 0xa5, 32);
	sa.auth_key.len = 64;
	memset(sa.auth_key.bytes, 0x5a, 64);
	sa.encap_sport = 4500;
	sa.encap_dport = 4501;
	sa.soft = (struct ipsec_lifetime){1, 2, 3};
	sa.hard = (struct ipsec_lifetime){UINT64_MAX, 5, 6};
	sa.origin = IPSEC_ORIGIN_IKE;
	return sa;
}

static struct ipsec_policy
sample_policy(void)
{
	struct ipsec_policy p;

	memset(&p, 0, sizeof(p));
	assert_int_equal(prefix_parse("10.0.0.0/8", &p.sel.src), 0);
	assert_int_equal(prefix_parse("192.0.2.0/24", &p.sel.dst), 0);
	p.sel.proto = 6;
	p.sel.sport = 1234;
	p.sel.dport = 443;
	p.dir = IPSEC_DIR_FWD;
	p.action = IPSEC_ACTION_IPSEC;
	p.priority = 0x80000001;
	p.nreq = 2;
	p.req[0] = (struct ipsec_request){
	    IPSEC_PROTO_IPCOMP, IPSEC_MODE_TRANSPORT, IPSEC_LEVEL_USE, 0, {0}, {0}};
	p.req[1] =
	    (struct ipsec_request){IPSEC_PROTO_ESP,   IPSEC_MODE_TUNNEL, IPSEC_LEVEL_UNIQUE, 77,
	                           A("198.51.100.1"), A("198.51.100.2")};
	p.origin = IPSEC_ORIGIN_MANUAL;
	return p;
}

/* Encode/decode through a type-erased interface so every test covers all four types. */
enum kind { K_SA, K_POLICY, K_SELECTOR, K_COUNTERS, K_ADDR, K__COUNT };

union obj {
	struct ipsec_sa sa;
	struct ipsec_policy pol;
	struct ipsec_selector sel;
	struct ipsec_counters ctr;
	struct addr addr;
};

static void
encode(enum kind k, struct wr *w, const union obj *o)
{
	switch (k) {
	case K_SA:
		ipsec_sa_encode(w, &o->sa);
		break;
	case K_POLICY:
		ipsec_policy_encode(w, &o->pol);
		break;
	case K_SELECTOR:
		ipsec_selector_encode(w, &o->sel);
		break;
	case K_COUNTERS:
		ipsec_counters_encode(w, &o->ctr);
		break;
	default:
		addr_encode(w, &o->addr);
		break;
	}
}

static int
decode(enum kind k, struct rd *r, union obj *o)
{
	switch (k) {
	case K_SA:
		return ipsec_sa_decode(r, &o->sa);
	case K_POLICY:
		return ipsec_policy_decode(r, &o->pol);
	case K_SELECTOR:
		return ipsec_selector_decode(r, &o->sel);
	case K_COUNTERS:
		return ipsec_counters_decode(r, &o->ctr);
	default:
		return addr_decode(r, &o->addr);
	}
}

static union obj
sample(enum kind k)
{
	union obj o;

	memset(&o, 0, sizeof(o));
	switch (k) {
	case K_SA:
		o.sa = sample_sa();
		break;
	case K_POLICY:
		o.pol = sample_policy();
		break;
	case K_SELECTOR:
		o.sel = sample_policy().sel;
		break;
	case K_COUNTERS:
		o.ctr = (struct ipsec_counters){1, 2, 3, 4, 5, 6, UINT64_MAX};
		break;
	default:
		o.addr = A("203.0.113.9");
		break;
	}
	return o;
}

static size_t
encode_sample(enum kind k, uint8_t *buf, size_t cap)
{
	union obj o = sample(k);
	struct wr w = wr_init(buf, cap);

	encode(k, &w, &o);
	assert_true(wr_ok(&w));
	return w.len;
}

static void
test_round_trip(void **state)
{
	(void)state;
	for (int k = 0; k < K__COUNT; k++) {
		uint8_t a[512], b[512];
		size_t n = encode_sample(k, a, sizeof(a));
		union obj o;
		struct rd r = rd_init(a, n);
		struct wr w = wr_init(b, sizeof(b));

		memset(&o, 0, sizeof(o));
		assert_int_equal(decode(k, &r, &o), 0);
		assert_true(rd_end(&r));
		encode(k, &w, &o);
		assert_true(wr_ok(&w));
		assert_int_equal(w.len, n);
		assert_memory_equal(a, b, n);
	}
}

/* Field-level equality for the two big ones, beyond the re-encoding. */
static void
test_fields(void **state)
{
	struct ipsec_sa sa = sample_sa(), got;
	struct ipsec_policy p = sample_policy(), gp;
	uint8_t buf[512];
	struct wr w = wr_init(buf, sizeof(buf));
	struct rd r;

	(void)state;
	ipsec_sa_encode(&w, &sa);
	ipsec_policy_encode(&w, &p);
	assert_true(wr_ok(&w));
	r = rd_init(buf, w.len);
	assert_int_equal(ipsec_sa_decode(&r, &got), 0);
	assert_int_equal(ipsec_policy_decode(&r, &gp), 0);
	assert_true(rd_end(&r));
	assert_true(addr_eq(&got.src, &sa.src));
	assert_true(addr_eq(&got.dst, &sa.dst));
	assert_int_equal(got.spi, sa.spi);
	assert_int_equal(got.reqid, sa.reqid);
	assert_true(got.esn);
	assert_int_equal(got.auth_key.len, 64);
	assert_memory_equal(got.auth_key.bytes, sa.auth_key.bytes, 64);
	assert_memory_equal(got.enc_key.bytes, sa.enc_key.bytes, 32);
	assert_int_equal(got.hard.bytes, UINT64_MAX);
	assert_int_equal(got.soft.use_seconds, 3);
	assert_int_equal(got.encap_dport, 4501);
	assert_int_equal(got.origin, IPSEC_ORIGIN_IKE);
	assert_int_equal(gp.nreq, 2);
	assert_int_equal(gp.priority, 0x80000001);
	assert_int_equal(gp.req[1].reqid, 77);
	assert_true(addr_eq(&gp.req[1].dst, &p.req[1].dst));
	assert_int_equal(gp.req[0].src.family, 0);
	assert_int_equal(gp.sel.dst.len, 24);
	assert_int_equal(gp.sel.dport, 443);
}

static void
test_truncations(void **state)
{
	(void)state;
	for (int k = 0; k < K__COUNT; k++) {
		uint8_t a[512];
		size_t n = encode_sample(k, a, sizeof(a));

		for (size_t len = 0; len < n; len++) {
			union obj o, before;
			struct rd r = rd_init(a, len);

			memset(&o, 0x77, sizeof(o));
			before = o;
			assert_int_equal(decode(k, &r, &o), -EBADMSG);
			assert_int_equal(rd_left(&r), len);
			assert_ptr_equal(r.p, a);
			assert_memory_equal(&o, &before, sizeof(o));
		}
	}
}

/* The writer reports running out of room instead of emitting a partial object. */
static void
test_short_writer(void **state)
{
	(void)state;
	for (int k = 0; k < K__COUNT; k++) {
		uint8_t a[512], b[512];
		size_t n = encode_sample(k, a, sizeof(a));
		union obj o = sample(k);
		struct wr w = wr_init(b, n - 1);

		encode(k, &w, &o);
		assert_false(wr_ok(&w));
	}
}

/* Replace the byte at off with v and expect a rejection with nothing consumed. */
static void
expect_bad(enum kind k, size_t off, uint8_t v)
{
	uint8_t a[512];
	size_t n = encode_sample(k, a, sizeof(a));
	union obj o;
	struct rd r;

	assert_true(off < n);
	a[off] = v;
	r = rd_init(a, n);
	assert_int_equal(decode(k, &r, &o), -EBADMSG);
	assert_int_equal(rd_left(&r), n);
}

static void
test_invalid_values(void **state)
{
	/* SA layout: src fam @0, 16 bytes, dst fam @17, 16 bytes, proto @34, mode @35,
	 * spi @36, reqid @40, replay @44, esn @46, enc @47, auth @48, comp @49,
	 * enc key len @50 (+32), auth key len @83 (+64), ports @148, lifetimes @152,
	 * origin @200. */
	(void)state;
	expect_bad(K_SA, 0, 5);
	expect_bad(K_SA, 0, 2); /* AF_INET's value is not a wire family */
	expect_bad(K_SA, 17, 10);
	expect_bad(K_SA, 34, 17);
	expect_bad(K_SA, 34, 0);
	expect_bad(K_SA, 35, 3);
	expect_bad(K_SA, 46, 2);
	expect_bad(K_SA, 47, IPSEC_ENC__COUNT);
	expect_bad(K_SA, 48, IPSEC_AUTH__COUNT);
	expect_bad(K_SA, 49, 1);
	expect_bad(K_SA, 50, IPSEC_KEY_MAX + 1);
	expect_bad(K_SA, 83, 255);
	expect_bad(K_SA, 200, 2);
	/* Policy layout: src fam @0 +4, len @5, dst fam @6 +4, len @11, proto @12,
	 * ports @13, dir @17, action @18, priority @19, nreq @23, req0 @24 (proto,
	 * mode, level, reqid, fam 0, fam 0 = 9 bytes), req1 @33. */
	expect_bad(K_POLICY, 5, 33);
	expect_bad(K_POLICY, 11, 255);
	expect_bad(K_POLICY, 17, IPSEC_DIR__COUNT);
	expect_bad(K_POLICY, 18, 3);
	expect_bad(K_POLICY, 23, IPSEC_BUNDLE_MAX + 1);
	expect_bad(K_POLICY, 24, 17);
	expect_bad(K_POLICY, 25, 3);
	expect_bad(K_POLICY, 26, 4);
	expect_bad(K_POLICY, 31, 1);
	expect_bad(K_SELECTOR, 0, 6); /* IPv6 family with IPv4's bytes: length mismatch */
	expect_bad(K_ADDR, 0, 1);
}

/* Every single-byte change must decode or fail cleanly; ASan checks the memory side. */
static void
test_mutation_sweep(void **state)
{
	static const uint8_t vals[] = {0x00, 0x01, 0x04, 0x06, 0x21, 0x80, 0xff};

	(void)state;
	for (int k = 0; k < K__COUNT; k++) {
		uint8_t a[512], m[512];
		size_t n = encode_sample(k, a, sizeof(a));

		for (size_t off = 0; off < n; off++) {
			/* Each special value, then each single-bit flip. */
			for (size_t v = 0; v < sizeof(vals) + 8; v++) {
				size_t bit = v - sizeof(vals);
				union obj o;
				struct rd r;
				int rc;

				memcpy(m, a, n);
				if (v < sizeof(vals))
					m[off] = vals[v];
				else
					m[off] ^= (uint8_t)(1u << bit);
				r = rd_init(m, n);
				rc = decode(k, &r, &o);
				assert_true(rc == 0 || rc == -EBADMSG);
				if (rc == -EBADMSG)
					assert_int_equal(rd_left(&r), n);
				else
					assert_true(rd_left(&r) <= n);
			}
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_round_trip),     cmocka_unit_test(test_fields),
	    cmocka_unit_test(test_truncations),    cmocka_unit_test(test_short_writer),
	    cmocka_unit_test(test_invalid_values), cmocka_unit_test(test_mutation_sweep),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
