/* The userspace data plane: output and input paths in batches. */
#include "dataplane/worker.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "dataplane/ip.h"
#include "dataplane/ipsec_io.h"
#include "dataplane/pkt.h"
#include "dataplane/sock.h"
#include "dataplane/tun.h"
#include "lib/buf.h"
#include "lib/log.h"

#define DP_BATCH 64
#define DP_QUEUE_MAX 128      /* packets held while a require policy waits for its SA */
#define DP_QUEUE_AGE_MS 5000
#define DP_ACQUIRE_SLOTS 64   /* policies remembered for ACQUIRE rate limiting */
#define DP_ACQUIRE_GAP_MS 1000

/* Global counters, in the order coatictl stats prints them. */
#define DP_STATS(X)                                                                      \
	X(tun_rx) X(tun_tx) X(tun_invalid) X(out_ipsec) X(out_bypass) X(out_discard)         \
	X(out_no_sa_queued) X(out_queue_sent) X(out_queue_dropped) X(out_seq_overflow)   \
	X(out_error) X(send_error) X(in_packets) X(in_delivered) X(in_no_sa)              \
	X(in_auth_fail) X(in_replay) X(in_invalid) X(in_policy_drop) X(in_dummy)          \
	X(natt_keepalive) X(natt_ike_dropped) X(acquire)

struct dp_stats {
#define X(n) uint64_t n;
	DP_STATS(X)
#undef X
};

struct dp_queued {
	struct pkt *p;
	uint64_t when_ms;
};

struct dp_acq {
	uint64_t policy_id, when_ms;
};

/* One pending send: a packet out of a batch, to a socket and address. */
struct dp_tx {
	int sock;
	struct sockaddr_storage to;
	socklen_t tolen;
	struct iovec iov;
	struct in_pktinfo pi4; /* source for UDP encapsulation */
	struct in6_pktinfo pi6;
	bool has_src;
};

struct dp {
	struct dp_config cfg;
	struct sad *sad;
	struct spd *spd;
	struct ev_loop *loop;
	struct dp_hooks hooks;
	struct dp_socks socks;
	int tun_fd, tun_ifindex;
	char tun_name[IFNAMSIZ];
	struct dp_stats st;
	struct pkt *rx[DP_BATCH];
	struct dp_tx tx[DP_BATCH];
	unsigned ntx;
	struct dp_queued queue[DP_QUEUE_MAX];
	unsigned nqueue;
	struct dp_acq acq[DP_ACQUIRE_SLOTS];
};

static void dp_output(struct dp *dp, struct pkt *p, bool from_queue);

/* ---- sending ---------------------------------------------------------- */

static void
dp_tx_flush(struct dp *dp)
{
	struct mmsghdr msg[DP_BATCH];
	char cbuf[DP_BATCH][CMSG_SPACE(sizeof(struct in6_pktinfo))];
	unsigned i = 0;

	memset(msg, 0, sizeof(struct mmsghdr) * dp->ntx);
	for (unsigned k = 0; k < dp->ntx; k++) {
		struct dp_tx *t = &dp->tx[k];
		struct msghdr *m = &msg[k].msg_hdr;

		m->msg_name = &t->to;
		m->msg_namelen = t->tolen;
		m->msg_iov = &t->iov;
		m->msg_iovlen = 1;
		if (t->has_src) {
			struct cmsghdr *c;
			bool v6 = t->to.ss_family == AF_INET6;

			m->msg_control = cbuf[k];
			m->msg_controllen = v6 ? CMSG_SPACE(sizeof(t->pi6)) : CMSG_SPACE(sizeof(t->pi4));
			c = CMSG_FIRSTHDR(m);
			c->cmsg_level = v6 ? IPPROTO_IPV6 : IPPROTO_IP;
			c->cmsg_type = v6 ? IPV6_PKTINFO : IP_PKTINFO;
			c->cmsg_len = v6 ? CMSG_LEN(sizeof(t->pi6)) : CMSG_LEN(sizeof(t->pi4));
			memcpy(CMSG_DATA(c), v6 ? (void *)&t->pi6 : (void *)&t->pi4,
			       v6 ? sizeof(t->pi6) : sizeof(t->pi4));
		}
	}
	/* consecutive packets to the same socket go in one sendmmsg */
	while (i < dp->ntx) {
		unsigned j = i;
		int sent;

		while (j < dp->ntx && dp->tx[j].sock == dp->tx[i].sock)
			j++;
		sent = sendmmsg(dp->tx[i].sock, &msg[i], j - i, MSG_DONTWAIT);
		if (sent < 0)
			sent = 0;
		if ((unsigned)sent < j - i) {
			dp->st.send_error += j - i - (unsigned)sent;
			log_debug2_f("sendmmsg: %u of %u sent: %s", sent, j - i, strerror(errno));
		}
		i = j;
	}
	dp->ntx = 0;
}

