/*
 * TUN offloads: segmentation of virtio_net_hdr super-segments (TCPv4,
 * TCPv6, UDP), checksum completion, malformed headers, and TCP receive
 * coalescing. Checksums are verified with ip.c's independent byte-wise sum.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dataplane/gro.h"
#include "dataplane/gso.h"
#include "dataplane/ip.h"
#include "lib/buf.h"

enum { F_FIN = 0x01, F_SYN = 0x02, F_PSH = 0x08, F_ACK = 0x10, F_CWR = 0x80 };

static const uint8_t a4[2][4] = {{10, 2, 0, 1}, {10, 1, 0, 1}};
static const uint8_t a6[2][16] = {{0x20, 0x01, 0x0d, 0xb8, [15] = 1},
				  {0x20, 0x01, 0x0d, 0xb8, [15] = 2}};

/* Transport checksum over a whole packet, pseudo-header included: 0xffff when valid. */
static uint16_t
l4_sum(const uint8_t *p, size_t len)
{
	struct ip_info ii;
	uint8_t ph[40] = {0};
	uint32_t s;
	size_t l4;

	assert_int_equal(ip_parse(p, len, &ii), 0);
	l4 = ii.total_len - ii.hdr_len;
	if (ii.family == AF_INET) {
		memcpy(ph, &ii.src.v4, 4);
		memcpy(ph + 4, &ii.dst.v4, 4);
		ph[9] = ii.proto;
		be16_put(ph + 10, (uint16_t)l4);
		s = ip_csum_add(0, ph, 12);
	} else {
		memcpy(ph, &ii.src.v6, 16);
		memcpy(ph + 16, &ii.dst.v6, 16);
		be32_put(ph + 32, (uint32_t)l4);
		ph[39] = ii.proto;
		s = ip_csum_add(0, ph, 40);
	}
	return ip_csum_fold(ip_csum_add(s, p + ii.hdr_len, l4));
}

/* An IP header for family with l4_len transport bytes; returns its length. */
static size_t
put_ip(uint8_t *p, int family, uint8_t proto, size_t l4_len)
{
	struct addr s = {.family = (uint8_t)family}, d = {.family = (uint8_t)family};

	if (family == AF_INET) {
		memcpy(&s.v4, a4[0], 4);
		memcpy(&d.v4, a4[1], 4);
		ip4_build(p, &s, &d, proto, (uint16_t)(20 + l4_len), 0x1234, 64);
		p[6] = 0x40; /* DF */
		ip4_set_csum(p);
		return 20;
	}
	memcpy(&s.v6, a6[0], 16);
	memcpy(&d.v6, a6[1], 16);
	ip6_build(p, &s, &d, proto, (uint16_t)l4_len, 64);
	return 40;
}

/*
 * A TCP packet (12 bytes of options) with payload bytes (seq + i) & 0xff and a
 * valid checksum unless bad_csum; returns its length.
 */
static size_t
put_tcp(uint8_t *p, int family, uint16_t sport, uint32_t seq, uint8_t flags, size_t payload,
	bool bad_csum)
{
	size_t ihl = put_ip(p, family, IP_PROTO_TCP, 32 + payload), len = ihl + 32;
	uint8_t *t = p + ihl;

	memset(t, 0, 32);
	be16_put(t, sport);
	be16_put(t + 2, 80);
	be32_put(t + 4, seq);
	be32_put(t + 8, 0xabcdef01);
	t[12] = 8 << 4;
	t[13] = flags;
	be16_put(t + 14, 512);
	t[20] = 1, t[21] = 1, t[22] = 8, t[23] = 10; /* NOP NOP timestamps */
	be32_put(t + 24, 77);
	for (size_t i = 0; i < payload; i++)
		p[len + i] = (uint8_t)(seq + i);
	len += payload;
	be16_put(t + 16, (uint16_t)~l4_sum(p, len));
	if (bad_csum)
		t[16] ^= 0x40;
	return len;
}

static size_t
put_vnet(uint8_t *buf, uint8_t flags, uint8_t type, uint16_t gso_size, uint16_t cstart,
	 uint16_t coff)
{
	struct vnet_hdr h = {flags, type, 0, gso_size, cstart, coff};

	vnet_hdr_write(buf, &h);
	return VNET_HDR_LEN;
}

static struct pkt *
pkt_new(void)
{
	struct pkt *p = malloc(sizeof(*p));

	assert_non_null(p);
	pkt_reset(p);
	return p;
}

