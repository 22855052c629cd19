/* coatid: the coati IPsec daemon (also started as "racoon"). */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <libgen.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/file.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "admin/proto.h"
#include "admin/server.h"
#include "config/conf.h"
#include "daemon/daemon.h"
#include "daemon/ike.h"
#include "ipsec/store.h"
#include "lib/log.h"

#define DEFAULT_CONF "/etc/coati/racoon.conf"
#define RACOON_CONF "/etc/racoon/racoon.conf"

enum {
	OPT_STATE_DIR = 256,
	OPT_PIDFILE,
	OPT_TUN,
	OPT_MTU,
	OPT_SOCKET,
	OPT_TABLE,
	OPT_MARK,
	OPT_HELP,
};

static const struct option long_opts[] = {
	{"state-dir", required_argument, NULL, OPT_STATE_DIR},
	{"pidfile", required_argument, NULL, OPT_PIDFILE},
	{"tun", required_argument, NULL, OPT_TUN},
	{"mtu", required_argument, NULL, OPT_MTU},
	{"socket", required_argument, NULL, OPT_SOCKET},
	{"table", required_argument, NULL, OPT_TABLE},
	{"mark", required_argument, NULL, OPT_MARK},
	{"help", no_argument, NULL, OPT_HELP},
	{NULL, 0, NULL, 0},
};

static void
usage(const char *prog, int status)
{
	fprintf(status ? stderr : stdout,
		"usage: %s [-46BdFLvV] [-f configfile] [-l logfile] [-p isakmp-port]\n"
		"       [-P isakmp-natt-port] [--state-dir DIR] [--pidfile FILE] [--tun NAME]\n"
		"       [--mtu N] [--socket PATH] [--table N] [--mark N]\n",
		prog);
	exit(status);
}

static unsigned long
num_arg(const char *prog, const char *opt, const char *s, unsigned long max)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || *end || !*s || v > max) {
		fprintf(stderr, "%s: %s: invalid number '%s'\n", prog, opt, s);
		exit(1);
	}
	return v;
}

static void
parse_args(int argc, char **argv, struct daemon_opts *o)
{
	const char *prog = basename(argv[0]);
	int c;

	o->conf_path = strcmp(prog, "racoon") == 0 ? RACOON_CONF : DEFAULT_CONF;
	o->pidfile = COATI_RUNDIR "/coatid.pid";
	o->state_dir = COATI_STATEDIR;
	o->tun_name = "ipsec0";
	o->mtu = 1400;
	o->mark = 0xc0a7;
	o->table = 221;
	o->isakmp_port = 500;
	o->natt_port = 4500;
	while ((c = getopt_long(argc, argv, "46BdFf:l:Lp:P:vV", long_opts, NULL)) != -1) {
		switch (c) {
		case '4': o->family = AF_INET; break;
		case '6': o->family = AF_INET6; break;
		case 'B':
			fprintf(stderr, "%s: -B: manual SAs are restored from the state store "
					"at every start\n", prog);
			break;
		case 'd': o->debug++; break;
		case 'v': o->debug = o->debug < 1 ? 1 : o->debug; break;
		case 'F': o->foreground = true; break;
		case 'f': o->conf_path = optarg; break;
		case 'l': o->log_path = optarg; break;
		case 'L': break; /* racoon: file:line in debug output; ours always has context */
		case 'p': o->isakmp_port = (uint16_t)num_arg(prog, "-p", optarg, 65535); break;
		case 'P': o->natt_port = (uint16_t)num_arg(prog, "-P", optarg, 65535); break;
		case 'V': printf("coatid %s\n", COATI_VERSION); exit(0);
		case OPT_STATE_DIR: o->state_dir = optarg; break;
		case OPT_PIDFILE: o->pidfile = optarg; break;
		case OPT_TUN: o->tun_name = optarg; break;
		case OPT_MTU: o->mtu = (int)num_arg(prog, "--mtu", optarg, 65535); break;
		case OPT_SOCKET: o->sock_path = optarg; break;
		case OPT_TABLE: o->table = (uint32_t)num_arg(prog, "--table", optarg, 0xfffffffe); break;
		case OPT_MARK: o->mark = (uint32_t)num_arg(prog, "--mark", optarg, 0xffffffff); break;
		case OPT_HELP: usage(prog, 0); break;
		default: usage(prog, 1);
		}
	}
	if (optind != argc)
		usage(prog, 1);
	if (o->mtu < 576) {
		fprintf(stderr, "%s: --mtu must be at least 576\n", prog);
		exit(1);
	}
}

