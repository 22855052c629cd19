/*
 * IKE fragmentation for IKEv1 as racoon, Cisco, Windows and strongSwan speak it: the
 * FRAGMENTATION vendor ID announces it, a message too large for one datagram travels
 * as a series of datagrams each holding one fragment payload (type 132):
 *
 *   ISAKMP header (same cookies, phase 1 exchange type, M-ID 0, next payload FRAG)
 *   generic payload header | fragment ID (2) | fragment number (1) | flags (1) | data
 *
 * Numbers run from 1; the last fragment has flag LAST. The data of all fragments in
 * order is the complete original datagram (header included, possibly encrypted).
 */
#ifndef COATI_IKE_V1_FRAG_H
#define COATI_IKE_V1_FRAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ike/v1/codec.h"
#include "ike/v1/engine.h"

#define IKEV1_FRAG_MAX 16           /* fragments per message, both ways */
#define IKEV1_FRAG_BYTES_MAX 65536  /* size of a reassembled message */
#define IKEV1_FRAG_PENDING 16       /* partial reassemblies per engine */
#define IKEV1_FRAG_TIMEOUT_MS 10000 /* a partial reassembly is freed after this */
#define IKEV1_FRAG_SIZE_V4 576      /* IP datagram of one fragment (strongSwan's defaults) */
#define IKEV1_FRAG_SIZE_V6 1280
#define IKEV1_FRAG_HDR_LEN 8 /* generic header + ID + number + flags */
#define IKEV1_FRAG_ID 1      /* the ID racoon and strongSwan always send */

/* One partial message: fragments by number (1..IKEV1_FRAG_MAX), copied. */
struct ikev1_reasm {
	bool used;
	struct ikev1_peer peer;
	uint8_t cky_i[IKEV1_COOKIE_LEN], cky_r[IKEV1_COOKIE_LEN];
	uint16_t id;
	uint64_t start_ms;
	uint8_t last; /* number of the LAST fragment, 0 until it came */
	uint8_t count;
	size_t total;
	uint8_t *data[IKEV1_FRAG_MAX + 1];
	uint16_t len[IKEV1_FRAG_MAX + 1];
};

struct ikev1_reasm_tab {
	struct ikev1_reasm slot[IKEV1_FRAG_PENDING];
};

/* A datagram that carries a fragment: parsed into its header and fragment, or -EBADMSG. */
int ikev1_frag_dgram_parse(const uint8_t *buf, size_t len, struct ikev1_hdr *h,
                           struct ikev1_frag *f);
/* One fragment datagram into out[cap]; its length, or -ENOSPC. */
int ikev1_frag_dgram_build(const struct ikev1_hdr *h, uint16_t id, uint8_t number, bool last,
                           const uint8_t *data, size_t n, uint8_t *out, size_t cap);

/*
 * Add a fragment datagram from peer at now_ms. Returns 0 while the message is incomplete,
 * 1 when it is complete (*ret_msg, malloc'd, and *ret_len hold it; the caller frees it),
 * or a negative errno when the fragment was dropped: -EBADMSG malformed, -E2BIG past
 * the count or size limits (the reassembly is dropped too), -EPROTO inconsistent with
 * what came before (likewise), -ENOMEM. A duplicate fragment returns 0.
 */
int ikev1_reasm_add(struct ikev1_reasm_tab *t, const struct ikev1_peer *peer, const uint8_t *buf,
                    size_t len, uint64_t now_ms, uint8_t **ret_msg, size_t *ret_len);
/* Free partial reassemblies older than IKEV1_FRAG_TIMEOUT_MS; all of them with clear. */
void ikev1_reasm_expire(struct ikev1_reasm_tab *t, uint64_t now_ms);
void ikev1_reasm_clear(struct ikev1_reasm_tab *t);
/* Partial reassemblies held (for tests and status). */
size_t ikev1_reasm_pending(const struct ikev1_reasm_tab *t);

struct ikev1_ike_sa;
struct ikev1_engine;

/* The engine side (frag.c): is this datagram a fragment; take it in (ikev1_input). */
bool ikev1_frag_is(const uint8_t *buf, size_t len);
int ikev1_frag_input(struct ikev1_engine *e, const struct ikev1_peer *peer, const uint8_t *buf,
                     size_t len);
/* Our FRAGMENTATION vendor ID in MM1/AM1 (ike_frag on|force) and in the answer to a peer
 * that sent one; note the peer's. */
void ikev1_frag_vid_out(struct ikev1_out *o, const struct ikev1_ike_sa *sa);
void ikev1_frag_vids_seen(struct ikev1_ike_sa *sa, const struct ikev1_msg *m);
/* Send one of sa's messages, in fragments when fragmentation is on and it is too big. */
int ikev1_send(struct ikev1_ike_sa *sa, const uint8_t *msg, size_t len);

#endif
