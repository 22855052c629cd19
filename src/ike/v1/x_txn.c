/*
 * The Transaction exchange (ISAKMP exchange type 6) of a remote access gateway: Xauth
 * (draft-beaulieu-ike-xauth-02) and mode config (draft-dukes-ike-mode-cfg-02, with the
 * Cisco Unity attributes racoon sends). Every message is HDR*, HASH, ATTR with
 * HASH = prf(SKEYID_a, M-ID | ATTR) in both directions (mode-cfg 3.2, the same form as
 * an Informational's HASH(1)), its own M-ID and a CBC chain seeded like Quick Mode's.
 *
 *   Gateway (phase 1 responder)                 Client (phase 1 initiator)
 *   REQUEST(XAUTH_TYPE, USER_NAME, PASSWORD) -->
 *                                            <-- REPLY(USER_NAME, PASSWORD)
 *   SET(XAUTH_STATUS)                        -->               (a new M-ID)
 *                                            <-- ACK(XAUTH_STATUS)
 *                                            <-- REQUEST(INTERNAL_IP4_ADDRESS, ...)
 *   REPLY(INTERNAL_IP4_ADDRESS, ...)         -->
 *
 * Xauth is asked for whenever the chosen phase 1 method is an Xauth one with the
 * initiator as client (XAUTHInitPreShared; the hybrid methods plug in at
 * ikev1_txn_xauth), so nothing here depends on how phase 1 authenticated. Quick Mode
 * is refused until the login was acknowledged, and then only for the address leased.
 * The client's side of the same flows is x_txn_client.c.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ike/v1/engine_int.h"
#include "lib/secmem.h"

bool
ikev1_txn_xauth(const struct ikev1_ike_sa *sa)
{
	/* the hybrid methods (HYBRID_INIT_RSA/DSS) and XAUTH_INIT_RSA belong here too */
	return sa->prop.auth == IKEV1_AUTH_XAUTH_INIT_PSK;
}

/* HDR*, HASH (placeholder), then the ATTR payload opened with type and identifier
 * (ours: the M-ID's low bits; an answer echoes the peer's). */
void
ikev1_txn_begin(struct ikev1_ike_sa *sa, const struct ikev1_qm *qm, struct ikev1_out *o,
                uint8_t *buf, size_t cap, uint8_t type, uint16_t identifier)
{
	uint8_t zero[PRF_MAX_LEN] = {0};
	struct ikev1_hdr h;

	ikev1_hdr_for(sa, IKEV1_EXCH_TRANSACTION, qm->mid, &h);
	ikev1_out_init(o, buf, cap, &h);
	ikev1_out_opaque(o, IKEV1_PL_HASH, zero, sa->keys.prf_len);
	ikev1_out_cfg_begin(o, type, identifier);
}

/* Close the ATTR payload, fill HASH, seal with qm's chain and send (kept for resends). */
int
ikev1_txn_send(struct ikev1_ike_sa *sa, struct ikev1_qm *qm, struct ikev1_out *o, uint8_t *buf,
               size_t cap, const uint8_t *rx_digest, bool awaiting)
{
	size_t len;
	int n, err;

	ikev1_out_end(o);
	n = ikev1_out_finish(o);
	if (n < 0)
		return n;
	if ((err = ikev1_hash_fill(sa, buf, (size_t)n, qm->mid, NULL, false)) < 0 ||
	    (err = ikev1_crypt_seal(sa->cipher, buf, (size_t)n, cap, qm->iv, &len)) < 0)
		return err;
	return ikev1_xmit_send(sa, &qm->x, buf, len, rx_digest, awaiting);
}

/* A slot for an exchange of ours: a fresh M-ID never used on this SA, and its IV. */
int
ikev1_txn_new(struct ikev1_ike_sa *sa, struct ikev1_qm **out)
{
	struct ikev1_qm *qm = ikev1_qm_alloc(sa);
	struct ikev1_bytes last = {sa->iv, sa->block_len};
	uint8_t mb[4];
	int err;

	if (qm == NULL)
		return -ENOSPC;
	memset(qm, 0, sizeof(*qm));
	do {
		if ((err = ikev1_random(sa->eng, mb, sizeof(mb))) < 0)
			return err;
		qm->mid = be32_get(mb);
	} while (qm->mid == 0 || ikev1_qm_find(sa, qm->mid) || ikev1_mid_seen(sa, qm->mid));
	if ((err = ikev1_phase2_iv(&sa->keys, last, qm->mid, qm->iv)) < 0)
		return err;
	qm->initiator = true;
	*out = qm;
	return 0;
}

