/*
 * esp_frag (dataplane/frag.h): the inner size that fits an outer ESP-in-UDP packet,
 * IPv4 fragmentation (offsets, MF, lengths, checksums, options, fragments of
 * fragments) and the ICMP / ICMPv6 "too big" errors for packets that may not be split.
 */
#include "dp_test_util.h"

#include "dataplane/frag.h"

#define UDP_LEN 8

static struct ipsec_sa
natt_sa(uint16_t frag_size, uint8_t enc, uint8_t auth)
{
	struct ipsec_sa sa =
	    dpt_sa(IPSEC_PROTO_ESP, IPSEC_MODE_TUNNEL, 0x1000, "192.0.2.1", "192.0.2.2", enc, auth);

	sa.encap_sport = sa.encap_dport = 4500;
	sa.frag_size = frag_size;
	return sa;
}

static bool
csum_ok(const uint8_t *p, size_t len)
{
	return ip_csum_fold(ip_csum_add(0, p, len)) == 0xffff;
}

/* The largest inner packet goes out in exactly frag_size bytes or less; one more does not. */
static void
test_inner_max(void **state)
{
	static const uint8_t algs[][2] = {
	    {IPSEC_ENC_AES_CBC, IPSEC_AUTH_HMAC_SHA1_96},
	    {IPSEC_ENC_AES_CBC, IPSEC_AUTH_HMAC_SHA256_128},
	    {IPSEC_ENC_AES_GCM16, IPSEC_AUTH_NONE},
	};
	struct sad *sad = dpt_sad_new();
	struct pkt *p = dpt_pkt_new();

	(void)state;
	for (size_t a = 0; a < sizeof(algs) / sizeof(algs[0]); a++) {
		struct ipsec_sa sa = natt_sa(552, algs[a][0], algs[a][1]);
		struct sad_entry *e;
		size_t max;

		sa.spi += (uint32_t)a;
		e = dpt_add(sad, &sa);
		max = dpt_dp(e)->frag_inner;
		assert_true(max > 400 && max < 552 - 20 - UDP_LEN - 8);
		assert_int_equal(max, frag_inner_max(&e->sa, dpt_dp(e)->x));
		dpt_udp(p, "10.2.0.1", "10.1.0.2", max - 28);
		assert_int_equal(ipsec_output(e, p), 0);
		assert_true(p->len + UDP_LEN <= 552);
		/* each size above it is one block more on the wire */
		dpt_udp(p, "10.2.0.1", "10.1.0.2", max - 28 + 1);
		assert_int_equal(ipsec_output(e, p), 0);
		assert_true(p->len + UDP_LEN > 552);
	}
	/* off, or raw ESP, or too small to carry 68 bytes */
	assert_int_equal(frag_inner_max(&(struct ipsec_sa){.frag_size = 0}, NULL), 0);
	{
		struct ipsec_sa sa = natt_sa(552, IPSEC_ENC_AES_CBC, IPSEC_AUTH_HMAC_SHA1_96);
		struct sad_entry *e;

		sa.spi = 0x2000;
		sa.encap_sport = sa.encap_dport = 0;
		e = dpt_add(sad, &sa);
		assert_int_equal(dpt_dp(e)->frag_inner, 0);
		sa.frag_size = 120;
		assert_int_equal(frag_inner_max(&sa, dpt_dp(e)->x), 0);
	}
	free(p);
	sad_free(sad);
}

/* Split pkt into fragments of at most max bytes; check each header and the data. */
static size_t
split_check(const uint8_t *pkt, size_t len, size_t max, uint16_t base_off, bool base_mf,
            size_t opts_later)
{
	struct frag_ip4 it;
	struct pkt *f = dpt_pkt_new();
	size_t hl = (size_t)(pkt[0] & 0x0f) * 4, at = hl, n = 0;

	assert_int_equal(frag_ip4_begin(&it, pkt, len, max), 0);
	while (frag_ip4_next(&it, f)) {
		struct ip_info ii;
		size_t fhl = (size_t)(f->data[0] & 0x0f) * 4;
		uint16_t frag = (uint16_t)(f->data[6] << 8 | f->data[7]);
		bool last = at + (f->len - fhl) == len;

		assert_int_equal(ip_parse(f->data, f->len, &ii), 0);
		assert_true(f->len <= max);
		assert_int_equal(ii.total_len, f->len);
		assert_true(csum_ok(f->data, fhl));
		assert_int_equal(fhl, n == 0 ? hl : IP4_HDR_LEN + opts_later);
		/* same ID, protocol, addresses; DF clear */
		assert_memory_equal(f->data + 4, pkt + 4, 2);
		assert_int_equal(f->data[9], pkt[9]);
		assert_memory_equal(f->data + 12, pkt + 12, 8);
		assert_int_equal(frag & 0x4000, 0);
		assert_int_equal(frag & 0x1fff, base_off + (at - hl) / 8);
		assert_int_equal(!!(frag & 0x2000), !last || base_mf);
		if (!last)
			assert_int_equal((f->len - fhl) % 8, 0);
		assert_memory_equal(f->data + fhl, pkt + at, f->len - fhl);
		at += f->len - fhl;
		n++;
	}
	assert_int_equal(at, len);
	free(f);
	return n;
}

