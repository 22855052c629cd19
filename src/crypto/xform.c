/*
 * ESP/AH transforms over OpenSSL 3 EVP. Everything expensive (algorithm
 * fetch, context allocation, key schedule, HMAC pads) happens once in
 * xform_new(); per packet only the IV is re-set, so the hot path does not
 * allocate or look anything up by name (OpenSSL's HMAC re-init still copies
 * its digest state internally). One xform is used by one thread at a time:
 * the contexts inside are mutated by every call.
 */
#include "crypto/xform.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "lib/buf.h"

#define ESP_HDR_LEN 8   /* SPI + sequence number, RFC 4303 2 */
#define SALT_LEN 4      /* RFC 3686 nonce, RFC 4106 / RFC 7634 salt */
#define SEQ_IV_LEN 8    /* explicit IV of the counter modes */
#define AEAD_ICV_LEN 16 /* RFC 4106 ICV16, RFC 7634 2 */
#define MAC_MAX 64      /* untruncated HMAC-SHA-512 */
#define IV_POOL 512     /* CBC IVs drawn from the DRBG in batches of 32 or 64 */

struct xform {
	enum ipsec_enc enc;
	EVP_CIPHER *cipher;       /* fetched once; NULL for none/null */
	/*
	 * Keyed on first use (xform_ctx): an SA carries one direction, so it needs one of
	 * them, and each costs a key schedule and a provider context (a kilobyte or so).
	 */
	EVP_CIPHER_CTX *seal_ctx; /* keyed for encryption */
	EVP_CIPHER_CTX *open_ctx; /* keyed for decryption (CBC key schedules differ) */
	uint8_t key[32];          /* the cipher key until both contexts exist */
	EVP_MAC *mac;
	EVP_MAC_CTX *mac_ctx; /* keyed once; re-initialised per packet */
	size_t iv_len, block_len, icv_len;
	uint8_t salt[SALT_LEN];
	size_t iv_pool_left; /* unused bytes at the end of iv_pool */
	uint8_t iv_pool[IV_POOL];
};

/* What xform_new needs to know about a cipher: OpenSSL name and ESP sizes. */
struct enc_info {
	const char *name;
	size_t iv_len, block_len;
};

/* OpenSSL name of AES in a mode for a 16/24/32-byte key; NULL for other lengths. */
static const char *
aes_name(const char *const names[3], size_t keylen)
{
	switch (keylen) {
	case 16:
		return names[0];
	case 24:
		return names[1];
	case 32:
		return names[2];
	default:
		return NULL;
	}
}

/* keylen excludes the salt/nonce. */
static bool
enc_info(enum ipsec_enc enc, size_t keylen, struct enc_info *out)
{
	static const char *const cbc[] = {"AES-128-CBC", "AES-192-CBC", "AES-256-CBC"};
	static const char *const ctr[] = {"AES-128-CTR", "AES-192-CTR", "AES-256-CTR"};
	static const char *const gcm[] = {"AES-128-GCM", "AES-192-GCM", "AES-256-GCM"};

	switch (enc) {
	case IPSEC_ENC_NONE:
	case IPSEC_ENC_NULL:
		/* RFC 4303 2.4: the trailer still aligns to 4 bytes */
		*out = (struct enc_info){NULL, 0, 4};
		return true;
	case IPSEC_ENC_3DES_CBC:
		*out = (struct enc_info){"DES-EDE3-CBC", 8, 8};
		return true;
	case IPSEC_ENC_AES_CBC:
		*out = (struct enc_info){aes_name(cbc, keylen), 16, 16};
		return out->name != NULL;
	case IPSEC_ENC_AES_CTR: /* RFC 3686 3: a stream mode, 4-byte ESP alignment */
		*out = (struct enc_info){aes_name(ctr, keylen), SEQ_IV_LEN, 4};
		return out->name != NULL;
	case IPSEC_ENC_AES_GCM16:
		*out = (struct enc_info){aes_name(gcm, keylen), SEQ_IV_LEN, 4};
		return out->name != NULL;
	case IPSEC_ENC_CHACHA20_POLY1305:
		*out = (struct enc_info){"ChaCha20-Poly1305", SEQ_IV_LEN, 4};
		return true;
	default:
		return false;
	}
}