static struct dp_tx *
dp_tx_slot(struct dp *dp)
{
	if (dp->ntx == DP_BATCH)
		dp_tx_flush(dp);
	return &dp->tx[dp->ntx++];
}

/* Send a full IP packet as it is (our raw socket is marked: normal routing). */
static void
dp_send_raw(struct dp *dp, struct pkt *p)
{
	struct ip_info ii;
	struct dp_tx *t;
	int fd;

	if (ip_parse(p->data, p->len, &ii) < 0) {
		dp->st.out_error++;
		return;
	}
	fd = dp->socks.fd[ii.family == AF_INET ? DP_SOCK_RAW4_OUT : DP_SOCK_RAW6_OUT];
	if (fd < 0) {
		dp->st.send_error++;
		return;
	}
	t = dp_tx_slot(dp);
	t->sock = fd;
	t->tolen = addr_to_sockaddr(&ii.dst, 0, &t->to);
	t->iov.iov_base = p->data;
	t->iov.iov_len = p->len;
	t->has_src = false;
}

/* RFC 3948: the ESP packet after the outer IP header goes in a UDP datagram. */
static void
dp_send_udp(struct dp *dp, struct pkt *p, const struct sad_entry *e)
{
	struct ip_info ii;
	struct dp_tx *t;
	int fd;

	if (ip_parse(p->data, p->len, &ii) < 0) {
		dp->st.out_error++;
		return;
	}
	fd = dp->socks.fd[ii.family == AF_INET ? DP_SOCK_UDP4 : DP_SOCK_UDP6];
	if (fd < 0) {
		dp->st.send_error++;
		return;
	}
	t = dp_tx_slot(dp);
	t->sock = fd;
	t->tolen = addr_to_sockaddr(&e->sa.dst, e->sa.encap_dport, &t->to);
	t->iov.iov_base = p->data + ii.hdr_len;
	t->iov.iov_len = p->len - ii.hdr_len;
	t->has_src = !addr_is_any(&e->sa.src);
	if (ii.family == AF_INET) {
		memset(&t->pi4, 0, sizeof(t->pi4));
		t->pi4.ipi_spec_dst = e->sa.src.v4;
	} else {
		memset(&t->pi6, 0, sizeof(t->pi6));
		t->pi6.ipi6_addr = e->sa.src.v6;
	}
}

/* ---- output: TUN -> policy -> SAs -> wire -------------------------------- */

static bool
dp_acquire_due(struct dp *dp, uint64_t policy_id, uint64_t now)
{
	struct dp_acq *slot = &dp->acq[policy_id % DP_ACQUIRE_SLOTS];

	if (slot->policy_id == policy_id && now - slot->when_ms < DP_ACQUIRE_GAP_MS)
		return false;
	slot->policy_id = policy_id;
	slot->when_ms = now;
	return true;
}

static void
dp_enqueue(struct dp *dp, struct pkt *p)
{
	struct dp_queued *q;

	if (dp->nqueue == DP_QUEUE_MAX) {
		dp->st.out_queue_dropped++;
		return;
	}
	q = &dp->queue[dp->nqueue++];
	pkt_reset(q->p);
	memcpy(q->p->data, p->data, p->len);
	q->p->len = p->len;
	q->when_ms = ev_now_ms();
	dp->st.out_no_sa_queued++;
}

/*
 * Resolve the SAs of a policy's bundle for this flow. Returns the number of
 * SAs, or -ENOENT when a required one is missing (an ACQUIRE was raised).
 */
static int
dp_resolve(struct dp *dp, struct spd_entry *sp, const struct spd_flow *f,
	   struct sad_entry *sas[IPSEC_BUNDLE_MAX])
{
	bool missing = false;
	int n = 0;

