/* coatid's IKEv1: the engine's environment, its sockets and its triggers. */
#include "daemon/ike.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "admin/proto.h"
#include "crypto/xform.h"
#include "daemon/ike_conf.h"
#include "daemon/ike_sock.h"
#include "daemon/ra.h"
#include "daemon/ra_client.h"
#include "daemon/script.h"
#include "daemon/undo.h"
#include "ipsec/codec.h"
#include "lib/log.h"
#include "lib/pktinfo.h"
#include "lib/secmem.h"

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
	struct ike_socks socks;
	struct ev_timer keepalive; /* NAT-T keepalives, every timer { natt_keepalive } */
	struct ike_timer *timers;
	uint64_t last_drop_ms;
	struct script_runner *scripts;
	struct ike_ra *ra; /* remote access gateway: Xauth, mode config pool */
	struct ra_clients *rac; /* remote access client: logins, applied mode config */
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
	struct iovec iov = {(void *)msg, len};
	int fd = ike_socks_fd(&ike->socks, &p->local, p->lport);

	if (p->lport == ike->d->opts.natt_port)
		return ike->d->backend->ops->ike_send(ike->d->backend, &p->local, &p->remote,
						      p->rport, msg, len);
	if (fd < 0)
		return -EAFNOSUPPORT;
	return pktinfo_sendmsg(fd, &p->local, &p->remote, p->rport, &iov, 1);
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
	 * each direction's with its SA (an outbound one without SA would raise an ACQUIRE);
	 * a mode config client's policies follow its SAs too: they route the tunnel */
	for (int i = 0; i < 2 && !err && r && (r->generate_policy || r->modecfg_client); i++) {
		if (i == 0 ? !out : !in)
			continue;
		child_policy(c, i == 0, &pol);
		err = daemon_sp_add(d, &pol, false, &u);
		if (err == -EEXIST)
			err = 0;
	}
out:
	/* success is reported by the engine's own event */
	if (err)
		undo_rollback(d, &u);
	if (u.changed_spd)
		daemon_policies_sync_soon(d);
	if (err) {
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
		daemon_policies_sync_soon(d);
	daemon_event(d, "IPsec-SA deleted: %s spi 0x%08x in, 0x%08x out",
		     ipsec_proto_name(c->in.proto), c->in.spi, c->out.spi);
}

static void
env_event(void *arg, const char *text)
{
	daemon_event(((struct daemon_ike *)arg)->d, "IKE: %s", text);
}

static int
env_psk(void *arg, const struct ikev1_peer *p, uint8_t id_type, const uint8_t *id, size_t id_len,
	uint8_t *key, size_t *key_len)
{
	return ike_conf_psk(&((struct daemon_ike *)arg)->conf, &p->remote, id_type, id, id_len, key,
			    key_len);
}

static const struct ikev1_remote *
env_remote(void *arg, const struct ikev1_peer *p)
{
	return ike_conf_find(&((struct daemon_ike *)arg)->conf, &p->remote);
}

/* racoon.conf's script "file" phase1_up/phase1_down/phase1_dead of the SA's remote. */
static void
env_phase1(void *arg, enum ikev1_phase1_event ev, const struct ikev1_phase1_info *info)
{
	static const enum cfg_script which[] = {
	    [IKEV1_PHASE1_UP] = CFG_SCRIPT_PHASE1_UP,
	    [IKEV1_PHASE1_DOWN] = CFG_SCRIPT_PHASE1_DOWN,
	    [IKEV1_PHASE1_DEAD] = CFG_SCRIPT_PHASE1_DEAD,
	};
	struct daemon_ike *ike = arg;
	const char *file = ike_conf_script(&ike->conf, info->cfg, which[ev]);
	struct ikev1_phase1_info with = *info;

	/* a remote access client's scripts get what mode config brought (INTERNAL_ADDR4...) */
	with.modecfg = ra_clients_get(ike->rac, &info->peer.remote);
	if (file && ike->scripts)
		script_run_phase1(ike->scripts, ike->d->cfg->path_script, file, ev, &with);
}

static int
env_xauth_check(void *arg, const struct ikev1_peer *p, const char *user, const char *password)
{
	struct daemon_ike *ike = arg;

	return ike_ra_login(ike->ra, ike->d->cfg, p, user, password, ev_now_ms());
}

static int
env_modecfg_lease(void *arg, const struct ikev1_peer *p, const char *user,
		  struct ikev1_modecfg *out)
{
	struct daemon_ike *ike = arg;

	return ike_ra_lease(ike->ra, ike->d->cfg, p, user, out);
}