/* Counter modes carry a 4-byte salt/nonce after the key (RFC 3686 5.1, RFC 4106 8.1). */
static bool
enc_has_salt(enum ipsec_enc enc)
{
	return enc == IPSEC_ENC_AES_CTR || ipsec_enc_is_aead(enc);
}

/* OpenSSL digest name and truncated ICV length of each HMAC (RFC 2403/2404/4868). */
static bool
auth_info(enum ipsec_auth auth, const char **digest, size_t *icv_len)
{
	switch (auth) {
	case IPSEC_AUTH_NONE:
	case IPSEC_AUTH_NULL:
		*digest = NULL, *icv_len = 0;
		return true;
	case IPSEC_AUTH_HMAC_MD5_96:
		*digest = "MD5", *icv_len = 12;
		return true;
	case IPSEC_AUTH_HMAC_SHA1_96:
		*digest = "SHA1", *icv_len = 12;
		return true;
	case IPSEC_AUTH_HMAC_SHA256_128:
		*digest = "SHA256", *icv_len = 16;
		return true;
	case IPSEC_AUTH_HMAC_SHA384_192:
		*digest = "SHA384", *icv_len = 24;
		return true;
	case IPSEC_AUTH_HMAC_SHA512_256:
		*digest = "SHA512", *icv_len = 32;
		return true;
	default:
		return false;
	}
}

/*
 * Which (enc, auth) pairs make sense: AEAD ciphers carry their own ICV and
 * take no auth; other ESP ciphers need one (null for tests); AH (enc none)
 * needs one too. Key lengths are checked by the ipsec module's table.
 */
static bool
xform_combination_ok(enum ipsec_enc enc, size_t enc_len, enum ipsec_auth auth, size_t auth_len)
{
	if ((unsigned)enc >= IPSEC_ENC__COUNT || (unsigned)auth >= IPSEC_AUTH__COUNT)
		return false;
	if (!ipsec_enc_key_ok(enc, enc_len) || !ipsec_auth_key_ok(auth, auth_len))
		return false;
	if (ipsec_enc_is_aead(enc))
		return auth == IPSEC_AUTH_NONE;
	return auth != IPSEC_AUTH_NONE;
}

/* The context of one direction (enc: seal), made and keyed on first use; NULL on failure. */
static EVP_CIPHER_CTX *
xform_ctx(struct xform *x, int enc)
{
	EVP_CIPHER_CTX **slot = enc ? &x->seal_ctx : &x->open_ctx;
	EVP_CIPHER_CTX *ctx;

	if (*slot)
		return *slot;
	if (!(ctx = EVP_CIPHER_CTX_new()))
		return NULL;
	/* ESP does its own padding (RFC 4303 2.4); OpenSSL must not add PKCS#7 */
	if (!EVP_CipherInit_ex2(ctx, x->cipher, x->key, NULL, enc, NULL) ||
	    !EVP_CIPHER_CTX_set_padding(ctx, 0)) {
		EVP_CIPHER_CTX_free(ctx);
		return NULL;
	}
	*slot = ctx;
	if (x->seal_ctx && x->open_ctx)
		OPENSSL_cleanse(x->key, sizeof(x->key));
	return ctx;
}

static int
xform_key_cipher(struct xform *x, const char *name, const uint8_t *key, size_t len)
{
	if (!(x->cipher = EVP_CIPHER_fetch(NULL, name, NULL)))
		return -ENOMEM;
	if ((size_t)EVP_CIPHER_get_key_length(x->cipher) != len || len > sizeof(x->key))
		return -EINVAL;
	memcpy(x->key, key, len);
	return 0;
}

static int
xform_key_mac(struct xform *x, const char *digest, const uint8_t *key, size_t len)
{
	OSSL_PARAM params[] = {
	    OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)digest, 0),
	    OSSL_PARAM_construct_end(),
	};

	x->mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	if (!x->mac || !(x->mac_ctx = EVP_MAC_CTX_new(x->mac)))
		return -ENOMEM;
	/* the HMAC pads are computed here; per packet EVP_MAC_init(NULL key) reuses them */
	if (!EVP_MAC_init(x->mac_ctx, key, len, params))
		return -EIO;
	return 0;
}

