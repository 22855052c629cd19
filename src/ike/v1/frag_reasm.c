/*
 * The fragment datagram codec and the reassembly table (frag.h). Pure: no engine, no
 * clock of its own, so the unit tests and the fuzzer drive it directly.
 *
 * A reassembly is keyed by the peer (address and port), both cookies and the fragment
 * ID. Bounded everywhere: IKEV1_FRAG_MAX fragments, IKEV1_FRAG_BYTES_MAX bytes,
 * IKEV1_FRAG_PENDING partial messages (the oldest gives way to a new one) and
 * IKEV1_FRAG_TIMEOUT_MS. A fragment repeated with the same bytes is a retransmission
 * and harmless; one that contradicts what came (other bytes for a number, a second
 * LAST, a number past LAST) means the message cannot be trusted to reassemble, and
 * the whole reassembly is dropped.
 */
#include "ike/v1/frag.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int
ikev1_frag_dgram_parse(const uint8_t *buf, size_t len, struct ikev1_hdr *h, struct ikev1_frag *f)
{
	struct ikev1_msg m;

	if (ikev1_parse(buf, len, &m) < 0 || (m.hdr.flags & IKEV1_FLAG_ENC) ||
	    m.hdr.np != IKEV1_PL_FRAG || m.npayloads != 1)
		return -EBADMSG;
	if (ikev1_frag_parse(&m.payloads[0], f) < 0)
		return -EBADMSG;
	*h = m.hdr;
	return 0;
}

int
ikev1_frag_dgram_build(const struct ikev1_hdr *h, uint16_t id, uint8_t number, bool last,
                       const uint8_t *data, size_t n, uint8_t *out, size_t cap)
{
	struct ikev1_hdr hdr = *h;
	struct wr w = wr_init(out, cap);
	size_t plen = IKEV1_FRAG_HDR_LEN + n;

	if (plen > UINT16_MAX || IKEV1_HDR_LEN + plen > cap)
		return -ENOSPC;
	hdr.np = IKEV1_PL_FRAG;
	hdr.flags = 0;
	hdr.length = (uint32_t)(IKEV1_HDR_LEN + plen);
	ikev1_hdr_encode(&w, &hdr);
	wr_u8(&w, IKEV1_PL_NONE);
	wr_u8(&w, 0);
	wr_be16(&w, (uint16_t)plen);
	wr_be16(&w, id);
	wr_u8(&w, number);
	wr_u8(&w, last ? IKEV1_FRAG_LAST : 0);
	wr_bytes(&w, data, n);
	return wr_ok(&w) ? (int)w.len : -ENOSPC;
}

static void
reasm_free(struct ikev1_reasm *r)
{
	for (size_t i = 0; i <= IKEV1_FRAG_MAX; i++)
		free(r->data[i]);
	memset(r, 0, sizeof(*r));
}

static bool
reasm_match(const struct ikev1_reasm *r, const struct ikev1_peer *p, const struct ikev1_hdr *h,
            uint16_t id)
{
	return r->used && r->id == id && addr_eq(&r->peer.remote, &p->remote) &&
	       r->peer.rport == p->rport && !memcmp(r->cky_i, h->cookie_i, IKEV1_COOKIE_LEN) &&
	       !memcmp(r->cky_r, h->cookie_r, IKEV1_COOKIE_LEN);
}

/* The matching reassembly, or a new one in a free (else the oldest) slot. */
static struct ikev1_reasm *
reasm_slot(struct ikev1_reasm_tab *t, const struct ikev1_peer *p, const struct ikev1_hdr *h,
           uint16_t id, uint64_t now)
{
	struct ikev1_reasm *pick = NULL;

	for (size_t i = 0; i < IKEV1_FRAG_PENDING; i++)
		if (reasm_match(&t->slot[i], p, h, id))
			return &t->slot[i];
	for (size_t i = 0; i < IKEV1_FRAG_PENDING; i++) {
		struct ikev1_reasm *r = &t->slot[i];

		if (!r->used) {
			pick = r;
			break;
		}
		if (pick == NULL || r->start_ms < pick->start_ms)
			pick = r;
	}
	reasm_free(pick);
	pick->used = true;
	pick->peer = *p;
	memcpy(pick->cky_i, h->cookie_i, IKEV1_COOKIE_LEN);
	memcpy(pick->cky_r, h->cookie_r, IKEV1_COOKIE_LEN);
	pick->id = id;
	pick->start_ms = now;
	return pick;
}

