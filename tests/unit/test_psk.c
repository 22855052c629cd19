/* psk.txt: racoon's line format and the owner/mode refusal done on the open fd. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/psk.h"
#include "lib/log.h"

static void
assert_key(const struct psk_db *db, const char *id, const void *want, size_t want_len)
{
	const uint8_t *key;
	size_t len;

	if (psk_find(db, id, &key, &len) != 0)
		fail_msg("no key for '%s'", id);
	assert_int_equal(len, want_len);
	assert_memory_equal(key, want, want_len);
}

/* The sample of racoon.conf(5), plus blanks, tabs, comments and CRLF. */
static void
test_formats(void **state)
{
	struct psk_db *db;
	const uint8_t *key;
	size_t len;

	assert_int_equal(psk_parse_string("psk.txt",
		"# comment\n"
		"\n"
		"10.160.94.3     mekmitasdigoat\n"
		"172.16.1.133    0x12345678\n"
		"3ffe:501:410:ffff:200:86ff:fe05:80fa\tmekmitasdigoat\n"
		"   foo@kame.net \t the key has blanks   \n"
		"odd 0xabc\n"
		"win\tsecret\r\n"
		"  # indented comment\n"
		"foo.kame.net    hoge#notacomment\n"
		"foo@kame.net    second-entry-ignored\n"
		"lonely\n"
		"last-line-without-newline key", &db), 0);
	assert_int_equal(psk_count(db), 9);
	assert_key(db, "10.160.94.3", "mekmitasdigoat", 14);
	assert_key(db, "172.16.1.133", "\x12\x34\x56\x78", 4);
	assert_key(db, "3ffe:501:410:ffff:200:86ff:fe05:80fa", "mekmitasdigoat", 14);
	assert_key(db, "foo@kame.net", "the key has blanks", 18);
	assert_key(db, "odd", "\x0a\xbc", 2);
	assert_key(db, "win", "secret", 6);
	assert_key(db, "foo.kame.net", "hoge#notacomment", 16);
	assert_key(db, "last-line-without-newline", "key", 3);
	assert_int_equal(psk_find(db, "lonely", &key, &len), -ENOENT);
	assert_int_equal(psk_find(db, "10.160.94.4", &key, &len), -ENOENT);
	psk_free(db);
	psk_free(NULL);
}

static void
test_bad_input(void **state)
{
	struct psk_db *db = (struct psk_db *)&db;

	assert_int_equal(psk_parse_string("psk.txt", "ok key\nbad 0xzz12\n", &db), -EINVAL);
	assert_null(db);
	assert_int_equal(psk_parse_buf("psk.txt", "a b\0c\n", 6, &db), -EINVAL);
	assert_null(db);
	assert_int_equal(psk_parse_string("psk.txt", "", &db), 0);
	assert_int_equal(psk_count(db), 0);
	psk_free(db);
}

struct tmp {
	char dir[64];
	char path[128];
};

static int
setup_tmp(void **state)
{
	struct tmp *t = calloc(1, sizeof(*t));

	if (!t)
		return -1;
	snprintf(t->dir, sizeof(t->dir), "/tmp/coati-psk-XXXXXX");
	if (!mkdtemp(t->dir))
		return -1;
	snprintf(t->path, sizeof(t->path), "%s/psk.txt", t->dir);
	*state = t;
	return 0;
}

static int
teardown_tmp(void **state)
{
	struct tmp *t = *state;
	char link[160];

	snprintf(link, sizeof(link), "%s/link.txt", t->dir);
	unlink(link);
	unlink(t->path);
	rmdir(t->dir);
	free(t);
	return 0;
}

static void
write_psk(const char *path, mode_t mode)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs("gw.example key-one\n10.0.0.1 0x0102\n", f);
	fclose(f);
	assert_int_equal(chmod(path, mode), 0);
}

static void
test_load_ok(void **state)
{
	struct tmp *t = *state;
	struct psk_db *db;

	write_psk(t->path, 0600);
	assert_int_equal(psk_load(t->path, &db), 0);
	assert_key(db, "gw.example", "key-one", 7);
	assert_key(db, "10.0.0.1", "\x01\x02", 2);
	psk_free(db);
	write_psk(t->path, 0400);
	assert_int_equal(psk_load(t->path, &db), 0);
	psk_free(db);
}

/* racoon refuses a psk.txt others can read or write; so do we, whatever the bits. */
static void
test_load_refuses_modes(void **state)
{
	static const mode_t bad[] = {0644, 0640, 0604, 0620, 0602, 0660, 0666, 0610, 0601};
	struct tmp *t = *state;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct psk_db *db = (struct psk_db *)t;

		write_psk(t->path, bad[i]);
		if (psk_load(t->path, &db) != -EPERM)
			fail_msg("mode %04o was accepted", (unsigned)bad[i]);
		assert_null(db);
	}
}

static void
test_load_refuses_symlink_and_missing(void **state)
{
	struct tmp *t = *state;
	struct psk_db *db;
	char link[160];

	write_psk(t->path, 0600);
	snprintf(link, sizeof(link), "%s/link.txt", t->dir);
	assert_int_equal(symlink(t->path, link), 0);
	assert_int_equal(psk_load(link, &db), -ELOOP);
	assert_null(db);
	unlink(t->path);
	assert_int_equal(psk_load(t->path, &db), -ENOENT);
	/* A directory is not a key file. */
	assert_int_equal(psk_load(t->dir, &db), -EPERM);
}

/* Owned by someone else: only testable as root, by handing the file to nobody. */
static void
test_load_refuses_owner(void **state)
{
	struct tmp *t = *state;
	struct psk_db *db;

	if (geteuid() != 0)
		skip();
	write_psk(t->path, 0600);
	assert_int_equal(chown(t->path, 65534, 65534), 0);
	assert_int_equal(psk_load(t->path, &db), -EPERM);
	assert_null(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_formats),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test_setup_teardown(test_load_ok, setup_tmp, teardown_tmp),
		cmocka_unit_test_setup_teardown(test_load_refuses_modes, setup_tmp, teardown_tmp),
		cmocka_unit_test_setup_teardown(test_load_refuses_symlink_and_missing, setup_tmp,
						teardown_tmp),
		cmocka_unit_test_setup_teardown(test_load_refuses_owner, setup_tmp, teardown_tmp),
	};

	log_init("test_psk", true, LOG_LVL_WARN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
