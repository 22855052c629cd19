/* IPComp (RFC 3173) with deflate (RFC 2394): round trips, thresholds, bombs. */
#include "dp_test_util.h"
#include "dataplane/ipcomp.h"

#include <zlib.h>

static struct sad_entry *
add_comp(struct sad *sad, uint8_t mode, const char *src, const char *dst)
{
	struct ipsec_sa sa = dpt_sa(IPSEC_PROTO_IPCOMP, mode, 0x4321, src, dst, 0, 0);

	return dpt_add(sad, &sa);
}

/* IPv4 (or IPv6) UDP with n zero bytes of payload: very compressible. */
static void
zero_udp(struct pkt *p, const char *src, const char *dst, size_t n)
{
	struct ip_info ii;

	dpt_udp(p, src, dst, n);
	assert_int_equal(ip_parse(p->data, p->len, &ii), 0);
	memset(p->data + ii.hdr_len + 8, 0, n);
}

static void
test_roundtrip(void **state)
{
	static const struct {
		uint8_t mode;
		const char *osrc, *odst, *isrc, *idst;
	} sh[] = {
	    {IPSEC_MODE_TRANSPORT, "192.0.2.1", "192.0.2.2", "192.0.2.1", "192.0.2.2"},
	    {IPSEC_MODE_TRANSPORT, "2001:db8::1", "2001:db8::2", "2001:db8::1", "2001:db8::2"},
	    {IPSEC_MODE_TUNNEL, "192.0.2.1", "192.0.2.2", "10.0.0.1", "10.0.0.2"},
	    {IPSEC_MODE_TUNNEL, "192.0.2.1", "192.0.2.2", "fd00::1", "fd00::2"},
	    {IPSEC_MODE_TUNNEL, "2001:db8::1", "2001:db8::2", "fd00::1", "fd00::2"},
	};
	struct pkt *p = dpt_pkt_new();
	static uint8_t orig[PKT_DATA_MAX];

	(void)state;
	for (size_t s = 0; s < sizeof(sh) / sizeof(sh[0]); s++) {
		struct sad *sad = dpt_sad_new();
		struct sad_entry *e = add_comp(sad, sh[s].mode, sh[s].osrc, sh[s].odst), *got;
		struct ip_info ii;

		for (size_t n = 300; n < 60000; n = n * 3 + 1) {
			size_t olen;

			dpt_udp(p, sh[s].isrc, sh[s].idst, n);
			olen = p->len;
			memcpy(orig, p->data, olen);
			assert_int_equal(ipsec_output(e, p), 0);
			assert_true(p->len < olen);
			assert_int_equal(ip_parse(p->data, p->len, &ii), 0);
			assert_int_equal(ii.proto, IPSEC_PROTO_IPCOMP);
			assert_int_equal(p->data[ii.hdr_len + 1], 0);
			assert_int_equal(be16_get(p->data + ii.hdr_len + 2), 0x4321);
			assert_int_equal(ipsec_input(sad, p, &got), 0);
			assert_ptr_equal(got, e);
			assert_int_equal(p->len, olen);
			assert_memory_equal(p->data, orig, olen);
		}
		sad_free(sad);
	}
	free(p);
}