/* The fragments 1..last in order into one buffer. */
static int
reasm_join(const struct ikev1_reasm *r, uint8_t **ret_msg, size_t *ret_len)
{
	uint8_t *msg = malloc(r->total);
	size_t at = 0;

	if (msg == NULL)
		return -ENOMEM;
	for (size_t i = 1; i <= r->last; i++) {
		memcpy(msg + at, r->data[i], r->len[i]);
		at += r->len[i];
	}
	*ret_msg = msg;
	*ret_len = at;
	return 1;
}

/* Store f in r: 0 stored or a harmless duplicate, or why r must be dropped. */
static int
reasm_put(struct ikev1_reasm *r, const struct ikev1_frag *f)
{
	size_t n = rd_left(&f->data);
	bool last = f->flags & IKEV1_FRAG_LAST;

	if (r->data[f->number]) {
		if (r->len[f->number] != n || memcmp(r->data[f->number], f->data.p, n) ||
		    last != (r->last == f->number))
			return -EPROTO;
		return 0;
	}
	if ((last && r->last) || (r->last && f->number > r->last))
		return -EPROTO;
	if (last) {
		for (size_t i = f->number + 1u; i <= IKEV1_FRAG_MAX; i++)
			if (r->data[i])
				return -EPROTO;
	}
	if (n > IKEV1_FRAG_BYTES_MAX - r->total)
		return -E2BIG;
	r->data[f->number] = malloc(n);
	if (r->data[f->number] == NULL)
		return -ENOMEM;
	memcpy(r->data[f->number], f->data.p, n);
	r->len[f->number] = (uint16_t)n;
	r->total += n;
	r->count++;
	if (last)
		r->last = f->number;
	return 0;
}

int
ikev1_reasm_add(struct ikev1_reasm_tab *t, const struct ikev1_peer *peer, const uint8_t *buf,
                size_t len, uint64_t now_ms, uint8_t **ret_msg, size_t *ret_len)
{
	struct ikev1_hdr h;
	struct ikev1_frag f;
	struct ikev1_reasm *r;
	int err;

	if (ikev1_frag_dgram_parse(buf, len, &h, &f) < 0)
		return -EBADMSG;
	ikev1_reasm_expire(t, now_ms);
	if (f.number > IKEV1_FRAG_MAX) {
		/* the message it belongs to could never be reassembled */
		for (size_t i = 0; i < IKEV1_FRAG_PENDING; i++)
			if (reasm_match(&t->slot[i], peer, &h, f.id))
				reasm_free(&t->slot[i]);
		return -E2BIG;
	}
	r = reasm_slot(t, peer, &h, f.id, now_ms);
	err = reasm_put(r, &f);
	if (err < 0) {
		reasm_free(r);
		return err;
	}
	if (r->last == 0 || r->count != r->last)
		return 0;
	err = reasm_join(r, ret_msg, ret_len);
	reasm_free(r);
	return err;
}

void
ikev1_reasm_expire(struct ikev1_reasm_tab *t, uint64_t now_ms)
{
	for (size_t i = 0; i < IKEV1_FRAG_PENDING; i++) {
		struct ikev1_reasm *r = &t->slot[i];

		if (r->used && now_ms - r->start_ms >= IKEV1_FRAG_TIMEOUT_MS)
			reasm_free(r);
	}
}

void
ikev1_reasm_clear(struct ikev1_reasm_tab *t)
{
	for (size_t i = 0; i < IKEV1_FRAG_PENDING; i++)
		reasm_free(&t->slot[i]);
}

size_t
ikev1_reasm_pending(const struct ikev1_reasm_tab *t)
{
	size_t n = 0;

	for (size_t i = 0; i < IKEV1_FRAG_PENDING; i++)
		n += t->slot[i].used;
	return n;
}
