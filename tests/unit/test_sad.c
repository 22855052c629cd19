/* Unit tests for the SAD: lookups, validation, lifetimes and hooks. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ipsec/sad.h"

struct hook_log {
	int soft, hard, removed;
	struct sad *sad;     /* for hooks that delete */
	bool delete_in_hard; /* hard_expire deletes its own SA */
	bool delete_in_soft; /* soft_expire deletes its own SA */
};

static void
on_soft(struct sad_entry *e, void *arg)
{
	struct hook_log *h = arg;

	h->soft++;
	if (h->delete_in_soft)
		assert_int_equal(sad_delete(h->sad, &e->sa.dst, e->sa.proto, e->sa.spi), 0);
}

static void
on_hard(struct sad_entry *e, void *arg)
{
	struct hook_log *h = arg;

	h->hard++;
	/* The entry is already detached: deleting it again must miss, not double free. */
	if (h->delete_in_hard)
		assert_int_equal(sad_delete(h->sad, &e->sa.dst, e->sa.proto, e->sa.spi), -ENOENT);
}

static void
on_removed(struct sad_entry *e, void *arg)
{
	struct hook_log *h = arg;

	(void)e;
	h->removed++;
}

static struct sad *
new_sad(struct hook_log *h)
{
	struct sad_hooks hooks = {on_soft, on_hard, on_removed, h};
	struct sad *sad;

	memset(h, 0, sizeof(*h));
	sad = sad_new(&hooks);
	assert_non_null(sad);
	h->sad = sad;
	return sad;
}

static struct addr
A(const char *s) {
	struct addr a;

	assert_int_equal(addr_parse(s, &a), 0);
	return a;
}

static struct ipsec_sa
esp_sa(const char *src, const char *dst, uint32_t spi)
{
	struct ipsec_sa sa;

	memset(&sa, 0, sizeof(sa));
	sa.src = A(src);
	sa.dst = A(dst);
	sa.proto = IPSEC_PROTO_ESP;
	sa.mode = IPSEC_MODE_TUNNEL;
	sa.spi = spi;
	sa.replay = 64;
	sa.enc = IPSEC_ENC_AES_GCM16;
	sa.enc_key.len = 20;
	memset(sa.enc_key.bytes, 0x11, 20);
	return sa;
}

static void
test_add_get_delete(void **state)
{
	struct hook_log h;
	struct sad *sad = new_sad(&h);
	struct ipsec_sa sa = esp_sa("192.0.2.1", "192.0.2.2", 0x1000);
	struct sad_entry *e, *e2;
	struct addr other = A("192.0.2.9");

	(void)state;
	assert_int_equal(sad_add(sad, &sa, 10, &e), 0);
	assert_int_equal(e->state, SAD_STATE_MATURE);
	assert_int_equal(e->add_time, 10);
	assert_int_equal(sad_add(sad, &sa, 10, NULL), -EEXIST);
	/* Same SPI towards another destination is a different SA. */
	sa.dst = other;
	sa.src = A("192.0.2.1");
	assert_int_equal(sad_add(sad, &sa, 10, &e2), 0);
	assert_true(e2->id != e->id);
	assert_int_equal(sad_count(sad), 2);
	assert_ptr_equal(sad_get(sad, &e->sa.dst, IPSEC_PROTO_ESP, 0x1000), e);
	assert_ptr_equal(sad_get(sad, &other, IPSEC_PROTO_ESP, 0x1000), e2);
	assert_null(sad_get(sad, &other, IPSEC_PROTO_AH, 0x1000));
	assert_null(sad_get(sad, &other, IPSEC_PROTO_ESP, 0x1001));
	assert_ptr_equal(sad_lookup_in(sad, &other, IPSEC_PROTO_ESP, 0x1000), e2);
	assert_non_null(sad_lookup_in(sad, NULL, IPSEC_PROTO_ESP, 0x1000));
	assert_null(sad_lookup_in(sad, NULL, IPSEC_PROTO_ESP, 0x1002));
	assert_int_equal(sad_delete(sad, &other, IPSEC_PROTO_ESP, 0x1000), 0);
	assert_int_equal(h.removed, 1);
	assert_int_equal(sad_delete(sad, &other, IPSEC_PROTO_ESP, 0x1000), -ENOENT);
	assert_null(sad_lookup_in(sad, &other, IPSEC_PROTO_ESP, 0x1000));
	assert_ptr_equal(sad_lookup_in(sad, NULL, IPSEC_PROTO_ESP, 0x1000), e);
	sad_free(sad);
	assert_int_equal(h.removed, 2);
	assert_int_equal(h.soft + h.hard, 0);
}

