/* HMAC PRFs through EVP_MAC (OpenSSL 3); no state is kept between calls. */
#include "crypto/prf.h"

#include <errno.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

size_t
prf_len(enum hash_alg alg)
{
	return hash_len(alg);
}

int
prf_compute(enum hash_alg alg, const uint8_t *key, size_t key_len, const struct iovec *iov,
            int iovcnt, uint8_t *out)
{
	static const uint8_t empty[1];
	EVP_MAC *mac = NULL;
	EVP_MAC_CTX *ctx = NULL;
	OSSL_PARAM params[2];
	size_t n = prf_len(alg);
	int i, r = -ENOMEM;

	if (n == 0 || iovcnt < 0)
		return -EINVAL;
	params[0] =
	    OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)hash_alg_name(alg), 0);
	params[1] = OSSL_PARAM_construct_end();
	if (!(mac = EVP_MAC_fetch(NULL, "HMAC", NULL)) || !(ctx = EVP_MAC_CTX_new(mac)))
		goto out;
	/* a NULL key would mean "keep the old key" to EVP_MAC_init: pass a real pointer */
	if (!EVP_MAC_init(ctx, key_len ? key : empty, key_len, params))
		goto out;
	for (i = 0; i < iovcnt; i++)
		if (iov[i].iov_len > 0 && !EVP_MAC_update(ctx, iov[i].iov_base, iov[i].iov_len))
			goto out;
	if (!EVP_MAC_final(ctx, out, NULL, n))
		goto out;
	r = 0;
out:
	EVP_MAC_CTX_free(ctx);
	EVP_MAC_free(mac);
	return r;
}
