/*
 * libFuzzer harness for the ISAKMP codec: the datagram parser, the decrypted-body parser,
 * every per-payload decoder and the re-encoder. A message rebuilt from decoded payloads
 * must parse again with as many payloads as were rebuilt.
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ike/v1/codec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t out_buf[1 << 17];

static void
attrs_walk(const struct rd *block)
{
	struct ikev1_attr a[IKEV1_ATTRS_MAX];
	uint64_t u;
	size_t n;

	if (ikev1_attrs_parse(block, a, IKEV1_ATTRS_MAX, &n) != 0)
		return;
	for (size_t i = 0; i < n; i++)
		ikev1_attr_uint(&a[i], &u);
}

static bool
sa_out(struct ikev1_out *o, const struct ikev1_payload *pl)
{
	struct ikev1_sa sa;

	if (ikev1_sa_parse(pl, &sa) != 0)
		return false;
	for (size_t i = 0; i < sa.nproposals; i++) {
		for (size_t j = 0; j < sa.proposals[i].ntransforms; j++)
			attrs_walk(&sa.proposals[i].transforms[j].attrs);
	}
	ikev1_out_sa(o, &sa);
	return true;
}

static bool
id_out(struct ikev1_out *o, const struct ikev1_payload *pl)
{
	struct ikev1_id id;
	struct prefix p;
	struct addr lo, hi;

	if (ikev1_id_parse(pl, &id) != 0)
		return false;
	ikev1_id_to_prefix(&id, &p);
	ikev1_id_to_range(&id, &lo, &hi);
	ikev1_out_id(o, &id);
	return true;
}

static bool
opaque_out(struct ikev1_out *o, const struct ikev1_payload *pl)
{
	struct rd v;
	uint32_t caps;

	if (ikev1_opaque_parse(pl, &v) != 0 && ikev1_nonce_parse(pl, &v) != 0)
		return false;
	ikev1_vid_classify(&v);
	ikev1_vid_frag_caps(&v, &caps);
	ikev1_out_opaque(o, pl->type, v.p, v.len);
	return true;
}

/* An R-U-THERE(-ACK) read back against its own cookies, rebuilt byte for byte. */
static void
notify_dpd(const struct ikev1_notify *n)
{
	uint8_t cky[2 * IKEV1_COOKIE_LEN] = {0};
	struct ikev1_dpd_buf b;
	struct ikev1_notify again;
	bool ack;
	uint32_t seq;

	if (n->spi.len == sizeof(cky))
		memcpy(cky, n->spi.p, sizeof(cky));
	if (ikev1_dpd_parse(n, cky, cky + IKEV1_COOKIE_LEN, &ack, &seq) != 0)
		return;
	ikev1_dpd_notify(cky, cky + IKEV1_COOKIE_LEN, ack, seq, &b, &again);
	assert(again.type == n->type && again.data.len == n->data.len);
	assert(memcmp(again.data.p, n->data.p, n->data.len) == 0);
}

/* Phase 1 ID bodies as REMOTE_ID text. */
static void
id_text(const struct ikev1_payload *pl)
{
	char t[64];

	if (pl->type == IKEV1_PL_ID && ikev1_id_text(pl->body.p, pl->body.len, t, sizeof(t)))
		assert(strlen(t) < sizeof(t));
}

/* Decode one payload with every decoder that accepts its type; re-emit it if one did. */
static bool
payload_out(struct ikev1_out *o, const struct ikev1_payload *pl)
{
	struct ikev1_cert c;
	struct ikev1_notify n;
	struct ikev1_delete d;
	struct ikev1_natoa oa;
	struct ikev1_cfg cfg;
	struct ikev1_frag f;
	struct rd spi;

	id_text(pl);
	if (sa_out(o, pl) || id_out(o, pl) || opaque_out(o, pl))
		return true;
	if (ikev1_cert_parse(pl, &c) == 0) {
		ikev1_out_cert(o, pl->type, &c);
	} else if (ikev1_notify_parse(pl, &n) == 0) {
		notify_dpd(&n);
		ikev1_out_notify(o, &n);
	} else if (ikev1_delete_parse(pl, &d) == 0) {
		for (size_t i = 0; ikev1_delete_spi(&d, i, &spi); i++)
			assert(spi.len == d.spi_size);
		ikev1_out_delete(o, &d);
	} else if (ikev1_natoa_parse(pl, &oa) == 0) {
		ikev1_out_natoa(o, pl->type, &oa.addr);
	} else if (ikev1_cfg_parse(pl, &cfg) == 0) {
		attrs_walk(&cfg.attrs);
		ikev1_out_cfg(o, &cfg);
	} else if (ikev1_frag_parse(pl, &f) == 0) {
		ikev1_out_frag(o, &f);
	} else {
		return false;
	}
	return true;
}

static void
roundtrip(const struct ikev1_msg *msg)
{
	struct ikev1_hdr h = msg->hdr;
	struct ikev1_msg again;
	struct ikev1_out o;
	size_t count = 0;
	int len;

	h.flags &= (uint8_t)~IKEV1_FLAG_ENC;
	ikev1_out_init(&o, out_buf, sizeof(out_buf), &h);
	for (size_t i = 0; i < msg->npayloads; i++)
		count += payload_out(&o, &msg->payloads[i]);
	len = ikev1_out_finish(&o);
	assert(len > 0);
	assert(ikev1_parse(out_buf, (size_t)len, &again) == 0);
	assert(again.npayloads == count);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ikev1_msg msg;

	if (ikev1_parse(data, size, &msg) != 0)
		return 0;
	if (msg.hdr.flags & IKEV1_FLAG_ENC) {
		/* treat the "ciphertext" as an already decrypted body */
		if (ikev1_parse_payloads(msg.hdr.np, msg.encrypted.p, msg.encrypted.len, &msg) != 0)
			return 0;
	}
	roundtrip(&msg);
	return 0;
}