static void
test_update(void **state)
{
	struct hook_log h;
	struct sad *sad = new_sad(&h);
	struct ipsec_sa sa = esp_sa("192.0.2.1", "192.0.2.2", 0x2000);
	struct sad_entry *e, *u;

	(void)state;
	assert_int_equal(sad_add(sad, &sa, 1, &e), 0);
	assert_true(sad_account(sad, e, 100, 2));
	sa.src = A("192.0.2.3");
	sa.replay = 128;
	assert_int_equal(sad_update(sad, &sa, &u), 0);
	assert_ptr_equal(u, e);
	assert_int_equal(e->ctr.bytes, 100);
	assert_int_equal(e->sa.replay, 128);
	/* The outbound index follows the new source. */
	assert_ptr_equal(sad_lookup_out(sad, &sa.src, &sa.dst, IPSEC_PROTO_ESP, 0, 0), e);
	sa.src = A("192.0.2.1");
	assert_null(sad_lookup_out(sad, &sa.src, &sa.dst, IPSEC_PROTO_ESP, 0, 0));
	sa.spi = 0x2001;
	assert_int_equal(sad_update(sad, &sa, NULL), -ENOENT);
	sa.spi = 0x2000;
	sa.enc_key.len = 3;
	assert_int_equal(sad_update(sad, &sa, NULL), -EINVAL);
	/* A hard byte limit lowered below what was already sent stops the SA. */
	sa.enc_key.len = 20;
	sa.hard.bytes = 50;
	assert_int_equal(sad_update(sad, &sa, NULL), 0);
	assert_false(sad_account(sad, e, 1, 3));
	assert_int_equal(e->state, SAD_STATE_DEAD);
	assert_int_equal(h.removed, 0);
	sad_free(sad);
}

static void
test_lookup_out_prefers_newest_mature(void **state)
{
	struct hook_log h;
	struct sad *sad = new_sad(&h);
	struct ipsec_sa sa = esp_sa("2001:db8::1", "2001:db8::2", 0x100);
	struct sad_entry *a, *b, *c;

	(void)state;
	assert_int_equal(sad_add(sad, &sa, 1, &a), 0);
	sa.spi = 0x101;
	assert_int_equal(sad_add(sad, &sa, 1, &b), 0);
	sa.spi = 0x102;
	sa.reqid = 7;
	assert_int_equal(sad_add(sad, &sa, 1, &c), 0);
	assert_ptr_equal(
	    sad_lookup_out(sad, &sa.src, &sa.dst, IPSEC_PROTO_ESP, IPSEC_MODE_TUNNEL, 0), c);
	assert_ptr_equal(
	    sad_lookup_out(sad, &sa.src, &sa.dst, IPSEC_PROTO_ESP, IPSEC_MODE_TUNNEL, 7), c);
	assert_null(
	    sad_lookup_out(sad, &sa.src, &sa.dst, IPSEC_PROTO_ESP, IPSEC_MODE_TRANSPORT, 0));
	assert_null(sad_lookup_out(sad, &sa.dst, &sa.src, IPSEC_PROTO_ESP, 0, 0));
	assert_null(sad_lookup_out(sad, &sa.src, &sa.dst, IPSEC_PROTO_AH, 0, 0));
	c->state = SAD_STATE_DYING;
	assert_ptr_equal(sad_lookup_out(sad, &sa.src, &sa.dst, IPSEC_PROTO_ESP, 0, 0), b);
	/* Only a DYING SA with reqid 7 remains: it is still used. */
	assert_ptr_equal(sad_lookup_out(sad, &sa.src, &sa.dst, IPSEC_PROTO_ESP, 0, 7), c);
	b->state = SAD_STATE_DYING;
	a->state = SAD_STATE_DEAD;
	assert_ptr_equal(sad_lookup_out(sad, &sa.src, &sa.dst, IPSEC_PROTO_ESP, 0, 0), c);
	assert_null(sad_lookup_in(sad, &sa.dst, IPSEC_PROTO_ESP, 0x100));
	assert_int_equal(sad_next_expiry(sad, 5), 0);
	sad_expire(sad, 5);
	assert_int_equal(h.hard, 1);
	assert_int_equal(h.removed, 1);
	assert_int_equal(sad_count(sad), 2);
	sad_free(sad);
}

