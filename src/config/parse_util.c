/* Token-level helpers shared by the racoon.conf section parsers. */
#include "config/parse_int.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int
parse_verror(struct parser *p, int line, int col, const char *fmt, va_list ap)
{
	/* Only the first error counts: later ones are consequences of it. */
	if (p->err && p->err->msg[0] == '\0') {
		snprintf(p->err->file, sizeof(p->err->file), "%s", p->file ? p->file : "?");
		p->err->line = line;
		p->err->col = col;
		vsnprintf(p->err->msg, sizeof(p->err->msg), fmt, ap);
	}
	return -EINVAL;
}

int
parse_error_at(struct parser *p, int line, int col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	parse_verror(p, line, col, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

int
parse_error(struct parser *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	parse_verror(p, p->tok.line, p->tok.col, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

int
parse_next(struct parser *p)
{
	int rc;

	p->prev_end = p->lx->end_pos;
	p->prev_line = p->lx->end_line;
	p->prev_col = p->lx->end_col;
	rc = lex_next(p->lx, &p->tok);
	if (rc == -EINVAL)
		return parse_error(p, "%s", p->lx->errmsg);
	return rc;
}

void
parse_stmt_begin(struct parser *p)
{
	p->stmt_start = p->tok.start;
}

bool
parse_is(const struct parser *p, const char *kw)
{
	return p->tok.type == TOK_WORD && strcmp(p->tok.text, kw) == 0;
}

/* The statement so far, blanks collapsed and cut at cap, for "expected ';' after '...'". */
static void
parse_stmt_text(const struct parser *p, char *buf, size_t cap)
{
	const size_t room = cap - 4; /* "..." and the NUL always fit after room bytes */
	size_t o = 0;
	bool blank = false, cut = false;

	for (size_t i = p->stmt_start; i < p->prev_end; i++) {
		char c = p->lx->src[i];

		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			blank = true;
			continue;
		}
		if (o + 2 > room) {
			cut = true;
			break;
		}
		if (blank && o > 0)
			buf[o++] = ' ';
		blank = false;
		buf[o++] = c;
	}
	if (cut) {
		memcpy(buf + o, "...", 3);
		o += 3;
	}
	buf[o] = '\0';
}

int
parse_semi(struct parser *p)
{
	char what[64];

	if (p->tok.type != TOK_SEMI) {
		parse_stmt_text(p, what, sizeof(what));
		return parse_error_at(p, p->prev_line, p->prev_col, "expected ';' after '%s'", what);
	}
	return parse_next(p);
}

int
parse_open(struct parser *p, const char *section)
{
	if (p->tok.type != TOK_LBRACE)
		return parse_error(p, "expected '{' after '%s'", section);
	return parse_next(p);
}

int
parse_string(struct parser *p, const char *after, char **out)
{
	char *s;

	if (p->tok.type != TOK_STRING)
		return parse_error(p, "expected a quoted string after '%s'", after);
	s = strdup(p->tok.text);
	if (!s)
		return -ENOMEM;
	free(*out);
	*out = s;
	return parse_next(p);
}

int
parse_uint(struct parser *p, const char *after, uint64_t max, uint64_t *out)
{
	const char *s = p->tok.text;
	unsigned long long v;
	char *end;

	if (p->tok.type != TOK_WORD || s[0] < '0' || s[0] > '9')
		return parse_error(p, "expected a number after '%s'", after);
	errno = 0;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		/* strtoull would also take a sign or nothing at all after "0x". */
		if (!isxdigit((unsigned char)s[2]))
			return parse_error(p, "'%s' is not a number", s);
		v = strtoull(s + 2, &end, 16);
	} else {
		v = strtoull(s, &end, 10);
	}
	if (*end)
		return parse_error(p, "'%s' is not a number", s);
	if (errno == ERANGE || v > max)
		return parse_error(p, "number %s is too large (max %llu)", s,
				   (unsigned long long)max);
	*out = v;
	return parse_next(p);
}

int
parse_u32(struct parser *p, const char *after, uint32_t *out)
{
	uint64_t v;
	int rc = parse_uint(p, after, UINT32_MAX, &v);

	if (rc == 0)
		*out = (uint32_t)v;
	return rc;
}

int
parse_switch(struct parser *p, const char *after, bool *out)
{
	if (parse_is(p, "on"))
		*out = true;
	else if (parse_is(p, "off"))
		*out = false;
	else
		return parse_error(p, "expected 'on' or 'off' after '%s'", after);
	return parse_next(p);
}

static const struct kw kw_timeunit[] = {
	{"sec", 1}, {"secs", 1}, {"second", 1}, {"seconds", 1}, {"min", 60}, {"mins", 60},
	{"minute", 60}, {"minutes", 60}, {"hour", 3600}, {"hours", 3600}, {NULL, 0},
};

/* racoon's "TB" is 2^30 (cftoken.l); kept so that old files mean the same thing. */
static const struct {
	const char *name;
	uint64_t mult;
} byteunit[] = {
	{"B", 1}, {"byte", 1}, {"bytes", 1}, {"KB", 1u << 10}, {"MB", 1u << 20},
	{"GB", 1u << 30}, {"TB", 1u << 30},
};

int
parse_time(struct parser *p, const char *after, uint32_t *out)
{
	uint64_t n;
	int unit, rc;

	if ((rc = parse_uint(p, after, UINT32_MAX, &n)) < 0)
		return rc;
	if (p->tok.type != TOK_WORD || !kw_lookup(kw_timeunit, p->tok.text, &unit))
		return parse_error(p, "expected a time unit (sec, min, hour) after '%llu'",
				   (unsigned long long)n);
	if (n * (uint64_t)unit > UINT32_MAX)
		return parse_error(p, "time %llu %s is too large", (unsigned long long)n,
				   p->tok.text);
	*out = (uint32_t)(n * (uint64_t)unit);
	return parse_next(p);
}

int
parse_bytes(struct parser *p, const char *after, uint64_t *out)
{
	uint64_t n;
	int rc;

	if ((rc = parse_uint(p, after, UINT32_MAX, &n)) < 0)
		return rc;
	for (size_t i = 0; p->tok.type == TOK_WORD && i < sizeof(byteunit) / sizeof(byteunit[0]);
	     i++) {
		if (strcmp(byteunit[i].name, p->tok.text) == 0) {
			*out = n * byteunit[i].mult;
			return parse_next(p);
		}
	}
	return parse_error(p, "expected a byte unit (B, KB, MB, GB) after '%llu'",
			   (unsigned long long)n);
}

int
parse_addr(struct parser *p, const char *after, struct addr *out)
{
	if (p->tok.type != TOK_WORD)
		return parse_error(p, "expected an address after '%s'", after);
	if (addr_parse(p->tok.text, out) < 0)
		return parse_error(p, "'%s' is not an IPv4 or IPv6 address", p->tok.text);
	return parse_next(p);
}

int
parse_port_opt(struct parser *p, uint16_t def, uint16_t *out)
{
	unsigned long v;
	char *end;

	if (p->tok.type != TOK_PORT) {
		*out = def;
		return 0;
	}
	v = strtoul(p->tok.text, &end, 10);
	if (*end || p->tok.text[0] < '0' || p->tok.text[0] > '9' || v > 65535)
		return parse_error(p, "invalid port '[%s]'", p->tok.text);
	*out = (uint16_t)v;
	return parse_next(p);
}

int
parse_kw(struct parser *p, const struct kw *t, const char *what, int *out)
{
	if (p->tok.type != TOK_WORD)
		return parse_error(p, "expected %s", what);
	if (!kw_lookup(t, p->tok.text, out))
		return parse_error(p, "'%s' is not %s", p->tok.text, what);
	return parse_next(p);
}

int
parse_lifetime(struct parser *p, uint32_t *sec, uint64_t *bytes)
{
	if (parse_is(p, "time")) {
		int rc = parse_next(p);

		return rc < 0 ? rc : parse_time(p, "lifetime time", sec);
	}
	if (parse_is(p, "byte")) {
		int rc = parse_next(p);

		return rc < 0 ? rc : parse_bytes(p, "lifetime byte", bytes);
	}
	return parse_error(p, "expected 'time' or 'byte' after 'lifetime'");
}

int
parse_dh(struct parser *p, const char *after, enum cfg_dh *out)
{
	int v;
	uint64_t n;

	if (p->tok.type == TOK_WORD && kw_lookup(kw_dh, p->tok.text, &v)) {
		*out = (enum cfg_dh)v;
		return parse_next(p);
	}
	if (p->tok.type == TOK_WORD && p->tok.text[0] >= '0' && p->tok.text[0] <= '9') {
		int line = p->tok.line, col = p->tok.col, rc;

		if ((rc = parse_uint(p, after, 255, &n)) < 0)
			return rc;
		if (strcmp(kw_name(kw_dh, (int)n), "?") == 0)
			return parse_error_at(p, line, col, "%llu is not a supported DH group "
					      "(1, 2, 3, 4, 5, 14-18)", (unsigned long long)n);
		*out = (enum cfg_dh)n;
		return 0;
	}
	return parse_error(p, "expected a DH group after '%s'", after);
}

int
parse_ident(struct parser *p, bool allow_qual, struct cfg_ident *out)
{
	struct cfg_ident id = {0};
	int t, rc;

	if ((rc = parse_kw(p, kw_idtype, "an identifier type", &t)) < 0)
		return rc;
	id.type = (enum cfg_id_type)t;
	if (allow_qual && (parse_is(p, "tag") || parse_is(p, "file"))) {
		id.qual = parse_is(p, "tag") ? CFG_IDQUAL_TAG : CFG_IDQUAL_FILE;
		if ((rc = parse_next(p)) < 0)
			return rc;
	}
	if (p->tok.type == TOK_STRING || p->tok.type == TOK_WORD) {
		if (!(id.value = strdup(p->tok.text)))
			return -ENOMEM;
		if ((rc = parse_next(p)) < 0)
			goto out;
	}
	rc = -EINVAL;
	if (id.type == CFG_ID_KEYID && id.qual == CFG_IDQUAL_NONE)
		id.qual = CFG_IDQUAL_FILE;
	if (!id.value && id.type != CFG_ID_ADDRESS && id.type != CFG_ID_ASN1DN) {
		parse_error(p, "identifier type '%s' needs a value", cfg_id_type_name(id.type));
		goto out;
	}
	if (id.value && id.type == CFG_ID_ADDRESS) {
		struct addr a;

		if (addr_parse(id.value, &a) < 0) {
			parse_error_at(p, p->prev_line, p->prev_col,
				       "'%s' is not an IPv4 or IPv6 address", id.value);
			goto out;
		}
	}
	cfg_ident_clear(out);
	*out = id;
	return 0;
out:
	free(id.value);
	return rc;
}

void *
parse_push(struct parser *p, void *arrp, size_t *n, size_t size, size_t max, const char *what)
{
	void **arr = arrp;
	char *v;

	if (*n >= max) {
		parse_error(p, "too many %s (max %zu)", what, max);
		return NULL;
	}
	v = realloc(*arr, (*n + 1) * size);
	if (!v) {
		parse_error(p, "out of memory");
		return NULL;
	}
	*arr = v;
	memset(v + *n * size, 0, size);
	return v + (*n)++ * size;
}

struct cfg_loc
parse_loc(const struct parser *p)
{
	return (struct cfg_loc){.file = p->file, .line = p->tok.line};
}

int
parse_ignored(struct parser *p, const char *what, const char *reason, struct cfg_loc loc)
{
	struct cfg_ignored *ig = parse_push(p, &p->cfg->ignored, &p->cfg->n_ignored,
					    sizeof(*ig), 100000, "directives");

	if (!ig)
		return -EINVAL;
	ig->loc = loc;
	ig->reason = reason;
	if (!(ig->what = strdup(what)))
		return -ENOMEM;
	return 0;
}

/* Variable key lengths racoon accepts (algorithm.c); fixed-key ciphers take none. */
int
parse_keylen(struct parser *p, enum cfg_enc alg, uint64_t bits, int line, int col)
{
	static const struct {
		enum cfg_enc alg;
		uint16_t min, max;
		bool aes_like; /* only 128, 192, 256 */
	} var[] = {
		{CFG_ENC_BLOWFISH, 40, 448, false}, {CFG_ENC_RC5, 40, 2040, false},
		{CFG_ENC_CAST128, 40, 128, false},  {CFG_ENC_TWOFISH, 0, 256, false},
		{CFG_ENC_AES, 128, 256, true},      {CFG_ENC_CAMELLIA, 128, 256, true},
	};

	for (size_t i = 0; i < sizeof(var) / sizeof(var[0]); i++) {
		if (var[i].alg != alg)
			continue;
		if (bits % 8 || bits < var[i].min || bits > var[i].max ||
		    (var[i].aes_like && bits != 128 && bits != 192 && bits != 256))
			return parse_error_at(p, line, col,
					      "invalid key length %llu for '%s'",
					      (unsigned long long)bits, cfg_enc_name(alg));
		return 0;
	}
	return parse_error_at(p, line, col, "'%s' takes no key length", cfg_enc_name(alg));
}

int
parse_section(struct parser *p, const char *section, int (*stmt)(struct parser *, void *),
	      void *arg)
{
	int line = p->tok.line, rc;

	if ((rc = parse_open(p, section)) < 0)
		return rc;
	while (p->tok.type != TOK_RBRACE) {
		if (p->tok.type == TOK_EOF)
			return parse_error(p, "expected '}' to close '%s' opened at line %d",
					   section, line);
		if (p->tok.type != TOK_WORD)
			return parse_error(p, "expected a directive in %s section, got %s",
					   section, lex_tok_name(p->tok.type));
		parse_stmt_begin(p);
		if ((rc = stmt(p, arg)) < 0)
			return rc;
	}
	return parse_next(p);
}
