/* SAD/SPD changes through the backend, with an undo log. */
#include "daemon/undo.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "admin/proto.h"
#include "lib/log.h"

void
undo_init(struct undo *u)
{
	memset(u, 0, sizeof(*u));
}

void
undo_free(struct undo *u)
{
	if (u->ops)
		secmem_wipe(u->ops, u->cap * sizeof(*u->ops));
	free(u->ops);
	u->ops = NULL;
	u->n = u->cap = 0;
}

static struct undo_op *
undo_push(struct undo *u, enum undo_kind kind, uint8_t origin)
{
	struct undo_op *op;

	if (!u)
		return NULL;
	if (origin == IPSEC_ORIGIN_MANUAL)
		u->changed_manual = true;
	if (u->n == u->cap) {
		size_t cap = u->cap ? u->cap * 2 : 16;
		struct undo_op *ops = calloc(cap, sizeof(*ops));

		if (!ops)
			return NULL;
		if (u->ops) {
			memcpy(ops, u->ops, u->n * sizeof(*ops));
			secmem_wipe(u->ops, u->cap * sizeof(*ops));
			free(u->ops);
		}
		u->ops = ops;
		u->cap = cap;
	}
	op = &u->ops[u->n++];
	memset(op, 0, sizeof(*op));
	op->kind = kind;
	if (kind >= UNDO_SP_DELETE)
		u->changed_spd = true;
	return op;
}

static struct spd_entry *
sp_find(struct daemon *d, const struct ipsec_selector *sel, uint8_t dir);

int
daemon_sa_add(struct daemon *d, const struct ipsec_sa *sa, struct undo *u)
{
	struct sad_entry *e;
	struct undo_op *op;
	int err = sad_add(d->sad, sa, ev_now_s(), &e);

	if (err < 0)
		return err;
	if ((err = d->backend->ops->sa_add(d->backend, e)) < 0) {
		sad_delete(d->sad, &sa->dst, sa->proto, sa->spi);
		return err;
	}
	if ((op = undo_push(u, UNDO_SA_DELETE, sa->origin))) {
		op->sa.dst = sa->dst;
		op->sa.proto = sa->proto;
		op->sa.spi = sa->spi;
	} else if (u) {
		sad_delete(d->sad, &sa->dst, sa->proto, sa->spi);
		return -ENOMEM;
	}
	return 0;
}

/* New parameters need new data-plane state (keys, window). */
static int
sa_rekey_backend(struct daemon *d, struct sad_entry *e)
{
	d->backend->ops->sa_del(d->backend, e);
	return d->backend->ops->sa_add(d->backend, e);
}

int
daemon_sa_update(struct daemon *d, const struct ipsec_sa *sa, struct undo *u)
{
	struct sad_entry *e = sad_get(d->sad, &sa->dst, sa->proto, sa->spi);
	struct ipsec_sa old;
	struct undo_op *op;
	int err;

	if (!e)
		return -ENOENT;
	old = e->sa;
	if ((err = sad_update(d->sad, sa, &e)) < 0)
		goto out;
	if ((err = sa_rekey_backend(d, e)) < 0) {
		sad_update(d->sad, &old, &e);
		sa_rekey_backend(d, e);
		goto out;
	}
	if ((op = undo_push(u, UNDO_SA_REVERT, sa->origin)))
		op->sa = old;
	else if (u)
		err = -ENOMEM;
out:
	sa_wipe_keys(&old);
	return err;
}

int
daemon_sa_remove(struct daemon *d, struct sad_entry *e, struct undo *u)
{
	struct undo_op *op = undo_push(u, UNDO_SA_RESTORE, e->sa.origin);

	if (u && !op)
		return -ENOMEM;
	if (op) {
		op->sa = e->sa;
		op->ctr = e->ctr;
		op->seq_out = e->seq_out;
	}
	return sad_delete(d->sad, &e->sa.dst, e->sa.proto, e->sa.spi);
}

struct sp_find_ctx {
	const struct ipsec_selector *sel;
	uint8_t dir;
	struct spd_entry *found;
};

static int
sp_find_cb(struct spd_entry *e, void *arg)
{
	struct sp_find_ctx *c = arg;

	if (e->pol.dir == c->dir && ipsec_selector_eq(&e->pol.sel, c->sel)) {
		c->found = e;
		return 1;
	}
	return 0;
}

