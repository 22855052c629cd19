/*
 * racoon.conf tokenizer. Unlike racoon's flex scanner it has no start conditions: keywords
 * are plain words and the parser gives them meaning, so every section shares one lexer.
 */
#ifndef COATI_CONFIG_LEX_H
#define COATI_CONFIG_LEX_H

#include <stdbool.h>
#include <stddef.h>

enum tok_type {
	TOK_EOF,
	TOK_WORD,   /* keyword, number, address, address range: any run of word characters */
	TOK_STRING, /* "quoted", quotes removed; may span lines as in racoon */
	TOK_LBRACE,
	TOK_RBRACE,
	TOK_SEMI,
	TOK_COMMA,
	TOK_PREFIX, /* /len; text holds the digits */
	TOK_PORT,   /* [port] or [any]; text holds what was inside */
};

struct token {
	enum tok_type type;
	const char *text; /* NUL-terminated; valid until the next lex_next() */
	size_t len;
	int line, col;
	size_t start;     /* byte offset in the source */
};

struct lexer {
	const char *file;
	const char *src;
	size_t len, pos;
	int line, col;
	int end_line, end_col; /* just past the last token returned */
	size_t end_pos;
	char *text;
	size_t text_cap;
	char errmsg[128];
};

/* Set up lx over src[0..len) (not copied; must outlive lx). */
void lex_init(struct lexer *lx, const char *file, const char *src, size_t len);
/* Read the next token into tok. Returns 0, -EINVAL with lx->errmsg and tok's position set
 * on a lexical error, or -ENOMEM. */
int lex_next(struct lexer *lx, struct token *tok);
/* Release the token text buffer. */
void lex_free(struct lexer *lx);
/* Name of a token type for messages ("';'", "a string", ...). */
const char *lex_tok_name(enum tok_type t);

#endif
