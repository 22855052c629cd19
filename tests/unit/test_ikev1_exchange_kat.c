/*
 * The IKEv1 engine as responder against a Main Mode + Quick Mode exchange that
 * strongSwan 5.9.8 ran with another strongSwan (scenario b of tests/unit/test_ikev1_keys.c,
 * where the capture is described: IKE aes256-sha1-modp1024, ESP aes256-sha1 without PFS,
 * NAT-T in use as kernel-libipsec always claims it, PSK "swp-test-psk-not-a-secret").
 * The arrays are shared with that file (ikev1_swan_vectors.h).
 *
 * The logs hold no DH private value, so the ISAKMP SA enters the engine in state MM_R2
 * with the logged g^x values, nonces and g^xy; from there on everything is the engine's:
 * strongSwan's MM5 in, our MM6 out (byte for byte the MM6 strongSwan's responder sent),
 * strongSwan's QM1 in (its logged plaintext encrypted here under the logged IV), our QM2
 * out (byte for byte strongSwan's, given its SPI and nonce through the random hook), QM3
 * in, and the installed SAs' KEYMAT equal to strongSwan's.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "crypto/ikecipher.h"
#include "ike/v1/engine_int.h"

#define PSK_STR "swp-test-psk-not-a-secret"
#define QM_MID 0x305b0337u

#include "ikev1_swan_vectors.h"

/* The responder's SPI and nonce, as strongSwan's responder chose them. */
static const uint8_t r_spi[4] = {0x8e, 0xda, 0xa2, 0xde};

struct kat {
	struct ikev1_engine *e;
	struct ikev1_remote cfg;
	struct ikev1_peer peer;
	int nrandom;
	uint8_t sent[IKEV1_MSG_MAX];
	size_t sent_len;
	int nsent;
	struct ikev1_child child;
	int ninstalled;
};

static int
kat_send(void *arg, const struct ikev1_peer *p, const uint8_t *msg, size_t len)
{
	struct kat *k = arg;

	(void)p;
	assert_true(len <= sizeof(k->sent));
	memcpy(k->sent, msg, len);
	k->sent_len = len;
	k->nsent++;
	return 0;
}

static uint64_t
kat_now(void *arg)
{
	(void)arg;
	return 0;
}

static void
kat_timer(void *arg, struct ikev1_ike_sa *sa, uint64_t ms)
{
	(void)arg;
	(void)sa;
	(void)ms;
}

/* Scripted: the SPI, the nonce of QM2, the lifetime jitter; nothing else may ask. */
static int
kat_random(void *arg, void *buf, size_t n)
{
	struct kat *k = arg;

	switch (k->nrandom++) {
	case 0:
		assert_int_equal(n, sizeof(r_spi));
		memcpy(buf, r_spi, n);
		return 0;
	case 1:
		assert_int_equal(n, sizeof(s2_qm_nr));
		memcpy(buf, s2_qm_nr, n);
		return 0;
	case 2: /* at the inbound install: the jitter of the soft lifetime */
		assert_int_equal(n, 4);
		memset(buf, 0, n);
		return 0;
	}
	fail_msg("unexpected request for %zu random bytes", n);
	return -EIO;
}

static int
kat_install(void *arg, const struct ikev1_child *c)
{
	struct kat *k = arg;

	k->child = *c;
	k->ninstalled++;
	return 0;
}

static void
kat_remove(void *arg, const struct ikev1_child *c)
{
	(void)arg;
	(void)c;
}

static void
kat_event(void *arg, const char *text)
{
	(void)arg;
	(void)text;
}

static const struct ikev1_remote *
kat_remote(void *arg, const struct ikev1_peer *p)
{
	struct kat *k = arg;

	(void)p;
	return &k->cfg;
}

static void
kat_cfg(struct ikev1_remote *c)
{
	static const char me[] = "right@swp.test", peer[] = "left@swp.test";

	memset(c, 0, sizeof(*c));
	c->modes[0] = IKEV1_EXCH_MAIN;
	c->n_modes = 1;
	c->props[0] = (struct ikev1_p1_prop){IKEV1_ENC_AES_CBC, 256,          IKEV1_HASH_SHA,
	                                     IKEV1_AUTH_PSK,    DH_MODP_1024, 0};
	c->n_props = 1;
	c->my_id.type = IKEV1_ID_USER_FQDN;
	c->my_id.len = sizeof(me) - 1;
	memcpy(c->my_id.data, me, sizeof(me) - 1);
	c->peers_id.type = IKEV1_ID_USER_FQDN;
	c->peers_id.len = sizeof(peer) - 1;
	memcpy(c->peers_id.data, peer, sizeof(peer) - 1);
	c->nonce_size = 32;
	c->natt = IKEV1_NATT_ON;
	memcpy(c->psk, PSK_STR, sizeof(PSK_STR) - 1);
	c->psk_len = sizeof(PSK_STR) - 1;
	c->sainfo.lifetime_sec = 3600;
	c->sainfo.enc[0] = (struct ikev1_p2_enc){IPSEC_ENC_AES_CBC, 256};
	c->sainfo.n_enc = 1;
	c->sainfo.auth[0] = IPSEC_AUTH_HMAC_SHA1_96;
	c->sainfo.n_auth = 1;
	c->generate_policy = true;
}