static struct spd_entry *
sp_find(struct daemon *d, const struct ipsec_selector *sel, uint8_t dir)
{
	struct sp_find_ctx c = {sel, dir, NULL};

	spd_walk(d->spd, sp_find_cb, &c);
	return c.found;
}

int
daemon_sp_add(struct daemon *d, const struct ipsec_policy *pol, bool update, struct undo *u)
{
	struct spd_entry *old_e = sp_find(d, &pol->sel, pol->dir), *e;
	struct ipsec_policy old;
	struct undo_op *op;
	int err;

	if (update && !old_e)
		return -ENOENT;
	if (!update && old_e)
		return -EEXIST;
	if (old_e)
		old = old_e->pol;
	if ((err = spd_add(d->spd, pol, update, ev_now_s(), &e)) < 0)
		return err;
	if ((err = d->backend->ops->policy_add(d->backend, e)) < 0) {
		if (update && spd_add(d->spd, &old, true, ev_now_s(), &e) == 0)
			d->backend->ops->policy_add(d->backend, e);
		else if (!update)
			spd_delete(d->spd, &pol->sel, pol->dir);
		return err;
	}
	op = undo_push(u, update ? UNDO_SP_REVERT : UNDO_SP_DELETE, pol->origin);
	if (op)
		op->pol = update ? old : *pol;
	return u && !op ? -ENOMEM : 0;
}

int
daemon_sp_delete(struct daemon *d, const struct ipsec_selector *sel, uint8_t dir,
		 struct undo *u)
{
	struct spd_entry *e = sp_find(d, sel, dir);
	struct undo_op *op;

	if (!e)
		return -ENOENT;
	op = undo_push(u, UNDO_SP_RESTORE, e->pol.origin);
	if (u && !op)
		return -ENOMEM;
	if (op)
		op->pol = e->pol;
	return spd_delete(d->spd, sel, dir);
}

static int
sp_save_cb(struct spd_entry *e, void *arg)
{
	struct undo *u = arg;
	struct undo_op *op = undo_push(u, UNDO_SP_RESTORE, e->pol.origin);

	if (!op)
		return -ENOMEM;
	op->pol = e->pol;
	return 0;
}

int
daemon_sp_flush(struct daemon *d, struct undo *u)
{
	int err = u ? spd_walk(d->spd, sp_save_cb, u) : 0;

	if (err < 0)
		return err;
	spd_flush(d->spd);
	return 0;
}

static void
undo_one(struct daemon *d, struct undo_op *op)
{
	struct sad_entry *e;

	switch (op->kind) {
	case UNDO_SA_DELETE:
		sad_delete(d->sad, &op->sa.dst, op->sa.proto, op->sa.spi);
		break;
	case UNDO_SA_RESTORE:
		if (daemon_sa_add(d, &op->sa, NULL) == 0 &&
		    (e = sad_get(d->sad, &op->sa.dst, op->sa.proto, op->sa.spi))) {
			e->ctr = op->ctr;
			e->seq_out = op->seq_out;
		}
		break;
	case UNDO_SA_REVERT:
		daemon_sa_update(d, &op->sa, NULL);
		break;
	case UNDO_SP_DELETE:
		spd_delete(d->spd, &op->pol.sel, op->pol.dir);
		break;
	case UNDO_SP_RESTORE:
		daemon_sp_add(d, &op->pol, false, NULL);
		break;
	case UNDO_SP_REVERT:
		daemon_sp_add(d, &op->pol, true, NULL);
		break;
	}
}

void
undo_rollback(struct daemon *d, struct undo *u)
{
	for (size_t i = u->n; i-- > 0;)
		undo_one(d, &u->ops[i]);
	if (u->n)
		log_info("admin: rolled back %zu change(s) after a failure", u->n);
}

void
daemon_sa_info(const struct sad_entry *e, struct admin_sa_info *out)
{
	uint64_t now = ev_now_s();

	memset(out, 0, sizeof(*out));
	out->sa = e->sa;
	out->ctr = e->ctr;
	out->seq_out = e->seq_out;
	out->state = e->state;
	out->age = now - e->add_time;
	out->idle = e->use_time ? now - e->use_time : UINT64_MAX;
	out->id = e->id;
}

int
daemon_sp_delete_generated(struct daemon *d, const struct ipsec_selector *sel, uint8_t dir)
{
	struct spd_entry *e = sp_find(d, sel, dir);

	if (!e || e->pol.origin != IPSEC_ORIGIN_IKE)
		return -ENOENT;
	return spd_delete(d->spd, sel, dir);
}
