/* The userspace backend: SAs in the TUN data plane, routes that steer traffic into it. */
#include <errno.h>
#include <ifaddrs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dataplane/dpsa.h"
#include "dataplane/worker.h"
#include "kernel/backend.h"
#include "kernel/infilter.h"
#include "kernel/route.h"
#include "lib/log.h"

#define US_IKE_FLUSH_DELAY_MS 10

/* One installed route, shared by every policy with the same destination and source. */
struct us_route {
	struct prefix dst;
	struct addr src;
	unsigned refs;
	struct us_route *next;
};

struct us_backend {
	struct backend base;
	struct backend_config cfg;
	struct dp *dp;
	struct rtnl *nl;
	struct us_route *routes;
	struct spd *spd;
	struct infilter *infilter; /* NULL: nftables unavailable, logged at start */
	bool rule4, rule6;
};

static int
us_sa_add(struct backend *b, struct sad_entry *e)
{
	struct us_backend *u = (struct us_backend *)b;
	struct dp_sa *d;
	int err = dp_sa_new(&e->sa, &d);

	if (err < 0)
		return err;
	e->backend = d;
	/*
	 * A negotiated SA is in as soon as our last Quick Mode message leaves;
	 * the peer installs its side when that message is processed, so the
	 * packets that waited for it leave a moment later (else the first one
	 * can beat the peer's SA and be dropped there).
	 */
	if (e->sa.origin == IPSEC_ORIGIN_IKE)
		dp_flush_queue_later(u->dp, US_IKE_FLUSH_DELAY_MS);
	else
		dp_flush_queue(u->dp);
	return 0;
}

static void
us_sa_del(struct backend *b, struct sad_entry *e)
{
	dp_sa_free(e->backend);
	e->backend = NULL;
}

/* A local address inside the policy's source prefix makes a good preferred source. */
static bool
us_local_src(const struct prefix *p, struct addr *out)
{
	struct ifaddrs *ifa, *i;
	bool found = false;

	if (p->len == 0 || getifaddrs(&ifa) < 0)
		return false;
	for (i = ifa; i && !found; i = i->ifa_next) {
		struct addr a;

		if (!i->ifa_addr || addr_from_sockaddr(i->ifa_addr, &a, NULL) < 0)
			continue;
		if (prefix_contains(p, &a) &&
		    !(a.family == AF_INET6 && IN6_IS_ADDR_LINKLOCAL(&a.v6))) {
			*out = a;
			found = true;
		}
	}
	freeifaddrs(ifa);
	return found;
}

static struct us_route **
us_route_find(struct us_backend *u, const struct prefix *dst, const struct addr *src)
{
	struct us_route **rp;

	for (rp = &u->routes; *rp; rp = &(*rp)->next)
		if ((*rp)->dst.len == dst->len && addr_eq(&(*rp)->dst.addr, &dst->addr) &&
		    addr_eq(&(*rp)->src, src))
			return rp;
	return rp;
}

static bool
us_policy_routed(const struct spd_entry *sp)
{
	return sp->pol.dir == IPSEC_DIR_OUT && sp->pol.action != IPSEC_ACTION_NONE;
}

static void
us_policy_route(const struct spd_entry *sp, struct prefix *dst, struct addr *src)
{
	*dst = sp->pol.sel.dst;
	prefix_mask(dst);
	memset(src, 0, sizeof(*src));
	us_local_src(&sp->pol.sel.src, src);
}

static int
us_policy_add(struct backend *b, struct spd_entry *sp)
{
	struct us_backend *u = (struct us_backend *)b;
	struct us_route **rp, *r;
	struct prefix dst;
	struct addr src;
	char buf[PREFIX_STRLEN];
	int err;

	if (!us_policy_routed(sp))
		return 0;
	us_policy_route(sp, &dst, &src);
	rp = us_route_find(u, &dst, &src);
	if (*rp) {
		(*rp)->refs++;
		return 0;
	}
	err = rtnl_route(u->nl, false, u->cfg.table, &dst, dp_tun_ifindex(u->dp),
			 src.family ? &src : NULL);
	if (err < 0) {
		log_err("route %s via %s: %s", prefix_ntop(&dst, buf, sizeof(buf)),
			dp_tun_name(u->dp), strerror(-err));
		return err;
	}
	if (!(r = calloc(1, sizeof(*r))))
		return -ENOMEM;
	r->dst = dst;
	r->src = src;
	r->refs = 1;
	r->next = u->routes;
	u->routes = r;
	log_debug("route %s dev %s table %u", prefix_ntop(&dst, buf, sizeof(buf)),
		  dp_tun_name(u->dp), u->cfg.table);
	return 0;
}

