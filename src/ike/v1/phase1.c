/*
 * What Main and Aggressive Mode share (strongSwan's phase1.c is the model): the KE/nonce
 * step and key derivation, identities and HASH_I/HASH_R, NAT-T vendor IDs and NAT-D
 * (RFC 3947), and what happens once phase 1 is up.
 */
#include <errno.h>
#include <string.h>

#include "crypto/x509.h"
#include "ike/v1/engine_int.h"
#include "lib/secmem.h"

#define NONCE_DEFAULT 16

int
ikev1_nonce_new(struct ikev1_ike_sa *sa, uint8_t *buf, size_t *len)
{
	size_t n = sa->cfg->nonce_size ? sa->cfg->nonce_size : NONCE_DEFAULT;

	if (n < IKEV1_NONCE_MIN)
		n = IKEV1_NONCE_MIN;
	if (n > IKEV1_NONCE_MAX)
		n = IKEV1_NONCE_MAX;
	*len = n;
	return ikev1_random(sa->eng, buf, n);
}

/* Our phase 1 ID payload body (RFC 2407 4.6.2): my_identifier, or our IKE address. */
int
ikev1_p1_id_body(const struct ikev1_ike_sa *sa, uint8_t *buf, size_t cap, size_t *ret_len)
{
	const struct ikev1_ident *id = &sa->cfg->my_id;
	struct wr w = wr_init(buf, cap);
	const struct addr *a = &sa->peer.local;

	if (id->type) {
		wr_u8(&w, id->type);
		wr_u8(&w, 0);
		wr_be16(&w, 0);
		wr_bytes(&w, id->data, id->len);
	} else {
		wr_u8(&w, a->family == AF_INET6 ? IKEV1_ID_IPV6_ADDR : IKEV1_ID_IPV4_ADDR);
		wr_u8(&w, 0);
		wr_be16(&w, 0);
		wr_bytes(&w, a->bytes, addr_len(a));
	}
	if (!wr_ok(&w))
		return -EINVAL;
	*ret_len = w.len;
	return 0;
}

/* peers_identifier, when configured, must match the received ID exactly. */
int
ikev1_p1_check_id(const struct ikev1_ike_sa *sa, const struct ikev1_payload *pl)
{
	const struct ikev1_ident *want = &sa->cfg->peers_id;
	struct ikev1_id id;

	if (ikev1_id_parse(pl, &id) < 0)
		return -EBADMSG;
	if (want->type == 0)
		return 0;
	/* a DN compares in canonical form: the peer may encode its strings differently */
	if (want->type == IKEV1_ID_DER_ASN1_DN && id.type == want->type)
		return x509_dn_equal(id.data.p, rd_left(&id.data), want->data, want->len) ? 0
		                                                                          : -EACCES;
	if (id.type != want->type || rd_left(&id.data) != want->len ||
	    memcmp(id.data.p, want->data, want->len))
		return -EACCES;
	return 0;
}

void
ikev1_p1_view(const struct ikev1_ike_sa *sa, struct ikev1_phase1 *p1)
{
	p1->hash = ikev1_hash_alg(sa->prop.hash);
	p1->gxi = (struct ikev1_bytes){sa->ph1->gxi, sa->ph1->gx_len};
	p1->gxr = (struct ikev1_bytes){sa->ph1->gxr, sa->ph1->gx_len};
	p1->gxy = (struct ikev1_bytes){sa->ph1->gxy, sa->ph1->gxy_len};
	p1->ni_b = (struct ikev1_bytes){sa->ph1->ni, sa->ph1->ni_len};
	p1->nr_b = (struct ikev1_bytes){sa->ph1->nr, sa->ph1->nr_len};
	memcpy(p1->cky_i, sa->cky_i, IKEV1_COOKIE_LEN);
	memcpy(p1->cky_r, sa->cky_r, IKEV1_COOKIE_LEN);
}

