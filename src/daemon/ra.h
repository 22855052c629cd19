/*
 * coatid's remote access gateway: Xauth logins checked against racoon.conf's mode_cfg
 * auth_source (system or pam) and auth_groups, throttled per peer, and the mode config
 * (address pool, DNS, WINS, domain, split networks, banner) handed to each client.
 */
#ifndef COATI_DAEMON_RA_H
#define COATI_DAEMON_RA_H

#include "config/conf.h"
#include "ike/v1/engine.h"

struct ike_ra;

/* State for cfg's mode_cfg section (a pool only when network4 and pool_size are set). */
int ike_ra_new(const struct cfg *cfg, struct ike_ra **out);
void ike_ra_free(struct ike_ra *ra);
/* A reload: the pool is kept when network4 and pool_size did not change, else replaced
 * (addresses held from the old one are then not handed out again by it). */
void ike_ra_reconfigure(struct ike_ra *ra, const struct cfg *cfg);
/* ikev1_env.xauth_check / modecfg_lease / modecfg_release, with now for the throttle. */
int ike_ra_login(struct ike_ra *ra, const struct cfg *cfg, const struct ikev1_peer *p,
		 const char *user, const char *password, uint64_t now);
int ike_ra_lease(struct ike_ra *ra, const struct cfg *cfg, const struct ikev1_peer *p,
		 const char *user, struct ikev1_modecfg *out);
void ike_ra_release(struct ike_ra *ra, const struct addr *a);

#endif
