/*
 * Dead Peer Detection notifications (RFC 3706 5.1): R-U-THERE and R-U-THERE-ACK carry
 * the ISAKMP cookies as a 16-byte SPI and a 4-byte sequence number as their data.
 *
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ! Next Payload  !   RESERVED    !         Payload Length        !
 * +---------------+---------------+---------------+---------------+
 * !                    Domain of Interpretation                   !
 * +---------------+---------------+---------------+---------------+
 * !  Protocol-ID  !    SPI Size   !      Notify Message Type      !
 * +---------------+---------------+---------------+---------------+
 * !                                                               !
 * ~                Security Parameter Index (SPI)                 ~
 * !                                                               !
 * +---------------+---------------+---------------+---------------+
 * !                    Notification Data                          !
 * +---------------+---------------+---------------+---------------+
 *   DOI 1 (IPsec), protocol 1 (ISAKMP), SPI size 16, SPI = CKY-I | CKY-R,
 *   type 36136 (R-U-THERE) or 36137 (R-U-THERE-ACK), data = 32-bit sequence number.
 */
#include <errno.h>
#include <string.h>

#include "ike/v1/codec.h"
#include "ike/v1/ikev1.h"

void
ikev1_dpd_notify(const uint8_t cky_i[IKEV1_COOKIE_LEN], const uint8_t cky_r[IKEV1_COOKIE_LEN],
                 bool ack, uint32_t seq, struct ikev1_dpd_buf *buf, struct ikev1_notify *out)
{
	memcpy(buf->spi, cky_i, IKEV1_COOKIE_LEN);
	memcpy(buf->spi + IKEV1_COOKIE_LEN, cky_r, IKEV1_COOKIE_LEN);
	be32_put(buf->seq, seq);
	out->doi = IKEV1_DOI_IPSEC;
	out->protocol = IKEV1_PROTO_ISAKMP;
	out->type = ack ? IKEV1_N_R_U_THERE_ACK : IKEV1_N_R_U_THERE;
	out->spi = rd_init(buf->spi, sizeof(buf->spi));
	out->data = rd_init(buf->seq, sizeof(buf->seq));
}

int
ikev1_dpd_parse(const struct ikev1_notify *n, const uint8_t cky_i[IKEV1_COOKIE_LEN],
                const uint8_t cky_r[IKEV1_COOKIE_LEN], bool *ret_ack, uint32_t *ret_seq)
{
	uint8_t cookies[2 * IKEV1_COOKIE_LEN];
	struct rd data = n->data;
	uint32_t seq;

	if (n->type != IKEV1_N_R_U_THERE && n->type != IKEV1_N_R_U_THERE_ACK)
		return -ENOENT;
	if (rd_left(&n->spi) != 2 * IKEV1_COOKIE_LEN || !rd_be32(&data, &seq) || !rd_end(&data))
		return -EBADMSG;
	/* the SPI names the ISAKMP SA the probe is about: it must be the one it came under */
	memcpy(cookies, cky_i, IKEV1_COOKIE_LEN);
	memcpy(cookies + IKEV1_COOKIE_LEN, cky_r, IKEV1_COOKIE_LEN);
	if (memcmp(n->spi.p, cookies, sizeof(cookies)))
		return -EPROTO;
	*ret_ack = n->type == IKEV1_N_R_U_THERE_ACK;
	*ret_seq = seq;
	return 0;
}
