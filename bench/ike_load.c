/*
 * ike_load: an IKEv1 load generator built on coati's own engine. It plays N road
 * warriors, each from its own source address (BASE, BASE+1, ...: the addresses must be
 * on the host), and negotiates Main Mode PSK + Quick Mode (tunnel, our address/32 to
 * NET, PFS) with one responder, at most C negotiations at a time. It reports how long
 * the N took and how many failed, then holds the SAs for HOLD seconds (so that the
 * responder's memory can be read) and leaves without deleting them.
 *
 *   ike_load -n N -b BASE -r RESPONDER -t NET [-c C] [-g GROUP] [-k PSK] [-i ID]
 *            [-H HOLD] [-T TIMEOUT]
 *
 * Output, one line each: "established N/N in MS ms (R per s)", "failed F", "ready".
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "crypto/xform.h"
#include "ike/v1/engine.h"
#include "ike/v1/ikev1.h"
#include "lib/ev.h"
#include "lib/pktinfo.h"

#define LOAD_MAX 65536

/* One road warrior: its own engine (the engine keys phase 1 by peer address) and timer. */
struct warrior {
	struct load *load;
	struct ikev1_engine *e;
	struct ikev1_ike_sa *sa;
	struct ev_timer t;
	struct addr local;
	bool started, done, failed;
};

struct load {
	struct ev_loop *loop;
	int fd, fd_natt; /* UDP 500, and 4500 with the non-ESP marker (RFC 3948 2.2) */
	struct addr remote;
	struct prefix net;
	struct ikev1_remote cfg;
	struct warrior *w;
	size_t n, next, inflight, conc, ok, failed;
	uint64_t t0, t1, deadline;
	struct ev_timer stop;
	uint32_t hold_s;
};

static int
env_send(void *arg, const struct ikev1_peer *p, const uint8_t *msg, size_t len)
{
	struct warrior *w = arg;
	static const uint8_t marker[4];
	bool natt = p->lport == 4500;
	struct iovec iov[2] = {{(void *)marker, sizeof(marker)}, {(void *)msg, len}};

	return pktinfo_sendmsg(natt ? w->load->fd_natt : w->load->fd, &p->local, &p->remote,
			       p->rport, natt ? iov : iov + 1, natt ? 2 : 1);
}

static uint64_t
env_now_ms(void *arg)
{
	return ev_now_ms();
}

static void
timer_fired(struct ev_timer *t, void *arg)
{
	struct warrior *w = arg;

	if (w->sa)
		ikev1_timer(w->e, w->sa);
}

static void
env_timer(void *arg, struct ikev1_ike_sa *sa, uint64_t ms)
{
	struct warrior *w = arg;

	w->sa = sa;
	if (ms == 0)
		ev_timer_disarm(w->load->loop, &w->t);
	else
		ev_timer_arm(w->load->loop, &w->t, ms);
}

static int
env_random(void *arg, void *buf, size_t n)
{
	return crypto_random(buf, n);
}

static void start_more(struct load *l);

static void
finish_one(struct warrior *w, bool ok)
{
	struct load *l = w->load;

	if (w->done)
		return;
	w->done = true;
	w->failed = !ok;
	l->inflight--;
	if (ok)
		l->ok++;
	else
		l->failed++;
	if (l->ok + l->failed == l->n) {
		l->t1 = ev_now_ms();
		ev_loop_stop(l->loop);
		return;
	}
	start_more(l);
}

static int
env_install(void *arg, const struct ikev1_child *c)
{
	finish_one(arg, true);
	return 0;
}

static void
env_remove(void *arg, const struct ikev1_child *c)
{
}

/* A negotiation that gives up (retransmissions exhausted, refused) ends in an event. */
static void
env_event(void *arg, const char *text)
{
	struct warrior *w = arg;

	if (strstr(text, "timed out") || strstr(text, "no proposal") || strstr(text, "mismatch") ||
	    strstr(text, "does not match") || strstr(text, "deleted"))
		finish_one(w, false);
}

static const struct ikev1_remote *
env_remote(void *arg, const struct ikev1_peer *p)
{
	return NULL; /* we only initiate */
}