static void
test_delete_all_and_flush(void **state)
{
	struct hook_log h;
	struct sad *sad = new_sad(&h);
	struct ipsec_sa sa = esp_sa("10.0.0.1", "10.0.0.2", 1);
	struct addr s1 = A("10.0.0.1"), d1 = A("10.0.0.2");

	(void)state;
	for (uint32_t i = 1; i <= 100; i++) {
		sa.spi = i;
		sa.src = i % 2 ? s1 : A("10.0.0.3");
		assert_int_equal(sad_add(sad, &sa, 1, NULL), 0);
	}
	sa.proto = IPSEC_PROTO_AH;
	sa.enc = IPSEC_ENC_NONE;
	sa.enc_key.len = 0;
	sa.auth = IPSEC_AUTH_HMAC_SHA256_128;
	sa.auth_key.len = 32;
	sa.src = s1;
	for (uint32_t i = 1; i <= 10; i++) {
		sa.spi = i;
		assert_int_equal(sad_add(sad, &sa, 1, NULL), 0);
	}
	assert_int_equal(sad_count(sad), 110);
	assert_int_equal(sad_delete_all(sad, &s1, &d1, IPSEC_PROTO_ESP), 50);
	assert_int_equal(sad_count(sad), 60);
	assert_int_equal(sad_delete_all(sad, &s1, &d1, IPSEC_PROTO_ESP), 0);
	assert_int_equal(sad_flush(sad, IPSEC_PROTO_AH), 10);
	assert_int_equal(sad_flush(sad, IPSEC_PROTO_ANY), 50);
	assert_int_equal(sad_count(sad), 0);
	assert_int_equal(h.removed, 110);
	sad_free(sad);
}

static void
test_invalid(void **state)
{
	struct hook_log h;
	struct sad *sad = new_sad(&h);
	struct ipsec_sa good = esp_sa("192.0.2.1", "192.0.2.2", 5), sa;

	(void)state;
#define BAD(stmt)                                                                                  \
	do {                                                                                       \
		sa = good;                                                                         \
		stmt;                                                                              \
		assert_int_equal(sad_add(sad, &sa, 1, NULL), -EINVAL);                             \
	} while (0)
	BAD(sa.spi = 0);
	BAD(sa.dst = A("2001:db8::1"));
	BAD(memset(&sa.src, 0, sizeof(sa.src)));
	BAD(sa.replay = IPSEC_REPLAY_MAX + 1);
	BAD(sa.enc_key.len = 16);
	BAD(sa.enc_key.len = IPSEC_KEY_MAX + 1);
	BAD(sa.enc = IPSEC_ENC__COUNT);
	BAD(sa.auth = IPSEC_AUTH__COUNT);
	BAD(sa.mode = 3);
	BAD(sa.proto = 17);
	BAD(sa.origin = 2);
	BAD(sa.encap_sport = 4500);
	BAD((sa.auth = IPSEC_AUTH_HMAC_SHA1_96, sa.auth_key.len = 20)); /* AEAD + HMAC */
	BAD((sa.enc = IPSEC_ENC_NONE, sa.enc_key.len = 0));             /* ESP with nothing */
	BAD((sa.enc = IPSEC_ENC_AES_CBC, sa.enc_key.len = 16, sa.auth = IPSEC_AUTH_HMAC_MD5_96,
	     sa.auth_key.len = 20));
	BAD((sa.proto = IPSEC_PROTO_AH, sa.auth = IPSEC_AUTH_HMAC_SHA1_96, sa.auth_key.len = 20));
	BAD((sa.proto = IPSEC_PROTO_AH, sa.enc = IPSEC_ENC_NONE, sa.enc_key.len = 0));
	BAD((sa.proto = IPSEC_PROTO_IPCOMP, sa.enc = IPSEC_ENC_NONE, sa.enc_key.len = 0));
	BAD((sa.proto = IPSEC_PROTO_IPCOMP, sa.enc = IPSEC_ENC_NONE, sa.enc_key.len = 0,
	     sa.comp = IPSEC_COMP_DEFLATE, sa.spi = 0x10000));
	BAD(sa.comp = IPSEC_COMP_DEFLATE);
#undef BAD
	/* The valid neighbours of the rejected ones. */
	sa = good;
	sa.proto = IPSEC_PROTO_IPCOMP;
	sa.enc = IPSEC_ENC_NONE;
	sa.enc_key.len = 0;
	sa.comp = IPSEC_COMP_DEFLATE;
	sa.spi = 0xffff;
	assert_int_equal(sad_add(sad, &sa, 1, NULL), 0);
	sa = good;
	sa.enc = IPSEC_ENC_AES_CBC;
	sa.enc_key.len = 32;
	sa.auth = IPSEC_AUTH_HMAC_SHA512_256;
	sa.auth_key.len = 64;
	sa.encap_sport = sa.encap_dport = 4500;
	sa.replay = IPSEC_REPLAY_MAX;
	assert_int_equal(sad_add(sad, &sa, 1, NULL), 0);
	assert_int_equal(sad_count(sad), 2);
	sad_free(sad);
}

