/*
 * IKEv1 key derivation (RFC 2409 5, Appendix B). Every function concatenates
 * its inputs as an iovec list straight into the PRF or hash, so no secret is
 * copied into a temporary buffer except the PRF blocks of an expansion.
 */
#include "ike/v1/keys.h"

#include <errno.h>
#include <string.h>

#include "lib/buf.h"
#include "lib/secmem.h"

#define IOV(ptr, n) ((struct iovec){(void *)(ptr), (n)})
#define IOVB(b) IOV((b).p, (b).len)

/*
 * K1 | K2 | ... truncated to out_len, K1 = prf(key, first | seed),
 * Kn = prf(key, Kn-1 | seed): Appendix B's Ka (first = 0x00, no seed) and
 * KEYMAT of 5.5 (no first, seed = the KEYMAT input).
 */
static int
keys_expand(enum hash_alg hash, const uint8_t *key, size_t key_len, struct ikev1_bytes first,
            const struct iovec *seed, int seedcnt, uint8_t *out, size_t out_len)
{
	struct iovec iov[8];
	uint8_t block[PRF_MAX_LEN];
	size_t n = prf_len(hash), done = 0, take;
	int i, r = 0;

	if (n == 0 || seedcnt > 7)
		return -EINVAL;
	iov[0] = IOVB(first);
	for (i = 0; i < seedcnt; i++)
		iov[i + 1] = seed[i];
	while (done < out_len) {
		if ((r = prf_compute(hash, key, key_len, iov, seedcnt + 1, block)) < 0)
			break;
		take = out_len - done < n ? out_len - done : n;
		memcpy(out + done, block, take);
		done += take;
		iov[0] = IOV(block, n); /* Kn feeds Kn+1 */
	}
	secmem_wipe(block, sizeof(block));
	if (r < 0)
		secmem_wipe(out, out_len);
	return r;
}

/* SKEYID_d, _a, _e from k->skeyid (RFC 2409 5): each chains the previous. */
static int
keys_derive_dae(struct ikev1_keys *k, const struct ikev1_phase1 *p1)
{
	static const uint8_t idx[3] = {0, 1, 2};
	uint8_t *dst[3] = {k->skeyid_d, k->skeyid_a, k->skeyid_e};
	struct iovec iov[5];
	int i, r;

	for (i = 0; i < 3; i++) {
		/* SKEYID_d has no predecessor: an empty first element */
		iov[0] = i == 0 ? IOV(NULL, 0) : IOV(dst[i - 1], k->prf_len);
		iov[1] = IOVB(p1->gxy);
		iov[2] = IOV(p1->cky_i, IKEV1_COOKIE_LEN);
		iov[3] = IOV(p1->cky_r, IKEV1_COOKIE_LEN);
		iov[4] = IOV(&idx[i], 1);
		if ((r = prf_compute(k->hash, k->skeyid, k->prf_len, iov, 5, dst[i])) < 0)
			return r;
	}
	return 0;
}

static int
keys_init(struct ikev1_keys *k, const struct ikev1_phase1 *p1)
{
	memset(k, 0, sizeof(*k));
	k->hash = p1->hash;
	k->prf_len = prf_len(p1->hash);
	if (k->prf_len == 0 || p1->gxy.len == 0 || p1->ni_b.len == 0 || p1->nr_b.len == 0)
		return -EINVAL;
	return 0;
}

int
ikev1_keys_derive_psk(struct ikev1_keys *k, const struct ikev1_phase1 *p1, struct ikev1_bytes psk)
{
	struct iovec nonces[2] = {IOVB(p1->ni_b), IOVB(p1->nr_b)};
	int r;

	if ((r = keys_init(k, p1)) < 0)
		return r;
	if ((r = prf_compute(k->hash, psk.p, psk.len, nonces, 2, k->skeyid)) < 0 ||
	    (r = keys_derive_dae(k, p1)) < 0)
		ikev1_keys_clear(k);
	return r;
}

