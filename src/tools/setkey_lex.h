/* Tokens of the setkey language, shared by the statement parsers (private to tools/). */
#ifndef COATI_TOOLS_SETKEY_LEX_H
#define COATI_TOOLS_SETKEY_LEX_H

#include <stdbool.h>
#include <stddef.h>

#include "tools/setkey_parse.h"

enum setkey_tok_type {
	SK_WORD,   /* a run of anything but blanks, ';', '"' and '#' */
	SK_STRING, /* "double-quoted", quotes stripped */
	SK_SEMI,
	SK_EOF,
};

#define SETKEY_TOK_MAX 255

struct setkey_tok {
	enum setkey_tok_type type;
	unsigned line, col;
	size_t len;
	char text[SETKEY_TOK_MAX + 1]; /* NUL-terminated copy */
};

struct setkey_parser {
	const char *src;
	size_t len, off;
	unsigned line, col;
	struct setkey_tok tok; /* current token */
	struct setkey_diag *diag;
};

/* Start at the first token. 0 or -EINVAL (lexical error recorded in diag). */
int setkey_lex_init(struct setkey_parser *p, const char *src, size_t len, struct setkey_diag *diag);
/* Move to the next token. 0 or -EINVAL. */
int setkey_lex_next(struct setkey_parser *p);
/* Record an error at token t (first error wins); returns -EINVAL. */
int setkey_error(struct setkey_parser *p, const struct setkey_tok *t, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Record "expected WHAT, got 'X'" at the current token; returns -EINVAL. */
int setkey_expected(struct setkey_parser *p, const char *what);
void setkey_warn(struct setkey_parser *p, const struct setkey_tok *t, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Is the current token the word w? */
bool setkey_is(const struct setkey_parser *p, const char *w);
/* Consume the current token if it is the word w. */
int setkey_accept(struct setkey_parser *p, const char *w, bool *ret_found);
/* Parse a decimal or 0x-hex number up to max. */
bool setkey_number(const char *s, unsigned long long max, unsigned long long *out);
/*
 * "addr", optionally "[port]" or "[any]"; with range also "addr/len" (host
 * bits cleared). Checks the family when non-zero and advances past the token.
 */
int setkey_parse_addrport(struct setkey_parser *p, int family, bool range, struct prefix *out,
			  uint16_t *port);

/* Is w a statement keyword (add, spdadd, ...)? Used to spot a missing ';'. */
bool setkey_is_statement(const char *w);

/* Statement parsers of setkey_spd.c; p is at the first token after the keyword. */
int setkey_parse_spd(struct setkey_parser *p, struct setkey_cmd *c);

#endif
