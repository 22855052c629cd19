/* Unit tests for the state store: round trip, reservations, refusals, malformed files. */
#include <errno.h>
#include <fcntl.h>
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

#include "ipsec/store.h"

struct fixture {
	char root[64];  /* mkdtemp directory */
	char dir[96];   /* the store directory inside it */
	char file[128]; /* dir/state */
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	strcpy(f->root, "/tmp/coati-store-XXXXXX");
	if (!mkdtemp(f->root))
		return -1;
	snprintf(f->dir, sizeof(f->dir), "%s/st", f->root);
	snprintf(f->file, sizeof(f->file), "%s/state", f->dir);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[160];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->root);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

static struct ipsec_sa
sa_make(const char *src, const char *dst, uint32_t spi, uint8_t origin)
{
	struct ipsec_sa sa;

	memset(&sa, 0, sizeof(sa));
	assert_int_equal(addr_parse(src, &sa.src), 0);
	assert_int_equal(addr_parse(dst, &sa.dst), 0);
	sa.proto = IPSEC_PROTO_ESP;
	sa.mode = IPSEC_MODE_TRANSPORT;
	sa.spi = spi;
	sa.enc = IPSEC_ENC_AES_CBC;
	sa.enc_key.len = 16;
	memset(sa.enc_key.bytes, (int)spi, 16);
	sa.auth = IPSEC_AUTH_HMAC_SHA256_128;
	sa.auth_key.len = 32;
	memset(sa.auth_key.bytes, 0x42, 32);
	sa.hard.add_seconds = 3600;
	sa.origin = origin;
	return sa;
}

static struct ipsec_policy
pol_make(const char *src, const char *dst, uint8_t dir, uint8_t origin)
{
	struct ipsec_policy p;

	memset(&p, 0, sizeof(p));
	assert_int_equal(prefix_parse(src, &p.sel.src), 0);
	assert_int_equal(prefix_parse(dst, &p.sel.dst), 0);
	p.sel.proto = IPSEC_ULP_ANY;
	p.dir = dir;
	p.action = IPSEC_ACTION_IPSEC;
	p.nreq = 1;
	p.req[0].proto = IPSEC_PROTO_ESP;
	p.req[0].mode = IPSEC_MODE_TUNNEL;
	p.req[0].level = IPSEC_LEVEL_REQUIRE;
	assert_int_equal(addr_parse("192.0.2.1", &p.req[0].src), 0);
	assert_int_equal(addr_parse("192.0.2.2", &p.req[0].dst), 0);
	p.origin = origin;
	return p;
}

/* Two manual SAs (one ESN, one near the 32-bit end), one IKE SA; two manual policies, one IKE. */
static void
populate(struct sad *sad, struct spd *spd)
{
	struct ipsec_sa sa = sa_make("192.0.2.1", "192.0.2.2", 0x1001, IPSEC_ORIGIN_MANUAL);
	struct ipsec_policy p;
	struct sad_entry *e;

	sa.esn = true;
	assert_int_equal(sad_add(sad, &sa, 5, &e), 0);
	e->seq_out = 1000;
	sa = sa_make("192.0.2.2", "192.0.2.1", 0x1002, IPSEC_ORIGIN_MANUAL);
	assert_int_equal(sad_add(sad, &sa, 5, &e), 0);
	e->seq_out = UINT32_MAX - 10;
	sa = sa_make("192.0.2.1", "192.0.2.3", 0x1003, IPSEC_ORIGIN_IKE);
	assert_int_equal(sad_add(sad, &sa, 5, NULL), 0);
	p = pol_make("10.0.0.0/24", "10.0.1.0/24", IPSEC_DIR_OUT, IPSEC_ORIGIN_MANUAL);
	assert_int_equal(spd_add(spd, &p, false, 5, NULL), 0);
	p = pol_make("10.0.1.0/24", "10.0.0.0/24", IPSEC_DIR_IN, IPSEC_ORIGIN_MANUAL);
	p.priority = 100;
	assert_int_equal(spd_add(spd, &p, false, 5, NULL), 0);
	p = pol_make("10.0.2.0/24", "10.0.0.0/24", IPSEC_DIR_IN, IPSEC_ORIGIN_IKE);
	assert_int_equal(spd_add(spd, &p, false, 5, NULL), 0);
}

