/*
 * ESP/AH transforms: a cipher and an integrity algorithm keyed for one SA.
 * The only interface the data plane uses to reach OpenSSL. An xform is not
 * thread-safe: every call changes its contexts, so one thread uses it at a
 * time (an SA carries one direction, so its data-plane thread owns it).
 */
#ifndef COATI_CRYPTO_XFORM_H
#define COATI_CRYPTO_XFORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

#include "ipsec/ipsec.h"

struct xform;

/*
 * Key a transform. enc_key holds cipher key || salt/nonce where the RFC
 * defines one (GCM, CTR, ChaCha20-Poly1305: 4 bytes). For AH pass
 * IPSEC_ENC_NONE. Returns 0, -EINVAL (bad key length or combination) or -ENOMEM.
 * The xform keeps its own copy of the keys and wipes it on free.
 */
int xform_new(enum ipsec_enc enc, const struct ipsec_key *enc_key, enum ipsec_auth auth,
	      const struct ipsec_key *auth_key, struct xform **out);
void xform_free(struct xform *x);

size_t xform_iv_len(const struct xform *x);    /* bytes of IV after the ESP header */
size_t xform_block_len(const struct xform *x); /* payload alignment (>= 4) */
size_t xform_icv_len(const struct xform *x);   /* bytes of ICV */

/*
 * ESP output (RFC 4303 2): esp points at the 8-byte ESP header (SPI,
 * seq low) followed by xform_iv_len() bytes for the IV and then len bytes of
 * plaintext (payload, padding, pad length, next header: already aligned).
 * Writes the IV (derived from seq for counter modes, random for CBC),
 * encrypts in place and writes the ICV right after the ciphertext. With esn,
 * seq_hi is authenticated (RFC 4303 2.2.1, RFC 4106 5). Returns 0 or -errno.
 */
int xform_esp_seal(struct xform *x, uint8_t *esp, size_t len, uint64_t seq, bool esn);

/*
 * ESP input: esp points at the ESP header, len covers header, IV,
 * ciphertext and ICV. Verifies the ICV in constant time and decrypts in
 * place (plaintext at esp + 8 + iv_len). Returns 0, -EBADMSG on ICV failure,
 * -EINVAL if len is not a valid size for the transform.
 */
int xform_esp_open(struct xform *x, uint8_t *esp, size_t len, uint32_t seq_hi, bool esn);

/*
 * AH ICV (RFC 4302 3.3.3): integrity over the iovecs (IP header with mutable
 * fields zeroed, AH with zeroed ICV, payload), then seq_hi when esn.
 * Writes xform_icv_len() bytes to icv.
 */
int xform_ah_icv(struct xform *x, const struct iovec *iov, int iovcnt, uint32_t seq_hi,
		 bool esn, uint8_t *icv);

/* Fill buf with n cryptographically random bytes. 0 or -EIO. */
int crypto_random(void *buf, size_t n);

#endif
