/*
 * RSA PKCS#1 v1.5 without a digest through EVP_PKEY_sign/verify: with no signature
 * digest set, OpenSSL pads and signs the bytes it is given, which is what IKEv1 wants.
 */
#include "crypto/sig.h"

#include <errno.h>
#include <stdlib.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "crypto/x509_int.h"

struct sig_key {
	EVP_PKEY *pkey;
};

int
sig_key_from_pem(const void *pem, size_t len, struct sig_key **out)
{
	BIO *b = BIO_new_mem_buf(pem, (int)len);
	struct sig_key *k;
	EVP_PKEY *pkey;

	if (!b)
		return -ENOMEM;
	/* encrypted keys are refused, never prompted for */
	pkey = PEM_read_bio_PrivateKey(b, NULL, x509_no_passphrase, NULL);
	BIO_free(b);
	ERR_clear_error();
	if (!pkey)
		return -EBADMSG;
	if (!(k = calloc(1, sizeof(*k)))) {
		EVP_PKEY_free(pkey);
		return -ENOMEM;
	}
	k->pkey = pkey;
	*out = k;
	return 0;
}

void
sig_key_free(struct sig_key *k)
{
	if (!k)
		return;
	EVP_PKEY_free(k->pkey);
	free(k);
}

bool
sig_key_matches(const struct sig_key *k, const struct x509_cert *c)
{
	EVP_PKEY *pub = X509_get0_pubkey(c->x);
	bool eq = pub && EVP_PKEY_eq(k->pkey, pub) == 1;

	ERR_clear_error();
	return eq;
}

bool
sig_key_is_rsa(const struct sig_key *k)
{
	return EVP_PKEY_is_a(k->pkey, "RSA");
}

/* A context for pkey set up for raw PKCS#1 v1.5 signing or verifying. */
static EVP_PKEY_CTX *
rsa_ctx(EVP_PKEY *pkey, bool sign)
{
	EVP_PKEY_CTX *ctx;

	if (!EVP_PKEY_is_a(pkey, "RSA"))
		return NULL;
	if (!(ctx = EVP_PKEY_CTX_new(pkey, NULL)))
		return NULL;
	if ((sign ? EVP_PKEY_sign_init(ctx) : EVP_PKEY_verify_init(ctx)) <= 0 ||
	    EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) <= 0) {
		EVP_PKEY_CTX_free(ctx);
		return NULL;
	}
	return ctx;
}

int
sig_rsa_sign(const struct sig_key *k, const uint8_t *data, size_t len, uint8_t *sig, size_t cap,
             size_t *ret_len)
{
	EVP_PKEY_CTX *ctx = rsa_ctx(k->pkey, true);
	size_t n = 0;
	int err = -EINVAL;

	if (!ctx)
		goto out;
	if (EVP_PKEY_sign(ctx, NULL, &n, data, len) <= 0)
		goto out;
	if (n > cap) {
		err = -E2BIG;
		goto out;
	}
	if (EVP_PKEY_sign(ctx, sig, &n, data, len) <= 0)
		goto out;
	*ret_len = n;
	err = 0;
out:
	EVP_PKEY_CTX_free(ctx);
	ERR_clear_error();
	return err;
}

int
sig_rsa_verify(const struct x509_cert *c, const uint8_t *data, size_t len, const uint8_t *sig,
               size_t sig_len)
{
	EVP_PKEY *pub = X509_get0_pubkey(c->x);
	EVP_PKEY_CTX *ctx = pub ? rsa_ctx(pub, false) : NULL;
	int err = -EINVAL;

	if (ctx)
		err = EVP_PKEY_verify(ctx, sig, sig_len, data, len) == 1 ? 0 : -EACCES;
	EVP_PKEY_CTX_free(ctx);
	ERR_clear_error();
	return err;
}
