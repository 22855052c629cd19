/*
 * racoon's phase 1 scripts. racoon forks and execs and never waits; here each child is
 * started with posix_spawn (the event loop is held only until the exec), watched through
 * a pidfd on the event loop, reaped when it exits (status logged), and killed when it
 * runs past the runner's timeout (SCRIPT_TIMEOUT_MS in coatid). The environment is built
 * from scratch: addresses, ports and the peer's ID, never a key or anything of the
 * daemon's own environment.
 */
#include "daemon/script.h"
#include "daemon/script_ra.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/epoll.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/log.h"

#define SCRIPT_ENV_MAX (8 + SCRIPT_RA_VARS)
#define SCRIPT_PATH "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

struct script_child {
	struct script_runner *r;
	struct script_child *next;
	pid_t pid;
	int pidfd;
	struct ev_timer kill;
	enum ikev1_phase1_event ev;
	char path[PATH_MAX];
};

struct script_runner {
	struct ev_loop *loop;
	uint64_t timeout_ms;
	struct script_child *children;
	size_t running;
};

const char *
script_event_name(enum ikev1_phase1_event ev)
{
	switch (ev) {
	case IKEV1_PHASE1_UP: return "phase1_up";
	case IKEV1_PHASE1_DOWN: return "phase1_down";
	case IKEV1_PHASE1_DEAD: return "phase1_dead";
	}
	return "phase1_unknown";
}

int
script_runner_new(struct ev_loop *loop, uint64_t timeout_ms, struct script_runner **out)
{
	struct script_runner *r = calloc(1, sizeof(*r));

	if (!r)
		return -ENOMEM;
	r->loop = loop;
	r->timeout_ms = timeout_ms;
	*out = r;
	return 0;
}

size_t
script_runner_running(const struct script_runner *r)
{
	return r->running;
}

static void
child_forget(struct script_child *c)
{
	struct script_runner *r = c->r;
	struct script_child **pp;

	for (pp = &r->children; *pp && *pp != c; pp = &(*pp)->next)
		;
	if (*pp)
		*pp = c->next;
	r->running--;
	ev_timer_disarm(r->loop, &c->kill);
	ev_fd_del(r->loop, c->pidfd);
	close(c->pidfd);
	free(c);
}

void
script_runner_free(struct script_runner *r)
{
	if (!r)
		return;
	while (r->children)
		child_forget(r->children);
	free(r);
}

