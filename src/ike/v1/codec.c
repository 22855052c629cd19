/* ISAKMP header, payload chain and the simple payload decoders (RFC 2408 3). */
#include "ike/v1/codec.h"

#include <errno.h>
#include <string.h>

/*
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !                          Initiator                            !
 * !                            Cookie                             !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !                          Responder                            !
 * !                            Cookie                             !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !  Next Payload ! MjVer ! MnVer ! Exchange Type !     Flags     !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !                          Message ID                           !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !                            Length                             !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *                      RFC 2408 3.1
 */
int
ikev1_hdr_parse(struct rd *r, struct ikev1_hdr *out)
{
	struct rd c = *r;
	struct ikev1_hdr h;

	if (!rd_copy(&c, h.cookie_i, sizeof(h.cookie_i)) ||
	    !rd_copy(&c, h.cookie_r, sizeof(h.cookie_r)) || !rd_u8(&c, &h.np) ||
	    !rd_u8(&c, &h.version) || !rd_u8(&c, &h.exchange) || !rd_u8(&c, &h.flags) ||
	    !rd_be32(&c, &h.msgid) || !rd_be32(&c, &h.length))
		return -EBADMSG;
	/* a distinct error so the caller can answer INVALID-MAJOR/MINOR-VERSION */
	if (h.version != IKEV1_VERSION)
		return -EPROTONOSUPPORT;
	*out = h;
	*r = c;
	return 0;
}

void
ikev1_hdr_encode(struct wr *w, const struct ikev1_hdr *h)
{
	wr_bytes(w, h->cookie_i, sizeof(h->cookie_i));
	wr_bytes(w, h->cookie_r, sizeof(h->cookie_r));
	wr_u8(w, h->np);
	wr_u8(w, h->version);
	wr_u8(w, h->exchange);
	wr_u8(w, h->flags);
	wr_be32(w, h->msgid);
	wr_be32(w, h->length);
}

/*
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ! Next Payload  !   RESERVED    !         Payload Length        !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *                      RFC 2408 3.2
 *
 * RESERVED "MUST be set to 0" but is not checked on receipt: racoon and strongSwan
 * ignore it, and refusing would only break interoperability with sloppy peers. The
 * payload length must cover the generic header and stay inside the enclosing block.
 * With padded set (a decrypted body), bytes after the last payload are padding.
 */
static int
chain_parse(struct rd r, uint8_t np, bool padded, struct ikev1_msg *m)
{
	struct ikev1_payload *pl;
	uint8_t next, reserved;
	uint16_t plen;
	struct rd body;

	m->npayloads = 0;
	m->padding = rd_init(NULL, 0);
	while (np != IKEV1_PL_NONE) {
		if (!rd_u8(&r, &next) || !rd_u8(&r, &reserved) || !rd_be16(&r, &plen) ||
		    plen < IKEV1_GEN_HDR_LEN || !rd_sub(&r, plen - IKEV1_GEN_HDR_LEN, &body))
			return -EBADMSG;
		if (m->npayloads == IKEV1_PAYLOADS_MAX)
			return -E2BIG;
		pl = &m->payloads[m->npayloads++];
		pl->type = np;
		pl->body = body;
		np = next;
	}
	if (padded)
		m->padding = r;
	else if (!rd_end(&r))
		return -EBADMSG;
	return 0;
}

/*
 * The header length must equal the datagram length. Encrypted messages are the one
 * exception: the ciphertext is bounded by the header length, and extra datagram bytes
 * after it (a peer padding the datagram itself) are ignored. They are never decrypted or
 * hashed, so tolerating them costs nothing; in a plaintext message they would be.
 */
int
ikev1_parse(const void *buf, size_t len, struct ikev1_msg *msg)
{
	struct rd r = rd_init(buf, len), body;
	struct ikev1_msg m;
	int err;

	if (buf == NULL && len > 0)
		return -EINVAL;
	err = ikev1_hdr_parse(&r, &m.hdr);
	if (err < 0)
		return err;
	if (m.hdr.length < IKEV1_HDR_LEN || m.hdr.length > len)
		return -EBADMSG;
	if (!(m.hdr.flags & IKEV1_FLAG_ENC) && m.hdr.length != len)
		return -EBADMSG;
	if (!rd_bytes(&r, m.hdr.length - IKEV1_HDR_LEN, &body))
		return -EBADMSG;
	m.encrypted = rd_init(NULL, 0);
	m.padding = rd_init(NULL, 0);
	m.npayloads = 0;
	if (m.hdr.flags & IKEV1_FLAG_ENC) {
		if (rd_end(&body))
			return -EBADMSG;
		m.encrypted = body;
	} else {
		err = chain_parse(body, m.hdr.np, false, &m);
		if (err < 0)
			return err;
	}
	*msg = m;
	return 0;
}

