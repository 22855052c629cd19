/*
 * ESP (RFC 4303) through ipsec_output/ipsec_input: round trips for every
 * transform in tunnel (4in4, 6in6, 4in6, 6in4) and transport mode, the
 * anti-replay ordering, authentication failures that must not move the
 * window, trailer checks, truncations, sequence number exhaustion, ESN,
 * and bundles with IPComp and AH.
 */
#include "dp_test_util.h"
#include "dataplane/esp.h"

#include <stdio.h>

struct alg {
	uint8_t enc, auth;
};

static const struct alg algs[] = {
    {IPSEC_ENC_NULL, IPSEC_AUTH_NULL},
    {IPSEC_ENC_NULL, IPSEC_AUTH_HMAC_SHA1_96},
    {IPSEC_ENC_3DES_CBC, IPSEC_AUTH_HMAC_MD5_96},
    {IPSEC_ENC_AES_CBC, IPSEC_AUTH_HMAC_SHA1_96},
    {IPSEC_ENC_AES_CBC, IPSEC_AUTH_HMAC_SHA256_128},
    {IPSEC_ENC_AES_CBC, IPSEC_AUTH_HMAC_SHA384_192},
    {IPSEC_ENC_AES_CBC, IPSEC_AUTH_HMAC_SHA512_256},
    {IPSEC_ENC_AES_CTR, IPSEC_AUTH_HMAC_SHA256_128},
    {IPSEC_ENC_AES_GCM16, IPSEC_AUTH_NONE},
    {IPSEC_ENC_CHACHA20_POLY1305, IPSEC_AUTH_NONE},
};
#define NALGS (sizeof(algs) / sizeof(algs[0]))

struct shape {
	const char *name;
	uint8_t mode;
	const char *osrc, *odst; /* SA endpoints */
	const char *isrc, *idst; /* the protected packet */
	bool dstopts;            /* IPv6 destination options header before UDP */
};

static const struct shape shapes[] = {
    {"4in4", IPSEC_MODE_TUNNEL, "192.0.2.1", "192.0.2.2", "10.0.0.1", "10.0.0.2", false},
    {"6in6", IPSEC_MODE_TUNNEL, "2001:db8::1", "2001:db8::2", "fd00::1", "fd00::2", false},
    {"4in6", IPSEC_MODE_TUNNEL, "2001:db8::1", "2001:db8::2", "10.0.0.1", "10.0.0.2", false},
    {"6in4", IPSEC_MODE_TUNNEL, "192.0.2.1", "192.0.2.2", "fd00::1", "fd00::2", false},
    {"tr4", IPSEC_MODE_TRANSPORT, "192.0.2.1", "192.0.2.2", "192.0.2.1", "192.0.2.2", false},
    {"tr6", IPSEC_MODE_TRANSPORT, "2001:db8::1", "2001:db8::2", "2001:db8::1", "2001:db8::2",
     false},
    {"tr6ext", IPSEC_MODE_TRANSPORT, "2001:db8::1", "2001:db8::2", "2001:db8::1", "2001:db8::2",
     true},
    {"any4", IPSEC_MODE_ANY, "192.0.2.1", "192.0.2.2", "192.0.2.1", "192.0.2.2", false},
};
#define NSHAPES (sizeof(shapes) / sizeof(shapes[0]))

/* The packet of a shape: UDP, optionally behind an 8-byte destination options header. */
static void
shape_pkt(struct pkt *p, const struct shape *s, size_t n)
{
	uint8_t udp[PKT_DATA_MAX];
	size_t ulen;

	dpt_udp(p, s->isrc, s->idst, n);
	if (!s->dstopts)
		return;
	ulen = p->len - IP6_HDR_LEN;
	memcpy(udp, p->data + IP6_HDR_LEN, ulen);
	memcpy(p->data + IP6_HDR_LEN, "\x11\x00\x01\x04\x00\x00\x00\x00", 8);
	memcpy(p->data + IP6_HDR_LEN + 8, udp, ulen);
	p->data[6] = IP_PROTO_DSTOPTS;
	p->len += 8;
	ip_set_len(p->data, AF_INET6, p->len);
}

static bool
alg_has_icv(const struct alg *a)
{
	return a->auth != IPSEC_AUTH_NULL;
}

