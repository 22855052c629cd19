/* Event loop: epoll plus a binary min-heap of timers. */
#include "lib/ev.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#define EV_MAX_FDS 1024 /* callbacks indexed by fd; fds above are refused */
#define EV_BATCH 64

struct ev_watch {
	ev_fd_cb cb;
	void *arg;
};

struct ev_loop {
	int epfd;
	bool stop;
	struct ev_watch watch[EV_MAX_FDS];
	struct ev_timer **heap;
	size_t nheap, capheap;
};

uint64_t
ev_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

uint64_t
ev_now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec;
}

struct ev_loop *
ev_loop_new(void)
{
	struct ev_loop *loop = calloc(1, sizeof(*loop));

	if (!loop)
		return NULL;
	loop->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (loop->epfd < 0) {
		free(loop);
		return NULL;
	}
	return loop;
}

void
ev_loop_free(struct ev_loop *loop)
{
	if (!loop)
		return;
	close(loop->epfd);
	free(loop->heap);
	free(loop);
}

int
ev_fd_add(struct ev_loop *loop, int fd, uint32_t events, ev_fd_cb cb, void *arg)
{
	struct epoll_event ee = {.events = events, .data.fd = fd};

	if (fd < 0 || fd >= EV_MAX_FDS)
		return -EMFILE;
	if (epoll_ctl(loop->epfd, EPOLL_CTL_ADD, fd, &ee) < 0)
		return -errno;
	loop->watch[fd].cb = cb;
	loop->watch[fd].arg = arg;
	return 0;
}

int
ev_fd_del(struct ev_loop *loop, int fd)
{
	if (fd < 0 || fd >= EV_MAX_FDS)
		return -EBADF;
	loop->watch[fd].cb = NULL;
	if (epoll_ctl(loop->epfd, EPOLL_CTL_DEL, fd, NULL) < 0)
		return -errno;
	return 0;
}

void
ev_timer_init(struct ev_timer *t, ev_timer_cb cb, void *arg)
{
	t->deadline_ms = 0;
	t->cb = cb;
	t->arg = arg;
	t->heap_idx = SIZE_MAX;
}

bool
ev_timer_armed(const struct ev_timer *t)
{
	return t->heap_idx != SIZE_MAX;
}

static void
heap_set(struct ev_loop *loop, size_t i, struct ev_timer *t)
{
	loop->heap[i] = t;
	t->heap_idx = i;
}

static void
heap_up(struct ev_loop *loop, size_t i)
{
	struct ev_timer *t = loop->heap[i];

	while (i > 0) {
		size_t parent = (i - 1) / 2;

		if (loop->heap[parent]->deadline_ms <= t->deadline_ms)
			break;
		heap_set(loop, i, loop->heap[parent]);
		i = parent;
	}
	heap_set(loop, i, t);
}

static void
heap_down(struct ev_loop *loop, size_t i)
{
	struct ev_timer *t = loop->heap[i];

	for (;;) {
		size_t c = 2 * i + 1;

		if (c >= loop->nheap)
			break;
		if (c + 1 < loop->nheap &&
		    loop->heap[c + 1]->deadline_ms < loop->heap[c]->deadline_ms)
			c++;
		if (t->deadline_ms <= loop->heap[c]->deadline_ms)
			break;
		heap_set(loop, i, loop->heap[c]);
		i = c;
	}
	heap_set(loop, i, t);
}

void
ev_timer_disarm(struct ev_loop *loop, struct ev_timer *t)
{
	size_t i = t->heap_idx;
	struct ev_timer *last;

	if (i == SIZE_MAX)
		return;
	t->heap_idx = SIZE_MAX;
	last = loop->heap[--loop->nheap];
	if (last == t)
		return;
	heap_set(loop, i, last);
	heap_up(loop, i);
	heap_down(loop, last->heap_idx);
}

void
ev_timer_arm(struct ev_loop *loop, struct ev_timer *t, uint64_t ms)
{
	ev_timer_disarm(loop, t);
	if (loop->nheap == loop->capheap) {
		size_t cap = loop->capheap ? loop->capheap * 2 : 16;
		struct ev_timer **h = realloc(loop->heap, cap * sizeof(*h));

		if (!h)
			abort(); /* a timer that silently never fires is worse */
		loop->heap = h;
		loop->capheap = cap;
	}
	t->deadline_ms = ev_now_ms() + ms;
	heap_set(loop, loop->nheap++, t);
	heap_up(loop, loop->nheap - 1);
}

static int
ev_next_timeout(struct ev_loop *loop)
{
	uint64_t now, d;

	if (!loop->nheap)
		return -1;
	now = ev_now_ms();
	d = loop->heap[0]->deadline_ms;
	if (d <= now)
		return 0;
	return d - now > INT32_MAX ? INT32_MAX : (int)(d - now);
}

static void
ev_run_timers(struct ev_loop *loop)
{
	uint64_t now = ev_now_ms();

	while (loop->nheap && loop->heap[0]->deadline_ms <= now) {
		struct ev_timer *t = loop->heap[0];

		ev_timer_disarm(loop, t);
		t->cb(t, t->arg);
	}
}

int
ev_loop_run(struct ev_loop *loop)
{
	struct epoll_event ev[EV_BATCH];

	loop->stop = false;
	while (!loop->stop) {
		int n = epoll_wait(loop->epfd, ev, EV_BATCH, ev_next_timeout(loop));

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		for (int i = 0; i < n && !loop->stop; i++) {
			int fd = ev[i].data.fd;
			struct ev_watch *w = &loop->watch[fd];

			if (w->cb)
				w->cb(fd, ev[i].events, w->arg);
		}
		ev_run_timers(loop);
	}
	return 0;
}

void
ev_loop_stop(struct ev_loop *loop)
{
	loop->stop = true;
}