/* The ISAKMP SA as strongSwan's responder held it after MM4, from the logged values. */
static struct ikev1_ike_sa *
kat_sa(struct kat *k)
{
	struct ikev1_ike_sa *sa;
	struct ikev1_phase1 p1;
	struct ikev1_bytes psk = {(const uint8_t *)PSK_STR, sizeof(PSK_STR) - 1};

	assert_int_equal(ikev1_sa_new(k->e, &k->peer, &k->cfg, false, &sa), 0);
	sa->exchange = IKEV1_EXCH_MAIN;
	sa->state = ST_MM_R2;
	sa->prop = k->cfg.props[0];
	memcpy(sa->cky_i, s2_cky_i, 8);
	memcpy(sa->cky_r, s2_cky_r, 8);
	sa->ph1->gx_len = sizeof(s2_gxi);
	memcpy(sa->ph1->gxi, s2_gxi, sizeof(s2_gxi));
	memcpy(sa->ph1->gxr, s2_gxr, sizeof(s2_gxr));
	sa->ph1->gxy_len = sizeof(s2_gxy);
	memcpy(sa->ph1->gxy, s2_gxy, sizeof(s2_gxy));
	sa->ph1->ni_len = sa->ph1->nr_len = 32;
	memcpy(sa->ph1->ni, s2_ni, 32);
	memcpy(sa->ph1->nr, s2_nr, 32);
	sa->ph1->sai_len = sizeof(s2_sai_b);
	memcpy(sa->ph1->sai_b, s2_sai_b, sizeof(s2_sai_b));
	sa->natt_peer = true;
	sa->nat_there = true;
	ikev1_p1_view(sa, &p1);
	assert_int_equal(ikev1_keys_derive_psk(&sa->keys, &p1, psk), 0);
	assert_int_equal(ikev1_keys_enc_key(&sa->keys, 32), 0);
	assert_int_equal(ikev1_keys_phase1_iv(&sa->keys, &p1, 16), 0);
	assert_memory_equal(sa->keys.iv, s2_iv1, 16);
	assert_int_equal(ikecipher_new(IKECIPHER_AES_CBC, sa->keys.enc_key, 32, &sa->cipher), 0);
	sa->block_len = 16;
	memcpy(sa->iv, sa->keys.iv, 16);
	return sa;
}

/* HDR (E flag) + body; returns the datagram length. */
static size_t
kat_msg(uint8_t *buf, uint8_t np, uint8_t exchange, uint32_t mid, const uint8_t *body, size_t len)
{
	struct ikev1_hdr h = {.np = np,
	                      .version = IKEV1_VERSION,
	                      .exchange = exchange,
	                      .flags = IKEV1_FLAG_ENC,
	                      .msgid = mid,
	                      .length = (uint32_t)(IKEV1_HDR_LEN + len)};
	struct wr w = wr_init(buf, IKEV1_MSG_MAX);

	memcpy(h.cookie_i, s2_cky_i, 8);
	memcpy(h.cookie_r, s2_cky_r, 8);
	ikev1_hdr_encode(&w, &h);
	wr_bytes(&w, body, len);
	assert_true(wr_ok(&w));
	return w.len;
}

/* A Quick Mode message from "left": HASH (next payload np) + rest, encrypted under iv. */
static size_t
kat_qm(struct ikev1_ike_sa *sa, uint8_t *buf, const uint8_t *hash, uint8_t np, const uint8_t *rest,
       size_t rest_len, uint8_t *iv)
{
	uint8_t body[256] = {0};
	struct ikecipher *c;
	size_t len = (24 + rest_len + 15) / 16 * 16;

	assert_true(len <= sizeof(body));
	body[0] = np;
	body[3] = 24;
	memcpy(body + 4, hash, 20);
	if (rest_len)
		memcpy(body + 24, rest, rest_len);
	assert_int_equal(ikecipher_new(IKECIPHER_AES_CBC, sa->keys.enc_key, 32, &c), 0);
	assert_int_equal(ikecipher_encrypt(c, body, len, iv), 0);
	ikecipher_free(c);
	return kat_msg(buf, IKEV1_PL_HASH, IKEV1_EXCH_QUICK, QM_MID, body, len);
}

