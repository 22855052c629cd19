/* Anti-replay window (RFC 4303 3.4.3, Appendix A for ESN), up to 4096 packets. */
#ifndef COATI_DATAPLANE_REPLAY_H
#define COATI_DATAPLANE_REPLAY_H

#include <stdbool.h>
#include <stdint.h>

#include "ipsec/ipsec.h"

struct replay {
	uint64_t top;      /* highest authenticated sequence number (64-bit with ESN) */
	uint32_t window;   /* size in packets; 0 = disabled */
	uint64_t bitmap[IPSEC_REPLAY_MAX / 64];
};

void replay_init(struct replay *r, uint32_t window);
/*
 * The full 64-bit sequence number for a received low half: with ESN the
 * high half is inferred as RFC 4303 Appendix A.2 says, else it is seq_lo.
 */
uint64_t replay_infer(const struct replay *r, uint32_t seq_lo, bool esn);
/* Pre-check before decryption: false if seq is 0 (non-ESN), too old or already seen. */
bool replay_check(const struct replay *r, uint64_t seq);
/* Mark seq as seen; call only after the ICV verified. */
void replay_update(struct replay *r, uint64_t seq);

#endif
