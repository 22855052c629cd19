/*
 * Main Mode with pre-shared keys (RFC 2409 5, 5.4), both roles; the flow is drawn above
 * its rows in states.c. Each handler checks everything the message can fail on first,
 * then commits to the SA, then builds and sends its answer.
 */
#include <errno.h>
#include <string.h>

#include "ike/v1/engine_int.h"

/* Keep the body of the initiator's SA payload: HASH_I and HASH_R cover it (RFC 2409 5). */
static int
main_keep_sai(struct ikev1_ike_sa *sa, const struct ikev1_payload *pl)
{
	struct rd b = pl->body;

	if (rd_left(&b) > sizeof(sa->ph1->sai_b))
		return -E2BIG;
	sa->ph1->sai_len = rd_left(&b);
	rd_copy(&b, sa->ph1->sai_b, sa->ph1->sai_len);
	return 0;
}

static bool
main_mode_allowed(const struct ikev1_remote *cfg, uint8_t exchange)
{
	for (size_t i = 0; i < cfg->n_modes; i++)
		if (cfg->modes[i] == exchange)
			return true;
	return false;
}

/* HDR, SA [, VID...]: MM1 (all our proposals) or MM2 (the chosen one). */
static int
main_sa_msg(struct ikev1_ike_sa *sa, const struct ikev1_choice *echo, uint8_t *buf, size_t cap)
{
	struct ikev1_out o;
	struct ikev1_hdr h;

	ikev1_hdr_for(sa, IKEV1_EXCH_MAIN, 0, &h);
	ikev1_out_init(&o, buf, cap, &h);
	ikev1_p1_sa_build(&o, sa->cfg, echo, sa->prop.lifetime_sec);
	ikev1_p1_vids(&o, sa);
	return ikev1_out_finish(&o);
}

int
ikev1_main_start(struct ikev1_ike_sa *sa)
{
	uint8_t buf[IKEV1_MSG_MAX];
	struct ikev1_msg m;
	int len, err;

	err = ikev1_random(sa->eng, sa->cky_i, IKEV1_COOKIE_LEN);
	if (err < 0)
		return err;
	len = main_sa_msg(sa, NULL, buf, sizeof(buf));
	if (len < 0)
		return len;
	err = ikev1_parse(buf, (size_t)len, &m);
	if (err < 0 || (err = main_keep_sai(sa, ikev1_msg_find(&m, IKEV1_PL_SA, 0))) < 0)
		return err;
	sa->state = ST_MM_I1;
	return ikev1_xmit_send(sa, &sa->x, buf, (size_t)len, NULL, true);
}

/* MM1 received: choose a proposal (or say NO-PROPOSAL-CHOSEN), answer with MM2. */
int
ikev1_main_r1(struct ikev1_rx *rx)
{
	const struct ikev1_payload *pl = ikev1_msg_find(&rx->msg, IKEV1_PL_SA, 0);
	struct ikev1_choice choice;
	uint8_t buf[IKEV1_MSG_MAX];
	struct ikev1_ike_sa *sa;
	int len, err;

	if (!main_mode_allowed(rx->cfg, IKEV1_EXCH_MAIN))
		return -EPROTO;
	if ((err = ikev1_p1_responder_new(rx, pl, IKEV1_EXCH_MAIN, &choice, &sa)) < 0)
		return err;
	if ((err = main_keep_sai(sa, pl)) < 0)
		goto out;
	ikev1_p1_vids_seen(sa, &rx->msg);
	len = main_sa_msg(sa, &choice, buf, sizeof(buf));
	if (len < 0) {
		err = len;
		goto out;
	}
	sa->state = rx->row->next;
	ikev1_xmit_send(sa, &sa->x, buf, (size_t)len, rx->digest, true);
	return 0;
out:
	ikev1_sa_free(rx->e, sa);
	return err;
}

