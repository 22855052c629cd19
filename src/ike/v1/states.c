/*
 * The IKEv1 microcode (libreswan's ikev1_states.c is the model): one row per (state,
 * exchange, role) naming the payloads the message must and may carry, whether it must be
 * encrypted, the handler and the state it leads to. Then the dispatcher that takes a
 * datagram through lookup, retransmission check, decryption, the row check and the
 * handler. Handlers commit state only when everything passed, so a dropped message leaves
 * the SA as it was.
 */
#include <errno.h>
#include <string.h>
#include <sys/uio.h>

#include "crypto/hash.h"
#include "ike/v1/engine_int.h"

#define B(t) IKEV1_PLBIT(IKEV1_PL_##t)
#define NATD (B(NATD) | B(NATD_DRAFT))

static const struct ikev1_row rows[] = {
    /*
     * Main Mode, pre-shared key (RFC 2409 5, 5.4):
     *   Initiator                           Responder
     *   HDR, SA                      -->
     *                                <--    HDR, SA
     *   HDR, KE, Ni [, NAT-D, NAT-D] -->
     *                                <--    HDR, KE, Nr [, NAT-D, NAT-D]
     *   HDR*, IDii, HASH_I           -->
     *                                <--    HDR*, IDir, HASH_R
     * NAT-T vendor IDs ride in the first two messages (RFC 3947 3.1).
     */
    {ST_NONE, IKEV1_EXCH_MAIN, false, false, B(SA), B(VID), ST_MM_R1, ikev1_main_r1,
     "MM1 (SA) -> MM2"},
    {ST_MM_I1, IKEV1_EXCH_MAIN, true, false, B(SA), B(VID), ST_MM_I2, ikev1_main_i2,
     "MM2 (SA) -> MM3"},
    {ST_MM_R1, IKEV1_EXCH_MAIN, false, false, B(KE) | B(NONCE), NATD | B(VID) | B(CR), ST_MM_R2,
     ikev1_main_r2, "MM3 (KE, Ni) -> MM4"},
    {ST_MM_I2, IKEV1_EXCH_MAIN, true, false, B(KE) | B(NONCE), NATD | B(VID) | B(CR), ST_MM_I3,
     ikev1_main_i3, "MM4 (KE, Nr) -> MM5"},
    {ST_MM_R2, IKEV1_EXCH_MAIN, false, true, B(ID) | B(HASH), B(N) | B(VID), ST_P1_DONE,
     ikev1_main_r3, "MM5 (IDii, HASH_I) -> MM6"},
    {ST_MM_I3, IKEV1_EXCH_MAIN, true, true, B(ID) | B(HASH), B(N) | B(VID), ST_P1_DONE,
     ikev1_main_i4, "MM6 (IDir, HASH_R)"},
    /*
     * Aggressive Mode, pre-shared key (RFC 2409 5, 5.4):
     *   Initiator                           Responder
     *   HDR, SA, KE, Ni, IDii        -->
     *                                <--    HDR, SA, KE, Nr, IDir, HASH_R [, NAT-D, NAT-D]
     *   HDR, HASH_I [, NAT-D, NAT-D] -->
     * The third message may come encrypted (libreswan) or not (racoon): both accepted.
     */
    {ST_NONE, IKEV1_EXCH_AGGRESSIVE, false, false, B(SA) | B(KE) | B(NONCE) | B(ID),
     B(VID) | B(CR), ST_AM_R1, ikev1_aggr_r1, "AM1 (SA, KE, Ni, IDii [, CR]) -> AM2"},
    {ST_AM_I1, IKEV1_EXCH_AGGRESSIVE, true, false, B(SA) | B(KE) | B(NONCE) | B(ID) | B(HASH),
     NATD | B(VID), ST_P1_DONE, ikev1_aggr_i2, "AM2 (SA, KE, Nr, IDir, HASH_R) -> AM3"},
    {ST_AM_R1, IKEV1_EXCH_AGGRESSIVE, false, false, B(HASH), NATD | B(N) | B(VID), ST_P1_DONE,
     ikev1_aggr_r2, "AM3 (HASH_I)"},
    /*
     * Quick Mode (RFC 2409 5.5), PFS when KE is present:
     *   Initiator                           Responder
     *   HDR*, HASH(1), SA, Ni [, KE ] [, IDci, IDcr ] -->
     *                  <--    HDR*, HASH(2), SA, Nr [, KE ] [, IDci, IDcr ]
     *   HDR*, HASH(3)                                 -->
     */
    {ST_P1_DONE, IKEV1_EXCH_QUICK, false, true, B(HASH) | B(SA) | B(NONCE),
     B(KE) | B(ID) | B(NATOA) | B(NATOA_DRAFT), ST_QM_R1, ikev1_quick_r1, "QM1 -> QM2"},
    {ST_QM_I1, IKEV1_EXCH_QUICK, true, true, B(HASH) | B(SA) | B(NONCE),
     B(KE) | B(ID) | B(NATOA) | B(NATOA_DRAFT) | B(N), ST_QM_DONE, ikev1_quick_i2, "QM2 -> QM3"},
    {ST_QM_R1, IKEV1_EXCH_QUICK, false, true, B(HASH), 0, ST_QM_DONE, ikev1_quick_r2, "QM3"},
    /*
     * Informational (RFC 2409 5.7), either side, once phase 1 is up:
     *   HDR*, HASH(1), N/D           -->
     * HASH(1) = prf(SKEYID_a, M-ID | N/D).
     */
    {ST_P1_DONE, IKEV1_EXCH_INFO, false, true, B(HASH), B(N) | B(D), ST_P1_DONE, ikev1_info_r,
     "INFO (HASH, N/D)"},
    /*
     * Transaction exchange (draft-dukes-ike-mode-cfg-02 3.2, draft-beaulieu-ike-xauth-02),
     * flows in x_txn.c; every message HDR*, HASH, ATTR with its own M-ID:
     *   our REQUEST or SET           -->
     *                                <--    REPLY or ACK
     *                                <--    the peer's REQUEST (mode config pull)
     *   REPLY                        -->
     */
    {ST_TX_I1, IKEV1_EXCH_TRANSACTION, true, true, B(HASH) | B(ATTR), 0, ST_P1_DONE, ikev1_txn_i2,
     "TXN REPLY/ACK"},
    {ST_P1_DONE, IKEV1_EXCH_TRANSACTION, false, true, B(HASH) | B(ATTR), 0, ST_P1_DONE,
     ikev1_txn_r1, "TXN REQUEST -> REPLY"},
    /*
     * An unprotected notification (RFC 2408 4.8), e.g. NO-PROPOSAL-CHOSEN before any key
     * exists. Logged, never acted on: anyone can forge it.
     */
    {ST_NONE, IKEV1_EXCH_INFO, false, false, B(N), B(D), ST_NONE, ikev1_info_plain,
     "INFO (N) unprotected"},
};

