/* IP header parsing, flow extraction, checksums and header building. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "dataplane/ip.h"
#include "lib/buf.h"

/* 20-byte IPv4 header + UDP 1234 -> 53, 4 payload bytes (RFC 791 layout). */
static const uint8_t udp4[] = {
	0x45, 0x00, 0x00, 0x20, 0xab, 0xcd, 0x40, 0x00, 0x40, 0x11, 0x00, 0x00,
	192, 0, 2, 1, 198, 51, 100, 7,
	0x04, 0xd2, 0x00, 0x35, 0x00, 0x0c, 0x00, 0x00, 'a', 'b', 'c', 'd',
};

/* IPv6: hop-by-hop (8) -> routing (24) -> destination options (16) -> TCP 80 -> 443 */
static const uint8_t tcp6_ext[] = {
	0x60, 0x00, 0x00, 0x00, 0x00, 0x44, 0x00, 0x40,
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2,
	/* hop-by-hop: next 43, len 0, PadN */
	43, 0, 1, 4, 0, 0, 0, 0,
	/* routing: next 60, len 2 (24 bytes), type 4, segments left 0 */
	60, 2, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	/* destination options: next 6, len 1 (16 bytes) */
	6, 1, 1, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	/* TCP (20 bytes) */
	0x00, 0x50, 0x01, 0xbb, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x02, 0xff, 0xff, 0, 0, 0, 0,
};

/* IPv6 first fragment: fragment header (offset 0, M=1) -> ICMPv6 echo request */
static const uint8_t frag6[] = {
	0x60, 0x00, 0x00, 0x00, 0x00, 0x10, 44, 0x40,
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2,
	58, 0, 0x00, 0x01, 0x12, 0x34, 0x56, 0x78,
	128, 0, 0, 0, 0, 1, 0, 1,
};

/* IPv4 ICMP echo request (type 8 code 0) */
static const uint8_t icmp4[] = {
	0x45, 0x00, 0x00, 0x1c, 0, 1, 0, 0, 0x40, 0x01, 0, 0,
	10, 0, 0, 1, 10, 0, 0, 2,
	8, 0, 0xf7, 0xfe, 0, 1, 0, 0,
};

static void
test_parse_v4(void **state)
{
	uint8_t b[sizeof(udp4) + 3];
	struct ip_info ii;

	(void)state;
	/* trailing bytes beyond the total length (link padding) are allowed */
	memcpy(b, udp4, sizeof(udp4));
	memset(b + sizeof(udp4), 0xee, 3);
	assert_int_equal(ip_parse(b, sizeof(b), &ii), 0);
	assert_int_equal(ii.family, AF_INET);
	assert_int_equal(ii.hdr_len, 20);
	assert_int_equal(ii.proto, 17);
	assert_int_equal(ii.proto_off, 9);
	assert_int_equal(ii.total_len, sizeof(udp4));
	assert_false(ii.fragment);
	assert_false(ii.partial);
	assert_memory_equal(&ii.src.v4, udp4 + 12, 4);
	assert_memory_equal(&ii.dst.v4, udp4 + 16, 4);
}

static void
test_parse_v4_options_and_frags(void **state)
{
	uint8_t b[sizeof(udp4) + 4];
	struct ip_info ii;

	(void)state;
	/* IHL 6: one word of options (NOP NOP NOP EOL) */
	memcpy(b, udp4, 20);
	b[0] = 0x46;
	be16_put(b + 2, sizeof(b));
	memcpy(b + 20, "\x01\x01\x01\x00", 4);
	memcpy(b + 24, udp4 + 20, sizeof(udp4) - 20);
	assert_int_equal(ip_parse(b, sizeof(b), &ii), 0);
	assert_int_equal(ii.hdr_len, 24);
	/* first fragment: ports still there */
	be16_put(b + 6, 0x2000);
	assert_int_equal(ip_parse(b, sizeof(b), &ii), 0);
	assert_false(ii.fragment);
	assert_true(ii.partial);
	/* later fragment */
	be16_put(b + 6, 0x0003);
	assert_int_equal(ip_parse(b, sizeof(b), &ii), 0);
	assert_true(ii.fragment);
	assert_true(ii.partial);
	/* bad IHL, total below the header, total beyond the buffer, version 5 */
	b[0] = 0x44;
	assert_int_equal(ip_parse(b, sizeof(b), &ii), -EBADMSG);
	b[0] = 0x46;
	be16_put(b + 2, 23);
	assert_int_equal(ip_parse(b, sizeof(b), &ii), -EBADMSG);
	be16_put(b + 2, sizeof(b) + 1);
	assert_int_equal(ip_parse(b, sizeof(b), &ii), -EBADMSG);
	b[0] = 0x56;
	assert_int_equal(ip_parse(b, sizeof(b), &ii), -EBADMSG);
}