static void
start_more(struct load *l)
{
	while (l->inflight < l->conc && l->next < l->n) {
		struct warrior *w = &l->w[l->next++];
		struct ikev1_peer p = {w->local, l->remote, 500, 500};
		struct ikev1_child_req req = {.proto = IPSEC_PROTO_ESP, .mode = IPSEC_MODE_TUNNEL};

		req.sel.src = (struct prefix){w->local, addr_bits(&w->local)};
		req.sel.dst = l->net;
		req.sel.proto = IPSEC_ULP_ANY;
		w->started = true;
		l->inflight++;
		if (ikev1_initiate(w->e, &p, &l->cfg, &req) < 0)
			finish_one(w, false);
	}
}

static void
on_sock(int fd, uint32_t events, void *arg)
{
	struct load *l = arg;
	bool natt = fd == l->fd_natt;
	static uint8_t buf[65536];

	for (int i = 0; i < 256; i++) {
		struct sockaddr_storage from;
		char cbuf[PKTINFO_SPACE];
		struct iovec iov = {buf, sizeof(buf)};
		struct msghdr m = {&from, sizeof(from), &iov, 1, cbuf, sizeof(cbuf), 0};
		struct ikev1_peer p;
		ssize_t n = recvmsg(fd, &m, MSG_DONTWAIT);
		size_t skip = natt ? 4 : 0;
		uint32_t idx;

		if (n < 0)
			return;
		memset(&p, 0, sizeof(p));
		if (addr_from_sockaddr((struct sockaddr *)&from, &p.remote, &p.rport) < 0 ||
		    !pktinfo_get(&m, &p.local) || p.local.family != AF_INET)
			continue;
		/* on 4500 only IKE behind the marker: no keepalives, no ESP (none is sent) */
		if (natt && (n < 8 || buf[0] || buf[1] || buf[2] || buf[3]))
			continue;
		p.lport = natt ? 4500 : 500;
		idx = ntohl(p.local.v4.s_addr) - ntohl(l->w[0].local.v4.s_addr);
		if (idx < l->n)
			ikev1_input(l->w[idx].e, &p, buf + skip, (size_t)n - skip);
	}
}

static void
on_stop(struct ev_timer *t, void *arg)
{
	ev_loop_stop(arg);
}

static int
open_socket(struct load *l, uint16_t port, int *out)
{
	struct sockaddr_storage ss;
	struct addr any = {.family = AF_INET};
	int one = 1, bufsz = 8 << 20, fd;

	if ((fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)) < 0)
		return -errno;
	*out = fd;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bufsz, sizeof(bufsz));
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &bufsz, sizeof(bufsz));
	if (pktinfo_enable(fd, AF_INET) < 0 ||
	    bind(fd, (struct sockaddr *)&ss, addr_to_sockaddr(&any, port, &ss)) < 0)
		return -errno;
	return ev_fd_add(l->loop, fd, EPOLLIN, on_sock, l);
}

/* Main Mode PSK aes128-sha256 with group; Quick Mode aes128-cbc + hmac-sha256, PFS group. */
static void
config(struct ikev1_remote *c, const char *psk, const char *id, uint16_t group)
{
	memset(c, 0, sizeof(*c));
	c->modes[0] = IKEV1_EXCH_MAIN;
	c->n_modes = 1;
	c->props[0] = (struct ikev1_p1_prop){IKEV1_ENC_AES_CBC, 128, IKEV1_HASH_SHA2_256,
					     IKEV1_AUTH_PSK, group, 28800};
	c->n_props = 1;
	c->my_id.type = IKEV1_ID_FQDN;
	c->my_id.len = (uint8_t)strnlen(id, sizeof(c->my_id.data));
	memcpy(c->my_id.data, id, c->my_id.len);
	c->psk_len = strnlen(psk, sizeof(c->psk));
	memcpy(c->psk, psk, c->psk_len);
	c->natt = IKEV1_NATT_ON;
	c->sainfo.pfs_group = group;
	c->sainfo.lifetime_sec = 3600;
	c->sainfo.enc[0] = (struct ikev1_p2_enc){IPSEC_ENC_AES_CBC, 128};
	c->sainfo.n_enc = 1;
	c->sainfo.auth[0] = IPSEC_AUTH_HMAC_SHA256_128;
	c->sainfo.n_auth = 1;
	c->retry_counter = 5;
	c->retry_interval_ms = 2000;
}