/* Below IPCOMP_MIN_LEN, or not smaller after deflate: untouched, return 1. */
static void
test_untouched(void **state)
{
	struct sad *sad = dpt_sad_new();
	struct sad_entry *e = add_comp(sad, IPSEC_MODE_TRANSPORT, "192.0.2.1", "192.0.2.2");
	struct pkt *p = dpt_pkt_new();
	uint8_t orig[2048];
	uint64_t x = 99;

	(void)state;
	/* the transport payload is UDP header + data: 8 + 81 = 89 < 90 */
	zero_udp(p, "192.0.2.1", "192.0.2.2", IPCOMP_MIN_LEN - 8 - 1);
	memcpy(orig, p->data, p->len);
	assert_int_equal(ipsec_output(e, p), 1);
	assert_memory_equal(p->data, orig, p->len);
	assert_int_equal(p->data - p->buf, PKT_HEADROOM);
	zero_udp(p, "192.0.2.1", "192.0.2.2", IPCOMP_MIN_LEN - 8);
	assert_int_equal(ipsec_output(e, p), 0);
	/* pseudo-random bytes do not deflate */
	dpt_udp(p, "192.0.2.1", "192.0.2.2", 1000);
	for (size_t i = 28; i < p->len; i++) {
		x = x * 6364136223846793005ULL + 1;
		p->data[i] = (uint8_t)(x >> 56);
	}
	memcpy(orig, p->data, p->len);
	assert_int_equal(ipsec_output(e, p), 1);
	assert_memory_equal(p->data, orig, p->len);
	sad_free(sad);
	free(p);
}

/* Tunnel mode sends what it does not compress as IP-in-IP between the SA's endpoints. */
static void
test_untouched_tunnel(void **state)
{
	struct sad *sad = dpt_sad_new();
	struct sad_entry *e = add_comp(sad, IPSEC_MODE_TUNNEL, "2001:db8::1", "2001:db8::2");
	struct pkt *p = dpt_pkt_new();
	uint8_t orig[256];
	struct ip_info ii;
	size_t olen;

	(void)state;
	dpt_udp(p, "10.0.0.1", "10.0.0.2", 20);
	olen = p->len;
	memcpy(orig, p->data, olen);
	assert_int_equal(ipsec_output(e, p), 1);
	assert_int_equal(ip_parse(p->data, p->len, &ii), 0);
	assert_int_equal(ii.proto, IP_PROTO_IPIP);
	assert_true(addr_eq(&ii.dst, &e->sa.dst));
	assert_int_equal(p->len, IP6_HDR_LEN + olen);
	assert_memory_equal(p->data + IP6_HDR_LEN, orig, olen);
	sad_free(sad);
	free(p);
}

/* An IPv4 IPComp packet whose payload is raw deflate of n zero bytes. */
static void
comp_pkt(struct pkt *p, const struct sad_entry *e, size_t n, uint8_t nh)
{
	static uint8_t zeros[300000];
	uLongf zlen;
	z_stream z;

	memset(&z, 0, sizeof(z));
	assert_true(n <= sizeof(zeros));
	assert_int_equal(deflateInit2(&z, 9, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY), Z_OK);
	pkt_reset(p);
	z.next_in = zeros;
	z.avail_in = (uInt)n;
	z.next_out = p->data + IP4_HDR_LEN + IPCOMP_HDR_LEN;
	z.avail_out = 60000;
	assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
	zlen = z.total_out;
	deflateEnd(&z);
	p->len = IP4_HDR_LEN + IPCOMP_HDR_LEN + zlen;
	ip4_build(p->data, &e->sa.src, &e->sa.dst, IPSEC_PROTO_IPCOMP, (uint16_t)p->len, 7, 64);
	p->data[IP4_HDR_LEN] = nh;
	p->data[IP4_HDR_LEN + 1] = 0;
	be16_put(p->data + IP4_HDR_LEN + 2, (uint16_t)e->sa.spi);
}