static struct sad_entry *
add_esp(struct sad *sad, const struct alg *a, const struct shape *s, uint32_t spi, bool esn)
{
	struct ipsec_sa sa =
	    dpt_sa(IPSEC_PROTO_ESP, s->mode, spi, s->osrc, s->odst, a->enc, a->auth);

	sa.esn = esn;
	return dpt_add(sad, &sa);
}

/* One output -> input round trip of an n-byte UDP payload; checks the wire format. */
static void
roundtrip_one(struct sad *sad, struct sad_entry *e, const struct shape *s, struct pkt *p, size_t n)
{
	struct xform *x = dpt_dp(e)->x;
	uint8_t orig[2048];
	struct sad_entry *got;
	struct ip_info ii;
	size_t olen, esp_len;
	uint64_t seq = e->seq_out + 1;

	shape_pkt(p, s, n);
	olen = p->len;
	memcpy(orig, p->data, olen);
	assert_int_equal(ipsec_output(e, p), 0);
	assert_int_equal(e->seq_out, seq);
	assert_int_equal(ip_parse(p->data, p->len, &ii), 0);
	assert_int_equal(ii.proto, IPSEC_PROTO_ESP);
	assert_int_equal(ii.total_len, p->len);
	assert_true(addr_eq(&ii.dst, &e->sa.dst));
	if (s->mode == IPSEC_MODE_TUNNEL) {
		assert_int_equal(ii.family, e->sa.dst.family);
		if (ii.family == AF_INET) {
			assert_int_equal(p->data[8], IPSEC_OUTER_TTL);
			assert_int_equal(p->data[6] & 0x40, 0);
			assert_int_equal(ip_csum_fold(ip_csum_add(0, p->data, 20)), 0xffff);
		} else {
			assert_int_equal(p->data[7], IPSEC_OUTER_TTL);
		}
	}
	assert_int_equal(be32_get(p->data + ii.hdr_len), e->sa.spi);
	assert_int_equal(be32_get(p->data + ii.hdr_len + 4), (uint32_t)seq);
	esp_len = p->len - ii.hdr_len - ESP_HDR_LEN - xform_iv_len(x) - xform_icv_len(x);
	assert_int_equal(esp_len % xform_block_len(x), 0);
	assert_int_equal(ipsec_input(sad, p, &got), 0);
	assert_ptr_equal(got, e);
	assert_int_equal(p->len, olen);
	assert_memory_equal(p->data, orig, olen);
}

static void
test_roundtrip(void **state)
{
	static const size_t sizes[] = {0, 1, 2, 3, 13, 14, 15, 16, 17, 31, 100, 1400};
	struct pkt *p = dpt_pkt_new();

	(void)state;
	for (size_t a = 0; a < NALGS; a++) {
		for (size_t s = 0; s < NSHAPES; s++) {
			for (int esn = 0; esn < 2; esn++) {
				struct sad *sad = dpt_sad_new();
				struct sad_entry *e =
				    add_esp(sad, &algs[a], &shapes[s], 0x1000, esn);

				for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
					roundtrip_one(sad, e, &shapes[s], p, sizes[i]);
				assert_int_equal(e->ctr.invalid + e->ctr.auth_fail, 0);
				sad_free(sad);
			}
		}
	}
	free(p);
}

/* Output one packet of shape 0 (4in4) and keep a copy of the wire bytes. */
static size_t
out_copy(struct sad_entry *e, struct pkt *p, uint8_t *wire, size_t n)
{
	shape_pkt(p, &shapes[0], n);
	assert_int_equal(ipsec_output(e, p), 0);
	memcpy(wire, p->data, p->len);
	return p->len;
}

static void
test_replay(void **state)
{
	struct sad *sad = dpt_sad_new();
	struct sad_entry *e = add_esp(sad, &algs[8], &shapes[0], 0x1000, false), *got;
	struct pkt *p = dpt_pkt_new();
	uint8_t w1[256], w2[256];
	size_t l1, l2;

	(void)state;
	l1 = out_copy(e, p, w1, 20);
	l2 = out_copy(e, p, w2, 20);
	/* reordering inside the window is fine, a second copy is not */
	dpt_pkt_set(p, w2, l2);
	assert_int_equal(ipsec_input(sad, p, &got), 0);
	dpt_pkt_set(p, w1, l1);
	assert_int_equal(ipsec_input(sad, p, &got), 0);
	dpt_pkt_set(p, w1, l1);
	assert_int_equal(ipsec_input(sad, p, &got), -EALREADY);
	assert_ptr_equal(got, e);
	assert_int_equal(e->ctr.replay, 1);
	dpt_pkt_set(p, w2, l2);
	assert_int_equal(ipsec_input(sad, p, &got), -EALREADY);
	assert_int_equal(e->ctr.replay, 2);
	sad_free(sad);
	free(p);
}

