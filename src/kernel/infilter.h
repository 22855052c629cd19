/*
 * Inbound policy enforcement for cleartext. With no kernel SPD, the kernel
 * delivers cleartext that an inbound "require" policy forbids; an nftables
 * table of the daemon's own drops it before routing, mirroring the in and
 * fwd policies in SPD order.
 */
#ifndef COATI_KERNEL_INFILTER_H
#define COATI_KERNEL_INFILTER_H

#include <stdint.h>

#include "ipsec/spd.h"

struct infilter;

/*
 * Prepare the filter: traffic from tun_name (decrypted by us), the IPsec
 * protocols themselves and UDP to the IKE and NAT-T ports always pass.
 * 0 or -errno.
 */
int infilter_open(const char *tun_name, uint16_t ike_port, uint16_t natt_port,
		  struct infilter **out);
/* Rewrite the table from the in/fwd policies of spd, atomically. 0 or -EIO (logged). */
int infilter_sync(struct infilter *f, struct spd *spd);
/* Remove the table. */
void infilter_close(struct infilter *f);

#endif