/*
 * Decrypted bodies end in padding to the cipher block (RFC 2408 3.5, RFC 2409
 * Appendix B); it is accepted whatever its content, as strongSwan and racoon do.
 */
int
ikev1_parse_payloads(uint8_t first_np, const void *buf, size_t len, struct ikev1_msg *msg)
{
	struct ikev1_msg m;
	int err;

	if (buf == NULL && len > 0)
		return -EINVAL;
	m.hdr = msg->hdr;
	m.encrypted = msg->encrypted;
	err = chain_parse(rd_init(buf, len), first_np, true, &m);
	if (err < 0)
		return err;
	*msg = m;
	return 0;
}

const struct ikev1_payload *
ikev1_msg_find(const struct ikev1_msg *msg, uint8_t type, size_t nth)
{
	for (size_t i = 0; i < msg->npayloads; i++) {
		if (msg->payloads[i].type == type && nth-- == 0)
			return &msg->payloads[i];
	}
	return NULL;
}

int
ikev1_opaque_parse(const struct ikev1_payload *pl, struct rd *out)
{
	switch (pl->type) {
	case IKEV1_PL_KE:
	case IKEV1_PL_HASH:
	case IKEV1_PL_SIG:
	case IKEV1_PL_VID:
	case IKEV1_PL_NATD:
	case IKEV1_PL_NATD_DRAFT:
		break;
	default:
		return -EINVAL;
	}
	if (rd_end(&pl->body))
		return -EBADMSG;
	*out = pl->body;
	return 0;
}

int
ikev1_nonce_parse(const struct ikev1_payload *pl, struct rd *out)
{
	if (pl->type != IKEV1_PL_NONCE)
		return -EINVAL;
	if (pl->body.len < IKEV1_NONCE_MIN || pl->body.len > IKEV1_NONCE_MAX)
		return -EBADMSG;
	*out = pl->body;
	return 0;
}

/*
 * ! Next Payload  !   RESERVED    !        Payload Length         !
 * !   ID Type     !  Protocol ID  !             Port              !
 * ~                     Identification Data                       ~
 *                      RFC 2407 4.6.2
 */
int
ikev1_id_parse(const struct ikev1_payload *pl, struct ikev1_id *out)
{
	struct rd r = pl->body;
	struct ikev1_id id;

	if (pl->type != IKEV1_PL_ID)
		return -EINVAL;
	if (!rd_u8(&r, &id.type) || !rd_u8(&r, &id.protocol) || !rd_be16(&r, &id.port))
		return -EBADMSG;
	if (rd_end(&r))
		return -EBADMSG;
	id.data = r;
	*out = id;
	return 0;
}

/*
 * ! Next Payload  !   RESERVED    !         Payload Length        !
 * ! Cert Encoding !                                               !
 * +-+-+-+-+-+-+-+-+   Certificate Data / Certificate Authority    ~
 *                      RFC 2408 3.9, 3.10
 */
int
ikev1_cert_parse(const struct ikev1_payload *pl, struct ikev1_cert *out)
{
	struct rd r = pl->body;
	uint8_t enc;

	if (pl->type != IKEV1_PL_CERT && pl->type != IKEV1_PL_CR)
		return -EINVAL;
	if (!rd_u8(&r, &enc))
		return -EBADMSG;
	/* a CR without a CA asks for any certificate of that encoding */
	if (pl->type == IKEV1_PL_CERT && rd_end(&r))
		return -EBADMSG;
	out->encoding = enc;
	out->data = r;
	return 0;
}

/*
 * ! Next Payload  !   RESERVED    !         Payload Length        !
 * !              Domain of Interpretation  (DOI)                  !
 * !  Protocol-ID  !   SPI Size    !      Notify Message Type      !
 * ~                Security Parameter Index (SPI)                 ~
 * ~                       Notification Data                       ~
 *                      RFC 2408 3.14
 */
