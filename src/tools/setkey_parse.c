/*
 * setkey statements: the driver and the SA commands (add, update, get,
 * delete, deleteall, flush, dump). Policy commands are in setkey_spd.c.
 * The grammar is ipsec-tools 0.8's parse.y, written as recursive descent
 * so that every error can name its line, column and what was expected.
 */
#include "tools/setkey_parse.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/hex.h"
#include "lib/secmem.h"
#include "tools/setkey_lex.h"

#define NATT_PORT 4500 /* RFC 3948 default when esp-udp gives no port */

/* What one add/update statement has seen, for the checks at its end. */
struct sa_opts {
	struct setkey_tok proto_tok, e_tok, a_tok, c_tok, ls_tok, bs_tok;
	bool has_e, has_a, has_c, natt;
	uint16_t sport, dport;
};

static const struct {
	const char *name;
	enum setkey_op op;
} statements[] = {
    {"add", SETKEY_ADD},
    {"update", SETKEY_UPDATE},
    {"get", SETKEY_GET},
    {"delete", SETKEY_DELETE},
    {"deleteall", SETKEY_DELETEALL},
    {"flush", SETKEY_FLUSH},
    {"dump", SETKEY_DUMP},
    {"spdadd", SETKEY_SPDADD},
    {"spdupdate", SETKEY_SPDUPDATE},
    {"spddelete", SETKEY_SPDDELETE},
    {"spdflush", SETKEY_SPDFLUSH},
    {"spddump", SETKEY_SPDDUMP},
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

const char *
setkey_op_name(enum setkey_op op)
{
	for (size_t i = 0; i < N(statements); i++)
		if (statements[i].op == op)
			return statements[i].name;
	return "?";
}

bool
setkey_is_statement(const char *w)
{
	for (size_t i = 0; i < N(statements); i++)
		if (strcmp(statements[i].name, w) == 0)
			return true;
	return false;
}

bool
setkey_op_is_query(enum setkey_op op)
{
	return op == SETKEY_GET || op == SETKEY_DUMP || op == SETKEY_SPDDUMP;
}

void
setkey_script_free(struct setkey_script *s)
{
	if (!s)
		return;
	secmem_wipe(s->cmds, s->cap * sizeof(*s->cmds));
	free(s->cmds);
	memset(s, 0, sizeof(*s));
}

/* "addr" or "addr[port]" / "addr[any]", as ipsec-tools' ipandport. */
static int
parse_sa_addr(struct setkey_parser *p, int family, struct addr *out, uint16_t *port)
{
	struct prefix pfx;
	int err = setkey_parse_addrport(p, family, false, &pfx, port);

	if (err == 0)
		*out = pfx.addr;
	return err;
}

/* "-4", "-6", "-n" and combinations: address family restriction. */
static int
parse_af_flags(struct setkey_parser *p, int *family)
{
	const char *s = p->tok.text;

	*family = 0;
	if (p->tok.type != SK_WORD || s[0] != '-' || !s[1] || strspn(s + 1, "46n") != strlen(s + 1))
		return 0;
	if (strchr(s, '4') && strchr(s, '6'))
		*family = 0;
	else if (strchr(s, '4'))
		*family = AF_INET;
	else if (strchr(s, '6'))
		*family = AF_INET6;
	return setkey_lex_next(p);
}

static int
parse_proto(struct setkey_parser *p, struct setkey_cmd *c, struct sa_opts *o)
{
	const char *s = p->tok.text;

	o->proto_tok = p->tok;
	if (setkey_is(p, "esp") || setkey_is(p, "esp-udp")) {
		c->sa.proto = IPSEC_PROTO_ESP;
		o->natt = strcmp(s, "esp-udp") == 0;
	} else if (setkey_is(p, "ah")) {
		c->sa.proto = IPSEC_PROTO_AH;
	} else if (setkey_is(p, "ipcomp")) {
		c->sa.proto = IPSEC_PROTO_IPCOMP;
	} else if (setkey_is(p, "esp-old") || setkey_is(p, "ah-old")) {
		return setkey_error(p, &p->tok, "%s (RFC 182x) is not supported, use %.*s", s,
		                    (int)(strlen(s) - 4), s);
	} else if (setkey_is(p, "tcp")) {
		return setkey_error(p, &p->tok,
		                    "tcp (TCP-MD5 signatures, RFC 2385) is not supported by coati");
	} else {
		return setkey_expected(p, "a protocol (esp, esp-udp, ah or ipcomp)");
	}
	return setkey_lex_next(p);
}

static int
parse_spi(struct setkey_parser *p, struct setkey_cmd *c, bool strict)
{
	unsigned long long v;

	if (p->tok.type != SK_WORD || !setkey_number(p->tok.text, UINT32_MAX, &v))
		return setkey_expected(p, "an SPI (decimal or 0x hex, 32 bits)");
	if (strict && c->sa.proto == IPSEC_PROTO_IPCOMP && (v == 0 || v > UINT16_MAX))
		return setkey_error(p, &p->tok, "IPComp CPI must be 1 to 65535, got %llu", v);
	if (strict && c->sa.proto != IPSEC_PROTO_IPCOMP && v < 256)
		return setkey_error(p, &p->tok, "SPI %llu is reserved (RFC 4303: use 256 or more)",
		                    v);
	c->sa.spi = (uint32_t)v;
	return setkey_lex_next(p);
}

/* Key: 0x hex digits or a "quoted string" taken byte for byte. */
static int
parse_key(struct setkey_parser *p, struct ipsec_key *key)
{
	const struct setkey_tok *t = &p->tok;
	int n;

	if (t->type == SK_STRING) {
		if (t->len > IPSEC_KEY_MAX)
			return setkey_error(p, t, "key longer than %d bytes", IPSEC_KEY_MAX);
		memcpy(key->bytes, t->text, t->len);
		key->len = (uint8_t)t->len;
	} else if (t->type == SK_WORD && t->text[0] == '0' &&
	           (t->text[1] == 'x' || t->text[1] == 'X')) {
		n = hex_decode(t->text + 2, t->len - 2, key->bytes, IPSEC_KEY_MAX);
		if (n == -ENOSPC)
			return setkey_error(p, t, "key longer than %d bytes", IPSEC_KEY_MAX);
		if (n < 0 || t->len == 2)
			return setkey_error(p, t,
			                    "bad hex key (need an even number of hex digits)");
		key->len = (uint8_t)n;
	} else {
		return setkey_expected(p, "a key (0x hex digits or a \"quoted string\")");
	}
	secmem_wipe(p->tok.text, sizeof(p->tok.text));
	return setkey_lex_next(p);
}

/* "16, 24 or 32" for the error message of a wrong key length. */
static void
key_lengths(bool (*ok)(int, size_t), int alg, char *buf, size_t cap)
{
	size_t lens[IPSEC_KEY_MAX + 1], n = 0, off = 0;

	for (size_t l = 0; l <= IPSEC_KEY_MAX; l++)
		if (ok(alg, l))
			lens[n++] = l;
	buf[0] = '\0';
	for (size_t i = 0; i < n && off < cap; i++)
		off += (size_t)snprintf(buf + off, cap - off, "%s%zu",
		                        i == 0       ? ""
		                        : i + 1 == n ? " or "
		                                     : ", ",
		                        lens[i]);
}

static bool
enc_ok(int alg, size_t len)
{
	return ipsec_enc_key_ok((enum ipsec_enc)alg, len);
}

static bool
auth_ok(int alg, size_t len)
{
	return ipsec_auth_key_ok((enum ipsec_auth)alg, len);
}

/* Names known to ipsec-tools for the same transforms. */
static const char *
alg_alias(const char *name)
{
	static const char *const map[][2] = {
	    {"hmac-sha2-256", "hmac-sha256"},
	    {"hmac-sha2-384", "hmac-sha384"},
	    {"hmac-sha2-512", "hmac-sha512"},
	    {"rijndael-cbc", "aes-cbc"},
	};

	for (size_t i = 0; i < N(map); i++)
		if (strcmp(name, map[i][0]) == 0)
			return map[i][1];
	return name;
}

static void
alg_names(const char *(*name)(int), int count, char *buf, size_t cap)
{
	size_t off = 0;

	buf[0] = '\0';
	for (int i = 1; i < count && off < cap; i++)
		off += (size_t)snprintf(buf + off, cap - off, "%s%s", i > 1 ? ", " : "", name(i));
}

static const char *
enc_name(int i)
{
	return ipsec_enc_name((enum ipsec_enc)i);
}

static const char *
auth_name(int i)
{
	return ipsec_auth_name((enum ipsec_auth)i);
}

/* Is the current token a key rather than the next option or ';'? */
static bool
at_key(const struct setkey_parser *p)
{
	return p->tok.type == SK_STRING ||
	       (p->tok.type == SK_WORD && p->tok.text[0] == '0' && p->tok.text[1] == 'x');
}

/* The key of an algorithm, optional for "null"; checks its length. */
static int
parse_alg_key(struct setkey_parser *p, bool is_null, bool (*ok)(int, size_t), int alg,
              const char *name, struct ipsec_key *key)
{
	struct setkey_tok kt = p->tok;
	char lens[64];
	int r;

	secmem_wipe(kt.text, sizeof(kt.text)); /* only its position is needed */
	if (is_null && !at_key(p))
		return 0;
	if ((r = parse_key(p, key)) < 0)
		return r;
	if (ok(alg, key->len))
		return 0;
	if (is_null)
		return setkey_error(p, &kt, "%s takes no key, got %u bytes", name, key->len);
	key_lengths(ok, alg, lens, sizeof(lens));
	return setkey_error(p, &kt, "%s needs a key of %s bytes, got %u", name, lens, key->len);
}

static int
parse_enc(struct setkey_parser *p, struct setkey_cmd *c, struct sa_opts *o)
{
	enum ipsec_enc enc;
	char known[160];
	int r;

	o->e_tok = p->tok;
	if (o->has_e)
		return setkey_error(p, &p->tok, "-E given twice");
	o->has_e = true;
	if ((r = setkey_lex_next(p)) < 0)
		return r;
	if (p->tok.type != SK_WORD || ipsec_enc_from_name(alg_alias(p->tok.text), &enc) < 0) {
		alg_names(enc_name, IPSEC_ENC__COUNT, known, sizeof(known));
		if (p->tok.type != SK_WORD)
			return setkey_expected(p, "an encryption algorithm");
		return setkey_error(p, &p->tok, "unknown encryption algorithm '%s' (known: %s)",
		                    p->tok.text, known);
	}
	c->sa.enc = (uint8_t)enc;
	if ((r = setkey_lex_next(p)) < 0)
		return r;
	return parse_alg_key(p, enc == IPSEC_ENC_NULL, enc_ok, enc, ipsec_enc_name(enc),
	                     &c->sa.enc_key);
}

static int
parse_auth(struct setkey_parser *p, struct setkey_cmd *c, struct sa_opts *o)
{
	enum ipsec_auth auth;
	char known[160];
	int r;

	o->a_tok = p->tok;
	if (o->has_a)
		return setkey_error(p, &p->tok, "-A given twice");
	o->has_a = true;
	if ((r = setkey_lex_next(p)) < 0)
		return r;
	if (p->tok.type != SK_WORD || ipsec_auth_from_name(alg_alias(p->tok.text), &auth) < 0) {
		alg_names(auth_name, IPSEC_AUTH__COUNT, known, sizeof(known));
		if (p->tok.type != SK_WORD)
			return setkey_expected(p, "an authentication algorithm");
		return setkey_error(p, &p->tok, "unknown authentication algorithm '%s' (known: %s)",
		                    p->tok.text, known);
	}
	c->sa.auth = (uint8_t)auth;
	if ((r = setkey_lex_next(p)) < 0)
		return r;
	return parse_alg_key(p, auth == IPSEC_AUTH_NULL, auth_ok, auth, ipsec_auth_name(auth),
	                     &c->sa.auth_key);
}

static int
parse_comp(struct setkey_parser *p, struct setkey_cmd *c, struct sa_opts *o)
{
	enum ipsec_comp comp;
	int r;

	o->c_tok = p->tok;
	if (o->has_c)
		return setkey_error(p, &p->tok, "-C given twice");
	o->has_c = true;
	if ((r = setkey_lex_next(p)) < 0)
		return r;
	if (p->tok.type != SK_WORD || ipsec_comp_from_name(p->tok.text, &comp) < 0)
		return setkey_expected(p, "a compression algorithm (deflate)");
	c->sa.comp = (uint8_t)comp;
	return setkey_lex_next(p);
}

/* The numeric argument of -r, -u, -lh, -ls, -bh, -bs. */
static int
option_number(struct setkey_parser *p, const char *opt, unsigned long long max, uint64_t *out)
{
	unsigned long long v;
	char what[64];
	int r;

	if ((r = setkey_lex_next(p)) < 0)
		return r;
	if (p->tok.type != SK_WORD || !setkey_number(p->tok.text, UINT64_MAX, &v)) {
		snprintf(what, sizeof(what), "a number after %s", opt);
		return setkey_expected(p, what);
	}
	if (v > max)
		return setkey_error(p, &p->tok, "%s %llu exceeds the maximum of %llu", opt, v, max);
	*out = v;
	return setkey_lex_next(p);
}

static int
parse_mode(struct setkey_parser *p, struct setkey_cmd *c)
{
	int r;

	if ((r = setkey_lex_next(p)) < 0)
		return r;
	if (setkey_is(p, "transport"))
		c->sa.mode = IPSEC_MODE_TRANSPORT;
	else if (setkey_is(p, "tunnel"))
		c->sa.mode = IPSEC_MODE_TUNNEL;
	else if (setkey_is(p, "any"))
		c->sa.mode = IPSEC_MODE_ANY;
	else
		return setkey_expected(p, "a mode (transport, tunnel or any) after -m");
	return setkey_lex_next(p);
}

/* -f: padding styles are accepted for compatibility; coati always pads per RFC 4303. */
static int
parse_pad(struct setkey_parser *p)
{
	int r;

	if ((r = setkey_lex_next(p)) < 0)
		return r;
	if (setkey_is(p, "zero-pad") || setkey_is(p, "random-pad") || setkey_is(p, "seq-pad"))
		setkey_warn(p, &p->tok, "-f %s is ignored: coati pads as RFC 4303 says",
		            p->tok.text);
	else if (!setkey_is(p, "nocyclic-seq"))
		return setkey_expected(p, "zero-pad, random-pad, seq-pad or nocyclic-seq after -f");
	return setkey_lex_next(p);
}

static int
parse_sa_option(struct setkey_parser *p, struct setkey_cmd *c, struct sa_opts *o)
{
	const char *s = p->tok.text;
	uint64_t v;
	int r;

	if (strcmp(s, "-E") == 0)
		return parse_enc(p, c, o);
	if (strcmp(s, "-A") == 0)
		return parse_auth(p, c, o);
	if (strcmp(s, "-C") == 0)
		return parse_comp(p, c, o);
	if (strcmp(s, "-m") == 0)
		return parse_mode(p, c);
	if (strcmp(s, "-f") == 0)
		return parse_pad(p);
	if (strcmp(s, "-R") == 0 || strcmp(s, "-esn") == 0) {
		/* -R: the SPI is the CPI on the wire, which is how coati always uses it */
		if (s[1] == 'e')
			c->sa.esn = true;
		return setkey_lex_next(p);
	}
	if (strcmp(s, "-r") == 0) {
		r = option_number(p, "-r", IPSEC_REPLAY_MAX, &v);
		c->sa.replay = (uint16_t)v;
	} else if (strcmp(s, "-u") == 0) {
		r = option_number(p, "-u", UINT32_MAX, &v);
		c->sa.reqid = (uint32_t)v;
	} else if (strcmp(s, "-lh") == 0) {
		r = option_number(p, "-lh", UINT64_MAX, &c->sa.hard.add_seconds);
	} else if (strcmp(s, "-ls") == 0) {
		o->ls_tok = p->tok;
		r = option_number(p, "-ls", UINT64_MAX, &c->sa.soft.add_seconds);
	} else if (strcmp(s, "-bh") == 0) {
		r = option_number(p, "-bh", UINT64_MAX, &c->sa.hard.bytes);
	} else if (strcmp(s, "-bs") == 0) {
		o->bs_tok = p->tok;
		r = option_number(p, "-bs", UINT64_MAX, &c->sa.soft.bytes);
	} else if (strcmp(s, "-ctx") == 0) {
		r = setkey_error(p, &p->tok, "-ctx (security labels) is not supported by coati");
	} else {
		r = setkey_expected(p, "an option (-m, -r, -u, -f, -lh, -ls, -bh, -bs, -esn, "
		                       "-E, -A, -C) or ';'");
	}
	return r;
}

static int
check_algorithms(struct setkey_parser *p, struct setkey_cmd *c, struct sa_opts *o)
{
	const char *proto = o->proto_tok.text;

	if (c->sa.proto == IPSEC_PROTO_ESP) {
		if (!o->has_e)
			return setkey_error(p, &o->proto_tok,
			                    "%s needs -E (use -E null for "
			                    "integrity only)",
			                    proto);
		if (o->has_c)
			return setkey_error(p, &o->c_tok, "-C is only for ipcomp");
		/* RFC 4303 3.2: ESP must give confidentiality, integrity or both */
		if (c->sa.enc == IPSEC_ENC_NULL && !o->has_a)
			return setkey_error(p, &o->e_tok,
			                    "-E null needs -A (ESP without "
			                    "encryption or integrity protects nothing)");
		if (o->has_a && ipsec_enc_is_aead(c->sa.enc))
			return setkey_error(p, &o->a_tok,
			                    "%s is an AEAD cipher: give it with -E "
			                    "alone, without -A",
			                    ipsec_enc_name(c->sa.enc));
	} else if (c->sa.proto == IPSEC_PROTO_AH) {
		if (o->has_e || o->has_c)
			return setkey_error(p, o->has_e ? &o->e_tok : &o->c_tok,
			                    "ah takes only -A");
		if (!o->has_a)
			return setkey_error(p, &o->proto_tok, "ah needs -A");
	} else {
		if (o->has_e || o->has_a)
			return setkey_error(p, o->has_e ? &o->e_tok : &o->a_tok,
			                    "ipcomp takes only -C");
		if (!o->has_c)
			return setkey_error(p, &o->proto_tok, "ipcomp needs -C");
		if (c->sa.esn)
			return setkey_error(p, &o->proto_tok, "-esn is not for ipcomp");
	}
	return 0;
}

static int
check_sa(struct setkey_parser *p, struct setkey_cmd *c, struct sa_opts *o)
{
	int r;

	if ((r = check_algorithms(p, c, o)) < 0)
		return r;
	if (c->sa.hard.add_seconds && c->sa.soft.add_seconds > c->sa.hard.add_seconds)
		return setkey_error(p, &o->ls_tok, "soft lifetime (-ls) exceeds hard (-lh)");
	if (c->sa.hard.bytes && c->sa.soft.bytes > c->sa.hard.bytes)
		return setkey_error(p, &o->bs_tok, "soft byte lifetime (-bs) exceeds hard (-bh)");
	if (o->natt) {
		c->sa.encap_sport = o->sport ? o->sport : NATT_PORT;
		c->sa.encap_dport = o->dport ? o->dport : NATT_PORT;
	} else if (o->sport || o->dport) {
		setkey_warn(p, &o->proto_tok,
		            "ports of SA addresses are ignored except with "
		            "esp-udp");
	}
	return 0;
}

/* Everything after the statement keyword of an SA command, up to and including ';'. */
static int
parse_sa_stmt(struct setkey_parser *p, struct setkey_cmd *c)
{
	struct sa_opts o;
	int family, r;
	bool full = c->op == SETKEY_ADD || c->op == SETKEY_UPDATE;

	memset(&o, 0, sizeof(o));
	if ((r = parse_af_flags(p, &family)) < 0 ||
	    (r = parse_sa_addr(p, family, &c->sa.src, &o.sport)) < 0)
		return r;
	o.proto_tok = p->tok;
	if ((r = parse_sa_addr(p, family, &c->sa.dst, &o.dport)) < 0)
		return r;
	if (c->sa.src.family != c->sa.dst.family)
		return setkey_error(p, &o.proto_tok,
		                    "source and destination address families "
		                    "differ");
	if ((r = parse_proto(p, c, &o)) < 0)
		return r;
	if (c->op == SETKEY_DELETEALL)
		goto end;
	if (o.natt && p->tok.type == SK_WORD && strpbrk(p->tok.text, ".:"))
		return setkey_error(p, &p->tok, "a NAT-OA address after esp-udp is not supported");
	if ((r = parse_spi(p, c, full)) < 0)
		return r;
	while (full && p->tok.type == SK_WORD && p->tok.text[0] == '-')
		if ((r = parse_sa_option(p, c, &o)) < 0)
			return r;
	if (full && p->tok.type == SK_SEMI && (r = check_sa(p, c, &o)) < 0)
		return r;
end:
	if (p->tok.type != SK_SEMI)
		return setkey_expected(p, full ? "an option or ';'" : "';'");
	return setkey_lex_next(p);
}

/* flush [protocol] ; and dump [protocol] ; */
static int
parse_proto_stmt(struct setkey_parser *p, struct setkey_cmd *c)
{
	struct sa_opts o;
	int r;

	if (p->tok.type == SK_WORD && !setkey_is_statement(p->tok.text) &&
	    (r = parse_proto(p, c, &o)) < 0)
		return r;
	if (p->tok.type != SK_SEMI)
		return setkey_expected(p, "';'");
	return setkey_lex_next(p);
}

static int
parse_statement(struct setkey_parser *p, struct setkey_cmd *c, bool *stop)
{
	struct setkey_tok kw = p->tok;
	size_t i;
	int r;

	if (kw.type == SK_WORD && (strcmp(kw.text, "exit") == 0 || strcmp(kw.text, "quit") == 0 ||
	                           strcmp(kw.text, "bye") == 0)) {
		*stop = true;
		return 0;
	}
	if (kw.type == SK_WORD && strcmp(kw.text, "getspi") == 0)
		return setkey_error(p, &kw,
		                    "getspi is not supported: coati has no larval SAs, "
		                    "use add with an SPI");
	for (i = 0; i < N(statements); i++)
		if (kw.type == SK_WORD && strcmp(kw.text, statements[i].name) == 0)
			break;
	if (i == N(statements))
		return setkey_expected(p, "a command (add, get, delete, deleteall, flush, dump, "
		                          "spdadd, spdupdate, spddelete, spdflush, spddump)");
	memset(c, 0, sizeof(*c));
	c->op = statements[i].op;
	c->line = kw.line;
	c->sa.origin = IPSEC_ORIGIN_MANUAL;
	c->pol.origin = IPSEC_ORIGIN_MANUAL;
	if ((r = setkey_lex_next(p)) < 0)
		return r;
	switch (c->op) {
	case SETKEY_FLUSH:
	case SETKEY_DUMP:
		return parse_proto_stmt(p, c);
	case SETKEY_SPDADD:
	case SETKEY_SPDUPDATE:
	case SETKEY_SPDDELETE:
	case SETKEY_SPDFLUSH:
	case SETKEY_SPDDUMP:
		return setkey_parse_spd(p, c);
	default:
		return parse_sa_stmt(p, c);
	}
}

static int
script_push(struct setkey_script *s, struct setkey_cmd **out)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		struct setkey_cmd *v = calloc(cap, sizeof(*v));

		if (!v)
			return -ENOMEM;
		if (s->n)
			memcpy(v, s->cmds, s->n * sizeof(*v));
		secmem_wipe(s->cmds, s->cap * sizeof(*s->cmds));
		free(s->cmds);
		s->cmds = v;
		s->cap = cap;
	}
	*out = &s->cmds[s->n];
	return 0;
}

int
setkey_parse(const char *text, size_t len, struct setkey_script *out, struct setkey_diag *diag)
{
	struct setkey_parser p;
	struct setkey_cmd *c;
	bool stop = false;
	int r;

	memset(diag, 0, sizeof(*diag));
	r = setkey_lex_init(&p, text, len, diag);
	while (r == 0 && p.tok.type != SK_EOF) {
		if ((r = script_push(out, &c)) < 0)
			break;
		if ((r = parse_statement(&p, c, &stop)) < 0 || stop)
			break;
		out->n++;
	}
	secmem_wipe(&p.tok, sizeof(p.tok));
	if (r < 0)
		setkey_script_free(out);
	return r;
}