static void
us_policy_del(struct backend *b, struct spd_entry *sp)
{
	struct us_backend *u = (struct us_backend *)b;
	struct us_route **rp, *r;
	struct prefix dst;
	struct addr src;

	if (!us_policy_routed(sp))
		return;
	us_policy_route(sp, &dst, &src);
	rp = us_route_find(u, &dst, &src);
	if (!*rp || --(*rp)->refs)
		return;
	r = *rp;
	*rp = r->next;
	rtnl_route(u->nl, true, u->cfg.table, &r->dst, dp_tun_ifindex(u->dp),
		   r->src.family ? &r->src : NULL);
	free(r);
}

static int
us_policies_sync(struct backend *b)
{
	struct us_backend *u = (struct us_backend *)b;

	return u->infilter ? infilter_sync(u->infilter, u->spd) : 0;
}

static void
us_stats(struct backend *b, void (*fn)(const char *name, uint64_t v, void *arg), void *arg)
{
	dp_stats_walk(((struct us_backend *)b)->dp, fn, arg);
}

static int
us_ike_send(struct backend *b, const struct addr *local, const struct addr *remote,
	    uint16_t rport, const uint8_t *msg, size_t len)
{
	return dp_ike_send(((struct us_backend *)b)->dp, local, remote, rport, msg, len);
}

static void
us_tick(struct backend *b)
{
	dp_tick(((struct us_backend *)b)->dp);
}

static int
us_natt_keepalive(struct backend *b, const struct addr *local, const struct addr *remote,
		  uint16_t rport)
{
	return dp_natt_keepalive(((struct us_backend *)b)->dp, local, remote, rport);
}

static void
us_free(struct backend *b)
{
	struct us_backend *u = (struct us_backend *)b;

	if (!u)
		return;
	while (u->routes) {
		struct us_route *r = u->routes;

		u->routes = r->next;
		rtnl_route(u->nl, true, u->cfg.table, &r->dst, dp_tun_ifindex(u->dp),
			   r->src.family ? &r->src : NULL);
		free(r);
	}
	if (u->rule4)
		rtnl_rule(u->nl, true, AF_INET, u->cfg.table, u->cfg.mark, u->cfg.rule_prio);
	if (u->rule6)
		rtnl_rule(u->nl, true, AF_INET6, u->cfg.table, u->cfg.mark, u->cfg.rule_prio);
	infilter_close(u->infilter);
	dp_free(u->dp);
	rtnl_close(u->nl);
	free(u);
}

static const struct backend_ops us_ops = {
	.name = "userspace",
	.sa_add = us_sa_add,
	.sa_del = us_sa_del,
	.policy_add = us_policy_add,
	.policy_del = us_policy_del,
	.policies_sync = us_policies_sync,
	.stats = us_stats,
	.tick = us_tick,
	.ike_send = us_ike_send,
	.natt_keepalive = us_natt_keepalive,
	.free = us_free,
};

/* A stale rule from a killed daemon is the same rule: take it over. */
static int
us_rule(struct us_backend *u, uint8_t family, bool *have)
{
	int err = rtnl_rule(u->nl, false, family, u->cfg.table, u->cfg.mark, u->cfg.rule_prio);

	if (err == -EEXIST)
		err = 0;
	*have = err == 0;
	return err;
}

int
backend_userspace_new(const struct backend_config *cfg, struct sad *sad, struct spd *spd,
		      struct ev_loop *loop, const struct backend_events *ev, struct backend **out)
{
	struct us_backend *u = calloc(1, sizeof(*u));
	struct dp_config dc = {cfg->tun_name, cfg->mtu, cfg->mark, cfg->natt_port};
	struct dp_hooks dh = {ev->acquire, ev->seq_reserve, ev->ike_input, ev->arg};
	int err;

	if (!u)
		return -ENOMEM;
	u->base.ops = &us_ops;
	u->cfg = *cfg;
	u->spd = spd;
	if ((err = rtnl_open(&u->nl)) < 0) {
		log_err("rtnetlink: %s", strerror(-err));
		free(u);
		return err;
	}
	if ((err = dp_new(&dc, sad, spd, loop, &dh, &u->dp)) < 0) {
		rtnl_close(u->nl);
		free(u);
		return err;
	}
	if ((err = us_rule(u, AF_INET, &u->rule4)) < 0) {
		log_err("ip rule for table %u: %s", cfg->table, strerror(-err));
		us_free(&u->base);
		return err;
	}
	if (us_rule(u, AF_INET6, &u->rule6) < 0)
		log_warn("no IPv6 policy routing rule: IPv6 policies will not be steered");
	if (infilter_open(dp_tun_name(u->dp), cfg->ike_port, cfg->natt_port, &u->infilter) < 0 ||
	    infilter_sync(u->infilter, spd) < 0) {
		log_err("nftables unavailable: cleartext that inbound require policies forbid "
			"is NOT dropped");
		infilter_close(u->infilter);
		u->infilter = NULL;
	}
	*out = &u->base;
	return 0;
}
