/* The data plane's sockets: raw IPsec protocols in, raw IP out, UDP encapsulation. */
#ifndef COATI_DATAPLANE_SOCK_H
#define COATI_DATAPLANE_SOCK_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include "lib/addr.h"

enum dp_sock_kind {
	DP_SOCK_RAW4_OUT = 0, /* IPPROTO_RAW: we build the whole IPv4 packet */
	DP_SOCK_RAW6_OUT,
	DP_SOCK_ESP4,         /* raw receivers per IPsec protocol and family */
	DP_SOCK_AH4,
	DP_SOCK_COMP4,
	DP_SOCK_ESP6,
	DP_SOCK_AH6,
	DP_SOCK_COMP6,
	DP_SOCK_UDP4,         /* RFC 3948 encapsulation port */
	DP_SOCK_UDP6,
	DP_SOCK__COUNT
};

struct dp_socks {
	int fd[DP_SOCK__COUNT];
};

/*
 * Open every socket, marked with mark so that the policy routing table does
 * not catch our own output. An IPv6 socket that cannot be opened (IPv6
 * disabled) is left at -1 with a warning. 0 or -errno.
 */
int dp_socks_open(struct dp_socks *s, uint32_t mark, uint16_t natt_port);
void dp_socks_close(struct dp_socks *s);
/* The IP protocol a receive socket carries (ESP, AH, IPComp; 17 for UDP). */
uint8_t dp_sock_proto(enum dp_sock_kind k);
uint8_t dp_sock_family(enum dp_sock_kind k);
/* The local address of a received datagram (IP_PKTINFO/IPV6_PKTINFO), false if absent. */
/*
 * The segment size of a UDP GRO datagram (the UDP sockets ask for UDP_GRO):
 * every segment but the last has this size. 0 when not coalesced.
 */
uint16_t dp_sock_cmsg_gro(struct msghdr *m);

#endif