/* The slot is in use from here: its M-ID is burnt and the timer retransmits. */
void
ikev1_txn_commit(struct ikev1_ike_sa *sa, struct ikev1_qm *qm)
{
	qm->used = true;
	qm->state = ST_TX_I1;
	ikev1_mid_remember(sa, qm->mid);
}

int
ikev1_txn_established(struct ikev1_ike_sa *sa)
{
	uint8_t buf[IKEV1_MSG_MAX];
	struct ikev1_out o;
	struct ikev1_qm *qm;
	int err;

	if (sa->initiator || !ikev1_txn_xauth(sa))
		return 0;
	if ((err = ikev1_txn_new(sa, &qm)) < 0)
		return err;
	ikev1_txn_begin(sa, qm, &o, buf, sizeof(buf), IKEV1_CFG_REQUEST, (uint16_t)qm->mid);
	ikev1_out_attr_tv(&o, IKEV1_CFG_XAUTH_TYPE, IKEV1_XAUTH_GENERIC);
	ikev1_out_attr_tlv(&o, IKEV1_CFG_XAUTH_USER_NAME, "", 0);
	ikev1_out_attr_tlv(&o, IKEV1_CFG_XAUTH_USER_PASSWORD, "", 0);
	ikev1_txn_commit(sa, qm);
	sa->ra = RA_ASKED;
	ikev1_sa_event(sa, "Xauth: asking for a login");
	return ikev1_txn_send(sa, qm, &o, buf, sizeof(buf), NULL, true);
}

/* HASH checked, then the ATTR payload (exactly one, after HASH). */
int
ikev1_txn_verify(struct ikev1_rx *rx, struct ikev1_cfg *c)
{
	struct ikev1_ike_sa *sa = rx->sa;
	struct ikev1_bytes rest, got;
	uint8_t want[PRF_MAX_LEN];
	int err;

	if ((err = ikev1_rest_after_hash(rx, &rest, &got)) < 0 ||
	    (err = ikev1_hash_mid(&sa->keys, rx->msg.hdr.msgid, rest, want)) < 0)
		return err;
	if (!ikev1_hash_verify(want, sa->keys.prf_len, got)) {
		ikev1_sa_event(sa, "transaction %08x: HASH mismatch", rx->msg.hdr.msgid);
		return -EACCES;
	}
	if (ikev1_msg_find(&rx->msg, IKEV1_PL_ATTR, 1) ||
	    ikev1_cfg_parse(ikev1_msg_find(&rx->msg, IKEV1_PL_ATTR, 0), c) < 0)
		return -EBADMSG;
	return 0;
}

/* A user name we can log: printable ASCII only. */
static bool
txn_user_ok(const char *u)
{
	if (*u == 0)
		return false;
	for (; *u; u++)
		if (*u < 0x21 || *u > 0x7e)
			return false;
	return true;
}

/* The REPLY's login checked through env->xauth_check; user filled when it was taken. */
static bool
txn_login(struct ikev1_ike_sa *sa, const struct ikev1_cfg *c, char *user)
{
	struct ikev1_attr a[IKEV1_ATTRS_MAX];
	char pass[IKEV1_XAUTH_PASS_MAX + 1];
	bool have_user = false, have_pass = false, ok = false;
	size_t n;

	user[0] = 0;
	if (ikev1_attrs_parse(&c->attrs, a, IKEV1_ATTRS_MAX, &n) < 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (a[i].type == IKEV1_CFG_XAUTH_USER_NAME)
			have_user = ikev1_attr_text(&a[i], user, IKEV1_XAUTH_USER_MAX + 1);
		else if (a[i].type == IKEV1_CFG_XAUTH_USER_PASSWORD)
			have_pass = ikev1_attr_text(&a[i], pass, sizeof(pass));
	}
	if (!have_user || !txn_user_ok(user)) {
		user[0] = 0;
		ikev1_sa_event(sa, "Xauth: reply without a usable user name");
	} else if (!have_pass) {
		ikev1_sa_event(sa, "Xauth: reply for user %s without a password", user);
	} else if (sa->eng->env.xauth_check == NULL ||
	           sa->eng->env.xauth_check(sa->eng->env.arg, &sa->peer, user, pass) < 0) {
		ikev1_sa_event(sa, "Xauth: login of user %s refused", user);
	} else {
		ok = true;
	}
	secmem_wipe(pass, sizeof(pass));
	return ok;
}

