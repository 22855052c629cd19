/*
 * Dead Peer Detection (RFC 3706). Both ends announce it with a vendor ID in phase 1;
 * R-U-THERE and R-U-THERE-ACK travel in protected Informational exchanges.
 *
 * Timers (one deadline per ISAKMP SA, sa->dpd_at, folded into the SA's single timer by
 * ikev1_sa_arm together with retransmission):
 *   idle   dpd_delay after phase 1 or the last proof of life (an R-U-THERE-ACK for one
 *          of ours, an authenticated Quick Mode message): send an R-U-THERE.
 *   retry  every dpd_retry while unanswered: count a failure, send a fresh R-U-THERE
 *          (new sequence number, RFC 3706 5.5); at dpd_maxfail failures the peer is
 *          dead: its child SAs and the ISAKMP SA go, phase1_dead then phase1_down.
 * So a peer that goes silent is declared dead at most dpd_delay + dpd_retry * dpd_maxfail
 * after its last sign of life. The peer's own R-U-THEREs are answered, but they do not
 * postpone ours (racoon's periodic probing): either end learns for itself.
 */
#include <errno.h>
#include <string.h>

#include "ike/v1/engine_int.h"

#define DPD_RETRY_DEFAULT_MS 5000 /* racoon's dpd_retry default */
#define DPD_MAXFAIL_DEFAULT 5

static bool
dpd_on(const struct ikev1_ike_sa *sa)
{
	return sa->cfg->dpd_delay_ms && sa->dpd_peer && sa->state == ST_P1_DONE;
}

static uint64_t
dpd_now(const struct ikev1_ike_sa *sa)
{
	return sa->eng->env.now_ms(sa->eng->env.arg);
}

void
ikev1_dpd_vid(struct ikev1_out *o, const struct ikev1_ike_sa *sa)
{
	struct rd v;

	if (sa->cfg->dpd_delay_ms && ikev1_vid_bytes(IKEV1_VID_DPD, &v))
		ikev1_out_opaque(o, IKEV1_PL_VID, v.p, rd_left(&v));
}

void
ikev1_dpd_start(struct ikev1_ike_sa *sa)
{
	if (!dpd_on(sa))
		return;
	ikev1_sa_event(sa, "DPD: probing after %u s idle, every %u s, dead after %u misses",
	               sa->cfg->dpd_delay_ms / 1000,
	               (sa->cfg->dpd_retry_ms ? sa->cfg->dpd_retry_ms : DPD_RETRY_DEFAULT_MS) /
	                   1000,
	               sa->cfg->dpd_maxfail ? sa->cfg->dpd_maxfail : DPD_MAXFAIL_DEFAULT);
	ikev1_dpd_alive(sa);
}

void
ikev1_dpd_alive(struct ikev1_ike_sa *sa)
{
	if (!dpd_on(sa))
		return;
	sa->dpd_pending = false;
	sa->dpd_fails = 0;
	sa->dpd_at = dpd_now(sa) + sa->cfg->dpd_delay_ms;
	ikev1_sa_arm(sa);
}

static int
dpd_send(struct ikev1_ike_sa *sa, bool ack, uint32_t seq)
{
	struct ikev1_dpd_buf b;
	struct ikev1_notify n;

	ikev1_dpd_notify(sa->cky_i, sa->cky_r, ack, seq, &b, &n);
	return ikev1_info_send(sa, &n, NULL);
}

/* The first sequence number is random (RFC 3706 5.5), in the lower half against wrap. */
static int
dpd_probe(struct ikev1_ike_sa *sa)
{
	uint8_t r[4];
	int err;

	if (sa->dpd_seq == 0) {
		if ((err = ikev1_random(sa->eng, r, sizeof(r))) < 0)
			return err;
		sa->dpd_seq = (be32_get(r) & 0x7fffffffu) | 1u;
	} else {
		sa->dpd_seq++;
	}
	return dpd_send(sa, false, sa->dpd_seq);
}

bool
ikev1_dpd_timer(struct ikev1_ike_sa *sa, uint64_t now)
{
	const struct ikev1_remote *cfg = sa->cfg;
	uint32_t maxfail = cfg->dpd_maxfail ? cfg->dpd_maxfail : DPD_MAXFAIL_DEFAULT;
	struct ikev1_engine *e = sa->eng;

	sa->dpd_at = 0;
	if (!dpd_on(sa))
		return true;
	if (sa->dpd_pending && ++sa->dpd_fails >= maxfail) {
		ikev1_sa_event(sa, "dead peer: %u R-U-THERE unanswered, removing its SAs",
		               sa->dpd_fails);
		ikev1_sa_report(sa, IKEV1_PHASE1_DEAD);
		ikev1_children_remove(sa);
		ikev1_sa_free(e, sa);
		return false;
	}
	/* a probe that cannot be sent counts as unanswered */
	dpd_probe(sa);
	if (!sa->dpd_pending) {
		sa->dpd_pending = true;
		sa->dpd_seq_first = sa->dpd_seq;
	}
	sa->dpd_at = now + (cfg->dpd_retry_ms ? cfg->dpd_retry_ms : DPD_RETRY_DEFAULT_MS);
	return true;
}

bool
ikev1_dpd_notified(struct ikev1_ike_sa *sa, const struct ikev1_notify *n)
{
	bool ack;
	uint32_t seq;
	int err = ikev1_dpd_parse(n, sa->cky_i, sa->cky_r, &ack, &seq);

	if (err == -ENOENT)
		return false;
	if (err < 0) {
		ikev1_sa_event(sa, "DPD: malformed %s ignored", ikev1_notify_type_name(n->type));
		return true;
	}
	if (!ack) {
		/* answer every authenticated probe, whether or not we probe ourselves */
		if (sa->state == ST_P1_DONE)
			dpd_send(sa, true, seq);
		return true;
	}
	/* only an answer to an outstanding probe counts: seq_first <= seq <= seq, mod 2^32 */
	if (!sa->dpd_pending || seq - sa->dpd_seq_first > sa->dpd_seq - sa->dpd_seq_first) {
		ikev1_sa_event(sa, "DPD: R-U-THERE-ACK with unexpected sequence %u ignored", seq);
		return true;
	}
	ikev1_dpd_alive(sa);
	return true;
}
