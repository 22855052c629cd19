/*
 * Login backends for Xauth (and later EAP): the shadow database, PAM, and the per-peer
 * throttle of failed logins. Each check answers 0 (accepted) or -EACCES (wrong password,
 * unknown or locked user, not in a required group) or another -errno for a failure of
 * the backend itself. Passwords are never logged and the copies made here are wiped.
 */
#ifndef COATI_AUTH_AUTH_H
#define COATI_AUTH_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/addr.h"

/* The shadow entry (or the passwd one) of user, through crypt(3). */
int auth_system(const char *user, const char *password);

/*
 * PAM: authenticate and check the account with the service of auth_pam_service().
 * The conversation answers the password prompt with password and nothing else.
 */
int auth_pam(const char *user, const char *password);
/* COATI_PAM_SERVICE from the environment, else "coati", else "racoon" when only a
 * PAM configuration for racoon exists (a racoon site keeps its stack). */
const char *auth_pam_service(void);

/* Whether user belongs to one of groups (primary or supplementary); true if n is 0. */
bool auth_in_groups(const char *user, char *const *groups, size_t n);

/* Failed logins per peer address: after each one the peer is refused for a delay that
 * doubles with every further failure (first delay base_ms, at most AUTH_THROTTLE_MAX_MS). */
#define AUTH_THROTTLE_PEERS 256
#define AUTH_THROTTLE_MAX_MS 60000u
#define AUTH_THROTTLE_FORGET_MS 600000u /* a peer quiet this long starts afresh */

struct auth_throttle_entry {
	struct addr peer;
	uint32_t fails;
	uint64_t last_ms, until_ms;
};

struct auth_throttle {
	struct auth_throttle_entry e[AUTH_THROTTLE_PEERS];
	uint32_t base_ms;
};

void auth_throttle_init(struct auth_throttle *t, uint32_t base_ms);
/* Whether peer may try to log in now (false while its delay runs). */
bool auth_throttle_allowed(const struct auth_throttle *t, const struct addr *peer, uint64_t now);
/* Record a failed (ok false) or a successful login of peer at now. */
void auth_throttle_record(struct auth_throttle *t, const struct addr *peer, bool ok, uint64_t now);

#endif
