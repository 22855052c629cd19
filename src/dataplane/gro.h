/*
 * Receive coalescing toward the TUN device: consecutive in-order TCP
 * segments of one flow out of a batch of decrypted packets become one
 * super-segment, written with a GSO virtio_net_hdr in a single write (the
 * kernel's GRO, or wireguard-go's tcpGRO, done before the TUN instead of
 * after it).
 */
#ifndef COATI_DATAPLANE_GRO_H
#define COATI_DATAPLANE_GRO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dataplane/ip.h"
#include "dataplane/pkt.h"

#define GRO_ITEMS 64   /* packets (coalesced or not) held until the batch is written */
#define GRO_SEGS_MAX 64

struct gro_item {
	struct pkt *p;
	struct ip_info ii;
	uint16_t sport, dport;
	size_t thl;        /* TCP header length */
	uint32_t next_seq; /* the sequence number a segment must have to join */
	uint16_t mss;      /* payload of the first segment: later ones must not exceed it */
	unsigned nseg;
	bool open;         /* a TCP item that may still take segments */
};

struct gro {
	struct gro_item item[GRO_ITEMS];
	unsigned n;
};

static inline void
gro_init(struct gro *g)
{
	g->n = 0;
}

static inline bool
gro_full(const struct gro *g)
{
	return g->n == GRO_ITEMS;
}

/*
 * Take one decrypted IP packet (the caller checked gro_full first). true:
 * its payload was appended to an earlier packet of the same flow, and p may
 * be reused now. false: p was kept as a new item and must stay untouched
 * until the batch is written.
 */
bool gro_add(struct gro *g, struct pkt *p);
/*
 * Prepare item i for a write to the TUN: lengths fixed, a virtio_net_hdr
 * prepended (GSO + NEEDS_CSUM when several segments were merged, zero
 * otherwise). Returns the item's packet; p->data/len cover the header too.
 */
struct pkt *gro_finish(struct gro *g, unsigned i);

#endif
