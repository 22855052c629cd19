/* Blocking admin-socket client used by coatictl and coati-setkey. */
#include "admin/proto.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

const char *
admin_socket_path(const char *explicit_path)
{
	const char *env;

	if (explicit_path && *explicit_path)
		return explicit_path;
	env = getenv(ADMIN_SOCKET_ENV);
	if (env && *env)
		return env;
	return ADMIN_DEFAULT_SOCKET;
}

int
admin_connect(struct admin_client *c, const char *path)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	int fd;

	if (strlen(path) >= sizeof(sun.sun_path))
		return -ENAMETOOLONG;
	strcpy(sun.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	c->fd = fd;
	c->seq = 0;
	return 0;
}

void
admin_close(struct admin_client *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
}

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Read exactly n bytes before the deadline. */
static int
read_full(int fd, uint8_t *p, size_t n, int64_t deadline)
{
	while (n) {
		struct pollfd pfd = {.fd = fd, .events = POLLIN};
		int64_t left = deadline - now_ms();
		ssize_t got;

		if (left <= 0)
			return -ETIMEDOUT;
		if (poll(&pfd, 1, (int)left) < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		got = read(fd, p, n);
		if (got < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			return -errno;
		}
		if (got == 0)
			return -ECONNRESET;
		p += got;
		n -= (size_t)got;
	}
	return 0;
}

int
admin_call(struct admin_client *c, uint8_t type, const void *req, size_t req_len,
	   uint8_t **reply, size_t *reply_len, int timeout_ms)
{
	struct admin_hdr h = {ADMIN_VERSION, type, 0, (uint32_t)req_len, ++c->seq};
	uint8_t hdr[ADMIN_HDR_LEN];
	int64_t deadline = now_ms() + timeout_ms;
	uint8_t *body = NULL;
	uint32_t status;
	struct rd r;
	int err;

	*reply = NULL;
	*reply_len = 0;
	if (req_len > ADMIN_REQ_MAX)
		return -EMSGSIZE;
	admin_hdr_encode(hdr, &h);
	if ((err = admin_write_full(c->fd, hdr, sizeof(hdr))) < 0 ||
	    (err = admin_write_full(c->fd, req, req_len)) < 0)
		return err;
	if ((err = read_full(c->fd, hdr, sizeof(hdr), deadline)) < 0)
		return err;
	if ((err = admin_hdr_decode(hdr, &h)) < 0)
		return err;
	if (h.type != (type | ADMIN_REPLY) || h.seq != c->seq || h.len < 4 ||
	    h.len > ADMIN_REPLY_MAX)
		return -EBADMSG;
	body = malloc(h.len);
	if (!body)
		return -ENOMEM;
	if ((err = read_full(c->fd, body, h.len, deadline)) < 0) {
		free(body);
		return err;
	}
	r = rd_init(body, h.len);
	rd_be32(&r, &status);
	memmove(body, body + 4, h.len - 4);
	*reply = body;
	*reply_len = h.len - 4;
	return (int32_t)status;
}