/* HASH_I (of_initiator) or HASH_R over the given phase 1 view (RFC 2409 5). */
int
ikev1_p1_auth_hash(const struct ikev1_ike_sa *sa, const struct ikev1_phase1 *p1,
                   const struct ikev1_keys *k, bool of_initiator, const uint8_t *id_b,
                   size_t id_len, uint8_t *out)
{
	struct ikev1_bytes sai = {sa->ph1->sai_b, sa->ph1->sai_len}, id = {id_b, id_len};

	return of_initiator ? ikev1_hash_i(k, p1, sai, id, out) : ikev1_hash_r(k, p1, sai, id, out);
}

/* Our KE value and nonce: kept in the SA by the initiator, made here by the responder. */
static int
step_mine(struct ikev1_ike_sa *sa, struct ikev1_p1_step *st)
{
	int err;

	if (sa->initiator) {
		memcpy(st->gx_mine, sa->ph1->gxi, sa->ph1->gx_len);
		memcpy(st->n_mine, sa->ph1->ni, sa->ph1->ni_len);
		st->n_mine_len = sa->ph1->ni_len;
		st->dh = NULL;
		return 0;
	}
	err = ikev1_dh_new(sa->eng, sa->prop.group, &st->dh);
	if (err < 0)
		return err;
	err = dh_public(st->dh, st->gx_mine, st->gx_len);
	if (err < 0)
		return err;
	return ikev1_nonce_new(sa, st->n_mine, &st->n_mine_len);
}

/* The phase 1 view of a step not yet committed (for HASH_R in Aggressive Mode). */
void
ikev1_p1_step_view(const struct ikev1_ike_sa *sa, const struct ikev1_p1_step *st,
                   struct ikev1_phase1 *p1)
{
	p1->hash = ikev1_hash_alg(sa->prop.hash);
	p1->gxy = (struct ikev1_bytes){st->gxy, st->gxy_len};
	p1->gxi = (struct ikev1_bytes){sa->initiator ? st->gx_mine : st->gx_peer, st->gx_len};
	p1->gxr = (struct ikev1_bytes){sa->initiator ? st->gx_peer : st->gx_mine, st->gx_len};
	p1->ni_b = sa->initiator ? (struct ikev1_bytes){st->n_mine, st->n_mine_len}
	                         : (struct ikev1_bytes){st->n_peer, st->n_peer_len};
	p1->nr_b = sa->initiator ? (struct ikev1_bytes){st->n_peer, st->n_peer_len}
	                         : (struct ikev1_bytes){st->n_mine, st->n_mine_len};
	memcpy(p1->cky_i, sa->cky_i, IKEV1_COOKIE_LEN);
	memcpy(p1->cky_r, sa->cky_r, IKEV1_COOKIE_LEN);
}

/* SKEYID by the authentication method (RFC 2409 5): PSK, or signatures. */
static int
step_skeyid(const struct ikev1_ike_sa *sa, const struct ikev1_phase1 *p1, struct ikev1_bytes psk,
            struct ikev1_keys *k)
{
	if (ikev1_auth_is_sig(sa->prop.auth))
		return ikev1_keys_derive_sig(k, p1);
	return ikev1_keys_derive_psk(k, p1, psk);
}

/*
 * The pre-shared key: the remote's own (psk.txt by its peers_identifier or address), else
 * the environment's look-up by the peer's ID (Aggressive Mode: m carries it) or address.
 */
static int
step_psk(const struct ikev1_ike_sa *sa, const struct ikev1_msg *m, uint8_t *key, size_t *len)
{
	const struct ikev1_payload *pl = ikev1_msg_find(m, IKEV1_PL_ID, 0);
	const struct ikev1_env *env = &sa->eng->env;
	struct ikev1_id id = {0};

	if (sa->cfg->psk_len) {
		memcpy(key, sa->cfg->psk, sa->cfg->psk_len);
		*len = sa->cfg->psk_len;
		return 0;
	}
	if (pl && ikev1_id_parse(pl, &id) < 0)
		return -EBADMSG;
	if (!env->psk || env->psk(env->arg, &sa->peer, id.type, pl ? id.data.p : NULL,
				  rd_left(&id.data), key, len) < 0) {
		ikev1_sa_event((struct ikev1_ike_sa *)sa, "no pre-shared key for this peer in psk.txt");
		return -ENOKEY;
	}
	return 0;
}

