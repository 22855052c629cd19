/*
 * The ISAKMP codec (RFC 2408 3, RFC 2409, RFC 3947, RFC 3706, mode cfg drafts): bytes to
 * plain structs holding views into the datagram, and a builder back to bytes. Pure: no
 * sockets, clock, SA state or allocation, so it runs alone under cmocka and libFuzzer.
 *
 * Errors: -EBADMSG malformed, -EPROTONOSUPPORT ISAKMP version other than 1.0,
 * -EOPNOTSUPP a DOI or situation we do not speak, -E2BIG a named limit below exceeded
 * (refused, never truncated), -EINVAL bad arguments. On failure outputs are untouched.
 */
#ifndef COATI_IKE_V1_CODEC_H
#define COATI_IKE_V1_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ike/v1/ikev1.h"
#include "lib/addr.h"
#include "lib/buf.h"

#define IKEV1_HDR_LEN 28
#define IKEV1_GEN_HDR_LEN 4
#define IKEV1_COOKIE_LEN 8
#define IKEV1_PAYLOADS_MAX 32   /* payloads per message */
#define IKEV1_PROPOSALS_MAX 8   /* proposal payloads per SA */
#define IKEV1_TRANSFORMS_MAX 16 /* transforms per proposal */
#define IKEV1_ATTRS_MAX 32      /* attributes per transform or ATTR payload */
#define IKEV1_SPI_MAX 16        /* ISAKMP SPIs are the two cookies */
#define IKEV1_NONCE_MIN 8       /* RFC 2409 5 */
#define IKEV1_NONCE_MAX 256
#define IKEV1_DELETE_SPIS_MAX 64

/* ISAKMP header (RFC 2408 3.1); version is the raw octet (IKEV1_VERSION). */
struct ikev1_hdr {
	uint8_t cookie_i[IKEV1_COOKIE_LEN];
	uint8_t cookie_r[IKEV1_COOKIE_LEN];
	uint8_t np;
	uint8_t version;
	uint8_t exchange;
	uint8_t flags;
	uint32_t msgid;
	uint32_t length;
};

/* One payload of the chain: its type and its body after the generic header. */
struct ikev1_payload {
	uint8_t type;
	struct rd body;
};

struct ikev1_msg {
	struct ikev1_hdr hdr;
	/* E flag set: the ciphertext after the header; payloads are filled after decryption */
	struct rd encrypted;
	/* bytes after the last payload of a decrypted body (RFC 2408 3.5 padding) */
	struct rd padding;
	size_t npayloads;
	struct ikev1_payload payloads[IKEV1_PAYLOADS_MAX];
};

/* A data attribute (RFC 2408 3.3): TV (AF bit set) carries a u16, TLV a view. */
struct ikev1_attr {
	uint16_t type; /* without the AF bit */
	bool tv;
	uint16_t value; /* TV only */
	struct rd data; /* TLV only */
};

/* Transform (RFC 2408 3.6); attrs is the validated attribute block, see ikev1_attrs_parse. */
struct ikev1_transform {
	uint8_t number;
	uint8_t id;
	size_t nattrs;
	struct rd attrs;
};

/* Proposal (RFC 2408 3.5). Equal numbers in one SA form an AND bundle (e.g. AH+ESP). */
struct ikev1_proposal {
	uint8_t number;
	uint8_t protocol;
	struct rd spi;
	size_t ntransforms;
	struct ikev1_transform transforms[IKEV1_TRANSFORMS_MAX];
};

/* SA payload (RFC 2408 3.4, RFC 2407 4.6.1); only the IPsec DOI, identity-only situation. */
struct ikev1_sa {
	uint32_t doi;
	uint32_t situation;
	size_t nproposals;
	struct ikev1_proposal proposals[IKEV1_PROPOSALS_MAX];
};

/* Identification payload (RFC 2407 4.6.2). */
struct ikev1_id {
	uint8_t type;
	uint8_t protocol;
	uint16_t port;
	struct rd data;
};

/* CERT and CR payloads (RFC 2408 3.9, 3.10); a CR's data (the CA) may be empty. */
struct ikev1_cert {
	uint8_t encoding;
	struct rd data;
};

