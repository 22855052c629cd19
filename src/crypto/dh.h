/*
 * Diffie-Hellman for IKE: MODP groups 1, 2 (RFC 2409 6), 5, 14-18
 * (RFC 3526) and ECP groups 19-21 (RFC 5903). Public values and shared
 * secrets use the IKE encodings: MODP values left-padded to the prime's
 * length; ECP public value x || y without the 0x04 prefix and shared secret
 * the x coordinate only (RFC 5903 7, 9).
 */
#ifndef COATI_CRYPTO_DH_H
#define COATI_CRYPTO_DH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* IANA "Transform Type 4 - Diffie-Hellman Group" numbers (IKEv1 and IKEv2). */
enum dh_group {
	DH_MODP_768 = 1,   /* RFC 2409 6.1 */
	DH_MODP_1024 = 2,  /* RFC 2409 6.2 */
	DH_MODP_1536 = 5,  /* RFC 3526 2 */
	DH_MODP_2048 = 14, /* RFC 3526 3 */
	DH_MODP_3072 = 15, /* RFC 3526 4 */
	DH_MODP_4096 = 16, /* RFC 3526 5 */
	DH_MODP_6144 = 17, /* RFC 3526 6 */
	DH_MODP_8192 = 18, /* RFC 3526 7 */
	DH_ECP_256 = 19,   /* RFC 5903 3.1 */
	DH_ECP_384 = 20,   /* RFC 5903 3.2 */
	DH_ECP_521 = 21,   /* RFC 5903 3.3 */
};

#define DH_PUBLIC_MAX 1024 /* MODP 8192 */
#define DH_SECRET_MAX 1024

struct dh;

/* True if the group is implemented. */
bool dh_group_supported(enum dh_group group);

/* "modp2048", "ecp256", ... for logs; "unknown" otherwise. */
const char *dh_group_name(enum dh_group group);

/* Bytes of the IKE public value and of the shared secret; 0 if unsupported. */
size_t dh_public_len(enum dh_group group);
size_t dh_secret_len(enum dh_group group);

/*
 * A fresh key pair from OpenSSL's DRBG. Returns 0, -EINVAL (unsupported
 * group) or -ENOMEM. The private key is freed (and wiped) with dh_free().
 */
int dh_new(enum dh_group group, struct dh **out);

/*
 * A key pair with the given big-endian private value, for known-answer tests
 * and deterministic exchange tests: 1 to dh_secret_len() bytes, with
 * 0 < priv < p (MODP) or 0 < priv < order (ECP). Returns 0, -EINVAL or -ENOMEM.
 */
int dh_new_with_private(enum dh_group group, const uint8_t *priv, size_t priv_len, struct dh **out);

void dh_free(struct dh *dh);

enum dh_group dh_get_group(const struct dh *dh);

/* Writes our IKE public value (dh_public_len() bytes) to out. 0 or -ENOMEM. */
int dh_public(const struct dh *dh, uint8_t *out, size_t out_len);

/*
 * Validates the peer's public value (exact length, MODP 1 < y < p-1, ECP point
 * on the curve) and writes the shared secret (dh_secret_len() bytes) to
 * secret. Returns 0, -EINVAL (invalid public value or wrong buffer length) or
 * -ENOMEM. The caller owns and wipes secret.
 */
int dh_derive(const struct dh *dh, const uint8_t *peer, size_t peer_len, uint8_t *secret,
              size_t secret_len);

#endif
