/*
 * The state store of manual SAs and policies.
 *
 * File "state" in a 0700 directory owned by the effective uid:
 *
 *   be32 magic "CST1", be32 version
 *   records: u8 type, be32 len, len bytes of body
 *     STORE_REC_SA      ipsec_sa (codec.h) + be64 sequence reservation
 *     STORE_REC_POLICY  ipsec_policy (codec.h)
 *
 * Every file and directory is opened with O_NOFOLLOW and checked with fstat
 * on the open descriptor, so nothing can be swapped in between the check and
 * the use (racoon's safefile.c did stat then open). Saves write a fresh
 * temporary file, fsync it, rename it over the old one and fsync the
 * directory: a crash leaves either the old state or the new one.
 *
 * The file holds keys: buffers that carried them are wiped.
 */
#include "ipsec/store.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ipsec/codec.h"
#include "lib/log.h"
#include "lib/secmem.h"

#define STORE_MAGIC 0x43535431u /* "CST1" */
#define STORE_VERSION 1
#define STORE_FILE "state"
#define STORE_TMP "state.tmp"
#define STORE_REC_BUF 512 /* larger than any record */

enum store_rec {
	STORE_REC_SA = 1,
	STORE_REC_POLICY = 2,
};

struct store {
	int dirfd;
	char *dir;
};

/*
 * Owner and mode of an open descriptor: ours, of the expected type, no
 * group/other bits. name is the file inside dir, or NULL for dir itself.
 */
static int
store_check_fd(int fd, const char *dir, const char *name, mode_t type)
{
	const char *sep = name ? "/" : "";
	struct stat st;

	name = name ? name : "";
	if (fstat(fd, &st) < 0)
		return -errno;
	if ((st.st_mode & S_IFMT) != type) {
		log_err_f("%s%s%s: not a %s", dir, sep, name,
		          type == S_IFDIR ? "directory" : "file");
		return -EPERM;
	}
	if (st.st_uid != geteuid()) {
		log_err_f("%s%s%s: owned by uid %u, not %u", dir, sep, name, (unsigned)st.st_uid,
		          (unsigned)geteuid());
		return -EPERM;
	}
	if (st.st_mode & 077) {
		log_err_f("%s%s%s: mode %03o is group/other accessible", dir, sep, name,
		          (unsigned)(st.st_mode & 0777));
		return -EPERM;
	}
	return 0;
}

/* ELOOP from O_NOFOLLOW means a symlink: a refusal, not an I/O error. name as above. */
static int
store_open_errno(const char *dir, const char *name)
{
	const char *sep = name ? "/" : "";
	int err = errno;

	if (err == ELOOP || err == ENOTDIR) {
		log_err_f("%s%s%s: a symlink or not a directory, refusing it", dir, sep,
		          name ? name : "");
		return -EPERM;
	}
	return -err;
}

int
store_open(const char *dir, struct store **out)
{
	struct store *st;
	int fd, rc;

	if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
		rc = -errno;
		log_err_f("mkdir %s: %s", dir, strerror(-rc));
		return rc;
	}
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return store_open_errno(dir, NULL);
	rc = store_check_fd(fd, dir, NULL, S_IFDIR);
	st = calloc(1, sizeof(*st));
	if (rc == 0 && (!st || !(st->dir = strdup(dir))))
		rc = -ENOMEM;
	if (rc < 0) {
		if (st)
			free(st->dir);
		free(st);
		close(fd);
		return rc;
	}
	st->dirfd = fd;
	*out = st;
	return 0;
}

void
store_close(struct store *st)
{
	if (!st)
		return;
	close(st->dirfd);
	free(st->dir);
	free(st);
}

static uint64_t
seq_max(const struct ipsec_sa *sa)
{
	return sa->esn ? UINT64_MAX : UINT32_MAX;
}

static uint64_t
seq_reservation(const struct sad_entry *e)
{
	uint64_t max = seq_max(&e->sa);

	return e->seq_out >= max - STORE_SEQ_AHEAD ? max : e->seq_out + STORE_SEQ_AHEAD;
}

bool
store_needs_save(const struct sad_entry *e)
{
	if (e->sa.origin != IPSEC_ORIGIN_MANUAL || e->state == SAD_STATE_DEAD)
		return false;
	/* Once the whole sequence space is reserved there is nothing left to persist. */
	if (e->seq_reserved >= seq_max(&e->sa))
		return false;
	return e->seq_reserved < e->seq_out || e->seq_reserved - e->seq_out < STORE_SEQ_AHEAD / 2;
}

