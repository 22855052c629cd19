/*
 * Reading racoon.conf from disk: cfg_load, includes (glob, relative to `path include` as in
 * racoon's getpathname), building the model all-or-nothing, freeing it, and the warnings
 * about directives the daemon does not act on yet.
 */
#include "config/parse_int.h"

#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/log.h"
#include "lib/secmem.h"

/* Keep name for the model's cfg_loc pointers; returns the interned copy or NULL. */
static const char *
cfg_intern_file(struct parser *p, const char *name)
{
	char **slot, *s;

	slot = parse_push(p, &p->cfg->files, &p->cfg->n_files, sizeof(*slot), 4096, "files");
	if (!slot || !(s = strdup(name)))
		return NULL;
	*slot = s;
	return s;
}

/* Read a regular file of at most CFG_FILE_MAX bytes into a NUL-terminated buffer. */
static int
cfg_read_file(const char *path, char **out, size_t *len)
{
	struct stat st;
	char *buf = NULL;
	size_t n = 0;
	int fd, rc;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		rc = -errno;
		goto out;
	}
	rc = -EINVAL;
	if (!S_ISREG(st.st_mode) || (uint64_t)st.st_size > CFG_FILE_MAX)
		goto out;
	rc = -ENOMEM;
	if (!(buf = malloc((size_t)st.st_size + 1)))
		goto out;
	while (n < (size_t)st.st_size) {
		ssize_t r = read(fd, buf + n, (size_t)st.st_size - n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	buf[n] = '\0';
	*out = buf;
	*len = n;
	buf = NULL;
	rc = 0;
out:
	free(buf);
	close(fd);
	return rc;
}

static int
cfg_parse_path(struct parser *p, const char *path)
{
	const char *name = cfg_intern_file(p, path);
	char *text = NULL;
	size_t len = 0;
	int rc;

	if (!name)
		return -ENOMEM;
	rc = cfg_read_file(path, &text, &len);
	if (rc < 0)
		return parse_error(p, "cannot read '%s': %s", path,
				   rc == -EINVAL ? "not a regular file or too large" : strerror(-rc));
	rc = parse_file(p, name, text, len);
	free(text);
	return rc;
}

/* include "file"; (top level): every glob match, in order, as racoon's yycf_switch_buffer. */
int
parse_include(struct parser *p)
{
	char path[4096], *pattern = NULL;
	int line, col, rc;
	glob_t g;

	if ((rc = parse_next(p)) < 0)
		return rc;
	line = p->tok.line;
	col = p->tok.col;
	if ((rc = parse_string(p, "include", &pattern)) < 0 || (rc = parse_semi(p)) < 0)
		goto out;
	rc = -EINVAL;
	if (p->flags & CFG_F_NO_INCLUDE) {
		parse_error_at(p, line, col, "include is disabled here");
		goto out;
	}
	if (p->depth >= CFG_INCLUDE_DEPTH) {
		parse_error_at(p, line, col, "includes nested too deeply (max %d)",
			       CFG_INCLUDE_DEPTH);
		goto out;
	}
	if (pattern[0] != '/' && p->cfg->path_include)
		snprintf(path, sizeof(path), "%s/%s", p->cfg->path_include, pattern);
	else
		snprintf(path, sizeof(path), "%s", pattern);
	if (glob(path, GLOB_TILDE, NULL, &g) != 0 || g.gl_pathc == 0) {
		parse_error_at(p, line, col, "include \"%s\": no file matches", path);
		goto out;
	}
	p->depth++;
	rc = 0;
	for (size_t i = 0; i < g.gl_pathc && rc == 0; i++)
		rc = cfg_parse_path(p, g.gl_pathv[i]);
	p->depth--;
	globfree(&g);
out:
	free(pattern);
	return rc;
}

static struct cfg *
cfg_new(void)
{
	struct cfg *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->log_level = -1;
	c->adminsock.mode = -1;
	/* racoon.conf(5) defaults. */
	c->timer.counter = 5;
	c->timer.interval = 10;
	c->timer.persend = 1;
	c->timer.phase1 = 15;
	c->timer.phase2 = 10;
	c->timer.natt_keepalive = 20;
	c->padding.randomize = true;
	c->padding.exclusive_tail = true;
	c->padding.maximum_length = 20;
	c->modecfg.pool_size = 255;
	c->modecfg.auth_throttle = 1;
	c->ldap.version = 3;
	c->ldap.port = 389;
	c->radius.timeout = 3;
	c->radius.retries = 3;
	return c;
}

static void
cfg_log_error(const struct cfg_error *e, int rc)
{
	if (e->msg[0])
		log_err("%s:%d:%d: %s", e->file, e->line, e->col, e->msg);
	else
		log_err("%s: %s", e->file[0] ? e->file : "config", strerror(-rc));
}

/* Run the parser over one top-level source; path != NULL reads it from disk. */
static int
cfg_build(const char *name, const char *path, const char *text, size_t len, unsigned flags,
	  struct cfg **out, struct cfg_error *err)
{
	struct cfg_error local = {0};
	struct parser p = {.err = err ? err : &local, .flags = flags};
	const char *file;
	int rc;

	memset(p.err, 0, sizeof(*p.err));
	snprintf(p.err->file, sizeof(p.err->file), "%s", name);
	*out = NULL;
	if (!(p.cfg = cfg_new()))
		return -ENOMEM;
	if (path) {
		rc = cfg_parse_path(&p, path);
	} else {
		rc = -ENOMEM;
		if ((file = cfg_intern_file(&p, name)))
			rc = parse_file(&p, file, text, len);
	}
	if (rc < 0) {
		cfg_log_error(p.err, rc);
		cfg_free(p.cfg);
		return rc == -ENOMEM && !p.err->msg[0] ? -ENOMEM : -EINVAL;
	}
	*out = p.cfg;
	return 0;
}

int
cfg_load(const char *path, struct cfg **out)
{
	if (access(path, F_OK) < 0) {
		int rc = -errno;

		*out = NULL;
		log_err("%s: %s", path, strerror(-rc));
		return rc;
	}
	return cfg_build(path, path, NULL, 0, 0, out, NULL);
}

int
cfg_parse_buf(const char *name, const char *text, size_t len, unsigned flags, struct cfg **out,
	      struct cfg_error *err)
{
	return cfg_build(name, NULL, text, len, flags, out, err);
}

int
cfg_parse_string(const char *name, const char *text, struct cfg **out, struct cfg_error *err)
{
	return cfg_build(name, NULL, text, strlen(text), 0, out, err);
}

static void
cfg_wipe_str(char *s)
{
	if (s)
		secmem_wipe(s, strlen(s));
	free(s);
}

void
cfg_free(struct cfg *c)
{
	if (!c)
		return;
	free(c->path_include);
	free(c->path_pre_shared_key);
	free(c->path_certificate);
	free(c->path_script);
	free(c->path_backupsa);
	free(c->path_pidfile);
	free(c->privsep.user);
	free(c->privsep.group);
	free(c->privsep.chroot);
	free(c->adminsock.path);
	free(c->adminsock.owner);
	free(c->adminsock.group);
	free(c->listen);
	for (size_t i = 0; i < c->n_remotes; i++)
		cfg_remote_clear(&c->remotes[i]);
	free(c->remotes);
	for (size_t i = 0; i < c->n_sainfos; i++)
		cfg_sainfo_clear(&c->sainfos[i]);
	free(c->sainfos);
	cfg_modecfg_clear(&c->modecfg);
	cfg_ldap_clear(&c->ldap);
	cfg_radius_clear(&c->radius);
	for (size_t i = 0; i < c->n_ignored; i++)
		free(c->ignored[i].what);
	free(c->ignored);
	for (size_t i = 0; i < c->n_files; i++)
		free(c->files[i]);
	free(c->files);
	free(c);
}

void
cfg_ldap_clear(struct cfg_ldap *l)
{
	char **s[] = {&l->uri, &l->host, &l->base, &l->bind_dn, &l->attr_user, &l->attr_addr,
		      &l->attr_mask, &l->attr_group, &l->attr_member};

	for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++)
		free(*s[i]);
	cfg_wipe_str(l->bind_pw);
}