/*
 * The peer's KE and nonce from m, our own, g^xy and the phase 1 keys, all in st; the SA
 * is not touched (ikev1_p1_step_commit does that). Returns 0, -EBADMSG or -EPROTO.
 */
int
ikev1_p1_step_run(struct ikev1_ike_sa *sa, const struct ikev1_msg *m, struct ikev1_p1_step *st)
{
	const struct dh *dh;
	struct ikev1_phase1 p1;
	struct rd ke, nonce;
	enum ikecipher_alg alg;
	uint8_t psk[IKEV1_PSK_MAX];
	size_t key_len, psk_len = 0;
	int err;

	st->gx_len = dh_public_len((enum dh_group)sa->prop.group);
	st->gxy_len = dh_secret_len((enum dh_group)sa->prop.group);
	if (ikev1_opaque_parse(ikev1_msg_find(m, IKEV1_PL_KE, 0), &ke) < 0 ||
	    ikev1_nonce_parse(ikev1_msg_find(m, IKEV1_PL_NONCE, 0), &nonce) < 0 ||
	    rd_left(&ke) != st->gx_len || !rd_copy(&ke, st->gx_peer, st->gx_len))
		return -EBADMSG;
	st->n_peer_len = rd_left(&nonce);
	rd_copy(&nonce, st->n_peer, st->n_peer_len);
	err = step_mine(sa, st);
	if (err < 0)
		return err;
	dh = st->dh ? st->dh : sa->ph1->dh;
	if (dh == NULL || dh_derive(dh, st->gx_peer, st->gx_len, st->gxy, st->gxy_len) < 0)
		return -EBADMSG;
	ikev1_p1_step_view(sa, st, &p1);
	/* signatures need no pre-shared key (RFC 2409 5: SKEYID from the nonces and g^xy) */
	if (!ikev1_auth_is_sig(sa->prop.auth) && (err = step_psk(sa, m, psk, &psk_len)) < 0)
		return err;
	err = ikev1_p1_cipher(&sa->prop, &alg, &key_len) < 0 ||
	      step_skeyid(sa, &p1, (struct ikev1_bytes){psk, psk_len}, &st->keys) < 0 ||
	      ikev1_keys_enc_key(&st->keys, key_len) < 0 ||
	      ikecipher_new(alg, st->keys.enc_key, key_len, &st->cipher) < 0;
	secmem_wipe(psk, sizeof(psk));
	if (err)
		return -EPROTO;
	st->block_len = ikecipher_block_len(st->cipher);
	if (ikev1_keys_phase1_iv(&st->keys, &p1, st->block_len) < 0)
		return -EPROTO;
	return 0;
}

/* Move everything the step computed into the SA; st keeps no secret afterwards. */
void
ikev1_p1_step_commit(struct ikev1_ike_sa *sa, struct ikev1_p1_step *st)
{
	uint8_t *mine_gx = sa->initiator ? sa->ph1->gxi : sa->ph1->gxr;
	uint8_t *peer_gx = sa->initiator ? sa->ph1->gxr : sa->ph1->gxi;

	memcpy(mine_gx, st->gx_mine, st->gx_len);
	memcpy(peer_gx, st->gx_peer, st->gx_len);
	sa->ph1->gx_len = st->gx_len;
	memcpy(sa->ph1->gxy, st->gxy, st->gxy_len);
	sa->ph1->gxy_len = st->gxy_len;
	if (sa->initiator) {
		memcpy(sa->ph1->nr, st->n_peer, st->n_peer_len);
		sa->ph1->nr_len = st->n_peer_len;
	} else {
		memcpy(sa->ph1->ni, st->n_peer, st->n_peer_len);
		sa->ph1->ni_len = st->n_peer_len;
		memcpy(sa->ph1->nr, st->n_mine, st->n_mine_len);
		sa->ph1->nr_len = st->n_mine_len;
	}
	if (st->dh) {
		dh_free(sa->ph1->dh);
		sa->ph1->dh = st->dh;
		st->dh = NULL;
	}
	ikecipher_free(sa->cipher);
	sa->cipher = st->cipher;
	st->cipher = NULL;
	sa->keys = st->keys;
	sa->block_len = st->block_len;
	memcpy(sa->iv, st->keys.iv, st->block_len);
	ikev1_p1_step_clear(st);
}