/* Any flipped bit after the SPI fails the ICV and leaves the window alone. */
static void
test_bitflip(void **state)
{
	struct pkt *p = dpt_pkt_new();

	(void)state;
	for (size_t a = 0; a < NALGS; a++) {
		struct sad *sad;
		struct sad_entry *e, *got;
		uint8_t wire[256];
		size_t len, flips = 0;

		if (!alg_has_icv(&algs[a]))
			continue;
		sad = dpt_sad_new();
		e = add_esp(sad, &algs[a], &shapes[0], 0x1000, false);
		e->seq_out = 100;
		len = out_copy(e, p, wire, 37);
		for (size_t i = IP4_HDR_LEN + 4; i < len; i++, flips++) {
			dpt_pkt_set(p, wire, len);
			p->data[i] ^= (uint8_t)(1u << (i % 8));
			if (ipsec_input(sad, p, &got) != -EBADMSG)
				fail_msg("alg %zu: flip at %zu not rejected", a, i);
		}
		assert_int_equal(e->ctr.auth_fail, flips);
		assert_int_equal(dpt_dp(e)->replay.top, 0);
		dpt_pkt_set(p, wire, len);
		assert_int_equal(ipsec_input(sad, p, &got), 0);
		assert_int_equal(dpt_dp(e)->replay.top, 101);
		sad_free(sad);
	}
	free(p);
}

/*
 * Seal a hand-made plaintext (payload, padding, pad length, next header:
 * plen bytes, aligned) as the next ESP packet of e in an outer IPv4 header.
 */
static void
craft(struct sad_entry *e, struct pkt *p, const uint8_t *plain, size_t plen)
{
	struct xform *x = dpt_dp(e)->x;
	size_t iv = xform_iv_len(x), icv = xform_icv_len(x);
	size_t total = IP4_HDR_LEN + ESP_HDR_LEN + iv + plen + icv;
	uint64_t seq = ++e->seq_out;
	uint8_t *esp;

	pkt_reset(p);
	ip4_build(p->data, &e->sa.src, &e->sa.dst, IPSEC_PROTO_ESP, (uint16_t)total, 1, 64);
	esp = p->data + IP4_HDR_LEN;
	be32_put(esp, e->sa.spi);
	be32_put(esp + 4, (uint32_t)seq);
	memcpy(esp + ESP_HDR_LEN + iv, plain, plen);
	assert_int_equal(xform_esp_seal(x, esp, plen, seq, e->sa.esn), 0);
	p->len = total;
}

/* Plaintext for an inner packet with standard padding plus `extra` blocks. */
static size_t
mk_plain(uint8_t *buf, const uint8_t *inner, size_t len, size_t bl, size_t extra, uint8_t nh)
{
	size_t pad = (bl - (len + 2) % bl) % bl + extra * bl;

	memcpy(buf, inner, len);
	for (size_t i = 0; i < pad; i++)
		buf[len + i] = (uint8_t)(i + 1);
	buf[len + pad] = (uint8_t)pad;
	buf[len + pad + 1] = nh;
	return len + pad + 2;
}

