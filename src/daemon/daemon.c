/* coatid wiring: hooks from the SAD/SPD and data plane, events, the state store, reload. */
#include "daemon/daemon.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "config/conf.h"
#include "daemon/ike.h"
#include "ipsec/store.h"
#include "lib/log.h"

void
daemon_event(struct daemon *d, const char *fmt, ...)
{
	struct daemon_event *ev = &d->events[d->events_head];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ev->text, sizeof(ev->text), fmt, ap);
	va_end(ap);
	ev->when = (uint64_t)time(NULL);
	d->events_head = (d->events_head + 1) % DAEMON_EVENTS_MAX;
	if (d->nevents < DAEMON_EVENTS_MAX)
		d->nevents++;
	log_info("%s", ev->text);
}

void
daemon_store_sync(struct daemon *d)
{
	int err;

	if (!d->store || d->restoring)
		return;
	err = store_save(d->store, d->sad, d->spd);
	d->store_dirty = err < 0;
	if (err < 0)
		log_err("state store %s: %s (manual SAs may not survive a restart)",
			d->opts.state_dir, strerror(-err));
}

static const char *
sa_describe(const struct sad_entry *e, char *buf, size_t len)
{
	char s[ADDR_STRLEN], t[ADDR_STRLEN];

	snprintf(buf, len, "%s spi 0x%08x %s->%s", ipsec_proto_name(e->sa.proto), e->sa.spi,
		 addr_ntop(&e->sa.src, s, sizeof(s)), addr_ntop(&e->sa.dst, t, sizeof(t)));
	return buf;
}

void
daemon_hook_sa_soft(struct sad_entry *e, void *arg)
{
	char buf[128];

	daemon_event(arg, "soft lifetime expired: %s", sa_describe(e, buf, sizeof(buf)));
	daemon_ike_sa_expired(arg, e, false);
}

void
daemon_hook_sa_hard(struct sad_entry *e, void *arg)
{
	struct daemon *d = arg;
	char buf[128];

	daemon_event(d, "hard lifetime expired, SA deleted: %s", sa_describe(e, buf, sizeof(buf)));
	if (e->sa.origin == IPSEC_ORIGIN_MANUAL)
		d->store_dirty = true;
	daemon_ike_sa_expired(d, e, true);
}

void
daemon_hook_sa_removed(struct sad_entry *e, void *arg)
{
	struct daemon *d = arg;

	if (d->backend)
		d->backend->ops->sa_del(d->backend, e);
}

void
daemon_hook_sp_removed(struct spd_entry *e, void *arg)
{
	struct daemon *d = arg;

	if (d->backend)
		d->backend->ops->policy_del(d->backend, e);
}

void
daemon_hook_acquire(const struct spd_entry *sp, const struct ipsec_request *req,
		    const struct addr *src, const struct addr *dst, void *arg)
{
	char s[ADDR_STRLEN], t[ADDR_STRLEN];

	daemon_event(arg, "ACQUIRE %s/%s %s->%s (policy %llu): no SA, packets queued",
		     ipsec_proto_name(req->proto), ipsec_mode_name(req->mode),
		     addr_ntop(src, s, sizeof(s)), addr_ntop(dst, t, sizeof(t)),
		     (unsigned long long)sp->id);
	daemon_ike_acquire(arg, sp, req, src, dst);
}

bool
daemon_hook_seq_reserve(struct sad_entry *e, void *arg)
{
	struct daemon *d = arg;

	daemon_store_sync(d);
	return e->seq_out < e->seq_reserved;
}

struct seq_check {
	bool due;
};

static int
seq_due(struct sad_entry *e, void *arg)
{
	struct seq_check *c = arg;

	if (e->sa.origin == IPSEC_ORIGIN_MANUAL && store_needs_save(e)) {
		c->due = true;
		return 1;
	}
	return 0;
}

/* Once a second: lifetimes, queued packets, sequence-number reservations. */
void
daemon_tick(struct ev_timer *t, void *arg)
{
	struct daemon *d = arg;
	struct seq_check c = {false};

	sad_expire(d->sad, ev_now_s());
	d->backend->ops->tick(d->backend);
	sad_walk(d->sad, seq_due, &c);
	if (c.due || d->store_dirty)
		daemon_store_sync(d);
	ev_timer_arm(d->loop, t, 1000);
}

#define POLICIES_SYNC_DELAY_MS 20

static void
policies_sync_fired(struct ev_timer *t, void *arg)
{
	struct daemon *d = arg;

	if (d->backend->ops->policies_sync(d->backend) < 0)
		daemon_event(d, "inbound enforcement (nftables) not updated");
}

void
daemon_policies_sync_soon(struct daemon *d)
{
	if (!d->psync.cb)
		ev_timer_init(&d->psync, policies_sync_fired, d);
	if (!ev_timer_armed(&d->psync))
		ev_timer_arm(d->loop, &d->psync, POLICIES_SYNC_DELAY_MS);
}

int
daemon_reload(struct daemon *d)
{
	struct cfg *cfg;
	int err = cfg_load(d->opts.conf_path, &cfg);

	if (err < 0) {
		daemon_event(d, "reload of %s failed: running configuration kept",
			     d->opts.conf_path);
		return err;
	}
	if ((cfg->adminsock.path && d->cfg->adminsock.path &&
	     strcmp(cfg->adminsock.path, d->cfg->adminsock.path) != 0) ||
	    (!cfg->adminsock.path != !d->cfg->adminsock.path))
		log_warn("adminsock changes take effect at the next start");
	if (!cfg_listen_same(cfg, d->cfg))
		log_warn("listen isakmp changes take effect at the next start");
	if (cfg->log_level >= 0 && d->opts.debug == 0)
		log_set_level((enum log_level)cfg->log_level);
	cfg_warn_unsupported(cfg);
	/* the IKE view points into the configuration: swap both or neither */
	struct cfg *old = d->cfg;

	d->cfg = cfg;
	if ((err = daemon_ike_reconfigure(d)) < 0) {
		d->cfg = old;
		cfg_free(cfg);
		daemon_event(d,
			     "reload of %s failed (psk.txt or certificates): running configuration kept",
			     d->opts.conf_path);
		return err;
	}
	cfg_free(old);
	daemon_event(d, "configuration %s reloaded", d->opts.conf_path);
	return 0;
}
