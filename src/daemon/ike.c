/* coatid's IKEv1: the engine's environment, its sockets and its triggers. */
#include "daemon/ike.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "admin/proto.h"
#include "crypto/xform.h"
#include "daemon/ike_conf.h"
#include "daemon/undo.h"
#include "ipsec/codec.h"
#include "lib/log.h"
#include "lib/pktinfo.h"

#define IKE_MSG_MAX 65535
#define IKE_DROP_EVENT_GAP_MS 1000

/* One engine timer: the engine asks for at most one per ISAKMP SA. */
struct ike_timer {
	struct ev_timer t;
	struct ikev1_ike_sa *sa;
	struct daemon_ike *ike;
	struct ike_timer *next;
};

struct daemon_ike {
	struct daemon *d;
	struct ikev1_engine *engine;
	struct ike_conf conf;
	int fd4, fd6;
	struct ike_timer *timers;
	uint64_t last_drop_ms;
};

static struct daemon_ike *
ike_of(struct daemon *d)
{
	return d->ike;
}

/* ---- the engine's environment ----------------------------------------- */

static int
env_send(void *arg, const struct ikev1_peer *p, const uint8_t *msg, size_t len)
{
	struct daemon_ike *ike = arg;
	struct sockaddr_storage to;
	struct iovec iov = {(void *)msg, len};
	char cbuf[PKTINFO_SPACE];
	struct msghdr m = {.msg_name = &to, .msg_iov = &iov, .msg_iovlen = 1};
	int fd = p->remote.family == AF_INET6 ? ike->fd6 : ike->fd4;

	if (p->lport == ike->d->opts.natt_port)
		return ike->d->backend->ops->ike_send(ike->d->backend, &p->local, &p->remote,
						      p->rport, msg, len);
	if (fd < 0)
		return -EAFNOSUPPORT;
	m.msg_namelen = addr_to_sockaddr(&p->remote, p->rport, &to);
	if (p->local.family == p->remote.family) {
		memset(cbuf, 0, sizeof(cbuf));
		m.msg_control = cbuf;
		m.msg_controllen = sizeof(cbuf);
		m.msg_controllen = pktinfo_put(CMSG_FIRSTHDR(&m), &p->local);
	}
	return sendmsg(fd, &m, 0) < 0 ? -errno : 0;
}

static uint64_t
env_now_ms(void *arg)
{
	return ev_now_ms();
}

static void
ike_timer_fired(struct ev_timer *t, void *arg)
{
	struct ike_timer *it = arg;

	ikev1_timer(it->ike->engine, it->sa);
}

static void
env_timer(void *arg, struct ikev1_ike_sa *sa, uint64_t ms)
{
	struct daemon_ike *ike = arg;
	struct ike_timer **pp, *it;

	for (pp = &ike->timers; *pp && (*pp)->sa != sa; pp = &(*pp)->next)
		;
	it = *pp;
	if (!ms) {
		if (it) {
			ev_timer_disarm(ike->d->loop, &it->t);
			*pp = it->next;
			free(it);
		}
		return;
	}
	if (!it) {
		if (!(it = calloc(1, sizeof(*it)))) {
			log_err("IKE: no memory for a timer: the SA will not be retransmitted");
			return;
		}
		it->sa = sa;
		it->ike = ike;
		ev_timer_init(&it->t, ike_timer_fired, it);
		it->next = ike->timers;
		ike->timers = it;
	}
	ev_timer_arm(ike->d->loop, &it->t, ms);
}

static int
env_random(void *arg, void *buf, size_t n)
{
	return crypto_random(buf, n);
}

