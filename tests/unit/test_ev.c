/* Event loop: timer ordering, re-arming, disarming, fd callbacks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sys/epoll.h>
#include <unistd.h>

#include "lib/ev.h"

struct rec {
	struct ev_loop *loop;
	int order[8];
	int n;
	int stop_after;
};

struct tctx {
	struct rec *rec;
	int id;
};

static void
on_timer(struct ev_timer *t, void *arg)
{
	struct tctx *c = arg;

	c->rec->order[c->rec->n++] = c->id;
	if (c->rec->n == c->rec->stop_after)
		ev_loop_stop(c->rec->loop);
}

static void
test_timer_order(void **state)
{
	struct ev_loop *loop = ev_loop_new();
	struct rec rec = {loop, {0}, 0, 3};
	struct tctx c[4] = {{&rec, 1}, {&rec, 2}, {&rec, 3}, {&rec, 4}};
	struct ev_timer t[4];

	for (int i = 0; i < 4; i++)
		ev_timer_init(&t[i], on_timer, &c[i]);
	ev_timer_arm(loop, &t[0], 30);
	ev_timer_arm(loop, &t[1], 10);
	ev_timer_arm(loop, &t[2], 20);
	ev_timer_arm(loop, &t[3], 5);
	ev_timer_disarm(loop, &t[3]);
	assert_false(ev_timer_armed(&t[3]));
	ev_timer_arm(loop, &t[1], 40); /* re-arming moves it */
	assert_int_equal(ev_loop_run(loop), 0);
	assert_int_equal(rec.n, 3);
	assert_int_equal(rec.order[0], 3);
	assert_int_equal(rec.order[1], 1);
	assert_int_equal(rec.order[2], 2);
	ev_loop_free(loop);
}

static void
test_many_timers(void **state)
{
	struct ev_loop *loop = ev_loop_new();
	static struct ev_timer t[200];
	static struct tctx c[200];
	struct rec rec = {loop, {0}, 0, 1};

	/* only the earliest of many fires first; disarming half keeps the heap valid */
	for (int i = 0; i < 200; i++) {
		c[i].rec = &rec;
		c[i].id = i;
		ev_timer_init(&t[i], on_timer, &c[i]);
		ev_timer_arm(loop, &t[i], (uint64_t)(1000 + (i * 7919) % 200));
	}
	for (int i = 0; i < 200; i += 2)
		ev_timer_disarm(loop, &t[i]);
	ev_timer_arm(loop, &t[101], 1);
	ev_loop_run(loop);
	assert_int_equal(rec.order[0], 101);
	ev_loop_free(loop);
}

static void
on_fd(int fd, uint32_t events, void *arg)
{
	struct rec *rec = arg;
	char b;

	assert_int_equal(read(fd, &b, 1), 1);
	rec->order[rec->n++] = b;
	ev_loop_stop(rec->loop);
}

static void
test_fd(void **state)
{
	struct ev_loop *loop = ev_loop_new();
	struct rec rec = {loop, {0}, 0, 0};
	int p[2];

	assert_int_equal(pipe(p), 0);
	assert_int_equal(ev_fd_add(loop, p[0], EPOLLIN, on_fd, &rec), 0);
	assert_int_equal(write(p[1], "x", 1), 1);
	ev_loop_run(loop);
	assert_int_equal(rec.n, 1);
	assert_int_equal(rec.order[0], 'x');
	assert_int_equal(ev_fd_del(loop, p[0]), 0);
	close(p[0]);
	close(p[1]);
	ev_loop_free(loop);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_timer_order),
		cmocka_unit_test(test_many_timers),
		cmocka_unit_test(test_fd),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