/*
 * Phase 1 authenticated by signatures (RFC 2409 5, 5.1): the same handlers, SIG in place
 * of HASH, certificates and requests for them around it. The KE messages (MM3, MM4) and
 * AM1 share the rows above, where CR is optional.
 *   Main Mode:
 *   HDR, SA                                  -->
 *                                            <--    HDR, SA
 *   HDR, KE, Ni [, CR ] [, NAT-D, NAT-D]     -->
 *                                            <--    HDR, KE, Nr [, CR ] [, NAT-D, NAT-D]
 *   HDR*, IDii, [ CERT, ] SIG_I              -->
 *                                            <--    HDR*, IDir, [ CERT, ] SIG_R
 *   Aggressive Mode:
 *   HDR, SA, KE, Ni, IDii [, CR ]            -->
 *                         <--    HDR, SA, KE, Nr, IDir, [ CERT, ] SIG_R [, CR ] [, NAT-D...]
 *   HDR, [ CERT, ] SIG_I [, NAT-D, NAT-D ]   -->
 */
static const struct ikev1_row sig_rows[] = {
    {ST_MM_R2, IKEV1_EXCH_MAIN, false, true, B(ID) | B(SIG), B(CERT) | B(CR) | B(N) | B(VID),
     ST_P1_DONE, ikev1_main_r3, "MM5 (IDii, [CERT,] SIG_I) -> MM6"},
    {ST_MM_I3, IKEV1_EXCH_MAIN, true, true, B(ID) | B(SIG), B(CERT) | B(CR) | B(N) | B(VID),
     ST_P1_DONE, ikev1_main_i4, "MM6 (IDir, [CERT,] SIG_R)"},
    {ST_AM_I1, IKEV1_EXCH_AGGRESSIVE, true, false,
     B(SA) | B(KE) | B(NONCE) | B(ID) | B(SIG), B(CERT) | B(CR) | NATD | B(VID), ST_P1_DONE,
     ikev1_aggr_i2, "AM2 (SA, KE, Nr, IDir, [CERT,] SIG_R) -> AM3"},
    {ST_AM_R1, IKEV1_EXCH_AGGRESSIVE, false, false, B(SIG), B(CERT) | NATD | B(N) | B(VID),
     ST_P1_DONE, ikev1_aggr_r2, "AM3 ([CERT,] SIG_I)"},
};

