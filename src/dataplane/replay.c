/*
 * Anti-replay window (RFC 4303 3.4.3) with ESN inference (Appendix A.2).
 * The bitmap is a ring of IPSEC_REPLAY_MAX bits indexed by seq modulo its
 * size, as in RFC 6479, but cleared bit-exactly when the top advances so
 * that a window of the full ring size stays exact.
 */
#include "dataplane/replay.h"

#include <string.h>

#define REPLAY_BITS IPSEC_REPLAY_MAX
#define REPLAY_WORDS (REPLAY_BITS / 64)

void
replay_init(struct replay *r, uint32_t window)
{
	memset(r, 0, sizeof(*r));
	r->window = window > REPLAY_BITS ? REPLAY_BITS : window;
}

uint64_t
replay_infer(const struct replay *r, uint32_t seq_lo, bool esn)
{
	/* with anti-replay off, tolerate as much reordering as the largest window */
	uint32_t w = r->window ? r->window : REPLAY_BITS;
	uint32_t tl = (uint32_t)r->top, th = (uint32_t)(r->top >> 32);
	uint32_t bottom = tl - w + 1; /* modulo 2^32 */

	if (!esn)
		return seq_lo;
	if (tl >= w - 1) {
		/* case A: the window lies within one 2^32 subspace */
		if (seq_lo < bottom)
			th++;
	} else {
		/* case B: the window spans two subspaces; there is none below 0 */
		if (seq_lo >= bottom && th > 0)
			th--;
	}
	return (uint64_t)th << 32 | seq_lo;
}

static bool
replay_bit(const struct replay *r, uint64_t seq)
{
	return r->bitmap[(seq / 64) % REPLAY_WORDS] >> (seq % 64) & 1;
}

bool
replay_check(const struct replay *r, uint64_t seq)
{
	if (r->window == 0)
		return true;
	/* RFC 4303 3.3.3: the first packet carries 1; 0 is never sent */
	if (seq == 0)
		return false;
	if (seq > r->top)
		return true;
	if (r->top - seq >= r->window)
		return false;
	return !replay_bit(r, seq);
}

/* Forget the ring positions of seq from..to (to - from < REPLAY_BITS). */
static void
replay_clear(struct replay *r, uint64_t from, uint64_t to)
{
	uint64_t left = to - from + 1;

	while (left > 0) {
		unsigned bit = (unsigned)(from % 64);
		uint64_t n = 64 - bit < left ? 64 - bit : left;
		uint64_t mask = n == 64 ? UINT64_MAX : ((UINT64_C(1) << n) - 1) << bit;

		r->bitmap[(from / 64) % REPLAY_WORDS] &= ~mask;
		from += n;
		left -= n;
	}
}

void
replay_update(struct replay *r, uint64_t seq)
{
	if (seq > r->top) {
		if (r->window > 0) {
			if (seq - r->top >= REPLAY_BITS)
				memset(r->bitmap, 0, sizeof(r->bitmap));
			else
				replay_clear(r, r->top + 1, seq);
		}
		r->top = seq;
	} else if (r->top - seq >= r->window) {
		return;
	}
	if (r->window > 0)
		r->bitmap[(seq / 64) % REPLAY_WORDS] |= UINT64_C(1) << (seq % 64);
}
