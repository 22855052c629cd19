/* Internal to src/config: the recursive-descent parser's state and shared helpers. */
#ifndef COATI_CONFIG_PARSE_INT_H
#define COATI_CONFIG_PARSE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/conf.h"
#include "config/lex.h"

/* A keyword and the enum value it selects; tables end with a NULL name. */
struct kw {
	const char *name;
	int val;
};

extern const struct kw kw_enc[], kw_hash[], kw_auth[], kw_comp[], kw_ameth[], kw_dh[];
extern const struct kw kw_idtype[], kw_xmode[], kw_propcheck[], kw_tri[], kw_ulproto[];

struct parser {
	struct cfg *cfg;
	struct lexer *lx;
	struct token tok;
	const char *file; /* interned in cfg->files */
	struct cfg_error *err;
	unsigned flags;
	int depth;
	size_t stmt_start; /* source offset of the statement being parsed */
	size_t prev_end;   /* end of the token before tok */
	int prev_line, prev_col;
};

/* Look s up in t; true and *out set if found. */
bool kw_lookup(const struct kw *t, const char *s, int *out);
/* Keyword of value v in t, or "?". */
const char *kw_name(const struct kw *t, int v);

/* Record an error at the current token; always returns -EINVAL. */
int parse_error(struct parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Record an error at line:col. */
int parse_error_at(struct parser *p, int line, int col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Move to the next token. */
int parse_next(struct parser *p);
/* Mark the current token as the start of a statement (for "expected ';' after ..."). */
void parse_stmt_begin(struct parser *p);
/* True if the current token is the word kw. */
bool parse_is(const struct parser *p, const char *kw);
/* Consume ';' ending the current statement. */
int parse_semi(struct parser *p);
/* Consume '{' opening section. */
int parse_open(struct parser *p, const char *section);
/* Consume a quoted string into a new heap copy. */
int parse_string(struct parser *p, const char *after, char **out);
/* Consume a decimal or 0x number <= max. */
int parse_uint(struct parser *p, const char *after, uint64_t max, uint64_t *out);
int parse_u32(struct parser *p, const char *after, uint32_t *out);
/* Consume on|off. */
int parse_switch(struct parser *p, const char *after, bool *out);
/* Consume "number timeunit" / "number byteunit". */
int parse_time(struct parser *p, const char *after, uint32_t *out);
int parse_bytes(struct parser *p, const char *after, uint64_t *out);
/* Consume a numeric IPv4/IPv6 address. */
int parse_addr(struct parser *p, const char *after, struct addr *out);
/* Consume an optional [port]; def if absent. */
int parse_port_opt(struct parser *p, uint16_t def, uint16_t *out);
/* Consume a keyword of table t; what names the expected class in the error. */
int parse_kw(struct parser *p, const struct kw *t, const char *what, int *out);
/* "lifetime time N unit;" or "lifetime byte N unit;" (after 'lifetime'). */
int parse_lifetime(struct parser *p, uint32_t *sec, uint64_t *bytes);
/* A DH group by name (modp1024) or number (2). */
int parse_dh(struct parser *p, const char *after, enum cfg_dh *out);
/* idtype [tag|file] [value]: an identity. allow_qual permits the keyid qualifier. */
int parse_ident(struct parser *p, bool allow_qual, struct cfg_ident *out);
/* Append a zeroed element to a growing array; NULL (error recorded) past max. */
void *parse_push(struct parser *p, void *arrp, size_t *n, size_t size, size_t max,
		 const char *what);
struct cfg_loc parse_loc(const struct parser *p);
/* Remember a directive the daemon does not act on yet (reason: a static string). */
#define CFG_NO_IKE "IKE is not built yet"
int parse_ignored(struct parser *p, const char *what, const char *reason, struct cfg_loc loc);
/* Check an encryption key length for alg (racoon's check_keylen). */
int parse_keylen(struct parser *p, enum cfg_enc alg, uint64_t bits, int line, int col);

int parse_remote(struct parser *p);
int parse_sainfo(struct parser *p);
int parse_modecfg(struct parser *p);
int parse_ldapcfg(struct parser *p);
int parse_radiuscfg(struct parser *p);
/* include "pattern"; at the top level. */
int parse_include(struct parser *p);
/* Parse src as one file of the configuration (the top level or an include). */
int parse_file(struct parser *p, const char *name, const char *src, size_t len);
/* Loop over the statements of a { } section until its '}', calling stmt for each. */
int parse_section(struct parser *p, const char *section, int (*stmt)(struct parser *, void *),
		  void *arg);

void cfg_ident_clear(struct cfg_ident *id);
int cfg_ident_copy(struct cfg_ident *dst, const struct cfg_ident *src);
void cfg_remote_clear(struct cfg_remote *r);
void cfg_sainfo_clear(struct cfg_sainfo *s);
void cfg_modecfg_clear(struct cfg_modecfg *m);
void cfg_ldap_clear(struct cfg_ldap *l);
void cfg_radius_clear(struct cfg_radius *r);

#endif
