/* Admin request handlers: SAD/SPD changes (all or nothing), dumps, stats, status. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "admin/proto.h"
#include "daemon/daemon.h"
#include "daemon/ike.h"
#include "daemon/undo.h"
#include "ipsec/codec.h"
#include "lib/log.h"

#define BATCH_MAX_OPS 100000

static int
decode_sa_id(struct rd *r, struct addr *dst, uint8_t *proto, uint32_t *spi)
{
	if (addr_decode(r, dst) < 0 || !rd_u8(r, proto) || !rd_be32(r, spi))
		return -EBADMSG;
	return 0;
}

static int
h_sa_add(struct daemon *d, struct rd *req, bool update, struct undo *u)
{
	struct ipsec_sa sa;
	int err;

	if (ipsec_sa_decode(req, &sa) < 0 || !rd_end(req))
		return -EBADMSG;
	sa.origin = IPSEC_ORIGIN_MANUAL;
	err = update ? daemon_sa_update(d, &sa, u) : daemon_sa_add(d, &sa, u);
	sa_wipe_keys(&sa);
	return err;
}

static int
h_sa_delete(struct daemon *d, struct rd *req, struct undo *u)
{
	struct addr dst;
	uint8_t proto;
	uint32_t spi;
	struct sad_entry *e;

	if (decode_sa_id(req, &dst, &proto, &spi) < 0 || !rd_end(req))
		return -EBADMSG;
	e = sad_get(d->sad, &dst, proto, spi);
	if (!e)
		return -ENOENT;
	return daemon_sa_remove(d, e, u);
}

struct sa_match {
	const struct addr *src, *dst; /* NULL = any */
	uint8_t proto;                /* 0 = any */
	struct sad_entry **list;
	size_t n, cap;
};

static int
collect_sa(struct sad_entry *e, void *arg)
{
	struct sa_match *m = arg;

	if ((m->proto && e->sa.proto != m->proto) || (m->src && !addr_eq(m->src, &e->sa.src)) ||
	    (m->dst && !addr_eq(m->dst, &e->sa.dst)))
		return 0;
	if (m->n == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 64;
		struct sad_entry **l = realloc(m->list, cap * sizeof(*l));

		if (!l)
			return -ENOMEM;
		m->list = l;
		m->cap = cap;
	}
	m->list[m->n++] = e;
	return 0;
}

/* deleteall and flush: remove every matching SA (manual and negotiated alike, as setkey). */
static int
remove_matching(struct daemon *d, struct sa_match *m, struct undo *u)
{
	int err = sad_walk(d->sad, collect_sa, m);

	for (size_t i = 0; !err && i < m->n; i++)
		err = daemon_sa_remove(d, m->list[i], u);
	free(m->list);
	return err;
}

static int
h_sa_deleteall(struct daemon *d, struct rd *req, struct undo *u)
{
	struct addr src, dst;
	struct sa_match m = {&src, &dst, 0, NULL, 0, 0};

	if (addr_decode(req, &src) < 0 || addr_decode(req, &dst) < 0 || !rd_u8(req, &m.proto) ||
	    !rd_end(req))
		return -EBADMSG;
	return remove_matching(d, &m, u);
}

static int
h_sa_flush(struct daemon *d, struct rd *req, struct undo *u)
{
	struct sa_match m = {NULL, NULL, 0, NULL, 0, 0};

	if (!rd_end(req) && (!rd_u8(req, &m.proto) || !rd_end(req)))
		return -EBADMSG;
	return remove_matching(d, &m, u);
}

static int
h_spd_add(struct daemon *d, struct rd *req, bool update, struct undo *u)
{
	struct ipsec_policy pol;

	if (ipsec_policy_decode(req, &pol) < 0 || !rd_end(req))
		return -EBADMSG;
	pol.origin = IPSEC_ORIGIN_MANUAL;
	return daemon_sp_add(d, &pol, update, u);
}

static int
h_spd_delete(struct daemon *d, struct rd *req, struct undo *u)
{
	struct ipsec_selector sel;
	uint8_t dir;

	if (ipsec_selector_decode(req, &sel) < 0 || !rd_u8(req, &dir) || !rd_end(req) ||
	    dir >= IPSEC_DIR__COUNT)
		return -EBADMSG;
	return daemon_sp_delete(d, &sel, dir, u);
}

