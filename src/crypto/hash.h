/*
 * Plain message digests for IKE: the IKEv1 phase-1/phase-2 IVs (RFC 2409
 * Appendix B) and NAT-D (RFC 3947 3.2). The algorithms are the hash
 * functions IKE negotiates; the same enum selects the HMAC PRF in prf.h.
 */
#ifndef COATI_CRYPTO_HASH_H
#define COATI_CRYPTO_HASH_H

#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

/* Not wire values: the IKEv1/IKEv2 codecs map their registries onto these. */
enum hash_alg {
	HASH_MD5 = 1,
	HASH_SHA1,
	HASH_SHA256,
	HASH_SHA384,
	HASH_SHA512,
};

#define HASH_MAX_LEN 64 /* SHA-512 */

/* Digest length in bytes, 0 for an unknown algorithm. */
size_t hash_len(enum hash_alg alg);

/* "md5", "sha1", ... for logs; "unknown" otherwise. */
const char *hash_alg_name(enum hash_alg alg);

/*
 * Digest of the concatenation of iov[0..iovcnt) into out (hash_len() bytes).
 * Returns 0, -EINVAL (unknown algorithm) or -ENOMEM.
 */
int hash_compute(enum hash_alg alg, const struct iovec *iov, int iovcnt, uint8_t *out);

#endif
