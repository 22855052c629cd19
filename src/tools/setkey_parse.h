/*
 * The setkey(8) input language (ipsec-tools 0.8 dialect): a pure parser from
 * text to a list of commands. It never talks to the daemon, so it runs under
 * cmocka and libFuzzer as it is.
 */
#ifndef COATI_TOOLS_SETKEY_PARSE_H
#define COATI_TOOLS_SETKEY_PARSE_H

#include <stdbool.h>
#include <stddef.h>

#include "ipsec/ipsec.h"

enum setkey_op {
	SETKEY_ADD,
	SETKEY_UPDATE,
	SETKEY_GET,
	SETKEY_DELETE,
	SETKEY_DELETEALL,
	SETKEY_FLUSH,
	SETKEY_DUMP,
	SETKEY_SPDADD,
	SETKEY_SPDUPDATE,
	SETKEY_SPDDELETE,
	SETKEY_SPDFLUSH,
	SETKEY_SPDDUMP,
};

/*
 * One statement. SA commands fill sa (get/delete use src, dst, proto and
 * spi; deleteall src, dst, proto; flush/dump only proto, 0 = all). Policy
 * commands fill pol (spddelete uses pol.sel and pol.dir).
 */
struct setkey_cmd {
	enum setkey_op op;
	unsigned line;
	struct ipsec_sa sa;
	struct ipsec_policy pol;
};

struct setkey_script {
	struct setkey_cmd *cmds;
	size_t n, cap;
};

#define SETKEY_MSG_MAX 200
#define SETKEY_WARN_MAX 16

struct setkey_note {
	unsigned line, col;
	char msg[SETKEY_MSG_MAX];
};

/* The first error (if any) and the warnings of one parse. */
struct setkey_diag {
	bool failed;
	struct setkey_note error;
	size_t nwarn; /* may exceed SETKEY_WARN_MAX: only the first ones are kept */
	struct setkey_note warn[SETKEY_WARN_MAX];
};

/*
 * Parse len bytes of setkey input into out (which must be zeroed or freed).
 * Everything is checked before anything is returned: 0, or -EINVAL with the
 * position and reason in diag and out left empty, or -ENOMEM.
 */
int setkey_parse(const char *text, size_t len, struct setkey_script *out, struct setkey_diag *diag);
/* Free the commands, wiping the keys they hold. NULL is fine. */
void setkey_script_free(struct setkey_script *s);
/* Statement keyword of an op ("add", "spddump", ...). */
const char *setkey_op_name(enum setkey_op op);
/* True for statements that read state (get, dump, spddump) rather than change it. */
bool setkey_op_is_query(enum setkey_op op);

#endif