static int
h_spd_flush(struct daemon *d, struct rd *req, struct undo *u)
{
	if (!rd_end(req))
		return -EBADMSG;
	return daemon_sp_flush(d, u);
}

/* One state-changing request; records how to undo it in u. */
static int
apply_change(struct daemon *d, uint8_t type, struct rd *req, struct undo *u)
{
	switch (type) {
	case ADMIN_SA_ADD:
		return h_sa_add(d, req, false, u);
	case ADMIN_SA_UPDATE:
		return h_sa_add(d, req, true, u);
	case ADMIN_SA_DELETE:
		return h_sa_delete(d, req, u);
	case ADMIN_SA_DELETEALL:
		return h_sa_deleteall(d, req, u);
	case ADMIN_SA_FLUSH:
		return h_sa_flush(d, req, u);
	case ADMIN_SPD_ADD:
		return h_spd_add(d, req, false, u);
	case ADMIN_SPD_UPDATE:
		return h_spd_add(d, req, true, u);
	case ADMIN_SPD_DELETE:
		return h_spd_delete(d, req, u);
	case ADMIN_SPD_FLUSH:
		return h_spd_flush(d, req, u);
	default:
		return -EOPNOTSUPP;
	}
}

/*
 * A setkey file: every change applies or none does. On the first failure
 * the undo log is replayed backwards and the reply names the failing op.
 */
static int
h_batch(struct daemon *d, struct rd *req, struct wr *w, struct undo *u)
{
	uint32_t n;
	int err = 0;

	if (!rd_be32(req, &n) || n > BATCH_MAX_OPS)
		return -EBADMSG;
	for (uint32_t i = 0; i < n && !err; i++) {
		struct rd body;
		uint8_t type;
		uint32_t len;

		if (!rd_u8(req, &type) || !rd_be32(req, &len) || !rd_sub(req, len, &body))
			err = -EBADMSG;
		else
			err = apply_change(d, type, &body, u);
		if (err)
			wr_be32(w, i);
	}
	if (!err && !rd_end(req))
		err = -EBADMSG;
	return err;
}

static int
h_sa_get(struct daemon *d, struct rd *req, struct wr *w)
{
	struct admin_sa_info info;
	struct addr dst;
	uint8_t proto;
	uint32_t spi;
	struct sad_entry *e;

	if (decode_sa_id(req, &dst, &proto, &spi) < 0 || !rd_end(req))
		return -EBADMSG;
	if (!(e = sad_get(d->sad, &dst, proto, spi)))
		return -ENOENT;
	daemon_sa_info(e, &info);
	admin_sa_info_encode(w, &info);
	sa_wipe_keys(&info.sa);
	return 0;
}

struct dump_ctx {
	struct wr *w;
	uint8_t proto;
	uint32_t n;
};

static int
dump_sa(struct sad_entry *e, void *arg)
{
	struct dump_ctx *c = arg;
	struct admin_sa_info info;

	if (c->proto && e->sa.proto != c->proto)
		return 0;
	daemon_sa_info(e, &info);
	admin_sa_info_encode(c->w, &info);
	sa_wipe_keys(&info.sa);
	c->n++;
	return 0;
}

static int
h_sa_dump(struct daemon *d, struct rd *req, struct wr *w)
{
	struct dump_ctx c = {w, 0, 0};
	size_t at;

	if (!rd_end(req) && (!rd_u8(req, &c.proto) || !rd_end(req)))
		return -EBADMSG;
	at = wr_reserve_be32(w);
	sad_walk(d->sad, dump_sa, &c);
	wr_patch_be32(w, at, c.n);
	return 0;
}

static int
dump_sp(struct spd_entry *e, void *arg)
{
	struct dump_ctx *c = arg;
	struct admin_spd_info info;
	uint64_t now = ev_now_s();

	info.pol = e->pol;
	info.id = e->id;
	info.hits = e->hits;
	info.age = now - e->add_time;
	info.idle = e->use_time ? now - e->use_time : UINT64_MAX;
	admin_spd_info_encode(c->w, &info);
	c->n++;
	return 0;
}

static int
h_spd_dump(struct daemon *d, struct rd *req, struct wr *w)
{
	struct dump_ctx c = {w, 0, 0};
	size_t at;

	if (!rd_end(req))
		return -EBADMSG;
	at = wr_reserve_be32(w);
	spd_walk(d->spd, dump_sp, &c);
	wr_patch_be32(w, at, c.n);
	return 0;
}