static void
test_parse_v6_ext(void **state)
{
	struct ip_info ii;

	(void)state;
	assert_int_equal(ip_parse(tcp6_ext, sizeof(tcp6_ext), &ii), 0);
	assert_int_equal(ii.family, AF_INET6);
	assert_int_equal(ii.hdr_len, 40 + 8 + 24 + 16);
	assert_int_equal(ii.proto, 6);
	assert_int_equal(ii.proto_off, 40 + 8 + 24);
	assert_int_equal(ii.total_len, sizeof(tcp6_ext));
	assert_false(ii.fragment);
}

static void
test_parse_v6_bad_ext(void **state)
{
	uint8_t b[sizeof(tcp6_ext)];
	struct ip_info ii;

	(void)state;
	/* hop-by-hop anywhere but first */
	memcpy(b, tcp6_ext, sizeof(b));
	b[40 + 8] = 0;
	assert_int_equal(ip_parse(b, sizeof(b), &ii), -EBADMSG);
	/* an extension header running past the payload length */
	memcpy(b, tcp6_ext, sizeof(b));
	b[40 + 8 + 24 + 1] = 20;
	assert_int_equal(ip_parse(b, sizeof(b), &ii), -EBADMSG);
	/* payload length beyond the buffer */
	memcpy(b, tcp6_ext, sizeof(b));
	be16_put(b + 4, sizeof(tcp6_ext) - 40 + 1);
	assert_int_equal(ip_parse(b, sizeof(b), &ii), -EBADMSG);
	/* jumbogram */
	be16_put(b + 4, 0);
	assert_int_equal(ip_parse(b, sizeof(b), &ii), -EBADMSG);
}

static void
test_parse_v6_frag(void **state)
{
	struct ip_info ii;
	struct spd_flow f;

	(void)state;
	assert_int_equal(ip_parse(frag6, sizeof(frag6), &ii), 0);
	assert_true(ii.fragment);
	assert_true(ii.partial);
	assert_int_equal(ii.proto, 58);
	assert_int_equal(ii.proto_off, 40);
	assert_int_equal(ii.hdr_len, 48);
	assert_int_equal(ip_flow(frag6, sizeof(frag6), &f), 0);
	assert_int_equal(f.proto, 58);
	assert_int_equal(f.sport, 0);
	assert_int_equal(f.dport, 0);
}

/* Every truncation of every sample fails cleanly and leaves the output alone. */
static void
test_truncations(void **state)
{
	static const struct {
		const uint8_t *b;
		size_t len;
	} s[] = {
		{udp4, sizeof(udp4)}, {tcp6_ext, sizeof(tcp6_ext)}, {frag6, sizeof(frag6)},
		{icmp4, sizeof(icmp4)},
	};
	struct ip_info ii, canary;
	struct spd_flow f;

	(void)state;
	memset(&canary, 0xa5, sizeof(canary));
	for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++) {
		for (size_t n = 0; n < s[i].len; n++) {
			ii = canary;
			assert_int_equal(ip_parse(s[i].b, n, &ii), -EBADMSG);
			assert_memory_equal(&ii, &canary, sizeof(ii));
			assert_int_equal(ip_flow(s[i].b, n, &f), -EBADMSG);
		}
		assert_int_equal(ip_parse(s[i].b, s[i].len, &ii), 0);
	}
}