int
ikev1_keys_derive_sig(struct ikev1_keys *k, const struct ikev1_phase1 *p1)
{
	uint8_t key[2 * 256]; /* RFC 2409 5: nonces are 8 to 256 bytes */
	struct iovec gxy = IOVB(p1->gxy);
	int r;

	if ((r = keys_init(k, p1)) < 0)
		return r;
	if (p1->ni_b.len > 256 || p1->nr_b.len > 256)
		return -EINVAL;
	memcpy(key, p1->ni_b.p, p1->ni_b.len);
	memcpy(key + p1->ni_b.len, p1->nr_b.p, p1->nr_b.len);
	if ((r = prf_compute(k->hash, key, p1->ni_b.len + p1->nr_b.len, &gxy, 1, k->skeyid)) < 0 ||
	    (r = keys_derive_dae(k, p1)) < 0)
		ikev1_keys_clear(k);
	secmem_wipe(key, sizeof(key));
	return r;
}

int
ikev1_keys_enc_key(struct ikev1_keys *k, size_t key_len)
{
	static const uint8_t zero;
	int r;

	if (key_len == 0 || key_len > IKEV1_ENC_KEY_MAX || k->prf_len == 0)
		return -EINVAL;
	k->enc_key_len = 0;
	/* long enough: the key is SKEYID_e's first bytes (RFC 2409 5) */
	if (key_len <= k->prf_len)
		memcpy(k->enc_key, k->skeyid_e, key_len);
	else if ((r = keys_expand(k->hash, k->skeyid_e, k->prf_len, (struct ikev1_bytes){&zero, 1},
	                          NULL, 0, k->enc_key, key_len)) < 0)
		return r;
	k->enc_key_len = key_len;
	return 0;
}

/* hash(iov) truncated to out_len bytes (the Appendix B IVs). */
static int
keys_hash_trunc(enum hash_alg hash, const struct iovec *iov, int iovcnt, uint8_t *out,
                size_t out_len)
{
	uint8_t md[HASH_MAX_LEN];
	int r;

	if (out_len == 0 || out_len > hash_len(hash))
		return -EINVAL;
	if ((r = hash_compute(hash, iov, iovcnt, md)) == 0)
		memcpy(out, md, out_len);
	return r;
}

int
ikev1_keys_phase1_iv(struct ikev1_keys *k, const struct ikev1_phase1 *p1, size_t block_len)
{
	struct iovec iov[2] = {IOVB(p1->gxi), IOVB(p1->gxr)};
	int r;

	if (block_len > sizeof(k->iv))
		return -EINVAL;
	if ((r = keys_hash_trunc(k->hash, iov, 2, k->iv, block_len)) == 0)
		k->iv_len = block_len;
	return r;
}

int
ikev1_phase2_iv(const struct ikev1_keys *k, struct ikev1_bytes last_block, uint32_t mid,
                uint8_t *iv_out)
{
	uint8_t m[4];
	struct iovec iov[2] = {IOVB(last_block), IOV(m, sizeof(m))};

	be32_put(m, mid);
	return keys_hash_trunc(k->hash, iov, 2, iv_out, last_block.len);
}

/* prf(SKEYID, g^xa | g^xb | CKY-A | CKY-B | SAi_b | ID_b): HASH_I/HASH_R. */
static int
keys_hash_auth(const struct ikev1_keys *k, struct ikev1_bytes gxa, struct ikev1_bytes gxb,
               const uint8_t *cky_a, const uint8_t *cky_b, struct ikev1_bytes sai_b,
               struct ikev1_bytes id_b, uint8_t *out)
{
	struct iovec iov[6] = {
	    IOVB(gxa),   IOVB(gxb),  IOV(cky_a, IKEV1_COOKIE_LEN), IOV(cky_b, IKEV1_COOKIE_LEN),
	    IOVB(sai_b), IOVB(id_b),
	};

	if (k->prf_len == 0)
		return -EINVAL;
	return prf_compute(k->hash, k->skeyid, k->prf_len, iov, 6, out);
}