/* Notification payload (RFC 2408 3.14). */
struct ikev1_notify {
	uint32_t doi;
	uint8_t protocol;
	uint16_t type;
	struct rd spi;
	struct rd data;
};

/* Delete payload (RFC 2408 3.15): count SPIs of spi_size bytes each, packed in spis. */
struct ikev1_delete {
	uint32_t doi;
	uint8_t protocol;
	uint8_t spi_size;
	uint16_t count;
	struct rd spis;
};

/* NAT-OA payload (RFC 3947 5.2). */
struct ikev1_natoa {
	uint8_t id_type;
	struct addr addr;
};

/* Mode config ATTR payload (draft-ietf-ipsec-isakmp-mode-cfg-05 3.2). */
struct ikev1_cfg {
	uint8_t type;
	uint16_t identifier;
	size_t nattrs;
	struct rd attrs;
};

/* IKE fragment payload (racoon isakmp_frag.c / Cisco). */
struct ikev1_frag {
	uint16_t id;
	uint8_t number; /* from 1 */
	uint8_t flags;  /* IKEV1_FRAG_LAST */
	struct rd data;
};

/* Parse the 28-byte header from r; -EPROTONOSUPPORT for a version other than 1.0. */
int ikev1_hdr_parse(struct rd *r, struct ikev1_hdr *out);
/* Append the header to w (sticky overflow, check wr_ok). */
void ikev1_hdr_encode(struct wr *w, const struct ikev1_hdr *h);

/*
 * Parse a datagram: the header, then the payload chain unless the E flag is set (then
 * msg->encrypted views the ciphertext and npayloads is 0). The header length must equal
 * len, except that an encrypted message may be followed by bytes beyond it (ignored).
 * Views point into buf. On failure *msg is untouched.
 */
int ikev1_parse(const void *buf, size_t len, struct ikev1_msg *msg);
/*
 * Parse a decrypted body starting with payload type first_np into msg's payload array,
 * keeping msg->hdr. Bytes after the last payload are padding (msg->padding).
 */
int ikev1_parse_payloads(uint8_t first_np, const void *buf, size_t len, struct ikev1_msg *msg);
/* The nth (from 0) payload of this type, or NULL. */
const struct ikev1_payload *ikev1_msg_find(const struct ikev1_msg *msg, uint8_t type, size_t nth);

/*
 * Per-payload decoders: pl->type must fit the decoder (-EINVAL otherwise); views point
 * into the payload. SA: proposals, transforms and attributes all validated, -E2BIG past
 * the limits, -EOPNOTSUPP for a DOI other than IPsec or a situation other than identity.
 */
int ikev1_sa_parse(const struct ikev1_payload *pl, struct ikev1_sa *out);
/* Decode an attribute block (transform or ATTR) into out[max]; -E2BIG beyond max. */
int ikev1_attrs_parse(const struct rd *attrs, struct ikev1_attr *out, size_t max, size_t *ret_n);
/* Numeric value of a TV or a 1..8 byte TLV attribute; false if it does not fit. */
bool ikev1_attr_uint(const struct ikev1_attr *a, uint64_t *out);
/* KE, HASH, SIG, VID, NAT-D: the body as a non-empty view. */
int ikev1_opaque_parse(const struct ikev1_payload *pl, struct rd *out);
/* Nonce: IKEV1_NONCE_MIN..MAX bytes. */
int ikev1_nonce_parse(const struct ikev1_payload *pl, struct rd *out);
/* ID: type, protocol, port and non-empty data (see ikev1_id_to_prefix/range). */
int ikev1_id_parse(const struct ikev1_payload *pl, struct ikev1_id *out);
/* CERT (data required) or CR (an empty CA asks for any). */
int ikev1_cert_parse(const struct ikev1_payload *pl, struct ikev1_cert *out);
/* N: SPI of at most IKEV1_SPI_MAX bytes, the rest is notification data. */
int ikev1_notify_parse(const struct ikev1_payload *pl, struct ikev1_notify *out);
/* D: count * spi_size must fill the payload; ISAKMP SPIs are 16 bytes; -E2BIG above
 * IKEV1_DELETE_SPIS_MAX. */
