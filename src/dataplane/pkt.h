/*
 * Packet buffers: preallocated, fixed size, with headroom for outer headers
 * so that encapsulation happens in place. No allocation per packet.
 */
#ifndef COATI_DATAPLANE_PKT_H
#define COATI_DATAPLANE_PKT_H

#include <stddef.h>
#include <stdint.h>

#include "lib/addr.h"

/* Outer IPv6 (40) + UDP (8) + ESP (8) + IV (16), twice for AH+ESP bundles, rounded up. */
#define PKT_HEADROOM 256
#define PKT_TAILROOM 128 /* padding (<= 255 for CBC is never needed: we pad minimally) + ICV */
#define PKT_DATA_MAX 65535
#define PKT_BUF_SIZE (PKT_HEADROOM + PKT_DATA_MAX + PKT_TAILROOM)

struct pkt {
	uint8_t *data;      /* first byte of the packet (an IP header once parsed) */
	size_t len;
	/* outer transport of an inbound packet, or where to send an outbound one */
	struct addr src, dst;
	uint16_t sport, dport; /* UDP encapsulation ports (host order), 0 = raw IP */
	uint32_t flags;
	uint8_t buf[PKT_BUF_SIZE];
};

static inline void
pkt_reset(struct pkt *p)
{
	p->data = p->buf + PKT_HEADROOM;
	p->len = 0;
	p->sport = p->dport = 0;
	p->flags = 0;
}

static inline size_t
pkt_headroom(const struct pkt *p)
{
	return (size_t)(p->data - p->buf);
}

static inline size_t
pkt_tailroom(const struct pkt *p)
{
	return sizeof(p->buf) - pkt_headroom(p) - p->len;
}

#endif
