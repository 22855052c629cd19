/*
 * Applying and removing IPsec headers on one packet. Pure packet transforms:
 * no sockets, no clock; the caller does lookups and accounting.
 */
#ifndef COATI_DATAPLANE_IPSEC_IO_H
#define COATI_DATAPLANE_IPSEC_IO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dataplane/ip.h"
#include "dataplane/pkt.h"
#include "ipsec/sad.h"

/*
 * Output through one SA (ESP, AH or IPComp; e->backend is a struct dp_sa).
 * p->data holds a full IP packet. Tunnel mode: the packet becomes the
 * payload and a new outer header (e->sa.src -> e->sa.dst, family of the SA)
 * is prepended. Transport mode: the header goes after the IP header (and
 * IPv6 extension headers), proto/next header and lengths are fixed up.
 * On return p->data holds the resulting full IP packet and e->seq_out was
 * advanced. IPComp below its threshold or on incompressible data returns
 * 1 and sends the packet uncompressed (RFC 3173 2.2): in transport mode p
 * is left as it was, in tunnel mode it only gets the outer header, with
 * protocol 4 or 41 (IP-in-IP, as KAME and Linux send it). Errors: -EOVERFLOW (sequence number exhausted, counted in
 * e->ctr.seq_overflow), -EMSGSIZE (no room), -EINVAL.
 */
int ipsec_output(struct sad_entry *e, struct pkt *p);

/*
 * Input: p->data holds a full IP packet (the receiver rebuilds the outer
 * header when the socket strips it) whose protocol is ESP, AH or IPComp.
 * Finds the SA in sad by (dst, proto, spi), pre-checks replay, verifies
 * the ICV, decrypts, updates the replay window, checks padding and next
 * header, and removes the header: tunnel mode leaves the inner packet,
 * transport mode the IP header with the payload. Returns 0 with *out set;
 * -ENOENT (no SA), -EBADMSG (ICV failure: e->ctr.auth_fail), -EALREADY
 * (replay: e->ctr.replay), -EINVAL (malformed: e->ctr.invalid), -ENODATA
 * (an authentic ESP dummy packet, next header 59, RFC 4303 2.6: drop it
 * silently; the replay window did advance). *out is set whenever an SA was
 * found, so the caller can count against it. IPv4 options and IPv6
 * extension headers in front of AH are refused (-EINVAL): their mutable
 * parts are not zeroed for the ICV. Fragments must be reassembled first.
 */
int ipsec_input(struct sad *sad, struct pkt *p, struct sad_entry **out);

/* ---- helpers shared by esp.c, ah.c and ipcomp.c ---- */

#define IPSEC_OUTER_TTL 64 /* TTL / hop limit of the outer headers we build */

/* How an outbound packet is wrapped; filled by ipsec_io_encap_begin. */
struct ipsec_encap {
	bool tunnel;
	uint8_t family;      /* of the resulting packet */
	uint8_t nh;          /* next header value for the IPsec header */
	size_t ip_len;       /* IP header (+ IPv6 extension headers) of the result */
	size_t proto_off;    /* transport: where the protocol byte is in that header */
	size_t payload_len;  /* protected bytes: the inner packet or the transport payload */
};

/*
 * Parse p for output through e: trims p->len to the IP length and fills c.
 * Transport mode refuses fragments. 0 or -EINVAL.
 */
int ipsec_io_encap_begin(const struct sad_entry *e, struct pkt *p, struct ipsec_encap *c);
/*
 * Open hdr_len bytes for the IPsec header of proto after the IP header and
 * reserve tail_len bytes after c->payload_len payload bytes: tunnel mode
 * prepends an outer header, transport mode moves the IP header forward.
 * All length fields are final on return. 0 or -EMSGSIZE.
 */
int ipsec_io_encap(struct sad_entry *e, struct pkt *p, const struct ipsec_encap *c,
		   uint8_t proto, size_t hdr_len, size_t tail_len);
/* The next outbound sequence number of e (not yet committed). 0 or -EOVERFLOW. */
int ipsec_io_seq_next(const struct sad_entry *e, uint64_t *out);
/*
 * Remove an authenticated IPsec header: the payload (plen bytes at p->data +
 * off) has next header nh. Tunnel mode keeps the inner packet, transport
 * mode puts the IP header (ii) back in front. 0, -ENODATA (nh 59), -EINVAL.
 */
int ipsec_io_decap(const struct sad_entry *e, struct pkt *p, const struct ip_info *ii,
		   size_t off, size_t plen, uint8_t nh);

#endif