const struct ikev1_row *
ikev1_row_find_auth(enum ikev1_state from, uint8_t exchange, bool initiator, uint16_t auth)
{
	for (size_t i = 0; ikev1_auth_is_sig(auth) && i < sizeof(sig_rows) / sizeof(sig_rows[0]);
	     i++) {
		const struct ikev1_row *r = &sig_rows[i];

		if (r->from == from && r->exchange == exchange && r->initiator == initiator)
			return r;
	}
	return ikev1_row_find(from, exchange, initiator);
}

const struct ikev1_row *
ikev1_row_find(enum ikev1_state from, uint8_t exchange, bool initiator)
{
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct ikev1_row *r = &rows[i];

		if (r->from != from || r->exchange != exchange)
			continue;
		/* Informational rows serve both roles */
		if (exchange == IKEV1_EXCH_INFO || r->initiator == initiator)
			return r;
	}
	return NULL;
}

/* Structure before semantics: every required payload present, nothing unexpected. */
int
ikev1_row_check(const struct ikev1_row *row, const struct ikev1_msg *m)
{
	uint32_t seen = 0;

	for (size_t i = 0; i < m->npayloads; i++) {
		uint32_t bit = IKEV1_PLBIT(m->payloads[i].type);

		if (!(bit & (row->req | row->opt)))
			return -EPROTO;
		seen |= bit;
	}
	return (seen & row->req) == row->req ? 0 : -EPROTO;
}

const char *
ikev1_state_name(enum ikev1_state st)
{
	static const char *const names[] = {
	    [ST_NONE] = "none",    [ST_MM_I1] = "MM_I1", [ST_MM_R1] = "MM_R1",
	    [ST_MM_I2] = "MM_I2",  [ST_MM_R2] = "MM_R2", [ST_MM_I3] = "MM_I3",
	    [ST_AM_I1] = "AM_I1",  [ST_AM_R1] = "AM_R1", [ST_P1_DONE] = "established",
	    [ST_QM_I1] = "QM_I1",  [ST_QM_R1] = "QM_R1", [ST_QM_DONE] = "QM_done",
	    [ST_TX_I1] = "TXN_I1",
	};

	if ((size_t)st < sizeof(names) / sizeof(names[0]) && names[st])
		return names[st];
	return "UNKNOWN";
}

/* A copy of a request we already answered: send the same answer again, boundedly. */
static bool
input_resend(struct ikev1_ike_sa *sa, struct ikev1_xmit *x, const uint8_t *digest)
{
	if (!x->have_rx || x->msg == NULL || memcmp(x->rx_digest, digest, sizeof(x->rx_digest)))
		return false;
	if (x->tries < IKEV1_RESEND_MAX) {
		x->tries++;
		ikev1_send(sa, x->msg, x->len);
	}
	return true;
}

static bool
input_duplicate(struct ikev1_ike_sa *sa, const uint8_t *digest)
{
	if (input_resend(sa, &sa->x, digest))
		return true;
	for (size_t i = 0; i < IKEV1_QM_MAX; i++)
		if (sa->qm[i] && sa->qm[i]->used && input_resend(sa, &sa->qm[i]->x, digest))
			return true;
	return false;
}

/* Which row a message for an existing SA runs through. */
static const struct ikev1_row *
input_row(struct ikev1_rx *rx)
{
	struct ikev1_ike_sa *sa = rx->sa;
	const struct ikev1_hdr *h = &rx->msg.hdr;

	switch (h->exchange) {
	case IKEV1_EXCH_MAIN:
	case IKEV1_EXCH_AGGRESSIVE:
		/* phase 1 runs under M-ID zero (RFC 2408 3.1) */
		if (h->exchange != sa->exchange || h->msgid != 0)
			return NULL;
		return ikev1_row_find_auth(sa->state, h->exchange, sa->initiator,
		                           ikev1_sa_auth(sa));
	case IKEV1_EXCH_QUICK:
	case IKEV1_EXCH_TRANSACTION:
		rx->qm = ikev1_qm_find(sa, h->msgid);
		if (rx->qm)
			return ikev1_row_find(rx->qm->state, h->exchange, rx->qm->initiator);
		/* an authentic QM1 replayed later must not make new SAs */
		if (sa->state != ST_P1_DONE || h->msgid == 0 || ikev1_mid_seen(sa, h->msgid))
			return NULL;
		return ikev1_row_find(ST_P1_DONE, h->exchange, false);
	case IKEV1_EXCH_INFO:
		if (h->flags & IKEV1_FLAG_ENC)
			return sa->state == ST_P1_DONE && !ikev1_mid_seen(sa, h->msgid)
			           ? ikev1_row_find(ST_P1_DONE, h->exchange, false)
			           : NULL;
		return ikev1_row_find(ST_NONE, h->exchange, false);
	}
	return NULL;
}

