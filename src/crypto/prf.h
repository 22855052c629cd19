/*
 * The IKE pseudo-random functions: HMAC over the negotiated hash
 * (RFC 2409 4 for IKEv1, RFC 2104; SHA-2 per RFC 4868).
 */
#ifndef COATI_CRYPTO_PRF_H
#define COATI_CRYPTO_PRF_H

#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

#include "crypto/hash.h"

#define PRF_MAX_LEN HASH_MAX_LEN

/* Output length of the HMAC PRF over alg (= hash_len(alg)), 0 if unknown. */
size_t prf_len(enum hash_alg alg);

/*
 * HMAC-alg keyed with key over the concatenation of iov[0..iovcnt); writes
 * prf_len(alg) bytes to out. An empty key is allowed (RFC 2104 pads it).
 * Returns 0, -EINVAL (unknown algorithm) or -ENOMEM.
 */
int prf_compute(enum hash_alg alg, const uint8_t *key, size_t key_len, const struct iovec *iov,
                int iovcnt, uint8_t *out);

#endif