/* REPLY to our REQUEST: check the login, answer SET(XAUTH_STATUS) in a new exchange. */
static int
txn_xauth_reply(struct ikev1_rx *rx, const struct ikev1_cfg *c)
{
	struct ikev1_ike_sa *sa = rx->sa;
	char user[IKEV1_XAUTH_USER_MAX + 1];
	uint8_t buf[IKEV1_MSG_MAX];
	struct ikev1_out o;
	struct ikev1_qm *qm;
	bool ok;
	int err;

	if (c->type != IKEV1_CFG_REPLY)
		return -EPROTO;
	ok = txn_login(sa, c, user);
	ikev1_qm_release(rx->qm);
	rx->qm = NULL;
	if ((err = ikev1_txn_new(sa, &qm)) < 0)
		return err;
	ikev1_txn_begin(sa, qm, &o, buf, sizeof(buf), IKEV1_CFG_SET, (uint16_t)qm->mid);
	ikev1_out_attr_tv(&o, IKEV1_CFG_XAUTH_STATUS, ok ? 1 : 0);
	ikev1_txn_commit(sa, qm);
	sa->ra = ok ? RA_STATUS_OK : RA_STATUS_FAIL;
	if (ok) {
		memcpy(sa->xauth_user, user, sizeof(sa->xauth_user));
		ikev1_sa_event(sa, "Xauth: user %s logged in", user);
	}
	return ikev1_txn_send(sa, qm, &o, buf, sizeof(buf), NULL, true);
}

static int txn_lease(struct ikev1_ike_sa *sa, struct ikev1_modecfg *mc);

/* The configuration in a SET of ours (mode config push); the client ACKs it. */
static int
txn_push(struct ikev1_ike_sa *sa)
{
	static struct ikev1_modecfg mc; /* large; the engine runs on one thread */
	uint8_t buf[IKEV1_MSG_MAX];
	struct ikev1_out o;
	struct ikev1_qm *qm;
	char text[ADDR_STRLEN];
	int err;

	if ((err = txn_lease(sa, &mc)) < 0 || (err = ikev1_txn_new(sa, &qm)) < 0)
		return err;
	ikev1_txn_begin(sa, qm, &o, buf, sizeof(buf), IKEV1_CFG_SET, (uint16_t)qm->mid);
	ikev1_modecfg_out_all(&o, &mc);
	ikev1_txn_commit(sa, qm);
	sa->ra = RA_PUSHED;
	if (mc.addr4.family)
		ikev1_sa_event(sa, "mode config: address %s pushed to %s",
		               addr_ntop(&mc.addr4, text, sizeof(text)),
		               sa->xauth_user[0] ? sa->xauth_user : "the peer");
	return ikev1_txn_send(sa, qm, &o, buf, sizeof(buf), NULL, true);
}

/* ACK of our SET: the login is through, or the SA goes (announced with a Delete). */
static int
txn_xauth_ack(struct ikev1_rx *rx, const struct ikev1_cfg *c)
{
	struct ikev1_ike_sa *sa = rx->sa;

	if (c->type != IKEV1_CFG_ACK)
		return -EPROTO;
	ikev1_qm_release(rx->qm);
	rx->qm = NULL;
	if (sa->ra == RA_STATUS_FAIL) {
		ikev1_sa_event(sa, "Xauth: failed, deleting the ISAKMP SA");
		ikev1_delete(sa->eng, sa);
		rx->sa = NULL;
		return 0;
	}
	sa->ra = RA_OPEN;
	/* racoon's "mode_cfg on" on the gateway: push the configuration (SET) */
	if (sa->cfg->modecfg_server && sa->cfg->modecfg_client && txn_push(sa) < 0) {
		ikev1_sa_event(sa, "mode config: push failed, deleting the ISAKMP SA");
		ikev1_delete(sa->eng, sa);
		rx->sa = NULL;
	}
	return 0;
}

int
ikev1_txn_i2(struct ikev1_rx *rx)
{
	struct ikev1_cfg c;
	int err;

	if ((err = ikev1_txn_verify(rx, &c)) < 0)
		return err;
	if (rx->sa->initiator)
		return ikev1_txn_client_i2(rx, &c);
	switch (rx->sa->ra) {
	case RA_ASKED:
		err = txn_xauth_reply(rx, &c);
		break;
	case RA_STATUS_OK:
	case RA_STATUS_FAIL:
		err = txn_xauth_ack(rx, &c);
		break;
	case RA_PUSHED:
		if (c.type != IKEV1_CFG_ACK) {
			err = -EPROTO;
			break;
		}
		ikev1_qm_release(rx->qm);
		rx->qm = NULL;
		rx->sa->ra = RA_OPEN;
		err = 0;
		break;
	default:
		err = -EPROTO;
		break;
	}
	/* the decrypted body held the password */
	secmem_wipe(rx->plain, sizeof(rx->plain));
	return err;
}

