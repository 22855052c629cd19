/* Admin-protocol requests for parsed setkey commands. */
#ifndef COATI_TOOLS_SETKEY_MSG_H
#define COATI_TOOLS_SETKEY_MSG_H

#include <stddef.h>
#include <stdint.h>

#include "lib/buf.h"
#include "tools/setkey_parse.h"

/* The admin message type (enum admin_type) that carries a command. */
uint8_t setkey_cmd_type(const struct setkey_cmd *c);
/* Append the request body of one command to w (check wr_ok at the end). */
void setkey_cmd_encode(struct wr *w, const struct setkey_cmd *c);
/* Append an ADMIN_BATCH body holding the n commands (all or nothing on the daemon). */
void setkey_batch_encode(struct wr *w, const struct setkey_cmd *cmds, size_t n);

#endif
