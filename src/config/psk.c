/* psk.txt reader (racoon localconf.c getpsk format), read through lib/safefile. */
#include "config/psk.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "lib/hex.h"
#include "lib/log.h"
#include "lib/safefile.h"
#include "lib/secmem.h"

struct psk_entry {
	char *id;
	uint8_t *key;
	size_t key_len;
};

struct psk_db {
	struct psk_entry *v;
	size_t n;
};

void
psk_free(struct psk_db *db)
{
	if (!db)
		return;
	for (size_t i = 0; i < db->n; i++) {
		free(db->v[i].id);
		secmem_wipe(db->v[i].key, db->v[i].key_len);
		free(db->v[i].key);
	}
	free(db->v);
	free(db);
}

size_t
psk_count(const struct psk_db *db)
{
	return db->n;
}

int
psk_find(const struct psk_db *db, const char *id, const uint8_t **key, size_t *len)
{
	for (size_t i = 0; i < db->n; i++) {
		if (strcmp(db->v[i].id, id) == 0) {
			*key = db->v[i].key;
			*len = db->v[i].key_len;
			return 0;
		}
	}
	return -ENOENT;
}

static bool
psk_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

/* Key text k[0..n): "0x" + hex digits (odd count gets a leading 0, as racoon), or raw bytes. */
static int
psk_decode_key(const char *k, size_t n, struct psk_entry *e)
{
	bool hex = n > 2 && k[0] == '0' && (k[1] == 'x' || k[1] == 'X');
	size_t cap = hex ? (n - 2 + 1) / 2 : n;
	char *digits = NULL;
	int rc;

	if (cap > PSK_KEY_MAX)
		return -EOVERFLOW;
	if (!(e->key = malloc(cap ? cap : 1)))
		return -ENOMEM;
	e->key_len = cap;
	if (!hex) {
		memcpy(e->key, k, n);
		return 0;
	}
	/* Odd digit counts are left-padded with '0', as racoon's hex reader does. */
	if (!(digits = malloc(cap * 2)))
		return -ENOMEM;
	digits[0] = '0';
	memcpy(digits + (cap * 2 - (n - 2)), k + 2, n - 2);
	rc = hex_decode(digits, cap * 2, e->key, cap);
	secmem_wipe(digits, cap * 2);
	free(digits);
	return rc < 0 ? -EINVAL : 0;
}

/* One non-comment line: identifier, blanks, key (the rest, trailing blanks trimmed). */
static int
psk_parse_line(struct psk_db *db, const char *name, int lineno, const char *s, size_t n)
{
	size_t i = 0, id_end, k;
	struct psk_entry e = {0}, *v;
	int rc;

	while (i < n && !psk_blank(s[i]))
		i++;
	id_end = i;
	while (i < n && psk_blank(s[i]))
		i++;
	k = i;
	while (n > k && psk_blank(s[n - 1]))
		n--;
	if (k >= n) {
		log_warn("%s:%d: identifier without a key: ignored", name, lineno);
		return 0;
	}
	if (!(e.id = strndup(s, id_end)))
		return -ENOMEM;
	rc = psk_decode_key(s + k, n - k, &e);
	if (rc == 0 && !(v = realloc(db->v, (db->n + 1) * sizeof(*v))))
		rc = -ENOMEM;
	if (rc < 0) {
		if (rc != -ENOMEM)
			log_err("%s:%d: %s", name, lineno, rc == -EOVERFLOW ? "key is too long" :
							   "key starting with 0x is not valid hex");
		free(e.id);
		secmem_wipe(e.key, e.key_len);
		free(e.key);
		return rc == -ENOMEM ? rc : -EINVAL;
	}
	db->v = v;
	db->v[db->n++] = e;
	return 0;
}

int
psk_parse_buf(const char *name, const char *text, size_t len, struct psk_db **out)
{
	struct psk_db *db = calloc(1, sizeof(*db));
	size_t pos = 0;
	int lineno = 0, rc = 0;

	*out = NULL;
	if (!db)
		return -ENOMEM;
	while (pos < len && rc == 0) {
		const char *line = text + pos, *nl = memchr(line, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - line) : len - pos, i = 0;

		pos += n + (nl != NULL);
		lineno++;
		if (memchr(line, '\0', n)) {
			log_err("%s:%d: NUL byte in file", name, lineno);
			rc = -EINVAL;
			break;
		}
		while (i < n && psk_blank(line[i]))
			i++;
		if (i == n || line[i] == '#')
			continue;
		rc = psk_parse_line(db, name, lineno, line + i, n - i);
	}
	if (rc < 0) {
		psk_free(db);
		return rc;
	}
	*out = db;
	return 0;
}

int
psk_parse_string(const char *name, const char *text, struct psk_db **out)
{
	return psk_parse_buf(name, text, strlen(text), out);
}

int
psk_load(const char *path, struct psk_db **out)
{
	size_t n = 0;
	char *buf = NULL;
	int rc;

	*out = NULL;
	if ((rc = safefile_read(path, PSK_FILE_MAX, &buf, &n)) < 0)
		return rc;
	rc = psk_parse_buf(path, buf, n, out);
	secmem_wipe(buf, n);
	free(buf);
	return rc;
}
