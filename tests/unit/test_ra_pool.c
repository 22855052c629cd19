/*
 * The mode config address pool (daemon/ra_pool.c) and the failed-login throttle
 * (auth/throttle.c): no address handed out twice, released addresses come back, a
 * returning user gets its previous address, exhaustion, bad ranges; the throttle's
 * doubling delays, reset on success, bounded table; auth_groups and auth_source system
 * refusing unknown and locked users.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <arpa/inet.h>

#include "auth/auth.h"
#include "daemon/ra_pool.h"

static struct addr
A(const char *s)
{
	struct addr a;

	assert_int_equal(addr_parse(s, &a), 0);
	return a;
}

/* A pointer to a parsed address, valid until the next call. */
static const struct addr *
PA(const char *s)
{
	static struct addr a;

	a = A(s);
	return &a;
}

static const char *
lease(struct ra_pool *p, const char *owner, char *buf)
{
	struct addr a;

	if (ra_pool_lease(p, owner, &a) < 0)
		return "none";
	return addr_ntop(&a, buf, ADDR_STRLEN);
}

static void
test_pool_distinct_and_stable(void **state)
{
	struct addr first = A("10.3.0.10");
	struct ra_pool p;
	char b[ADDR_STRLEN];

	(void)state;
	assert_int_equal(ra_pool_init(&p, &first, 3), 0);
	assert_string_equal(lease(&p, "alice", b), "10.3.0.10");
	assert_string_equal(lease(&p, "bob", b), "10.3.0.11");
	assert_string_equal(lease(&p, "carol", b), "10.3.0.12");
	/* all held: nothing more, and never an address twice */
	assert_string_equal(lease(&p, "dave", b), "none");
	assert_string_equal(lease(&p, "alice", b), "none");
	assert_int_equal(ra_pool_release(&p, PA("10.3.0.11")), 0);
	assert_int_equal(ra_pool_release(&p, PA("10.3.0.11")), -ENOENT);
	assert_int_equal(ra_pool_release(&p, PA("10.3.0.13")), -ENOENT);
	assert_int_equal(ra_pool_release(&p, PA("10.9.0.1")), -ENOENT);
	/* bob's address goes to dave when nothing else is free */
	assert_string_equal(lease(&p, "dave", b), "10.3.0.11");
	assert_int_equal(ra_pool_release(&p, PA("10.3.0.10")), 0);
	assert_int_equal(ra_pool_release(&p, PA("10.3.0.12")), 0);
	/* alice comes back to hers, although carol's was freed later */
	assert_string_equal(lease(&p, "alice", b), "10.3.0.10");
	assert_int_equal(p.nused, 2);
	ra_pool_free(&p);
}

static void
test_pool_prefers_fresh(void **state)
{
	struct addr first = A("192.0.2.200");
	struct ra_pool p;
	char b[ADDR_STRLEN];

	(void)state;
	assert_int_equal(ra_pool_init(&p, &first, 4), 0);
	assert_string_equal(lease(&p, "alice", b), "192.0.2.200");
	assert_int_equal(ra_pool_release(&p, PA("192.0.2.200")), 0);
	/* bob takes a never-used address, keeping alice's for her */
	assert_string_equal(lease(&p, "bob", b), "192.0.2.201");
	assert_string_equal(lease(&p, "carol", b), "192.0.2.202");
	assert_string_equal(lease(&p, "dave", b), "192.0.2.203");
	/* fresh ones exhausted: the oldest freed goes */
	assert_string_equal(lease(&p, "erin", b), "192.0.2.200");
	assert_true(ra_pool_has(&p, PA("192.0.2.203")));
	assert_false(ra_pool_has(&p, PA("192.0.2.204")));
	ra_pool_free(&p);
}

static void
test_pool_bad_ranges(void **state)
{
	struct addr top = A("255.255.255.254"), v6 = A("2001:db8::1"), ok = A("10.0.0.1");
	struct ra_pool p;

	(void)state;
	assert_int_equal(ra_pool_init(&p, &top, 3), -EINVAL);
	assert_int_equal(ra_pool_init(&p, &top, 2), 0);
	ra_pool_free(&p);
	assert_int_equal(ra_pool_init(&p, &v6, 3), -EINVAL);
	assert_int_equal(ra_pool_init(&p, &ok, 0), -EINVAL);
	assert_int_equal(ra_pool_init(&p, &ok, RA_POOL_MAX + 1), -EINVAL);
}

static void
test_throttle(void **state)
{
	static struct auth_throttle t;
	struct addr a = A("192.0.2.1"), b = A("192.0.2.2");

	(void)state;
	auth_throttle_init(&t, 1000);
	assert_true(auth_throttle_allowed(&t, &a, 0));
	auth_throttle_record(&t, &a, false, 0);
	assert_false(auth_throttle_allowed(&t, &a, 999));
	assert_true(auth_throttle_allowed(&t, &a, 1000));
	/* another peer is not affected */
	assert_true(auth_throttle_allowed(&t, &b, 1));
	auth_throttle_record(&t, &a, false, 1000);
	assert_false(auth_throttle_allowed(&t, &a, 2999));
	assert_true(auth_throttle_allowed(&t, &a, 3000));
	for (int i = 0; i < 10; i++)
		auth_throttle_record(&t, &a, false, 3000);
	/* capped */
	assert_false(auth_throttle_allowed(&t, &a, 3000 + AUTH_THROTTLE_MAX_MS - 1));
	assert_true(auth_throttle_allowed(&t, &a, 3000 + AUTH_THROTTLE_MAX_MS));
	/* a success starts afresh */
	auth_throttle_record(&t, &a, true, 70000);
	auth_throttle_record(&t, &a, false, 70000);
	assert_true(auth_throttle_allowed(&t, &a, 71000));
	/* the table is bounded: many peers evict the oldest, never overflow */
	for (uint32_t i = 0; i < 2 * AUTH_THROTTLE_PEERS; i++) {
		struct addr x = {.family = AF_INET};

		x.v4.s_addr = htonl(0x0a000000u + i);
		auth_throttle_record(&t, &x, false, 80000 + i);
	}
	assert_true(auth_throttle_allowed(&t, &a, 80000));
}

/* auth_groups: root is in group root (primary), nobody's group list does not hold it. */
static void
test_groups(void **state)
{
	char *root[] = {"root"}, *none[] = {"coati-no-such-group-xyz"}, *both[] = {
	    "coati-no-such-group-xyz", "root"};

	(void)state;
	assert_true(auth_in_groups("root", NULL, 0));
	assert_true(auth_in_groups("root", root, 1));
	assert_true(auth_in_groups("root", both, 2));
	assert_false(auth_in_groups("root", none, 1));
	assert_false(auth_in_groups("coati-no-such-user-xyz", root, 1));
}

/* auth_source system: an unknown user and a locked account are refused. */
static void
test_system_refuses(void **state)
{
	(void)state;
	assert_int_equal(auth_system("coati-no-such-user-xyz", "x"), -EACCES);
	assert_int_equal(auth_system("nobody", ""), -EACCES);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_pool_distinct_and_stable),
	    cmocka_unit_test(test_pool_prefers_fresh),
	    cmocka_unit_test(test_pool_bad_ranges),
	    cmocka_unit_test(test_throttle),
	    cmocka_unit_test(test_groups),
	    cmocka_unit_test(test_system_refuses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