	for (unsigned i = 0; i < sp->pol.nreq; i++) {
		const struct ipsec_request *rq = &sp->pol.req[i];
		bool tunnel = rq->mode == IPSEC_MODE_TUNNEL;
		const struct addr *src = tunnel ? &rq->src : &f->src;
		const struct addr *dst = tunnel ? &rq->dst : &f->dst;
		uint32_t reqid = rq->level == IPSEC_LEVEL_UNIQUE ? rq->reqid : 0;
		struct sad_entry *e = sad_lookup_out(dp->sad, src, dst, rq->proto, rq->mode, reqid);

		if (e) {
			sas[n++] = e;
			continue;
		}
		if (rq->level < IPSEC_LEVEL_REQUIRE)
			continue; /* "use": protect when an SA exists, else go without it */
		missing = true;
		if (dp_acquire_due(dp, sp->id, ev_now_ms())) {
			dp->st.acquire++;
			if (dp->hooks.acquire)
				dp->hooks.acquire(sp, rq, src, dst, dp->hooks.arg);
		}
	}
	return missing ? -ENOENT : n;
}

static void
dp_output(struct dp *dp, struct pkt *p, bool from_queue)
{
	struct sad_entry *sas[IPSEC_BUNDLE_MAX];
	struct spd_flow flow;
	struct spd_entry *sp;
	uint64_t now = ev_now_s();
	int n;

	if (ip_flow(p->data, p->len, &flow) < 0) {
		dp->st.tun_invalid++;
		return;
	}
	sp = spd_lookup(dp->spd, IPSEC_DIR_OUT, &flow);
	if (!sp || sp->pol.action == IPSEC_ACTION_NONE) {
		dp->st.out_bypass++;
		dp_send_raw(dp, p);
		return;
	}
	sp->hits++;
	if (!sp->use_time)
		sp->use_time = now;
	if (sp->pol.action == IPSEC_ACTION_DISCARD) {
		dp->st.out_discard++;
		return;
	}
	n = dp_resolve(dp, sp, &flow, sas);
	if (n < 0) {
		if (!from_queue)
			dp_enqueue(dp, p);
		return;
	}
	if (n == 0) {
		dp->st.out_bypass++;
		dp_send_raw(dp, p);
		return;
	}
	for (int i = 0; i < n; i++) {
		uint64_t len = p->len;
		int r = ipsec_output(sas[i], p);

		if (r == -EOVERFLOW) {
			dp->st.out_seq_overflow++;
			return;
		}
		if (r < 0) {
			dp->st.out_error++;
			return;
		}
		if (!sad_account(dp->sad, sas[i], len, now)) {
			dp->st.out_error++;
			return;
		}
	}
	dp->st.out_ipsec++;
	if (sas[n - 1]->sa.encap_dport && sas[n - 1]->sa.proto == IPSEC_PROTO_ESP)
		dp_send_udp(dp, p, sas[n - 1]);
	else
		dp_send_raw(dp, p);
}

static void
dp_on_tun(int fd, uint32_t events, void *arg)
{
	struct dp *dp = arg;

	for (unsigned i = 0; i < DP_BATCH; i++) {
		struct pkt *p = dp->rx[i];
		ssize_t n;

		pkt_reset(p);
		n = read(fd, p->data, PKT_DATA_MAX);
		if (n <= 0)
			break;
		p->len = (size_t)n;
		dp->st.tun_rx++;
		dp_output(dp, p, false);
	}
	dp_tx_flush(dp);
}

static void
dp_queue_swap(struct dp *dp, unsigned a, unsigned b)
{
	struct dp_queued t = dp->queue[a];

	dp->queue[a] = dp->queue[b];
	dp->queue[b] = t;
}