/* Decrypt into rx->plain with the IV of the exchange the message belongs to. */
static int
input_decrypt(struct ikev1_rx *rx, size_t *ret_len)
{
	struct ikev1_ike_sa *sa = rx->sa;
	uint8_t iv[IKECIPHER_BLOCK_MAX];
	struct ikev1_bytes last = {sa->iv, sa->block_len};
	uint8_t ex = rx->msg.hdr.exchange;
	int err;

	if (sa->cipher == NULL)
		return -EPROTO;
	if (ex == IKEV1_EXCH_MAIN || ex == IKEV1_EXCH_AGGRESSIVE)
		memcpy(iv, sa->iv, sa->block_len);
	else if (rx->qm)
		memcpy(iv, rx->qm->iv, sa->block_len);
	else if ((err = ikev1_phase2_iv(&sa->keys, last, rx->msg.hdr.msgid, iv)) < 0)
		return err;
	return ikev1_crypt_open(sa->cipher, &rx->msg, iv, rx->plain, sizeof(rx->plain), ret_len,
	                        rx->iv_next);
}

/* Payload chain and the view HASH(n) computations need (without the padding). */
static int
input_payloads(struct ikev1_rx *rx)
{
	struct rd all;
	size_t len;
	int err;

	if (rx->msg.hdr.flags & IKEV1_FLAG_ENC) {
		err = input_decrypt(rx, &len);
		if (err < 0)
			return err;
		err = ikev1_parse_payloads(rx->msg.hdr.np, rx->plain, len, &rx->msg);
		if (err < 0)
			return err;
		all = rd_init(rx->plain, len);
	} else {
		all = rd_init(rx->raw, rx->raw_len);
		if (!rd_skip(&all, IKEV1_HDR_LEN))
			return -EBADMSG;
	}
	if (!rd_bytes(&all, rd_left(&all) - rd_left(&rx->msg.padding), &rx->body))
		return -EBADMSG;
	return 0;
}

static bool
input_new_sa(const struct ikev1_hdr *h)
{
	static const uint8_t zero[IKEV1_COOKIE_LEN];

	return (h->exchange == IKEV1_EXCH_MAIN || h->exchange == IKEV1_EXCH_AGGRESSIVE) &&
	       !memcmp(h->cookie_r, zero, sizeof(zero)) && !(h->flags & IKEV1_FLAG_ENC) &&
	       h->msgid == 0;
}

int
ikev1_input(struct ikev1_engine *e, const struct ikev1_peer *peer, const uint8_t *buf, size_t len)
{
	static struct ikev1_rx zero_rx;
	struct ikev1_rx rx = zero_rx;
	const struct ikev1_row *row;
	struct iovec iov = {(void *)buf, len};
	int err;

	if (ikev1_frag_is(buf, len))
		return ikev1_frag_input(e, peer, buf, len);
	rx.e = e;
	rx.peer = *peer;
	rx.raw = buf;
	rx.raw_len = len;
	err = ikev1_parse(buf, len, &rx.msg);
	if (err < 0)
		return -EBADMSG;
	if (hash_compute(HASH_SHA1, &iov, 1, rx.digest) < 0)
		return -ENOMEM;
	rx.sa = ikev1_sa_find(e, &rx.msg.hdr);
	if (rx.sa && input_duplicate(rx.sa, rx.digest))
		return 0;
	if (rx.sa) {
		row = input_row(&rx);
	} else if (input_new_sa(&rx.msg.hdr)) {
		rx.cfg = e->env.remote(e->env.arg, peer);
		if (rx.cfg == NULL)
			return -ENOENT;
		row = ikev1_row_find(ST_NONE, rx.msg.hdr.exchange, false);
	} else {
		return -ENOENT;
	}
	if (row == NULL || (row->encrypted && !(rx.msg.hdr.flags & IKEV1_FLAG_ENC)))
		return -EPROTO;
	err = input_payloads(&rx);
	if (err < 0)
		return err == -EPROTO ? err : -EBADMSG;
	err = ikev1_row_check(row, &rx.msg);
	if (err < 0)
		return err;
	rx.row = row;
	err = row->handler(&rx);
	/* an authenticated Quick Mode message proves the peer alive (RFC 3706 4) */
	if (rx.msg.hdr.exchange == IKEV1_EXCH_QUICK) {
		if (err == 0)
			ikev1_dpd_alive(rx.sa);
		ikev1_qm_trim(rx.sa);
	}
	return err;
}