static struct addr
A(const char *s) {
	struct addr a;

	assert_int_equal(addr_parse(s, &a), 0);
	return a;
}

static void
test_round_trip(void **state)
{
	struct fixture *f = *state;
	struct sad *sad = sad_new(NULL), *sad2 = sad_new(NULL);
	struct spd *spd = spd_new(NULL), *spd2 = spd_new(NULL);
	struct addr a1 = A("192.0.2.1"), a2 = A("192.0.2.2"), a3 = A("192.0.2.3");
	struct sad_entry *e1, *e2;
	struct store *st;
	struct stat sb;

	assert_int_equal(store_open(f->dir, &st), 0);
	assert_int_equal(stat(f->dir, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0700);
	/* No file yet: nothing to restore, not an error. */
	assert_int_equal(store_load(st, sad2, spd2, 1), 0);
	populate(sad, spd);
	e1 = sad_get(sad, &a2, IPSEC_PROTO_ESP, 0x1001);
	e2 = sad_get(sad, &a1, IPSEC_PROTO_ESP, 0x1002);
	assert_true(store_needs_save(e1));
	assert_int_equal(store_save(st, sad, spd), 0);
	assert_int_equal(e1->seq_reserved, 1000 + STORE_SEQ_AHEAD);
	assert_int_equal(e2->seq_reserved, UINT32_MAX);
	assert_false(store_needs_save(e1));
	assert_false(store_needs_save(e2));
	assert_int_equal(stat(f->file, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);

	assert_int_equal(store_load(st, sad2, spd2, 77), 0);
	assert_int_equal(sad_count(sad2), 2);
	assert_int_equal(spd_count(spd2), 2);
	e1 = sad_get(sad2, &a2, IPSEC_PROTO_ESP, 0x1001);
	assert_non_null(e1);
	assert_true(e1->sa.esn);
	assert_int_equal(e1->seq_out, 1000 + STORE_SEQ_AHEAD);
	assert_int_equal(e1->add_time, 77);
	assert_int_equal(e1->sa.enc_key.bytes[0], 0x01);
	assert_int_equal(e1->sa.hard.add_seconds, 3600);
	/* Restored SAs must reserve again before sending. */
	assert_true(store_needs_save(e1));
	assert_null(sad_get(sad2, &a3, IPSEC_PROTO_ESP, 0x1003));
	/* Loading again collides with what is there. */
	assert_int_equal(store_load(st, sad2, spd2, 78), -EEXIST);

	/* Saving the restored state reserves further ahead. */
	assert_int_equal(store_save(st, sad2, spd2), 0);
	assert_int_equal(e1->seq_reserved, 1000 + 2 * STORE_SEQ_AHEAD);
	store_close(st);
	sad_free(sad);
	sad_free(sad2);
	spd_free(spd);
	spd_free(spd2);
}

static void
test_needs_save(void **state)
{
	struct sad_entry e;

	(void)state;
	memset(&e, 0, sizeof(e));
	e.sa.origin = IPSEC_ORIGIN_MANUAL;
	assert_true(store_needs_save(&e));
	e.seq_out = 1000;
	e.seq_reserved = 1000 + STORE_SEQ_AHEAD;
	assert_false(store_needs_save(&e));
	e.seq_out = 1000 + STORE_SEQ_AHEAD / 2;
	assert_false(store_needs_save(&e));
	e.seq_out++;
	assert_true(store_needs_save(&e));
	e.sa.origin = IPSEC_ORIGIN_IKE;
	assert_false(store_needs_save(&e));
	e.sa.origin = IPSEC_ORIGIN_MANUAL;
	e.state = SAD_STATE_DEAD;
	assert_false(store_needs_save(&e));
	e.state = SAD_STATE_MATURE;
	e.seq_reserved = UINT32_MAX;
	e.seq_out = UINT32_MAX;
	assert_false(store_needs_save(&e));
	e.sa.esn = true;
	assert_true(store_needs_save(&e));
}

static void
save_sample(struct fixture *f)
{
	struct sad *sad = sad_new(NULL);
	struct spd *spd = spd_new(NULL);
	struct store *st;

	assert_int_equal(store_open(f->dir, &st), 0);
	populate(sad, spd);
	assert_int_equal(store_save(st, sad, spd), 0);
	store_close(st);
	sad_free(sad);
	spd_free(spd);
}

static int
load_into_fresh(struct fixture *f, size_t *nsa, size_t *npol)
{
	struct sad *sad = sad_new(NULL);
	struct spd *spd = spd_new(NULL);
	struct store *st;
	int rc;

	assert_int_equal(store_open(f->dir, &st), 0);
	rc = store_load(st, sad, spd, 1);
	*nsa = sad_count(sad);
	*npol = spd_count(spd);
	store_close(st);
	sad_free(sad);
	spd_free(spd);
	return rc;
}

static void
test_refusals(void **state)
{
	struct fixture *f = *state;
	char link[160], other[160];
	struct store *st;
	size_t nsa, npol;

	save_sample(f);
	assert_int_equal(load_into_fresh(f, &nsa, &npol), 0);
	assert_int_equal(chmod(f->file, 0644), 0);
	assert_int_equal(load_into_fresh(f, &nsa, &npol), -EPERM);
	assert_int_equal(nsa + npol, 0);
	assert_int_equal(chmod(f->file, 0600), 0);

	/* A symlink in place of the file, even to a well-formed private one. */
	snprintf(other, sizeof(other), "%s/elsewhere", f->root);
	assert_int_equal(rename(f->file, other), 0);
	assert_int_equal(symlink(other, f->file), 0);
	assert_int_equal(load_into_fresh(f, &nsa, &npol), -EPERM);
	assert_int_equal(nsa + npol, 0);
	assert_int_equal(unlink(f->file), 0);

	/* A world-readable store directory, and a symlinked one. */
	assert_int_equal(chmod(f->dir, 0755), 0);
	assert_int_equal(store_open(f->dir, &st), -EPERM);
	assert_int_equal(chmod(f->dir, 0700), 0);
	snprintf(link, sizeof(link), "%s/link", f->root);
	assert_int_equal(symlink(f->dir, link), 0);
	assert_int_equal(store_open(link, &st), -EPERM);
	if (geteuid() == 0) {
		assert_int_equal(chown(f->dir, 65534, 65534), 0);
		assert_int_equal(store_open(f->dir, &st), -EPERM);
		assert_int_equal(chown(f->dir, 0, 0), 0);
	}
	assert_int_equal(store_open(f->dir, &st), 0);
	store_close(st);
}

static uint8_t *
read_file(const char *path, size_t *len)
{
	static uint8_t buf[4096];
	int fd = open(path, O_RDONLY);
	ssize_t n;

	assert_true(fd >= 0);
	n = read(fd, buf, sizeof(buf));
	assert_true(n > 0 && (size_t)n < sizeof(buf));
	close(fd);
	*len = (size_t)n;
	return buf;
}

static void
write_file(const char *path, const uint8_t *p, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, p, len), (ssize_t)len);
	close(fd);
}

