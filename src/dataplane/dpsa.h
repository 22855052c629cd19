/* Per-SA state of the userspace data plane, attached to sad_entry->backend. */
#ifndef COATI_DATAPLANE_DPSA_H
#define COATI_DATAPLANE_DPSA_H

#include "crypto/xform.h"
#include "dataplane/replay.h"
#include "ipsec/ipsec.h"

struct ipcomp_ctx;

struct dp_sa {
	struct xform *x;          /* ESP and AH; NULL for IPComp */
	struct ipcomp_ctx *comp;  /* IPComp only */
	struct replay replay;     /* inbound */
	uint16_t ip_id;           /* next IPv4 ID for outer headers we build */
	uint16_t frag_inner;      /* esp_frag: largest inner packet sent whole (frag.h), 0 off */
};

/* Build the data-plane state of an SA (keys the transform). 0, -EINVAL or -ENOMEM. */
int dp_sa_new(const struct ipsec_sa *sa, struct dp_sa **out);
/* Frees and wipes; NULL is fine. */
void dp_sa_free(struct dp_sa *d);

#endif