/* A pidfile we hold a lock on: a second daemon with the same file refuses to start. */
static int
pidfile_take(const char *path)
{
	char buf[32];
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);

	if (fd < 0) {
		log_err("pidfile %s: %s", path, strerror(errno));
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		ssize_t n = read(fd, buf, sizeof(buf) - 1);

		buf[n > 0 ? n : 0] = '\0';
		buf[strcspn(buf, "\n")] = '\0';
		log_err("another coatid holds %s (pid %s)", path, buf);
		close(fd);
		return -1;
	}
	return fd;
}

static void
pidfile_write(int fd)
{
	char buf[32];
	int n = snprintf(buf, sizeof(buf), "%d\n", (int)getpid());

	if (ftruncate(fd, 0) < 0 || pwrite(fd, buf, (size_t)n, 0) != n)
		log_warn("cannot write the pidfile: %s", strerror(errno));
}

static int
mkdir_parent(const char *path, mode_t mode)
{
	char dir[256];

	snprintf(dir, sizeof(dir), "%s", path);
	dirname(dir);
	if (mkdir(dir, mode) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

static int
admin_dispatch(uint8_t type, struct rd *req, struct wr *w, void *arg)
{
	return daemon_handle(arg, type, req, w);
}

static int
admin_open(struct daemon *d)
{
	const struct cfg *cfg = d->cfg;
	const char *path = d->opts.sock_path ? d->opts.sock_path
			   : cfg->adminsock.path ? cfg->adminsock.path : ADMIN_DEFAULT_SOCKET;
	uid_t uid = 0;
	gid_t gid = 0;
	mode_t mode = cfg->adminsock.mode >= 0 ? (mode_t)cfg->adminsock.mode : 0600;

	if (cfg->adminsock.disabled && !d->opts.sock_path) {
		log_notice("admin socket disabled by the configuration");
		return 0;
	}
	if (cfg->adminsock.owner) {
		struct passwd *pw = getpwnam(cfg->adminsock.owner);

		if (!pw) {
			log_err("adminsock owner '%s': no such user", cfg->adminsock.owner);
			return -EINVAL;
		}
		uid = pw->pw_uid;
	}
	if (cfg->adminsock.group) {
		struct group *gr = getgrnam(cfg->adminsock.group);

		if (!gr) {
			log_err("adminsock group '%s': no such group", cfg->adminsock.group);
			return -EINVAL;
		}
		gid = gr->gr_gid;
	}
	mkdir_parent(path, 0755);
	return admin_server_open(d->loop, path, uid, gid, mode, admin_dispatch,
				 d, &d->admin);
}

struct restore_ctx {
	struct daemon *d;
	struct sad_entry *failed[64];
	unsigned nfailed;
	size_t n;
};

static int
restore_sa(struct sad_entry *e, void *arg)
{
	struct restore_ctx *c = arg;

	if (c->d->backend->ops->sa_add(c->d->backend, e) < 0 && c->nfailed < 64)
		c->failed[c->nfailed++] = e;
	c->n++;
	return 0;
}

static int
restore_sp(struct spd_entry *e, void *arg)
{
	struct restore_ctx *c = arg;

	c->d->backend->ops->policy_add(c->d->backend, e);
	c->n++;
	return 0;
}

/* Manual SAs and policies outlive coatid, as they outlive racoon on a kernel SAD. */
static int
state_restore(struct daemon *d)
{
	struct restore_ctx c = {.d = d};
	int err;

	if ((err = store_open(d->opts.state_dir, &d->store)) < 0) {
		log_err("state store %s: %s", d->opts.state_dir, strerror(-err));
		return err;
	}
	d->restoring = true;
	err = store_load(d->store, d->sad, d->spd, ev_now_s());
	if (err < 0) {
		log_err("state store %s: cannot load: %s", d->opts.state_dir, strerror(-err));
		d->restoring = false;
		return err;
	}
	sad_walk(d->sad, restore_sa, &c);
	for (unsigned i = 0; i < c.nfailed; i++)
		sad_delete(d->sad, &c.failed[i]->sa.dst, c.failed[i]->sa.proto,
			   c.failed[i]->sa.spi);
	log_notice("restored %zu SA(s) from %s", c.n - c.nfailed, d->opts.state_dir);
	c.n = 0;
	spd_walk(d->spd, restore_sp, &c);
	log_notice("restored %zu policy(ies) from %s", c.n, d->opts.state_dir);
	d->backend->ops->policies_sync(d->backend);
	d->restoring = false;
	/* the restored sequence numbers must be reserved anew before any packet leaves */
	daemon_store_sync(d);
	return 0;
}

static void
on_signal(int fd, uint32_t events, void *arg)
{
	struct daemon *d = arg;
	struct signalfd_siginfo si;

	while (read(fd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGHUP) {
			log_notice("SIGHUP: reloading %s", d->opts.conf_path);
			daemon_reload(d);
		} else {
			log_notice("signal %u: shutting down", si.ssi_signo);
			ev_loop_stop(d->loop);
		}
	}
}

static int
signals_setup(struct daemon *d)
{
	sigset_t set;
	int fd;

	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigprocmask(SIG_BLOCK, &set, NULL);
	fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	return ev_fd_add(d->loop, fd, EPOLLIN, on_signal, d);
}

static int
daemon_setup(struct daemon *d)
{
	struct sad_hooks sh = {daemon_hook_sa_soft, daemon_hook_sa_hard, daemon_hook_sa_removed, d};
	struct spd_hooks ph = {NULL, daemon_hook_sp_removed, d};
	struct backend_config bc = {d->opts.tun_name, d->opts.mtu,       d->opts.mark,
				    d->opts.table,    d->opts.table,     d->opts.isakmp_port,
				    d->opts.natt_port};
	struct backend_events be = {daemon_hook_acquire, daemon_hook_seq_reserve, daemon_ike_natt_input,
				    d};
	int err;

	if (!(d->loop = ev_loop_new()) || !(d->sad = sad_new(&sh)) || !(d->spd = spd_new(&ph)))
		return -ENOMEM;
	if ((err = signals_setup(d)) < 0)
		return err;
	if ((err = backend_userspace_new(&bc, d->sad, d->spd, d->loop, &be, &d->backend)) < 0)
		return err;
	if ((err = state_restore(d)) < 0)
		return err;
	if ((err = daemon_ike_start(d)) < 0)
		return err;
	if ((err = admin_open(d)) < 0)
		return err;
	ev_timer_init(&d->tick, daemon_tick, d);
	ev_timer_arm(d->loop, &d->tick, 1000);
	return 0;
}

static void
daemon_teardown(struct daemon *d)
{
	admin_server_close(d->admin);
	daemon_ike_stop(d);
	if (d->psync.cb)
		ev_timer_disarm(d->loop, &d->psync);
	/* policies first: their routes go before the TUN device does */
	if (d->spd)
		spd_free(d->spd);
	if (d->sad)
		sad_free(d->sad);
	if (d->backend)
		d->backend->ops->free(d->backend);
	store_close(d->store);
	cfg_free(d->cfg);
	ev_loop_free(d->loop);
}

int
main(int argc, char **argv)
{
	static struct daemon d;
	int pidfd, err;

	parse_args(argc, argv, &d.opts);
	log_init("coatid", true, d.opts.debug ? (enum log_level)(LOG_LVL_INFO + d.opts.debug - 1)
					      : LOG_LVL_NOTICE);
	if (d.opts.debug > 2)
		log_set_level(LOG_LVL_DEBUG2);
	if (d.opts.log_path && (err = log_open_file(d.opts.log_path)) < 0)
		fatal("log file %s: %s", d.opts.log_path, strerror(-err));
	if (cfg_load(d.opts.conf_path, &d.cfg) < 0)
		fatal("%s: configuration not loaded", d.opts.conf_path);
	if (d.cfg->log_level >= 0 && d.opts.debug == 0)
		log_set_level((enum log_level)d.cfg->log_level);
	cfg_warn_unsupported(d.cfg);
	mkdir_parent(d.opts.pidfile, 0755);
	if ((pidfd = pidfile_take(d.opts.pidfile)) < 0)
		exit(1);
	d.start_time = (uint64_t)time(NULL);
	if ((err = daemon_setup(&d)) < 0) {
		daemon_teardown(&d);
		unlink(d.opts.pidfile);
		fatal("start-up failed: %s", strerror(-err));
	}
	if (!d.opts.foreground) {
		if (daemon(0, 0) < 0)
			fatal("daemon: %s", strerror(errno));
		log_init("coatid", false, log_get_level());
	}
	pidfile_write(pidfd);
	log_notice("coatid %s started: %s, tun %s, state %s", COATI_VERSION, d.opts.conf_path,
		   d.opts.tun_name, d.opts.state_dir);
	err = ev_loop_run(d.loop);
	daemon_teardown(&d);
	unlink(d.opts.pidfile);
	close(pidfd);
	log_notice("coatid stopped");
	return err < 0 ? 1 : 0;
}