int
ikev1_notify_parse(const struct ikev1_payload *pl, struct ikev1_notify *out)
{
	struct rd r = pl->body;
	struct ikev1_notify n;
	uint8_t spi_size;

	if (pl->type != IKEV1_PL_N)
		return -EINVAL;
	if (!rd_be32(&r, &n.doi) || !rd_u8(&r, &n.protocol) || !rd_u8(&r, &spi_size) ||
	    !rd_be16(&r, &n.type) || spi_size > IKEV1_SPI_MAX || !rd_bytes(&r, spi_size, &n.spi))
		return -EBADMSG;
	n.data = r;
	*out = n;
	return 0;
}

/*
 * ! Next Payload  !   RESERVED    !         Payload Length        !
 * !              Domain of Interpretation  (DOI)                  !
 * !  Protocol-Id  !   SPI Size    !           # of SPIs           !
 * ~               Security Parameter Index(es) (SPI)              ~
 *                      RFC 2408 3.15
 */
int
ikev1_delete_parse(const struct ikev1_payload *pl, struct ikev1_delete *out)
{
	struct rd r = pl->body;
	struct ikev1_delete d;

	if (pl->type != IKEV1_PL_D)
		return -EINVAL;
	if (!rd_be32(&r, &d.doi) || !rd_u8(&r, &d.protocol) || !rd_u8(&r, &d.spi_size) ||
	    !rd_be16(&r, &d.count))
		return -EBADMSG;
	if (d.spi_size == 0 || d.spi_size > IKEV1_SPI_MAX || d.count == 0)
		return -EBADMSG;
	/* an ISAKMP SA is named by its cookie pair (RFC 2408 3.15) */
	if (d.protocol == IKEV1_PROTO_ISAKMP && d.spi_size != 2 * IKEV1_COOKIE_LEN)
		return -EBADMSG;
	if ((size_t)d.count * d.spi_size != rd_left(&r))
		return -EBADMSG;
	if (d.count > IKEV1_DELETE_SPIS_MAX)
		return -E2BIG;
	d.spis = r;
	*out = d;
	return 0;
}

bool
ikev1_delete_spi(const struct ikev1_delete *d, size_t i, struct rd *out)
{
	struct rd r = d->spis;

	if (i >= d->count)
		return false;
	return rd_skip(&r, i * d->spi_size) && rd_bytes(&r, d->spi_size, out);
}

/*
 * ! Next Payload  !   RESERVED    !        Payload Length         !
 * !  ID Type      !   RESERVED    !            RESERVED           !
 * ~           NAT-OA (NAT Original Address)                       ~
 *                      RFC 3947 5.2
 */
int
ikev1_natoa_parse(const struct ikev1_payload *pl, struct ikev1_natoa *out)
{
	struct rd r = pl->body;
	struct ikev1_natoa oa;
	uint8_t reserved;
	size_t alen;

	if (pl->type != IKEV1_PL_NATOA && pl->type != IKEV1_PL_NATOA_DRAFT)
		return -EINVAL;
	if (!rd_u8(&r, &oa.id_type) || !rd_u8(&r, &reserved) || !rd_skip(&r, 2))
		return -EBADMSG;
	memset(&oa.addr, 0, sizeof(oa.addr));
	if (oa.id_type == IKEV1_ID_IPV4_ADDR)
		oa.addr.family = AF_INET;
	else if (oa.id_type == IKEV1_ID_IPV6_ADDR)
		oa.addr.family = AF_INET6;
	else
		return -EBADMSG;
	alen = addr_len(&oa.addr);
	if (rd_left(&r) != alen || !rd_copy(&r, oa.addr.bytes, alen))
		return -EBADMSG;
	*out = oa;
	return 0;
}

/*
 * ! Next Payload  !   RESERVED    !         Payload Length        !
 * ! Fragment ID                   ! Fragment num  !     Flags     !
 * ~                       Fragment Data                           ~
 *                 racoon isakmp_frag.h (struct isakmp_frag)
 */
int
ikev1_frag_parse(const struct ikev1_payload *pl, struct ikev1_frag *out)
{
	struct rd r = pl->body;
	struct ikev1_frag f;

	if (pl->type != IKEV1_PL_FRAG)
		return -EINVAL;
	if (!rd_be16(&r, &f.id) || !rd_u8(&r, &f.number) || !rd_u8(&r, &f.flags))
		return -EBADMSG;
	if (f.number == 0 || rd_end(&r))
		return -EBADMSG;
	f.data = r;
	*out = f;
	return 0;
}
