/*
 * The mode config address pool (racoon's network4 + pool_size): an address is held by
 * one client at a time, goes back at disconnect or expiry, and a returning owner (the
 * Xauth user, else the peer's address) gets its previous address when it is still free.
 */
#ifndef COATI_DAEMON_RA_POOL_H
#define COATI_DAEMON_RA_POOL_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/addr.h"

#define RA_POOL_MAX 65536
#define RA_OWNER_MAX 65

struct ra_lease {
	bool used;
	char owner[RA_OWNER_MAX]; /* "" for an address never handed out */
	uint64_t released;        /* release order, for reuse oldest first */
};

struct ra_pool {
	uint32_t first; /* host order */
	uint32_t size, nused;
	uint64_t clock;
	struct ra_lease *l;
};

/* size addresses from first (IPv4). 0, -EINVAL (size 0, too big, wraps) or -ENOMEM. */
int ra_pool_init(struct ra_pool *p, const struct addr *first, uint32_t size);
void ra_pool_free(struct ra_pool *p);
/* An address for owner: its previous one, else one never used, else the one free
 * longest. 0, or -ENOSPC when every address is held. */
int ra_pool_lease(struct ra_pool *p, const char *owner, struct addr *out);
/* Give a held address back: 0, or -ENOENT when it is not one of ours or not held. */
int ra_pool_release(struct ra_pool *p, const struct addr *a);
/* Whether a is in the pool's range (held or not). */
bool ra_pool_has(const struct ra_pool *p, const struct addr *a);

#endif