/* The word-wise sum against ip.c's byte-wise one, every length and alignment up to 80. */
static void
test_csum(void **state)
{
	uint8_t buf[1600];
	uint32_t x = 12345;

	(void)state;
	for (size_t i = 0; i < sizeof(buf); i++) {
		x = x * 1103515245 + 12345;
		buf[i] = (uint8_t)(x >> 16);
	}
	memset(buf + 1000, 0xff, 200); /* long carry chains */
	for (size_t off = 0; off < 8; off++)
		for (size_t len = 0; len <= 80; len++)
			assert_int_equal(csum_fold(csum_add(0, buf + off, len)),
					 ip_csum_fold(ip_csum_add(0, buf + off, len)));
	assert_int_equal(csum_fold(csum_add(csum_add(0, buf, 998), buf + 998, 600)),
			 ip_csum_fold(ip_csum_add(0, buf, 1598)));
}

static void
check_tcp_split(int family, uint16_t mss, size_t payload)
{
	static uint8_t buf[VNET_HDR_LEN + 65536];
	size_t ihl = family == AF_INET ? 20 : 40, off = 0;
	uint8_t type = family == AF_INET ? VNET_GSO_TCPV4 : VNET_GSO_TCPV6;
	size_t n = put_vnet(buf, VNET_F_NEEDS_CSUM, type, mss, (uint16_t)ihl, 16);
	struct pkt *p = pkt_new();
	struct gso_iter it;
	unsigned k = 0, want = (unsigned)((payload + mss - 1) / mss);

	n += put_tcp(buf + n, family, 1234, 1000, F_ACK | F_PSH | F_FIN | F_CWR, payload, false);
	assert_int_equal(gso_begin(&it, buf, n), 0);
	while (gso_next(&it, p)) {
		size_t seg = payload - off < mss ? payload - off : mss;
		const uint8_t *t = p->data + ihl;
		uint8_t fl = t[13];

		assert_int_equal(p->len, ihl + 32 + seg);
		if (family == AF_INET) {
			assert_int_equal(be16_get(p->data + 2), p->len);
			assert_int_equal(be16_get(p->data + 4), 0x1234 + k);
			assert_int_equal(ip_csum_fold(ip_csum_add(0, p->data, 20)), 0xffff);
		} else {
			assert_int_equal(be16_get(p->data + 4), p->len - 40);
		}
		assert_int_equal(be32_get(t + 4), 1000 + off);
		assert_int_equal(fl & F_CWR, k == 0 ? F_CWR : 0);
		assert_int_equal(fl & (F_FIN | F_PSH), k == want - 1 ? F_FIN | F_PSH : 0);
		assert_true(fl & F_ACK);
		assert_memory_equal(t + 20, buf + VNET_HDR_LEN + ihl + 20, 12); /* options kept */
		assert_int_equal(l4_sum(p->data, p->len), 0xffff);
		for (size_t i = 0; i < seg; i++)
			assert_int_equal(p->data[ihl + 32 + i], (uint8_t)(1000 + off + i));
		off += seg;
		k++;
	}
	assert_int_equal(k, want);
	assert_int_equal(off, payload);
	free(p);
}

static void
test_split_tcp4(void **state)
{
	(void)state;
	check_tcp_split(AF_INET, 1000, 3500);
	check_tcp_split(AF_INET, 1348, 65535 - 20 - 32);
	check_tcp_split(AF_INET, 500, 500); /* exactly one segment */
}

static void
test_split_tcp6(void **state)
{
	(void)state;
	check_tcp_split(AF_INET6, 1200, 1301);
	check_tcp_split(AF_INET6, 1328, 60000);
}

static void
test_split_udp(void **state)
{
	static uint8_t buf[VNET_HDR_LEN + 4000];
	size_t n = put_vnet(buf, VNET_F_NEEDS_CSUM, VNET_GSO_UDP_L4, 500, 20, 6), ihl;
	struct pkt *p = pkt_new();
	struct gso_iter it;
	size_t sizes[] = {500, 500, 201}, k = 0;

	ihl = put_ip(buf + n, AF_INET, IP_PROTO_UDP, 8 + 1201);
	be16_put(buf + n + ihl, 4500);
	be16_put(buf + n + ihl + 2, 4501);
	be16_put(buf + n + ihl + 4, 8 + 1201);
	for (size_t i = 0; i < 1201; i++)
		buf[n + ihl + 8 + i] = (uint8_t)(i * 7);
	n += ihl + 8 + 1201;
	assert_int_equal(gso_begin(&it, buf, n), 0);
	while (gso_next(&it, p)) {
		assert_true(k < 3);
		assert_int_equal(p->len, 28 + sizes[k]);
		assert_int_equal(be16_get(p->data + 24), 8 + sizes[k]);
		assert_int_equal(be16_get(p->data + 4), 0x1234 + k);
		assert_int_equal(l4_sum(p->data, p->len), 0xffff);
		assert_int_equal(p->data[28], (uint8_t)(k * 500 * 7));
		k++;
	}
	assert_int_equal(k, 3);
	free(p);
}