static void
env_modecfg_release(void *arg, const struct ikev1_peer *p, const struct addr *a)
{
	struct daemon_ike *ike = arg;

	if (!ra_clients_release(ike->rac, &p->remote, a))
		ike_ra_release(ike->ra, a);
}

static int
env_xauth_login(void *arg, const struct ikev1_peer *p, char *user, size_t ucap, char *pass,
		size_t pcap)
{
	struct daemon_ike *ike = arg;
	const struct ikev1_remote *r = ike_conf_find(&ike->conf, &p->remote);
	const char *login = r ? ike_conf_cfg(&ike->conf, r)->xauth_login : NULL;

	return ra_clients_login(ike->rac, &p->remote, login, ike->conf.psk, user, ucap, pass, pcap);
}

static int
env_modecfg_apply(void *arg, const struct ikev1_peer *p, const struct ikev1_modecfg *mc)
{
	struct daemon_ike *ike = arg;
	char a[ADDR_STRLEN], v[ADDR_STRLEN];
	int err = ra_clients_apply(ike->rac, &p->remote, mc);

	if (err == 0)
		daemon_event(ike->d, "IKE: %s: mode config: bound to address %s",
			     addr_ntop(&p->remote, a, sizeof(a)), addr_ntop(&mc->addr4, v, sizeof(v)));
	return err;
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
		     err == -EBADMSG ? " (wrong pre-shared key?)"
		     : err == -EACCES ? " (authentication failed: wrong pre-shared key or certificate?)"
				      : "");
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
	const struct ike_sock *s = arg;
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
		p.lport = s->port;
		ike_input(s->arg, &p, buf, (size_t)n);
	}
}

struct ike_dump {
	struct wr *w;
	uint32_t n;
	const struct ra_clients *rac;
};

static bool
ike_dump_one(void *arg, struct ikev1_ike_sa *sa, const struct ikev1_sa_info *i)
{
	struct ike_dump *c = arg;
	const struct ikev1_modecfg *mc;
	struct admin_ike_sa_info o = {
	    .local = i->peer.local,
	    .remote = i->peer.remote,
	    .lport = i->peer.lport,
	    .rport = i->peer.rport,
	    .flags = (uint8_t)((i->initiator ? ADMIN_IKE_F_INITIATOR : 0) |
			       (i->established ? ADMIN_IKE_F_ESTABLISHED : 0) |
			       (i->nat ? ADMIN_IKE_F_NAT : 0)),
	    .exchange = i->exchange,
	    .nchildren = (uint32_t)i->nchildren,
	};

	memcpy(o.cky_i, i->cky_i, sizeof(o.cky_i));
	memcpy(o.cky_r, i->cky_r, sizeof(o.cky_r));
	snprintf(o.state, sizeof(o.state), "%s", i->state ? i->state : "");
	snprintf(o.user, sizeof(o.user), "%s", i->user ? i->user : "");
	o.vaddr4 = i->vaddr4;
	if ((mc = ra_clients_get(c->rac, &i->peer.remote)) != NULL)
		snprintf(o.banner, sizeof(o.banner), "%s", mc->banner);
	admin_ike_sa_info_encode(c->w, &o);
	c->n++;
	return true;
}

int
daemon_ike_dump(struct daemon *d, struct wr *w)
{
	struct ike_dump c = {w, 0, d->ike ? d->ike->rac : NULL};
	size_t at = wr_reserve_be32(w);

	if (d->ike)
		ikev1_sa_walk(d->ike->engine, ike_dump_one, &c);
	wr_patch_be32(w, at, c.n);
	return 0;
}

/* ---- NAT-T keepalives (RFC 3948 2.3) -------------------------------------------- */

static bool
keepalive_one(void *arg, struct ikev1_ike_sa *sa, const struct ikev1_sa_info *i)
{
	struct daemon_ike *ike = arg;

	/* as racoon: the end behind the NAT keeps the mapping of its floated SAs alive */
	if (i->established && i->nat_local)
		ike->d->backend->ops->natt_keepalive(ike->d->backend, &i->peer.local,
						     &i->peer.remote, i->peer.rport);
	return true;
}

/* Every natt_keepalive seconds of the running configuration; 0 turns them off. */
static void
keepalive_arm(struct daemon_ike *ike)
{
	uint32_t s = ike->d->cfg->timer.natt_keepalive;

	if (s && !ev_timer_armed(&ike->keepalive))
		ev_timer_arm(ike->d->loop, &ike->keepalive, (uint64_t)s * 1000);
}

