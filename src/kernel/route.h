/* Routes and rules through rtnetlink: steer policy destinations into the TUN device. */
#ifndef COATI_KERNEL_ROUTE_H
#define COATI_KERNEL_ROUTE_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/addr.h"

struct rtnl;

int rtnl_open(struct rtnl **out);
void rtnl_close(struct rtnl *nl);
/* Add (or with del, remove) dst via ifindex in table, with an optional preferred source. */
int rtnl_route(struct rtnl *nl, bool del, uint32_t table, const struct prefix *dst,
	       int ifindex, const struct addr *prefsrc);
/* Add (or with del, remove) the address a/plen on ifindex (a mode config address). */
int rtnl_addr(struct rtnl *nl, bool del, int ifindex, const struct addr *a, uint8_t plen);
/*
 * Add or remove "not fwmark mark/mark lookup table" at priority prio for a
 * family: everything but the daemon's own marked sockets consults table.
 */
int rtnl_rule(struct rtnl *nl, bool del, uint8_t family, uint32_t table, uint32_t mark,
	      uint32_t prio);

#endif