/* One record: the SA or policy decoded from its body, plus the SA's reservation. */
struct store_item {
	uint8_t type;
	struct ipsec_sa sa;
	uint64_t resv;
	struct ipsec_policy pol;
};

static bool
store_read_record(struct rd *r, struct store_item *it)
{
	uint32_t len;
	struct rd body;

	if (!rd_u8(r, &it->type) || !rd_be32(r, &len) || !rd_sub(r, len, &body))
		return false;
	switch (it->type) {
	case STORE_REC_SA:
		/* Only manual SAs are written; anything else is not our file's content. */
		return ipsec_sa_decode(&body, &it->sa) == 0 && rd_be64(&body, &it->resv) &&
		       rd_end(&body) && it->sa.origin == IPSEC_ORIGIN_MANUAL &&
		       it->resv <= seq_max(&it->sa);
	case STORE_REC_POLICY:
		return ipsec_policy_decode(&body, &it->pol) == 0 && rd_end(&body) &&
		       it->pol.origin == IPSEC_ORIGIN_MANUAL;
	default:
		return false;
	}
}

static int
store_apply(const struct store_item *it, struct sad *sad, struct spd *spd, uint64_t now)
{
	struct sad_entry *e;
	int rc;

	if (it->type == STORE_REC_POLICY)
		return spd_add(spd, &it->pol, false, now, NULL);
	rc = sad_add(sad, &it->sa, now, &e);
	if (rc == 0)
		e->seq_out = e->seq_reserved = it->resv;
	return rc;
}

/* Parse the whole buffer, adding each record; stops at the first failure. */
static int
store_parse(const uint8_t *buf, size_t len, struct sad *sad, struct spd *spd, uint64_t now)
{
	struct rd r = rd_init(buf, len);
	struct store_item it;
	uint32_t magic, version;
	int rc = 0;

	if (!rd_be32(&r, &magic) || !rd_be32(&r, &version) || magic != STORE_MAGIC ||
	    version != STORE_VERSION)
		return -EBADMSG;
	while (rc == 0 && !rd_end(&r)) {
		memset(&it, 0, sizeof(it));
		if (!store_read_record(&r, &it))
			rc = -EBADMSG;
		else
			rc = store_apply(&it, sad, spd, now);
	}
	secmem_wipe(&it, sizeof(it));
	return rc;
}

/*
 * Check the file completely, semantics included, by loading it into a
 * scratch SAD and SPD first: a bad record then changes nothing, rather than
 * leaving policies restored without their SAs.
 */
static int
store_load_buf(const uint8_t *buf, size_t len, struct sad *sad, struct spd *spd, uint64_t now)
{
	struct sad *scratch_sad = sad_new(NULL);
	struct spd *scratch_spd = spd_new(NULL);
	int rc = -ENOMEM;

	if (scratch_sad && scratch_spd)
		rc = store_parse(buf, len, scratch_sad, scratch_spd, now);
	sad_free(scratch_sad);
	spd_free(scratch_spd);
	if (rc == 0)
		rc = store_parse(buf, len, sad, spd, now);
	return rc;
}

static int
read_all(int fd, uint8_t *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = read(fd, buf + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EBADMSG; /* shrank under us */
		done += (size_t)n;
	}
	return 0;
}

