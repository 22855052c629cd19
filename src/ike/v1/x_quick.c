/*
 * Quick Mode (RFC 2409 5.5), with PFS when the sainfo names a pfs_group; the flow is drawn
 * above its rows in states.c. Each exchange has its own M-ID and CBC chain, seeded from
 * the last phase 1 block (Appendix B). The initiator installs the pair on QM2; the
 * responder its inbound SA when it sends QM2 and the outbound one on QM3.
 */
#include <errno.h>
#include <string.h>

#include "ike/v1/engine_int.h"
#include "lib/secmem.h"

#define ESP_REPLAY_WINDOW 32

static uint16_t
quick_encap(const struct ikev1_ike_sa *sa, uint8_t mode)
{
	bool tunnel = mode == IPSEC_MODE_TUNNEL;

	if (!sa->floated)
		return tunnel ? IKEV1_ENCAP_TUNNEL : IKEV1_ENCAP_TRANSPORT;
	if (sa->natt_draft)
		return tunnel ? IKEV1_ENCAP_UDP_TUNNEL_DRAFT : IKEV1_ENCAP_UDP_TRANSPORT_DRAFT;
	return tunnel ? IKEV1_ENCAP_UDP_TUNNEL : IKEV1_ENCAP_UDP_TRANSPORT;
}

static uint8_t
quick_mode_of(uint16_t encap)
{
	switch (encap) {
	case IKEV1_ENCAP_TUNNEL:
	case IKEV1_ENCAP_UDP_TUNNEL:
	case IKEV1_ENCAP_UDP_TUNNEL_DRAFT:
		return IPSEC_MODE_TUNNEL;
	}
	return IPSEC_MODE_TRANSPORT;
}

/* An SPI outside the range RFC 4303 2.1 reserves (1..255). */
static int
quick_spi(struct ikev1_ike_sa *sa, uint32_t *out)
{
	uint8_t b[4];
	int err;

	do {
		err = ikev1_random(sa->eng, b, sizeof(b));
		if (err < 0)
			return err;
		*out = be32_get(b);
	} while (*out < 256);
	return 0;
}

/* IDci then IDcr; ours is sel.src, so the responder writes them the other way round. */
static void
quick_ids(struct ikev1_out *o, const struct ipsec_selector *sel, bool initiator)
{
	uint8_t proto = sel->proto == IPSEC_ULP_ANY ? 0 : sel->proto;

	if (initiator) {
		ikev1_out_id_prefix(o, proto, sel->sport, &sel->src);
		ikev1_out_id_prefix(o, proto, sel->dport, &sel->dst);
	} else {
		ikev1_out_id_prefix(o, proto, sel->dport, &sel->dst);
		ikev1_out_id_prefix(o, proto, sel->sport, &sel->src);
	}
}

/* QM1 / QM2: HDR*, HASH, SA, Nonce [, KE] [, IDci, IDcr]; sealed with qm->iv. */
static int
quick_msg(struct ikev1_ike_sa *sa, struct ikev1_qm *qm, const struct ikev1_choice *echo,
          uint8_t *buf, size_t cap, size_t *ret_len)
{
	uint8_t zero[PRF_MAX_LEN] = {0}, gx[DH_PUBLIC_MAX];
	size_t gx_len = 0;
	struct ikev1_out o;
	struct ikev1_hdr h;
	int len, err;

	if (qm->dh) {
		gx_len = dh_public_len(dh_get_group(qm->dh));
		if ((err = dh_public(qm->dh, gx, gx_len)) < 0)
			return err;
	}
	ikev1_hdr_for(sa, IKEV1_EXCH_QUICK, qm->mid, &h);
	ikev1_out_init(&o, buf, cap, &h);
	ikev1_out_opaque(&o, IKEV1_PL_HASH, zero, sa->keys.prf_len);
	ikev1_p2_sa_build(&o, sa->cfg, qm, echo);
	if (qm->initiator)
		ikev1_out_opaque(&o, IKEV1_PL_NONCE, qm->ni, qm->ni_len);
	else
		ikev1_out_opaque(&o, IKEV1_PL_NONCE, qm->nr, qm->nr_len);
	if (gx_len)
		ikev1_out_opaque(&o, IKEV1_PL_KE, gx, gx_len);
	quick_ids(&o, &qm->req.sel, qm->initiator);
	len = ikev1_out_finish(&o);
	if (len < 0)
		return len;
	err = ikev1_hash_fill(sa, buf, (size_t)len, qm->mid, qm, !qm->initiator);
	if (err < 0)
		return err;
	return ikev1_crypt_seal(sa->cipher, buf, (size_t)len, cap, qm->iv, ret_len);
}

