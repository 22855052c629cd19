/*
 * The remote access client's side of the Transaction exchange (flows in x_txn.c): answer
 * the gateway's Xauth REQUEST with the login env->xauth_login gives, acknowledge its
 * SET(XAUTH_STATUS), then (mode_cfg on) ask for the configuration, hand it to
 * env->modecfg_apply and run Quick Mode from the address received: the pending request
 * (its source replaced), else one per split network, else for everything (0.0.0.0/0).
 * A configuration the gateway pushes with SET is acknowledged and applied the same way.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ike/v1/engine_int.h"
#include "lib/secmem.h"

/* Our mode config REQUEST (pull) in an exchange of ours. */
static int
client_cfg_request(struct ikev1_ike_sa *sa)
{
	uint8_t buf[IKEV1_MSG_MAX];
	struct ikev1_out o;
	struct ikev1_qm *qm;
	int err;

	if ((err = ikev1_txn_new(sa, &qm)) < 0)
		return err;
	ikev1_txn_begin(sa, qm, &o, buf, sizeof(buf), IKEV1_CFG_REQUEST, (uint16_t)qm->mid);
	ikev1_modecfg_request(&o);
	ikev1_txn_commit(sa, qm);
	sa->ra = RA_CLIENT_CFG;
	return ikev1_txn_send(sa, qm, &o, buf, sizeof(buf), NULL, true);
}

static int
client_quick_to(struct ikev1_ike_sa *sa, const struct prefix *dst)
{
	struct ikev1_child_req req = {.proto = IPSEC_PROTO_ESP, .mode = IPSEC_MODE_TUNNEL};

	req.sel.src = (struct prefix){sa->vaddr4, 32};
	req.sel.dst = *dst;
	req.sel.proto = IPSEC_ULP_ANY;
	return ikev1_quick_start(sa, &req);
}

/* The login and the configuration are through: Quick Mode. */
static int
client_open(struct ikev1_ike_sa *sa, const struct ikev1_modecfg *mc)
{
	struct prefix all = {.addr = {.family = AF_INET}, .len = 0};
	int err = 0;

	sa->ra = RA_OPEN;
	sa->ra_at = 0;
	ikev1_sa_report(sa, IKEV1_PHASE1_UP);
	if (sa->have_req) {
		sa->have_req = false;
		if (sa->vaddr4.family)
			sa->req.sel.src = (struct prefix){sa->vaddr4, 32};
		return ikev1_quick_start(sa, &sa->req);
	}
	if (mc == NULL || sa->vaddr4.family == 0)
		return 0;
	if (mc->split != IKEV1_SPLIT_INCLUDE || mc->n_split_net == 0)
		return client_quick_to(sa, &all);
	/* one slot stays free for Informationals and the gateway's exchanges */
	for (size_t i = 0; i < mc->n_split_net && i < IKEV1_QM_MAX - 1 && err == 0; i++)
		err = client_quick_to(sa, &mc->split_net[i]);
	return err;
}

/* The configuration received: applied through the daemon, then Quick Mode. */
static int
client_apply(struct ikev1_ike_sa *sa, const struct ikev1_modecfg *mc)
{
	const struct ikev1_env *env = &sa->eng->env;
	char a[ADDR_STRLEN];
	int err;

	if (mc->addr4.family == 0) {
		ikev1_sa_event(sa, "mode config: the gateway assigned no address");
		return -EPROTO;
	}
	err = env->modecfg_apply ? env->modecfg_apply(env->arg, &sa->peer, mc) : -ENOTSUP;
	if (err < 0) {
		ikev1_sa_event(sa, "mode config: applying the configuration failed: %s",
		               strerror(-err));
		return err;
	}
	sa->vaddr4 = mc->addr4;
	ikev1_sa_event(sa, "mode config: bound to address %s", addr_ntop(&mc->addr4, a, sizeof(a)));
	return client_open(sa, mc);
}