/*
 * The configuration for this SA: a lease taken again gives the same address back
 * (the pool keeps it per user), so a repeated REQUEST does not burn a second one.
 */
static int
txn_lease(struct ikev1_ike_sa *sa, struct ikev1_modecfg *mc)
{
	const struct ikev1_env *env = &sa->eng->env;
	int err;

	if (env->modecfg_lease == NULL)
		return -ENOENT;
	ikev1_txn_release(sa);
	memset(mc, 0, sizeof(*mc));
	err =
	    env->modecfg_lease(env->arg, &sa->peer, sa->xauth_user[0] ? sa->xauth_user : NULL, mc);
	if (err < 0) {
		ikev1_sa_event(sa, "mode config: no configuration for this client (%s)",
		               strerror(-err));
		return err;
	}
	sa->vaddr4 = mc->addr4;
	return 0;
}

/* The peer's mode config REQUEST (pull): REPLY with what it asked for, same M-ID. */
int
ikev1_txn_r1(struct ikev1_rx *rx)
{
	struct ikev1_ike_sa *sa = rx->sa;
	struct ikev1_attr a[IKEV1_ATTRS_MAX];
	struct ikev1_qm *slot = ikev1_qm_alloc(sa);
	static struct ikev1_modecfg mc; /* large; the engine runs on one thread */
	uint8_t buf[IKEV1_MSG_MAX];
	struct ikev1_out o;
	struct ikev1_cfg c;
	char text[ADDR_STRLEN];
	size_t n;
	int err;

	if ((err = ikev1_txn_verify(rx, &c)) < 0)
		return err;
	if (sa->initiator)
		return ikev1_txn_client_r1(rx, &c);
	if (c.type != IKEV1_CFG_REQUEST || !sa->cfg->modecfg_server || sa->ra != RA_OPEN) {
		ikev1_sa_event(sa, "transaction %08x: %s %s", rx->msg.hdr.msgid,
		               ikev1_cfg_type_name(c.type),
		               sa->ra == RA_PUSHED ? "while our push is out: ignored"
		               : sa->ra != RA_OPEN ? "before the Xauth login: refused"
		                                   : "not served here");
		return -EPROTO;
	}
	if (slot == NULL)
		return -ENOSPC;
	if (ikev1_attrs_parse(&c.attrs, a, IKEV1_ATTRS_MAX, &n) < 0)
		return -EBADMSG;
	if ((err = txn_lease(sa, &mc)) < 0)
		return err;
	memset(slot, 0, sizeof(*slot));
	slot->mid = rx->msg.hdr.msgid;
	memcpy(slot->iv, rx->iv_next, sa->block_len);
	ikev1_txn_begin(sa, slot, &o, buf, sizeof(buf), IKEV1_CFG_REPLY, c.identifier);
	for (size_t i = 0; i < n; i++)
		ikev1_modecfg_out(&o, a[i].type, &mc);
	slot->used = true;
	slot->state = ST_QM_DONE; /* kept only to answer a retransmitted REQUEST */
	ikev1_mid_remember(sa, slot->mid);
	if (mc.addr4.family)
		ikev1_sa_event(sa, "mode config: address %s for %s",
		               addr_ntop(&mc.addr4, text, sizeof(text)),
		               sa->xauth_user[0] ? sa->xauth_user : "the peer");
	return ikev1_txn_send(sa, slot, &o, buf, sizeof(buf), rx->digest, false);
}

bool
ikev1_txn_qm_allowed(const struct ikev1_ike_sa *sa, const struct ipsec_selector *sel)
{
	if (sa->ra != RA_OPEN)
		return false;
	/* a client with a mode config address speaks from it alone: the peer's side of the
	 * selector on the gateway, our own on the client (the gateway renewing a pair) */
	const struct prefix *client = sa->initiator ? &sel->src : &sel->dst;

	if (sa->vaddr4.family == 0)
		return true;
	return client->len == 32 && addr_eq(&client->addr, &sa->vaddr4);
}

void
ikev1_txn_release(struct ikev1_ike_sa *sa)
{
	const struct ikev1_env *env = &sa->eng->env;

	if (sa->vaddr4.family && env->modecfg_release)
		env->modecfg_release(env->arg, &sa->peer, &sa->vaddr4);
	memset(&sa->vaddr4, 0, sizeof(sa->vaddr4));
}
