/*
 * Failed Xauth logins per peer (racoon's auth_throttle, made progressive): a guessing
 * peer waits base, 2 base, 4 base ... up to AUTH_THROTTLE_MAX_MS between tries. The table
 * is bounded: a new peer takes the slot of the one heard from longest ago.
 */
#include "auth/auth.h"

#include <string.h>

void
auth_throttle_init(struct auth_throttle *t, uint32_t base_ms)
{
	memset(t, 0, sizeof(*t));
	t->base_ms = base_ms;
}

static struct auth_throttle_entry *
throttle_find(const struct auth_throttle *t, const struct addr *peer)
{
	for (size_t i = 0; i < AUTH_THROTTLE_PEERS; i++)
		if (t->e[i].fails && addr_eq(&t->e[i].peer, peer))
			return (struct auth_throttle_entry *)&t->e[i];
	return NULL;
}

bool
auth_throttle_allowed(const struct auth_throttle *t, const struct addr *peer, uint64_t now)
{
	const struct auth_throttle_entry *e = throttle_find(t, peer);

	return e == NULL || now >= e->until_ms;
}

void
auth_throttle_record(struct auth_throttle *t, const struct addr *peer, bool ok, uint64_t now)
{
	struct auth_throttle_entry *e = throttle_find(t, peer), *old = &t->e[0];
	uint64_t delay;

	if (ok || (e && now - e->last_ms >= AUTH_THROTTLE_FORGET_MS)) {
		if (e)
			memset(e, 0, sizeof(*e));
		if (ok)
			return;
		e = NULL;
	}
	if (e == NULL) {
		for (size_t i = 0; i < AUTH_THROTTLE_PEERS; i++) {
			if (!t->e[i].fails) {
				old = &t->e[i];
				break;
			}
			if (t->e[i].last_ms < old->last_ms)
				old = &t->e[i];
		}
		e = old;
		memset(e, 0, sizeof(*e));
		e->peer = *peer;
	}
	if (e->fails < 32)
		e->fails++;
	delay = (uint64_t)t->base_ms << (e->fails - 1 < 16 ? e->fails - 1 : 16);
	if (delay > AUTH_THROTTLE_MAX_MS)
		delay = AUTH_THROTTLE_MAX_MS;
	e->last_ms = now;
	e->until_ms = now + delay;
}