/* Not segmented, but the stack left the checksum to us (seeded with the pseudo-header). */
static void
test_needs_csum(void **state)
{
	uint8_t buf[VNET_HDR_LEN + 200];
	size_t n = put_vnet(buf, VNET_F_NEEDS_CSUM, VNET_GSO_NONE, 0, 40, 16), len;
	struct pkt *p = pkt_new();
	struct gso_iter it;
	struct ip_info ii;

	(void)state;
	len = put_tcp(buf + n, AF_INET6, 5, 77, F_ACK, 99, false);
	assert_int_equal(ip_parse(buf + n, len, &ii), 0);
	be16_put(buf + n + 40 + 16, csum_fold(csum_pseudo(&ii, IP_PROTO_TCP, len - 40)));
	assert_int_equal(gso_begin(&it, buf, n + len), 0);
	assert_true(gso_next(&it, p));
	assert_int_equal(p->len, len);
	assert_int_equal(l4_sum(p->data, p->len), 0xffff);
	assert_false(gso_next(&it, p));
	/* and a plain packet is passed through untouched */
	n = put_vnet(buf, 0, VNET_GSO_NONE, 0, 0, 0);
	len = put_tcp(buf + n, AF_INET, 5, 77, F_ACK, 10, true);
	assert_int_equal(gso_begin(&it, buf, n + len), 0);
	assert_true(gso_next(&it, p));
	assert_memory_equal(p->data, buf + n, len);
	free(p);
}

static void
test_malformed(void **state)
{
	uint8_t buf[VNET_HDR_LEN + 200];
	struct gso_iter it;
	size_t len = put_tcp(buf + VNET_HDR_LEN, AF_INET, 5, 77, F_ACK, 100, false);
	size_t n = VNET_HDR_LEN + len;
	struct {
		uint8_t flags, type;
		uint16_t size, cstart, coff;
	} bad[] = {
		{0, 7, 100, 20, 16},                       /* unknown GSO type */
		{0, VNET_GSO_UDP, 100, 20, 16},            /* UFO is never enabled */
		{0, VNET_GSO_TCPV4, 0, 20, 16},            /* no segment size */
		{0, VNET_GSO_TCPV6, 100, 20, 16},          /* TCPv6 GSO on an IPv4 packet */
		{0, VNET_GSO_UDP_L4, 100, 20, 6},          /* UDP GSO on TCP */
		{VNET_F_NEEDS_CSUM, 0, 0, 20, 2000},       /* checksum beyond the packet */
		{VNET_F_NEEDS_CSUM, 0, 0, 4, 0},           /* checksum inside the IP header */
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		put_vnet(buf, bad[i].flags, bad[i].type, bad[i].size, bad[i].cstart, bad[i].coff);
		assert_int_equal(gso_begin(&it, buf, n), -EBADMSG);
	}
	put_vnet(buf, 0, VNET_GSO_TCPV4, 100, 20, 16);
	assert_int_equal(gso_begin(&it, buf, n), 0);
	for (size_t k = 0; k < n; k++) /* every truncation of a valid one fails */
		assert_int_equal(gso_begin(&it, buf, k), -EBADMSG);
	buf[VNET_HDR_LEN + 20 + 12] = 4 << 4; /* TCP data offset below 5 */
	assert_int_equal(gso_begin(&it, buf, n), -EBADMSG);
}

/* ---- coalescing ---- */

struct gro_case {
	struct gro g;
	struct pkt *p[8];
	unsigned n;
};

static void
gro_put(struct gro_case *c, bool want_merged, int family, uint16_t sport, uint32_t seq,
	uint8_t flags, size_t payload, bool bad)
{
	struct pkt *p = c->p[c->n++];

	pkt_reset(p);
	p->len = put_tcp(p->data, family, sport, seq, flags, payload, bad);
	assert_int_equal(gro_add(&c->g, p), want_merged);
}

static void
gro_case_init(struct gro_case *c)
{
	memset(c, 0, sizeof(*c));
	gro_init(&c->g);
	for (unsigned i = 0; i < 8; i++)
		c->p[i] = pkt_new();
}

static void
gro_case_free(struct gro_case *c)
{
	for (unsigned i = 0; i < 8; i++)
		free(c->p[i]);
}

