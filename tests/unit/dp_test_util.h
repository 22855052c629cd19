/*
 * Helpers shared by the data-plane tests: a SAD whose entries carry a
 * struct dp_sa, SAs with fixed keys, and IPv4/IPv6 test packets.
 */
#ifndef COATI_TESTS_DP_TEST_UTIL_H
#define COATI_TESTS_DP_TEST_UTIL_H

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dataplane/dpsa.h"
#include "dataplane/ip.h"
#include "dataplane/ipsec_io.h"
#include "dataplane/pkt.h"
#include "ipsec/sad.h"
#include "lib/buf.h"

static inline void
dpt_removed(struct sad_entry *e, void *arg)
{
	(void)arg;
	dp_sa_free(e->backend);
	e->backend = NULL;
}

static inline struct sad *
dpt_sad_new(void)
{
	struct sad_hooks h = {.removed = dpt_removed};
	struct sad *sad = sad_new(&h);

	assert_non_null(sad);
	return sad;
}

static inline struct addr
dpt_addr(const char *s)
{
	struct addr a;

	assert_int_equal(addr_parse(s, &a), 0);
	return a;
}

/* Smallest key length a transform accepts; keys are a fixed byte pattern. */
static inline void
dpt_key(struct ipsec_key *k, bool (*ok)(int, size_t), int alg, uint8_t seed)
{
	size_t len = 0;

	while (len <= IPSEC_KEY_MAX && !ok(alg, len))
		len++;
	assert_true(len <= IPSEC_KEY_MAX);
	k->len = (uint8_t)len;
	for (size_t i = 0; i < len; i++)
		k->bytes[i] = (uint8_t)(seed + i * 7);
}

static inline bool
dpt_enc_ok(int alg, size_t len)
{
	return ipsec_enc_key_ok((enum ipsec_enc)alg, len);
}

static inline bool
dpt_auth_ok(int alg, size_t len)
{
	return ipsec_auth_key_ok((enum ipsec_auth)alg, len);
}

static inline struct ipsec_sa
dpt_sa(uint8_t proto, uint8_t mode, uint32_t spi, const char *src, const char *dst,
       uint8_t enc, uint8_t auth)
{
	struct ipsec_sa sa;

	memset(&sa, 0, sizeof(sa));
	sa.proto = proto;
	sa.mode = mode;
	sa.spi = spi;
	sa.src = dpt_addr(src);
	sa.dst = dpt_addr(dst);
	sa.replay = 64;
	sa.enc = enc;
	sa.auth = auth;
	if (proto == IPSEC_PROTO_IPCOMP)
		sa.comp = IPSEC_COMP_DEFLATE;
	dpt_key(&sa.enc_key, dpt_enc_ok, enc, 0x11);
	dpt_key(&sa.auth_key, dpt_auth_ok, auth, 0x5a);
	return sa;
}

/* Install sa with its data-plane state. */
static inline struct sad_entry *
dpt_add(struct sad *sad, const struct ipsec_sa *sa)
{
	struct sad_entry *e;
	struct dp_sa *d;

	assert_int_equal(sad_add(sad, sa, 0, &e), 0);
	assert_int_equal(dp_sa_new(sa, &d), 0);
	e->backend = d;
	return e;
}

static inline struct dp_sa *
dpt_dp(const struct sad_entry *e)
{
	return e->backend;
}

static inline struct pkt *
dpt_pkt_new(void)
{
	struct pkt *p = malloc(sizeof(*p));

	assert_non_null(p);
	pkt_reset(p);
	return p;
}

static inline void
dpt_pkt_set(struct pkt *p, const uint8_t *b, size_t len)
{
	pkt_reset(p);
	memcpy(p->data, b, len);
	p->len = len;
}

/*
 * A UDP datagram of n payload bytes (pattern seeded by n) from src to dst
 * (both of one family), written at p->data. Ports 1000 -> 2000.
 */
static inline void
dpt_udp(struct pkt *p, const char *src, const char *dst, size_t n)
{
	struct addr s = dpt_addr(src), d = dpt_addr(dst);
	size_t ip = s.family == AF_INET ? IP4_HDR_LEN : IP6_HDR_LEN;
	uint8_t *u;

	pkt_reset(p);
	if (s.family == AF_INET)
		ip4_build(p->data, &s, &d, IP_PROTO_UDP, (uint16_t)(ip + 8 + n), 0x1234, 63);
	else
		ip6_build(p->data, &s, &d, IP_PROTO_UDP, (uint16_t)(8 + n), 63);
	u = p->data + ip;
	be16_put(u, 1000);
	be16_put(u + 2, 2000);
	be16_put(u + 4, (uint16_t)(8 + n));
	be16_put(u + 6, 0);
	for (size_t i = 0; i < n; i++)
		u[8 + i] = (uint8_t)(i * 31 + n);
	p->len = ip + 8 + n;
}

#endif
