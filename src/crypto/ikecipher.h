/*
 * IKE message encryption: CBC with the IV chained by the caller, as IKEv1
 * needs (RFC 2409 Appendix B: each message's IV is the last ciphertext block
 * of the previous one in that exchange). No padding is added or removed here.
 */
#ifndef COATI_CRYPTO_IKECIPHER_H
#define COATI_CRYPTO_IKECIPHER_H

#include <stddef.h>
#include <stdint.h>

/* Not wire values: the codecs map the IKE registries onto these. */
enum ikecipher_alg {
	IKECIPHER_AES_CBC = 1, /* RFC 3602; 16, 24 or 32-byte key */
	IKECIPHER_3DES_CBC,    /* RFC 2451; 24-byte key */
};

#define IKECIPHER_BLOCK_MAX 16

struct ikecipher;

/*
 * A cipher keyed with key (copied into OpenSSL's context, wiped on free).
 * Returns 0, -EINVAL (unknown algorithm or wrong key length) or -ENOMEM.
 */
int ikecipher_new(enum ikecipher_alg alg, const uint8_t *key, size_t key_len,
                  struct ikecipher **out);
void ikecipher_free(struct ikecipher *c);

/* Block (and IV) size in bytes: 16 for AES, 8 for 3DES. */
size_t ikecipher_block_len(const struct ikecipher *c);

/*
 * Encrypt / decrypt len bytes of buf in place (len a multiple of the block
 * size, may be 0). iv holds block_len bytes: the IV on entry, the last
 * ciphertext block on return (the next IV of the exchange); on error iv is
 * unchanged. Returns 0, -EINVAL (bad length, buf untouched) or -EIO.
 */
int ikecipher_encrypt(struct ikecipher *c, uint8_t *buf, size_t len, uint8_t *iv);
int ikecipher_decrypt(struct ikecipher *c, uint8_t *buf, size_t len, uint8_t *iv);

#endif