static void
test_byte_lifetimes(void **state)
{
	struct hook_log h;
	struct sad *sad = new_sad(&h);
	struct ipsec_sa sa = esp_sa("192.0.2.1", "192.0.2.2", 9);
	struct sad_entry *e;

	(void)state;
	sa.soft.bytes = 1000;
	sa.hard.bytes = 2000;
	assert_int_equal(sad_add(sad, &sa, 1, &e), 0);
	assert_int_equal(sad_next_expiry(sad, 1), UINT64_MAX);
	assert_true(sad_account(sad, e, 999, 7));
	assert_int_equal(e->use_time, 7);
	assert_int_equal(h.soft, 0);
	assert_true(sad_account(sad, e, 1, 8));
	assert_int_equal(e->use_time, 7);
	assert_int_equal(e->state, SAD_STATE_DYING);
	assert_true(sad_account(sad, e, 500, 8));
	assert_int_equal(h.soft, 1);
	/* 1500 + 501 would exceed the hard limit: dropped, not counted. */
	assert_false(sad_account(sad, e, 501, 9));
	assert_int_equal(e->state, SAD_STATE_DEAD);
	assert_int_equal(e->ctr.bytes, 1500);
	assert_int_equal(e->ctr.packets, 3);
	assert_false(sad_account(sad, e, 1, 9));
	assert_null(sad_lookup_in(sad, &sa.dst, IPSEC_PROTO_ESP, 9));
	assert_int_equal(sad_next_expiry(sad, 9), 0);
	assert_int_equal(h.hard, 0);
	sad_expire(sad, 9);
	assert_int_equal(h.hard, 1);
	assert_int_equal(h.removed, 1);
	assert_int_equal(h.soft, 1);
	assert_int_equal(sad_count(sad), 0);
	sad_expire(sad, 10);
	assert_int_equal(h.hard, 1);

	/* Reaching the hard limit exactly passes the packet and kills the SA. */
	assert_int_equal(sad_add(sad, &sa, 1, &e), 0);
	assert_true(sad_account(sad, e, 2000, 2));
	assert_int_equal(e->state, SAD_STATE_DEAD);
	assert_int_equal(h.soft, 1);
	sad_free(sad);
	assert_int_equal(h.hard, 1);
	assert_int_equal(h.removed, 2);
}

