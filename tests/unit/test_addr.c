/* Addresses and prefixes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "lib/addr.h"

static void
test_parse(void **state)
{
	struct prefix p;
	struct addr a;
	char buf[PREFIX_STRLEN];

	assert_int_equal(prefix_parse("10.1.0.0/24", &p), 0);
	assert_int_equal(p.len, 24);
	assert_string_equal(prefix_ntop(&p, buf, sizeof(buf)), "10.1.0.0/24");
	assert_int_equal(prefix_parse("2001:db8::1", &p), 0);
	assert_int_equal(p.len, 128);
	assert_int_equal(prefix_parse("10.0.0.0/33", &p), -EINVAL);
	assert_int_equal(prefix_parse("10.0.0.0/", &p), -EINVAL);
	assert_int_equal(prefix_parse("10.0.0.0/-1", &p), -EINVAL);
	assert_int_equal(prefix_parse("host.example", &p), -EINVAL);
	assert_int_equal(addr_parse("192.0.2.300", &a), -EINVAL);
}

static void
test_contains(void **state)
{
	struct prefix p;
	struct addr a, b;

	prefix_parse("10.1.0.0/23", &p);
	addr_parse("10.1.1.200", &a);
	addr_parse("10.1.2.1", &b);
	assert_true(prefix_contains(&p, &a));
	assert_false(prefix_contains(&p, &b));
	prefix_parse("2001:db8:2::/48", &p);
	addr_parse("2001:db8:2:ffff::1", &a);
	addr_parse("2001:db8:3::1", &b);
	assert_true(prefix_contains(&p, &a));
	assert_false(prefix_contains(&p, &b));
	prefix_parse("0.0.0.0/0", &p);
	assert_true(prefix_contains(&p, &(struct addr){.family = AF_INET}));
	assert_false(prefix_contains(&p, &a)); /* family mismatch */
}

static void
test_mask(void **state)
{
	struct prefix p, q;

	prefix_parse("10.1.255.77/20", &p);
	prefix_mask(&p);
	prefix_parse("10.1.240.0/20", &q);
	assert_true(addr_eq(&p.addr, &q.addr));
	prefix_parse("2001:db8:abcd:ffff::1/50", &p);
	prefix_mask(&p);
	prefix_parse("2001:db8:abcd:c000::/50", &q);
	assert_true(addr_eq(&p.addr, &q.addr));
}

static void
test_sockaddr(void **state)
{
	struct sockaddr_storage ss;
	struct addr a, b;
	uint16_t port;

	addr_parse("2001:db8::5", &a);
	assert_int_equal(addr_to_sockaddr(&a, 4500, &ss), sizeof(struct sockaddr_in6));
	assert_int_equal(addr_from_sockaddr((struct sockaddr *)&ss, &b, &port), 0);
	assert_true(addr_eq(&a, &b));
	assert_int_equal(port, 4500);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_contains),
		cmocka_unit_test(test_mask),
		cmocka_unit_test(test_sockaddr),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
