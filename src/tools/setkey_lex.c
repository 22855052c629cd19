/* Tokenizer and diagnostics of the setkey language. */
#include "tools/setkey_lex.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
note_vset(struct setkey_note *n, unsigned line, unsigned col, const char *fmt, va_list ap)
{
	n->line = line;
	n->col = col;
	vsnprintf(n->msg, sizeof(n->msg), fmt, ap);
}

int
setkey_error(struct setkey_parser *p, const struct setkey_tok *t, const char *fmt, ...)
{
	va_list ap;

	if (p->diag->failed)
		return -EINVAL;
	p->diag->failed = true;
	va_start(ap, fmt);
	note_vset(&p->diag->error, t->line, t->col, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

void
setkey_warn(struct setkey_parser *p, const struct setkey_tok *t, const char *fmt, ...)
{
	va_list ap;
	struct setkey_diag *d = p->diag;

	if (d->nwarn < SETKEY_WARN_MAX) {
		va_start(ap, fmt);
		note_vset(&d->warn[d->nwarn], t->line, t->col, fmt, ap);
		va_end(ap);
	}
	d->nwarn++;
}

int
setkey_expected(struct setkey_parser *p, const char *what)
{
	const struct setkey_tok *t = &p->tok;

	switch (t->type) {
	case SK_EOF:
		return setkey_error(p, t, "expected %s, got end of input", what);
	case SK_SEMI:
		return setkey_error(p, t, "expected %s, got ';'", what);
	case SK_STRING:
		return setkey_error(p, t, "expected %s, got a quoted string", what);
	case SK_WORD:
		break;
	}
	if (setkey_is_statement(t->text))
		return setkey_error(p, t, "expected %s, got '%s' (missing ';'?)", what, t->text);
	return setkey_error(p, t, "expected %s, got '%s'", what, t->text);
}

/* Skip blanks, newlines and '#' comments, keeping line and column. */
static void
lex_skip(struct setkey_parser *p)
{
	while (p->off < p->len) {
		char c = p->src[p->off];

		if (c == '#') {
			while (p->off < p->len && p->src[p->off] != '\n')
				p->off++;
			continue;
		}
		if (c != ' ' && c != '\t' && c != '\r' && c != '\n' && c != '\f' && c != '\v')
			return;
		p->off++;
		if (c == '\n') {
			p->line++;
			p->col = 1;
		} else {
			p->col++;
		}
	}
}

static bool
lex_is_word_char(char c)
{
	return c != ' ' && c != '\t' && c != '\r' && c != '\n' && c != '\f' && c != '\v' &&
	       c != ';' && c != '"' && c != '#' && c != '\0';
}

/* A quoted string may span lines (ipsec-tools allows it); no escapes. */
static int
lex_string(struct setkey_parser *p)
{
	struct setkey_tok *t = &p->tok;
	size_t start = ++p->off;

	p->col++;
	while (p->off < p->len && p->src[p->off] != '"') {
		if (p->src[p->off] == '\n') {
			p->line++;
			p->col = 0;
		}
		p->off++;
		p->col++;
	}
	if (p->off >= p->len)
		return setkey_error(p, t, "unterminated string");
	t->len = p->off - start;
	if (t->len > SETKEY_TOK_MAX)
		return setkey_error(p, t, "string longer than %d bytes", SETKEY_TOK_MAX);
	memcpy(t->text, p->src + start, t->len);
	t->text[t->len] = '\0';
	t->type = SK_STRING;
	p->off++;
	p->col++;
	return 0;
}

int
setkey_lex_next(struct setkey_parser *p)
{
	struct setkey_tok *t = &p->tok;
	size_t start;

	lex_skip(p);
	t->line = p->line;
	t->col = p->col;
	t->text[0] = '\0';
	t->len = 0;
	if (p->off >= p->len) {
		t->type = SK_EOF;
		return 0;
	}
	if (p->src[p->off] == ';') {
		t->type = SK_SEMI;
		p->off++;
		p->col++;
		return 0;
	}
	if (p->src[p->off] == '"')
		return lex_string(p);
	if (p->src[p->off] == '\0')
		return setkey_error(p, t, "NUL byte in input");
	start = p->off;
	while (p->off < p->len && lex_is_word_char(p->src[p->off]))
		p->off++;
	t->len = p->off - start;
	p->col += (unsigned)t->len;
	if (t->len > SETKEY_TOK_MAX)
		return setkey_error(p, t, "word longer than %d characters", SETKEY_TOK_MAX);
	memcpy(t->text, p->src + start, t->len);
	t->text[t->len] = '\0';
	t->type = SK_WORD;
	return 0;
}

int
setkey_lex_init(struct setkey_parser *p, const char *src, size_t len, struct setkey_diag *diag)
{
	memset(p, 0, sizeof(*p));
	p->src = src;
	p->len = len;
	p->line = 1;
	p->col = 1;
	p->diag = diag;
	return setkey_lex_next(p);
}

bool
setkey_is(const struct setkey_parser *p, const char *w)
{
	return p->tok.type == SK_WORD && strcmp(p->tok.text, w) == 0;
}

int
setkey_accept(struct setkey_parser *p, const char *w, bool *ret_found)
{
	*ret_found = setkey_is(p, w);
	return *ret_found ? setkey_lex_next(p) : 0;
}

bool
setkey_number(const char *s, unsigned long long max, unsigned long long *out)
{
	unsigned long long v;
	char *end;
	int base = 10;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	/* strtoull would accept blanks, signs and an empty string: refuse them first */
	if (!((*s >= '0' && *s <= '9') || (base == 16 && strchr("abcdefABCDEF", *s) && *s)))
		return false;
	errno = 0;
	v = strtoull(s, &end, base);
	if (errno || *end || v > max)
		return false;
	*out = v;
	return true;
}

int
setkey_parse_addrport(struct setkey_parser *p, int family, bool range, struct prefix *out,
		      uint16_t *port)
{
	char buf[SETKEY_TOK_MAX + 1];
	char *br;
	unsigned long long v = 0;
	int bad;

	if (p->tok.type != SK_WORD)
		return setkey_expected(p, range ? "an address range (addr[/prefixlen][[port]])"
						: "an address");
	snprintf(buf, sizeof(buf), "%s", p->tok.text);
	br = strchr(buf, '[');
	if (br) {
		size_t n = strlen(br);

		if (n < 3 || br[n - 1] != ']')
			return setkey_error(p, &p->tok, "expected address[port], got '%s'",
					    p->tok.text);
		br[n - 1] = '\0';
		if (strcmp(br + 1, "any") != 0 && !setkey_number(br + 1, UINT16_MAX, &v))
			return setkey_error(p, &p->tok, "bad port '%s'", br + 1);
		*br = '\0';
	}
	if (range) {
		bad = prefix_parse(buf, out) < 0;
	} else {
		bad = addr_parse(buf, &out->addr) < 0;
		out->len = addr_bits(&out->addr);
	}
	if (bad)
		return setkey_error(p, &p->tok,
				    range ? "expected a numeric address or prefix, got '%s' "
					    "(host names are not resolved)"
					  : "expected a numeric IPv4 or IPv6 address, got '%s' "
					    "(host names are not resolved)",
				    buf);
	if (family && out->addr.family != family)
		return setkey_error(p, &p->tok, "'%s' is not an IPv%c address", buf,
				    family == AF_INET ? '4' : '6');
	if (range)
		prefix_mask(out);
	*port = (uint16_t)v;
	return setkey_lex_next(p);
}
