/* The mode config address pool; see ra_pool.h. */
#include "daemon/ra_pool.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
ra_pool_init(struct ra_pool *p, const struct addr *first, uint32_t size)
{
	uint32_t f;

	memset(p, 0, sizeof(*p));
	if (first->family != AF_INET || size == 0 || size > RA_POOL_MAX)
		return -EINVAL;
	f = ntohl(first->v4.s_addr);
	if (f > UINT32_MAX - (size - 1))
		return -EINVAL;
	if ((p->l = calloc(size, sizeof(*p->l))) == NULL)
		return -ENOMEM;
	p->first = f;
	p->size = size;
	return 0;
}

void
ra_pool_free(struct ra_pool *p)
{
	free(p->l);
	memset(p, 0, sizeof(*p));
}

static void
pool_addr(const struct ra_pool *p, uint32_t i, struct addr *out)
{
	memset(out, 0, sizeof(*out));
	out->family = AF_INET;
	out->v4.s_addr = htonl(p->first + i);
}

bool
ra_pool_has(const struct ra_pool *p, const struct addr *a)
{
	uint32_t v;

	if (a->family != AF_INET || p->size == 0)
		return false;
	v = ntohl(a->v4.s_addr);
	return v >= p->first && v - p->first < p->size;
}

int
ra_pool_lease(struct ra_pool *p, const char *owner, struct addr *out)
{
	uint32_t pick = UINT32_MAX, fresh = UINT32_MAX, oldest = UINT32_MAX;

	for (uint32_t i = 0; i < p->size && pick == UINT32_MAX; i++) {
		const struct ra_lease *l = &p->l[i];

		if (l->used)
			continue;
		if (l->owner[0] && !strcmp(l->owner, owner))
			pick = i;
		else if (!l->owner[0] && fresh == UINT32_MAX)
			fresh = i;
		else if (l->owner[0] && (oldest == UINT32_MAX || l->released < p->l[oldest].released))
			oldest = i;
	}
	if (pick == UINT32_MAX)
		pick = fresh != UINT32_MAX ? fresh : oldest;
	if (pick == UINT32_MAX)
		return -ENOSPC;
	p->l[pick].used = true;
	snprintf(p->l[pick].owner, sizeof(p->l[pick].owner), "%s", owner);
	p->nused++;
	pool_addr(p, pick, out);
	return 0;
}

int
ra_pool_release(struct ra_pool *p, const struct addr *a)
{
	struct ra_lease *l;

	if (!ra_pool_has(p, a))
		return -ENOENT;
	l = &p->l[ntohl(a->v4.s_addr) - p->first];
	if (!l->used)
		return -ENOENT;
	l->used = false;
	l->released = ++p->clock;
	p->nused--;
	return 0;
}