void
dp_flush_queue(struct dp *dp)
{
	unsigned n = dp->nqueue, keep = 0;

	/* entries are swapped, never copied, so every slot keeps its own buffer */
	for (unsigned i = 0; i < n; i++) {
		struct pkt *p = dp->queue[i].p;
		struct sad_entry *sas[IPSEC_BUNDLE_MAX];
		struct spd_flow flow;
		struct spd_entry *sp;

		if (ip_flow(p->data, p->len, &flow) == 0 &&
		    (sp = spd_lookup(dp->spd, IPSEC_DIR_OUT, &flow)) &&
		    sp->pol.action == IPSEC_ACTION_IPSEC && dp_resolve(dp, sp, &flow, sas) < 0) {
			dp_queue_swap(dp, keep++, i); /* still waiting for its SA */
			continue;
		}
		dp_output(dp, p, true);
		dp->st.out_queue_sent++;
		dp_tx_flush(dp); /* the send points into this slot's buffer */
	}
	dp->nqueue = keep;
}

void
dp_tick(struct dp *dp)
{
	uint64_t now = ev_now_ms();
	unsigned keep = 0;

	for (unsigned i = 0; i < dp->nqueue; i++) {
		if (now - dp->queue[i].when_ms > DP_QUEUE_AGE_MS) {
			dp->st.out_queue_dropped++;
			continue;
		}
		dp_queue_swap(dp, keep++, i);
	}
	dp->nqueue = keep;
}

/* ---- input: wire -> SAs -> policy check -> TUN ---------------------------- */

/*
 * The SAs a packet came through must be the ones an inbound (or forward)
 * ipsec policy for its inner addresses asks for: every required element
 * present, nothing the policy does not list.
 */
static bool
dp_policy_allows(struct dp *dp, const struct spd_flow *f, struct sad_entry *const *used,
		 int n)
{
	struct spd_entry *sp = spd_lookup(dp->spd, IPSEC_DIR_IN, f);

	if (!sp || sp->pol.action != IPSEC_ACTION_IPSEC)
		sp = spd_lookup(dp->spd, IPSEC_DIR_FWD, f);
	if (!sp || sp->pol.action != IPSEC_ACTION_IPSEC)
		return false;
	for (int i = 0; i < n; i++) {
		bool listed = false;

		for (unsigned k = 0; k < sp->pol.nreq && !listed; k++)
			listed = sp->pol.req[k].proto == used[i]->sa.proto;
		if (!listed)
			return false;
	}
	for (unsigned k = 0; k < sp->pol.nreq; k++) {
		const struct ipsec_request *rq = &sp->pol.req[k];
		bool found = false;

		if (rq->level < IPSEC_LEVEL_REQUIRE)
			continue;
		for (int i = 0; i < n && !found; i++)
			found = used[i]->sa.proto == rq->proto &&
				(rq->mode != IPSEC_MODE_TUNNEL ||
				 used[i]->sa.mode == IPSEC_MODE_TUNNEL);
		if (!found)
			return false;
	}
	sp->hits++;
	if (!sp->use_time)
		sp->use_time = ev_now_s();
	return true;
}

static void
dp_count_input_error(struct dp *dp, int r)
{
	switch (r) {
	case -ENOENT:
		dp->st.in_no_sa++;
		break;
	case -EBADMSG:
		dp->st.in_auth_fail++;
		break;
	case -EALREADY:
		dp->st.in_replay++;
		break;
	case -ENODATA:
		dp->st.in_dummy++;
		break;
	default:
		dp->st.in_invalid++;
		break;
	}
}

static bool
is_ipsec_proto(uint8_t proto)
{
	return proto == IPSEC_PROTO_ESP || proto == IPSEC_PROTO_AH || proto == IPSEC_PROTO_IPCOMP;
}

static void
dp_input(struct dp *dp, struct pkt *p)
{
	struct sad_entry *used[IPSEC_BUNDLE_MAX];
	struct spd_flow flow;
	struct ip_info ii;
	uint64_t now = ev_now_s();
	int n = 0;

	dp->st.in_packets++;
	for (;;) {
		struct sad_entry *e = NULL;
		int r = ipsec_input(dp->sad, p, &e);

		if (r < 0) {
			dp_count_input_error(dp, r);
			return;
		}
		if (!sad_account(dp->sad, e, p->len, now)) {
			dp->st.in_invalid++;
			return;
		}
		used[n++] = e;
		if (ip_parse(p->data, p->len, &ii) < 0) {
			dp->st.in_invalid++;
			return;
		}
		if (e->sa.mode == IPSEC_MODE_TUNNEL || !is_ipsec_proto(ii.proto))
			break;
		if (n == IPSEC_BUNDLE_MAX) {
			dp->st.in_invalid++;
			return;
		}
	}
	if (ip_flow(p->data, p->len, &flow) < 0 || !dp_policy_allows(dp, &flow, used, n)) {
		used[n - 1]->ctr.policy_drop++;
		dp->st.in_policy_drop++;
		return;
	}
	if (write(dp->tun_fd, p->data, p->len) < 0) {
		dp->st.send_error++;
		return;
	}
	dp->st.in_delivered++;
	dp->st.tun_tx++;
}