static void
test_time_lifetimes(void **state)
{
	struct hook_log h;
	struct sad *sad = new_sad(&h);
	struct ipsec_sa sa = esp_sa("192.0.2.1", "192.0.2.2", 9);
	struct sad_entry *a, *b;

	(void)state;
	sa.soft.add_seconds = 100;
	sa.hard.add_seconds = 150;
	assert_int_equal(sad_add(sad, &sa, 1000, &a), 0);
	sa.spi = 10;
	memset(&sa.soft, 0, sizeof(sa.soft));
	memset(&sa.hard, 0, sizeof(sa.hard));
	sa.soft.use_seconds = 10;
	sa.hard.use_seconds = 20;
	assert_int_equal(sad_add(sad, &sa, 1000, &b), 0);
	assert_int_equal(sad_next_expiry(sad, 1000), 100);
	sad_expire(sad, 1099);
	assert_int_equal(h.soft, 0);
	sad_expire(sad, 1100);
	assert_int_equal(h.soft, 1);
	assert_int_equal(a->state, SAD_STATE_DYING);
	sad_expire(sad, 1101);
	assert_int_equal(h.soft, 1);
	assert_int_equal(sad_next_expiry(sad, 1101), 49);
	/* b's use clock starts with its first packet. */
	assert_true(sad_account(sad, b, 10, 1120));
	assert_int_equal(sad_next_expiry(sad, 1120), 10);
	sad_expire(sad, 1130);
	assert_int_equal(h.soft, 2);
	assert_int_equal(b->state, SAD_STATE_DYING);
	assert_int_equal(sad_next_expiry(sad, 1130), 10);
	sad_expire(sad, 1140);
	assert_int_equal(h.hard, 1);
	assert_int_equal(h.removed, 1);
	assert_int_equal(sad_count(sad), 1);
	assert_int_equal(sad_next_expiry(sad, 1140), 10);
	h.delete_in_hard = true;
	sad_expire(sad, 1150);
	assert_int_equal(h.hard, 2);
	assert_int_equal(h.removed, 2);
	assert_int_equal(sad_count(sad), 0);
	assert_int_equal(sad_next_expiry(sad, 1150), UINT64_MAX);
	sad_free(sad);
	assert_int_equal(h.soft, 2);
}

/* A soft hook that deletes its own SA during sad_expire must be safe. */
static void
test_hook_deletes(void **state)
{
	struct hook_log h;
	struct sad *sad = new_sad(&h);
	struct ipsec_sa sa = esp_sa("192.0.2.1", "192.0.2.2", 1);

	(void)state;
	sa.soft.add_seconds = 5;
	for (uint32_t i = 1; i <= 5; i++) {
		sa.spi = i;
		assert_int_equal(sad_add(sad, &sa, 0, NULL), 0);
	}
	h.delete_in_soft = true;
	sad_expire(sad, 5);
	assert_int_equal(h.soft, 5);
	assert_int_equal(h.removed, 5);
	assert_int_equal(sad_count(sad), 0);
	sad_free(sad);
}

struct walk_arg {
	struct sad *sad;
	int seen;
	uint32_t order[64];
};

/* Deletes the current entry and the one after it. */
static int
walk_delete(struct sad_entry *e, void *arg)
{
	struct walk_arg *w = arg;
	struct addr dst = e->sa.dst;
	uint32_t spi = e->sa.spi;

	w->order[w->seen++] = spi;
	assert_int_equal(sad_delete(w->sad, &dst, IPSEC_PROTO_ESP, spi), 0);
	sad_delete(w->sad, &dst, IPSEC_PROTO_ESP, spi + 1);
	return spi == 7 ? 42 : 0;
}

static void
test_walk(void **state)
{
	struct hook_log h;
	struct sad *sad = new_sad(&h);
	struct ipsec_sa sa = esp_sa("192.0.2.1", "192.0.2.2", 1);
	struct walk_arg w = {sad, 0, {0}};

	(void)state;
	for (uint32_t i = 1; i <= 10; i++) {
		sa.spi = i;
		assert_int_equal(sad_add(sad, &sa, 0, NULL), 0);
	}
	assert_int_equal(sad_walk(sad, walk_delete, &w), 42);
	assert_int_equal(w.seen, 4);
	assert_int_equal(w.order[0], 1);
	assert_int_equal(w.order[1], 3);
	assert_int_equal(w.order[2], 5);
	assert_int_equal(w.order[3], 7);
	assert_int_equal(sad_count(sad), 2);
	assert_non_null(sad_get(sad, &sa.dst, IPSEC_PROTO_ESP, 9));
	sad_free(sad);
}