/* The policies racoon's generate_policy makes for a negotiated pair. */
static void
child_policy(const struct ikev1_child *c, bool out, struct ipsec_policy *pol)
{
	const struct ipsec_sa *sa = out ? &c->out : &c->in;

	memset(pol, 0, sizeof(*pol));
	pol->sel = c->sel;
	if (!out) {
		pol->sel.src = c->sel.dst;
		pol->sel.dst = c->sel.src;
		pol->sel.sport = c->sel.dport;
		pol->sel.dport = c->sel.sport;
	}
	pol->dir = out ? IPSEC_DIR_OUT : IPSEC_DIR_IN;
	pol->action = IPSEC_ACTION_IPSEC;
	pol->nreq = 1;
	pol->req[0].proto = sa->proto;
	pol->req[0].mode = sa->mode;
	pol->req[0].level = IPSEC_LEVEL_REQUIRE;
	if (sa->mode == IPSEC_MODE_TUNNEL) {
		pol->req[0].src = sa->src;
		pol->req[0].dst = sa->dst;
	}
	pol->origin = IPSEC_ORIGIN_IKE;
}

static int
env_install(void *arg, const struct ikev1_child *c)
{
	struct daemon_ike *ike = arg;
	struct daemon *d = ike->d;
	const struct ikev1_remote *r = ike_conf_find(&ike->conf, &c->peer.remote);
	struct ipsec_policy pol;
	struct undo u;
	int err;

	bool in = c->install != IKEV1_INSTALL_OUT, out = c->install != IKEV1_INSTALL_IN;

	undo_init(&u);
	if ((in && (err = daemon_sa_add(d, &c->in, &u)) < 0) ||
	    (out && (err = daemon_sa_add(d, &c->out, &u)) < 0))
		goto out;
	/* generate_policy: policies from the IDs, unless the administrator has them already;
	 * each direction's with its SA (an outbound one without SA would raise an ACQUIRE) */
	for (int i = 0; i < 2 && !err && r && r->generate_policy; i++) {
		if (i == 0 ? !out : !in)
			continue;
		child_policy(c, i == 0, &pol);
		err = daemon_sp_add(d, &pol, false, &u);
		if (err == -EEXIST)
			err = 0;
	}
	if (!err && u.changed_spd)
		err = d->backend->ops->policies_sync(d->backend);
out:
	/* success is reported by the engine's own event */
	if (err) {
		undo_rollback(d, &u);
		if (u.changed_spd)
			d->backend->ops->policies_sync(d->backend);
		daemon_event(d, "IKE: installing the negotiated SAs failed: %s", strerror(-err));
	}
	undo_free(&u);
	return err;
}

static void
env_remove(void *arg, const struct ikev1_child *c)
{
	struct daemon *d = ((struct daemon_ike *)arg)->d;
	const struct ipsec_sa *sas[2] = {&c->in, &c->out};
	struct ipsec_policy pol;
	bool spd = false;

	for (int i = 0; i < 2; i++) {
		struct sad_entry *e = sad_get(d->sad, &sas[i]->dst, sas[i]->proto, sas[i]->spi);

		if (e)
			daemon_sa_remove(d, e, NULL);
	}
	/* a renewed pair shares the selectors: its policies stay for the newer one */
	for (int i = 0; i < 2 && !c->policy_shared; i++) {
		child_policy(c, i == 0, &pol);
		if (daemon_sp_delete_generated(d, &pol.sel, pol.dir) == 0)
			spd = true;
	}
	if (spd)
		d->backend->ops->policies_sync(d->backend);
	daemon_event(d, "IPsec-SA deleted: %s spi 0x%08x in, 0x%08x out",
		     ipsec_proto_name(c->in.proto), c->in.spi, c->out.spi);
}

static void
env_event(void *arg, const char *text)
{
	daemon_event(((struct daemon_ike *)arg)->d, "IKE: %s", text);
}

static const struct ikev1_remote *
env_remote(void *arg, const struct ikev1_peer *p)
{
	return ike_conf_find(&((struct daemon_ike *)arg)->conf, &p->remote);
}

/* ---- sockets --------------------------------------------------------------- */

/*
 * A dropped message is worth an event (a wrong pre-shared key shows up as an
 * undecryptable Main Mode message), but anyone can send us garbage: at most
 * one a second, the rest at debug level.
 */
