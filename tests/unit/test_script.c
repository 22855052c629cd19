/*
 * racoon's phase 1 scripts (src/daemon/script.c) on a real event loop: argv and the
 * environment a script gets, relative names taken in "path script", the child reaped
 * through its pidfd, one that runs too long killed, a missing one refused.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "daemon/script.h"

struct fixture {
	char dir[64], out[96];
	struct ev_loop *loop;
	struct script_runner *r;
	struct ev_timer poll;
	uint64_t give_up;
};

static struct ikev1_phase1_info
info_for(const char *remote_id)
{
	struct ikev1_phase1_info i = {.peer = {.lport = 4500, .rport = 4501},
	                              .remote_id = remote_id};

	assert_int_equal(addr_parse("192.0.2.2", &i.peer.local), 0);
	assert_int_equal(addr_parse("2001:db8::1", &i.peer.remote), 0);
	return i;
}

static void
write_script(struct fixture *f, const char *name, const char *body)
{
	char path[128];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", f->dir, name);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fprintf(fp, "#!/bin/sh\n%s\n", body);
	fclose(fp);
	assert_int_equal(chmod(path, 0755), 0);
}

/* Stop the loop once no child runs (or after the bound). */
static void
poll_cb(struct ev_timer *t, void *arg)
{
	struct fixture *f = arg;

	if (script_runner_running(f->r) == 0 || ev_now_ms() > f->give_up) {
		ev_loop_stop(f->loop);
		return;
	}
	ev_timer_arm(f->loop, t, 20);
}

static void
run_loop(struct fixture *f, uint64_t bound_ms)
{
	f->give_up = ev_now_ms() + bound_ms;
	ev_timer_init(&f->poll, poll_cb, f);
	ev_timer_arm(f->loop, &f->poll, 20);
	assert_int_equal(ev_loop_run(f->loop), 0);
}

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	snprintf(f->dir, sizeof(f->dir), "/tmp/coati-test-script.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->out, sizeof(f->out), "%s/out", f->dir);
	f->loop = ev_loop_new();
	assert_non_null(f->loop);
	assert_int_equal(script_runner_new(f->loop, 500, &f->r), 0);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[128];

	script_runner_free(f->r);
	ev_loop_free(f->loop);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

static char *
slurp(const char *path)
{
	static char buf[4096];
	FILE *fp = fopen(path, "r");
	size_t n;

	if (!fp)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	fclose(fp);
	buf[n] = '\0';
	return buf;
}

static void
test_argv_and_environment(void **state)
{
	struct fixture *f = *state;
	struct ikev1_phase1_info info = info_for("gw@coati.test");
	char body[256];
	const char *out;

	setenv("COATI_TEST_SECRET", "must-not-leak", 1);
	snprintf(body, sizeof(body), "echo \"$0 $1 $#\" > %s; env | sort >> %s", f->out, f->out);
	write_script(f, "up.sh", body);
	/* a relative name is taken in the directory ("path script") */
	assert_int_equal(script_run_phase1(f->r, f->dir, "up.sh", IKEV1_PHASE1_UP, &info), 0);
	assert_int_equal(script_runner_running(f->r), 1);
	run_loop(f, 5000);
	assert_int_equal(script_runner_running(f->r), 0);
	out = slurp(f->out);
	assert_non_null(out);
	assert_non_null(strstr(out, "/up.sh phase1_up 1\n"));
	assert_non_null(strstr(out, "\nLOCAL_ADDR=192.0.2.2\n"));
	assert_non_null(strstr(out, "\nLOCAL_PORT=4500\n"));
	assert_non_null(strstr(out, "\nREMOTE_ADDR=2001:db8::1\n"));
	assert_non_null(strstr(out, "\nREMOTE_PORT=4501\n"));
	assert_non_null(strstr(out, "\nREMOTE_ID=gw@coati.test\n"));
	assert_non_null(strstr(out, "\nPATH="));
	assert_null(strstr(out, "must-not-leak"));
	unsetenv("COATI_TEST_SECRET");
}

static void
test_no_remote_id_absolute_path(void **state)
{
	struct fixture *f = *state;
	struct ikev1_phase1_info info = info_for(NULL);
	char body[256], path[128];
	const char *out;

	snprintf(body, sizeof(body), "echo \"$1\" > %s; env >> %s", f->out, f->out);
	write_script(f, "dead.sh", body);
	snprintf(path, sizeof(path), "%s/dead.sh", f->dir);
	assert_int_equal(script_run_phase1(f->r, "/nonexistent", path, IKEV1_PHASE1_DEAD, &info),
	                 0);
	run_loop(f, 5000);
	out = slurp(f->out);
	assert_non_null(out);
	assert_non_null(strstr(out, "phase1_dead\n"));
	assert_null(strstr(out, "REMOTE_ID"));
}

static void
test_runaway_killed(void **state)
{
	struct fixture *f = *state;
	struct ikev1_phase1_info info = info_for(NULL);
	uint64_t t0 = ev_now_ms();
	char body[256];

	/* the shell waits for its own child: both must go (the script's process group) */
	snprintf(body, sizeof(body), "(sleep 1; echo late > %s) & wait", f->out);
	write_script(f, "hang.sh", body);
	assert_int_equal(script_run_phase1(f->r, f->dir, "hang.sh", IKEV1_PHASE1_DOWN, &info), 0);
	run_loop(f, 10000);
	assert_int_equal(script_runner_running(f->r), 0);
	/* killed after the runner's 500 ms, well before the script would end */
	assert_true(ev_now_ms() - t0 >= 500);
	assert_true(ev_now_ms() - t0 < 10000);
	/* had the subshell survived, it would have written by now */
	usleep(1500 * 1000);
	assert_null(slurp(f->out));
}

static void
test_missing_refused(void **state)
{
	struct fixture *f = *state;
	struct ikev1_phase1_info info = info_for(NULL);

	assert_int_equal(script_run_phase1(f->r, f->dir, "absent.sh", IKEV1_PHASE1_UP, &info),
	                 -ENOENT);
	assert_int_equal(script_runner_running(f->r), 0);
	assert_string_equal(script_event_name(IKEV1_PHASE1_DOWN), "phase1_down");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_argv_and_environment, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_no_remote_id_absolute_path, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_runaway_killed, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_missing_refused, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
