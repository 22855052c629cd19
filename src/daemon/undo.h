/*
 * SAD/SPD changes made through the backend, each recording how to undo it,
 * so that a batch (a setkey file) applies whole or not at all.
 */
#ifndef COATI_DAEMON_UNDO_H
#define COATI_DAEMON_UNDO_H

#include <stdbool.h>
#include <stddef.h>

#include "daemon/daemon.h"
#include "ipsec/ipsec.h"
#include "lib/secmem.h"

struct admin_sa_info;

enum undo_kind {
	UNDO_SA_DELETE,  /* an SA was added */
	UNDO_SA_RESTORE, /* an SA was removed: add it back with counters and sequence */
	UNDO_SA_REVERT,  /* an SA was updated: put the old parameters back */
	UNDO_SP_DELETE,
	UNDO_SP_RESTORE,
	UNDO_SP_REVERT,
};

struct undo_op {
	enum undo_kind kind;
	struct ipsec_sa sa;
	struct ipsec_counters ctr;
	uint64_t seq_out;
	struct ipsec_policy pol;
};

struct undo {
	struct undo_op *ops;
	size_t n, cap;
	bool changed_manual; /* the state store must be written */
	bool changed_spd;    /* inbound enforcement must be brought in line */
};

static inline void
sa_wipe_keys(struct ipsec_sa *sa)
{
	secmem_wipe(&sa->enc_key, sizeof(sa->enc_key));
	secmem_wipe(&sa->auth_key, sizeof(sa->auth_key));
}

void undo_init(struct undo *u);
/* Replay the log backwards. */
void undo_rollback(struct daemon *d, struct undo *u);
/* Free the log, wiping the keys it holds. */
void undo_free(struct undo *u);

/* The changes themselves (u may be NULL: no undo wanted). 0 or -errno. */
int daemon_sa_add(struct daemon *d, const struct ipsec_sa *sa, struct undo *u);
int daemon_sa_update(struct daemon *d, const struct ipsec_sa *sa, struct undo *u);
int daemon_sa_remove(struct daemon *d, struct sad_entry *e, struct undo *u);
int daemon_sp_add(struct daemon *d, const struct ipsec_policy *pol, bool update, struct undo *u);
int daemon_sp_delete(struct daemon *d, const struct ipsec_selector *sel, uint8_t dir,
		     struct undo *u);
int daemon_sp_flush(struct daemon *d, struct undo *u);
/* Delete a policy only if IKE made it (generate_policy). 0 or -ENOENT. */
int daemon_sp_delete_generated(struct daemon *d, const struct ipsec_selector *sel, uint8_t dir);
/* Fill a dump record for e. */
void daemon_sa_info(const struct sad_entry *e, struct admin_sa_info *out);

#endif
