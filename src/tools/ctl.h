/* What coatictl's verb files share: the connection and the request helpers. */
#ifndef COATI_TOOLS_CTL_H
#define COATI_TOOLS_CTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "admin/proto.h"
#include "tools/ctl_grammar.h"

struct ctl {
	struct admin_client ac;
	bool json;
	const char *socket;
	/* the verb's words for a daemon status, printed instead of strerror (NULL: none) */
	const char *(*explain)(int err);
};

extern const char *ctl_progname;

/* One request; prints the failure and returns <0, or 0 with the reply (caller frees). */
int ctl_call(struct ctl *c, const char *verb, uint8_t type, const void *req, size_t len,
	     uint8_t **reply, size_t *rlen);
/* A request that only returns a status. */
int ctl_simple(struct ctl *c, const char *verb, uint8_t type, const void *req, size_t len);
/* Free reply, say it was malformed, -EBADMSG. */
int ctl_malformed(uint8_t *reply);
/* "192.0.2.1/32/500" (racoonctl) or "192.0.2.1": the address part; prints the error. */
int ctl_parse_host(const char *s, struct addr *out);

/* ctl_ike.c: show-sa isakmp, establish-sa, delete-sa isakmp, flush-sa isakmp. */
int ctl_show_isakmp(struct ctl *c);
/* The ISAKMP SAs (show-sa isakmp), each to fn until it returns false; 0 or <0 (printed). */
int ctl_isakmp_walk(struct ctl *c,
		    bool (*fn)(void *arg, const struct admin_ike_sa_info *i, uint32_t k), void *arg);
/* vc [-u USER] HOST: connect to a remote access gateway (ctl_vc.c). */
int ctl_vpn_connect(struct ctl *c, const struct ctl_cmd *cmd);
int ctl_establish(struct ctl *c, const struct ctl_cmd *cmd);
int ctl_delete_isakmp(struct ctl *c, const struct ctl_cmd *cmd);

#endif