int
ikev1_quick_start(struct ikev1_ike_sa *sa, const struct ikev1_child_req *req)
{
	struct ikev1_qm *qm = ikev1_qm_alloc(sa);
	uint8_t buf[IKEV1_MSG_MAX], mid[4];
	struct ikev1_bytes last = {sa->iv, sa->block_len};
	const struct ikev1_sainfo *si;
	size_t len;
	int err;

	if (qm == NULL)
		return -ENOSPC;
	memset(qm, 0, sizeof(*qm));
	qm->initiator = true;
	qm->req = *req;
	qm->encap_mode = quick_encap(sa, req->mode);
	if ((si = ikev1_sainfo_pick(sa->cfg, &req->sel)) == NULL) {
		ikev1_sa_event(sa, "quick mode: no sainfo for these selectors");
		err = -ENOENT;
		goto out;
	}
	qm->si = *si;
	qm->deadline_ms = ikev1_deadline(sa->eng, sa->cfg, sa->cfg->phase2_ms);
	qm->lifetime_sec = si->lifetime_sec;
	qm->lifetime_kb = si->lifetime_kb;
	do {
		if ((err = ikev1_random(sa->eng, mid, sizeof(mid))) < 0)
			goto out;
		qm->mid = be32_get(mid);
	} while (qm->mid == 0 || ikev1_qm_find(sa, qm->mid) || ikev1_mid_seen(sa, qm->mid));
	if ((err = quick_spi(sa, &qm->spi_in)) < 0 ||
	    (err = ikev1_nonce_new(sa, qm->ni, &qm->ni_len)) < 0 ||
	    (err = ikev1_phase2_iv(&sa->keys, last, qm->mid, qm->iv)) < 0)
		goto out;
	if (si->pfs_group && (err = ikev1_dh_new(sa->eng, si->pfs_group, &qm->dh)) < 0)
		goto out;
	if ((err = quick_msg(sa, qm, NULL, buf, sizeof(buf), &len)) < 0)
		goto out;
	qm->used = true;
	qm->state = ST_QM_I1;
	ikev1_mid_remember(sa, qm->mid);
	return ikev1_xmit_send(sa, &qm->x, buf, len, NULL, true);
out:
	ikev1_qm_release(qm);
	return err;
}

/* KEYMAT for both directions (RFC 2409 5.5) into a complete SA pair. */
static int
quick_child(struct ikev1_ike_sa *sa, const struct ikev1_qm *qm, struct ikev1_child *c)
{
	size_t ek = ikev1_p2_enc_key_len(qm->enc, qm->keylen), ak = ikev1_p2_auth_key_len(qm->auth);
	struct ikev1_bytes ni = {qm->ni, qm->ni_len}, nr = {qm->nr, qm->nr_len};
	struct ikev1_bytes g = {qm->gxy, qm->gxy_len};
	uint8_t km[2 * IPSEC_KEY_MAX];
	struct ipsec_sa *in = &c->in, *out = &c->out;
	struct ipsec_lifetime hard = {0}, soft = {0};
	int err;

	memset(c, 0, sizeof(*c));
	if (ek > IPSEC_KEY_MAX || ak > IPSEC_KEY_MAX)
		return -EINVAL;
	/* the SAD's soft limits start the renewal (rekey.c); both SAs of the pair share them */
	hard.add_seconds = qm->lifetime_sec;
	hard.bytes = (uint64_t)qm->lifetime_kb * 1024;
	soft.add_seconds = ikev1_soft_of(sa->eng, hard.add_seconds, qm->initiator);
	soft.bytes = ikev1_soft_of(sa->eng, hard.bytes, qm->initiator);
	c->initiator = qm->initiator;
	c->peer = sa->peer;
	c->sel = qm->req.sel;
	c->encap_mode = qm->encap_mode;
	c->udp_encap = sa->floated;
	for (int dir = 0; dir < 2; dir++) {
		struct ipsec_sa *s = dir ? out : in;

		s->proto = IPSEC_PROTO_ESP;
		s->mode = quick_mode_of(qm->encap_mode);
		s->spi = dir ? qm->spi_out : qm->spi_in;
		s->reqid = qm->req.reqid;
		s->replay = ESP_REPLAY_WINDOW;
		s->enc = qm->enc;
		s->auth = qm->auth;
		s->hard = hard;
		s->soft = soft;
		s->origin = IPSEC_ORIGIN_IKE;
		err = ikev1_keymat(&sa->keys, g, IKEV1_PROTO_ESP, s->spi, ni, nr, km, ek + ak);
		if (err < 0)
			break;
		s->enc_key.len = (uint8_t)ek;
		memcpy(s->enc_key.bytes, km, ek);
		s->auth_key.len = (uint8_t)ak;
		memcpy(s->auth_key.bytes, km + ek, ak);
	}
	secmem_wipe(km, sizeof(km));
	in->src = out->dst = sa->peer.remote;
	in->dst = out->src = sa->peer.local;
	if (c->udp_encap) {
		in->encap_sport = out->encap_dport = sa->peer.rport;
		in->encap_dport = out->encap_sport = sa->peer.lport;
		out->frag_size = sa->cfg->esp_frag; /* racoon applies esp_frag to NAT-T only */
	}
	return err;
}