/* Control messages: the local address of a received datagram. */
static bool
dp_cmsg_dst(struct msghdr *m, struct addr *dst)
{
	for (struct cmsghdr *c = CMSG_FIRSTHDR(m); c; c = CMSG_NXTHDR(m, c)) {
		if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
			struct in_pktinfo pi;

			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			dst->family = AF_INET;
			dst->v4 = pi.ipi_addr;
			return true;
		}
		if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO) {
			struct in6_pktinfo pi;

			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			dst->family = AF_INET6;
			dst->v6 = pi.ipi6_addr;
			return true;
		}
	}
	return false;
}

/*
 * Sockets that strip the IP header (IPv6 raw, UDP) hand us a payload; put a
 * header in front so that ipsec_input always sees a full IP packet.
 */
static bool
dp_rebuild_header(struct pkt *p, uint8_t proto)
{
	size_t hl = p->dst.family == AF_INET ? 20 : 40;

	if (pkt_headroom(p) < hl || p->len > PKT_DATA_MAX - hl || p->src.family != p->dst.family)
		return false;
	p->data -= hl;
	p->len += hl;
	if (hl == 20)
		ip4_build(p->data, &p->src, &p->dst, proto, (uint16_t)p->len, 0, 64);
	else
		ip6_build(p->data, &p->src, &p->dst, proto, (uint16_t)(p->len - hl), 64);
	return true;
}

/* RFC 3948 2.2/2.3: keepalive, non-ESP marker (IKE), or ESP. */
static bool
dp_udp_demux(struct dp *dp, struct pkt *p)
{
	struct rd r = rd_init(p->data, p->len);
	uint32_t marker;

	if (p->len == 1) {
		uint8_t b;

		if (rd_u8(&r, &b) && b == 0xff)
			dp->st.natt_keepalive++;
		else
			dp->st.in_invalid++;
		return false;
	}
	if (!rd_be32(&r, &marker)) {
		dp->st.in_invalid++;
		return false;
	}
	if (marker == 0) {
		dp->st.natt_ike_dropped++; /* IKE belongs to the IKE daemon part */
		return false;
	}
	return true;
}

static void
dp_on_sock(int fd, uint32_t events, void *arg)
{
	struct dp *dp = arg;
	enum dp_sock_kind kind = DP_SOCK__COUNT;
	struct mmsghdr msg[DP_BATCH];
	struct sockaddr_storage from[DP_BATCH];
	struct iovec iov[DP_BATCH];
	char cbuf[DP_BATCH][CMSG_SPACE(sizeof(struct in6_pktinfo))];
	int n;

	for (int k = 0; k < DP_SOCK__COUNT; k++)
		if (dp->socks.fd[k] == fd)
			kind = k;
	if (kind == DP_SOCK__COUNT)
		return;
	memset(msg, 0, sizeof(msg));
	for (int i = 0; i < DP_BATCH; i++) {
		pkt_reset(dp->rx[i]);
		iov[i].iov_base = dp->rx[i]->data;
		iov[i].iov_len = PKT_DATA_MAX - 40; /* room to rebuild a header */
		msg[i].msg_hdr.msg_iov = &iov[i];
		msg[i].msg_hdr.msg_iovlen = 1;
		msg[i].msg_hdr.msg_name = &from[i];
		msg[i].msg_hdr.msg_namelen = sizeof(from[i]);
		msg[i].msg_hdr.msg_control = cbuf[i];
		msg[i].msg_hdr.msg_controllen = sizeof(cbuf[i]);
	}
	n = recvmmsg(fd, msg, DP_BATCH, MSG_DONTWAIT, NULL);
	for (int i = 0; i < n; i++) {
		struct pkt *p = dp->rx[i];
		uint8_t proto = dp_sock_proto(kind);
		bool stripped = kind == DP_SOCK_UDP4 || dp_sock_family(kind) == AF_INET6;

		p->len = msg[i].msg_len;
		if (addr_from_sockaddr((struct sockaddr *)&from[i], &p->src, &p->sport) < 0)
			continue;
		if (proto == IPPROTO_UDP) {
			if (!dp_udp_demux(dp, p))
				continue;
			p->dport = dp->cfg.natt_port;
			proto = IPSEC_PROTO_ESP;
		} else {
			p->sport = 0;
		}
		if (stripped && (!dp_cmsg_dst(&msg[i].msg_hdr, &p->dst) ||
				 !dp_rebuild_header(p, proto))) {
			dp->st.in_invalid++;
			continue;
		}
		dp_input(dp, p);
	}
	dp_tx_flush(dp);
}