int ikev1_delete_parse(const struct ikev1_payload *pl, struct ikev1_delete *out);
/* The ith SPI of a decoded delete payload; false when out of range. */
bool ikev1_delete_spi(const struct ikev1_delete *d, size_t i, struct rd *out);
/* NAT-OA (21 or draft 131): an IPV4_ADDR or IPV6_ADDR of exactly its size. */
int ikev1_natoa_parse(const struct ikev1_payload *pl, struct ikev1_natoa *out);
/* ATTR: type, identifier and a validated attribute block (-E2BIG over IKEV1_ATTRS_MAX). */
int ikev1_cfg_parse(const struct ikev1_payload *pl, struct ikev1_cfg *out);
/* Fragment: number >= 1 and non-empty data; reassembly is the caller's. */
int ikev1_frag_parse(const struct ikev1_payload *pl, struct ikev1_frag *out);

/* An IPv4/IPv6 ADDR or ADDR_SUBNET ID as a prefix; -EBADMSG for a non-contiguous mask. */
int ikev1_id_to_prefix(const struct ikev1_id *id, struct prefix *out);
/* An IPv4/IPv6 ADDR_RANGE ID as [lo, hi]; -EBADMSG if lo > hi. */
int ikev1_id_to_range(const struct ikev1_id *id, struct addr *lo, struct addr *hi);

/* Well-known vendor IDs; the bytes and their sources are in codec_vid.c. */
enum ikev1_vid {
	IKEV1_VID_UNKNOWN = 0,
	IKEV1_VID_NATT_RFC3947,
	IKEV1_VID_NATT_DRAFT_00,
	IKEV1_VID_NATT_DRAFT_01,
	IKEV1_VID_NATT_DRAFT_02,
	IKEV1_VID_NATT_DRAFT_02N,
	IKEV1_VID_NATT_DRAFT_03,
	IKEV1_VID_DPD,
	IKEV1_VID_FRAG,
	IKEV1_VID_XAUTH,
	IKEV1_VID_UNITY,
};

/* Classify a received vendor ID (FRAGMENTATION matches with or without capability bits). */
enum ikev1_vid ikev1_vid_classify(const struct rd *vid);
/* The bytes we send for vid; false for IKEV1_VID_UNKNOWN. */
bool ikev1_vid_bytes(enum ikev1_vid vid, struct rd *out);
/* Capability bits of a FRAGMENTATION vendor ID (0 when it carries none); false if not one. */
bool ikev1_vid_frag_caps(const struct rd *vid, uint32_t *out);
const char *ikev1_vid_name(unsigned v);

/*
 * Builder: a header then payloads, each next-payload field chained to the payload that
 * follows and every length back-patched by offset. Errors are sticky: ikev1_out_finish()
 * reports them once (-EMSGSIZE buffer too small or a length field overflowed, -EINVAL
 * misuse such as unbalanced begin/end).
 */
struct ikev1_out {
	struct wr w;
	bool bad;
	size_t np_at;   /* offset of the next-payload octet to patch with the next type */
	size_t pl_at;   /* start of the open payload, SIZE_MAX if none */
	size_t prop_at; /* start of the open proposal, SIZE_MAX if none */
	size_t prop_np_at;
	size_t ntransforms;
	size_t xf_at; /* start of the open transform, SIZE_MAX if none */
	size_t xf_np_at;
};

/* Start a message in buf[cap] with h (its np and length are filled in by the builder). */
void ikev1_out_init(struct ikev1_out *o, void *buf, size_t cap, const struct ikev1_hdr *h);
/* Open a payload of this type (generic header written); close it with ikev1_out_end. */
void ikev1_out_begin(struct ikev1_out *o, uint8_t type);
void ikev1_out_end(struct ikev1_out *o);
/* Patch the total length; returns the message length (> 0) or a negative errno. */
int ikev1_out_finish(struct ikev1_out *o);