static void
keepalive_fired(struct ev_timer *t, void *arg)
{
	struct daemon_ike *ike = arg;

	ikev1_sa_walk(ike->engine, keepalive_one, ike);
	keepalive_arm(ike);
}

/* ---- lifecycle and triggers -------------------------------------------------- */

int
daemon_ike_start(struct daemon *d)
{
	struct daemon_ike *ike = calloc(1, sizeof(*ike));
	struct ikev1_env env = {.send = env_send, .now_ms = env_now_ms, .timer = env_timer,
				.random = env_random, .install = env_install,
				.remove = env_remove, .event = env_event, .remote = env_remote,
				.psk = env_psk, .phase1 = env_phase1,
				.xauth_check = env_xauth_check,
				.modecfg_lease = env_modecfg_lease,
				.modecfg_release = env_modecfg_release,
				.xauth_login = env_xauth_login,
				.modecfg_apply = env_modecfg_apply};
	int err;

	if (!ike)
		return -ENOMEM;
	ike->d = d;
	ev_timer_init(&ike->keepalive, keepalive_fired, ike);
	env.arg = ike;
	d->ike = ike;
	if ((err = ike_conf_build(d->cfg, &ike->conf)) < 0 ||
	    (err = script_runner_new(d->loop, SCRIPT_TIMEOUT_MS, &ike->scripts)) < 0 ||
	    (err = ike_ra_new(d->cfg, &ike->ra)) < 0 ||
	    (err = ra_clients_new(d->opts.tun_name, d->opts.state_dir, &ike->rac)) < 0 ||
	    (err = ikev1_engine_new(&env, &ike->engine)) < 0)
		goto fail;
	if (!d->cfg->n_remotes)
		return 0; /* manual keying only: no IKE port opened */
	if ((err = ike_socks_open(&ike->socks, d)) < 0)
		goto fail;
	for (size_t i = 0; i < ike->socks.n; i++) {
		ike->socks.s[i].arg = ike;
		if ((err = ev_fd_add(d->loop, ike->socks.s[i].fd, EPOLLIN, ike_on_sock,
				     &ike->socks.s[i])) < 0)
			goto fail;
	}
	keepalive_arm(ike);
	log_notice("IKEv1 on %zu socket(s) with %zu remote(s)", ike->socks.n, d->cfg->n_remotes);
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
	/* phase1_down scripts of the SAs that go now are started, then left to finish */
	ikev1_engine_free(ike->engine);
	script_runner_free(ike->scripts);
	while (ike->timers) {
		struct ike_timer *it = ike->timers;

		ev_timer_disarm(d->loop, &it->t);
		ike->timers = it->next;
		free(it);
	}
	ev_timer_disarm(d->loop, &ike->keepalive);
	for (size_t i = 0; i < ike->socks.n; i++)
		ev_fd_del(d->loop, ike->socks.s[i].fd);
	ike_socks_close(&ike->socks);
	ike_conf_free(&ike->conf);
	ike_ra_free(ike->ra);
	ra_clients_free(ike->rac);
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
	keepalive_arm(d->ike);
	ike_ra_reconfigure(d->ike->ra, d->cfg);
	return 0;
}

/* Negotiate for policy sp's request req between local and remote with cfg, a remote of
 * the running configuration. */
static int
ike_start(struct daemon_ike *ike, const struct ikev1_remote *cfg, const struct addr *local,
	  const struct addr *remote, const struct spd_entry *sp, const struct ipsec_request *req)
{
	const struct cfg_remote *rc = ike_conf_cfg(&ike->conf, cfg);
	struct ikev1_child_req cr;
	struct ikev1_peer p;
	char a[ADDR_STRLEN];
	int err;

	memset(&p, 0, sizeof(p));
	p.local = *local;
	p.remote = *remote;
	p.lport = ike_socks_port(&ike->socks, local);
	p.rport = rc->port ? rc->port : 500;
	if (rc->passive) {
		log_info("IKE: remote %s is passive: no negotiation started with %s", rc->name,
			 addr_ntop(remote, a, sizeof(a)));
		return -EPERM;
	}
	if (p.lport == 0) {
		log_err("IKE: no IKE port on %s (listen isakmp)", addr_ntop(local, a, sizeof(a)));
		return -EADDRNOTAVAIL;
	}
	memset(&cr, 0, sizeof(cr));
	if (sp) {
		cr.sel = sp->pol.sel;
		cr.proto = req->proto;
		cr.mode = req->mode;
		cr.reqid = req->level == IPSEC_LEVEL_UNIQUE ? req->reqid : 0;
	}
	if ((err = ikev1_initiate(ike->engine, &p, cfg, sp ? &cr : NULL)) < 0)
		log_err("IKE: cannot start a negotiation with %s: %s",
			addr_ntop(remote, a, sizeof(a)), strerror(-err));
	return err;
}

