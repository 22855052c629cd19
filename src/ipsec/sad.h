/* The security association database: SAs by SPI inbound, by endpoints outbound. */
#ifndef COATI_IPSEC_SAD_H
#define COATI_IPSEC_SAD_H

#include <stdbool.h>
#include <stdint.h>

#include "ipsec/ipsec.h"

enum sad_state {
	SAD_STATE_MATURE = 0,
	SAD_STATE_DYING,     /* soft lifetime passed: still used, rekey wanted */
	SAD_STATE_DEAD,      /* hard lifetime passed: removed at the next sad_expire */
};

struct sad_entry {
	struct ipsec_sa sa;
	struct ipsec_counters ctr;
	uint64_t seq_out;       /* last sequence number sent (64 bits with ESN) */
	uint64_t seq_reserved;  /* store: highest seq_out persisted as safe to restart from */
	uint64_t add_time;      /* monotonic seconds */
	uint64_t use_time;      /* first use, 0 = never used */
	uint8_t state;          /* enum sad_state */
	uint64_t id;            /* unique, stable while installed */
	void *backend;          /* data-plane state owned by the kernel backend */
	/* private to sad.c */
	struct sad_entry *hnext_spi, *hnext_out, *lnext, *lprev;
};

struct sad;

/* Hooks the SAD calls; any may be NULL. Run from sad_* calls on the caller's thread. */
struct sad_hooks {
	void (*soft_expire)(struct sad_entry *e, void *arg);
	void (*hard_expire)(struct sad_entry *e, void *arg); /* just before removal */
	void (*removed)(struct sad_entry *e, void *arg);     /* any removal: free e->backend */
	void *arg;
};

struct sad *sad_new(const struct sad_hooks *hooks);
void sad_free(struct sad *sad);

/* Add an SA. -EEXIST if (dst, proto, spi) exists, -EINVAL if parameters are inconsistent. */
int sad_add(struct sad *sad, const struct ipsec_sa *sa, uint64_t now, struct sad_entry **out);
/* Replace parameters of an existing SA (setkey "update"); counters stay. -ENOENT if absent. */
int sad_update(struct sad *sad, const struct ipsec_sa *sa, struct sad_entry **out);
struct sad_entry *sad_get(struct sad *sad, const struct addr *dst, uint8_t proto, uint32_t spi);
/* Inbound lookup by SPI and protocol (and dst when given: family 0 matches any). */
struct sad_entry *sad_lookup_in(struct sad *sad, const struct addr *dst, uint8_t proto,
				uint32_t spi);
/*
 * Outbound lookup for one bundle element: SA of proto between src and dst,
 * matching mode (ANY matches any) and reqid when non-zero. Prefers the newest
 * MATURE SA, then DYING ones (make-before-break rekeying).
 */
struct sad_entry *sad_lookup_out(struct sad *sad, const struct addr *src,
				 const struct addr *dst, uint8_t proto, uint8_t mode,
				 uint32_t reqid);
int sad_delete(struct sad *sad, const struct addr *dst, uint8_t proto, uint32_t spi);
/* setkey "deleteall src dst proto": every SA of proto from src to dst. Returns count. */
int sad_delete_all(struct sad *sad, const struct addr *src, const struct addr *dst,
		   uint8_t proto);
/* Remove every SA of proto (ANY = all). Returns count. */
int sad_flush(struct sad *sad, uint8_t proto);
/* Iterate in insertion order; stop when fn returns non-zero and return that. */
int sad_walk(struct sad *sad, int (*fn)(struct sad_entry *e, void *arg), void *arg);
size_t sad_count(const struct sad *sad);

/*
 * Account a processed packet of len bytes: counters, first use, byte
 * lifetimes. Returns false if the SA hit its hard byte limit (drop).
 */
bool sad_account(struct sad *sad, struct sad_entry *e, uint64_t len, uint64_t now);
/* Time-driven lifetimes: soft -> DYING + hook, hard -> hook + removal. */
void sad_expire(struct sad *sad, uint64_t now);
/* Seconds until the next time-based lifetime event (UINT64_MAX: none). */
uint64_t sad_next_expiry(const struct sad *sad, uint64_t now);

#endif
