/*
 * Diffie-Hellman over EVP_PKEY: MODP keys are "DH" keys built from the RFC
 * primes (generator 2), ECP keys are "EC" keys on the NIST curves. Peer
 * values come in through EVP_PKEY_fromdata, which rejects EC points that are
 * not on the curve; the MODP range check is done here first.
 */
#include "crypto/dh.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/dh.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/param_build.h>

struct dh_params {
	enum dh_group group;
	const char *name;
	size_t len; /* MODP: prime bytes; ECP: coordinate bytes */
	BIGNUM *(*prime)(BIGNUM *bn);
	const char *curve;
};

static const struct dh_params dh_table[] = {
    {DH_MODP_768, "modp768", 96, BN_get_rfc2409_prime_768, NULL},
    {DH_MODP_1024, "modp1024", 128, BN_get_rfc2409_prime_1024, NULL},
    {DH_MODP_1536, "modp1536", 192, BN_get_rfc3526_prime_1536, NULL},
    {DH_MODP_2048, "modp2048", 256, BN_get_rfc3526_prime_2048, NULL},
    {DH_MODP_3072, "modp3072", 384, BN_get_rfc3526_prime_3072, NULL},
    {DH_MODP_4096, "modp4096", 512, BN_get_rfc3526_prime_4096, NULL},
    {DH_MODP_6144, "modp6144", 768, BN_get_rfc3526_prime_6144, NULL},
    {DH_MODP_8192, "modp8192", 1024, BN_get_rfc3526_prime_8192, NULL},
    {DH_ECP_256, "ecp256", 32, NULL, "prime256v1"},
    {DH_ECP_384, "ecp384", 48, NULL, "secp384r1"},
    {DH_ECP_521, "ecp521", 66, NULL, "secp521r1"},
};

struct dh {
	const struct dh_params *params;
	EVP_PKEY *key; /* EVP_PKEY_free clears the private value */
};

static const struct dh_params *
dh_params_find(enum dh_group group)
{
	size_t i;

	for (i = 0; i < sizeof(dh_table) / sizeof(dh_table[0]); i++)
		if (dh_table[i].group == group)
			return &dh_table[i];
	return NULL;
}

bool
dh_group_supported(enum dh_group group)
{
	return dh_params_find(group) != NULL;
}

const char *
dh_group_name(enum dh_group group)
{
	const struct dh_params *gp = dh_params_find(group);

	return gp ? gp->name : "unknown";
}

size_t
dh_public_len(enum dh_group group)
{
	const struct dh_params *gp = dh_params_find(group);

	if (!gp)
		return 0;
	return gp->curve ? 2 * gp->len : gp->len;
}

size_t
dh_secret_len(enum dh_group group)
{
	const struct dh_params *gp = dh_params_find(group);

	return gp ? gp->len : 0;
}

enum dh_group
dh_get_group(const struct dh *dh)
{
	return dh->params->group;
}

/* Imports params as a key of the given type; -EINVAL if OpenSSL rejects it. */
static int
dh_fromdata(const char *type, OSSL_PARAM_BLD *bld, int selection, EVP_PKEY **out)
{
	EVP_PKEY_CTX *ctx = NULL;
	OSSL_PARAM *params = NULL;
	int r = -ENOMEM;

	*out = NULL;
	if (!(params = OSSL_PARAM_BLD_to_param(bld)) ||
	    !(ctx = EVP_PKEY_CTX_new_from_name(NULL, type, NULL)))
		goto out;
	r = -EINVAL;
	if (EVP_PKEY_fromdata_init(ctx) != 1 || EVP_PKEY_fromdata(ctx, out, selection, params) != 1)
		goto out;
	r = 0;
out:
	OSSL_PARAM_free(params);
	EVP_PKEY_CTX_free(ctx);
	return r;
}

/* Pushes the group's p and g = 2 (RFC 2409 6, RFC 3526) onto bld. */
static int
dh_modp_push(const struct dh_params *gp, OSSL_PARAM_BLD *bld, BIGNUM **ret_p, BIGNUM **ret_g)
{
	if (!(*ret_p = gp->prime(NULL)) || !(*ret_g = BN_new()) || !BN_set_word(*ret_g, 2))
		return -ENOMEM;
	if (!OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_FFC_P, *ret_p) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_FFC_G, *ret_g))
		return -ENOMEM;
	return 0;
}

