/*
 * Aggressive Mode with pre-shared keys (RFC 2409 5, 5.4), both roles; the flow is drawn
 * above its rows in states.c. Identities travel in the clear and the group is fixed by
 * the first message, so all our proposals must share the DH group of the first one.
 */
#include <errno.h>
#include <string.h>

#include "ike/v1/engine_int.h"

static int
aggr_keep(uint8_t *dst, size_t cap, size_t *len, const struct ikev1_payload *pl)
{
	struct rd b = pl->body;

	if (rd_left(&b) > cap)
		return -E2BIG;
	*len = rd_left(&b);
	rd_copy(&b, dst, *len);
	return 0;
}

/* AM1: HDR, SA, KE, Ni, IDii [, VID...]. */
int
ikev1_aggr_start(struct ikev1_ike_sa *sa)
{
	uint8_t buf[IKEV1_MSG_MAX], id[IKEV1_IDB_MAX];
	uint16_t group = sa->cfg->props[0].group, auth = sa->cfg->props[0].auth;
	struct ikev1_out o;
	struct ikev1_hdr h;
	struct ikev1_msg m;
	size_t id_len;
	int len, err;

	for (size_t i = 1; i < sa->cfg->n_props; i++)
		if (sa->cfg->props[i].group != group || sa->cfg->props[i].auth != auth)
			return -EINVAL;
	if ((err = ikev1_random(sa->eng, sa->cky_i, IKEV1_COOKIE_LEN)) < 0 ||
	    (err = ikev1_dh_new(sa->eng, group, &sa->ph1->dh)) < 0)
		return err;
	sa->ph1->gx_len = dh_public_len((enum dh_group)group);
	if ((err = dh_public(sa->ph1->dh, sa->ph1->gxi, sa->ph1->gx_len)) < 0 ||
	    (err = ikev1_nonce_new(sa, sa->ph1->ni, &sa->ph1->ni_len)) < 0 ||
	    (err = ikev1_p1_id_body(sa, id, sizeof(id), &id_len)) < 0)
		return err;
	ikev1_hdr_for(sa, IKEV1_EXCH_AGGRESSIVE, 0, &h);
	ikev1_out_init(&o, buf, sizeof(buf), &h);
	ikev1_p1_sa_build(&o, sa->cfg, NULL, 0);
	ikev1_out_opaque(&o, IKEV1_PL_KE, sa->ph1->gxi, sa->ph1->gx_len);
	ikev1_out_opaque(&o, IKEV1_PL_NONCE, sa->ph1->ni, sa->ph1->ni_len);
	ikev1_out_opaque(&o, IKEV1_PL_ID, id, id_len);
	ikev1_p1_cr_build(&o, sa);
	ikev1_p1_vids(&o, sa);
	len = ikev1_out_finish(&o);
	if (len < 0)
		return len;
	if ((err = ikev1_parse(buf, (size_t)len, &m)) < 0 ||
	    (err = aggr_keep(sa->ph1->sai_b, sizeof(sa->ph1->sai_b), &sa->ph1->sai_len,
	                     ikev1_msg_find(&m, IKEV1_PL_SA, 0))) < 0)
		return err;
	sa->state = ST_AM_I1;
	return ikev1_xmit_send(sa, &sa->x, buf, (size_t)len, NULL, true);
}

/* Our ID payload and our HASH or [CERT,] SIG after it (p1_auth.c). */
static int
aggr_own_auth(struct ikev1_out *o, struct ikev1_ike_sa *sa, bool with_id)
{
	uint8_t id[IKEV1_IDB_MAX];
	struct ikev1_phase1 p1;
	size_t id_len;
	int err = ikev1_p1_id_body(sa, id, IKEV1_IDB_MAX, &id_len);

	if (err < 0)
		return err;
	if (with_id)
		ikev1_out_opaque(o, IKEV1_PL_ID, id, id_len);
	ikev1_p1_view(sa, &p1);
	return ikev1_p1_auth_build(o, sa, &p1, &sa->keys, id, id_len);
}

