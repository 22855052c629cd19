/* The admin socket server: framing, permissions, dispatch to a handler. */
#ifndef COATI_ADMIN_SERVER_H
#define COATI_ADMIN_SERVER_H

#include <stdint.h>
#include <sys/types.h>

#include "lib/buf.h"
#include "lib/ev.h"

/* Handle one request; write the reply payload into w; return the status (0 or -errno). */
typedef int (*admin_handler)(uint8_t type, struct rd *req, struct wr *w, void *arg);

struct admin_server;

/*
 * Listen on a unix socket at path with the given owner, group and mode (as
 * racoon's "adminsock path owner group mode"), replacing a stale socket.
 * The socket file's permissions decide who may connect. 0 or -errno (logged).
 */
int admin_server_open(struct ev_loop *loop, const char *path, uid_t owner, gid_t group,
		      mode_t mode, admin_handler h, void *arg, struct admin_server **out);
/* Close every connection and unlink the socket. */
void admin_server_close(struct admin_server *s);

#endif