int
store_load(struct store *st, struct sad *sad, struct spd *spd, uint64_t now)
{
	uint8_t *buf = NULL;
	struct stat sb;
	size_t len = 0;
	int fd, rc;

	fd = openat(st->dirfd, STORE_FILE, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 : store_open_errno(st->dir, STORE_FILE);
	rc = store_check_fd(fd, st->dir, STORE_FILE, S_IFREG);
	if (rc < 0)
		goto out;
	if (fstat(fd, &sb) < 0 || sb.st_size < 0 || (uint64_t)sb.st_size > STORE_FILE_MAX) {
		rc = -EBADMSG;
		goto out;
	}
	len = (size_t)sb.st_size;
	buf = malloc(len ? len : 1);
	if (!buf) {
		rc = -ENOMEM;
		goto out;
	}
	rc = read_all(fd, buf, len);
	if (rc == 0)
		rc = store_load_buf(buf, len, sad, spd, now);
	if (rc < 0)
		log_err_f("%s/%s: cannot restore: %s", st->dir, STORE_FILE, strerror(-rc));
out:
	if (buf)
		secmem_wipe(buf, len);
	free(buf);
	close(fd);
	return rc;
}

static int
write_all(int fd, const uint8_t *p, size_t len)
{
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* What a save promised each SA, applied only once the file is durable. */
struct save_ctx {
	int fd;
	struct sad_entry **ents;
	uint64_t *resv;
	size_t n, cap;
};

static int
save_remember(struct save_ctx *c, struct sad_entry *e, uint64_t resv)
{
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 16;
		struct sad_entry **ents = realloc(c->ents, cap * sizeof(*ents));
		uint64_t *r;

		if (!ents)
			return -ENOMEM;
		c->ents = ents;
		r = realloc(c->resv, cap * sizeof(*r));
		if (!r)
			return -ENOMEM;
		c->resv = r;
		c->cap = cap;
	}
	c->ents[c->n] = e;
	c->resv[c->n++] = resv;
	return 0;
}

static int
save_sa(struct sad_entry *e, void *arg)
{
	struct save_ctx *c = arg;
	uint8_t buf[STORE_REC_BUF];
	struct wr w = wr_init(buf, sizeof(buf));
	uint64_t resv = seq_reservation(e);
	size_t at;
	int rc;

	if (e->sa.origin != IPSEC_ORIGIN_MANUAL || e->state == SAD_STATE_DEAD)
		return 0;
	wr_u8(&w, STORE_REC_SA);
	at = wr_reserve_be32(&w);
	ipsec_sa_encode(&w, &e->sa);
	wr_be64(&w, resv);
	wr_patch_be32(&w, at, (uint32_t)(w.len - at - 4));
	rc = wr_ok(&w) ? write_all(c->fd, buf, w.len) : -EOVERFLOW;
	secmem_wipe(buf, sizeof(buf));
	return rc < 0 ? rc : save_remember(c, e, resv);
}

static int
save_policy(struct spd_entry *e, void *arg)
{
	struct save_ctx *c = arg;
	uint8_t buf[STORE_REC_BUF];
	struct wr w = wr_init(buf, sizeof(buf));
	size_t at;

	if (e->pol.origin != IPSEC_ORIGIN_MANUAL)
		return 0;
	wr_u8(&w, STORE_REC_POLICY);
	at = wr_reserve_be32(&w);
	ipsec_policy_encode(&w, &e->pol);
	wr_patch_be32(&w, at, (uint32_t)(w.len - at - 4));
	return wr_ok(&w) ? write_all(c->fd, buf, w.len) : -EOVERFLOW;
}

/* Write everything into fd, then make it durable. */
static int
save_write(struct save_ctx *c, struct sad *sad, struct spd *spd)
{
	uint8_t hdr[8];
	int rc;

	be32_put(hdr, STORE_MAGIC);
	be32_put(hdr + 4, STORE_VERSION);
	rc = write_all(c->fd, hdr, sizeof(hdr));
	if (rc == 0)
		rc = sad_walk(sad, save_sa, c);
	if (rc == 0)
		rc = spd_walk(spd, save_policy, c);
	if (rc == 0 && fsync(c->fd) < 0)
		rc = -errno;
	return rc;
}

int
store_save(struct store *st, struct sad *sad, struct spd *spd)
{
	struct save_ctx c = {-1, NULL, NULL, 0, 0};
	int rc;

	/* O_EXCL after unlink: never write through a file someone else prepared. */
	if (unlinkat(st->dirfd, STORE_TMP, 0) < 0 && errno != ENOENT)
		return -errno;
	c.fd = openat(st->dirfd, STORE_TMP, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	              0600);
	if (c.fd < 0)
		return -errno;
	rc = fchmod(c.fd, 0600) < 0 ? -errno : save_write(&c, sad, spd);
	if (close(c.fd) < 0 && rc == 0)
		rc = -errno;
	if (rc == 0 && renameat(st->dirfd, STORE_TMP, st->dirfd, STORE_FILE) < 0)
		rc = -errno;
	if (rc == 0 && fsync(st->dirfd) < 0)
		rc = -errno;
	if (rc < 0) {
		log_err_f("%s/%s: save failed: %s", st->dir, STORE_FILE, strerror(-rc));
		unlinkat(st->dirfd, STORE_TMP, 0);
		goto out;
	}
	for (size_t i = 0; i < c.n; i++)
		c.ents[i]->seq_reserved = c.resv[i];
out:
	free(c.ents);
	free(c.resv);
	return rc;
}