void
cfg_radius_clear(struct cfg_radius *r)
{
	for (size_t i = 0; i < r->n_auth; i++) {
		free(r->auth[i].host);
		cfg_wipe_str(r->auth[i].secret);
	}
	for (size_t i = 0; i < r->n_acct; i++) {
		free(r->acct[i].host);
		cfg_wipe_str(r->acct[i].secret);
	}
}

void
cfg_warn_unsupported(const struct cfg *c)
{
	for (size_t i = 0; i < c->n_ignored; i++) {
		const struct cfg_ignored *ig = &c->ignored[i];

		log_warn("%s:%d: '%s' is parsed but %s: ignored", ig->loc.file, ig->loc.line,
			 ig->what, ig->reason);
	}
}

bool
cfg_listen_same(const struct cfg *a, const struct cfg *b)
{
	if (a->n_listen != b->n_listen || a->strict_address != b->strict_address)
		return false;
	for (size_t i = 0; i < a->n_listen; i++)
		if (!addr_eq(&a->listen[i].addr, &b->listen[i].addr) ||
		    a->listen[i].port != b->listen[i].port || a->listen[i].natt != b->listen[i].natt)
			return false;
	return true;
}

const struct cfg_remote *
cfg_remote_find(const struct cfg *c, const char *name)
{
	for (size_t i = 0; i < c->n_remotes; i++)
		if (strcmp(c->remotes[i].name, name) == 0)
			return &c->remotes[i];
	return NULL;
}
