/*
 * Informational exchanges (RFC 2408 4.8, RFC 2409 5.7): Delete payloads for child SAs
 * and the ISAKMP SA, INITIAL-CONTACT (RFC 2407 4.6.3.3) and error notifications.
 * Only a message whose HASH(1) verified under an established ISAKMP SA acts on
 * anything; unprotected notifications are logged and nothing more, since anyone on the
 * path can forge them.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ike/v1/engine_int.h"

int
ikev1_info_send(struct ikev1_ike_sa *sa, const struct ikev1_notify *n, const struct ikev1_delete *d)
{
	uint8_t buf[IKEV1_MSG_MAX], zero[PRF_MAX_LEN] = {0}, mb[4], iv[IKECIPHER_BLOCK_MAX];
	struct ikev1_bytes last = {sa->iv, sa->block_len};
	struct ikev1_out o;
	struct ikev1_hdr h;
	uint32_t mid;
	size_t len;
	int n_len, err;

	do {
		if ((err = ikev1_random(sa->eng, mb, sizeof(mb))) < 0)
			return err;
		mid = be32_get(mb);
	} while (mid == 0);
	if ((err = ikev1_phase2_iv(&sa->keys, last, mid, iv)) < 0)
		return err;
	ikev1_hdr_for(sa, IKEV1_EXCH_INFO, mid, &h);
	ikev1_out_init(&o, buf, sizeof(buf), &h);
	ikev1_out_opaque(&o, IKEV1_PL_HASH, zero, sa->keys.prf_len);
	if (n)
		ikev1_out_notify(&o, n);
	if (d)
		ikev1_out_delete(&o, d);
	n_len = ikev1_out_finish(&o);
	if (n_len < 0)
		return n_len;
	if ((err = ikev1_hash_fill(sa, buf, (size_t)n_len, mid, NULL, false)) < 0 ||
	    (err = ikev1_crypt_seal(sa->cipher, buf, (size_t)n_len, sizeof(buf), iv, &len)) < 0)
		return err;
	return ikev1_send(sa, buf, len);
}

/* An error before any key exists (RFC 2408 4.8): HDR, N with the cookies as SPI. */
int
ikev1_notify_plain(struct ikev1_engine *e, const struct ikev1_peer *p, const struct ikev1_hdr *rh,
                   uint16_t type)
{
	uint8_t buf[256], spi[2 * IKEV1_COOKIE_LEN];
	struct ikev1_notify n = {
	    .doi = IKEV1_DOI_IPSEC, .protocol = IKEV1_PROTO_ISAKMP, .type = type};
	struct ikev1_out o;
	struct ikev1_hdr h = {0};
	int len;

	memcpy(h.cookie_i, rh->cookie_i, IKEV1_COOKIE_LEN);
	memcpy(h.cookie_r, rh->cookie_r, IKEV1_COOKIE_LEN);
	memcpy(spi, rh->cookie_i, IKEV1_COOKIE_LEN);
	memcpy(spi + IKEV1_COOKIE_LEN, rh->cookie_r, IKEV1_COOKIE_LEN);
	h.version = IKEV1_VERSION;
	h.exchange = IKEV1_EXCH_INFO;
	n.spi = rd_init(spi, sizeof(spi));
	ikev1_out_init(&o, buf, sizeof(buf), &h);
	ikev1_out_notify(&o, &n);
	len = ikev1_out_finish(&o);
	if (len < 0)
		return len;
	return e->env.send(e->env.arg, p, buf, (size_t)len);
}

/*
 * Remove the child whose outbound SPI the peer named (its inbound one, RFC 2408 3.15),
 * under whichever ISAKMP SA with the peer holds it now (children move on renewal).
 */
static void
info_delete_child(struct ikev1_ike_sa *sa, uint32_t spi)
{
	for (struct ikev1_ike_sa *o = sa->eng->sas; o; o = o->next) {
		if (!addr_eq(&o->peer.remote, &sa->peer.remote))
			continue;
		for (size_t i = 0; i < o->nchildren; i++) {
			if (o->children[i].out.spi != spi)
				continue;
			ikev1_sa_event(sa, "peer deleted IPsec SA spi %08x", spi);
			ikev1_child_remove_at(o, i, false);
			ikev1_sa_arm(o);
			return;
		}
	}
}