static void
ike_input(struct daemon_ike *ike, const struct ikev1_peer *p, const uint8_t *msg, size_t len)
{
	char a[ADDR_STRLEN];
	int err = ikev1_input(ike->engine, p, msg, len);
	uint64_t now = ev_now_ms();

	if (err >= 0)
		return;
	addr_ntop(&p->remote, a, sizeof(a));
	if (now - ike->last_drop_ms < IKE_DROP_EVENT_GAP_MS) {
		log_debug("IKE: message from %s[%u] dropped: %s", a, p->rport, strerror(-err));
		return;
	}
	ike->last_drop_ms = now;
	daemon_event(ike->d, "IKE: message from %s[%u] dropped: %s%s", a, p->rport,
		     strerror(-err),
		     err == -EBADMSG || err == -EACCES ? " (wrong pre-shared key?)" : "");
}

void
daemon_ike_natt_input(const struct addr *local, uint16_t lport, const struct addr *remote,
		      uint16_t rport, const uint8_t *msg, size_t len, void *arg)
{
	struct daemon_ike *ike = ike_of(arg);
	struct ikev1_peer p = {*local, *remote, lport, rport};

	if (ike)
		ike_input(ike, &p, msg, len);
}

static void
ike_on_sock(int fd, uint32_t events, void *arg)
{
	struct daemon_ike *ike = arg;
	static uint8_t buf[IKE_MSG_MAX];

	for (int i = 0; i < 64; i++) {
		struct sockaddr_storage from;
		char cbuf[PKTINFO_SPACE];
		struct iovec iov = {buf, sizeof(buf)};
		struct msghdr m = {&from, sizeof(from), &iov, 1, cbuf, sizeof(cbuf), 0};
		struct ikev1_peer p;
		ssize_t n = recvmsg(fd, &m, MSG_DONTWAIT);

		if (n < 0)
			return;
		memset(&p, 0, sizeof(p));
		if (addr_from_sockaddr((struct sockaddr *)&from, &p.remote, &p.rport) < 0 ||
		    !pktinfo_get(&m, &p.local))
			continue;
		p.lport = ike->d->opts.isakmp_port;
		ike_input(ike, &p, buf, (size_t)n);
	}
}

static int
ike_sock_open(struct daemon *d, uint8_t family)
{
	struct addr any = {.family = family};
	struct sockaddr_storage ss;
	int fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0), one = 1, err;

	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_MARK, &d->opts.mark, sizeof(d->opts.mark));
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if ((err = pktinfo_enable(fd, family)) < 0 ||
	    bind(fd, (struct sockaddr *)&ss, addr_to_sockaddr(&any, d->opts.isakmp_port, &ss)) < 0) {
		err = err ? err : -errno;
		close(fd);
		return err;
	}
	return fd;
}

struct ike_dump {
	struct wr *w;
	uint32_t n;
};

static bool
ike_dump_one(void *arg, struct ikev1_ike_sa *sa, const struct ikev1_sa_info *i)
{
	struct ike_dump *c = arg;

	addr_encode(c->w, &i->peer.local);
	wr_be16(c->w, i->peer.lport);
	addr_encode(c->w, &i->peer.remote);
	wr_be16(c->w, i->peer.rport);
	wr_bytes(c->w, i->cky_i, sizeof(i->cky_i));
	wr_bytes(c->w, i->cky_r, sizeof(i->cky_r));
	wr_u8(c->w, (uint8_t)((i->initiator ? 1 : 0) | (i->established ? 2 : 0) | (i->nat ? 4 : 0)));
	wr_u8(c->w, i->exchange);
	admin_string_encode(c->w, i->state ? i->state : "");
	wr_be32(c->w, (uint32_t)i->nchildren);
	c->n++;
	return true;
}

int
daemon_ike_dump(struct daemon *d, struct wr *w)
{
	struct ike_dump c = {w, 0};
	size_t at = wr_reserve_be32(w);

	if (d->ike)
		ikev1_sa_walk(d->ike->engine, ike_dump_one, &c);
	wr_patch_be32(w, at, c.n);
	return 0;
}

/* ---- lifecycle and triggers -------------------------------------------------- */