/* The IDs of a QM1 as our selector (ours = IDcr); none means the IKE endpoints. */
static int
quick_sel(const struct ikev1_ike_sa *sa, const struct ikev1_msg *m, struct ipsec_selector *sel)
{
	struct ikev1_id ci, cr;
	const struct ikev1_payload *a = ikev1_msg_find(m, IKEV1_PL_ID, 0);
	const struct ikev1_payload *b = ikev1_msg_find(m, IKEV1_PL_ID, 1);

	memset(sel, 0, sizeof(*sel));
	sel->proto = IPSEC_ULP_ANY;
	if (a == NULL) {
		sel->src = (struct prefix){sa->peer.local, addr_bits(&sa->peer.local)};
		sel->dst = (struct prefix){sa->peer.remote, addr_bits(&sa->peer.remote)};
		return 0;
	}
	if (b == NULL || ikev1_msg_find(m, IKEV1_PL_ID, 2) || ikev1_id_parse(a, &ci) < 0 ||
	    ikev1_id_parse(b, &cr) < 0 || ikev1_id_to_prefix(&ci, &sel->dst) < 0 ||
	    ikev1_id_to_prefix(&cr, &sel->src) < 0 || ci.protocol != cr.protocol)
		return -EBADMSG;
	sel->proto = ci.protocol ? ci.protocol : IPSEC_ULP_ANY;
	sel->dport = ci.port;
	sel->sport = cr.port;
	return 0;
}

/* HASH(1) or HASH(2) of a received QM message, in constant time. */
static int
quick_verify(struct ikev1_rx *rx, const struct ikev1_qm *ni_of)
{
	struct ikev1_ike_sa *sa = rx->sa;
	struct ikev1_bytes rest, got;
	uint8_t want[PRF_MAX_LEN];
	uint32_t mid = rx->msg.hdr.msgid;
	int err;

	err = ikev1_rest_after_hash(rx, &rest, &got);
	if (err < 0)
		return err;
	if (ni_of)
		err = ikev1_qm_hash2(&sa->keys, mid, (struct ikev1_bytes){ni_of->ni, ni_of->ni_len},
		                     rest, want);
	else
		err = ikev1_hash_mid(&sa->keys, mid, rest, want);
	if (err < 0)
		return err;
	if (!ikev1_hash_verify(want, sa->keys.prf_len, got)) {
		ikev1_sa_event(sa, "quick mode %08x: HASH mismatch", mid);
		return -EACCES;
	}
	return 0;
}

/* The peer's nonce and, with PFS, g(qm)^xy; KE must be there exactly when PFS is. */
static int
quick_nonce_ke(struct ikev1_rx *rx, struct ikev1_qm *t, int group, uint8_t *n, size_t *n_len)
{
	const struct ikev1_payload *ke_pl = ikev1_msg_find(&rx->msg, IKEV1_PL_KE, 0);
	struct rd nonce, ke;
	int err;

	if (ikev1_nonce_parse(ikev1_msg_find(&rx->msg, IKEV1_PL_NONCE, 0), &nonce) < 0)
		return -EBADMSG;
	*n_len = rd_left(&nonce);
	rd_copy(&nonce, n, *n_len);
	if ((ke_pl != NULL) != (group > 0))
		return -EPROTO;
	if (group == 0)
		return 0;
	if (t->dh == NULL && (err = ikev1_dh_new(rx->e, (uint16_t)group, &t->dh)) < 0)
		return err;
	if (ikev1_opaque_parse(ke_pl, &ke) < 0)
		return -EBADMSG;
	t->gxy_len = dh_secret_len((enum dh_group)group);
	return dh_derive(t->dh, ke.p, rd_left(&ke), t->gxy, t->gxy_len) < 0 ? -EBADMSG : 0;
}

