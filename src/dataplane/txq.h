/*
 * Pending sends of the data plane: packets queued during a batch go out
 * with one sendmmsg per socket run, and runs of equal-sized datagrams to the
 * same UDP peer go as one UDP GSO send (UDP_SEGMENT).
 */
#ifndef COATI_DATAPLANE_TXQ_H
#define COATI_DATAPLANE_TXQ_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include "lib/addr.h"

#define TXQ_MAX 128

struct txq_ent {
	int sock;
	bool udp;     /* may be merged into a UDP GSO send */
	bool has_src; /* src is the source address to use (UDP) */
	struct sockaddr_storage to;
	socklen_t tolen;
	struct addr src;
	struct iovec iov;
};

struct txq {
	struct txq_ent ent[TXQ_MAX];
	unsigned n;
	uint64_t gso_sends; /* UDP GSO sends made, for the counters */
};

static inline bool
txq_full(const struct txq *q)
{
	return q->n == TXQ_MAX;
}

/*
 * Queue len bytes at data (which must stay valid until txq_flush) to dst
 * (port 0 for raw sockets) on sock; src (may be NULL or any) picks the
 * source address of a UDP datagram. The caller checks txq_full first.
 */
void txq_add(struct txq *q, int sock, bool udp, const struct addr *src, const struct addr *dst,
	     uint16_t port, const void *data, size_t len);
/* Send everything queued and empty the queue. Returns the number of packets not sent. */
unsigned txq_flush(struct txq *q);

#endif