struct kv_ctx {
	struct wr *w;
	uint32_t n;
};

static void
put_stat(const char *name, uint64_t v, void *arg)
{
	struct kv_ctx *c = arg;

	admin_string_encode(c->w, name);
	wr_be64(c->w, v);
	c->n++;
}

static int
h_stats(struct daemon *d, struct wr *w)
{
	struct kv_ctx c = {w, 0};
	size_t at = wr_reserve_be32(w);

	put_stat("sad_entries", sad_count(d->sad), &c);
	put_stat("spd_entries", spd_count(d->spd), &c);
	d->backend->ops->stats(d->backend, put_stat, &c);
	wr_patch_be32(w, at, c.n);
	return 0;
}

static void
put_kv(struct kv_ctx *c, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
put_kv(struct kv_ctx *c, const char *key, const char *fmt, ...)
{
	char val[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(val, sizeof(val), fmt, ap);
	va_end(ap);
	admin_string_encode(c->w, key);
	admin_string_encode(c->w, val);
	c->n++;
}

static int
h_status(struct daemon *d, struct wr *w)
{
	struct kv_ctx c = {w, 0};
	size_t at = wr_reserve_be32(w);

	put_kv(&c, "version", "%s", COATI_VERSION);
	put_kv(&c, "pid", "%d", (int)getpid());
	put_kv(&c, "uptime", "%llu", (unsigned long long)(time(NULL) - (time_t)d->start_time));
	put_kv(&c, "config", "%s", d->opts.conf_path);
	put_kv(&c, "backend", "%s", d->backend->ops->name);
	put_kv(&c, "tun", "%s", d->opts.tun_name);
	put_kv(&c, "state_dir", "%s", d->opts.state_dir);
	put_kv(&c, "sa", "%zu", sad_count(d->sad));
	put_kv(&c, "sp", "%zu", spd_count(d->spd));
	c.n += daemon_ike_status(d, w);
	wr_patch_be32(w, at, c.n);
	return 0;
}

static int
h_events(struct daemon *d, struct wr *w)
{
	unsigned first = (d->events_head + DAEMON_EVENTS_MAX - d->nevents) % DAEMON_EVENTS_MAX;

	wr_be32(w, d->nevents);
	for (unsigned i = 0; i < d->nevents; i++) {
		const struct daemon_event *ev = &d->events[(first + i) % DAEMON_EVENTS_MAX];

		wr_be64(w, ev->when);
		admin_string_encode(w, ev->text);
	}
	return 0;
}

int
daemon_handle(struct daemon *d, uint8_t type, struct rd *req, struct wr *w)
{
	struct undo u;
	int err;

	switch (type) {
	case ADMIN_PING:
		admin_string_encode(w, COATI_VERSION);
		return 0;
	case ADMIN_SA_GET:
		return h_sa_get(d, req, w);
	case ADMIN_SA_DUMP:
		return h_sa_dump(d, req, w);
	case ADMIN_SPD_DUMP:
		return h_spd_dump(d, req, w);
	case ADMIN_STATS:
		return h_stats(d, w);
	case ADMIN_STATUS:
		return h_status(d, w);
	case ADMIN_EVENTS:
		return h_events(d, w);
	case ADMIN_IKE_SA_DUMP:
		return rd_end(req) ? daemon_ike_dump(d, w) : -EBADMSG;
	case ADMIN_IKE_ESTABLISH:
		return daemon_ike_establish(d, req, w);
	case ADMIN_IKE_DELETE:
		return daemon_ike_delete(d, req);
	case ADMIN_IKE_FLUSH:
		return rd_end(req) ? daemon_ike_flush(d) : -EBADMSG;
	case ADMIN_IKE_VC:
		return daemon_ike_vc(d, req);
	case ADMIN_RELOAD:
		return daemon_reload(d);
	default:
		break;
	}
	undo_init(&u);
	err = type == ADMIN_BATCH ? h_batch(d, req, w, &u) : apply_change(d, type, req, &u);
	if (!err && u.changed_spd && (err = d->backend->ops->policies_sync(d->backend)) < 0)
		log_err("admin: inbound enforcement not updated: change rolled back");
	if (err) {
		undo_rollback(d, &u);
		if (u.changed_spd)
			d->backend->ops->policies_sync(d->backend);
	}
	else if (u.changed_manual)
		daemon_store_sync(d);
	undo_free(&u);
	return err;
}