/* AM2: HDR, SA, KE, Nr, IDir, HASH_R or [CERT,] SIG_R [, CR] [, VID...] [, NAT-D, NAT-D]. */
static int
aggr_r1_msg(struct ikev1_ike_sa *sa, const struct ikev1_choice *echo, uint8_t *buf, size_t cap)
{
	struct ikev1_out o;
	struct ikev1_hdr h;
	int err;

	ikev1_hdr_for(sa, IKEV1_EXCH_AGGRESSIVE, 0, &h);
	ikev1_out_init(&o, buf, cap, &h);
	ikev1_p1_sa_build(&o, sa->cfg, echo, sa->prop.lifetime_sec);
	ikev1_out_opaque(&o, IKEV1_PL_KE, sa->ph1->gxr, sa->ph1->gx_len);
	ikev1_out_opaque(&o, IKEV1_PL_NONCE, sa->ph1->nr, sa->ph1->nr_len);
	if ((err = aggr_own_auth(&o, sa, true)) < 0)
		return err;
	ikev1_p1_cr_build(&o, sa);
	ikev1_p1_vids(&o, sa);
	ikev1_p1_natd_build(&o, sa);
	return ikev1_out_finish(&o);
}

/* AM1 received: choose, derive the keys, answer with AM2 (authenticating ourselves). */
int
ikev1_aggr_r1(struct ikev1_rx *rx)
{
	const struct ikev1_payload *sa_pl = ikev1_msg_find(&rx->msg, IKEV1_PL_SA, 0);
	const struct ikev1_payload *id_pl = ikev1_msg_find(&rx->msg, IKEV1_PL_ID, 0);
	struct ikev1_p1_step st = {0};
	struct ikev1_choice choice;
	uint8_t buf[IKEV1_MSG_MAX];
	struct ikev1_ike_sa *sa;
	int len, err;

	if ((err = ikev1_p1_responder_new(rx, sa_pl, IKEV1_EXCH_AGGRESSIVE, &choice, &sa)) < 0)
		return err;
	if ((err = aggr_keep(sa->ph1->sai_b, sizeof(sa->ph1->sai_b), &sa->ph1->sai_len, sa_pl)) < 0 ||
	    (err = ikev1_p1_check_id(sa, id_pl)) < 0 ||
	    (err = aggr_keep(sa->idr_b, sizeof(sa->idr_b), &sa->idr_len, id_pl)) < 0 ||
	    (err = ikev1_p1_step_run(sa, &rx->msg, &st)) < 0)
		goto out;
	ikev1_p1_vids_seen(sa, &rx->msg);
	ikev1_p1_step_commit(sa, &st);
	len = aggr_r1_msg(sa, &choice, buf, sizeof(buf));
	if (len < 0) {
		err = len;
		goto out;
	}
	sa->state = rx->row->next;
	ikev1_xmit_send(sa, &sa->x, buf, (size_t)len, rx->digest, true);
	return 0;
out:
	ikev1_p1_step_clear(&st);
	ikev1_sa_free(rx->e, sa);
	return err;
}

/* AM3: HDR, HASH_I or [CERT,] SIG_I [, NAT-D, NAT-D], in the clear as racoon sends it. */
static int
aggr_i2_msg(struct ikev1_ike_sa *sa, uint8_t *buf, size_t cap)
{
	struct ikev1_out o;
	struct ikev1_hdr h;
	int err;

	ikev1_hdr_for(sa, IKEV1_EXCH_AGGRESSIVE, 0, &h);
	ikev1_out_init(&o, buf, cap, &h);
	if ((err = aggr_own_auth(&o, sa, false)) < 0)
		return err;
	ikev1_p1_natd_build(&o, sa);
	return ikev1_out_finish(&o);
}

