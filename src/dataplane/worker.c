/* The userspace data plane: output and input paths in batches. */
#include "dataplane/worker.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "dataplane/dpsa.h"
#include "dataplane/frag.h"
#include "dataplane/gro.h"
#include "dataplane/gso.h"
#include "dataplane/ip.h"
#include "dataplane/ipsec_io.h"
#include "dataplane/pkt.h"
#include "dataplane/sock.h"
#include "dataplane/tun.h"
#include "dataplane/txq.h"
#include "lib/buf.h"
#include "lib/pktinfo.h"
#include "lib/log.h"

#define DP_BATCH 64
#define DP_POOL TXQ_MAX     /* segments in flight: each one queues at most one send */
#define DP_QUEUE_MAX 128      /* packets held while a require policy waits for its SA */
#define DP_QUEUE_AGE_MS 5000
#define DP_ACQUIRE_SLOTS 64   /* policies remembered for ACQUIRE rate limiting */
#define DP_ACQUIRE_GAP_MS 1000

/* Global counters, in the order coatictl stats prints them. */
#define DP_STATS(X)                                                                      \
	X(tun_rx) X(tun_tx) X(tun_invalid) X(tun_local) X(tun_gso) X(tun_segments)       \
	X(tun_gro_merged) X(udp_gso_sends) X(udp_gro_rx) X(out_ipsec) X(out_bypass)        \
	X(out_discard)                                                                   \
	X(out_no_sa_queued) X(out_queue_sent) X(out_queue_dropped) X(out_seq_overflow) X(out_seq_unreserved)   \
	X(out_error) X(send_error) X(in_packets) X(in_delivered) X(in_no_sa)              \
	X(in_auth_fail) X(in_replay) X(in_invalid) X(in_policy_drop) X(in_dummy)          \
	X(natt_keepalive) X(natt_ike) X(natt_ike_dropped) X(acquire)                   \
	X(out_fragmented) X(out_too_big)

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

struct dp {
	struct dp_config cfg;
	struct sad *sad;
	struct spd *spd;
	struct ev_loop *loop;
	struct ev_timer flush_later;
	struct dp_hooks hooks;
	struct dp_socks socks;
	int tun_fd, tun_ifindex;
	char tun_name[IFNAMSIZ];
	struct dp_stats st;
	struct pkt *rx[DP_BATCH];   /* receive buffers of one recvmmsg */
	struct pkt *pool[DP_POOL];  /* segments of TUN super-segments and UDP GRO datagrams */
	unsigned npool;
	struct pkt *tunbuf;         /* one TUN read: virtio_net_hdr + up to 64 KiB */
	struct pkt *fragsrc;        /* esp_frag: the packet being fragmented */
	struct txq txq;
	struct gro gro;
	struct dp_queued queue[DP_QUEUE_MAX];
	unsigned nqueue;
	struct dp_acq acq[DP_ACQUIRE_SLOTS];
};

static void dp_output(struct dp *dp, struct pkt *p, bool from_queue);
static void dp_protect(struct dp *dp, struct pkt *p, struct sad_entry **sas, int n, uint64_t now);

/* ---- sending ---------------------------------------------------------- */

static void
dp_tx_flush(struct dp *dp)
{
	dp->st.send_error += txq_flush(&dp->txq);
	dp->st.udp_gso_sends = dp->txq.gso_sends;
}

/* Write the coalesced batch to the TUN device. */
static void
dp_gro_flush(struct dp *dp)
{
	for (unsigned i = 0; i < dp->gro.n; i++) {
		unsigned nseg = dp->gro.item[i].nseg;
		struct pkt *p = gro_finish(&dp->gro, i);

		if (write(dp->tun_fd, p->data, p->len) < 0) {
			dp->st.send_error += nseg;
			continue;
		}
		dp->st.tun_tx++;
		dp->st.tun_gro_merged += nseg - 1;
	}
	gro_init(&dp->gro);
}