void
ikev1_txn_client_established(struct ikev1_ike_sa *sa)
{
	if (ikev1_txn_xauth(sa)) {
		/* the gateway leads the login; a gateway that never finishes it must not keep
		 * the SA (and the vc waiting) forever */
		sa->ra = RA_CLIENT_LOGIN;
		sa->ra_at = sa->eng->env.now_ms(sa->eng->env.arg) + ikev1_retry_window_ms(sa->cfg);
		ikev1_sa_arm(sa);
		ikev1_sa_event(sa, "Xauth: waiting for the gateway's login request");
	} else if (client_cfg_request(sa) < 0) {
		ikev1_sa_event(sa, "mode config: cannot send the request");
	}
}

/* The gateway's REQUEST(USER_NAME, PASSWORD): REPLY under its M-ID and identifier. */
static int
client_login(struct ikev1_rx *rx, const struct ikev1_cfg *c, struct ikev1_qm *slot)
{
	struct ikev1_ike_sa *sa = rx->sa;
	const struct ikev1_env *env = &sa->eng->env;
	char user[IKEV1_XAUTH_USER_MAX + 1], pass[IKEV1_XAUTH_PASS_MAX + 1];
	uint8_t buf[IKEV1_MSG_MAX];
	struct ikev1_out o;
	int err;

	if (env->xauth_login == NULL ||
	    env->xauth_login(env->arg, &sa->peer, user, sizeof(user), pass, sizeof(pass)) < 0) {
		ikev1_sa_event(sa, "Xauth: the gateway asks for a login, but none is configured "
		                   "(xauth_login, or coatictl vc -u USER)");
		return -ENOENT;
	}
	ikev1_txn_begin(sa, slot, &o, buf, sizeof(buf), IKEV1_CFG_REPLY, c->identifier);
	ikev1_out_attr_tlv(&o, IKEV1_CFG_XAUTH_USER_NAME, user, strnlen(user, sizeof(user) - 1));
	ikev1_out_attr_tlv(&o, IKEV1_CFG_XAUTH_USER_PASSWORD, pass,
	                   strnlen(pass, sizeof(pass) - 1));
	secmem_wipe(pass, sizeof(pass));
	ikev1_sa_event(sa, "Xauth: logging in as %s", user);
	err = ikev1_txn_send(sa, slot, &o, buf, sizeof(buf), rx->digest, false);
	secmem_wipe(buf, sizeof(buf));
	return err;
}