int
xform_new(enum ipsec_enc enc, const struct ipsec_key *enc_key, enum ipsec_auth auth,
          const struct ipsec_key *auth_key, struct xform **out)
{
	size_t elen = enc_key ? enc_key->len : 0, alen = auth_key ? auth_key->len : 0;
	size_t klen, icv_len;
	struct enc_info ei;
	const char *digest;
	struct xform *x;
	int rc;

	if (!xform_combination_ok(enc, elen, auth, alen) || (enc_has_salt(enc) && elen < SALT_LEN))
		return -EINVAL;
	klen = enc_has_salt(enc) ? elen - SALT_LEN : elen;
	if (!enc_info(enc, klen, &ei) || !auth_info(auth, &digest, &icv_len))
		return -EINVAL;
	if (!(x = calloc(1, sizeof(*x))))
		return -ENOMEM;
	x->enc = enc;
	x->iv_len = ei.iv_len;
	x->block_len = ei.block_len;
	x->icv_len = ipsec_enc_is_aead(enc) ? AEAD_ICV_LEN : icv_len;
	if (enc_has_salt(enc))
		memcpy(x->salt, enc_key->bytes + klen, SALT_LEN);
	if (ei.name && (rc = xform_key_cipher(x, ei.name, enc_key->bytes, klen)) < 0)
		goto out;
	if (digest && (rc = xform_key_mac(x, digest, auth_key->bytes, alen)) < 0)
		goto out;
	*out = x;
	return 0;
out:
	xform_free(x);
	return rc;
}

void
xform_free(struct xform *x)
{
	if (!x)
		return;
	/* the contexts wipe their key schedules and HMAC pads when freed */
	EVP_CIPHER_CTX_free(x->seal_ctx);
	EVP_CIPHER_CTX_free(x->open_ctx);
	EVP_CIPHER_free(x->cipher);
	EVP_MAC_CTX_free(x->mac_ctx);
	EVP_MAC_free(x->mac);
	OPENSSL_cleanse(x, sizeof(*x));
	free(x);
}

size_t
xform_iv_len(const struct xform *x)
{
	return x->iv_len;
}

size_t
xform_block_len(const struct xform *x)
{
	return x->block_len;
}

size_t
xform_icv_len(const struct xform *x)
{
	return x->icv_len;
}

/* HMAC over iovecs, then seq_hi when esn (RFC 4303 2.2.1, RFC 4302 2.5.1), truncated. */
static int
xform_mac(struct xform *x, const struct iovec *iov, int iovcnt, uint32_t seq_hi, bool esn,
          uint8_t *icv)
{
	uint8_t full[MAC_MAX], hi[4];
	size_t n;
	int rc = -EIO;

	if (!EVP_MAC_init(x->mac_ctx, NULL, 0, NULL))
		return -EIO;
	for (int i = 0; i < iovcnt; i++)
		if (!EVP_MAC_update(x->mac_ctx, iov[i].iov_base, iov[i].iov_len))
			goto out;
	be32_put(hi, seq_hi);
	if (esn && !EVP_MAC_update(x->mac_ctx, hi, sizeof(hi)))
		goto out;
	if (!EVP_MAC_final(x->mac_ctx, full, &n, sizeof(full)) || n < x->icv_len)
		goto out;
	memcpy(icv, full, x->icv_len);
	rc = 0;
out:
	OPENSSL_cleanse(full, sizeof(full));
	return rc;
}

static bool
has_mac(const struct xform *x)
{
	return x->mac_ctx != NULL;
}

int
xform_ah_icv(struct xform *x, const struct iovec *iov, int iovcnt, uint32_t seq_hi, bool esn,
             uint8_t *icv)
{
	if (iovcnt < 0 || x->enc != IPSEC_ENC_NONE)
		return -EINVAL;
	if (!has_mac(x))
		return 0; /* auth null: no ICV (tests only) */
	return xform_mac(x, iov, iovcnt, seq_hi, esn, icv);
}