/* ---- setup ---------------------------------------------------------------- */

int
dp_new(const struct dp_config *cfg, struct sad *sad, struct spd *spd, struct ev_loop *loop,
       const struct dp_hooks *hooks, struct dp **out)
{
	struct dp *dp = calloc(1, sizeof(*dp));
	int err = -ENOMEM;

	if (!dp)
		return -ENOMEM;
	dp->cfg = *cfg;
	dp->sad = sad;
	dp->spd = spd;
	dp->loop = loop;
	dp->hooks = *hooks;
	dp->tun_fd = -1;
	for (int k = 0; k < DP_SOCK__COUNT; k++)
		dp->socks.fd[k] = -1;
	for (unsigned i = 0; i < DP_BATCH; i++)
		if (!(dp->rx[i] = malloc(sizeof(struct pkt))))
			goto fail;
	for (unsigned i = 0; i < DP_QUEUE_MAX; i++)
		if (!(dp->queue[i].p = malloc(sizeof(struct pkt))))
			goto fail;
	dp->tun_fd = tun_open(cfg->tun_name, dp->tun_name);
	if (dp->tun_fd < 0) {
		err = dp->tun_fd;
		log_err("cannot create TUN device %s: %s", cfg->tun_name, strerror(-err));
		goto fail;
	}
	if ((err = tun_up(dp->tun_name, cfg->mtu)) < 0) {
		log_err("cannot bring %s up: %s", dp->tun_name, strerror(-err));
		goto fail;
	}
	dp->tun_ifindex = (int)if_nametoindex(dp->tun_name);
	if ((err = dp_socks_open(&dp->socks, cfg->mark, cfg->natt_port)) < 0)
		goto fail;
	if ((err = ev_fd_add(loop, dp->tun_fd, EPOLLIN, dp_on_tun, dp)) < 0)
		goto fail;
	for (int k = DP_SOCK_ESP4; k < DP_SOCK__COUNT; k++)
		if (dp->socks.fd[k] >= 0 &&
		    (err = ev_fd_add(loop, dp->socks.fd[k], EPOLLIN, dp_on_sock, dp)) < 0)
			goto fail;
	*out = dp;
	return 0;
fail:
	dp_free(dp);
	return err;
}

void
dp_free(struct dp *dp)
{
	if (!dp)
		return;
	for (int k = 0; k < DP_SOCK__COUNT; k++)
		if (dp->socks.fd[k] >= 0)
			ev_fd_del(dp->loop, dp->socks.fd[k]);
	dp_socks_close(&dp->socks);
	if (dp->tun_fd >= 0) {
		ev_fd_del(dp->loop, dp->tun_fd);
		close(dp->tun_fd);
	}
	for (unsigned i = 0; i < DP_BATCH; i++)
		free(dp->rx[i]);
	for (unsigned i = 0; i < DP_QUEUE_MAX; i++)
		free(dp->queue[i].p);
	free(dp);
}

const char *
dp_tun_name(const struct dp *dp)
{
	return dp->tun_name;
}

int
dp_tun_ifindex(const struct dp *dp)
{
	return dp->tun_ifindex;
}

void
dp_stats_walk(const struct dp *dp, void (*fn)(const char *name, uint64_t v, void *arg),
	      void *arg)
{
#define X(n) fn(#n, dp->st.n, arg);
	DP_STATS(X)
#undef X
}
