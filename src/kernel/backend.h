/*
 * The kernel backend interface: what the daemon asks of a data plane. The
 * IKE and admin code only see this vtable; `userspace` (ESP over TUN) is
 * the implementation today, XFRM comes later.
 */
#ifndef COATI_KERNEL_BACKEND_H
#define COATI_KERNEL_BACKEND_H

#include <stdint.h>

#include "ipsec/sad.h"
#include "ipsec/spd.h"
#include "lib/ev.h"

struct backend_config {
	const char *tun_name; /* "ipsec0" */
	int mtu;
	uint32_t mark;        /* our sockets' SO_MARK, bypassing the policy table */
	uint32_t table;       /* routing table for policy destinations */
	uint32_t rule_prio;
	uint16_t ike_port, natt_port;
};

struct backend;

struct backend_ops {
	const char *name;
	/* Build data-plane state for an SA just added to the SAD. 0 or -errno. */
	int (*sa_add)(struct backend *b, struct sad_entry *e);
	/* Release it (called for every SAD removal). */
	void (*sa_del)(struct backend *b, struct sad_entry *e);
	/* Steer a policy's traffic into the data plane (routes). 0 or -errno. */
	int (*policy_add)(struct backend *b, struct spd_entry *sp);
	void (*policy_del)(struct backend *b, struct spd_entry *sp);
	/* Bring inbound enforcement in line with the whole SPD, after a change. 0 or -errno. */
	int (*policies_sync)(struct backend *b);
	/* Global counters by name. */
	void (*stats)(struct backend *b, void (*fn)(const char *name, uint64_t v, void *arg),
		      void *arg);
	void (*tick)(struct backend *b);
	/* Send IKE from the NAT-T port behind the non-ESP marker. 0 or -errno. */
	int (*ike_send)(struct backend *b, const struct addr *local, const struct addr *remote,
			uint16_t rport, const uint8_t *msg, size_t len);
	/* A NAT-keepalive (RFC 3948 2.3, one 0xFF byte) from the NAT-T port. 0 or -errno. */
	int (*natt_keepalive)(struct backend *b, const struct addr *local,
			      const struct addr *remote, uint16_t rport);
	void (*free)(struct backend *b);
};

struct backend {
	const struct backend_ops *ops;
};

/* Callback for ACQUIRE events raised by the data plane. */
struct backend_events {
	void (*acquire)(const struct spd_entry *sp, const struct ipsec_request *req,
			const struct addr *src, const struct addr *dst, void *arg);
	/* Persist a new sequence-number reservation for e now (see dp_hooks). */
	bool (*seq_reserve)(struct sad_entry *e, void *arg);
	/* IKE received on the NAT-T port (non-ESP marker stripped). */
	void (*ike_input)(const struct addr *local, uint16_t lport, const struct addr *remote,
			  uint16_t rport, const uint8_t *msg, size_t len, void *arg);
	void *arg;
};

/* The userspace backend: TUN device, sockets, routes and rules. 0 or -errno (logged). */
int backend_userspace_new(const struct backend_config *cfg, struct sad *sad, struct spd *spd,
			  struct ev_loop *loop, const struct backend_events *ev,
			  struct backend **out);

#endif