/* The pidfd is readable: the child has exited. */
static void
child_exited(int fd, uint32_t events, void *arg)
{
	struct script_child *c = arg;
	int st = 0;
	pid_t got = waitpid(c->pid, &st, WNOHANG);

	if (got == 0)
		return;
	if (got < 0)
		log_warn("script %s (%s): %s", c->path, script_event_name(c->ev), strerror(errno));
	else if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		log_info("script %s (%s): exit status 0", c->path, script_event_name(c->ev));
	else if (WIFEXITED(st))
		log_warn("script %s (%s): exit status %d", c->path, script_event_name(c->ev),
			 WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		log_warn("script %s (%s): killed by signal %d", c->path, script_event_name(c->ev),
			 WTERMSIG(st));
	child_forget(c);
}

/*
 * Past its time: kill it and whatever it started (it leads its own session and process
 * group; not reaped yet, its PID cannot have been reused). The pidfd then reports the
 * exit and child_exited reaps it.
 */
static void
child_timeout(struct ev_timer *t, void *arg)
{
	struct script_child *c = arg;

	log_warn("script %s (%s): still running after %llu ms, killing it", c->path,
		 script_event_name(c->ev), (unsigned long long)c->r->timeout_ms);
	if (kill(-c->pid, SIGKILL) < 0 && pidfd_send_signal(c->pidfd, SIGKILL, NULL, 0) < 0)
		log_warn("script %s: kill: %s", c->path, strerror(errno));
}

/* "NAME=value" into buf; false if it does not fit. */
static bool
env_put(char *buf, size_t cap, const char *name, const char *value)
{
	int n = snprintf(buf, cap, "%s=%s", name, value);

	return n > 0 && (size_t)n < cap;
}

/* racoon's script_hook: LOCAL_ADDR, LOCAL_PORT, REMOTE_ADDR, REMOTE_PORT, REMOTE_ID, and
 * for a mode config client its INTERNAL_* and SPLIT_* variables (script_ra.c). */
static int
env_build(const struct ikev1_phase1_info *info, char bufs[][IKEV1_CFG_ID_MAX + 16],
	  char rabuf[SCRIPT_RA_BUF], char *envp[SCRIPT_ENV_MAX])
{
	char a[ADDR_STRLEN], lport[8], rport[8];
	size_t n = 0;

	snprintf(lport, sizeof(lport), "%u", info->peer.lport);
	snprintf(rport, sizeof(rport), "%u", info->peer.rport);
	if (!env_put(bufs[0], sizeof(bufs[0]), "LOCAL_ADDR",
		     addr_ntop(&info->peer.local, a, sizeof(a))) ||
	    !env_put(bufs[1], sizeof(bufs[1]), "LOCAL_PORT", lport) ||
	    !env_put(bufs[2], sizeof(bufs[2]), "REMOTE_ADDR",
		     addr_ntop(&info->peer.remote, a, sizeof(a))) ||
	    !env_put(bufs[3], sizeof(bufs[3]), "REMOTE_PORT", rport))
		return -EOVERFLOW;
	for (n = 0; n < 4; n++)
		envp[n] = bufs[n];
	if (info->remote_id && env_put(bufs[4], sizeof(bufs[4]), "REMOTE_ID", info->remote_id))
		envp[n++] = bufs[4];
	/* a remote access client's mode config (racoon's INTERNAL_ADDR4 ...) */
	if (info->modecfg)
		script_env_modecfg(info->modecfg, rabuf, SCRIPT_RA_BUF, envp, &n,
				   SCRIPT_ENV_MAX - 2);
	envp[n++] = (char *)SCRIPT_PATH;
	envp[n] = NULL;
	return 0;
}

/* posix_spawn with a clean signal state, stdin from /dev/null and no other fd of ours. */
static int
spawn(const char *path, char *const argv[], char *const envp[], pid_t *pid)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	sigset_t none, def;
	int err;

	sigemptyset(&none);
	sigemptyset(&def);
	sigaddset(&def, SIGPIPE); /* coatid ignores it; an ignored signal survives exec */
	if ((err = posix_spawn_file_actions_init(&fa)) != 0)
		return -err;
	if ((err = posix_spawnattr_init(&at)) != 0) {
		posix_spawn_file_actions_destroy(&fa);
		return -err;
	}
	err = posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	if (!err)
		err = posix_spawn_file_actions_addclosefrom_np(&fa, 3);
	if (!err)
		err = posix_spawnattr_setsigmask(&at, &none);
	if (!err)
		err = posix_spawnattr_setsigdefault(&at, &def);
	if (!err)
		err = posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF |
							 POSIX_SPAWN_SETSID);
	if (!err)
		err = posix_spawn(pid, path, &fa, &at, argv, envp);
	posix_spawnattr_destroy(&at);
	posix_spawn_file_actions_destroy(&fa);
	return -err;
}

/* Watch a started child: pidfd on the loop, the kill timer armed. */
static int
child_watch(struct script_runner *r, pid_t pid, const char *path, enum ikev1_phase1_event ev)
{
	struct script_child *c = calloc(1, sizeof(*c));
	int err;

	if (!c)
		return -ENOMEM;
	c->r = r;
	c->pid = pid;
	c->ev = ev;
	snprintf(c->path, sizeof(c->path), "%s", path);
	if ((c->pidfd = pidfd_open(pid, 0)) < 0) {
		err = -errno;
		free(c);
		return err;
	}
	if ((err = ev_fd_add(r->loop, c->pidfd, EPOLLIN, child_exited, c)) < 0) {
		close(c->pidfd);
		free(c);
		return err;
	}
	ev_timer_init(&c->kill, child_timeout, c);
	ev_timer_arm(r->loop, &c->kill, r->timeout_ms);
	c->next = r->children;
	r->children = c;
	r->running++;
	return 0;
}

int
script_run_phase1(struct script_runner *r, const char *dir, const char *file,
		  enum ikev1_phase1_event ev, const struct ikev1_phase1_info *info)
{
	char path[PATH_MAX], bufs[5][IKEV1_CFG_ID_MAX + 16], *envp[SCRIPT_ENV_MAX];
	char rabuf[SCRIPT_RA_BUF];
	char *argv[] = {path, (char *)script_event_name(ev), NULL};
	pid_t pid;
	int n, err;

	if (file[0] == '/' || !dir)
		n = snprintf(path, sizeof(path), "%s", file);
	else
		n = snprintf(path, sizeof(path), "%s/%s", dir, file);
	if (n < 0 || (size_t)n >= sizeof(path))
		err = -ENAMETOOLONG;
	else if (r->running >= SCRIPT_RUNNING_MAX)
		err = -EAGAIN;
	else if ((err = env_build(info, bufs, rabuf, envp)) == 0 &&
		 (err = spawn(path, argv, envp, &pid)) == 0 &&
		 (err = child_watch(r, pid, path, ev)) < 0) {
		/* started but cannot be watched: do not leave it unbounded */
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
	if (err < 0)
		log_warn("script %s (%s) not run: %s", file, script_event_name(ev),
			 strerror(-err));
	else
		log_info("script %s (%s) started, pid %d", path, script_event_name(ev), (int)pid);
	return err;
}
