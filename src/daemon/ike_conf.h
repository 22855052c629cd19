/* racoon.conf remotes and sainfos, with psk.txt, as the IKEv1 engine's configuration. */
#ifndef COATI_DAEMON_IKE_CONF_H
#define COATI_DAEMON_IKE_CONF_H

#include "config/conf.h"
#include "config/psk.h"
#include "daemon/ike_cert.h"
#include "ike/v1/engine.h"

/* The engine configurations of every remote of a racoon.conf, built once per (re)load. */
struct ike_conf {
	struct ikev1_remote *remotes; /* parallel to cfg->remotes */
	size_t n;
	const struct cfg *cfg;
	struct psk_db *psk; /* psk.txt, for remotes without a key of their own */
	struct ike_cred *creds; /* parallel to remotes: the certificates they point to */
	struct x509_store *ca;  /* path certificate's CAs and CRLs, shared by the remotes */
};

/*
 * Build the engine's view of cfg: proposals, identities, NAT-T, timers, the
 * sainfo (the first anonymous one, else the first) and the pre-shared key
 * from cfg's psk.txt (looked up by the peer's identifier, then its address),
 * certificates, keys and CAs (ike_cert.h). Unsupported settings are logged with
 * their file:line and left out. 0, -ENOMEM, the psk.txt error or -EINVAL for a
 * certificate or key that cannot be used (logged with its file:line); on error
 * nothing is left allocated.
 */
int ike_conf_build(const struct cfg *cfg, struct ike_conf *out);
/* racoon's psk.txt look-up at negotiation time (ikev1_env.psk): the peer's phase 1 ID
 * text (FQDN, USER_FQDN, KEY_ID as text, an address ID as an address), else its address. */
int ike_conf_psk(const struct ike_conf *c, const struct addr *peer, uint8_t id_type,
		 const uint8_t *id, size_t id_len, uint8_t *key, size_t *key_len);
/* Wipe (pre-shared keys), free the credentials and the rest. */
void ike_conf_free(struct ike_conf *c);
/* The racoon.conf remote that r, one of c's remotes, was built from. */
const struct cfg_remote *ike_conf_cfg(const struct ike_conf *c, const struct ikev1_remote *r);
/* The remote for a peer address: the address form first, then anonymous. NULL if none. */
const struct ikev1_remote *ike_conf_find(const struct ike_conf *c, const struct addr *peer);

/* The script file (as written in racoon.conf) of the remote r was built from, or NULL. */
const char *ike_conf_script(const struct ike_conf *c, const struct ikev1_remote *r,
			    enum cfg_script which);

#endif