void
ikev1_p1_step_clear(struct ikev1_p1_step *st)
{
	dh_free(st->dh);
	ikecipher_free(st->cipher);
	ikev1_keys_clear(&st->keys);
	secmem_wipe(st, sizeof(*st));
}

/*
 * NAT-T vendor IDs (RFC 3947 3.1): the initiator offers RFC 3947 and the draft racoon and
 * old peers know; the responder answers with the one it will speak.
 */
void
ikev1_p1_vids(struct ikev1_out *o, const struct ikev1_ike_sa *sa)
{
	struct rd v;

	ikev1_frag_vid_out(o, sa);
	ikev1_dpd_vid(o, sa);
	if (ikev1_p1_xauth(sa->cfg) && ikev1_vid_bytes(IKEV1_VID_XAUTH, &v))
		ikev1_out_opaque(o, IKEV1_PL_VID, v.p, rd_left(&v));
	if (sa->cfg->natt == IKEV1_NATT_OFF)
		return;
	if (sa->initiator || !sa->natt_draft) {
		if (ikev1_vid_bytes(IKEV1_VID_NATT_RFC3947, &v) && (sa->initiator || sa->natt_peer))
			ikev1_out_opaque(o, IKEV1_PL_VID, v.p, rd_left(&v));
	}
	if (sa->initiator || sa->natt_draft) {
		if (ikev1_vid_bytes(IKEV1_VID_NATT_DRAFT_02N, &v))
			ikev1_out_opaque(o, IKEV1_PL_VID, v.p, rd_left(&v));
	}
}

void
ikev1_p1_vids_seen(struct ikev1_ike_sa *sa, const struct ikev1_msg *m)
{
	bool rfc = false, draft = false;
	const struct ikev1_payload *pl;

	for (size_t i = 0; (pl = ikev1_msg_find(m, IKEV1_PL_VID, i)) != NULL; i++) {
		switch (ikev1_vid_classify(&pl->body)) {
		case IKEV1_VID_NATT_RFC3947:
			rfc = true;
			break;
		case IKEV1_VID_NATT_DRAFT_02:
		case IKEV1_VID_NATT_DRAFT_02N:
		case IKEV1_VID_NATT_DRAFT_03:
			draft = true;
			break;
		case IKEV1_VID_DPD:
			sa->dpd_peer = true;
			break;
		default:
			break;
		}
	}
	if (sa->cfg->natt == IKEV1_NATT_OFF)
		rfc = draft = false;
	sa->natt_peer = rfc || draft;
	sa->natt_draft = !rfc && draft;
	ikev1_frag_vids_seen(sa, m);
}

static int
natd_hash(const struct ikev1_ike_sa *sa, const struct addr *a, uint16_t port, uint8_t *out)
{
	struct ikev1_bytes ip = {a->bytes, addr_len(a)};

	return ikev1_natd_hash(ikev1_hash_alg(sa->prop.hash), sa->cky_i, sa->cky_r, ip, port, out);
}

/*
 * NAT-D (RFC 3947 3.2): first the hash of the peer's address and port as we send to
 * it, then ours. nat_traversal force sends a hash of port 0 for ours, which no peer
 * can match: it claims a NAT, as strongSwan's forceencaps does, so both ends float.
 */
