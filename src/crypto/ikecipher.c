/*
 * CBC for IKE messages over EVP_CIPHER: one context per direction, keyed
 * once; each call only sets the IV, so the per-message cost is the cipher.
 */
#include "crypto/ikecipher.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

struct ikecipher {
	EVP_CIPHER_CTX *enc;
	EVP_CIPHER_CTX *dec;
	size_t block_len;
};

static const char *
ikecipher_ossl_name(enum ikecipher_alg alg, size_t key_len)
{
	switch (alg) {
	case IKECIPHER_AES_CBC:
		if (key_len == 16)
			return "AES-128-CBC";
		if (key_len == 24)
			return "AES-192-CBC";
		if (key_len == 32)
			return "AES-256-CBC";
		return NULL;
	case IKECIPHER_3DES_CBC:
		return key_len == 24 ? "DES-EDE3-CBC" : NULL;
	}
	return NULL;
}

static EVP_CIPHER_CTX *
ikecipher_ctx_new(EVP_CIPHER *cipher, const uint8_t *key, bool enc)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();

	if (!ctx)
		return NULL;
	if (!EVP_CipherInit_ex2(ctx, cipher, key, NULL, enc ? 1 : 0, NULL) ||
	    !EVP_CIPHER_CTX_set_padding(ctx, 0)) {
		EVP_CIPHER_CTX_free(ctx);
		return NULL;
	}
	return ctx;
}

int
ikecipher_new(enum ikecipher_alg alg, const uint8_t *key, size_t key_len, struct ikecipher **out)
{
	const char *name = ikecipher_ossl_name(alg, key_len);
	EVP_CIPHER *cipher = NULL;
	struct ikecipher *c = NULL;
	int r = -ENOMEM;

	*out = NULL;
	if (!name)
		return -EINVAL;
	if (!(cipher = EVP_CIPHER_fetch(NULL, name, NULL)) || !(c = calloc(1, sizeof(*c))))
		goto out;
	c->block_len = (size_t)EVP_CIPHER_get_block_size(cipher);
	c->enc = ikecipher_ctx_new(cipher, key, true);
	c->dec = ikecipher_ctx_new(cipher, key, false);
	if (!c->enc || !c->dec)
		goto out;
	*out = c;
	c = NULL;
	r = 0;
out:
	ikecipher_free(c);
	EVP_CIPHER_free(cipher);
	return r;
}

void
ikecipher_free(struct ikecipher *c)
{
	if (!c)
		return;
	/* EVP_CIPHER_CTX_free cleanses the key schedule */
	EVP_CIPHER_CTX_free(c->enc);
	EVP_CIPHER_CTX_free(c->dec);
	free(c);
}

size_t
ikecipher_block_len(const struct ikecipher *c)
{
	return c->block_len;
}

static int
ikecipher_run(struct ikecipher *c, EVP_CIPHER_CTX *ctx, uint8_t *buf, size_t len, uint8_t *iv,
              bool enc)
{
	uint8_t next[IKECIPHER_BLOCK_MAX];
	int outl;

	if (len % c->block_len != 0 || len > INT_MAX)
		return -EINVAL;
	if (len == 0)
		return 0;
	/* decrypting in place overwrites the block that becomes the next IV */
	if (!enc)
		memcpy(next, buf + len - c->block_len, c->block_len);
	if (!EVP_CipherInit_ex2(ctx, NULL, NULL, iv, -1, NULL) ||
	    !EVP_CipherUpdate(ctx, buf, &outl, buf, (int)len) || (size_t)outl != len)
		return -EIO;
	if (enc)
		memcpy(next, buf + len - c->block_len, c->block_len);
	memcpy(iv, next, c->block_len);
	return 0;
}

int
ikecipher_encrypt(struct ikecipher *c, uint8_t *buf, size_t len, uint8_t *iv)
{
	return ikecipher_run(c, c->enc, buf, len, iv, true);
}

int
ikecipher_decrypt(struct ikecipher *c, uint8_t *buf, size_t len, uint8_t *iv)
{
	return ikecipher_run(c, c->dec, buf, len, iv, false);
}
