/* coatid's shared state: the wiring between config, SAD/SPD, backend and admin socket. */
#ifndef COATI_DAEMON_DAEMON_H
#define COATI_DAEMON_DAEMON_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "ipsec/sad.h"
#include "ipsec/spd.h"
#include "kernel/backend.h"
#include "lib/buf.h"
#include "lib/ev.h"

struct cfg;
struct store;
struct admin_server;
struct daemon_ike;

#define DAEMON_EVENTS_MAX 256 /* show-event ring */

struct daemon_event {
	uint64_t when; /* unix time */
	char text[160];
};

struct daemon_opts {
	const char *conf_path;
	const char *log_path;
	const char *pidfile;
	const char *state_dir;
	const char *tun_name;
	const char *sock_path; /* overrides the config's adminsock */
	int mtu;
	uint32_t mark, table;
	uint16_t isakmp_port, natt_port;
	bool foreground;
	int debug;     /* -d count */
	int family;    /* 0, AF_INET (-4) or AF_INET6 (-6) */
};

struct daemon {
	struct daemon_opts opts;
	struct ev_loop *loop;
	struct cfg *cfg;
	struct sad *sad;
	struct spd *spd;
	struct backend *backend;
	struct store *store;
	struct admin_server *admin;
	struct daemon_ike *ike; /* NULL until started */
	struct ev_timer tick;
	struct ev_timer psync; /* daemon_policies_sync_soon */
	uint64_t start_time; /* unix */
	bool store_dirty;
	bool restoring;      /* loading the store: do not write it back */
	struct daemon_event events[DAEMON_EVENTS_MAX];
	unsigned nevents, events_head;
};

/* Record a line for show-event and log it. */
void daemon_event(struct daemon *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Persist manual SAs and policies now (after a change). Logs failures. */
void daemon_store_sync(struct daemon *d);
/*
 * The backend's copy of the inbound policies (nftables) follows the SPD within a few
 * milliseconds, in one transaction for all the changes of that time: for IKE, which
 * changes the SPD with every pair. The delay opens nothing: a generated policy only
 * drops cleartext that was let in before it existed.
 */
void daemon_policies_sync_soon(struct daemon *d);
/* Re-read the configuration; the running one stays on error. 0 or -errno. */
int daemon_reload(struct daemon *d);

/*
 * Handle one admin request body of type; write the reply payload (after the
 * status) into w. Returns the status for the reply (0 or -errno).
 */
int daemon_handle(struct daemon *d, uint8_t type, struct rd *req, struct wr *w);



/* Hooks and timers wired in main.c (daemon.c). */
void daemon_hook_sa_soft(struct sad_entry *e, void *arg);
void daemon_hook_sa_hard(struct sad_entry *e, void *arg);
void daemon_hook_sa_removed(struct sad_entry *e, void *arg);
void daemon_hook_sp_removed(struct spd_entry *e, void *arg);
void daemon_hook_acquire(const struct spd_entry *sp, const struct ipsec_request *req,
			 const struct addr *src, const struct addr *dst, void *arg);
bool daemon_hook_seq_reserve(struct sad_entry *e, void *arg);
void daemon_tick(struct ev_timer *t, void *arg);
#endif