static void
test_fragment(void **state)
{
	struct pkt *p = dpt_pkt_new();

	(void)state;
	/* ping -s 1200: 1228 bytes into 478-byte pieces: 456 + 456 + 296 data bytes */
	dpt_udp(p, "10.2.0.1", "10.1.0.2", 1200);
	assert_int_equal(split_check(p->data, p->len, 478, 0, false, 0), 3);
	/* a fragment itself (offset 100, MF): offsets continue from it, MF stays on the last */
	be16_put(p->data + 6, 0x2000 | 100);
	ip4_set_csum(p->data);
	assert_int_equal(split_check(p->data, p->len, 478, 100, true, 0), 3);
	/* a packet that fits comes out whole */
	dpt_udp(p, "10.2.0.1", "10.1.0.2", 100);
	assert_int_equal(split_check(p->data, p->len, 478, 0, false, 0), 1);
	free(p);
}

/* Options: all in the first fragment, only the copied ones (router alert) later. */
static void
test_fragment_options(void **state)
{
	static const uint8_t opts[8] = {0x44, 0x04, 0x05, 0x00,  /* timestamp: not copied */
	                                0x94, 0x04, 0x00, 0x00}; /* router alert: copied */
	uint8_t pkt[1000];
	struct pkt *p = dpt_pkt_new();

	(void)state;
	dpt_udp(p, "10.2.0.1", "10.1.0.2", 900);
	memcpy(pkt, p->data, 20);
	memcpy(pkt + 20, opts, sizeof(opts));
	memcpy(pkt + 28, p->data + 20, p->len - 20);
	pkt[0] = 0x47;
	be16_put(pkt + 2, (uint16_t)(p->len + 8));
	ip4_set_csum(pkt);
	assert_int_equal(split_check(pkt, p->len + 8, 300, 0, false, 4), 4);
	free(p);
}

static void
test_df_icmp(void **state)
{
	struct pkt *p = dpt_pkt_new();
	struct frag_ip4 it;
	uint8_t out[1500];
	size_t n;

	(void)state;
	dpt_udp(p, "10.2.0.1", "10.1.0.2", 1200);
	be16_put(p->data + 6, 0x4000);
	ip4_set_csum(p->data);
	assert_int_equal(frag_ip4_begin(&it, p->data, p->len, 478), -EMSGSIZE);
	n = frag_too_big(p->data, p->len, 478, out, sizeof(out));
	/* IPv4 + ICMP + the offending header and 8 bytes of it */
	assert_int_equal(n, 20 + 8 + 20 + 8);
	assert_true(csum_ok(out, 20));
	assert_int_equal(out[9], IP_PROTO_ICMP);
	assert_memory_equal(out + 12, p->data + 16, 4); /* from the packet's destination */
	assert_memory_equal(out + 16, p->data + 12, 4); /* to its source */
	assert_int_equal(out[20], 3);
	assert_int_equal(out[21], 4);
	assert_int_equal(out[26] << 8 | out[27], 478); /* next-hop MTU (RFC 1191) */
	assert_true(csum_ok(out + 20, n - 20));
	assert_memory_equal(out + 28, p->data, 28);
	/* too small a buffer, or the packet is itself an ICMP error: nothing */
	assert_int_equal(frag_too_big(p->data, p->len, 478, out, 40), 0);
	assert_int_equal(frag_too_big(out, n, 478, out + 100, sizeof(out) - 100), 0);
	free(p);
}

static void
test_ipv6_too_big(void **state)
{
	struct pkt *p = dpt_pkt_new();
	struct frag_ip4 it;
	uint8_t out[1500], pseudo[8] = {0};
	uint32_t sum;
	size_t n;

	(void)state;
	dpt_udp(p, "2001:db8:3::1", "2001:db8:2::2", 1400);
	assert_int_equal(frag_ip4_begin(&it, p->data, p->len, 1200), -EMSGSIZE);
	n = frag_too_big(p->data, p->len, 1200, out, sizeof(out));
	/* RFC 4443 2.4: as much of the packet as fits in 1280 bytes */
	assert_int_equal(n, 1280);
	assert_int_equal(out[6], IP_PROTO_ICMPV6);
	assert_memory_equal(out + 8, p->data + 24, 16);
	assert_memory_equal(out + 24, p->data + 8, 16);
	assert_int_equal(out[40], 2);
	assert_int_equal(out[41], 0);
	assert_int_equal(be32_get(out + 44), 1200);
	assert_memory_equal(out + 48, p->data, n - 48);
	be32_put(pseudo, (uint32_t)(n - 40));
	pseudo[7] = IP_PROTO_ICMPV6;
	sum = ip_csum_add(ip_csum_add(ip_csum_add(0, out + 8, 32), pseudo, 8), out + 40, n - 40);
	assert_int_equal(ip_csum_fold(sum), 0xffff);
	free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_inner_max),        cmocka_unit_test(test_fragment),
	    cmocka_unit_test(test_fragment_options), cmocka_unit_test(test_df_icmp),
	    cmocka_unit_test(test_ipv6_too_big),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
