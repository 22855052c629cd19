/*
 * racoon's psk.txt: "identifier key" per line, '#' comments, keys in 0x... hex or as the
 * rest of the line. Keys live only in the db and are wiped when it is freed.
 */
#ifndef COATI_CONFIG_PSK_H
#define COATI_CONFIG_PSK_H

#include <stddef.h>
#include <stdint.h>

#define PSK_FILE_MAX (1u << 20)
#define PSK_KEY_MAX 4096

struct psk_db;

/* Open path with O_NOFOLLOW, check on the open fd that it is a regular file owned by the
 * effective uid with no group/other access (-EPERM, logged, otherwise), then parse it.
 * Returns 0 with *out owned by the caller, or a negative errno (-EINVAL on bad syntax). */
int psk_load(const char *path, struct psk_db **out);
/* Parse len bytes of psk.txt text; name is used in messages. Returns 0 or -EINVAL/-ENOMEM. */
int psk_parse_buf(const char *name, const char *text, size_t len, struct psk_db **out);
int psk_parse_string(const char *name, const char *text, struct psk_db **out);
/* First key for id: 0 with key and len pointing into db (valid until psk_free), or -ENOENT. */
int psk_find(const struct psk_db *db, const char *id, const uint8_t **key, size_t *len);
/* Number of entries. */
size_t psk_count(const struct psk_db *db);
/* Wipe every key and free db; NULL is fine. */
void psk_free(struct psk_db *db);

#endif
