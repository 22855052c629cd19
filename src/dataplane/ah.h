/* AH (RFC 4302) packet transforms; called through ipsec_io.c. */
#ifndef COATI_DATAPLANE_AH_H
#define COATI_DATAPLANE_AH_H

#include "dataplane/dpsa.h"
#include "dataplane/ip.h"
#include "dataplane/pkt.h"
#include "ipsec/sad.h"

#define AH_HDR_LEN 12 /* next header, payload length, reserved, SPI, sequence number */

/*
 * Insert AH for SA e and compute the ICV; commits e->seq_out. IPv4 options
 * and IPv6 extension headers in the covered header are refused (-EINVAL).
 * 0, -EOVERFLOW, -EMSGSIZE, -EINVAL.
 */
int ah_encap(struct sad_entry *e, struct dp_sa *d, struct pkt *p);
/* Verify and strip AH. 0, -EALREADY, -EBADMSG (ICV), -EINVAL. */
int ah_decap(struct sad_entry *e, struct dp_sa *d, struct pkt *p, const struct ip_info *ii);

#endif