/*
 * The SAs of an exchange into the SAD, remembered for Delete; the data plane learns of
 * them only now. The responder puts the inbound SA in when it sends QM2 (early) and the
 * outbound one on QM3, so that the initiator, which installs on QM2, may send at once
 * (libreswan does the same). A pair we initiated that renews one is staged in rekey.c.
 */
static void
quick_install(struct ikev1_ike_sa *sa, struct ikev1_qm *qm, bool early)
{
	struct ikev1_child c, *p = NULL;
	size_t i;
	int err = 0;

	for (i = 0; !early && i < sa->nchildren; i++) {
		if (sa->children[i].pending_mid == qm->mid && !qm->initiator) {
			p = &sa->children[i];
			break;
		}
	}
	if (p) {
		p->pending_mid = 0;
		p->install = IKEV1_INSTALL_OUT;
		c = *p;
	} else if ((err = ikev1_children_reserve(sa)) == 0 &&
		   (err = quick_child(sa, qm, &c)) == 0) {
		if (early) {
			c.install = IKEV1_INSTALL_IN;
			c.pending_mid = qm->mid;
		} else if (qm->initiator) {
			ikev1_child_stage(sa, &c);
		}
	}
	if (err == 0)
		err = sa->eng->env.install(sa->eng->env.arg, &c);
	if (err == 0 && !p) {
		ikev1_child_add(sa, &c);
		i = sa->nchildren - 1;
	}
	if (err == 0 && !early) {
		ikev1_child_installed(sa, i);
		ikev1_sa_event(sa, "IPsec SA established: ESP/%s spi in %08x out %08x%s",
		               c.in.mode == IPSEC_MODE_TUNNEL ? "tunnel" : "transport", c.in.spi,
		               c.out.spi, c.udp_encap ? " (UDP-encapsulated)" : "");
	} else if (err) {
		ikev1_sa_event(sa, "quick mode %08x: installing the SAs failed (%d)", qm->mid, err);
		if (p)
			ikev1_child_remove_at(sa, i, false);
	}
	secmem_wipe(&c, sizeof(c));
	if (early)
		return;
	dh_free(qm->dh);
	qm->dh = NULL;
	secmem_wipe(qm->gxy, sizeof(qm->gxy));
}

/* QM1 received: choose a transform, answer with QM2. */
int
ikev1_quick_r1(struct ikev1_rx *rx)
{
	struct ikev1_ike_sa *sa = rx->sa;
	struct ikev1_qm *slot = ikev1_qm_alloc(sa), t = {0};
	const struct ikev1_sainfo *si;
	struct ikev1_choice choice;
	uint8_t buf[IKEV1_MSG_MAX];
	size_t len;
	int group, err;

	if (slot == NULL)
		return -ENOSPC;
	t.mid = rx->msg.hdr.msgid;
	memcpy(t.iv, rx->iv_next, sa->block_len);
	if ((err = quick_verify(rx, NULL)) < 0 || (err = quick_sel(sa, &rx->msg, &t.req.sel)) < 0)
		return err;
	/* racoon's choice: the most specific sainfo; an anonymous one accepts any IDs */
	if ((si = ikev1_sainfo_pick(sa->cfg, &t.req.sel)) == NULL) {
		ikev1_sa_event(sa, "quick mode %08x: IDs match no sainfo", t.mid);
		return -EPROTO;
	}
	t.si = *si;
	t.deadline_ms = ikev1_deadline(sa->eng, sa->cfg, sa->cfg->phase2_ms);
	if (!ikev1_txn_qm_allowed(sa, &t.req.sel)) {
		ikev1_sa_event(sa,
		               "quick mode %08x: refused (no Xauth login yet, or not from "
		               "the mode config address)",
		               t.mid);
		return -EACCES;
	}
	group = ikev1_p2_sa_select(sa->cfg, ikev1_msg_find(&rx->msg, IKEV1_PL_SA, 0), true, 0, &t,
	                           &choice);
	if (group >= 0)
		err = quick_nonce_ke(rx, &t, group, t.ni, &t.ni_len);
	if (group >= 0 && err == 0 && (err = quick_spi(sa, &t.spi_in)) == 0)
		err = ikev1_nonce_new(sa, t.nr, &t.nr_len);
	if (group >= 0 && err == 0)
		err = quick_msg(sa, &t, &choice, buf, sizeof(buf), &len);
	if (group < 0 || err < 0) {
		if (group == -ENOENT)
			ikev1_sa_event(sa, "quick mode %08x: no proposal chosen", t.mid);
		ikev1_qm_release(&t);
		return group < 0 ? group : err;
	}
	t.req.mode = quick_mode_of(t.encap_mode);
	t.req.proto = IPSEC_PROTO_ESP;
	t.used = true;
	t.state = rx->row->next;
	*slot = t;
	ikev1_mid_remember(sa, t.mid);
	sa->peer = rx->peer;
	err = ikev1_xmit_send(sa, &slot->x, buf, len, rx->digest, true);
	quick_install(sa, slot, true);
	return err;
}