/* Check AM2 against a tentative copy of what it sets, without touching sa. */
static int
aggr_i2_check(struct ikev1_ike_sa *sa, struct ikev1_rx *rx, struct ikev1_p1_step *st, bool *here,
              bool *there)
{
	const struct ikev1_payload *id_pl = ikev1_msg_find(&rx->msg, IKEV1_PL_ID, 0);
	struct ikev1_phase1 p1;
	int err;

	if ((err = ikev1_p1_check_id(sa, id_pl)) < 0 ||
	    (err = ikev1_p1_step_run(sa, &rx->msg, st)) < 0)
		return err;
	ikev1_p1_step_view(sa, st, &p1);
	err = ikev1_p1_auth_verify(rx, sa, &p1, &st->keys,
	                           (struct ikev1_bytes){id_pl->body.p, rd_left(&id_pl->body)});
	if (err < 0)
		return err;
	return ikev1_p1_natd_check(sa, &rx->msg, here, there);
}

/* AM2 received: authenticate the responder, send AM3; phase 1 is up. */
int
ikev1_aggr_i2(struct ikev1_rx *rx)
{
	struct ikev1_ike_sa *sa = rx->sa;
	struct ikev1_p1_prop saved_prop;
	uint8_t saved_cky[IKEV1_COOKIE_LEN];
	struct ikev1_p1_step st = {0};
	struct ikev1_p1_prop prop;
	uint8_t buf[IKEV1_MSG_MAX];
	bool here, there;
	int len, err;

	err = ikev1_p1_sa_select(sa->cfg, ikev1_msg_find(&rx->msg, IKEV1_PL_SA, 0), false, &prop,
	                         NULL);
	if (err < 0 || prop.group != sa->cfg->props[0].group)
		return err < 0 ? err : -EPROTO;
	/* the checks need the chosen proposal, the cookie and the NAT-T choice in place */
	saved_prop = sa->prop;
	memcpy(saved_cky, sa->cky_r, IKEV1_COOKIE_LEN);
	sa->prop = prop;
	memcpy(sa->cky_r, rx->msg.hdr.cookie_r, IKEV1_COOKIE_LEN);
	ikev1_p1_vids_seen(sa, &rx->msg);
	err = aggr_i2_check(sa, rx, &st, &here, &there);
	if (err < 0) {
		sa->prop = saved_prop;
		memcpy(sa->cky_r, saved_cky, IKEV1_COOKIE_LEN);
		sa->natt_peer = sa->natt_draft = sa->dpd_peer = false;
		ikev1_p1_step_clear(&st);
		return err;
	}
	ikev1_p1_step_commit(sa, &st);
	sa->nat_here = here;
	sa->nat_there = there;
	ikev1_p1_float(sa);
	len = aggr_i2_msg(sa, buf, sizeof(buf));
	if (len < 0)
		return len;
	ikev1_xmit_send(sa, &sa->x, buf, (size_t)len, rx->digest, false);
	ikev1_p1_keep_peer_id(sa, &rx->msg);
	return ikev1_p1_established(sa);
}

/* AM3 received: authenticate the initiator; phase 1 is up. */
int
ikev1_aggr_r2(struct ikev1_rx *rx)
{
	struct ikev1_ike_sa *sa = rx->sa;
	struct ikev1_phase1 p1;
	bool here, there;
	int err;

	ikev1_p1_view(sa, &p1);
	err = ikev1_p1_auth_verify(rx, sa, &p1, &sa->keys,
	                           (struct ikev1_bytes){sa->idr_b, sa->idr_len});
	if (err == 0)
		err = ikev1_p1_natd_check(sa, &rx->msg, &here, &there);
	if (err < 0)
		return err;
	if (rx->msg.hdr.flags & IKEV1_FLAG_ENC)
		memcpy(sa->iv, rx->iv_next, sa->block_len);
	sa->peer = rx->peer;
	sa->nat_here = here;
	sa->nat_there = there;
	sa->floated = sa->natt_peer && (sa->peer.rport == IKEV1_NATT_PORT || here || there);
	return ikev1_p1_established(sa);
}
