/*
 * Message body encryption (RFC 2408 3.1 E flag, RFC 2409 Appendix B) and the HASH(1)/(2)
 * payload that opens every protected phase 2 message (RFC 2409 5.5, 5.7).
 *
 * CBC chaining is per exchange: the IV of a message is the last ciphertext block of the
 * previous message of that exchange. Both functions hand the next IV back instead of
 * storing it, so the caller commits it only after the message proved authentic.
 */
#include <errno.h>
#include <string.h>

#include "ike/v1/engine_int.h"

#define HDR_FLAGS_AT 19
#define HDR_LEN_AT 24

void
ikev1_hdr_for(const struct ikev1_ike_sa *sa, uint8_t exchange, uint32_t mid, struct ikev1_hdr *h)
{
	memset(h, 0, sizeof(*h));
	memcpy(h->cookie_i, sa->cky_i, IKEV1_COOKIE_LEN);
	memcpy(h->cookie_r, sa->cky_r, IKEV1_COOKIE_LEN);
	h->version = IKEV1_VERSION;
	h->exchange = exchange;
	h->msgid = mid;
}

/*
 * Decrypt m's ciphertext into plain[cap]. The ciphertext must be whole blocks; what it
 * decrypts to is only trusted after the HASH in it verified. iv_next gets the last
 * ciphertext block. Returns 0 or -EBADMSG.
 */
int
ikev1_crypt_open(struct ikecipher *c, const struct ikev1_msg *m, const uint8_t *iv, uint8_t *plain,
                 size_t cap, size_t *ret_len, uint8_t *iv_next)
{
	struct rd ct = m->encrypted;
	size_t len = rd_left(&ct), bl = ikecipher_block_len(c);
	uint8_t chain[IKECIPHER_BLOCK_MAX];

	if (len == 0 || len % bl || len > cap || !rd_copy(&ct, plain, len))
		return -EBADMSG;
	memcpy(chain, iv, bl);
	if (ikecipher_decrypt(c, plain, len, chain) < 0)
		return -EBADMSG;
	memcpy(iv_next, chain, bl);
	*ret_len = len;
	return 0;
}

/*
 * Encrypt the built message msg[len] in place: zero padding to the block size (RFC 2408
 * 3.5 leaves its content open; racoon and strongSwan accept zeros), E flag and length
 * patched. iv goes in as the exchange's IV and comes out as the next one.
 */
int
ikev1_crypt_seal(struct ikecipher *c, uint8_t *msg, size_t len, size_t cap, uint8_t *iv,
                 size_t *ret_len)
{
	size_t bl = ikecipher_block_len(c), body, pad;
	struct wr w = wr_init(msg, cap);
	int err;

	if (len <= IKEV1_HDR_LEN)
		return -EINVAL;
	body = len - IKEV1_HDR_LEN;
	pad = (bl - body % bl) % bl;
	w.len = len;
	wr_zero(&w, pad);
	wr_patch_u8(&w, HDR_FLAGS_AT, msg[HDR_FLAGS_AT] | IKEV1_FLAG_ENC);
	wr_patch_be32(&w, HDR_LEN_AT, (uint32_t)(len + pad));
	if (!wr_ok(&w))
		return -EMSGSIZE;
	err = ikecipher_encrypt(c, msg + IKEV1_HDR_LEN, body + pad, iv);
	if (err < 0)
		return err;
	*ret_len = len + pad;
	return 0;
}

/*
 * The message msg[len] starts with a HASH payload holding prf_len placeholder bytes;
 * compute HASH(1) = prf(SKEYID_a, M-ID | rest) or, for hash2, HASH(2) = prf(SKEYID_a,
 * M-ID | Ni_b | rest) over everything after it, and write it in place.
 */
int
ikev1_hash_fill(struct ikev1_ike_sa *sa, uint8_t *msg, size_t len, uint32_t mid,
                const struct ikev1_qm *qm, bool hash2)
{
	size_t at = IKEV1_HDR_LEN + IKEV1_GEN_HDR_LEN, plen = sa->keys.prf_len;
	uint8_t h[PRF_MAX_LEN];
	struct ikev1_bytes rest;
	struct wr w = wr_init(msg, len);
	int err;

	if (len < at + plen)
		return -EINVAL;
	rest.p = msg + at + plen;
	rest.len = len - at - plen;
	if (hash2) {
		struct ikev1_bytes ni = {qm->ni, qm->ni_len};

		err = ikev1_qm_hash2(&sa->keys, mid, ni, rest, h);
	} else {
		err = ikev1_hash_mid(&sa->keys, mid, rest, h);
	}
	if (err < 0)
		return err;
	w.len = at;
	wr_bytes(&w, h, plen);
	return wr_ok(&w) ? 0 : -EINVAL;
}

/*
 * The received HASH payload (which must come first, RFC 2409 5.5) and the bytes of the
 * message after it up to the padding: the input of HASH(1) and HASH(2).
 */
int
ikev1_rest_after_hash(const struct ikev1_rx *rx, struct ikev1_bytes *ret_rest,
                      struct ikev1_bytes *ret_hash)
{
	struct rd r = rx->body, h;
	uint8_t np, res;
	uint16_t plen;
	const uint8_t *p;
	size_t n;

	if (rx->msg.npayloads == 0 || rx->msg.payloads[0].type != IKEV1_PL_HASH)
		return -EPROTO;
	if (!rd_u8(&r, &np) || !rd_u8(&r, &res) || !rd_be16(&r, &plen) ||
	    plen < IKEV1_GEN_HDR_LEN || !rd_bytes(&r, plen - IKEV1_GEN_HDR_LEN, &h))
		return -EBADMSG;
	ret_hash->p = h.p;
	ret_hash->len = h.len;
	n = rd_left(&r);
	if (!rd_ptr(&r, n, &p))
		return -EBADMSG;
	ret_rest->p = p;
	ret_rest->len = n;
	return 0;
}