static void
check_trailers(const struct alg *a)
{
	struct sad *sad = dpt_sad_new();
	struct sad_entry *e = add_esp(sad, a, &shapes[0], 0x1000, false), *got;
	size_t bl = xform_block_len(dpt_dp(e)->x), ilen, n;
	struct pkt *p = dpt_pkt_new();
	uint8_t inner[128], plain[512];
	uint64_t invalid = 0;

	dpt_udp(p, "10.0.0.1", "10.0.0.2", 21);
	ilen = p->len;
	memcpy(inner, p->data, ilen);
	/* baseline */
	craft(e, p, plain, mk_plain(plain, inner, ilen, bl, 1, IP_PROTO_IPIP));
	assert_int_equal(ipsec_input(sad, p, &got), 0);
	assert_memory_equal(p->data, inner, ilen);
	/* a pad byte off the 1, 2, 3, ... sequence */
	n = mk_plain(plain, inner, ilen, bl, 1, IP_PROTO_IPIP);
	plain[ilen + 2] ^= 0x40;
	craft(e, p, plain, n);
	assert_int_equal(ipsec_input(sad, p, &got), -EINVAL);
	assert_int_equal(e->ctr.invalid, ++invalid);
	/* pad length beyond the plaintext */
	n = mk_plain(plain, inner, ilen, bl, 0, IP_PROTO_IPIP);
	plain[n - 2] = (uint8_t)(n - 1);
	craft(e, p, plain, n);
	assert_int_equal(ipsec_input(sad, p, &got), -EINVAL);
	assert_int_equal(e->ctr.invalid, ++invalid);
	/* tunnel mode with a next header other than IPv4/IPv6, and a mismatching one */
	craft(e, p, plain, mk_plain(plain, inner, ilen, bl, 0, IP_PROTO_UDP));
	assert_int_equal(ipsec_input(sad, p, &got), -EINVAL);
	craft(e, p, plain, mk_plain(plain, inner, ilen, bl, 0, IP_PROTO_IPV6));
	assert_int_equal(ipsec_input(sad, p, &got), -EINVAL);
	invalid += 2;
	/* an inner packet claiming more bytes than the payload has */
	memcpy(plain, inner, ilen);
	n = mk_plain(plain, inner, ilen - 1, bl, 0, IP_PROTO_IPIP);
	craft(e, p, plain, n);
	assert_int_equal(ipsec_input(sad, p, &got), -EINVAL);
	assert_int_equal(e->ctr.invalid, ++invalid);
	/* RFC 4303 2.6 dummy packet: authentic, dropped silently, window advanced */
	craft(e, p, plain, mk_plain(plain, inner, 0, bl, 0, IP_PROTO_NONE));
	assert_int_equal(ipsec_input(sad, p, &got), -ENODATA);
	assert_int_equal(dpt_dp(e)->replay.top, e->seq_out);
	/* RFC 4303 2.7 TFC padding after the inner packet is removed */
	memset(inner + ilen, 0xee, 11);
	craft(e, p, plain, mk_plain(plain, inner, ilen + 11, bl, 0, IP_PROTO_IPIP));
	assert_int_equal(ipsec_input(sad, p, &got), 0);
	assert_int_equal(p->len, ilen);
	assert_int_equal(e->ctr.invalid, invalid);
	assert_int_equal(e->ctr.auth_fail, 0);
	sad_free(sad);
	free(p);
}

static void
test_trailer(void **state)
{
	(void)state;
	check_trailers(&algs[1]);
	check_trailers(&algs[3]);
	check_trailers(&algs[9]);
}

static void
test_unknown_spi(void **state)
{
	struct sad *sad = dpt_sad_new(), *other = dpt_sad_new();
	struct sad_entry *e = add_esp(sad, &algs[3], &shapes[0], 0x1000, false), *got;
	struct ipsec_sa sa = e->sa;
	struct pkt *p = dpt_pkt_new();

	(void)state;
	sa.spi = 0x2000;
	dpt_add(other, &sa);
	/* the same SPI for another destination does not match either */
	sa.spi = 0x1000;
	sa.dst = dpt_addr("192.0.2.99");
	dpt_add(other, &sa);
	shape_pkt(p, &shapes[0], 10);
	assert_int_equal(ipsec_output(e, p), 0);
	assert_int_equal(ipsec_input(other, p, &got), -ENOENT);
	assert_null(got);
	sad_free(sad);
	sad_free(other);
	free(p);
}

/* Every truncation, raw and with the IP length fixed up, fails without side effects. */
static void
check_truncations(const struct alg *a)
{
	struct sad *sad = dpt_sad_new();
	struct sad_entry *e = add_esp(sad, a, &shapes[0], 0x1000, false), *got;
	struct pkt *p = dpt_pkt_new();
	uint8_t wire[256];
	size_t len = out_copy(e, p, wire, 45);

	for (size_t n = 0; n < len; n++) {
		dpt_pkt_set(p, wire, n);
		assert_int_not_equal(ipsec_input(sad, p, &got), 0);
		if (n < IP4_HDR_LEN)
			continue;
		dpt_pkt_set(p, wire, n);
		ip_set_len(p->data, AF_INET, n);
		assert_int_not_equal(ipsec_input(sad, p, &got), 0);
	}
	/* without an ICV (auth null) nothing is authenticated, so the window may move */
	if (alg_has_icv(a)) {
		assert_int_equal(dpt_dp(e)->replay.top, 0);
		dpt_pkt_set(p, wire, len);
		assert_int_equal(ipsec_input(sad, p, &got), 0);
	}
	sad_free(sad);
	free(p);
}

