/*
 * AH (RFC 4302): integrity over the IP header's immutable fields, the AH
 * header and the payload.
 *
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * | Next Header   |  Payload Len  |          RESERVED             |
 * |                 Security Parameters Index (SPI)               |
 * |                    Sequence Number Field                      |
 * +                Integrity Check Value-ICV (variable)           |   RFC 4302 2
 *
 * The covered IP header must be a bare one (IPv4 without options, IPv6
 * without extension headers): zeroing the mutable parts of options and
 * extension headers (RFC 4302 3.3.3.1.1.2, 3.3.3.1.2.2) is not done here.
 */
#include "dataplane/ah.h"

#include <errno.h>
#include <string.h>
#include <sys/uio.h>

#include "dataplane/ipsec_io.h"
#include "lib/buf.h"
#include "lib/secmem.h"

#define AH_ICV_MAX 64

/* RFC 4302 2.2 / 3.3.3.2.1: AH is a multiple of 32 bits in IPv4, 64 bits in IPv6. */
static size_t
ah_len(uint8_t family, size_t icv_len)
{
	size_t align = family == AF_INET ? 4 : 8;

	return (AH_HDR_LEN + icv_len + align - 1) / align * align;
}

static bool
ah_bare_header(uint8_t family, size_t hdr_len)
{
	return hdr_len == (family == AF_INET ? IP4_HDR_LEN : IP6_HDR_LEN);
}

/*
 * ICV over the IP header with the mutable fields zeroed (RFC 4302
 * 3.3.3.1.1.1 IPv4: TOS, flags + fragment offset, TTL, checksum;
 * 3.3.3.1.2.1 IPv6: traffic class, flow label, hop limit), the AH whose ICV
 * field the caller zeroed, and the payload; seq_hi last with ESN.
 */
static int
ah_icv(const struct sad_entry *e, struct dp_sa *d, const uint8_t *ip, size_t ip_len,
       const uint8_t *ah, size_t ah_total, size_t payload_len, uint64_t seq, uint8_t *icv)
{
	uint8_t hdr[IP6_HDR_LEN];
	struct iovec iov[3];

	memcpy(hdr, ip, ip_len);
	if (ip_len == IP4_HDR_LEN) {
		hdr[1] = 0;
		memset(hdr + 6, 0, 3);
		memset(hdr + 10, 0, 2);
	} else {
		hdr[0] &= 0xf0;
		memset(hdr + 1, 0, 3);
		hdr[7] = 0;
	}
	iov[0] = (struct iovec){hdr, ip_len};
	iov[1] = (struct iovec){(void *)ah, ah_total};
	iov[2] = (struct iovec){(void *)(ah + ah_total), payload_len};
	return xform_ah_icv(d->x, iov, 3, (uint32_t)(seq >> 32), e->sa.esn, icv);
}

int
ah_encap(struct sad_entry *e, struct dp_sa *d, struct pkt *p)
{
	size_t icv_len = xform_icv_len(d->x), len;
	uint8_t icv[AH_ICV_MAX], *ah;
	struct ipsec_encap c;
	uint64_t seq;
	struct wr w;
	int rc;

	if ((rc = ipsec_io_encap_begin(e, p, &c)) < 0 || (rc = ipsec_io_seq_next(e, &seq)) < 0)
		return rc;
	if (!ah_bare_header(c.family, c.ip_len) || icv_len > AH_ICV_MAX)
		return -EINVAL;
	len = ah_len(c.family, icv_len);
	if ((rc = ipsec_io_encap(e, p, &c, IPSEC_PROTO_AH, len, 0)) < 0)
		return rc;
	ah = p->data + c.ip_len;
	w = wr_init(ah, len);
	wr_u8(&w, c.nh);
	wr_u8(&w, (uint8_t)(len / 4 - 2));
	wr_be16(&w, 0);
	wr_be32(&w, e->sa.spi);
	wr_be32(&w, (uint32_t)seq);
	/* ICV and its padding are zero while the ICV is computed */
	wr_zero(&w, len - AH_HDR_LEN);
	if (!wr_ok(&w))
		return -EINVAL;
	if ((rc = ah_icv(e, d, p->data, c.ip_len, ah, len, c.payload_len, seq, icv)) < 0)
		return rc;
	memcpy(ah + AH_HDR_LEN, icv, icv_len);
	e->seq_out = seq;
	return 0;
}

int
ah_decap(struct sad_entry *e, struct dp_sa *d, struct pkt *p, const struct ip_info *ii)
{
	size_t icv_len = xform_icv_len(d->x), len, payload_len;
	uint8_t rx_icv[AH_ICV_MAX], icv[AH_ICV_MAX], nh, plen, *ah;
	struct rd r = rd_init(p->data, p->len);
	uint32_t spi, seq_lo;
	uint16_t reserved;
	uint64_t seq;
	int rc;

	if (!ah_bare_header(ii->family, ii->hdr_len) || icv_len > AH_ICV_MAX)
		return -EINVAL;
	if (!rd_skip(&r, ii->hdr_len) || !rd_u8(&r, &nh) || !rd_u8(&r, &plen) ||
	    !rd_be16(&r, &reserved) || !rd_be32(&r, &spi) || !rd_be32(&r, &seq_lo))
		return -EINVAL;
	/* the length must be exactly what our ICV size and the family give */
	len = ((size_t)plen + 2) * 4;
	if (len != ah_len(ii->family, icv_len) || !rd_copy(&r, rx_icv, icv_len) ||
	    !rd_skip(&r, len - AH_HDR_LEN - icv_len))
		return -EINVAL;
	payload_len = rd_left(&r);
	seq = replay_infer(&d->replay, seq_lo, e->sa.esn);
	if (!replay_check(&d->replay, seq))
		return -EALREADY;
	ah = p->data + ii->hdr_len;
	memset(ah + AH_HDR_LEN, 0, icv_len);
	if ((rc = ah_icv(e, d, p->data, ii->hdr_len, ah, len, payload_len, seq, icv)) < 0)
		return -EINVAL;
	if (!secmem_eq(icv, rx_icv, icv_len))
		return -EBADMSG;
	replay_update(&d->replay, seq);
	return ipsec_io_decap(e, p, ii, ii->hdr_len + len, payload_len, nh);
}
