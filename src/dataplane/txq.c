/* Batched sending: sendmmsg, with UDP GSO for runs of equal-sized datagrams. */
#include "dataplane/txq.h"
#include "lib/pktinfo.h"

#include <errno.h>
#include <netinet/udp.h>
#include <string.h>

#include "lib/log.h"

/* Linux udp.h: UDP_MAX_SEGMENTS; the whole run must fit one 64 KiB IP datagram. */
#define TXQ_GSO_SEGS 64
#define TXQ_GSO_BYTES (65535 - 40 - 8)

#define TXQ_CBUF (PKTINFO_SPACE + CMSG_SPACE(sizeof(uint16_t)))

void
txq_add(struct txq *q, int sock, bool udp, const struct addr *src, const struct addr *dst,
	uint16_t port, const void *data, size_t len)
{
	struct txq_ent *t = &q->ent[q->n++];

	t->sock = sock;
	t->udp = udp;
	t->tolen = addr_to_sockaddr(dst, port, &t->to);
	t->has_src = src && !addr_is_any(src);
	if (t->has_src)
		t->src = *src;
	t->iov.iov_base = (void *)data;
	t->iov.iov_len = len;
}

/* Can entry b ride in the same UDP GSO send as the run starting at a (n entries so far)? */
static bool
txq_same_run(const struct txq_ent *a, const struct txq_ent *b, unsigned n, size_t bytes)
{
	return a->udp && b->udp && a->sock == b->sock && n < TXQ_GSO_SEGS &&
	       b->iov.iov_len <= a->iov.iov_len && bytes + b->iov.iov_len <= TXQ_GSO_BYTES &&
	       a->tolen == b->tolen && memcmp(&a->to, &b->to, a->tolen) == 0 &&
	       a->has_src == b->has_src && (!a->has_src || addr_eq(&a->src, &b->src));
}

static void
txq_cmsg(struct msghdr *m, char *cbuf, const struct txq_ent *t, uint16_t gso)
{
	struct cmsghdr *c;
	size_t len = 0;

	/* CMSG_NXTHDR reads the next header's length: it must not be stack garbage */
	memset(cbuf, 0, TXQ_CBUF);
	m->msg_control = cbuf;
	m->msg_controllen = TXQ_CBUF;
	c = CMSG_FIRSTHDR(m);
	if (t->has_src) {
		len += pktinfo_put(c, &t->src);
		c = CMSG_NXTHDR(m, c);
	}
	if (gso) {
		c->cmsg_level = SOL_UDP;
		c->cmsg_type = UDP_SEGMENT;
		c->cmsg_len = CMSG_LEN(sizeof(gso));
		memcpy(CMSG_DATA(c), &gso, sizeof(gso));
		len += CMSG_SPACE(sizeof(gso));
	}
	m->msg_controllen = len;
	if (!len)
		m->msg_control = NULL;
}

/*
 * A GSO send the path refused (segment above the route MTU, device without
 * checksum offload): the datagrams one by one, so the kernel may fragment
 * them as it would any other. UDP_SEGMENT is always the last cmsg.
 */
static unsigned
txq_send_each(int sock, const struct msghdr *m)
{
	struct msghdr one = *m;
	unsigned lost = 0;

	one.msg_controllen -= CMSG_SPACE(sizeof(uint16_t));
	if (!one.msg_controllen)
		one.msg_control = NULL;
	one.msg_iovlen = 1;
	for (size_t j = 0; j < m->msg_iovlen; j++) {
		one.msg_iov = &m->msg_iov[j];
		lost += sendmsg(sock, &one, MSG_DONTWAIT) < 0;
	}
	return lost;
}

/* Send msg[0..n) (all on sock); returns the packets lost (cnt[] packets per message). */
static unsigned
txq_send(int sock, struct mmsghdr *msg, const unsigned *cnt, unsigned n)
{
	unsigned lost = 0, k = 0;

	while (k < n) {
		int sent = sendmmsg(sock, &msg[k], n - k, MSG_DONTWAIT);

		if (sent > 0) {
			k += (unsigned)sent;
			continue;
		}
		log_debug2_f("sendmmsg: %u of %u sent: %s", k, n, strerror(errno));
		if (errno == EAGAIN || errno == ENOBUFS) {
			for (; k < n; k++) /* the socket is full: the rest would fail too */
				lost += cnt[k];
			break;
		}
		lost += cnt[k] > 1 ? txq_send_each(sock, &msg[k].msg_hdr) : 1;
		k++;
	}
	return lost;
}

unsigned
txq_flush(struct txq *q)
{
	struct mmsghdr msg[TXQ_MAX];
	struct iovec iov[TXQ_MAX];
	char cbuf[TXQ_MAX][TXQ_CBUF];
	unsigned cnt[TXQ_MAX], nmsg = 0, lost = 0, i = 0, first = 0, mfirst = 0;

	memset(msg, 0, sizeof(msg[0]) * q->n);
	while (i < q->n) {
		const struct txq_ent *a = &q->ent[i];
		struct msghdr *m = &msg[nmsg].msg_hdr;
		size_t bytes = a->iov.iov_len;
		unsigned n = 1;

		iov[i] = a->iov;
		/* a shorter datagram ends the run: the kernel allows only the last to be short */
		while (i + n < q->n && q->ent[i + n - 1].iov.iov_len == a->iov.iov_len &&
		       txq_same_run(a, &q->ent[i + n], n, bytes)) {
			iov[i + n] = q->ent[i + n].iov;
			bytes += q->ent[i + n].iov.iov_len;
			n++;
		}
		m->msg_name = (void *)&a->to;
		m->msg_namelen = a->tolen;
		m->msg_iov = &iov[i];
		m->msg_iovlen = n;
		txq_cmsg(m, cbuf[nmsg], a, n > 1 ? (uint16_t)a->iov.iov_len : 0);
		q->gso_sends += n > 1;
		cnt[nmsg++] = n;
		i += n;
		/* consecutive messages to the same socket go in one sendmmsg */
		if (i == q->n || q->ent[i].sock != q->ent[first].sock) {
			lost += txq_send(q->ent[first].sock, &msg[mfirst], &cnt[mfirst],
					 nmsg - mfirst);
			first = i;
			mfirst = nmsg;
		}
	}
	q->n = 0;
	return lost;
}