void
daemon_ike_acquire(struct daemon *d, const struct spd_entry *sp, const struct ipsec_request *req,
		   const struct addr *src, const struct addr *dst)
{
	struct daemon_ike *ike = d->ike;
	const struct ikev1_remote *r;

	if (!ike || !(r = ike_conf_find(&ike->conf, dst)) || req->proto != IPSEC_PROTO_ESP)
		return;
	ike_start(ike, r, src, dst, sp, req);
}

/* ---- control: establish-sa, delete-sa isakmp, flush-sa isakmp ---------------- */

struct policy_find {
	const struct ipsec_selector *sel;
	uint8_t proto;
	struct spd_entry *sp;
	const struct ipsec_request *req;
};

static int
policy_find_one(struct spd_entry *e, void *arg)
{
	struct policy_find *f = arg;

	if (e->pol.dir != IPSEC_DIR_OUT || e->pol.action != IPSEC_ACTION_IPSEC ||
	    !ipsec_selector_eq(&e->pol.sel, f->sel))
		return 0;
	for (uint8_t i = 0; i < e->pol.nreq; i++)
		if (e->pol.req[i].proto == f->proto) {
			f->sp = e;
			f->req = &e->pol.req[i];
			return 1;
		}
	return 0;
}

struct pairs_count {
	const struct addr *remote;
	uint32_t n;
};

static bool
pairs_count_one(void *arg, struct ikev1_ike_sa *sa, const struct ikev1_sa_info *i)
{
	struct pairs_count *c = arg;

	if (i->established && addr_eq(&i->peer.remote, c->remote))
		c->n += (uint32_t)i->nchildren;
	return true;
}

/* IPsec SA pairs under the established ISAKMP SAs with remote. */
static uint32_t
ike_pairs_with(struct daemon_ike *ike, const struct addr *remote)
{
	struct pairs_count c = {remote, 0};

	ikev1_sa_walk(ike->engine, pairs_count_one, &c);
	return c.n;
}

int
daemon_ike_establish(struct daemon *d, struct rd *req, struct wr *w)
{
	struct daemon_ike *ike = d->ike;
	const struct ikev1_remote *cfg = NULL;
	struct ipsec_selector sel;
	struct policy_find f = {&sel, 0, NULL, NULL};
	struct addr local, remote;
	const struct cfg_remote *r;
	char name[256];

	if (admin_string_decode(req, name, sizeof(name)) < 0 || !rd_u8(req, &f.proto))
		return -EBADMSG;
	if (f.proto == 0) {
		if (addr_decode(req, &local) < 0 || addr_decode(req, &remote) < 0 || !rd_end(req))
			return -EBADMSG;
	} else {
		if (ipsec_selector_decode(req, &sel) < 0 || !rd_end(req))
			return -EBADMSG;
		/* as racoon: the policy names the peer (tunnel end, or the host itself) */
		spd_walk(d->spd, policy_find_one, &f);
		if (!f.sp)
			return -ESRCH;
		local = f.req->mode == IPSEC_MODE_TUNNEL ? f.req->src : sel.src.addr;
		remote = f.req->mode == IPSEC_MODE_TUNNEL ? f.req->dst : sel.dst.addr;
		if (f.proto != IPSEC_PROTO_ESP)
			return -EPROTONOSUPPORT;
	}
	if (!ike || addr_is_any(&remote) || local.family != remote.family)
		return -EINVAL;
	if (name[0]) {
		if ((r = cfg_remote_find(d->cfg, name)) != NULL)
			cfg = &ike->conf.remotes[r - d->cfg->remotes];
	} else {
		cfg = ike_conf_find(&ike->conf, &remote);
	}
	if (!cfg)
		return -ENOENT;
	addr_encode(w, &remote);
	wr_be32(w, ike_pairs_with(ike, &remote));
	return ike_start(ike, cfg, &local, &remote, f.sp, f.req);
}

struct sa_pick {
	struct addr local, remote;
	bool all;
	struct ikev1_ike_sa *sa;
};

static bool
sa_pick_one(void *arg, struct ikev1_ike_sa *sa, const struct ikev1_sa_info *i)
{
	struct sa_pick *p = arg;

	if (p->all || (addr_eq(&i->peer.remote, &p->remote) &&
		       (addr_is_any(&p->local) || addr_eq(&i->peer.local, &p->local)))) {
		p->sa = sa;
		return false;
	}
	return true;
}