static int
dh_modp_generate(const struct dh_params *gp, EVP_PKEY **out)
{
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	EVP_PKEY *domain = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	BIGNUM *p = NULL, *g = NULL;
	int r = -ENOMEM;

	if (!bld || dh_modp_push(gp, bld, &p, &g) < 0)
		goto out;
	if ((r = dh_fromdata("DH", bld, EVP_PKEY_KEY_PARAMETERS, &domain)) < 0)
		goto out;
	r = -ENOMEM;
	if (!(ctx = EVP_PKEY_CTX_new_from_pkey(NULL, domain, NULL)) ||
	    EVP_PKEY_keygen_init(ctx) != 1 || EVP_PKEY_keygen(ctx, out) != 1)
		goto out;
	r = 0;
out:
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(domain);
	BN_free(p);
	BN_free(g);
	OSSL_PARAM_BLD_free(bld);
	return r;
}

int
dh_new(enum dh_group group, struct dh **out)
{
	const struct dh_params *gp = dh_params_find(group);
	struct dh *dh;
	int r;

	*out = NULL;
	if (!gp)
		return -EINVAL;
	if (!(dh = calloc(1, sizeof(*dh))))
		return -ENOMEM;
	dh->params = gp;
	if (gp->curve) {
		dh->key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", gp->curve);
		r = dh->key ? 0 : -ENOMEM;
	} else {
		r = dh_modp_generate(gp, &dh->key);
	}
	if (r < 0) {
		dh_free(dh);
		return r;
	}
	*out = dh;
	return 0;
}

void
dh_free(struct dh *dh)
{
	if (!dh)
		return;
	EVP_PKEY_free(dh->key);
	free(dh);
}

/* MODP key pair from priv: y = g^priv mod p computed here, then imported. */
static int
dh_modp_import_private(const struct dh_params *gp, const BIGNUM *priv, EVP_PKEY **out)
{
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	BIGNUM *p = NULL, *g = NULL, *y = NULL;
	BN_CTX *bnctx = BN_CTX_new();
	int r = -ENOMEM;

	if (!bld || !bnctx || !(y = BN_new()) || dh_modp_push(gp, bld, &p, &g) < 0)
		goto out;
	r = -EINVAL;
	if (BN_is_zero(priv) || BN_cmp(priv, p) >= 0)
		goto out;
	r = -ENOMEM;
	if (!BN_mod_exp(y, g, priv, p, bnctx) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PUB_KEY, y) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, priv))
		goto out;
	r = dh_fromdata("DH", bld, EVP_PKEY_KEYPAIR, out);
out:
	BN_CTX_free(bnctx);
	BN_free(p);
	BN_free(g);
	BN_free(y);
	OSSL_PARAM_BLD_free(bld);
	return r;
}

/* ECP key pair from priv: Q = priv * G computed here, then imported. */
static int
dh_ecp_import_private(const struct dh_params *gp, const BIGNUM *priv, EVP_PKEY **out)
{
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	EC_GROUP *group = EC_GROUP_new_by_curve_name(OBJ_sn2nid(gp->curve));
	EC_POINT *q = NULL;
	uint8_t pub[1 + 2 * 66];
	size_t n;
	int r = -ENOMEM;

	if (!bld || !group || !(q = EC_POINT_new(group)))
		goto out;
	r = -EINVAL;
	if (BN_is_zero(priv) || BN_cmp(priv, EC_GROUP_get0_order(group)) >= 0)
		goto out;
	r = -ENOMEM;
	if (!EC_POINT_mul(group, q, priv, NULL, NULL, NULL))
		goto out;
	n = EC_POINT_point2oct(group, q, POINT_CONVERSION_UNCOMPRESSED, pub, sizeof(pub), NULL);
	if (n != 1 + 2 * gp->len ||
	    !OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, gp->curve, 0) ||
	    !OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, pub, n) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, priv))
		goto out;
	r = dh_fromdata("EC", bld, EVP_PKEY_KEYPAIR, out);
out:
	EC_POINT_free(q);
	EC_GROUP_free(group);
	OSSL_PARAM_BLD_free(bld);
	return r;
}

int
dh_new_with_private(enum dh_group group, const uint8_t *priv, size_t priv_len, struct dh **out)
{
	const struct dh_params *gp = dh_params_find(group);
	struct dh *dh = NULL;
	BIGNUM *x = NULL;
	int r = -EINVAL;

	*out = NULL;
	if (!gp || priv_len == 0 || priv_len > gp->len)
		goto out;
	r = -ENOMEM;
	if (!(x = BN_secure_new()) || !BN_bin2bn(priv, (int)priv_len, x) ||
	    !(dh = calloc(1, sizeof(*dh))))
		goto out;
	BN_set_flags(x, BN_FLG_CONSTTIME);
	dh->params = gp;
	if (gp->curve)
		r = dh_ecp_import_private(gp, x, &dh->key);
	else
		r = dh_modp_import_private(gp, x, &dh->key);
	if (r < 0)
		goto out;
	*out = dh;
	dh = NULL;
out:
	BN_clear_free(x);
	dh_free(dh);
	return r;
}