void
ikev1_p1_natd_build(struct ikev1_out *o, const struct ikev1_ike_sa *sa)
{
	uint8_t type = sa->natt_draft ? IKEV1_PL_NATD_DRAFT : IKEV1_PL_NATD;
	uint8_t h[HASH_MAX_LEN];
	size_t len = hash_len(ikev1_hash_alg(sa->prop.hash));
	bool force = sa->cfg->natt == IKEV1_NATT_FORCE;

	if (!sa->natt_peer)
		return;
	if (natd_hash(sa, &sa->peer.remote, sa->peer.rport, h) == 0)
		ikev1_out_opaque(o, type, h, len);
	if (natd_hash(sa, &sa->peer.local, force ? 0 : sa->peer.lport, h) == 0)
		ikev1_out_opaque(o, type, h, len);
}

/*
 * The peer's NAT-D verdict. The first hash is of our address as the peer saw it:
 * different means a NAT in front of us. None of the others equal to the peer's address
 * means a NAT in front of it. Results go to *here / *there for the caller to commit.
 */
int
ikev1_p1_natd_check(const struct ikev1_ike_sa *sa, const struct ikev1_msg *m, bool *here,
                    bool *there)
{
	uint8_t type = sa->natt_draft ? IKEV1_PL_NATD_DRAFT : IKEV1_PL_NATD;
	uint8_t mine[HASH_MAX_LEN], theirs[HASH_MAX_LEN];
	size_t len = hash_len(ikev1_hash_alg(sa->prop.hash));
	const struct ikev1_payload *pl;
	bool match = false;

	*here = *there = false;
	if (!sa->natt_peer || ikev1_msg_find(m, type, 0) == NULL)
		return 0;
	if (ikev1_msg_find(m, type, 1) == NULL)
		return -EBADMSG;
	if (natd_hash(sa, &sa->peer.local, sa->peer.lport, mine) < 0 ||
	    natd_hash(sa, &sa->peer.remote, sa->peer.rport, theirs) < 0)
		return -ENOMEM;
	pl = ikev1_msg_find(m, type, 0);
	*here = rd_left(&pl->body) != len || memcmp(pl->body.p, mine, len) != 0;
	for (size_t i = 1; (pl = ikev1_msg_find(m, type, i)) != NULL; i++)
		match |= rd_left(&pl->body) == len && memcmp(pl->body.p, theirs, len) == 0;
	*there = !match;
	return 0;
}

/* Float to 4500 when a NAT was found or forced (RFC 3947 4): from MM5 / AM3 on. */
void
ikev1_p1_float(struct ikev1_ike_sa *sa)
{
	if (!sa->natt_peer)
		return;
	if (!sa->nat_here && !sa->nat_there && sa->cfg->natt != IKEV1_NATT_FORCE)
		return;
	sa->floated = true;
	sa->peer.lport = IKEV1_NATT_PORT;
	sa->peer.rport = IKEV1_NATT_PORT;
}