static void
test_truncation(void **state)
{
	(void)state;
	for (size_t a = 0; a < NALGS; a++)
		check_truncations(&algs[a]);
}

static void
test_seq_overflow(void **state)
{
	struct sad *sad = dpt_sad_new();
	struct sad_entry *e = add_esp(sad, &algs[3], &shapes[0], 0x1000, false);
	struct sad_entry *x = add_esp(sad, &algs[8], &shapes[0], 0x1001, true);
	struct pkt *p = dpt_pkt_new();

	(void)state;
	e->seq_out = UINT32_MAX - 1;
	shape_pkt(p, &shapes[0], 10);
	assert_int_equal(ipsec_output(e, p), 0);
	assert_int_equal(be32_get(p->data + IP4_HDR_LEN + 4), UINT32_MAX);
	shape_pkt(p, &shapes[0], 10);
	assert_int_equal(ipsec_output(e, p), -EOVERFLOW);
	assert_int_equal(e->ctr.seq_overflow, 1);
	assert_int_equal(e->seq_out, UINT32_MAX);
	/* with ESN the same low half is just the middle of the space */
	x->seq_out = UINT32_MAX;
	shape_pkt(p, &shapes[0], 10);
	assert_int_equal(ipsec_output(x, p), 0);
	assert_int_equal(be32_get(p->data + IP4_HDR_LEN + 4), 0);
	x->seq_out = UINT64_MAX - 1;
	shape_pkt(p, &shapes[0], 10);
	assert_int_equal(ipsec_output(x, p), 0);
	shape_pkt(p, &shapes[0], 10);
	assert_int_equal(ipsec_output(x, p), -EOVERFLOW);
	assert_int_equal(x->ctr.seq_overflow, 1);
	sad_free(sad);
	free(p);
}

/* ESN across 2^32 for an HMAC and an AEAD transform. */
static void
check_esn_wrap(const struct alg *a)
{
	struct sad *sad = dpt_sad_new();
	struct sad_entry *e = add_esp(sad, a, &shapes[0], 0x1000, true), *got;
	struct pkt *p = dpt_pkt_new();
	uint8_t wire[6][256];
	size_t len[6];
	static const uint32_t lo[6] = {0xfffffffe, 0xffffffff, 0, 1, 2, 3};

	e->seq_out = 0xfffffffdULL;
	for (int i = 0; i < 6; i++) {
		len[i] = out_copy(e, p, wire[i], 30);
		assert_int_equal(be32_get(wire[i] + IP4_HDR_LEN + 4), lo[i]);
	}
	for (int i = 0; i < 6; i++) {
		int k = i == 3 ? 4 : i == 4 ? 3 : i; /* one reordering across the wrap */

		dpt_pkt_set(p, wire[k], len[k]);
		assert_int_equal(ipsec_input(sad, p, &got), 0);
	}
	assert_int_equal(dpt_dp(e)->replay.top, 0x100000003ULL);
	dpt_pkt_set(p, wire[1], len[1]);
	assert_int_equal(ipsec_input(sad, p, &got), -EALREADY);
	/*
	 * seq_hi is authenticated: a receiver one subspace ahead infers the
	 * wrong high half for a low half it has not seen, and the ICV fails.
	 */
	replay_init(&dpt_dp(e)->replay, 64);
	dpt_dp(e)->replay.top = 0x200000000ULL + 10;
	dpt_pkt_set(p, wire[2], len[2]);
	assert_int_equal(ipsec_input(sad, p, &got), -EBADMSG);
	sad_free(sad);
	free(p);
}

static void
test_esn_wrap(void **state)
{
	(void)state;
	check_esn_wrap(&algs[4]);
	check_esn_wrap(&algs[8]);
	check_esn_wrap(&algs[9]);
}

