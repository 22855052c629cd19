/*
 * coatid's IKE sockets: UDP on the IKE port of every address (one socket per family),
 * or of the addresses racoon.conf's `listen { isakmp ADDR [PORT]; }` names.
 */
#ifndef COATI_DAEMON_IKE_SOCK_H
#define COATI_DAEMON_IKE_SOCK_H

#include <stddef.h>
#include <stdint.h>

#include "daemon/daemon.h"

#define IKE_SOCKS_MAX 32

struct ike_sock {
	int fd;
	struct addr addr; /* unspecified: every address of addr.family */
	uint16_t port;
	void *arg; /* the owner's, for its input callback */
};

struct ike_socks {
	struct ike_sock s[IKE_SOCKS_MAX];
	size_t n;
};

/*
 * Open the sockets d's configuration and flags ask for. A listed address that is not on
 * the host is bound anyway (IP_FREEBIND: it may come later) with a warning, unless
 * `strict_address` is set: then it is an error with its file:line. 0 or -errno; on
 * error nothing stays open.
 */
int ike_socks_open(struct ike_socks *ss, const struct daemon *d);
void ike_socks_close(struct ike_socks *ss);
/* The socket to send from local:lport: the one bound there, else the family's
 * wildcard one on lport. -1 if none. */
int ike_socks_fd(const struct ike_socks *ss, const struct addr *local, uint16_t lport);
/* The IKE port we listen on at local (bound, else wildcard); 0 if we do not. */
uint16_t ike_socks_port(const struct ike_socks *ss, const struct addr *local);

#endif
