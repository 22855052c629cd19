/* IP_PKTINFO / IPV6_PKTINFO: the local address of a datagram, in and out. */
#ifndef COATI_LIB_PKTINFO_H
#define COATI_LIB_PKTINFO_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

#include "lib/addr.h"

/* Room for one pktinfo control message of either family. */
#define PKTINFO_SPACE CMSG_SPACE(sizeof(struct in6_pktinfo))

/* Ask for the local address of received datagrams on fd (family's option). 0 or -errno. */
int pktinfo_enable(int fd, uint8_t family);
/* The destination address a received message carried. False if absent. */
bool pktinfo_get(struct msghdr *m, struct addr *dst);
/*
 * Write a control message that sends from src at c (a cmsghdr inside a zeroed
 * control buffer) and return its CMSG_SPACE.
 */
size_t pktinfo_put(struct cmsghdr *c, const struct addr *src);
/* sendmsg iov[n] on fd from src (when of to's family) to to:port. 0 or -errno. */
int pktinfo_sendmsg(int fd, const struct addr *src, const struct addr *to, uint16_t port,
		    struct iovec *iov, size_t n);

#endif