int
dh_public(const struct dh *dh, uint8_t *out, size_t out_len)
{
	const struct dh_params *gp = dh->params;
	uint8_t pt[1 + 2 * 66];
	BIGNUM *y = NULL;
	size_t n;
	int r = -ENOMEM;

	if (out_len != dh_public_len(gp->group))
		return -EINVAL;
	if (gp->curve) {
		/* OpenSSL encodes 0x04 || x || y; IKE sends x || y (RFC 5903 7) */
		if (EVP_PKEY_get_octet_string_param(dh->key, OSSL_PKEY_PARAM_PUB_KEY, pt,
		                                    sizeof(pt), &n) != 1 ||
		    n != 1 + out_len || pt[0] != POINT_CONVERSION_UNCOMPRESSED)
			return -ENOMEM;
		memcpy(out, pt + 1, out_len);
		return 0;
	}
	if (EVP_PKEY_get_bn_param(dh->key, OSSL_PKEY_PARAM_PUB_KEY, &y) != 1 ||
	    BN_bn2binpad(y, out, (int)out_len) < 0)
		goto out;
	r = 0;
out:
	BN_free(y);
	return r;
}

/* The peer's MODP value as a DH public key, after the 1 < y < p-1 check. */
static int
dh_modp_peer(const struct dh_params *gp, const uint8_t *peer, EVP_PKEY **out)
{
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	BIGNUM *p = NULL, *g = NULL, *y = NULL, *pm1 = NULL;
	int r = -ENOMEM;

	if (!bld || dh_modp_push(gp, bld, &p, &g) < 0 || !(pm1 = BN_dup(p)) ||
	    !BN_sub_word(pm1, 1) || !(y = BN_bin2bn(peer, (int)gp->len, NULL)))
		goto out;
	/* y = 0, 1, p-1 or >= p would force the secret into a tiny subgroup */
	r = -EINVAL;
	if (BN_cmp(y, BN_value_one()) <= 0 || BN_cmp(y, pm1) >= 0)
		goto out;
	r = -ENOMEM;
	if (!OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PUB_KEY, y))
		goto out;
	r = dh_fromdata("DH", bld, EVP_PKEY_PUBLIC_KEY, out);
out:
	BN_free(p);
	BN_free(g);
	BN_free(y);
	BN_free(pm1);
	OSSL_PARAM_BLD_free(bld);
	return r;
}

/* The peer's x || y as an EC public key; the import fails off the curve. */
static int
dh_ecp_peer(const struct dh_params *gp, const uint8_t *peer, EVP_PKEY **out)
{
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	uint8_t pt[1 + 2 * 66];
	int r = -ENOMEM;

	pt[0] = POINT_CONVERSION_UNCOMPRESSED;
	memcpy(pt + 1, peer, 2 * gp->len);
	if (bld && OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, gp->curve, 0) &&
	    OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, pt, 1 + 2 * gp->len))
		r = dh_fromdata("EC", bld, EVP_PKEY_PUBLIC_KEY, out);
	OSSL_PARAM_BLD_free(bld);
	return r;
}

int
dh_derive(const struct dh *dh, const uint8_t *peer, size_t peer_len, uint8_t *secret,
          size_t secret_len)
{
	const struct dh_params *gp = dh->params;
	EVP_PKEY *peer_key = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	size_t n = secret_len;
	int r;

	if (peer_len != dh_public_len(gp->group) || secret_len != dh_secret_len(gp->group))
		return -EINVAL;
	r = gp->curve ? dh_ecp_peer(gp, peer, &peer_key) : dh_modp_peer(gp, peer, &peer_key);
	if (r < 0)
		goto out;
	r = -ENOMEM;
	if (!(ctx = EVP_PKEY_CTX_new_from_pkey(NULL, dh->key, NULL)) ||
	    EVP_PKEY_derive_init(ctx) != 1)
		goto out;
	/* g^xy keeps its leading zeros: IKE hashes it at the prime's length */
	if (!gp->curve && EVP_PKEY_CTX_set_dh_pad(ctx, 1) != 1)
		goto out;
	r = -EINVAL;
	if (EVP_PKEY_derive_set_peer(ctx, peer_key) != 1)
		goto out;
	r = -ENOMEM;
	if (EVP_PKEY_derive(ctx, secret, &n) != 1 || n != secret_len) {
		OPENSSL_cleanse(secret, secret_len);
		goto out;
	}
	r = 0;
out:
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(peer_key);
	return r;
}
