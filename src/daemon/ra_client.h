/*
 * coatid as a remote access client: the Xauth login for a gateway (given by coatictl vc,
 * else the remote's xauth_login with its password from psk.txt, as racoon reads it), and
 * the mode config received: the address on the TUN device (routes follow from the
 * policies of the negotiated SAs, with it as source), a resolv.conf fragment in the state
 * directory, all undone when the ISAKMP SA goes (vd, DPD, expiry, shutdown).
 */
#ifndef COATI_DAEMON_RA_CLIENT_H
#define COATI_DAEMON_RA_CLIENT_H

#include "config/psk.h"
#include "ike/v1/engine.h"

struct ra_clients;

/* For TUN device tun_name, fragments under state_dir. 0 or -errno. */
int ra_clients_new(const char *tun_name, const char *state_dir, struct ra_clients **out);
/* Undo every applied configuration, wipe the stored logins, free. NULL is fine. */
void ra_clients_free(struct ra_clients *c);
/* coatictl vc: the login for gateway peer (copied; wiped once used). 0 or -ENOMEM. */
int ra_clients_vc(struct ra_clients *c, const struct addr *peer, const char *user,
		  const char *password);
/* ikev1_env.xauth_login: the vc login for peer, else login (xauth_login) with its
 * psk.txt entry. 0 or -ENOENT. */
int ra_clients_login(struct ra_clients *c, const struct addr *peer, const char *login,
		     const struct psk_db *psk, char *user, size_t ucap, char *pass, size_t pcap);
/* ikev1_env.modecfg_apply for peer. 0 or -errno (nothing left behind). */
int ra_clients_apply(struct ra_clients *c, const struct addr *peer, const struct ikev1_modecfg *mc);
/* The configuration applied for peer, or NULL. */
const struct ikev1_modecfg *ra_clients_get(const struct ra_clients *c, const struct addr *peer);
/* Undo what was applied for peer (address a); false if nothing was (a gateway lease). */
bool ra_clients_release(struct ra_clients *c, const struct addr *peer, const struct addr *a);

#endif
