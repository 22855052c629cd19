/* One-shot digests over an iovec list (EVP_Digest*). */
#include "crypto/hash.h"

#include <errno.h>

#include <openssl/evp.h>

size_t
hash_len(enum hash_alg alg)
{
	switch (alg) {
	case HASH_MD5:
		return 16;
	case HASH_SHA1:
		return 20;
	case HASH_SHA256:
		return 32;
	case HASH_SHA384:
		return 48;
	case HASH_SHA512:
		return 64;
	}
	return 0;
}

const char *
hash_alg_name(enum hash_alg alg)
{
	switch (alg) {
	case HASH_MD5:
		return "md5";
	case HASH_SHA1:
		return "sha1";
	case HASH_SHA256:
		return "sha256";
	case HASH_SHA384:
		return "sha384";
	case HASH_SHA512:
		return "sha512";
	}
	return "unknown";
}

int
hash_compute(enum hash_alg alg, const struct iovec *iov, int iovcnt, uint8_t *out)
{
	EVP_MD *md = NULL;
	EVP_MD_CTX *ctx = NULL;
	int i, r = -ENOMEM;

	if (hash_len(alg) == 0 || iovcnt < 0)
		return -EINVAL;
	/* the names are the OpenSSL 3 provider names, equal to ours */
	if (!(md = EVP_MD_fetch(NULL, hash_alg_name(alg), NULL)) || !(ctx = EVP_MD_CTX_new()))
		goto out;
	if (!EVP_DigestInit_ex2(ctx, md, NULL))
		goto out;
	for (i = 0; i < iovcnt; i++)
		if (iov[i].iov_len > 0 && !EVP_DigestUpdate(ctx, iov[i].iov_base, iov[i].iov_len))
			goto out;
	if (!EVP_DigestFinal_ex(ctx, out, NULL))
		goto out;
	r = 0;
out:
	EVP_MD_CTX_free(ctx);
	EVP_MD_free(md);
	return r;
}
