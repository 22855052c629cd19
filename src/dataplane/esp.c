/*
 * ESP (RFC 4303) encapsulation and decapsulation, in place.
 *
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * |               Security Parameters Index (SPI)                 |
 * |                      Sequence Number                          |
 * |                    IV (xform_iv_len bytes)                    |
 * ~                    Payload Data (variable)                    ~
 * |               |     Padding (0-255 bytes)                     |
 * |                               |  Pad Length   | Next Header   |
 * ~         Integrity Check Value-ICV   (variable)                ~   RFC 4303 2
 */
#include "dataplane/esp.h"

#include <errno.h>

#include "dataplane/ipsec_io.h"
#include "lib/buf.h"

int
esp_encap(struct sad_entry *e, struct dp_sa *d, struct pkt *p)
{
	size_t bl = xform_block_len(d->x), iv = xform_iv_len(d->x), icv = xform_icv_len(d->x);
	struct ipsec_encap c;
	size_t pad, plain;
	uint64_t seq;
	uint8_t *esp;
	struct wr w;
	int rc;

	if ((rc = ipsec_io_encap_begin(e, p, &c)) < 0 || (rc = ipsec_io_seq_next(e, &seq)) < 0)
		return rc;
	/* RFC 4303 2.4: payload + pad + 2 trailer bytes fill whole cipher blocks */
	pad = (bl - (c.payload_len + ESP_TRAILER_LEN) % bl) % bl;
	plain = c.payload_len + pad + ESP_TRAILER_LEN;
	rc = ipsec_io_encap(e, p, &c, IPSEC_PROTO_ESP, ESP_HDR_LEN + iv,
	                    pad + ESP_TRAILER_LEN + icv);
	if (rc < 0)
		return rc;
	esp = p->data + c.ip_len;
	be32_put(esp, e->sa.spi);
	be32_put(esp + 4, (uint32_t)seq);
	/* the default monotonic padding 1, 2, 3, ... that the receiver checks */
	w = wr_init(esp + ESP_HDR_LEN + iv + c.payload_len, pad + ESP_TRAILER_LEN);
	for (size_t i = 1; i <= pad; i++)
		wr_u8(&w, (uint8_t)i);
	wr_u8(&w, (uint8_t)pad);
	wr_u8(&w, c.nh);
	if (!wr_ok(&w))
		return -EINVAL;
	if ((rc = xform_esp_seal(d->x, esp, plain, seq, e->sa.esn)) < 0)
		return rc;
	e->seq_out = seq;
	return 0;
}

/* RFC 4303 2.4: the receiver checks the default padding 1, 2, 3, ... */
static bool
esp_pad_ok(struct rd *pad, uint8_t padlen)
{
	uint8_t b;

	for (unsigned i = 1; i <= padlen; i++)
		if (!rd_u8(pad, &b) || b != (uint8_t)i)
			return false;
	return true;
}

/* Parse the decrypted trailer of n plaintext bytes: payload length and next header. */
static int
esp_trailer(struct rd *plain, size_t n, size_t *plen, uint8_t *nh)
{
	uint8_t padlen;

	if (n < ESP_TRAILER_LEN || !rd_peek_u8(plain, n - 2, &padlen) ||
	    !rd_peek_u8(plain, n - 1, nh) || padlen > n - ESP_TRAILER_LEN)
		return -EINVAL;
	*plen = n - ESP_TRAILER_LEN - padlen;
	if (!rd_skip(plain, *plen) || !esp_pad_ok(plain, padlen))
		return -EINVAL;
	return 0;
}

int
esp_decap(struct sad_entry *e, struct dp_sa *d, struct pkt *p, const struct ip_info *ii)
{
	size_t iv = xform_iv_len(d->x), icv = xform_icv_len(d->x), len, n, plen;
	struct rd r = rd_init(p->data, p->len), plain;
	uint32_t spi, seq_lo;
	uint64_t seq;
	uint8_t nh;
	int rc;

	if (!rd_skip(&r, ii->hdr_len) || !rd_be32(&r, &spi) || !rd_be32(&r, &seq_lo))
		return -EINVAL;
	len = p->len - ii->hdr_len;
	if (len < ESP_HDR_LEN + iv + ESP_TRAILER_LEN + icv)
		return -EINVAL;
	n = len - ESP_HDR_LEN - iv - icv;
	/* cheap pre-check before spending cycles on the ICV (RFC 4303 3.4.3) */
	seq = replay_infer(&d->replay, seq_lo, e->sa.esn);
	if (!replay_check(&d->replay, seq))
		return -EALREADY;
	rc = xform_esp_open(d->x, p->data + ii->hdr_len, len, (uint32_t)(seq >> 32), e->sa.esn);
	if (rc < 0)
		return rc == -EBADMSG ? -EBADMSG : -EINVAL;
	/* only an authenticated packet may move the window */
	replay_update(&d->replay, seq);
	if (!rd_skip(&r, iv) || !rd_sub(&r, n, &plain) || esp_trailer(&plain, n, &plen, &nh) < 0)
		return -EINVAL;
	return ipsec_io_decap(e, p, ii, ii->hdr_len + ESP_HDR_LEN + iv, plen, nh);
}
