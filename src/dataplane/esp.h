/* ESP (RFC 4303) packet transforms; called through ipsec_io.c. */
#ifndef COATI_DATAPLANE_ESP_H
#define COATI_DATAPLANE_ESP_H

#include "dataplane/dpsa.h"
#include "dataplane/ip.h"
#include "dataplane/pkt.h"
#include "ipsec/sad.h"

#define ESP_HDR_LEN 8     /* SPI + sequence number */
#define ESP_TRAILER_LEN 2 /* pad length + next header */

/*
 * Encapsulate the IP packet in p through ESP SA e (tunnel or transport),
 * in place; commits e->seq_out. 0, -EOVERFLOW, -EMSGSIZE, -EINVAL.
 */
int esp_encap(struct sad_entry *e, struct dp_sa *d, struct pkt *p);
/*
 * Verify, decrypt and strip the ESP packet in p (ii: its parsed outer
 * header). 0, -EALREADY, -EBADMSG (ICV), -ENODATA (dummy), -EINVAL.
 * Counters are left to the caller.
 */
int esp_decap(struct sad_entry *e, struct dp_sa *d, struct pkt *p, const struct ip_info *ii);

#endif