/* Returns true when the ISAKMP SA itself was deleted (and freed). */
static bool
info_delete(struct ikev1_ike_sa *sa, const struct ikev1_payload *pl)
{
	uint8_t cookies[2 * IKEV1_COOKIE_LEN];
	struct ikev1_delete d;
	struct rd spi;
	uint32_t v;

	if (ikev1_delete_parse(pl, &d) < 0)
		return false;
	memcpy(cookies, sa->cky_i, IKEV1_COOKIE_LEN);
	memcpy(cookies + IKEV1_COOKIE_LEN, sa->cky_r, IKEV1_COOKIE_LEN);
	for (size_t i = 0; ikev1_delete_spi(&d, i, &spi); i++) {
		if (d.protocol == IKEV1_PROTO_ESP && d.spi_size == 4 && rd_be32(&spi, &v))
			info_delete_child(sa, v);
		if (d.protocol == IKEV1_PROTO_ISAKMP && rd_left(&spi) == sizeof(cookies) &&
		    !memcmp(spi.p, cookies, sizeof(cookies))) {
			struct ikev1_engine *e = sa->eng;

			ikev1_sa_event(sa, "peer deleted the ISAKMP SA");
			/* its children stay when another ISAKMP SA with the peer can hold them */
			if (!ikev1_children_move(sa))
				ikev1_children_remove(sa);
			ikev1_sa_free(e, sa);
			return true;
		}
	}
	return false;
}

/* INITIAL-CONTACT: the peer restarted, every other SA with it is stale (RFC 2407 4.6.3.3). */
static void
info_initial_contact(struct ikev1_ike_sa *sa)
{
	struct ikev1_engine *e = sa->eng;
	struct ikev1_ike_sa *next;

	for (struct ikev1_ike_sa *o = e->sas; o; o = next) {
		next = o->next;
		if (o == sa || !addr_eq(&o->peer.remote, &sa->peer.remote))
			continue;
		ikev1_sa_event(o, "INITIAL-CONTACT: peer restarted, removing stale SAs");
		ikev1_children_remove(o);
		ikev1_sa_free(e, o);
	}
}

int
ikev1_info_r(struct ikev1_rx *rx)
{
	struct ikev1_ike_sa *sa = rx->sa;
	struct ikev1_bytes rest, got;
	uint8_t want[PRF_MAX_LEN];
	int err;

	if ((err = ikev1_rest_after_hash(rx, &rest, &got)) < 0 ||
	    (err = ikev1_hash_mid(&sa->keys, rx->msg.hdr.msgid, rest, want)) < 0)
		return err;
	if (!ikev1_hash_verify(want, sa->keys.prf_len, got)) {
		ikev1_sa_event(sa, "informational: HASH mismatch");
		return -EACCES;
	}
	ikev1_mid_remember(sa, rx->msg.hdr.msgid);
	for (size_t i = 1; i < rx->msg.npayloads; i++) {
		const struct ikev1_payload *pl = &rx->msg.payloads[i];

		if (pl->type == IKEV1_PL_D && info_delete(sa, pl))
			return 0;
	}
	ikev1_info_notifies(sa, &rx->msg);
	return 0;
}

/*
 * The notifications of an authenticated message (an Informational, or MM5 where
 * strongSwan puts INITIAL-CONTACT): act on INITIAL-CONTACT, log the others.
 */
void
ikev1_info_notifies(struct ikev1_ike_sa *sa, const struct ikev1_msg *m)
{
	const struct ikev1_payload *pl;
	struct ikev1_notify n;

	for (size_t i = 0; (pl = ikev1_msg_find(m, IKEV1_PL_N, i)) != NULL; i++) {
		if (ikev1_notify_parse(pl, &n) < 0)
			continue;
		if (n.type == IKEV1_N_INITIAL_CONTACT)
			info_initial_contact(sa);
		else if (ikev1_dpd_notified(sa, &n))
			continue;
		else
			ikev1_sa_event(sa, "notification %s", ikev1_notify_type_name(n.type));
	}
}

int
ikev1_info_plain(struct ikev1_rx *rx)
{
	struct ikev1_notify n;
	char text[128];

	if (ikev1_notify_parse(ikev1_msg_find(&rx->msg, IKEV1_PL_N, 0), &n) < 0)
		return -EBADMSG;
	if (rx->sa) {
		ikev1_sa_event(rx->sa, "unprotected notification %s (ignored)",
		               ikev1_notify_type_name(n.type));
	} else {
		snprintf(text, sizeof(text), "unprotected notification %s without an SA",
		         ikev1_notify_type_name(n.type));
		rx->e->env.event(rx->e->env.arg, text);
	}
	return 0;
}
