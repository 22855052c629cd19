/* racoon.conf remotes and sainfos, with psk.txt, as the IKEv1 engine's configuration. */
#ifndef COATI_DAEMON_IKE_CONF_H
#define COATI_DAEMON_IKE_CONF_H

#include "config/conf.h"
#include "ike/v1/engine.h"

/* The engine configurations of every remote of a racoon.conf, built once per (re)load. */
struct ike_conf {
	struct ikev1_remote *remotes; /* parallel to cfg->remotes */
	size_t n;
	const struct cfg *cfg;
};

/*
 * Build the engine's view of cfg: proposals, identities, NAT-T, timers, the
 * sainfo (the first anonymous one, else the first) and the pre-shared key
 * from cfg's psk.txt (looked up by the peer's identifier, then its address).
 * Unsupported settings are logged with their file:line and left out.
 * 0, -ENOMEM, or the psk.txt error (its refusal is logged).
 */
int ike_conf_build(const struct cfg *cfg, struct ike_conf *out);
/* Wipe (pre-shared keys) and free. */
void ike_conf_free(struct ike_conf *c);
/* The remote for a peer address: the address form first, then anonymous. NULL if none. */
const struct ikev1_remote *ike_conf_find(const struct ike_conf *c, const struct addr *peer);

/* The script file (as written in racoon.conf) of the remote r was built from, or NULL. */
const char *ike_conf_script(const struct ike_conf *c, const struct ikev1_remote *r,
			    enum cfg_script which);

#endif