/* Phase 1 is up: INITIAL-CONTACT (authenticated, in its own Informational), then QM. */
int
ikev1_p1_established(struct ikev1_ike_sa *sa)
{
	uint8_t cookies[2 * IKEV1_COOKIE_LEN];
	struct ikev1_notify n = {.doi = IKEV1_DOI_IPSEC,
	                         .protocol = IKEV1_PROTO_ISAKMP,
	                         .type = IKEV1_N_INITIAL_CONTACT};
	bool others;
	int err = 0;

	sa->state = ST_P1_DONE;
	sa->x.awaiting = false;
	ikev1_p1_data_free(sa);
	ikev1_sa_event(sa, "ISAKMP SA established (%s%s)",
	               sa->exchange == IKEV1_EXCH_MAIN ? "main mode" : "aggressive mode",
	               sa->floated ? ", NAT-T" : "");
	if (sa->prop.lifetime_sec) {
		uint64_t now = sa->eng->env.now_ms(sa->eng->env.arg), life = sa->prop.lifetime_sec;

		sa->p1_hard_ms = now + life * 1000;
		sa->p1_soft_ms = now + ikev1_soft_of(sa->eng, life * 1000, sa->initiator);
	}
	/* a renewal is no first contact: INITIAL-CONTACT would make the peer drop the rest */
	others = ikev1_p1_replace_done(sa);
	/* a remote access client reports once logged in and configured (x_txn_client.c) */
	if (!sa->initiator || (!ikev1_txn_xauth(sa) && !sa->cfg->modecfg_client))
		ikev1_sa_report(sa, IKEV1_PHASE1_UP);
	ikev1_dpd_start(sa);
	ikev1_sa_arm(sa);
	if (!sa->initiator)
		return ikev1_txn_established(sa);
	if (sa->cfg->initial_contact && !others) {
		memcpy(cookies, sa->cky_i, IKEV1_COOKIE_LEN);
		memcpy(cookies + IKEV1_COOKIE_LEN, sa->cky_r, IKEV1_COOKIE_LEN);
		n.spi = rd_init(cookies, sizeof(cookies));
		ikev1_info_send(sa, &n, NULL);
	}
	if (ikev1_txn_xauth(sa) || sa->cfg->modecfg_client) {
		/* Quick Mode waits for the login and the address (x_txn_client.c) */
		ikev1_txn_client_established(sa);
		return 0;
	}
	/*
	 * AM3 is the last message of Aggressive Mode and nothing acknowledges it: a Quick
	 * Mode right behind it can reach a responder still working on it (charon, with a
	 * certificate to check, ignores it and our retransmission comes 10 s later). Give
	 * the responder a moment; in Main Mode its MM6 says it is done.
	 */
	if (sa->have_req && sa->exchange == IKEV1_EXCH_AGGRESSIVE && sa->cfg->aggr_qm_delay_ms) {
		sa->qm_start_ms = sa->eng->env.now_ms(sa->eng->env.arg) + sa->cfg->aggr_qm_delay_ms;
		ikev1_sa_arm(sa);
	} else if (sa->have_req) {
		sa->have_req = false;
		err = ikev1_quick_start(sa, &sa->req);
	}
	return err;
}

int
ikev1_p1_responder_new(struct ikev1_rx *rx, const struct ikev1_payload *sa_pl,
                       uint8_t exchange, struct ikev1_choice *choice,
                       struct ikev1_ike_sa **out)
{
	struct ikev1_p1_prop prop;
	struct ikev1_ike_sa *sa;
	int err = ikev1_p1_sa_select(rx->cfg, sa_pl, true, &prop, choice);

	if (err == -ENOENT)
		ikev1_notify_plain(rx->e, &rx->peer, &rx->msg.hdr, IKEV1_N_NO_PROPOSAL_CHOSEN);
	if (err < 0)
		return err;
	if ((err = ikev1_sa_new(rx->e, &rx->peer, rx->cfg, false, &sa)) < 0)
		return err;
	sa->exchange = exchange;
	sa->prop = prop;
	memcpy(sa->cky_i, rx->msg.hdr.cookie_i, IKEV1_COOKIE_LEN);
	if ((err = ikev1_random(rx->e, sa->cky_r, IKEV1_COOKIE_LEN)) < 0) {
		ikev1_sa_free(rx->e, sa);
		return err;
	}
	*out = sa;
	return 0;
}

void
ikev1_p1_keep_peer_id(struct ikev1_ike_sa *sa, const struct ikev1_msg *m)
{
	const struct ikev1_payload *id = ikev1_msg_find(m, IKEV1_PL_ID, 0);

	if (id == NULL || rd_left(&id->body) > sizeof(sa->idr_b))
		return;
	memcpy(sa->idr_b, id->body.p, rd_left(&id->body));
	sa->idr_len = rd_left(&id->body);
}
