/*
 * The root-only state store: manually keyed SAs and policies written to disk
 * so that they survive a coatid restart or kill -9, as a kernel SAD survives
 * racoon. SAs carry a sequence-number reservation so that a restarted SA
 * never sends a sequence number twice (RFC 4303 3.3.3).
 */
#ifndef COATI_IPSEC_STORE_H
#define COATI_IPSEC_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "ipsec/sad.h"
#include "ipsec/spd.h"

/* Sequence numbers reserved ahead of seq_out at each save. */
#define STORE_SEQ_AHEAD (UINT64_C(1) << 20)
/* Largest state file store_load accepts. */
#define STORE_FILE_MAX (64u << 20)

struct store;

/*
 * Open (creating it 0700 if missing) the store directory dir. Returns 0, or
 * -EPERM (logged) if dir is a symlink, not ours or group/other accessible,
 * or another negative errno.
 */
int store_open(const char *dir, struct store **out);
/*
 * Re-add every stored SA and policy; each SA resumes at its stored
 * reservation. The file is checked completely (on a scratch SAD/SPD) first,
 * so a bad one adds nothing. 0 if there is no file; -EBADMSG malformed,
 * -EPERM unsafe, or sad_add/spd_add's error for a clash with entries
 * already present (the records before the clash stay added).
 */
int store_load(struct store *st, struct sad *sad, struct spd *spd, uint64_t now);
/*
 * Atomically replace the file with every MANUAL SA and policy; on success
 * each saved SA's seq_reserved holds the reservation written. 0 or -errno.
 */
int store_save(struct store *st, struct sad *sad, struct spd *spd);
/* True if e is a MANUAL SA that has used more than half its reservation. */
bool store_needs_save(const struct sad_entry *e);
/* Close the store; NULL is fine. */
void store_close(struct store *st);

#endif
