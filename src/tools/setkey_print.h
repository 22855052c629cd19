/* setkey -D / -DP style dumps of SAs and policies, as text or JSON. */
#ifndef COATI_TOOLS_SETKEY_PRINT_H
#define COATI_TOOLS_SETKEY_PRINT_H

#include <stdio.h>
#include <time.h>

#include "admin/proto.h"

/*
 * One SA in ipsec-tools' "setkey -D" layout (keys included, as setkey does:
 * the admin socket is root-only), followed by coati's traffic counters.
 * now is the current Unix time; ages in the info are relative to it.
 */
void setkey_print_sa(FILE *f, const struct admin_sa_info *i, time_t now);
/* One policy in "setkey -DP" layout, plus its hit counter. */
void setkey_print_policy(FILE *f, const struct admin_spd_info *i, time_t now);
/* The same as one JSON object each, with every field and counter. */
void setkey_json_sa(FILE *f, const struct admin_sa_info *i, time_t now);
void setkey_json_policy(FILE *f, const struct admin_spd_info *i, time_t now);
/* "mature", "dying", "dead" for the state byte of an SA info. */
const char *setkey_state_name(unsigned state);

#endif
