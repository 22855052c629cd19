/* The security policy database. */
#ifndef COATI_IPSEC_SPD_H
#define COATI_IPSEC_SPD_H

#include <stdbool.h>
#include <stdint.h>

#include "ipsec/ipsec.h"

struct spd_entry {
	struct ipsec_policy pol;
	uint64_t id;            /* unique; setkey shows it as "spid" */
	uint64_t seq;           /* insertion order, tie-breaker */
	uint64_t hits;          /* packets matched */
	uint64_t add_time, use_time;
	/* private to spd.c */
	struct spd_entry *hnext, *lnext, *lprev;
};

/* The 5-tuple of a packet, in host order. */
struct spd_flow {
	struct addr src, dst;
	uint8_t proto;
	uint16_t sport, dport; /* for ICMP: type, code */
};

struct spd;

struct spd_hooks {
	void (*added)(struct spd_entry *e, void *arg);   /* e.g. install routes */
	void (*removed)(struct spd_entry *e, void *arg); /* e.g. remove routes */
	void *arg;
};

struct spd *spd_new(const struct spd_hooks *hooks);
void spd_free(struct spd *spd);

/*
 * Add a policy. -EEXIST if one with the same selector and direction exists.
 * update = true replaces it instead (-ENOENT if absent), as setkey spdupdate.
 */
int spd_add(struct spd *spd, const struct ipsec_policy *pol, bool update, uint64_t now,
	    struct spd_entry **out);
/* Delete by selector and direction (setkey spddelete). 0 or -ENOENT. */
int spd_delete(struct spd *spd, const struct ipsec_selector *sel, uint8_t dir);
int spd_flush(struct spd *spd);
/*
 * Best policy for a flow in a direction: lowest priority value, then most
 * specific (longer dst, then src prefix), then oldest. Hash-based: cost is
 * per distinct prefix length, not per policy. NULL if none.
 */
struct spd_entry *spd_lookup(struct spd *spd, uint8_t dir, const struct spd_flow *flow);
/* True if a wins over b in spd_lookup's order (priority, dst length, src length, age). */
bool spd_entry_before(const struct spd_entry *a, const struct spd_entry *b);
int spd_walk(struct spd *spd, int (*fn)(struct spd_entry *e, void *arg), void *arg);
size_t spd_count(const struct spd *spd);
bool ipsec_selector_match(const struct ipsec_selector *sel, const struct spd_flow *flow);
bool ipsec_selector_eq(const struct ipsec_selector *a, const struct ipsec_selector *b);

#endif