/* Attributes inside an open transform or ATTR payload. */
void ikev1_out_attr_tv(struct ikev1_out *o, uint16_t type, uint16_t value);
void ikev1_out_attr_tlv(struct ikev1_out *o, uint16_t type, const void *p, size_t len);
/* TV if value fits 16 bits, else a 4- or 8-byte TLV (RFC 2409 App A variable attributes). */
void ikev1_out_attr_uint(struct ikev1_out *o, uint16_t type, uint64_t value);
/* Re-emit a decoded attribute as it was received. */
void ikev1_out_attr(struct ikev1_out *o, const struct ikev1_attr *a);

/* SA: sa_begin, then per proposal prop_begin, xform_begin/attrs/xform_end..., prop_end. */
void ikev1_out_sa_begin(struct ikev1_out *o, uint32_t doi, uint32_t situation);
void ikev1_out_prop_begin(struct ikev1_out *o, uint8_t number, uint8_t protocol, const void *spi,
                          size_t spi_len);
void ikev1_out_xform_begin(struct ikev1_out *o, uint8_t number, uint8_t id);
void ikev1_out_xform_end(struct ikev1_out *o);
void ikev1_out_prop_end(struct ikev1_out *o);
void ikev1_out_sa_end(struct ikev1_out *o);
/* A whole SA payload from a decoded one (re-encoding is byte-identical). */
void ikev1_out_sa(struct ikev1_out *o, const struct ikev1_sa *sa);

/* Whole payloads, symmetrical to the decoders. */
void ikev1_out_opaque(struct ikev1_out *o, uint8_t type, const void *p, size_t len);
void ikev1_out_id(struct ikev1_out *o, const struct ikev1_id *id);
/* An ID of type IPV4/6_ADDR (host prefix) or IPV4/6_ADDR_SUBNET. */
void ikev1_out_id_prefix(struct ikev1_out *o, uint8_t protocol, uint16_t port,
                         const struct prefix *p);
void ikev1_out_id_range(struct ikev1_out *o, uint8_t protocol, uint16_t port, const struct addr *lo,
                        const struct addr *hi);
/* type is IKEV1_PL_CERT or IKEV1_PL_CR. */
void ikev1_out_cert(struct ikev1_out *o, uint8_t type, const struct ikev1_cert *c);
void ikev1_out_notify(struct ikev1_out *o, const struct ikev1_notify *n);
void ikev1_out_delete(struct ikev1_out *o, const struct ikev1_delete *d);
/* type is IKEV1_PL_NATOA or IKEV1_PL_NATOA_DRAFT. */
void ikev1_out_natoa(struct ikev1_out *o, uint8_t type, const struct addr *a);
/* ATTR payload: cfg_begin, attributes, ikev1_out_end; or whole from a decoded one. */
void ikev1_out_cfg_begin(struct ikev1_out *o, uint8_t type, uint16_t identifier);
void ikev1_out_cfg(struct ikev1_out *o, const struct ikev1_cfg *c);
void ikev1_out_frag(struct ikev1_out *o, const struct ikev1_frag *f);

/* DPD (RFC 3706 5.1): an R-U-THERE(-ACK) notification for the SA with these cookies,
 * its SPI and data held in buf (which must outlive out). */
struct ikev1_dpd_buf {
	uint8_t spi[2 * IKEV1_COOKIE_LEN];
	uint8_t seq[4];
};
void ikev1_dpd_notify(const uint8_t cky_i[IKEV1_COOKIE_LEN], const uint8_t cky_r[IKEV1_COOKIE_LEN],
                      bool ack, uint32_t seq, struct ikev1_dpd_buf *buf, struct ikev1_notify *out);
/* Read a parsed notification as DPD: -ENOENT if it is another type, -EBADMSG for a bad
 * SPI size or data, -EPROTO if the SPI is not these cookies; else the kind and number. */
int ikev1_dpd_parse(const struct ikev1_notify *n, const uint8_t cky_i[IKEV1_COOKIE_LEN],
                    const uint8_t cky_r[IKEV1_COOKIE_LEN], bool *ret_ack, uint32_t *ret_seq);

/* A phase 1 ID body (type, protocol, port, data) as text: addresses numerically,
 * names in printable ASCII. false for other types or a malformed body. */
bool ikev1_id_text(const uint8_t *body, size_t len, char *out, size_t cap);

#endif
