/*
 * IKEv1 key material (RFC 2409 5, 5.5, Appendix B) and the NAT-D hash
 * (RFC 3947 3.2). Pure functions of byte views: no SA, no codec, no socket.
 * PRF = HMAC over the negotiated hash (crypto/prf.h); every value is
 * computed at its full length, truncation is the caller's job.
 */
#ifndef COATI_IKE_V1_KEYS_H
#define COATI_IKE_V1_KEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto/hash.h"
#include "crypto/ikecipher.h"
#include "crypto/prf.h"

#define IKEV1_COOKIE_LEN 8
#define IKEV1_ENC_KEY_MAX 32 /* AES-256 */

/* A non-owning view of input bytes (nonce, DH value, payload body). */
struct ikev1_bytes {
	const uint8_t *p;
	size_t len;
};

/*
 * What both ends of phase 1 know after the KE/Nonce exchange. Nonces and SA
 * are payload bodies ("_b": without the generic payload header, RFC 2409 5);
 * gxi/gxr are the KE bodies, gxy the shared secret at the group's length.
 */
struct ikev1_phase1 {
	enum hash_alg hash;
	struct ikev1_bytes gxi, gxr, gxy;
	struct ikev1_bytes ni_b, nr_b;
	uint8_t cky_i[IKEV1_COOKIE_LEN];
	uint8_t cky_r[IKEV1_COOKIE_LEN];
};

/* An ISAKMP SA's secrets; wipe with ikev1_keys_clear() before release. */
struct ikev1_keys {
	enum hash_alg hash;
	size_t prf_len; /* length of each SKEYID* */
	uint8_t skeyid[PRF_MAX_LEN];
	uint8_t skeyid_d[PRF_MAX_LEN];
	uint8_t skeyid_a[PRF_MAX_LEN];
	uint8_t skeyid_e[PRF_MAX_LEN];
	uint8_t enc_key[IKEV1_ENC_KEY_MAX];
	size_t enc_key_len;
	uint8_t iv[IKECIPHER_BLOCK_MAX]; /* phase-1 IV; the caller chains it */
	size_t iv_len;
};

/*
 * SKEYID for pre-shared keys, prf(psk, Ni_b | Nr_b), or for signatures,
 * prf(Ni_b | Nr_b, g^xy); then SKEYID_d, _a, _e (RFC 2409 5). Fills k (hash,
 * prf_len, skeyid*). Returns 0, -EINVAL (bad hash or empty input) or -ENOMEM;
 * on error k holds no secret.
 */
int ikev1_keys_derive_psk(struct ikev1_keys *k, const struct ikev1_phase1 *p1,
                          struct ikev1_bytes psk);
int ikev1_keys_derive_sig(struct ikev1_keys *k, const struct ikev1_phase1 *p1);

/*
 * The encryption key of key_len bytes: SKEYID_e truncated, or expanded when
 * shorter as Ka = K1 | K2 ..., K1 = prf(SKEYID_e, 0), Kn = prf(SKEYID_e,
 * Kn-1) (Appendix B). Returns 0, -EINVAL (key_len 0 or > IKEV1_ENC_KEY_MAX)
 * or -ENOMEM.
 */
int ikev1_keys_enc_key(struct ikev1_keys *k, size_t key_len);

/*
 * Phase-1 IV = hash(g^xi | g^xr) truncated to block_len (Appendix B) into
 * k->iv. Returns 0, -EINVAL (block_len larger than the hash or the IV buffer)
 * or -ENOMEM.
 */
int ikev1_keys_phase1_iv(struct ikev1_keys *k, const struct ikev1_phase1 *p1, size_t block_len);

/*
 * IV of a Quick Mode or Informational exchange: hash(last phase-1 CBC block
 * | M-ID) truncated to last_block.len bytes into iv_out (Appendix B).
 * Returns 0, -EINVAL or -ENOMEM.
 */
int ikev1_phase2_iv(const struct ikev1_keys *k, struct ikev1_bytes last_block, uint32_t mid,
                    uint8_t *iv_out);

/*
 * HASH_I = prf(SKEYID, g^xi | g^xr | CKY-I | CKY-R | SAi_b | IDii_b) and
 * HASH_R = prf(SKEYID, g^xr | g^xi | CKY-R | CKY-I | SAi_b | IDir_b)
 * (RFC 2409 5). Write k->prf_len bytes. Return 0, -EINVAL or -ENOMEM.
 */
int ikev1_hash_i(const struct ikev1_keys *k, const struct ikev1_phase1 *p1,
                 struct ikev1_bytes sai_b, struct ikev1_bytes idii_b, uint8_t *out);
int ikev1_hash_r(const struct ikev1_keys *k, const struct ikev1_phase1 *p1,
                 struct ikev1_bytes sai_b, struct ikev1_bytes idir_b, uint8_t *out);

/*
 * prf(SKEYID_a, M-ID | rest): Quick Mode HASH(1) and the Informational HASH
 * (RFC 2409 5.5, 5.7); rest is the message after the HASH payload.
 * Writes k->prf_len bytes. Returns 0, -EINVAL or -ENOMEM.
 */
int ikev1_hash_mid(const struct ikev1_keys *k, uint32_t mid, struct ikev1_bytes rest, uint8_t *out);

/* Quick Mode HASH(2) = prf(SKEYID_a, M-ID | Ni_b | rest). As above. */
int ikev1_qm_hash2(const struct ikev1_keys *k, uint32_t mid, struct ikev1_bytes ni_b,
                   struct ikev1_bytes rest, uint8_t *out);

/* Quick Mode HASH(3) = prf(SKEYID_a, 0 | M-ID | Ni_b | Nr_b). As above. */
int ikev1_qm_hash3(const struct ikev1_keys *k, uint32_t mid, struct ikev1_bytes ni_b,
                   struct ikev1_bytes nr_b, uint8_t *out);

/*
 * True if received is exactly len bytes equal to computed (constant time):
 * the check for HASH_I/HASH_R and HASH(n).
 */
bool ikev1_hash_verify(const uint8_t *computed, size_t len, struct ikev1_bytes received);

/*
 * KEYMAT for one SA direction (RFC 2409 5.5): out_len bytes of K1 | K2 ...,
 * K1 = prf(SKEYID_d, [g(qm)^xy |] protocol | SPI | Ni_b | Nr_b), Kn =
 * prf(SKEYID_d, Kn-1 | same). gqm_xy.len 0 means no PFS. spi is the SPI
 * chosen by the receiving end of that direction. The cipher key comes first,
 * then the integrity key. Returns 0, -EINVAL or -ENOMEM.
 */
int ikev1_keymat(const struct ikev1_keys *k, struct ikev1_bytes gqm_xy, uint8_t protocol,
                 uint32_t spi, struct ikev1_bytes ni_b, struct ikev1_bytes nr_b, uint8_t *out,
                 size_t out_len);

/*
 * NAT-D = hash(CKY-I | CKY-R | IP | Port) with the negotiated hash (RFC 3947
 * 3.2); ip is 4 or 16 bytes, port in host order. Writes hash_len(hash) bytes.
 * Returns 0, -EINVAL or -ENOMEM.
 */
int ikev1_natd_hash(enum hash_alg hash, const uint8_t *cky_i, const uint8_t *cky_r,
                    struct ikev1_bytes ip, uint16_t port, uint8_t *out);

/* Wipes every secret in k (safe on a zeroed or partly filled struct). */
void ikev1_keys_clear(struct ikev1_keys *k);

#endif
