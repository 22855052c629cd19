/* racoon's phase 1 scripts (script "file" phase1_up/phase1_down/phase1_dead). */
#ifndef COATI_DAEMON_SCRIPT_H
#define COATI_DAEMON_SCRIPT_H

#include "ike/v1/engine.h"
#include "lib/ev.h"

#define SCRIPT_TIMEOUT_MS 30000 /* a script still running then is killed */
#define SCRIPT_RUNNING_MAX 64   /* scripts running at once; more are refused */

struct script_runner;

/* A runner whose children are watched (pidfd) on loop and killed after timeout_ms
 * (coatid: SCRIPT_TIMEOUT_MS). 0, -ENOMEM. */
int script_runner_new(struct ev_loop *loop, uint64_t timeout_ms, struct script_runner **out);
/* Children started and not reaped yet. */
size_t script_runner_running(const struct script_runner *r);
/* Stop watching: children still running are left to finish on their own. NULL is fine. */
void script_runner_free(struct script_runner *r);

/*
 * Start file (relative names are taken in dir, racoon's "path script"; dir may be NULL)
 * as racoon does: argv {file, event}, and an environment of LOCAL_ADDR, LOCAL_PORT,
 * REMOTE_ADDR, REMOTE_PORT, REMOTE_ID (when known) and a fixed PATH, nothing else.
 * Returns at once; the exit status is logged when the child is reaped, and a child
 * running past the runner's timeout is killed. 0 or -errno (logged).
 */
int script_run_phase1(struct script_runner *r, const char *dir, const char *file,
		      enum ikev1_phase1_event ev, const struct ikev1_phase1_info *info);

/* "phase1_up", "phase1_down" or "phase1_dead". */
const char *script_event_name(enum ikev1_phase1_event ev);

#endif