/* HDR, KE, Nonce [, NAT-D, NAT-D]: MM3 and MM4. */
static int
main_ke_msg(struct ikev1_ike_sa *sa, const uint8_t *gx, const uint8_t *n, size_t n_len,
            uint8_t *buf, size_t cap)
{
	struct ikev1_out o;
	struct ikev1_hdr h;

	ikev1_hdr_for(sa, IKEV1_EXCH_MAIN, 0, &h);
	ikev1_out_init(&o, buf, cap, &h);
	ikev1_out_opaque(&o, IKEV1_PL_KE, gx, sa->ph1->gx_len);
	ikev1_out_opaque(&o, IKEV1_PL_NONCE, n, n_len);
	ikev1_p1_cr_build(&o, sa);
	ikev1_p1_natd_build(&o, sa);
	return ikev1_out_finish(&o);
}

/* MM2 received: the responder's choice must be one of ours; send KE and Ni. */
int
ikev1_main_i2(struct ikev1_rx *rx)
{
	struct ikev1_ike_sa *sa = rx->sa;
	struct ikev1_p1_prop prop;
	uint8_t buf[IKEV1_MSG_MAX];
	int len, err;

	err = ikev1_p1_sa_select(sa->cfg, ikev1_msg_find(&rx->msg, IKEV1_PL_SA, 0), false, &prop,
	                         NULL);
	if (err < 0) {
		ikev1_sa_event(sa, "MM2: the responder chose no proposal of ours");
		return err;
	}
	sa->prop = prop;
	memcpy(sa->cky_r, rx->msg.hdr.cookie_r, IKEV1_COOKIE_LEN);
	ikev1_p1_vids_seen(sa, &rx->msg);
	err = ikev1_dh_new(sa->eng, prop.group, &sa->ph1->dh);
	if (err < 0)
		return err;
	sa->ph1->gx_len = dh_public_len((enum dh_group)prop.group);
	if ((err = dh_public(sa->ph1->dh, sa->ph1->gxi, sa->ph1->gx_len)) < 0 ||
	    (err = ikev1_nonce_new(sa, sa->ph1->ni, &sa->ph1->ni_len)) < 0)
		return err;
	len = main_ke_msg(sa, sa->ph1->gxi, sa->ph1->ni, sa->ph1->ni_len, buf, sizeof(buf));
	if (len < 0)
		return len;
	sa->state = rx->row->next;
	return ikev1_xmit_send(sa, &sa->x, buf, (size_t)len, rx->digest, true);
}

/* MM3 received: KE, Ni and NAT-D; derive the keys, answer with MM4. */
int
ikev1_main_r2(struct ikev1_rx *rx)
{
	struct ikev1_ike_sa *sa = rx->sa;
	struct ikev1_p1_step st = {0};
	uint8_t buf[IKEV1_MSG_MAX];
	bool here, there;
	int len, err;

	err = ikev1_p1_step_run(sa, &rx->msg, &st);
	if (err == 0)
		err = ikev1_p1_natd_check(sa, &rx->msg, &here, &there);
	if (err < 0) {
		ikev1_p1_step_clear(&st);
		return err;
	}
	ikev1_p1_step_commit(sa, &st);
	sa->nat_here = here;
	sa->nat_there = there;
	sa->state = rx->row->next;
	len = main_ke_msg(sa, sa->ph1->gxr, sa->ph1->nr, sa->ph1->nr_len, buf, sizeof(buf));
	if (len < 0)
		return len;
	return ikev1_xmit_send(sa, &sa->x, buf, (size_t)len, rx->digest, true);
}

