/* Admin socket server. */
#include "admin/server.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "admin/proto.h"
#include "lib/log.h"

#define ADMIN_CLIENTS_MAX 32
#define ADMIN_REPLY_START (64u << 10)

struct admin_conn {
	int fd;
	uint8_t *buf;   /* header + body being received */
	size_t have, want;
	uint8_t *out;   /* a reply the socket did not take at once (a dump of thousands) */
	size_t out_len, out_off;
	struct admin_server *srv;
};

struct admin_server {
	struct ev_loop *loop;
	int fd;
	char path[108];
	admin_handler handler;
	void *arg;
	struct admin_conn conn[ADMIN_CLIENTS_MAX];
};

static void
conn_close(struct admin_conn *c)
{
	if (c->fd < 0)
		return;
	ev_fd_del(c->srv->loop, c->fd);
	close(c->fd);
	free(c->buf);
	free(c->out);
	c->fd = -1;
	c->buf = NULL;
	c->out = NULL;
}

static void conn_on_read(int fd, uint32_t events, void *arg);
static void conn_on_write(int fd, uint32_t events, void *arg);

/* Watch for what the connection waits for: room for its reply, else a request. */
static int
conn_watch(struct admin_conn *c, bool writing)
{
	ev_fd_del(c->srv->loop, c->fd);
	return ev_fd_add(c->srv->loop, c->fd, writing ? EPOLLOUT : EPOLLIN,
			 writing ? conn_on_write : conn_on_read, c);
}

/*
 * Send what is left of the reply; the rest waits for EPOLLOUT, and no request is read
 * meanwhile. 0 (all sent, or waiting) or -errno.
 */
static int
conn_flush(struct admin_conn *c)
{
	while (c->out_off < c->out_len) {
		ssize_t put = send(c->fd, c->out + c->out_off, c->out_len - c->out_off,
				   MSG_NOSIGNAL);

		if (put < 0 && errno == EINTR)
			continue;
		if (put < 0 && errno == EAGAIN)
			return conn_watch(c, true);
		if (put < 0)
			return -errno;
		c->out_off += (size_t)put;
	}
	free(c->out);
	c->out = NULL;
	return 0;
}

static void
conn_on_write(int fd, uint32_t events, void *arg)
{
	struct admin_conn *c = arg;

	if (conn_flush(c) < 0 || (!c->out && conn_watch(c, false) < 0))
		conn_close(c);
}

/*
 * Run the handler into a reply buffer that grows for large dumps. Only
 * read-only requests produce replies beyond the first size, so a rerun
 * never repeats a change.
 */
static int
conn_dispatch(struct admin_conn *c, const struct admin_hdr *h)
{
	struct admin_server *s = c->srv;
	size_t cap = ADMIN_REPLY_START;
	struct admin_hdr rh = {ADMIN_VERSION, (uint8_t)(h->type | ADMIN_REPLY), 0, 0, h->seq};
	uint8_t *out = NULL;
	int status;
	struct wr w;

	for (;;) {
		struct rd req = rd_init(c->buf + ADMIN_HDR_LEN, h->len);
		uint8_t *grown = realloc(out, cap);

		if (!grown) {
			free(out);
			return -ENOMEM;
		}
		out = grown;
		w = wr_init(out, cap);
		wr_reserve(&w, ADMIN_HDR_LEN + 4);
		status = s->handler(h->type, &req, &w, s->arg);
		if (wr_ok(&w) || cap >= ADMIN_REPLY_MAX)
			break;
		cap *= 16;
	}
	if (!wr_ok(&w)) {
		w = wr_init(out, cap);
		wr_reserve(&w, ADMIN_HDR_LEN + 4);
		status = -EMSGSIZE;
	}
	rh.len = (uint32_t)(w.len - ADMIN_HDR_LEN);
	admin_hdr_encode(out, &rh);
	be32_put(out + ADMIN_HDR_LEN, (uint32_t)status);
	c->out = out;
	c->out_len = w.len;
	c->out_off = 0;
	return conn_flush(c);
}