static void
test_strongswan_responder_kat(void **state)
{
	struct kat k = {0};
	struct ikev1_env env = {.arg = &k,          .send = kat_send,     .now_ms = kat_now,
	                        .timer = kat_timer, .random = kat_random, .install = kat_install,
	                        .remove = kat_remove, .event = kat_event, .remote = kat_remote};
	struct ikev1_ike_sa *sa;
	uint8_t buf[IKEV1_MSG_MAX], iv[16], plain[144], want[144];
	struct ikecipher *c;
	size_t len;

	(void)state;
	kat_cfg(&k.cfg);
	assert_int_equal(addr_parse("192.0.2.2", &k.peer.local), 0);
	assert_int_equal(addr_parse("192.0.2.1", &k.peer.remote), 0);
	k.peer.lport = k.peer.rport = 4500;
	assert_int_equal(ikev1_engine_new(&env, &k.e), 0);
	sa = kat_sa(&k);

	/* MM5 (with strongSwan's INITIAL-CONTACT) in, MM6 out: strongSwan's bytes */
	len = kat_msg(buf, IKEV1_PL_ID, IKEV1_EXCH_MAIN, 0, s2_m5_cipher, sizeof(s2_m5_cipher));
	assert_int_equal(ikev1_input(k.e, &k.peer, buf, len), 0);
	assert_int_equal(sa->state, ST_P1_DONE);
	assert_int_equal(k.nsent, 1);
	assert_int_equal(k.sent_len, IKEV1_HDR_LEN + sizeof(s2_m6_cipher));
	assert_memory_equal(k.sent + IKEV1_HDR_LEN, s2_m6_cipher, sizeof(s2_m6_cipher));

	/* QM1 in (the IV the engine derives must be the logged one to decrypt it) */
	memcpy(iv, s2_qm_iv, 16);
	len = kat_qm(sa, buf, s2_qm_hash1, IKEV1_PL_SA, s2_qm1_rest, sizeof(s2_qm1_rest), iv);
	assert_int_equal(ikev1_input(k.e, &k.peer, buf, len), 0);
	assert_int_equal(k.nsent, 2);

	/* QM2 out: HASH(2) | SA | Nr | IDci | IDcr exactly as strongSwan's responder sent it */
	assert_int_equal(k.sent_len, IKEV1_HDR_LEN + sizeof(plain));
	memcpy(plain, k.sent + IKEV1_HDR_LEN, sizeof(plain));
	assert_int_equal(ikecipher_new(IKECIPHER_AES_CBC, sa->keys.enc_key, 32, &c), 0);
	assert_int_equal(ikecipher_decrypt(c, plain, sizeof(plain), iv), 0);
	ikecipher_free(c);
	memset(want, 0, sizeof(want));
	want[0] = IKEV1_PL_SA;
	want[3] = 24;
	memcpy(want + 4, s2_qm_hash2, 20);
	memcpy(want + 24, s2_qm2_rest, sizeof(s2_qm2_rest));
	assert_memory_equal(plain, want, sizeof(want));
	/* with QM2 sent, the inbound SA is in: the initiator may send once it has QM2 */
	assert_int_equal(k.ninstalled, 1);
	assert_int_equal(k.child.install, IKEV1_INSTALL_IN);

	/* QM3 in: the outbound SA goes in, strongSwan's KEYMAT, UDP-encapsulated */
	len = kat_qm(sa, buf, s2_qm_hash3, IKEV1_PL_NONE, NULL, 0, iv);
	assert_int_equal(ikev1_input(k.e, &k.peer, buf, len), 0);
	assert_int_equal(k.ninstalled, 2);
	assert_int_equal(k.child.install, IKEV1_INSTALL_OUT);
	assert_int_equal(k.child.in.spi, 0x8edaa2de);
	assert_int_equal(k.child.out.spi, 0x6fbd4b59);
	assert_int_equal(k.child.in.enc_key.len, 32);
	assert_memory_equal(k.child.in.enc_key.bytes, s2_km_i_enc, 32);
	assert_memory_equal(k.child.in.auth_key.bytes, s2_km_i_int, 20);
	assert_memory_equal(k.child.out.enc_key.bytes, s2_km_r_enc, 32);
	assert_memory_equal(k.child.out.auth_key.bytes, s2_km_r_int, 20);
	assert_true(k.child.udp_encap);
	assert_int_equal(k.child.encap_mode, IKEV1_ENCAP_UDP_TUNNEL);
	assert_int_equal(k.child.in.hard.add_seconds, 3960);
	/* the responder's soft limit: 90 % less a jitter of zero */
	assert_int_equal(k.child.in.soft.add_seconds, 3564);
	assert_int_equal(k.nrandom, 3);
	ikev1_engine_free(k.e);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_strongswan_responder_kat),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