int
daemon_ike_start(struct daemon *d)
{
	struct daemon_ike *ike = calloc(1, sizeof(*ike));
	struct ikev1_env env = {.send = env_send, .now_ms = env_now_ms, .timer = env_timer,
				.random = env_random, .install = env_install,
				.remove = env_remove, .event = env_event, .remote = env_remote};
	int err;

	if (!ike)
		return -ENOMEM;
	ike->d = d;
	ike->fd4 = ike->fd6 = -1;
	env.arg = ike;
	d->ike = ike;
	if ((err = ike_conf_build(d->cfg, &ike->conf)) < 0 ||
	    (err = ikev1_engine_new(&env, &ike->engine)) < 0)
		goto fail;
	if (!d->cfg->n_remotes)
		return 0; /* manual keying only: no IKE port opened */
	if (d->opts.family != AF_INET6 && (ike->fd4 = ike_sock_open(d, AF_INET)) < 0) {
		err = ike->fd4;
		log_err("IKE port %u (IPv4): %s", d->opts.isakmp_port, strerror(-err));
		goto fail;
	}
	if (d->opts.family != AF_INET && (ike->fd6 = ike_sock_open(d, AF_INET6)) < 0)
		log_warn("IKE port %u (IPv6): %s", d->opts.isakmp_port, strerror(-ike->fd6));
	if ((ike->fd4 >= 0 && (err = ev_fd_add(d->loop, ike->fd4, EPOLLIN, ike_on_sock, ike)) < 0) ||
	    (ike->fd6 >= 0 && (err = ev_fd_add(d->loop, ike->fd6, EPOLLIN, ike_on_sock, ike)) < 0))
		goto fail;
	log_notice("IKEv1 on port %u with %zu remote(s)", d->opts.isakmp_port, d->cfg->n_remotes);
	return 0;
fail:
	daemon_ike_stop(d);
	return err;
}

void
daemon_ike_stop(struct daemon *d)
{
	struct daemon_ike *ike = d->ike;

	if (!ike)
		return;
	ikev1_engine_free(ike->engine);
	while (ike->timers) {
		struct ike_timer *it = ike->timers;

		ev_timer_disarm(d->loop, &it->t);
		ike->timers = it->next;
		free(it);
	}
	for (int i = 0; i < 2; i++) {
		int fd = i ? ike->fd6 : ike->fd4;

		if (fd >= 0) {
			ev_fd_del(d->loop, fd);
			close(fd);
		}
	}
	ike_conf_free(&ike->conf);
	free(ike);
	d->ike = NULL;
}

int
daemon_ike_reconfigure(struct daemon *d)
{
	struct ike_conf conf, old;
	int err;

	if (!d->ike)
		return 0;
	if ((err = ike_conf_build(d->cfg, &conf)) < 0)
		return err;
	/* ISAKMP SAs move to the new remotes before the old ones go (they renew from them) */
	old = d->ike->conf;
	d->ike->conf = conf;
	ikev1_reconfigure(d->ike->engine);
	ike_conf_free(&old);
	return 0;
}

void
daemon_ike_acquire(struct daemon *d, const struct spd_entry *sp, const struct ipsec_request *req,
		   const struct addr *src, const struct addr *dst)
{
	struct daemon_ike *ike = d->ike;
	const struct ikev1_remote *r;
	struct ikev1_child_req cr;
	struct ikev1_peer p;
	char a[ADDR_STRLEN];
	int err;

	if (!ike || !(r = ike_conf_find(&ike->conf, dst)) || req->proto != IPSEC_PROTO_ESP)
		return;
	memset(&p, 0, sizeof(p));
	p.local = *src;
	p.remote = *dst;
	p.lport = d->opts.isakmp_port;
	p.rport = 500;
	memset(&cr, 0, sizeof(cr));
	cr.sel = sp->pol.sel;
	cr.proto = req->proto;
	cr.mode = req->mode;
	if ((err = ikev1_initiate(ike->engine, &p, r, &cr)) < 0)
		log_err("IKE: cannot start a negotiation with %s: %s",
			addr_ntop(dst, a, sizeof(a)), strerror(-err));
}

void
daemon_ike_sa_expired(struct daemon *d, const struct sad_entry *e, bool hard)
{
	if (d->ike && e->sa.origin == IPSEC_ORIGIN_IKE)
		ikev1_child_expired(d->ike->engine, &e->sa.dst, e->sa.spi, hard);
}