/* Delete (announced to the peer) the ISAKMP SAs p selects, with their IPsec SAs. */
static int
ike_delete_picked(struct daemon_ike *ike, struct sa_pick *p)
{
	int n = 0;

	/* bounded by the table: each round deletes the SA it found */
	for (;; n++) {
		p->sa = NULL;
		ikev1_sa_walk(ike->engine, sa_pick_one, p);
		if (!p->sa)
			break;
		ikev1_delete(ike->engine, p->sa);
	}
	return n;
}

int
daemon_ike_delete(struct daemon *d, struct rd *req)
{
	struct sa_pick p = {.all = false};

	if (addr_decode(req, &p.local) < 0 || addr_decode(req, &p.remote) < 0 || !rd_end(req))
		return -EBADMSG;
	if (!d->ike)
		return -ENOENT;
	return ike_delete_picked(d->ike, &p) ? 0 : -ENOENT;
}

int
daemon_ike_flush(struct daemon *d)
{
	struct sa_pick p = {.all = true};

	if (d->ike)
		ike_delete_picked(d->ike, &p);
	return 0;
}

/*
 * coatictl vc: keep the login for the gateway HOST and start phase 1 towards it from the
 * local address the routing table picks; coatictl then watches show-sa isakmp.
 */
int
daemon_ike_vc(struct daemon *d, struct rd *req)
{
	char user[IKEV1_XAUTH_USER_MAX + 1], pass[IKEV1_XAUTH_PASS_MAX + 1], a[ADDR_STRLEN];
	struct daemon_ike *ike = d->ike;
	const struct ikev1_remote *cfg;
	struct sockaddr_storage ss;
	socklen_t sl;
	struct addr remote, local;
	int fd, err = -EBADMSG;

	if (addr_decode(req, &remote) < 0 || admin_string_decode(req, user, sizeof(user)) < 0 ||
	    admin_string_decode(req, pass, sizeof(pass)) < 0 || !rd_end(req))
		goto out;
	err = -ENOENT;
	if (!ike || addr_is_any(&remote) || (cfg = ike_conf_find(&ike->conf, &remote)) == NULL)
		goto out;
	/* the source address a datagram to the gateway would take */
	sl = addr_to_sockaddr(&remote, 500, &ss);
	fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	err = fd < 0 || connect(fd, (struct sockaddr *)&ss, sl) < 0 ? -errno : 0;
	sl = sizeof(ss);
	if (err == 0 && getsockname(fd, (struct sockaddr *)&ss, &sl) < 0)
		err = -errno;
	if (fd >= 0)
		close(fd);
	if (err < 0 || (err = addr_from_sockaddr((struct sockaddr *)&ss, &local, NULL)) < 0)
		goto out;
	if (user[0] && (err = ra_clients_vc(ike->rac, &remote, user, pass)) < 0)
		goto out;
	log_notice("IKE: vc to %s%s%s", addr_ntop(&remote, a, sizeof(a)), user[0] ? " as " : "",
		   user);
	err = ike_start(ike, cfg, &local, &remote, NULL, NULL);
out:
	secmem_wipe(pass, sizeof(pass));
	return err;
}

static bool
ike_status_one(void *arg, struct ikev1_ike_sa *sa, const struct ikev1_sa_info *i)
{
	struct ike_dump *c = arg;
	char key[ADDR_STRLEN + 8], val[IKEV1_XAUTH_USER_MAX + ADDR_STRLEN + 32], a[ADDR_STRLEN];

	(void)sa;
	if (!i->user && !i->vaddr4.family)
		return true;
	snprintf(key, sizeof(key), "vpn %s", addr_ntop(&i->peer.remote, a, sizeof(a)));
	snprintf(val, sizeof(val), "%s%s%saddress %s", i->user ? "user " : "",
		 i->user ? i->user : "", i->user ? " " : "",
		 i->vaddr4.family ? addr_ntop(&i->vaddr4, a, sizeof(a)) : "none");
	admin_string_encode(c->w, key);
	admin_string_encode(c->w, val);
	c->n++;
	return true;
}

uint32_t
daemon_ike_status(struct daemon *d, struct wr *w)
{
	struct ike_dump c = {w, 0, NULL};

	if (d->ike)
		ikev1_sa_walk(d->ike->engine, ike_status_one, &c);
	return c.n;
}

void
daemon_ike_sa_expired(struct daemon *d, const struct sad_entry *e, bool hard)
{
	if (d->ike && e->sa.origin == IPSEC_ORIGIN_IKE)
		ikev1_child_expired(d->ike->engine, &e->sa.dst, e->sa.spi, hard);
}
