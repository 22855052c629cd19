/*
 * Signatures for IKEv1 authentication (RFC 2409 5.1): the private key of our certificate
 * and PKCS#1 v1.5 RSA over the IKE hash itself. IKEv1 signs HASH_I/HASH_R as they are,
 * without a DigestInfo (racoon's eay_get_x509sign, strongSwan's SIGN_RSA_EMSA_PKCS1_NULL),
 * so the padding is applied to the raw hash bytes. The gateway signing and a client only
 * verifying (hybrid authentication) use the same two calls.
 */
#ifndef COATI_CRYPTO_SIG_H
#define COATI_CRYPTO_SIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto/x509.h"

#define SIG_MAX 1024 /* RSA-8192 */

struct sig_key;

/* A private key from PEM bytes (PKCS#8 or traditional RSA, not encrypted). 0, -EBADMSG,
 * -ENOMEM. */
int sig_key_from_pem(const void *pem, size_t len, struct sig_key **out);
/* Frees the key; OpenSSL clears the private numbers as it releases them. NULL is fine. */
void sig_key_free(struct sig_key *k);
/* True if k is the private half of c's public key. */
bool sig_key_matches(const struct sig_key *k, const struct x509_cert *c);
/* True for an RSA key (the only kind IKEv1 RSA_SIG can use). */
bool sig_key_is_rsa(const struct sig_key *k);

/*
 * RSA PKCS#1 v1.5 signature of data[len] (no DigestInfo) into sig[cap]. 0, -EINVAL (not
 * RSA, or data too long for the modulus), -E2BIG (cap), -ENOMEM.
 */
int sig_rsa_sign(const struct sig_key *k, const uint8_t *data, size_t len, uint8_t *sig,
                 size_t cap, size_t *ret_len);
/* Verify such a signature with c's public key. 0, -EACCES bad signature, -EINVAL not RSA. */
int sig_rsa_verify(const struct x509_cert *c, const uint8_t *data, size_t len, const uint8_t *sig,
                   size_t sig_len);

#endif
