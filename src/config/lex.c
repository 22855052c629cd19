/* racoon.conf tokenizer: words, quoted strings, punctuation, /prefix, [port], # comments. */
#include "config/lex.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
lex_init(struct lexer *lx, const char *file, const char *src, size_t len)
{
	memset(lx, 0, sizeof(*lx));
	lx->file = file;
	lx->src = src;
	lx->len = len;
	lx->line = 1;
	lx->col = 1;
	lx->end_line = 1;
	lx->end_col = 1;
}

void
lex_free(struct lexer *lx)
{
	free(lx->text);
	lx->text = NULL;
	lx->text_cap = 0;
}

const char *
lex_tok_name(enum tok_type t)
{
	switch (t) {
	case TOK_EOF: return "end of file";
	case TOK_WORD: return "a word";
	case TOK_STRING: return "a quoted string";
	case TOK_LBRACE: return "'{'";
	case TOK_RBRACE: return "'}'";
	case TOK_SEMI: return "';'";
	case TOK_COMMA: return "','";
	case TOK_PREFIX: return "a /prefix";
	case TOK_PORT: return "a [port]";
	}
	return "?";
}

/* Punctuation and comment starters end a word; everything else printable belongs to it. */
static bool
lex_is_word_char(unsigned char c)
{
	if (c <= ' ' || c >= 0x7f)
		return false;
	return !strchr("{};,\"#[]/", c);
}

static void
lex_advance(struct lexer *lx)
{
	if (lx->src[lx->pos] == '\n') {
		lx->line++;
		lx->col = 1;
	} else {
		lx->col++;
	}
	lx->pos++;
}

static int
lex_error(struct lexer *lx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int
lex_error(struct lexer *lx, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(lx->errmsg, sizeof(lx->errmsg), fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* Copy src[from..to) as the token text. */
static int
lex_set_text(struct lexer *lx, struct token *tok, size_t from, size_t to)
{
	size_t n = to - from;

	if (n + 1 > lx->text_cap) {
		size_t cap = n + 64;
		char *p = realloc(lx->text, cap);

		if (!p)
			return -ENOMEM;
		lx->text = p;
		lx->text_cap = cap;
	}
	memcpy(lx->text, lx->src + from, n);
	lx->text[n] = '\0';
	tok->text = lx->text;
	tok->len = n;
	return 0;
}

/* Skip blanks and # comments (racoon: '#' to the end of the line, anywhere). */
static void
lex_skip_space(struct lexer *lx)
{
	while (lx->pos < lx->len) {
		char c = lx->src[lx->pos];

		if (c == '#') {
			while (lx->pos < lx->len && lx->src[lx->pos] != '\n')
				lex_advance(lx);
		} else if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
			   c == '\v') {
			lex_advance(lx);
		} else {
			break;
		}
	}
}

static int
lex_string(struct lexer *lx, struct token *tok)
{
	size_t from;

	lex_advance(lx);
	from = lx->pos;
	while (lx->pos < lx->len && lx->src[lx->pos] != '"') {
		if (lx->src[lx->pos] == '\0')
			return lex_error(lx, "NUL byte inside a quoted string");
		lex_advance(lx);
	}
	if (lx->pos >= lx->len)
		return lex_error(lx, "unterminated quoted string");
	tok->type = TOK_STRING;
	if (lex_set_text(lx, tok, from, lx->pos) < 0)
		return -ENOMEM;
	lex_advance(lx);
	return 0;
}

/* [digits] or [any], no blanks inside, as racoon's {blcl}{decstring}{elcl}. */
static int
lex_port(struct lexer *lx, struct token *tok)
{
	size_t from;

	lex_advance(lx);
	from = lx->pos;
	while (lx->pos < lx->len && lex_is_word_char((unsigned char)lx->src[lx->pos]))
		lex_advance(lx);
	if (lx->pos >= lx->len || lx->src[lx->pos] != ']' || lx->pos == from)
		return lex_error(lx, "expected '[port]' or '[any]'");
	tok->type = TOK_PORT;
	if (lex_set_text(lx, tok, from, lx->pos) < 0)
		return -ENOMEM;
	lex_advance(lx);
	return 0;
}

static int
lex_prefix(struct lexer *lx, struct token *tok)
{
	size_t from;

	lex_advance(lx);
	from = lx->pos;
	while (lx->pos < lx->len && lx->src[lx->pos] >= '0' && lx->src[lx->pos] <= '9')
		lex_advance(lx);
	if (lx->pos == from)
		return lex_error(lx, "expected a prefix length after '/'");
	tok->type = TOK_PREFIX;
	return lex_set_text(lx, tok, from, lx->pos);
}

static int
lex_punct(struct lexer *lx, struct token *tok, char c)
{
	static const struct {
		char c;
		enum tok_type t;
	} punct[] = {
		{'{', TOK_LBRACE}, {'}', TOK_RBRACE}, {';', TOK_SEMI}, {',', TOK_COMMA},
	};

	for (size_t i = 0; i < sizeof(punct) / sizeof(punct[0]); i++) {
		if (punct[i].c == c) {
			tok->type = punct[i].t;
			lex_advance(lx);
			return 0;
		}
	}
	if (c == '\0')
		return lex_error(lx, "NUL byte in configuration");
	if ((unsigned char)c >= 0x20 && (unsigned char)c < 0x7f)
		return lex_error(lx, "unexpected character '%c'", c);
	return lex_error(lx, "unexpected byte 0x%02x", (unsigned char)c);
}

int
lex_next(struct lexer *lx, struct token *tok)
{
	int rc;
	char c;

	lex_skip_space(lx);
	memset(tok, 0, sizeof(*tok));
	tok->line = lx->line;
	tok->col = lx->col;
	tok->start = lx->pos;
	tok->text = "";
	if (lx->pos >= lx->len) {
		tok->type = TOK_EOF;
		return 0;
	}
	c = lx->src[lx->pos];
	if (c == '"') {
		rc = lex_string(lx, tok);
	} else if (c == '[') {
		rc = lex_port(lx, tok);
	} else if (c == '/') {
		rc = lex_prefix(lx, tok);
	} else if (lex_is_word_char((unsigned char)c)) {
		size_t from = lx->pos;

		while (lx->pos < lx->len && lex_is_word_char((unsigned char)lx->src[lx->pos]))
			lex_advance(lx);
		tok->type = TOK_WORD;
		rc = lex_set_text(lx, tok, from, lx->pos);
	} else {
		rc = lex_punct(lx, tok, c);
	}
	if (rc == 0) {
		lx->end_line = lx->line;
		lx->end_col = lx->col;
		lx->end_pos = lx->pos;
	}
	return rc;
}
