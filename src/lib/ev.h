/* Event loop: epoll for file descriptors, a min-heap of monotonic timers. */
#ifndef COATI_LIB_EV_H
#define COATI_LIB_EV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ev_loop;
struct ev_timer;

typedef void (*ev_fd_cb)(int fd, uint32_t events, void *arg);
typedef void (*ev_timer_cb)(struct ev_timer *t, void *arg);

/* A timer owned by its user; armed at most once at a time. */
struct ev_timer {
	uint64_t deadline_ms;  /* monotonic */
	ev_timer_cb cb;
	void *arg;
	size_t heap_idx;       /* SIZE_MAX when not armed */
};

struct ev_loop *ev_loop_new(void);
void ev_loop_free(struct ev_loop *loop);
/* Watch fd for EPOLLIN/EPOLLOUT events. 0 or -errno. */
int ev_fd_add(struct ev_loop *loop, int fd, uint32_t events, ev_fd_cb cb, void *arg);
int ev_fd_del(struct ev_loop *loop, int fd);

void ev_timer_init(struct ev_timer *t, ev_timer_cb cb, void *arg);
/* (Re)arm t to fire after ms milliseconds. */
void ev_timer_arm(struct ev_loop *loop, struct ev_timer *t, uint64_t ms);
void ev_timer_disarm(struct ev_loop *loop, struct ev_timer *t);
bool ev_timer_armed(const struct ev_timer *t);

/* Run until ev_loop_stop(). 0 or -errno on an epoll failure. */
int ev_loop_run(struct ev_loop *loop);
void ev_loop_stop(struct ev_loop *loop);
/* Monotonic clock in milliseconds and seconds. */
uint64_t ev_now_ms(void);
uint64_t ev_now_s(void);

#endif