/* Growth: many SAs stay reachable through both indexes. */
static void
test_many(void **state)
{
	struct hook_log h;
	struct sad *sad = new_sad(&h);
	struct ipsec_sa sa = esp_sa("10.0.0.1", "10.0.0.2", 1);

	(void)state;
	for (uint32_t i = 1; i <= 5000; i++) {
		sa.spi = i * 2654435761u;
		sa.dst.bytes[3] = (uint8_t)i;
		sa.dst.bytes[2] = (uint8_t)(i >> 8);
		assert_int_equal(sad_add(sad, &sa, 0, NULL), 0);
	}
	for (uint32_t i = 1; i <= 5000; i++) {
		struct sad_entry *e;

		sa.dst.bytes[3] = (uint8_t)i;
		sa.dst.bytes[2] = (uint8_t)(i >> 8);
		e = sad_lookup_in(sad, &sa.dst, IPSEC_PROTO_ESP, i * 2654435761u);
		assert_non_null(e);
		assert_ptr_equal(sad_lookup_out(sad, &sa.src, &sa.dst, IPSEC_PROTO_ESP, 0, 0), e);
	}
	sad_free(sad);
	assert_int_equal(h.removed, 5000);
}

static void
test_names(void **state)
{
	enum ipsec_enc enc;
	enum ipsec_auth auth;
	enum ipsec_comp comp;

	(void)state;
	assert_int_equal(ipsec_enc_from_name("rijndael-cbc", &enc), 0);
	assert_int_equal(enc, IPSEC_ENC_AES_CBC);
	assert_string_equal(ipsec_enc_name(enc), "aes-cbc");
	for (int i = 1; i < IPSEC_ENC__COUNT; i++) {
		assert_int_equal(ipsec_enc_from_name(ipsec_enc_name(i), &enc), 0);
		assert_int_equal(enc, i);
	}
	for (int i = 1; i < IPSEC_AUTH__COUNT; i++) {
		assert_int_equal(ipsec_auth_from_name(ipsec_auth_name(i), &auth), 0);
		assert_int_equal(auth, i);
	}
	assert_int_equal(ipsec_enc_from_name("none", &enc), -ENOENT);
	assert_int_equal(ipsec_enc_from_name("aes", &enc), -ENOENT);
	assert_int_equal(ipsec_auth_from_name("hmac-sha2", &auth), -ENOENT);
	assert_int_equal(ipsec_comp_from_name("deflate", &comp), 0);
	assert_int_equal(comp, IPSEC_COMP_DEFLATE);
	assert_null(ipsec_enc_name(IPSEC_ENC__COUNT));
	assert_string_equal(ipsec_proto_name(IPSEC_PROTO_IPCOMP), "ipcomp");
	assert_string_equal(ipsec_mode_name(IPSEC_MODE_TUNNEL), "tunnel");
	assert_string_equal(ipsec_dir_name(IPSEC_DIR_FWD), "fwd");
	assert_string_equal(ipsec_level_name(IPSEC_LEVEL_UNIQUE), "unique");
	assert_string_equal(ipsec_action_name(IPSEC_ACTION_IPSEC), "ipsec");
	assert_null(ipsec_proto_name(17));
	assert_true(ipsec_enc_key_ok(IPSEC_ENC_AES_CTR, 28));
	assert_false(ipsec_enc_key_ok(IPSEC_ENC_AES_CTR, 24));
	assert_true(ipsec_enc_key_ok(IPSEC_ENC_3DES_CBC, 24));
	assert_false(ipsec_enc_key_ok(IPSEC_ENC_CHACHA20_POLY1305, 32));
	assert_true(ipsec_auth_key_ok(IPSEC_AUTH_HMAC_SHA384_192, 48));
	assert_false(ipsec_auth_key_ok(IPSEC_AUTH_NULL, 1));
	assert_true(ipsec_enc_is_aead(IPSEC_ENC_CHACHA20_POLY1305));
	assert_false(ipsec_enc_is_aead(IPSEC_ENC_AES_CTR));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_add_get_delete),
	    cmocka_unit_test(test_update),
	    cmocka_unit_test(test_lookup_out_prefers_newest_mature),
	    cmocka_unit_test(test_delete_all_and_flush),
	    cmocka_unit_test(test_invalid),
	    cmocka_unit_test(test_byte_lifetimes),
	    cmocka_unit_test(test_time_lifetimes),
	    cmocka_unit_test(test_hook_deletes),
	    cmocka_unit_test(test_walk),
	    cmocka_unit_test(test_many),
	    cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
