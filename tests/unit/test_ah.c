/* AH (RFC 4302): round trips, mutable and immutable header fields, replay, layout. */
#include "dp_test_util.h"
#include "dataplane/ah.h"

static const uint8_t auths[] = {
    IPSEC_AUTH_HMAC_MD5_96,     IPSEC_AUTH_HMAC_SHA1_96,    IPSEC_AUTH_HMAC_SHA256_128,
    IPSEC_AUTH_HMAC_SHA384_192, IPSEC_AUTH_HMAC_SHA512_256,
};
#define NAUTHS (sizeof(auths) / sizeof(auths[0]))

struct shape {
	uint8_t mode;
	const char *osrc, *odst, *isrc, *idst;
};

static const struct shape shapes[] = {
    {IPSEC_MODE_TRANSPORT, "192.0.2.1", "192.0.2.2", "192.0.2.1", "192.0.2.2"},
    {IPSEC_MODE_TRANSPORT, "2001:db8::1", "2001:db8::2", "2001:db8::1", "2001:db8::2"},
    {IPSEC_MODE_TUNNEL, "192.0.2.1", "192.0.2.2", "10.0.0.1", "10.0.0.2"},
    {IPSEC_MODE_TUNNEL, "2001:db8::1", "2001:db8::2", "fd00::1", "fd00::2"},
    {IPSEC_MODE_TUNNEL, "2001:db8::1", "2001:db8::2", "10.0.0.1", "10.0.0.2"},
    {IPSEC_MODE_TUNNEL, "192.0.2.1", "192.0.2.2", "fd00::1", "fd00::2"},
};
#define NSHAPES (sizeof(shapes) / sizeof(shapes[0]))

static struct sad_entry *
add_ah(struct sad *sad, uint8_t auth, const struct shape *s, bool esn)
{
	struct ipsec_sa sa = dpt_sa(IPSEC_PROTO_AH, s->mode, 0x2000, s->osrc, s->odst, 0, auth);

	sa.esn = esn;
	return dpt_add(sad, &sa);
}

/* Check the AH layout of an output packet (RFC 4302 2.2, 3.3.3.2.1). */
static void
check_layout(const struct sad_entry *e, const struct pkt *p, uint8_t nh)
{
	size_t icv = xform_icv_len(dpt_dp(e)->x), len;
	struct ip_info ii;
	const uint8_t *ah;

	assert_int_equal(ip_parse(p->data, p->len, &ii), 0);
	assert_int_equal(ii.proto, IPSEC_PROTO_AH);
	ah = p->data + ii.hdr_len;
	len = ((size_t)ah[1] + 2) * 4;
	assert_int_equal(ah[0], nh);
	assert_int_equal(be16_get(ah + 2), 0);
	assert_int_equal(be32_get(ah + 4), e->sa.spi);
	assert_int_equal(be32_get(ah + 8), (uint32_t)e->seq_out);
	assert_true(len >= AH_HDR_LEN + icv);
	assert_true(len - AH_HDR_LEN - icv < (ii.family == AF_INET ? 4u : 8u));
	assert_int_equal(len % (ii.family == AF_INET ? 4 : 8), 0);
}

static void
test_roundtrip(void **state)
{
	struct pkt *p = dpt_pkt_new();
	uint8_t orig[2048];

	(void)state;
	for (size_t a = 0; a < NAUTHS; a++) {
		for (size_t s = 0; s < NSHAPES; s++) {
			for (int esn = 0; esn < 2; esn++) {
				struct sad *sad = dpt_sad_new();
				struct sad_entry *e = add_ah(sad, auths[a], &shapes[s], esn), *got;
				size_t olen;
				uint8_t nh;

				if (esn)
					e->seq_out = UINT32_MAX - 2; /* cross 2^32 */
				for (size_t n = 0; n < 300; n += 37) {
					dpt_udp(p, shapes[s].isrc, shapes[s].idst, n);
					memcpy(orig, p->data, p->len);
					olen = p->len;

					nh = shapes[s].mode == IPSEC_MODE_TRANSPORT ? IP_PROTO_UDP
					     : p->data[0] >> 4 == 4                 ? IP_PROTO_IPIP
					                                            : IP_PROTO_IPV6;
					assert_int_equal(ipsec_output(e, p), 0);
					check_layout(e, p, nh);
					assert_int_equal(ipsec_input(sad, p, &got), 0);
					assert_ptr_equal(got, e);
					assert_int_equal(p->len, olen);
					assert_memory_equal(p->data, orig, olen);
				}
				sad_free(sad);
			}
		}
	}
	free(p);
}

/* Produce one AH packet of shape s and keep its wire bytes. */
static size_t
ah_wire(struct sad_entry *e, const struct shape *s, struct pkt *p, uint8_t *wire)
{
	dpt_udp(p, s->isrc, s->idst, 50);
	assert_int_equal(ipsec_output(e, p), 0);
	memcpy(wire, p->data, p->len);
	return p->len;
}

/* Mutate byte `off` of a fresh copy (xor with `x`) and expect `rc` from input. */
static void
expect(struct sad *sad, struct pkt *p, const uint8_t *wire, size_t len, size_t off, uint8_t x,
       int rc)
{
	struct sad_entry *got;

	dpt_pkt_set(p, wire, len);
	p->data[off] ^= x;
	if (ipsec_input(sad, p, &got) != rc)
		fail_msg("mutation at %zu (^%02x): want %d", off, x, rc);
}

