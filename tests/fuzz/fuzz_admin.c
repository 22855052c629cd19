/*
 * Admin requests straight into the daemon's handlers (decoders, batch
 * all-or-nothing, undo), with a backend that builds data-plane SA state but
 * opens no device. Input: one type byte, then the request body.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "admin/proto.h"
#include "daemon/daemon.h"
#include "dataplane/dpsa.h"
#include "lib/log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
fb_sa_add(struct backend *b, struct sad_entry *e)
{
	struct dp_sa *d;
	int err = dp_sa_new(&e->sa, &d);

	if (err == 0)
		e->backend = d;
	return err;
}

static void
fb_sa_del(struct backend *b, struct sad_entry *e)
{
	dp_sa_free(e->backend);
	e->backend = NULL;
}

static int
fb_policy_add(struct backend *b, struct spd_entry *sp)
{
	return 0;
}

static void
fb_policy_del(struct backend *b, struct spd_entry *sp)
{
}

static int
fb_policies_sync(struct backend *b)
{
	return 0;
}

static void
fb_stats(struct backend *b, void (*fn)(const char *name, uint64_t v, void *arg), void *arg)
{
	fn("fuzz", 1, arg);
}

static const struct backend_ops fb_ops = {
	"fuzz", fb_sa_add, fb_sa_del, fb_policy_add, fb_policy_del, fb_policies_sync, fb_stats,
	NULL, NULL, NULL, NULL,
};
static struct backend fb = {&fb_ops};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct daemon d;
	static uint8_t out[1 << 20];
	struct wr w = wr_init(out, sizeof(out));
	struct rd r;

	if (!d.sad) {
		struct sad_hooks sh = {NULL, NULL, daemon_hook_sa_removed, &d};
		struct spd_hooks ph = {NULL, daemon_hook_sp_removed, &d};

		log_init("fuzz", true, LOG_LVL_ERR);
		d.sad = sad_new(&sh);
		d.spd = spd_new(&ph);
		d.backend = &fb;
		d.opts.conf_path = d.opts.tun_name = d.opts.state_dir = "fuzz";
	}
	if (size < 1 || data[0] == ADMIN_RELOAD)
		return 0;
	r = rd_init(data + 1, size - 1);
	daemon_handle(&d, data[0], &r, &w);
	if (sad_count(d.sad) > 512)
		sad_flush(d.sad, 0);
	if (spd_count(d.spd) > 512)
		spd_flush(d.spd);
	return 0;
}