/*
 * Every truncation and byte change either loads (a record boundary, a
 * harmless change) or fails with nothing restored: half a state is worse
 * than none (policies without their SAs).
 */
static void
test_malformed(void **state)
{
	struct fixture *f = *state;
	uint8_t orig[4096], m[4096];
	size_t len = 0, nsa, npol, boundaries = 0;

	save_sample(f);
	const uint8_t *saved = read_file(f->file, &len);

	memcpy(orig, saved, len);
	for (size_t cut = 0; cut < len; cut++) {
		int rc;

		write_file(f->file, orig, cut);
		rc = load_into_fresh(f, &nsa, &npol);
		if (rc == 0)
			boundaries++;
		else
			assert_int_equal(rc, -EBADMSG);
		if (rc < 0)
			assert_int_equal(nsa + npol, 0);
	}
	/* After the header and after each of the first three records. */
	assert_int_equal(boundaries, 4);
	for (size_t off = 0; off < len; off += 3) {
		int rc;

		memcpy(m, orig, len);
		m[off] ^= 0x81;
		write_file(f->file, m, len);
		rc = load_into_fresh(f, &nsa, &npol);
		if (rc < 0)
			assert_int_equal(nsa + npol, 0);
		else
			assert_int_equal(nsa + npol, 4);
	}
	/* Trailing garbage after the last record. */
	memcpy(m, orig, len);
	m[len] = 1;
	write_file(f->file, m, len + 1);
	assert_int_equal(load_into_fresh(f, &nsa, &npol), -EBADMSG);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
	    cmocka_unit_test(test_needs_save),
	    cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_malformed, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
