/*
 * The userspace data plane at run time: the TUN device, the raw and UDP
 * sockets, the output path (TUN -> SPD -> SAs -> wire) and the input path
 * (wire -> SAD -> policy check -> TUN), in batches, without allocation per
 * packet. Offloads: the TUN hands us 64 KiB TCP/UDP super-segments that
 * gso.c splits; ESP-in-UDP leaves as UDP GSO sends (txq.c) and arrives
 * UDP-GRO-coalesced; decrypted TCP segments are merged again (gro.c) into
 * one TUN write. Single-threaded: SAD/SPD need no locking.
 */
#ifndef COATI_DATAPLANE_WORKER_H
#define COATI_DATAPLANE_WORKER_H

#include <net/if.h>
#include <stdint.h>

#include "ipsec/sad.h"
#include "ipsec/spd.h"
#include "lib/ev.h"

struct dp_config {
	const char *tun_name; /* "ipsec0" */
	int mtu;              /* of the TUN device */
	uint32_t mark;        /* SO_MARK of our sockets: bypasses the policy routes */
	uint16_t natt_port;   /* UDP encapsulation port (4500) */
};

struct dp_hooks {
	/* A require policy has no SA for req between src and dst (rate limited per policy). */
	void (*acquire)(const struct spd_entry *sp, const struct ipsec_request *req,
			const struct addr *src, const struct addr *dst, void *arg);
	/*
	 * A manual SA reached the sequence number persisted as safe to restart
	 * from: persist a new reservation now. True if e->seq_reserved moved on.
	 */
	bool (*seq_reserve)(struct sad_entry *e, void *arg);
	/* An IKE message that arrived on the NAT-T port behind the non-ESP marker (stripped). */
	void (*ike_input)(const struct addr *local, uint16_t lport, const struct addr *remote,
			  uint16_t rport, const uint8_t *msg, size_t len, void *arg);
	void *arg;
};

struct dp;

/* Open the TUN device and sockets and watch them in loop. 0 or -errno (logged). */
int dp_new(const struct dp_config *cfg, struct sad *sad, struct spd *spd, struct ev_loop *loop,
	   const struct dp_hooks *hooks, struct dp **out);
/* Close everything; the TUN device goes away with its fd. */
void dp_free(struct dp *dp);
/* One NAT-keepalive byte (RFC 3948 2.3) from the NAT-T port to remote:rport. */
int dp_natt_keepalive(struct dp *dp, const struct addr *local, const struct addr *remote,
		      uint16_t rport);
/* Send an IKE message from the NAT-T port, behind the non-ESP marker. 0 or -errno. */
int dp_ike_send(struct dp *dp, const struct addr *local, const struct addr *remote,
		uint16_t rport, const uint8_t *msg, size_t len);
const char *dp_tun_name(const struct dp *dp);
int dp_tun_ifindex(const struct dp *dp);
/* An SA was installed: send queued packets that can go now. */
void dp_flush_queue(struct dp *dp);
/* The same after ms: gives a peer time to install the SA it has just agreed to. */
void dp_flush_queue_later(struct dp *dp, unsigned ms);
/* Periodic work: drop queued packets older than their age limit. */
void dp_tick(struct dp *dp);
/* Report every global counter by name. */
void dp_stats_walk(const struct dp *dp, void (*fn)(const char *name, uint64_t v, void *arg),
		   void *arg);

#endif