/* Output through sas[0..n-1], input back in reverse order: the packet is restored. */
static void
check_bundle(const struct ipsec_sa *sas, int n, const char *src, const char *dst, size_t len)
{
	struct sad *sad = dpt_sad_new();
	struct sad_entry *e[3], *got;
	struct pkt *p = dpt_pkt_new();
	uint8_t orig[2048];
	size_t olen;

	for (int i = 0; i < n; i++)
		e[i] = dpt_add(sad, &sas[i]);
	dpt_udp(p, src, dst, len);
	olen = p->len;
	memcpy(orig, p->data, olen);
	for (int i = 0; i < n; i++)
		assert_int_equal(ipsec_output(e[i], p), 0);
	for (int i = n - 1; i >= 0; i--) {
		assert_int_equal(ipsec_input(sad, p, &got), 0);
		assert_ptr_equal(got, e[i]);
	}
	assert_int_equal(p->len, olen);
	assert_memory_equal(p->data, orig, olen);
	sad_free(sad);
	free(p);
}

static void
test_bundles(void **state)
{
	const char *a4 = "192.0.2.1", *b4 = "192.0.2.2", *a6 = "2001:db8::1", *b6 = "2001:db8::2";
	struct ipsec_sa s[2];

	(void)state;
	/* ipcomp then esp, both transport */
	s[0] = dpt_sa(IPSEC_PROTO_IPCOMP, IPSEC_MODE_TRANSPORT, 0x300, a4, b4, 0, 0);
	s[1] = dpt_sa(IPSEC_PROTO_ESP, IPSEC_MODE_TRANSPORT, 0x400, a4, b4, IPSEC_ENC_AES_CBC,
	              IPSEC_AUTH_HMAC_SHA256_128);
	check_bundle(s, 2, a4, b4, 1000);
	/* ipcomp tunnel inside esp transport, IPv6 */
	s[0] = dpt_sa(IPSEC_PROTO_IPCOMP, IPSEC_MODE_TUNNEL, 0x301, a6, b6, 0, 0);
	s[1] = dpt_sa(IPSEC_PROTO_ESP, IPSEC_MODE_TRANSPORT, 0x401, a6, b6, IPSEC_ENC_AES_GCM16,
	              IPSEC_AUTH_NONE);
	check_bundle(s, 2, "fd00::1", "fd00::2", 1200);
	/* esp then ah, transport, both families */
	s[0] = dpt_sa(IPSEC_PROTO_ESP, IPSEC_MODE_TRANSPORT, 0x402, a4, b4, IPSEC_ENC_AES_CTR,
	              IPSEC_AUTH_HMAC_SHA1_96);
	s[1] = dpt_sa(IPSEC_PROTO_AH, IPSEC_MODE_TRANSPORT, 0x500, a4, b4, 0,
	              IPSEC_AUTH_HMAC_SHA256_128);
	check_bundle(s, 2, a4, b4, 200);
	s[0] = dpt_sa(IPSEC_PROTO_ESP, IPSEC_MODE_TRANSPORT, 0x403, a6, b6,
	              IPSEC_ENC_CHACHA20_POLY1305, IPSEC_AUTH_NONE);
	s[1] = dpt_sa(IPSEC_PROTO_AH, IPSEC_MODE_TRANSPORT, 0x501, a6, b6, 0,
	              IPSEC_AUTH_HMAC_SHA512_256);
	check_bundle(s, 2, a6, b6, 200);
}

/* No room: a packet filling the buffer cannot grow. */
static void
test_no_room(void **state)
{
	struct sad *sad = dpt_sad_new();
	struct sad_entry *e = add_esp(sad, &algs[3], &shapes[4], 0x1000, false);
	struct pkt *p = dpt_pkt_new();

	(void)state;
	dpt_udp(p, "192.0.2.1", "192.0.2.2", 65535 - 28);
	assert_int_equal(ipsec_output(e, p), -EMSGSIZE);
	assert_int_equal(e->seq_out, 0);
	sad_free(sad);
	free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_replay),
		cmocka_unit_test(test_bitflip),
		cmocka_unit_test(test_trailer),
		cmocka_unit_test(test_unknown_spi),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_seq_overflow),
		cmocka_unit_test(test_esn_wrap),
		cmocka_unit_test(test_bundles),
		cmocka_unit_test(test_no_room),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