/* A free segment buffer; when all are in use, send what is pending first. */
static struct pkt *
dp_pool_get(struct dp *dp)
{
	if (dp->npool == DP_POOL) {
		dp_tx_flush(dp);
		dp_gro_flush(dp);
		dp->npool = 0;
	}
	return dp->pool[dp->npool++];
}

static void
dp_batch_end(struct dp *dp)
{
	dp_tx_flush(dp);
	dp_gro_flush(dp);
	dp->npool = 0;
}

/* Send a full IP packet as it is (our raw socket is marked: normal routing). */
static void
dp_send_raw(struct dp *dp, struct pkt *p)
{
	struct ip_info ii;
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
	if (txq_full(&dp->txq))
		dp_tx_flush(dp);
	txq_add(&dp->txq, fd, false, NULL, &ii.dst, 0, p->data, p->len);
}

/* RFC 3948: the ESP packet after the outer IP header goes in a UDP datagram. */
static void
dp_send_udp(struct dp *dp, struct pkt *p, const struct sad_entry *e)
{
	struct ip_info ii;
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
	if (txq_full(&dp->txq))
		dp_tx_flush(dp);
	txq_add(&dp->txq, fd, true, &e->sa.src, &e->sa.dst, e->sa.encap_dport,
		p->data + ii.hdr_len, p->len - ii.hdr_len);
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
	const struct addr *src = &f->src, *dst = &f->dst;
	bool missing = false;
	int n = 0;

	/*
	 * A transport element protects the packet as it is at that point of the
	 * bundle: after a tunnel element (ipcomp/tunnel/A-B esp/transport//)
	 * its endpoints are the tunnel's.
	 */
	for (unsigned i = 0; i < sp->pol.nreq; i++) {
		const struct ipsec_request *rq = &sp->pol.req[i];

		if (rq->mode == IPSEC_MODE_TUNNEL) {
			src = &rq->src;
			dst = &rq->dst;
		}
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

/* Multicast and link-local destinations: RFC 4291 2.4, RFC 3927, RFC 5771. */
static bool
dp_local_scope(const struct addr *a)
{
	const uint8_t *b;

	if (a->family == AF_INET) {
		b = (const uint8_t *)&a->v4;
		return (b[0] & 0xf0) == 224 || (b[0] == 169 && b[1] == 254) ||
		       a->v4.s_addr == INADDR_BROADCAST;
	}
	b = a->v6.s6_addr;
	return b[0] == 0xff || (b[0] == 0xfe && (b[1] & 0xc0) == 0x80);
}

/*
 * A restarted daemon resumes a manual SA at its stored reservation; a
 * sequence number past it could be sent twice, which for counter-mode
 * ciphers reuses a nonce. Never send past it: renew it first.
 */
static bool
dp_seq_reserved(struct dp *dp, struct sad_entry *e)
{
	if (e->sa.origin != IPSEC_ORIGIN_MANUAL || e->sa.proto == IPSEC_PROTO_IPCOMP ||
	    e->seq_out < e->seq_reserved)
		return true;
	return dp->hooks.seq_reserve && dp->hooks.seq_reserve(e, dp->hooks.arg);
}

/* The ICMP error for a packet too big for the tunnel, back to its sender through TUN. */
static void
dp_too_big(struct dp *dp, const struct pkt *p, size_t mtu)
{
	uint8_t buf[VNET_HDR_LEN + 1280];
	struct vnet_hdr vh = {0};
	size_t n = frag_too_big(p->data, p->len, mtu, buf + VNET_HDR_LEN, sizeof(buf) - VNET_HDR_LEN);

	dp->st.out_too_big++;
	if (n == 0)
		return;
	vnet_hdr_write(buf, &vh);
	if (write(dp->tun_fd, buf, VNET_HDR_LEN + n) < 0)
		dp->st.send_error++;
	else
		dp->st.tun_tx++;
}

/*
 * esp_frag: an IPv4 packet too large for the SA's outer size goes as fragments, each
 * through the SA; DF set (or IPv6) gets ICMP instead. The packet is copied first: its
 * buffer may be a pool segment that the fragments' own segments reuse.
 */
static void
dp_output_frag(struct dp *dp, const struct pkt *p, struct sad_entry *e, size_t max, uint64_t now)
{
	struct frag_ip4 it;
	int r;

	pkt_reset(dp->fragsrc);
	memcpy(dp->fragsrc->data, p->data, p->len);
	dp->fragsrc->len = p->len;
	r = frag_ip4_begin(&it, dp->fragsrc->data, dp->fragsrc->len, max);
	if (r == -EMSGSIZE) {
		dp_too_big(dp, dp->fragsrc, max);
		return;
	}
	if (r < 0) {
		dp->st.out_error++;
		return;
	}
	dp->st.out_fragmented++;
	for (;;) {
		struct pkt *f = dp_pool_get(dp);

		if (!frag_ip4_next(&it, f)) {
			dp->npool--;
			break;
		}
		dp_protect(dp, f, &e, 1, now);
	}
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
	if (!sp && dp_local_scope(&flow.dst)) {
		dp->st.tun_local++; /* the kernel's own MLD, RS, mDNS...: nowhere to bypass to */
		return;
	}
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
	/* esp_frag costs one test of a field of the SA when it is off */
	if (n == 1 && sas[0]->sa.frag_size) {
		size_t max = ((struct dp_sa *)sas[0]->backend)->frag_inner;

		if (max && p->len > max) {
			dp_output_frag(dp, p, sas[0], max, now);
			return;
		}
	}
	dp_protect(dp, p, sas, n, now);
}

/* Through the SAs of the bundle, then onto the wire. */
static void
dp_protect(struct dp *dp, struct pkt *p, struct sad_entry **sas, int n, uint64_t now)
{
	for (int i = 0; i < n; i++) {
		uint64_t len = p->len;
		int r;

		if (!dp_seq_reserved(dp, sas[i])) {
			dp->st.out_seq_unreserved++;
			return;
		}
		r = ipsec_output(sas[i], p);

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

/* One TUN read: split into wire-sized packets, each through the output path. */
static void
dp_tun_packet(struct dp *dp, size_t len)
{
	struct gso_iter it;

	if (gso_begin(&it, dp->tunbuf->buf, len) < 0) {
		dp->st.tun_invalid++;
		return;
	}
	dp->st.tun_gso += it.vh.gso_type != VNET_GSO_NONE;
	for (;;) {
		struct pkt *p = dp_pool_get(dp);

		if (!gso_next(&it, p)) {
			dp->npool--;
			break;
		}
		dp->st.tun_segments++;
		dp_output(dp, p, false);
	}
}

static void
dp_on_tun(int fd, uint32_t events, void *arg)
{
	struct dp *dp = arg;

	for (unsigned i = 0; i < DP_BATCH; i++) {
		ssize_t n = read(fd, dp->tunbuf->buf, sizeof(dp->tunbuf->buf));

		if (n <= 0)
			break;
		dp->st.tun_rx++;
		dp_tun_packet(dp, (size_t)n);
	}
	dp_batch_end(dp);
}

static void
dp_queue_swap(struct dp *dp, unsigned a, unsigned b)
{
	struct dp_queued t = dp->queue[a];

	dp->queue[a] = dp->queue[b];
	dp->queue[b] = t;
}

static void
dp_flush_timer(struct ev_timer *t, void *arg)
{
	dp_flush_queue(arg);
}

void
dp_flush_queue_later(struct dp *dp, unsigned ms)
{
	if (!ev_timer_armed(&dp->flush_later))
		ev_timer_arm(dp->loop, &dp->flush_later, ms);
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

/*
 * RFC 3173 sends a packet that did not compress without the IPComp header:
 * in tunnel mode that is plain IP-in-IP between the IPComp SA's endpoints
 * (as KAME and Linux do). Accept it as that SA's uncompressed traffic.
 */
static struct sad_entry *
dp_ipcomp_uncompressed(struct dp *dp, struct pkt *p, const struct ip_info *ii)
{
	struct sad_entry *e;
	struct ip_info inner;

	if (ii->proto != IPPROTO_IPIP && ii->proto != IPPROTO_IPV6)
		return NULL;
	e = sad_lookup_out(dp->sad, &ii->src, &ii->dst, IPSEC_PROTO_IPCOMP, IPSEC_MODE_TUNNEL, 0);
	if (!e || ip_parse(p->data + ii->hdr_len, p->len - ii->hdr_len, &inner) < 0)
		return NULL;
	p->data += ii->hdr_len;
	p->len -= ii->hdr_len;
	return e;
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
		if (e->sa.mode == IPSEC_MODE_TUNNEL)
			break;
		if (!is_ipsec_proto(ii.proto)) {
			if (n < IPSEC_BUNDLE_MAX && (e = dp_ipcomp_uncompressed(dp, p, &ii)))
				used[n++] = e;
			break;
		}
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
	if (gro_full(&dp->gro))
		dp_gro_flush(dp);
	gro_add(&dp->gro, p);
	dp->st.in_delivered++;
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
		/* RFC 3948 2.2: IKE behind the non-ESP marker goes to the IKE daemon part */
		if (dp->hooks.ike_input && p->dst.family) {
			dp->st.natt_ike++;
			dp->hooks.ike_input(&p->dst, dp->cfg.natt_port, &p->src, p->sport, r.p,
					    rd_left(&r), dp->hooks.arg);
		} else {
			dp->st.natt_ike_dropped++;
		}
		return false;
	}
	return true;
}

/* One datagram or raw packet, with its outer addresses set, into the input path. */
static void
dp_recv_one(struct dp *dp, struct pkt *p, enum dp_sock_kind kind, bool stripped)
{
	uint8_t proto = dp_sock_proto(kind);

	if (proto == IPPROTO_UDP) {
		if (!dp_udp_demux(dp, p))
			return;
		p->dport = dp->cfg.natt_port;
		proto = IPSEC_PROTO_ESP;
	} else {
		p->sport = 0;
	}
	if (stripped && !dp_rebuild_header(p, proto)) {
		dp->st.in_invalid++;
		return;
	}
	dp_input(dp, p);
}

/* A UDP GRO datagram: gso-sized pieces (the last may be shorter), each its own packet. */
static void
dp_recv_split(struct dp *dp, const struct pkt *big, enum dp_sock_kind kind, uint16_t gso)
{
	dp->st.udp_gro_rx++;
	for (size_t off = 0; off < big->len; off += gso) {
		size_t n = big->len - off < gso ? big->len - off : gso;
		struct pkt *p = dp_pool_get(dp);

		pkt_reset(p);
		memcpy(p->data, big->data + off, n);
		p->len = n;
		p->src = big->src;
		p->dst = big->dst;
		p->sport = big->sport;
		dp_recv_one(dp, p, kind, true);
	}
}

#define DP_CBUF (CMSG_SPACE(sizeof(struct in6_pktinfo)) + CMSG_SPACE(sizeof(int)))

static void
dp_on_sock(int fd, uint32_t events, void *arg)
{
	struct dp *dp = arg;
	enum dp_sock_kind kind = DP_SOCK__COUNT;
	struct mmsghdr msg[DP_BATCH];
	struct sockaddr_storage from[DP_BATCH];
	struct iovec iov[DP_BATCH];
	char cbuf[DP_BATCH][DP_CBUF];
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
		bool stripped = kind == DP_SOCK_UDP4 || dp_sock_family(kind) == AF_INET6;
		uint16_t gso = kind >= DP_SOCK_UDP4 ? dp_sock_cmsg_gro(&msg[i].msg_hdr) : 0;

		p->len = msg[i].msg_len;
		if (addr_from_sockaddr((struct sockaddr *)&from[i], &p->src, &p->sport) < 0)
			continue;
		if (stripped && !pktinfo_get(&msg[i].msg_hdr, &p->dst)) {
			dp->st.in_invalid++;
			continue;
		}
		if (gso && p->len > gso)
			dp_recv_split(dp, p, kind, gso);
		else
			dp_recv_one(dp, p, kind, stripped);
	}
	dp_batch_end(dp);
}

/* ---- setup ---------------------------------------------------------------- */

int
dp_new(const struct dp_config *cfg, struct sad *sad, struct spd *spd, struct ev_loop *loop,
       const struct dp_hooks *hooks, struct dp **out)
{
	struct dp *dp = calloc(1, sizeof(*dp));
	int err = -ENOMEM;
	bool uso;

	if (!dp)
		return -ENOMEM;
	dp->cfg = *cfg;
	dp->sad = sad;
	dp->spd = spd;
	dp->loop = loop;
	dp->hooks = *hooks;
	ev_timer_init(&dp->flush_later, dp_flush_timer, dp);
	dp->tun_fd = -1;
	for (int k = 0; k < DP_SOCK__COUNT; k++)
		dp->socks.fd[k] = -1;
	for (unsigned i = 0; i < DP_BATCH; i++)
		if (!(dp->rx[i] = malloc(sizeof(struct pkt))))
			goto fail;
	for (unsigned i = 0; i < DP_QUEUE_MAX; i++)
		if (!(dp->queue[i].p = malloc(sizeof(struct pkt))))
			goto fail;
	for (unsigned i = 0; i < DP_POOL; i++)
		if (!(dp->pool[i] = malloc(sizeof(struct pkt))))
			goto fail;
	if (!(dp->tunbuf = malloc(sizeof(struct pkt))) || !(dp->fragsrc = malloc(sizeof(struct pkt))))
		goto fail;
	dp->tun_fd = tun_open(cfg->tun_name, dp->tun_name);
	if (dp->tun_fd < 0) {
		err = dp->tun_fd;
		log_err("cannot create TUN device %s: %s", cfg->tun_name, strerror(-err));
		goto fail;
	}
	if ((err = tun_set_offload(dp->tun_fd, &uso)) < 0) {
		log_err("cannot set offloads on %s: %s", dp->tun_name, strerror(-err));
		goto fail;
	}
	log_debug_f("%s: TCP segmentation offload%s", dp->tun_name, uso ? ", UDP too" : "");
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
	ev_timer_disarm(dp->loop, &dp->flush_later);
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
	for (unsigned i = 0; i < DP_POOL; i++)
		free(dp->pool[i]);
	free(dp->tunbuf);
	free(dp->fragsrc);
	free(dp);
}

int
dp_ike_send(struct dp *dp, const struct addr *local, const struct addr *remote, uint16_t rport,
	    const uint8_t *msg, size_t len)
{
	static const uint8_t marker[4];
	struct iovec iov[2] = {{(void *)marker, sizeof(marker)}, {(void *)msg, len}};
	int fd = dp->socks.fd[remote->family == AF_INET6 ? DP_SOCK_UDP6 : DP_SOCK_UDP4];
	struct addr any = {0};

	if (fd < 0)
		return -EAFNOSUPPORT;
	return pktinfo_sendmsg(fd, local ? local : &any, remote, rport, iov, 2);
}

int
dp_natt_keepalive(struct dp *dp, const struct addr *local, const struct addr *remote,
		  uint16_t rport)
{
	static const uint8_t ka = 0xff;
	struct iovec iov = {(void *)&ka, 1};
	int fd = dp->socks.fd[remote->family == AF_INET6 ? DP_SOCK_UDP6 : DP_SOCK_UDP4];

	if (fd < 0)
		return -EAFNOSUPPORT;
	return pktinfo_sendmsg(fd, local, remote, rport, &iov, 1);
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