static void
check_gro_merge(int family)
{
	struct gro_case c;
	size_t ihl = family == AF_INET ? 20 : 40;
	struct rd r;
	struct vnet_hdr vh;
	struct pkt *p;
	uint8_t *ip;
	size_t len;

	gro_case_init(&c);
	gro_put(&c, false, family, 7, 5000, F_ACK, 1000, false);
	gro_put(&c, true, family, 7, 6000, F_ACK, 1000, false);
	gro_put(&c, true, family, 7, 7000, F_ACK, 1000, false);
	gro_put(&c, true, family, 7, 8000, F_ACK | F_PSH, 300, false);
	assert_int_equal(c.g.n, 1);
	p = gro_finish(&c.g, 0);
	r = rd_init(p->data, p->len);
	assert_true(vnet_hdr_read(&r, &vh));
	assert_int_equal(vh.flags, VNET_F_NEEDS_CSUM);
	assert_int_equal(vh.gso_type, family == AF_INET ? VNET_GSO_TCPV4 : VNET_GSO_TCPV6);
	assert_int_equal(vh.gso_size, 1000);
	assert_int_equal(vh.hdr_len, ihl + 32);
	assert_int_equal(vh.csum_start, ihl);
	assert_int_equal(vh.csum_offset, 16);
	ip = p->data + VNET_HDR_LEN;
	len = p->len - VNET_HDR_LEN;
	assert_int_equal(len, ihl + 32 + 3300);
	if (family == AF_INET)
		assert_int_equal(ip_csum_fold(ip_csum_add(0, ip, 20)), 0xffff);
	assert_int_equal(ip[ihl + 13], F_ACK | F_PSH);
	for (size_t i = 0; i < 3300; i++)
		assert_int_equal(ip[ihl + 32 + i], (uint8_t)(5000 + i));
	/* what the kernel does with NEEDS_CSUM: sum from csum_start over the seeded field */
	be16_put(ip + ihl + 16, (uint16_t)~ip_csum_fold(ip_csum_add(0, ip + ihl, len - ihl)));
	assert_int_equal(l4_sum(ip, len), 0xffff);
	gro_case_free(&c);
}

static void
test_gro_merge(void **state)
{
	(void)state;
	check_gro_merge(AF_INET);
	check_gro_merge(AF_INET6);
}

static void
test_gro_refuse(void **state)
{
	struct gro_case c;
	struct pkt *p;

	(void)state;
	gro_case_init(&c); /* out of order, and a different flow in between */
	gro_put(&c, false, AF_INET, 7, 5000, F_ACK, 1000, false);
	gro_put(&c, false, AF_INET, 7, 7000, F_ACK, 1000, false);
	gro_put(&c, false, AF_INET, 8, 8000, F_ACK, 1000, false);
	gro_put(&c, true, AF_INET, 7, 8000, F_ACK, 1000, false); /* joins the newest of flow 7 */
	gro_put(&c, false, AF_INET, 7, 5000, F_ACK, 1000, false); /* no going back */
	assert_int_equal(c.g.n, 4);
	p = gro_finish(&c.g, 2);
	assert_int_equal(p->data[0], 0); /* a single segment goes without GSO */
	assert_int_equal(p->data[1], VNET_GSO_NONE);
	gro_case_free(&c);

	gro_case_init(&c); /* flags */
	gro_put(&c, false, AF_INET6, 7, 5000, F_ACK | F_PSH, 1000, false);
	gro_put(&c, false, AF_INET6, 7, 6000, F_ACK, 1000, false);
	gro_put(&c, false, AF_INET6, 7, 7000, F_ACK | F_FIN, 1000, false);
	gro_put(&c, false, AF_INET6, 7, 8000, F_ACK, 1000, false);
	gro_put(&c, false, AF_INET6, 7, 9000, F_ACK | F_SYN, 1000, false);
	gro_case_free(&c);

	gro_case_init(&c); /* sizes and checksums */
	gro_put(&c, false, AF_INET, 7, 5000, F_ACK, 500, false);
	gro_put(&c, false, AF_INET, 7, 5500, F_ACK, 501, false); /* larger than the first */
	gro_put(&c, false, AF_INET, 7, 6001, F_ACK, 501, true);  /* bad checksum */
	gro_put(&c, false, AF_INET, 7, 6502, F_ACK, 300, false);
	gro_put(&c, true, AF_INET, 7, 6802, F_ACK, 200, false);  /* short: closes the item */
	gro_put(&c, false, AF_INET, 7, 7002, F_ACK, 100, false);
	gro_put(&c, false, AF_INET, 7, 7102, F_ACK, 0, false);   /* pure ACK */
	gro_case_free(&c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csum),       cmocka_unit_test(test_split_tcp4),
		cmocka_unit_test(test_split_tcp6),
		cmocka_unit_test(test_split_udp),  cmocka_unit_test(test_needs_csum),
		cmocka_unit_test(test_malformed),  cmocka_unit_test(test_gro_merge),
		cmocka_unit_test(test_gro_refuse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
