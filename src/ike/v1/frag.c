/*
 * IKE fragmentation in the engine (frag.h): which messages go out in fragments, the
 * vendor ID, and fragments coming in.
 *
 * racoon's ike_frag: "on" announces the FRAGMENTATION vendor ID and fragments once the
 * peer announced it too; "force" makes the initiator fragment from its first message
 * on, before it knows (racoon's isakmp_ph1begin_i); a responder with force acts as
 * with on. Only messages larger than the fragment size are split.
 *
 * Fragments carry the phase 1 exchange type and M-ID 0 whatever the message inside:
 * strongSwan accepts fragment payloads only in Main and Aggressive Mode messages and
 * sends them so itself; racoon takes them in any exchange. We accept any.
 */
#include "ike/v1/frag.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ike/v1/engine_int.h"

#define UDP_HDR_LEN 8
#define NON_ESP_MARKER_LEN 4
#define FRAG_DATA_MIN 16

/* The FRAGMENTATION vendor ID with the capability bits racoon and strongSwan send. */
void
ikev1_frag_vid_out(struct ikev1_out *o, const struct ikev1_ike_sa *sa)
{
	uint8_t vid[16 + 4];
	struct rd v;

	if (sa->cfg->frag == IKEV1_FRAG_OFF || (!sa->initiator && !sa->frag_peer))
		return;
	if (!ikev1_vid_bytes(IKEV1_VID_FRAG, &v) || rd_left(&v) != 16)
		return;
	memcpy(vid, v.p, 16);
	be32_put(vid + 16, IKEV1_FRAG_CAP_AGG | IKEV1_FRAG_CAP_BASE);
	ikev1_out_opaque(o, IKEV1_PL_VID, vid, sizeof(vid));
}

void
ikev1_frag_vids_seen(struct ikev1_ike_sa *sa, const struct ikev1_msg *m)
{
	const struct ikev1_payload *pl;

	if (sa->cfg->frag == IKEV1_FRAG_OFF)
		return;
	for (size_t i = 0; (pl = ikev1_msg_find(m, IKEV1_PL_VID, i)) != NULL; i++)
		if (ikev1_vid_classify(&pl->body) == IKEV1_VID_FRAG)
			sa->frag_peer = true;
}

static bool
frag_wanted(const struct ikev1_ike_sa *sa)
{
	const struct ikev1_remote *cfg = sa->cfg;

	if (cfg->frag == IKEV1_FRAG_OFF)
		return false;
	return sa->frag_peer || (cfg->frag == IKEV1_FRAG_FORCE && sa->initiator);
}

/* Bytes of the message one fragment datagram carries at the configured size. */
static size_t
frag_data_len(const struct ikev1_ike_sa *sa, size_t len)
{
	size_t size = sa->cfg->frag_size;
	size_t over = IKEV1_HDR_LEN + IKEV1_FRAG_HDR_LEN + UDP_HDR_LEN;
	size_t per, need;

	if (size == 0)
		size = sa->peer.remote.family == AF_INET6 ? IKEV1_FRAG_SIZE_V6 : IKEV1_FRAG_SIZE_V4;
	over += sa->peer.remote.family == AF_INET6 ? 40 : 20;
	if (sa->peer.rport == IKEV1_NATT_PORT || sa->peer.lport == IKEV1_NATT_PORT)
		over += NON_ESP_MARKER_LEN;
	per = size > over + FRAG_DATA_MIN ? size - over : FRAG_DATA_MIN;
	/* never more fragments than a receiver takes */
	need = (len + IKEV1_FRAG_MAX - 1) / IKEV1_FRAG_MAX;
	return per > need ? per : need;
}

int
ikev1_send(struct ikev1_ike_sa *sa, const uint8_t *msg, size_t len)
{
	const struct ikev1_env *env = &sa->eng->env;
	uint8_t dgram[IKEV1_HDR_LEN + IKEV1_FRAG_HDR_LEN + IKEV1_MSG_MAX];
	struct ikev1_hdr h;
	size_t per, at = 0;
	uint8_t number = 0;
	int err = 0;

	if (!frag_wanted(sa) || len > IKEV1_MSG_MAX || len <= (per = frag_data_len(sa, len)))
		return env->send(env->arg, &sa->peer, msg, len);
	ikev1_hdr_for(sa, sa->exchange, 0, &h);
	while (at < len) {
		size_t n = len - at < per ? len - at : per;
		int dlen = ikev1_frag_dgram_build(&h, IKEV1_FRAG_ID, ++number, at + n == len,
		                                  msg + at, n, dgram, sizeof(dgram));
		int e;

		if (dlen < 0)
			return dlen;
		e = env->send(env->arg, &sa->peer, dgram, (size_t)dlen);
		if (e < 0 && err == 0)
			err = e;
		at += n;
	}
	return err;
}

bool
ikev1_frag_is(const uint8_t *buf, size_t len)
{
	struct rd r = rd_init(buf, len);
	struct ikev1_hdr h;

	return ikev1_hdr_parse(&r, &h) == 0 && h.np == IKEV1_PL_FRAG;
}

/* Fragments are taken only where ike_frag is on: for a known SA, or a first message. */
static bool
frag_accepted(struct ikev1_engine *e, const struct ikev1_peer *peer, const uint8_t *buf, size_t len)
{
	static const uint8_t zero[IKEV1_COOKIE_LEN];
	struct rd r = rd_init(buf, len);
	const struct ikev1_remote *cfg;
	struct ikev1_ike_sa *sa;
	struct ikev1_hdr h;

	if (ikev1_hdr_parse(&r, &h) < 0)
		return false;
	sa = ikev1_sa_find(e, &h);
	if (sa)
		cfg = sa->cfg;
	else if (!memcmp(h.cookie_r, zero, sizeof(zero)))
		cfg = e->env.remote(e->env.arg, peer);
	else
		return false;
	return cfg && cfg->frag != IKEV1_FRAG_OFF;
}

int
ikev1_frag_input(struct ikev1_engine *e, const struct ikev1_peer *peer, const uint8_t *buf,
                 size_t len)
{
	uint8_t *msg = NULL;
	size_t msg_len = 0;
	int err;

	if (!frag_accepted(e, peer, buf, len))
		return -ENOENT;
	err = ikev1_reasm_add(&e->reasm, peer, buf, len, e->env.now_ms(e->env.arg), &msg, &msg_len);
	if (err <= 0)
		return err;
	/* the whole message belongs to the same cookies and is no fragment itself */
	if (msg_len < 2 * IKEV1_COOKIE_LEN || memcmp(msg, buf, 2 * IKEV1_COOKIE_LEN) ||
	    ikev1_frag_is(msg, msg_len))
		err = -EBADMSG;
	else
		err = ikev1_input(e, peer, msg, msg_len);
	free(msg);
	return err;
}