/* XAUTH_STATUS of a SET, -1 when the SET carries none. */
static int
client_status(const struct ikev1_cfg *c)
{
	struct ikev1_attr a[IKEV1_ATTRS_MAX];
	uint64_t v;
	size_t n;

	if (ikev1_attrs_parse(&c->attrs, a, IKEV1_ATTRS_MAX, &n) < 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (a[i].type == IKEV1_CFG_XAUTH_STATUS && ikev1_attr_uint(&a[i], &v))
			return v == 1;
	return -1;
}

/* ACK a SET: the status echoed for Xauth, the attribute types (empty) for a push. */
static int
client_ack(struct ikev1_rx *rx, const struct ikev1_cfg *c, struct ikev1_qm *slot, int status)
{
	struct ikev1_attr a[IKEV1_ATTRS_MAX];
	uint8_t buf[IKEV1_MSG_MAX];
	struct ikev1_out o;
	size_t n = 0;

	ikev1_txn_begin(rx->sa, slot, &o, buf, sizeof(buf), IKEV1_CFG_ACK, c->identifier);
	if (status >= 0)
		ikev1_out_attr_tv(&o, IKEV1_CFG_XAUTH_STATUS, (uint16_t)status);
	else if (ikev1_attrs_parse(&c->attrs, a, IKEV1_ATTRS_MAX, &n) == 0)
		for (size_t i = 0; i < n; i++)
			ikev1_out_attr_tlv(&o, a[i].type, "", 0);
	return ikev1_txn_send(rx->sa, slot, &o, buf, sizeof(buf), rx->digest, false);
}

/* After the gateway's SET(XAUTH_STATUS) was acknowledged: go on, or go. */
static int
client_after_status(struct ikev1_rx *rx, int status)
{
	struct ikev1_ike_sa *sa = rx->sa;

	if (status == 0) {
		ikev1_sa_event(sa, "Xauth: the gateway refused the login");
		ikev1_delete(sa->eng, sa);
		rx->sa = NULL;
		return 0;
	}
	ikev1_sa_event(sa, "Xauth: login accepted");
	if (sa->cfg->modecfg_client)
		return client_cfg_request(sa);
	return client_open(sa, NULL);
}

bool
ikev1_txn_client_timer(struct ikev1_ike_sa *sa)
{
	sa->ra_at = 0;
	if (sa->ra != RA_CLIENT_LOGIN)
		return true;
	ikev1_sa_event(sa, "Xauth: the gateway did not complete the login in time");
	ikev1_delete(sa->eng, sa);
	return false;
}

int
ikev1_txn_client_r1(struct ikev1_rx *rx, const struct ikev1_cfg *c)
{
	struct ikev1_ike_sa *sa = rx->sa;
	struct ikev1_qm *slot = ikev1_qm_alloc(sa);
	struct ikev1_modecfg mc;
	int status = -1, err;
	bool expected = false;

	if (slot == NULL)
		return -ENOSPC;
	if (c->type == IKEV1_CFG_SET)
		status = client_status(c);
	if (c->type == IKEV1_CFG_REQUEST || (c->type == IKEV1_CFG_SET && status >= 0))
		expected = sa->ra == RA_CLIENT_LOGIN; /* Xauth */
	else if (c->type == IKEV1_CFG_SET)
		expected = sa->cfg->modecfg_client && sa->vaddr4.family == 0; /* a push */
	if (!expected) {
		ikev1_sa_event(sa, "transaction %08x: unexpected %s", rx->msg.hdr.msgid,
		               ikev1_cfg_type_name(c->type));
		return -EPROTO;
	}
	/* a pushed configuration must parse before anything is answered */
	if (c->type == IKEV1_CFG_SET && status < 0 && ikev1_modecfg_parse(&c->attrs, &mc) < 0)
		return -EBADMSG;
	memset(slot, 0, sizeof(*slot));
	slot->mid = rx->msg.hdr.msgid;
	memcpy(slot->iv, rx->iv_next, sa->block_len);
	err = c->type == IKEV1_CFG_REQUEST ? client_login(rx, c, slot)
	                                   : client_ack(rx, c, slot, status);
	if (err < 0 && !slot->x.msg) {
		ikev1_qm_release(slot);
		return err;
	}
	slot->used = true;
	slot->state = ST_QM_DONE; /* kept to answer a retransmitted request */
	ikev1_mid_remember(sa, slot->mid);
	if (c->type == IKEV1_CFG_SET && status >= 0)
		return client_after_status(rx, status);
	if (c->type == IKEV1_CFG_SET && status < 0) {
		/* pushed while our own request is out: that one is answered by this */
		for (size_t i = 0; i < IKEV1_QM_MAX; i++)
			if (sa->qm[i] && sa->qm[i]->used && sa->qm[i]->state == ST_TX_I1)
				ikev1_qm_release(sa->qm[i]);
	}
	if (c->type == IKEV1_CFG_SET && client_apply(sa, &mc) < 0) {
		ikev1_delete(sa->eng, sa);
		rx->sa = NULL;
	}
	return 0;
}

int
ikev1_txn_client_i2(struct ikev1_rx *rx, const struct ikev1_cfg *c)
{
	struct ikev1_ike_sa *sa = rx->sa;
	struct ikev1_modecfg mc;

	if (sa->ra != RA_CLIENT_CFG || c->type != IKEV1_CFG_REPLY)
		return -EPROTO;
	if (ikev1_modecfg_parse(&c->attrs, &mc) < 0) {
		ikev1_sa_event(sa, "mode config: malformed reply");
		return -EBADMSG;
	}
	ikev1_qm_release(rx->qm);
	rx->qm = NULL;
	if (client_apply(sa, &mc) < 0) {
		ikev1_delete(sa->eng, sa);
		rx->sa = NULL;
	}
	return 0;
}