static void
usage(void)
{
	fprintf(stderr, "usage: ike_load -n N -b BASE -r RESPONDER -t NET [-c C] [-g GROUP] "
			"[-k PSK] [-i ID] [-H HOLD] [-T TIMEOUT]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	struct load l = {.conc = 50, .hold_s = 0};
	const char *base = NULL, *psk = "coati-load-test-secret", *id = "load@coati.test";
	unsigned long group = 14, timeout_s = 120;
	struct ikev1_env env = {.send = env_send, .now_ms = env_now_ms, .timer = env_timer,
				.random = env_random, .install = env_install, .remove = env_remove,
				.event = env_event, .remote = env_remote};
	struct addr a0;
	int ch;

	memset(&l.remote, 0, sizeof(l.remote));
	while ((ch = getopt(argc, argv, "n:b:r:t:c:g:k:i:H:T:")) != -1) {
		switch (ch) {
		case 'n': l.n = strtoul(optarg, NULL, 10); break;
		case 'b': base = optarg; break;
		case 'r': if (addr_parse(optarg, &l.remote) < 0) usage(); break;
		case 't': if (prefix_parse(optarg, &l.net) < 0) usage(); break;
		case 'c': l.conc = strtoul(optarg, NULL, 10); break;
		case 'g': group = strtoul(optarg, NULL, 10); break;
		case 'k': psk = optarg; break;
		case 'i': id = optarg; break;
		case 'H': l.hold_s = (uint32_t)strtoul(optarg, NULL, 10); break;
		case 'T': timeout_s = strtoul(optarg, NULL, 10); break;
		default: usage();
		}
	}
	if (!l.n || l.n > LOAD_MAX || !base || addr_parse(base, &a0) < 0 ||
	    a0.family != AF_INET || l.remote.family != AF_INET || !l.net.addr.family || !l.conc)
		usage();
	signal(SIGPIPE, SIG_IGN);
	config(&l.cfg, psk, id, (uint16_t)group);
	if (!(l.loop = ev_loop_new()) || !(l.w = calloc(l.n, sizeof(*l.w))) ||
	    open_socket(&l, 500, &l.fd) < 0 || open_socket(&l, 4500, &l.fd_natt) < 0) {
		perror("ike_load: setup");
		return 1;
	}
	for (size_t i = 0; i < l.n; i++) {
		struct warrior *w = &l.w[i];

		w->load = &l;
		w->local = a0;
		w->local.v4.s_addr = htonl(ntohl(a0.v4.s_addr) + (uint32_t)i);
		ev_timer_init(&w->t, timer_fired, w);
		env.arg = w;
		if (ikev1_engine_new(&env, &w->e) < 0) {
			fprintf(stderr, "ike_load: out of memory\n");
			return 1;
		}
	}
	ev_timer_init(&l.stop, on_stop, l.loop);
	ev_timer_arm(l.loop, &l.stop, timeout_s * 1000);
	l.t0 = ev_now_ms();
	start_more(&l);
	ev_loop_run(l.loop);
	if (!l.t1)
		l.t1 = ev_now_ms();
	printf("established %zu/%zu in %llu ms (%.1f per s)\nfailed %zu\nready\n", l.ok, l.n,
	       (unsigned long long)(l.t1 - l.t0),
	       l.t1 > l.t0 ? l.ok * 1000.0 / (double)(l.t1 - l.t0) : 0.0, l.n - l.ok);
	fflush(stdout);
	if (l.hold_s) {
		ev_timer_arm(l.loop, &l.stop, (uint64_t)l.hold_s * 1000);
		ev_loop_run(l.loop); /* keep answering the responder (retransmissions, DPD) */
	}
	/* the SAs are left to the responder's lifetimes: no Delete, as a crowd that vanishes */
	for (size_t i = 0; i < l.n; i++)
		ikev1_engine_free(l.w[i].e);
	free(l.w);
	close(l.fd);
	close(l.fd_natt);
	ev_loop_free(l.loop);
	return l.ok == l.n ? 0 : 1;
}