static void
conn_on_read(int fd, uint32_t events, void *arg)
{
	struct admin_conn *c = arg;
	struct admin_hdr h;
	ssize_t n = read(fd, c->buf + c->have, c->want - c->have);

	if (n <= 0) {
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		conn_close(c);
		return;
	}
	c->have += (size_t)n;
	if (c->have < c->want)
		return;
	if (admin_hdr_decode(c->buf, &h) < 0 || h.len > ADMIN_REQ_MAX) {
		log_warn("admin: bad request header: closing connection");
		conn_close(c);
		return;
	}
	if (c->want == ADMIN_HDR_LEN && h.len > 0) {
		uint8_t *b = realloc(c->buf, ADMIN_HDR_LEN + h.len);

		if (!b) {
			conn_close(c);
			return;
		}
		c->buf = b;
		c->want = ADMIN_HDR_LEN + h.len;
		return;
	}
	if (conn_dispatch(c, &h) < 0) {
		conn_close(c);
		return;
	}
	c->have = 0;
	c->want = ADMIN_HDR_LEN;
}

/*
 * Who may talk to us is decided by the socket's owner, group and mode, as
 * racoon's adminsock: the kernel checks them (with every supplementary
 * group) at connect(). We only log the peer.
 */
static void
peer_log(int fd)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) == 0)
		log_debug("admin: connection from pid %d uid %u", (int)cred.pid,
			  (unsigned)cred.uid);
}

static void
srv_on_accept(int fd, uint32_t events, void *arg)
{
	struct admin_server *s = arg;
	int cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	struct admin_conn *c = NULL;

	if (cfd < 0)
		return;
	peer_log(cfd);
	for (int i = 0; i < ADMIN_CLIENTS_MAX && !c; i++)
		if (s->conn[i].fd < 0)
			c = &s->conn[i];
	if (!c || !(c->buf = malloc(ADMIN_HDR_LEN))) {
		log_warn("admin: too many connections");
		close(cfd);
		return;
	}
	c->fd = cfd;
	c->have = 0;
	c->want = ADMIN_HDR_LEN;
	if (ev_fd_add(s->loop, cfd, EPOLLIN, conn_on_read, c) < 0)
		conn_close(c);
}

int
admin_server_open(struct ev_loop *loop, const char *path, uid_t owner, gid_t group, mode_t mode,
		  admin_handler h, void *arg, struct admin_server **out)
{
	struct admin_server *s = calloc(1, sizeof(*s));
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	int err;

	if (!s)
		return -ENOMEM;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		free(s);
		return -ENAMETOOLONG;
	}
	strcpy(sun.sun_path, path);
	strcpy(s->path, path);
	s->loop = loop;
	s->handler = h;
	s->arg = arg;
	for (int i = 0; i < ADMIN_CLIENTS_MAX; i++) {
		s->conn[i].fd = -1;
		s->conn[i].srv = s;
	}
	s->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s->fd < 0) {
		err = -errno;
		goto fail;
	}
	unlink(path);
	/* bind under a tight umask, then set the configured owner and mode */
	mode_t old = umask(0077);
	err = bind(s->fd, (struct sockaddr *)&sun, sizeof(sun)) < 0 ? -errno : 0;
	umask(old);
	if (err < 0 || chown(path, owner, group) < 0 || chmod(path, mode) < 0 ||
	    listen(s->fd, 16) < 0) {
		err = err ? err : -errno;
		goto fail;
	}
	if ((err = ev_fd_add(loop, s->fd, EPOLLIN, srv_on_accept, s)) < 0)
		goto fail;
	*out = s;
	return 0;
fail:
	log_err("admin socket %s: %s", path, strerror(-err));
	if (s->fd >= 0) {
		close(s->fd);
		unlink(path);
	}
	free(s);
	return err;
}

void
admin_server_close(struct admin_server *s)
{
	if (!s)
		return;
	for (int i = 0; i < ADMIN_CLIENTS_MAX; i++)
		conn_close(&s->conn[i]);
	ev_fd_del(s->loop, s->fd);
	close(s->fd);
	unlink(s->path);
	free(s);
}