static void
test_flow(void **state)
{
	uint8_t b[sizeof(udp4)];
	struct spd_flow f;

	(void)state;
	assert_int_equal(ip_flow(udp4, sizeof(udp4), &f), 0);
	assert_int_equal(f.proto, 17);
	assert_int_equal(f.sport, 1234);
	assert_int_equal(f.dport, 53);
	assert_int_equal(f.src.family, AF_INET);
	assert_int_equal(ip_flow(tcp6_ext, sizeof(tcp6_ext), &f), 0);
	assert_int_equal(f.proto, 6);
	assert_int_equal(f.sport, 80);
	assert_int_equal(f.dport, 443);
	assert_int_equal(f.dst.family, AF_INET6);
	assert_int_equal(ip_flow(icmp4, sizeof(icmp4), &f), 0);
	assert_int_equal(f.proto, 1);
	assert_int_equal(f.sport, 8);
	assert_int_equal(f.dport, 0);
	/* a UDP header cut short inside a valid IP packet */
	memcpy(b, udp4, sizeof(b));
	be16_put(b + 2, 22);
	assert_int_equal(ip_flow(b, sizeof(b), &f), -EBADMSG);
	/* non-first fragment: no ports */
	memcpy(b, udp4, sizeof(b));
	be16_put(b + 6, 0x0010);
	assert_int_equal(ip_flow(b, sizeof(b), &f), 0);
	assert_int_equal(f.sport, 0);
	assert_int_equal(f.dport, 0);
}

static void
test_checksum(void **state)
{
	/* RFC 1071 3: the example sums to ddf2 */
	static const uint8_t ex[] = {0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
	uint8_t h[20];

	(void)state;
	assert_int_equal(ip_csum_fold(ip_csum_add(0, ex, sizeof(ex))), 0xddf2);
	/* odd length: the last byte is the high half of a word */
	assert_int_equal(ip_csum_fold(ip_csum_add(0, ex, 3)), 0xf201);
	/* incremental sums are the same as one sum */
	assert_int_equal(ip_csum_fold(ip_csum_add(ip_csum_add(0, ex, 4), ex + 4, 4)), 0xddf2);
	memcpy(h, udp4, 20);
	ip4_set_csum(h);
	assert_int_equal(ip_csum_fold(ip_csum_add(0, h, 20)), 0xffff);
}

static void
test_build(void **state)
{
	struct addr s4, d4, s6, d6;
	uint8_t b[60];
	struct ip_info ii;

	(void)state;
	assert_int_equal(addr_parse("192.0.2.1", &s4), 0);
	assert_int_equal(addr_parse("192.0.2.2", &d4), 0);
	assert_int_equal(addr_parse("2001:db8::1", &s6), 0);
	assert_int_equal(addr_parse("2001:db8::2", &d6), 0);
	memset(b, 0, sizeof(b));
	ip4_build(b, &s4, &d4, 50, 60, 0x4242, 64);
	assert_int_equal(ip_parse(b, sizeof(b), &ii), 0);
	assert_int_equal(ii.proto, 50);
	assert_int_equal(ii.total_len, 60);
	assert_true(addr_eq(&ii.dst, &d4));
	assert_int_equal(b[6] & 0x40, 0); /* DF clear */
	assert_int_equal(b[8], 64);
	assert_int_equal(ip_csum_fold(ip_csum_add(0, b, 20)), 0xffff);
	ip_set_len(b, AF_INET, 40);
	assert_int_equal(be16_get(b + 2), 40);
	assert_int_equal(ip_csum_fold(ip_csum_add(0, b, 20)), 0xffff);
	ip6_build(b, &s6, &d6, 51, 20, 64);
	assert_int_equal(ip_parse(b, sizeof(b), &ii), 0);
	assert_int_equal(ii.proto, 51);
	assert_int_equal(ii.total_len, 60);
	assert_true(addr_eq(&ii.src, &s6));
	ip_set_len(b, AF_INET6, 48);
	assert_int_equal(be16_get(b + 4), 8);
	assert_true(ip_len_ok(AF_INET, 65535));
	assert_false(ip_len_ok(AF_INET, 65536));
	assert_true(ip_len_ok(AF_INET6, 65535 + 40));
	assert_false(ip_len_ok(AF_INET6, 65536 + 40));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_v4),
		cmocka_unit_test(test_parse_v4_options_and_frags),
		cmocka_unit_test(test_parse_v6_ext),
		cmocka_unit_test(test_parse_v6_bad_ext),
		cmocka_unit_test(test_parse_v6_frag),
		cmocka_unit_test(test_truncations),
		cmocka_unit_test(test_flow),
		cmocka_unit_test(test_checksum),
		cmocka_unit_test(test_build),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