/* Unauthenticated cipher pass (CBC, CTR) over n bytes in place with the given IV. */
static int
xform_cipher(EVP_CIPHER_CTX *ctx, const uint8_t *iv, uint8_t *p, size_t n, int enc)
{
	int outl;

	if (!EVP_CipherInit_ex(ctx, NULL, NULL, NULL, iv, enc))
		return -EIO;
	if (n == 0)
		return 0;
	/* padding is off and n is block aligned, so update emits everything */
	if (!EVP_CipherUpdate(ctx, p, &outl, p, (int)n) || (size_t)outl != n)
		return -EIO;
	return 0;
}

/*
 * RFC 3686 4: counter block = nonce(4) || IV(8) || 00000001. Only the
 * first 12 bytes vary with the packet, the block counter starts at 1.
 */
static void
ctr_block(const struct xform *x, const uint8_t *iv, uint8_t blk[16])
{
	memcpy(blk, x->salt, SALT_LEN);
	memcpy(blk + SALT_LEN, iv, SEQ_IV_LEN);
	be32_put(blk + 12, 1);
}

/*
 * AAD is SPI || seq, or SPI || seq_hi || seq_lo with ESN (RFC 4106 5,
 * RFC 7634 2.1); the nonce is salt || IV (RFC 4106 4, RFC 7634 2).
 */
static int
aead_start(struct xform *x, EVP_CIPHER_CTX *ctx, const uint8_t *esp, uint32_t seq_hi, bool esn,
           int enc)
{
	uint8_t nonce[SALT_LEN + SEQ_IV_LEN], aad[12];
	size_t aad_len = 4;
	int outl;

	memcpy(nonce, x->salt, SALT_LEN);
	memcpy(nonce + SALT_LEN, esp + ESP_HDR_LEN, SEQ_IV_LEN);
	memcpy(aad, esp, 4);
	if (esn) {
		be32_put(aad + aad_len, seq_hi);
		aad_len += 4;
	}
	memcpy(aad + aad_len, esp + 4, 4);
	aad_len += 4;
	if (!EVP_CipherInit_ex(ctx, NULL, NULL, NULL, nonce, enc) ||
	    !EVP_CipherUpdate(ctx, NULL, &outl, aad, (int)aad_len))
		return -EIO;
	return 0;
}

static int
aead_seal(struct xform *x, uint8_t *esp, uint8_t *p, size_t n, uint32_t seq_hi, bool esn)
{
	EVP_CIPHER_CTX *ctx = xform_ctx(x, 1);
	int outl, fin;
	int rc;

	if (!ctx)
		return -ENOMEM;
	if ((rc = aead_start(x, ctx, esp, seq_hi, esn, 1)) < 0)
		return rc;
	outl = 0;
	if (n > 0 && !EVP_EncryptUpdate(ctx, p, &outl, p, (int)n))
		return -EIO;
	if (!EVP_EncryptFinal_ex(ctx, p + outl, &fin) || (size_t)(outl + fin) != n ||
	    !EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, AEAD_ICV_LEN, p + n))
		return -EIO;
	return 0;
}

/* Decrypts in place; the caller must drop the plaintext when this fails. */
static int
aead_open(struct xform *x, uint8_t *esp, uint8_t *p, size_t n, uint32_t seq_hi, bool esn)
{
	EVP_CIPHER_CTX *ctx = xform_ctx(x, 0);
	int outl, fin;
	int rc;

	if (!ctx)
		return -ENOMEM;
	if ((rc = aead_start(x, ctx, esp, seq_hi, esn, 0)) < 0)
		return rc;
	outl = 0;
	if (n > 0 && !EVP_DecryptUpdate(ctx, p, &outl, p, (int)n))
		return -EIO;
	if (!EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, AEAD_ICV_LEN, p + n))
		return -EIO;
	/* the tag check happens here */
	if (EVP_DecryptFinal_ex(ctx, p + outl, &fin) <= 0)
		return -EBADMSG;
	return (size_t)(outl + fin) == n ? 0 : -EIO;
}