/* HDR*, ID, HASH_I/R or [CERT,] SIG_I/R: MM5 and MM6, encrypted in the phase 1 CBC chain. */
static int
main_auth_msg(struct ikev1_ike_sa *sa, uint8_t *buf, size_t cap, size_t *ret_len)
{
	uint8_t id[IKEV1_IDB_MAX];
	struct ikev1_phase1 p1;
	struct ikev1_out o;
	struct ikev1_hdr h;
	size_t id_len;
	int len, err;

	err = ikev1_p1_id_body(sa, id, sizeof(id), &id_len);
	if (err < 0)
		return err;
	ikev1_p1_view(sa, &p1);
	ikev1_hdr_for(sa, IKEV1_EXCH_MAIN, 0, &h);
	ikev1_out_init(&o, buf, cap, &h);
	ikev1_out_opaque(&o, IKEV1_PL_ID, id, id_len);
	if ((err = ikev1_p1_auth_build(&o, sa, &p1, &sa->keys, id, id_len)) < 0)
		return err;
	len = ikev1_out_finish(&o);
	if (len < 0)
		return len;
	return ikev1_crypt_seal(sa->cipher, buf, (size_t)len, cap, sa->iv, ret_len);
}

/* MM4 received: derive the keys, float if a NAT showed, send MM5. */
int
ikev1_main_i3(struct ikev1_rx *rx)
{
	struct ikev1_ike_sa *sa = rx->sa;
	struct ikev1_p1_step st = {0};
	uint8_t buf[IKEV1_MSG_MAX];
	bool here, there;
	size_t len;
	int err;

	err = ikev1_p1_step_run(sa, &rx->msg, &st);
	if (err == 0)
		err = ikev1_p1_natd_check(sa, &rx->msg, &here, &there);
	if (err < 0) {
		ikev1_p1_step_clear(&st);
		return err;
	}
	ikev1_p1_step_commit(sa, &st);
	sa->nat_here = here;
	sa->nat_there = there;
	ikev1_p1_float(sa);
	sa->state = rx->row->next;
	err = main_auth_msg(sa, buf, sizeof(buf), &len);
	if (err < 0)
		return err;
	return ikev1_xmit_send(sa, &sa->x, buf, len, rx->digest, true);
}

/* The peer's ID and its HASH or signature (p1_auth.c); nothing is changed. */
static int
main_verify(struct ikev1_rx *rx)
{
	struct ikev1_ike_sa *sa = rx->sa;
	const struct ikev1_payload *id = ikev1_msg_find(&rx->msg, IKEV1_PL_ID, 0);
	struct ikev1_phase1 p1;
	int err;

	err = ikev1_p1_check_id(sa, id);
	if (err < 0) {
		ikev1_sa_event(sa, "phase 1 ID does not match peers_identifier");
		return err;
	}
	ikev1_p1_view(sa, &p1);
	return ikev1_p1_auth_verify(rx, sa, &p1, &sa->keys,
	                            (struct ikev1_bytes){id->body.p, rd_left(&id->body)});
}

/* MM5 received: authenticate the initiator, answer with MM6; phase 1 is up. */
int
ikev1_main_r3(struct ikev1_rx *rx)
{
	struct ikev1_ike_sa *sa = rx->sa;
	uint8_t buf[IKEV1_MSG_MAX];
	size_t len;
	int err;

	err = main_verify(rx);
	if (err < 0)
		return err;
	memcpy(sa->iv, rx->iv_next, sa->block_len);
	sa->peer = rx->peer;
	sa->floated =
	    sa->natt_peer && (sa->peer.rport == IKEV1_NATT_PORT || sa->nat_here || sa->nat_there);
	err = main_auth_msg(sa, buf, sizeof(buf), &len);
	if (err < 0)
		return err;
	ikev1_xmit_send(sa, &sa->x, buf, len, rx->digest, false);
	ikev1_p1_keep_peer_id(sa, &rx->msg);
	ikev1_info_notifies(sa, &rx->msg);
	return ikev1_p1_established(sa);
}

/* MM6 received: authenticate the responder; phase 1 is up, Quick Mode may start. */
int
ikev1_main_i4(struct ikev1_rx *rx)
{
	struct ikev1_ike_sa *sa = rx->sa;
	int err;

	err = main_verify(rx);
	if (err < 0)
		return err;
	memcpy(sa->iv, rx->iv_next, sa->block_len);
	ikev1_p1_keep_peer_id(sa, &rx->msg);
	return ikev1_p1_established(sa);
}