int
ikev1_hash_i(const struct ikev1_keys *k, const struct ikev1_phase1 *p1, struct ikev1_bytes sai_b,
             struct ikev1_bytes idii_b, uint8_t *out)
{
	return keys_hash_auth(k, p1->gxi, p1->gxr, p1->cky_i, p1->cky_r, sai_b, idii_b, out);
}

int
ikev1_hash_r(const struct ikev1_keys *k, const struct ikev1_phase1 *p1, struct ikev1_bytes sai_b,
             struct ikev1_bytes idir_b, uint8_t *out)
{
	return keys_hash_auth(k, p1->gxr, p1->gxi, p1->cky_r, p1->cky_i, sai_b, idir_b, out);
}

/* prf(SKEYID_a, [0 |] M-ID | a | b): the phase-2 HASH payloads. */
static int
keys_hash_a(const struct ikev1_keys *k, bool zero, uint32_t mid, struct ikev1_bytes a,
            struct ikev1_bytes b, uint8_t *out)
{
	static const uint8_t z;
	uint8_t m[4];
	struct iovec iov[4] = {IOV(&z, zero ? 1 : 0), IOV(m, sizeof(m)), IOVB(a), IOVB(b)};

	if (k->prf_len == 0)
		return -EINVAL;
	be32_put(m, mid);
	return prf_compute(k->hash, k->skeyid_a, k->prf_len, iov, 4, out);
}

int
ikev1_hash_mid(const struct ikev1_keys *k, uint32_t mid, struct ikev1_bytes rest, uint8_t *out)
{
	return keys_hash_a(k, false, mid, rest, (struct ikev1_bytes){NULL, 0}, out);
}

int
ikev1_qm_hash2(const struct ikev1_keys *k, uint32_t mid, struct ikev1_bytes ni_b,
               struct ikev1_bytes rest, uint8_t *out)
{
	return keys_hash_a(k, false, mid, ni_b, rest, out);
}

int
ikev1_qm_hash3(const struct ikev1_keys *k, uint32_t mid, struct ikev1_bytes ni_b,
               struct ikev1_bytes nr_b, uint8_t *out)
{
	return keys_hash_a(k, true, mid, ni_b, nr_b, out);
}

bool
ikev1_hash_verify(const uint8_t *computed, size_t len, struct ikev1_bytes received)
{
	/* the length is public (it is the payload's); only the bytes are secret */
	return received.len == len && len > 0 && secmem_eq(computed, received.p, len);
}

int
ikev1_keymat(const struct ikev1_keys *k, struct ikev1_bytes gqm_xy, uint8_t protocol, uint32_t spi,
             struct ikev1_bytes ni_b, struct ikev1_bytes nr_b, uint8_t *out, size_t out_len)
{
	uint8_t s[4];
	struct iovec seed[5] = {IOVB(gqm_xy), IOV(&protocol, 1), IOV(s, sizeof(s)), IOVB(ni_b),
	                        IOVB(nr_b)};

	if (k->prf_len == 0 || out_len == 0)
		return -EINVAL;
	be32_put(s, spi);
	return keys_expand(k->hash, k->skeyid_d, k->prf_len, (struct ikev1_bytes){NULL, 0}, seed, 5,
	                   out, out_len);
}

int
ikev1_natd_hash(enum hash_alg hash, const uint8_t *cky_i, const uint8_t *cky_r,
                struct ikev1_bytes ip, uint16_t port, uint8_t *out)
{
	uint8_t p[2];
	struct iovec iov[4] = {IOV(cky_i, IKEV1_COOKIE_LEN), IOV(cky_r, IKEV1_COOKIE_LEN), IOVB(ip),
	                       IOV(p, sizeof(p))};

	if (ip.len != 4 && ip.len != 16)
		return -EINVAL;
	be16_put(p, port);
	return hash_compute(hash, iov, 4, out);
}

void
ikev1_keys_clear(struct ikev1_keys *k)
{
	secmem_wipe(k, sizeof(*k));
}