/* Encrypt or decrypt the ciphertext area of a non-AEAD transform. */
static int
xform_crypt(struct xform *x, const uint8_t *iv, uint8_t *p, size_t n, int enc)
{
	EVP_CIPHER_CTX *ctx;
	uint8_t blk[16];

	switch (x->enc) {
	case IPSEC_ENC_3DES_CBC:
	case IPSEC_ENC_AES_CBC:
		return (ctx = xform_ctx(x, enc)) ? xform_cipher(ctx, iv, p, n, enc) : -ENOMEM;
	case IPSEC_ENC_AES_CTR:
		ctr_block(x, iv, blk);
		return (ctx = xform_ctx(x, enc)) ? xform_cipher(ctx, blk, p, n, enc) : -ENOMEM;
	default: /* null */
		return 0;
	}
}

/*
 * RFC 3602 2.1: a CBC IV must be unpredictable. Each RAND_bytes call costs
 * about as much as encrypting half a packet (fork check, locking), so IVs
 * are drawn from the DRBG in batches; they are public once sent anyway.
 */
static int
cbc_iv(struct xform *x, uint8_t *iv)
{
	int rc;

	if (x->iv_pool_left < x->iv_len) {
		if ((rc = crypto_random(x->iv_pool, sizeof(x->iv_pool))) < 0)
			return rc;
		x->iv_pool_left = sizeof(x->iv_pool);
	}
	memcpy(iv, x->iv_pool + sizeof(x->iv_pool) - x->iv_pool_left, x->iv_len);
	x->iv_pool_left -= x->iv_len;
	return 0;
}

int
xform_esp_seal(struct xform *x, uint8_t *esp, size_t len, uint64_t seq, bool esn)
{
	uint8_t *iv = esp + ESP_HDR_LEN, *p = iv + x->iv_len;
	uint32_t seq_hi = (uint32_t)(seq >> 32);
	int rc;

	if (len % x->block_len || len > INT_MAX || x->enc == IPSEC_ENC_NONE)
		return -EINVAL;
	switch (x->enc) {
	case IPSEC_ENC_3DES_CBC:
	case IPSEC_ENC_AES_CBC:
		if ((rc = cbc_iv(x, iv)) < 0)
			return rc;
		break;
	case IPSEC_ENC_AES_CTR:
	case IPSEC_ENC_AES_GCM16:
	case IPSEC_ENC_CHACHA20_POLY1305:
		/* counter modes need uniqueness only; seq never repeats under one key */
		be64_put(iv, seq);
		break;
	default:
		break;
	}
	if (ipsec_enc_is_aead(x->enc))
		return aead_seal(x, esp, p, len, seq_hi, esn);
	if ((rc = xform_crypt(x, iv, p, len, 1)) < 0)
		return rc;
	if (!has_mac(x))
		return 0;
	/* encrypt-then-MAC over header, IV and ciphertext (RFC 4303 3.3.2.1) */
	struct iovec iov = {esp, ESP_HDR_LEN + x->iv_len + len};
	return xform_mac(x, &iov, 1, seq_hi, esn, p + len);
}

int
xform_esp_open(struct xform *x, uint8_t *esp, size_t len, uint32_t seq_hi, bool esn)
{
	uint8_t *iv = esp + ESP_HDR_LEN, *p = iv + x->iv_len, icv[MAC_MAX];
	size_t overhead = ESP_HDR_LEN + x->iv_len + x->icv_len, n;
	int rc;

	if (len < overhead || len - overhead > INT_MAX || x->enc == IPSEC_ENC_NONE)
		return -EINVAL;
	n = len - overhead;
	if (n % x->block_len)
		return -EINVAL;
	if (ipsec_enc_is_aead(x->enc))
		return aead_open(x, esp, p, n, seq_hi, esn);
	if (has_mac(x)) {
		/* verify before decrypting (RFC 4303 3.4.4.1), in constant time */
		struct iovec iov = {esp, ESP_HDR_LEN + x->iv_len + n};

		if ((rc = xform_mac(x, &iov, 1, seq_hi, esn, icv)) < 0)
			return rc;
		if (CRYPTO_memcmp(icv, p + n, x->icv_len) != 0)
			return -EBADMSG;
	}
	return xform_crypt(x, iv, p, n, 0);
}
