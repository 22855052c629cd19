/* The mode config variables of racoon's phase1_up/phase1_down for a remote access client. */
#ifndef COATI_DAEMON_SCRIPT_RA_H
#define COATI_DAEMON_SCRIPT_RA_H

#include <stddef.h>

#include "ike/v1/engine.h"

#define SCRIPT_RA_VARS 12 /* at most this many */
#define SCRIPT_RA_BUF 4096

/*
 * INTERNAL_ADDR4, INTERNAL_NETMASK4, INTERNAL_CIDR4, INTERNAL_DNS4(_LIST),
 * INTERNAL_WINS4(_LIST), DEFAULT_DOMAIN, SPLIT_INCLUDE(_CIDR) / SPLIT_LOCAL(_CIDR) as
 * "NAME=value" strings packed into buf[cap], their pointers appended to envp from *n
 * (up to max). Text from the gateway has its control characters replaced. Values that do
 * not fit are left out.
 */
void script_env_modecfg(const struct ikev1_modecfg *mc, char *buf, size_t cap, char **envp,
			size_t *n, size_t max);

#endif
