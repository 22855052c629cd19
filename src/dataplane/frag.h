/*
 * esp_frag (racoon, for NAT-T): inner IPv4 packets are fragmented before ESP-in-UDP
 * encapsulation so that no outer packet exceeds the SA's frag_size and no outer IP
 * fragment ever crosses the network (NATs and firewalls drop those). An inner packet
 * that may not be fragmented (IPv4 with DF, any IPv6) and does not fit gets an ICMP
 * "fragmentation needed" / ICMPv6 "packet too big" back through the TUN device, with
 * the inner MTU that fits, so that path MTU discovery works through the tunnel.
 */
#ifndef COATI_DATAPLANE_FRAG_H
#define COATI_DATAPLANE_FRAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto/xform.h"
#include "dataplane/pkt.h"
#include "ipsec/ipsec.h"

#define FRAG_IP4_MIN 68 /* RFC 791: every IPv4 host takes 68-byte fragments */

/*
 * The largest inner packet that an ESP tunnel SA x in UDP carries in an outer packet of
 * at most sa->frag_size bytes; 0 when frag_size is off, or too small for FRAG_IP4_MIN.
 */
size_t frag_inner_max(const struct ipsec_sa *sa, const struct xform *x);

/* Fragmenting one IPv4 packet into pieces of at most max bytes (frag_ip4_begin). */
struct frag_ip4 {
	const uint8_t *pkt;
	size_t hl, total, off, max;
	uint16_t base_off; /* the packet's own offset (units of 8) and MF: it may be a fragment */
	bool base_mf;
	uint8_t opts[40]; /* the options copied into every fragment but the first */
	size_t opts_len;
};

/*
 * Start fragmenting the IPv4 packet pkt[len] into pieces of at most max bytes.
 * 0; -EMSGSIZE when we may not (IPv4 with DF, IPv6), -EINVAL when it is malformed or
 * max leaves no room.
 */
int frag_ip4_begin(struct frag_ip4 *it, const uint8_t *pkt, size_t len, size_t max);
/* The next fragment into out (reset first); false when all were made. */
bool frag_ip4_next(struct frag_ip4 *it, struct pkt *out);

/*
 * The ICMP error telling the sender of pkt[len] that only mtu bytes fit (RFC 792/1191
 * type 3 code 4, RFC 4443 3.1 packet too big), from pkt's destination back to its
 * source, into out[cap]. Its length, or 0 when none is due (not first fragments, ICMP
 * errors, malformed packets, too small a buffer).
 */
size_t frag_too_big(const uint8_t *pkt, size_t len, size_t mtu, uint8_t *out, size_t cap);

#endif
