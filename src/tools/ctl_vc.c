/*
 * coatictl vc [-u USER] HOST (racoonctl's vpn-connect): read the Xauth password from the
 * terminal without echo (or a line of stdin when it is not a terminal), hand login and
 * host to coatid over the admin socket, then wait until the tunnel carries traffic (an
 * established ISAKMP SA with a mode config address and IPsec SAs: "Bound to address" and
 * the banner, exit 0) or the connection failed (exit 1). The password is never in argv,
 * never printed, and wiped once sent.
 */
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "admin/proto.h"
#include "ipsec/codec.h"
#include "lib/secmem.h"
#include "tools/ctl.h"

#define VC_WAIT_MS 45000
#define VC_POLL_MS 100
#define VC_PASS_MAX 128

/* One line into buf without its newline; no echo when stdin is a terminal. */
static int
vc_read_password(char *buf, size_t cap)
{
	struct termios old, quiet;
	bool tty = isatty(STDIN_FILENO);
	size_t n;

	if (tty) {
		fprintf(stderr, "Password: ");
		if (tcgetattr(STDIN_FILENO, &old) < 0)
			return -errno;
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
		if (tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) < 0)
			return -errno;
	}
	if (!fgets(buf, (int)cap, stdin))
		buf[0] = 0;
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fputc('\n', stderr);
	}
	n = strcspn(buf, "\r\n");
	buf[n] = 0;
	return 0;
}

/* HOST as an address, or its first IPv4/IPv6 address from the resolver (racoonctl
 * accepts names too). */
static int
vc_resolve(const char *host, struct addr *out)
{
	struct addrinfo hints = {.ai_socktype = SOCK_DGRAM}, *res;
	int err;

	if (addr_parse(host, out) == 0)
		return 0;
	if ((err = getaddrinfo(host, NULL, &hints, &res)) != 0) {
		fprintf(stderr, "%s: %s: %s\n", ctl_progname, host, gai_strerror(err));
		return -EINVAL;
	}
	err = addr_from_sockaddr(res->ai_addr, out, NULL);
	freeaddrinfo(res);
	return err;
}

struct vc_wait {
	const struct addr *host;
	bool seen, done;
	struct admin_ike_sa_info info;
};

static bool
vc_one(void *arg, const struct admin_ike_sa_info *i, uint32_t k)
{
	struct vc_wait *w = arg;

	(void)k;
	if (!addr_eq(&i->remote, w->host))
		return true;
	w->seen = true;
	if ((i->flags & ADMIN_IKE_F_ESTABLISHED) && i->vaddr4.family && i->nchildren > 0) {
		w->done = true;
		w->info = *i;
		return false;
	}
	return true;
}

static uint64_t
vc_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Until the tunnel is up, or the SA seen once is gone, or VC_WAIT_MS passed. */
static int
vc_wait(struct ctl *c, const struct addr *host, const char *name)
{
	const struct timespec pause = {0, VC_POLL_MS * 1000000L};
	uint64_t deadline = vc_now_ms() + VC_WAIT_MS;
	bool was_seen = false;
	char a[ADDR_STRLEN];
	int ret;

	while (vc_now_ms() < deadline) {
		static struct vc_wait zero;
		struct vc_wait w = zero;

		w.host = host;
		if ((ret = ctl_isakmp_walk(c, vc_one, &w)) < 0)
			return ret;
		if (w.done) {
			printf("Bound to address %s\n", addr_ntop(&w.info.vaddr4, a, sizeof(a)));
			if (w.info.banner[0])
				printf("%s%s", w.info.banner,
				       w.info.banner[strlen(w.info.banner) - 1] == '\n' ? "" : "\n");
			return 0;
		}
		if (was_seen && !w.seen) {
			fprintf(stderr, "%s: VPN connection to %s failed (login refused, or no "
			                "configuration; see coatictl show-event)\n",
			        ctl_progname, name);
			return -ECONNREFUSED;
		}
		was_seen |= w.seen;
		nanosleep(&pause, NULL);
	}
	fprintf(stderr, "%s: VPN connection to %s: no tunnel after %d s\n", ctl_progname, name,
	        VC_WAIT_MS / 1000);
	return -ETIMEDOUT;
}

int
ctl_vpn_connect(struct ctl *c, const struct ctl_cmd *cmd)
{
	char pass[VC_PASS_MAX + 2] = "";
	uint8_t buf[512];
	struct wr w = wr_init(buf, sizeof(buf));
	const char *user = "", *host;
	struct addr a;
	int ret;

	if (cmd->nargs == 3 && strcmp(cmd->args[0], "-u") == 0) {
		user = cmd->args[1];
		host = cmd->args[2];
	} else if (cmd->nargs == 1) {
		host = cmd->args[0];
	} else {
		fprintf(stderr, "%s: usage: vc [-u USER] HOST\n", ctl_progname);
		return -EINVAL;
	}
	if (vc_resolve(host, &a) < 0)
		return -EINVAL;
	if (strlen(user) > 64) {
		fprintf(stderr, "%s: user name too long\n", ctl_progname);
		return -EINVAL;
	}
	if (user[0] && (ret = vc_read_password(pass, sizeof(pass))) < 0) {
		fprintf(stderr, "%s: cannot read the password: %s\n", ctl_progname, strerror(-ret));
		return ret;
	}
	if (strlen(pass) > VC_PASS_MAX) {
		secmem_wipe(pass, sizeof(pass));
		fprintf(stderr, "%s: password too long\n", ctl_progname);
		return -EINVAL;
	}
	addr_encode(&w, &a);
	admin_string_encode(&w, user);
	admin_string_encode(&w, pass);
	secmem_wipe(pass, sizeof(pass));
	ret = wr_ok(&w) ? ctl_simple(c, cmd->name, ADMIN_IKE_VC, buf, w.len) : -EINVAL;
	secmem_wipe(buf, sizeof(buf));
	if (ret < 0)
		return ret;
	return vc_wait(c, &a, host);
}