/* QM2 received: check the answer, send QM3 and install. */
int
ikev1_quick_i2(struct ikev1_rx *rx)
{
	struct ikev1_ike_sa *sa = rx->sa;
	struct ikev1_qm *qm = rx->qm, t = *qm;
	uint8_t buf[IKEV1_MSG_MAX], h[PRF_MAX_LEN];
	struct ikev1_out o;
	struct ikev1_hdr hdr;
	size_t len;
	int group, err, n;

	if ((err = quick_verify(rx, qm)) < 0)
		return err;
	group = ikev1_p2_sa_select(sa->cfg, ikev1_msg_find(&rx->msg, IKEV1_PL_SA, 0), false,
	                           qm->encap_mode, &t, NULL);
	if (group < 0)
		return group;
	if ((err = quick_nonce_ke(rx, &t, group, t.nr, &t.nr_len)) < 0 ||
	    (err = ikev1_qm_hash3(&sa->keys, t.mid, (struct ikev1_bytes){t.ni, t.ni_len},
	                          (struct ikev1_bytes){t.nr, t.nr_len}, h)) < 0)
		return err;
	ikev1_hdr_for(sa, IKEV1_EXCH_QUICK, t.mid, &hdr);
	ikev1_out_init(&o, buf, sizeof(buf), &hdr);
	ikev1_out_opaque(&o, IKEV1_PL_HASH, h, sa->keys.prf_len);
	n = ikev1_out_finish(&o);
	memcpy(t.iv, rx->iv_next, sa->block_len);
	if (n < 0 || (err = ikev1_crypt_seal(sa->cipher, buf, (size_t)n, sizeof(buf), t.iv, &len)))
		return n < 0 ? n : err;
	t.state = rx->row->next;
	*qm = t;
	ikev1_xmit_send(sa, &qm->x, buf, len, rx->digest, false);
	quick_install(sa, qm, false);
	return 0;
}

/* QM3 received: HASH(3) = prf(SKEYID_a, 0 | M-ID | Ni_b | Nr_b); install. */
int
ikev1_quick_r2(struct ikev1_rx *rx)
{
	struct ikev1_ike_sa *sa = rx->sa;
	struct ikev1_qm *qm = rx->qm;
	uint8_t want[PRF_MAX_LEN];
	struct rd got;
	int err;

	if (ikev1_opaque_parse(ikev1_msg_find(&rx->msg, IKEV1_PL_HASH, 0), &got) < 0)
		return -EBADMSG;
	err = ikev1_qm_hash3(&sa->keys, qm->mid, (struct ikev1_bytes){qm->ni, qm->ni_len},
	                     (struct ikev1_bytes){qm->nr, qm->nr_len}, want);
	if (err < 0)
		return err;
	if (!ikev1_hash_verify(want, sa->keys.prf_len, (struct ikev1_bytes){got.p, got.len})) {
		ikev1_sa_event(sa, "quick mode %08x: HASH(3) mismatch", qm->mid);
		return -EACCES;
	}
	memcpy(qm->iv, rx->iv_next, sa->block_len);
	qm->state = rx->row->next;
	qm->x.awaiting = false;
	quick_install(sa, qm, false);
	return 0;
}