static void
test_mutable_v4(void **state)
{
	struct sad *sad = dpt_sad_new();
	struct sad_entry *e = add_ah(sad, IPSEC_AUTH_HMAC_SHA1_96, &shapes[0], false);
	struct pkt *p = dpt_pkt_new();
	/* RFC 4302 3.3.3.1.1.1: TOS, flags, fragment offset, TTL, checksum are mutable */
	static const struct {
		size_t off;
		uint8_t x;
	} mut[] = {{1, 0xb8}, {6, 0x40}, {8, 0x07}, {10, 0x55}, {11, 0xaa}};
	uint8_t wire[256];
	size_t len;

	(void)state;
	for (size_t i = 0; i < sizeof(mut) / sizeof(mut[0]); i++) {
		len = ah_wire(e, &shapes[0], p, wire);
		expect(sad, p, wire, len, mut[i].off, mut[i].x, 0);
	}
	/* immutable: ID, protocol-independent payload, source address, the AH itself */
	len = ah_wire(e, &shapes[0], p, wire);
	expect(sad, p, wire, len, 4, 0x01, -EBADMSG);
	expect(sad, p, wire, len, 13, 0x01, -EBADMSG);
	expect(sad, p, wire, len, len - 1, 0x80, -EBADMSG);
	expect(sad, p, wire, len, 20, 0x01, -EBADMSG);
	expect(sad, p, wire, len, 20 + 12, 0x01, -EBADMSG);
	expect(sad, p, wire, len, 20 + 11, 0x01, -EBADMSG);
	assert_int_equal(e->ctr.auth_fail, 6);
	/* the failures did not move the window: the packet itself still passes, once */
	expect(sad, p, wire, len, 0, 0, 0);
	expect(sad, p, wire, len, 0, 0, -EALREADY);
	assert_int_equal(e->ctr.replay, 1);
	/* the AH length must match the SA's ICV size; the destination selects the SA */
	expect(sad, p, wire, len, 21, 0x01, -EINVAL);
	expect(sad, p, wire, len, 19, 0x01, -ENOENT);
	sad_free(sad);
	free(p);
}

static void
test_mutable_v6(void **state)
{
	struct sad *sad = dpt_sad_new();
	struct sad_entry *e = add_ah(sad, IPSEC_AUTH_HMAC_SHA256_128, &shapes[3], false);
	struct pkt *p = dpt_pkt_new();
	uint8_t wire[256];
	size_t len;

	(void)state;
	/* RFC 4302 3.3.3.1.2.1: traffic class, flow label, hop limit are mutable */
	for (size_t off = 0; off < 8; off++) {
		if (off >= 4 && off != 7)
			continue;
		len = ah_wire(e, &shapes[3], p, wire);
		expect(sad, p, wire, len, off, off == 0 ? 0x0f : 0xff, 0);
	}
	len = ah_wire(e, &shapes[3], p, wire);
	expect(sad, p, wire, len, 8, 0x01, -EBADMSG);       /* source address */
	expect(sad, p, wire, len, 40 + 40, 0x01, -EBADMSG); /* inner header */
	/* SHA-256-128: 28 bytes of AH padded to 32 for IPv6; the padding is covered too */
	expect(sad, p, wire, len, 40 + 28, 0x01, -EBADMSG);
	expect(sad, p, wire, len, 40 + 1, 0x01, -EINVAL);
	sad_free(sad);
	free(p);
}

/* Options and extension headers would need per-option mutability: refused. */
static void
test_options_refused(void **state)
{
	struct sad *sad = dpt_sad_new();
	struct sad_entry *e = add_ah(sad, IPSEC_AUTH_HMAC_SHA1_96, &shapes[0], false), *got;
	struct pkt *p = dpt_pkt_new();
	uint8_t wire[256];
	size_t len;

	(void)state;
	dpt_udp(p, "192.0.2.1", "192.0.2.2", 20);
	memmove(p->data + 24, p->data + 20, p->len - 20);
	memcpy(p->data + 20, "\x01\x01\x01\x00", 4);
	p->data[0] = 0x46;
	p->len += 4;
	ip_set_len(p->data, AF_INET, p->len);
	assert_int_equal(ipsec_output(e, p), -EINVAL);
	/* the same on input: a valid AH packet with an option inserted */
	len = ah_wire(e, &shapes[0], p, wire);
	pkt_reset(p);
	memcpy(p->data, wire, 20);
	memcpy(p->data + 20, "\x01\x01\x01\x00", 4);
	memcpy(p->data + 24, wire + 20, len - 20);
	p->data[0] = 0x46;
	p->len = len + 4;
	ip_set_len(p->data, AF_INET, p->len);
	assert_int_equal(ipsec_input(sad, p, &got), -EINVAL);
	assert_int_equal(e->ctr.invalid, 1);
	sad_free(sad);
	free(p);
}

static void
test_truncation(void **state)
{
	struct sad *sad = dpt_sad_new();
	struct sad_entry *e = add_ah(sad, IPSEC_AUTH_HMAC_SHA384_192, &shapes[2], false), *got;
	struct pkt *p = dpt_pkt_new();
	uint8_t wire[256];
	size_t len = ah_wire(e, &shapes[2], p, wire);

	(void)state;
	for (size_t n = IP4_HDR_LEN; n < len; n++) {
		dpt_pkt_set(p, wire, n);
		ip_set_len(p->data, AF_INET, n);
		assert_int_not_equal(ipsec_input(sad, p, &got), 0);
	}
	assert_int_equal(dpt_dp(e)->replay.top, 0);
	dpt_pkt_set(p, wire, len);
	assert_int_equal(ipsec_input(sad, p, &got), 0);
	sad_free(sad);
	free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_mutable_v4),
		cmocka_unit_test(test_mutable_v6),
		cmocka_unit_test(test_options_refused),
		cmocka_unit_test(test_truncation),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