static void
test_limits(void **state)
{
	struct sad *sad = dpt_sad_new();
	struct sad_entry *e = add_comp(sad, IPSEC_MODE_TRANSPORT, "192.0.2.1", "192.0.2.2"), *got;
	struct pkt *p = dpt_pkt_new();

	(void)state;
	/* the largest payload an IPv4 packet can carry is fine */
	comp_pkt(p, e, 65535 - IP4_HDR_LEN, IP_PROTO_UDP);
	assert_int_equal(ipsec_input(sad, p, &got), 0);
	assert_int_equal(p->len, 65535);
	/* one more byte does not fit the IPv4 length */
	comp_pkt(p, e, 65535 - IP4_HDR_LEN + 1, IP_PROTO_UDP);
	assert_int_equal(ipsec_input(sad, p, &got), -EINVAL);
	/* a bomb: 300 KB of zeros in a few hundred bytes */
	comp_pkt(p, e, 300000, IP_PROTO_UDP);
	assert_true(p->len < 1000);
	assert_int_equal(ipsec_input(sad, p, &got), -EINVAL);
	/* a cut stream, a corrupt one, trailing bytes, and an empty payload */
	comp_pkt(p, e, 5000, IP_PROTO_UDP);
	p->len -= 2;
	ip_set_len(p->data, AF_INET, p->len);
	assert_int_equal(ipsec_input(sad, p, &got), -EINVAL);
	comp_pkt(p, e, 5000, IP_PROTO_UDP);
	p->data[IP4_HDR_LEN + IPCOMP_HDR_LEN] = 0xff;
	assert_int_equal(ipsec_input(sad, p, &got), -EINVAL);
	comp_pkt(p, e, 5000, IP_PROTO_UDP);
	p->data[p->len++] = 0;
	ip_set_len(p->data, AF_INET, p->len);
	assert_int_equal(ipsec_input(sad, p, &got), -EINVAL);
	comp_pkt(p, e, 0, IP_PROTO_UDP);
	p->len = IP4_HDR_LEN + IPCOMP_HDR_LEN;
	ip_set_len(p->data, AF_INET, p->len);
	assert_int_equal(ipsec_input(sad, p, &got), -EINVAL);
	assert_int_equal(e->ctr.invalid, 6);
	sad_free(sad);
	free(p);
}

/* Tunnel mode needs an inner packet behind next header 4/41. */
static void
test_tunnel_inner(void **state)
{
	struct sad *sad = dpt_sad_new();
	struct sad_entry *e = add_comp(sad, IPSEC_MODE_TUNNEL, "192.0.2.1", "192.0.2.2"), *got;
	struct pkt *p = dpt_pkt_new();

	(void)state;
	/* zeros are no IPv4 header */
	comp_pkt(p, e, 500, IP_PROTO_IPIP);
	assert_int_equal(ipsec_input(sad, p, &got), -EINVAL);
	comp_pkt(p, e, 500, IP_PROTO_UDP);
	assert_int_equal(ipsec_input(sad, p, &got), -EINVAL);
	assert_int_equal(e->ctr.invalid, 2);
	sad_free(sad);
	free(p);
}

static void
test_deflate_direct(void **state)
{
	struct ipcomp_ctx *c;
	uint8_t src[4000], copy[4000], plainbuf[8000];
	const uint8_t *out;
	size_t out_len, zlen;
	uLongf plain;

	(void)state;
	assert_int_equal(ipcomp_ctx_new(&c), 0);
	for (size_t i = 0; i < sizeof(src); i++)
		src[i] = (uint8_t)("coati ipcomp "[i % 13]);
	assert_int_equal(ipcomp_deflate(c, src, sizeof(src), &out, &out_len), 0);
	assert_true(out_len + IPCOMP_HDR_LEN < sizeof(src));
	/* no zlib header (RFC 2394 2): raw deflate, zlib's own format refuses it */
	memcpy(copy, out, out_len);
	zlen = out_len;
	plain = sizeof(plainbuf);
	assert_int_not_equal(uncompress(plainbuf, &plain, copy, zlen), Z_OK);
	assert_int_equal(ipcomp_inflate(c, copy, zlen, &out, &out_len), 0);
	assert_int_equal(out_len, sizeof(src));
	assert_memory_equal(out, src, sizeof(src));
	/* too short to gain anything */
	assert_int_equal(ipcomp_deflate(c, src, 5, &out, &out_len), 1);
	ipcomp_ctx_free(c);
	ipcomp_ctx_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_untouched),
		cmocka_unit_test(test_untouched_tunnel),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_tunnel_inner),
		cmocka_unit_test(test_deflate_direct),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
