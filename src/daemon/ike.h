/* coatid's IKEv1: sockets on the IKE port, the engine's environment, ACQUIRE-driven starts. */
#ifndef COATI_DAEMON_IKE_H
#define COATI_DAEMON_IKE_H

#include "daemon/daemon.h"

/* Open UDP port isakmp_port (v4 and v6) and build the engine from d->cfg. 0 or -errno. */
int daemon_ike_start(struct daemon *d);
/* Delete every negotiated SA and close the sockets. */
void daemon_ike_stop(struct daemon *d);
/* The configuration changed: rebuild the engine's view of racoon.conf and psk.txt. */
int daemon_ike_reconfigure(struct daemon *d);
/* Traffic for a require policy has no SA: negotiate one with the right remote. */
void daemon_ike_acquire(struct daemon *d, const struct spd_entry *sp,
			const struct ipsec_request *req, const struct addr *src,
			const struct addr *dst);
/* racoonctl establish-sa (ADMIN_IKE_ESTABLISH, format in admin/proto.h): start phase 1,
 * or phase 1 and Quick Mode for an outbound policy; the peer and the IPsec SA pairs held
 * with it so far go into w. 0 once
 * started, -ESRCH no such policy, -ENOENT no remote for the peer, -EBADMSG, or the
 * engine's error. */
int daemon_ike_establish(struct daemon *d, struct rd *req, struct wr *w);
/* ADMIN_IKE_DELETE: delete the peer's ISAKMP SAs and their IPsec SAs; -ENOENT if none. */
int daemon_ike_delete(struct daemon *d, struct rd *req);
/* ADMIN_IKE_FLUSH: delete every ISAKMP SA and its IPsec SAs. */
int daemon_ike_flush(struct daemon *d);
/* ISAKMP SAs for ADMIN_IKE_SA_DUMP (format in admin/proto.h). */
int daemon_ike_dump(struct daemon *d, struct wr *w);
/* status lines for remote access SAs ("vpn PEER" = "user U address A"), as string
 * pairs into w; returns how many. */
uint32_t daemon_ike_status(struct daemon *d, struct wr *w);
/* ADMIN_IKE_VC: addr gateway, string user ("": none), string password. 0 or -errno. */
int daemon_ike_vc(struct daemon *d, struct rd *req);
/* IKE that arrived on the NAT-T port (backend_events.ike_input). */
void daemon_ike_natt_input(const struct addr *local, uint16_t lport, const struct addr *remote,
			   uint16_t rport, const uint8_t *msg, size_t len, void *arg);
/* A negotiated SA reached its soft (renew) or hard (gone) lifetime in the SAD. */
void daemon_ike_sa_expired(struct daemon *d, const struct sad_entry *e, bool hard);

#endif
