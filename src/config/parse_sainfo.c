/* sainfo sections: phase 2 (IPsec SA) parameters per pair of IDs. */
#include "config/parse_int.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
cfg_sainfo_clear(struct cfg_sainfo *s)
{
	free(s->local.name);
	free(s->remote.name);
	cfg_ident_clear(&s->from);
	free(s->group);
	free(s->enc);
	free(s->auth);
	free(s->comp);
	memset(s, 0, sizeof(*s));
}

/* "a.b.c.d-e.f.g.h" is racoon's ADDRSTRING ADDRRANGE pair, lexed here as one word. */
static int
said_address(struct parser *p, struct cfg_said *id)
{
	const char *dash = strchr(p->tok.text, '-');
	char first[ADDR_STRLEN];
	int rc;

	if (dash) {
		size_t n = (size_t)(dash - p->tok.text);

		if (n < sizeof(first)) {
			memcpy(first, p->tok.text, n);
			first[n] = '\0';
		}
		if (n >= sizeof(first) || addr_parse(first, &id->prefix.addr) < 0 ||
		    addr_parse(dash + 1, &id->range_end) < 0 ||
		    id->prefix.addr.family != id->range_end.family)
			return parse_error(p, "'%s' is not an address range", p->tok.text);
		id->kind = CFG_SAID_RANGE;
		id->prefix.len = addr_bits(&id->prefix.addr);
		return parse_next(p);
	}
	if ((rc = parse_addr(p, cfg_id_type_name(id->type), &id->prefix.addr)) < 0)
		return rc;
	id->kind = CFG_SAID_PREFIX;
	id->prefix.len = addr_bits(&id->prefix.addr);
	if (p->tok.type == TOK_PREFIX) {
		unsigned long len = strtoul(p->tok.text, NULL, 10);

		if (p->tok.len > 3 || len > id->prefix.len)
			return parse_error(p, "invalid prefix length /%s", p->tok.text);
		id->prefix.len = (uint8_t)len;
		return parse_next(p);
	}
	return 0;
}

/* idtype address[/len | -address] [port] ul_proto, or idtype "string". */
static int
said_parse(struct parser *p, struct cfg_said *id)
{
	int t, rc, line, col;

	if ((rc = parse_kw(p, kw_idtype, "an identifier type, 'anonymous' or 'clientaddr'", &t)) < 0)
		return rc;
	id->type = (enum cfg_id_type)t;
	if (p->tok.type == TOK_STRING) {
		if (id->type == CFG_ID_ASN1DN || id->type == CFG_ID_ADDRESS ||
		    id->type == CFG_ID_SUBNET)
			return parse_error(p, "identifier type '%s' takes no string in sainfo",
					   cfg_id_type_name(id->type));
		id->kind = CFG_SAID_NAME;
		if (!(id->name = strdup(p->tok.text)))
			return -ENOMEM;
		return parse_next(p);
	}
	if (id->type != CFG_ID_ADDRESS && id->type != CFG_ID_SUBNET)
		return parse_error(p, "expected a quoted string after '%s'",
				   cfg_id_type_name(id->type));
	if (p->tok.type != TOK_WORD)
		return parse_error(p, "expected an address after '%s'", cfg_id_type_name(id->type));
	if ((rc = said_address(p, id)) < 0)
		return rc;
	if (p->tok.type == TOK_PORT && strcmp(p->tok.text, "any") == 0)
		rc = parse_next(p);
	else
		rc = parse_port_opt(p, CFG_PORT_ANY, &id->port);
	if (rc < 0)
		return rc;
	line = p->tok.line;
	col = p->tok.col;
	if (p->tok.type == TOK_WORD && p->tok.text[0] >= '0' && p->tok.text[0] <= '9') {
		uint64_t n;

		if ((rc = parse_uint(p, "address", 255, &n)) < 0)
			return rc;
		id->proto = (uint8_t)n;
	} else {
		if ((rc = parse_kw(p, kw_ulproto, "an upper-layer protocol (any, tcp, udp, icmp, "
				   "...)", &t)) < 0)
			return rc;
		id->proto = (uint8_t)t;
	}
	/* racoon's checks: ICMP has no ports, and each ICMP matches one family. */
	if ((id->proto == 1 || id->proto == 58) && id->port != CFG_PORT_ANY)
		return parse_error_at(p, line, col, "port number must be \"any\" for ICMP");
	if ((id->proto == 1 && id->prefix.addr.family == AF_INET6) ||
	    (id->proto == 58 && id->prefix.addr.family == AF_INET))
		return parse_error_at(p, line, col, "upper layer protocol mismatched");
	return 0;
}

static int
sainfo_header(struct parser *p, struct cfg_sainfo *s)
{
	int rc;

	if (parse_is(p, "anonymous")) {
		s->local.kind = CFG_SAID_ANONYMOUS;
		if ((rc = parse_next(p)) < 0)
			return rc;
		if (parse_is(p, "clientaddr")) {
			s->remote.kind = CFG_SAID_CLIENTADDR;
			return parse_next(p);
		}
		if (p->tok.type != TOK_WORD || parse_is(p, "from") || parse_is(p, "group")) {
			s->remote.kind = CFG_SAID_ANONYMOUS;
			return 0;
		}
		return said_parse(p, &s->remote);
	}
	if ((rc = said_parse(p, &s->local)) < 0)
		return rc;
	if (parse_is(p, "anonymous") || parse_is(p, "clientaddr")) {
		s->remote.kind = parse_is(p, "anonymous") ? CFG_SAID_ANONYMOUS : CFG_SAID_CLIENTADDR;
		return parse_next(p);
	}
	return said_parse(p, &s->remote);
}

/* [from idtype [value]] [group "name"] */
static int
sainfo_params(struct parser *p, struct cfg_sainfo *s)
{
	int rc;

	while (parse_is(p, "from") || parse_is(p, "group")) {
		bool from = parse_is(p, "from");

		if ((rc = parse_next(p)) < 0)
			return rc;
		if (from) {
			if ((rc = parse_ident(p, false, &s->from)) < 0)
				return rc;
			s->has_from = true;
		} else if ((rc = parse_string(p, "group", &s->group)) < 0) {
			return rc;
		}
	}
	return 0;
}

static int
sainfo_algs(struct parser *p, struct cfg_sainfo *s, const char *kw)
{
	const struct kw *table = kw[0] == 'e' ? kw_enc : kw[0] == 'a' ? kw_auth : kw_comp;
	struct cfg_alg **list = kw[0] == 'e' ? &s->enc : kw[0] == 'a' ? &s->auth : &s->comp;
	size_t *n = kw[0] == 'e' ? &s->n_enc : kw[0] == 'a' ? &s->n_auth : &s->n_comp;
	const char *what = kw[0] == 'e' ? "an encryption algorithm" :
			   kw[0] == 'a' ? "an authentication algorithm" : "a compression algorithm";
	int rc, v;

	do {
		struct cfg_alg *a;

		if (*n && (rc = parse_next(p)) < 0) /* the ',' */
			return rc;
		if (!(a = parse_push(p, list, n, sizeof(*a), 64, "algorithms")))
			return -EINVAL;
		if ((rc = parse_kw(p, table, what, &v)) < 0)
			return rc;
		a->alg = v;
		if (p->tok.type == TOK_WORD && p->tok.text[0] >= '0' && p->tok.text[0] <= '9') {
			int line = p->tok.line, col = p->tok.col;
			uint64_t bits;

			if ((rc = parse_uint(p, kw, 65535, &bits)) < 0)
				return rc;
			if (table != kw_enc)
				return parse_error_at(p, line, col, "'%s' takes no key length",
						      kw_name(table, v));
			if ((rc = parse_keylen(p, (enum cfg_enc)v, bits, line, col)) < 0)
				return rc;
			a->keylen = (uint16_t)bits;
		}
	} while (p->tok.type == TOK_COMMA);
	return 0;
}

static int
sainfo_stmt(struct parser *p, void *arg)
{
	struct cfg_sainfo *s = arg;
	char kw[32];
	int line = p->tok.line, col = p->tok.col, rc;

	snprintf(kw, sizeof(kw), "%s", p->tok.text);
	if ((rc = parse_next(p)) < 0)
		return rc;
	if (strcmp(kw, "pfs_group") == 0)
		rc = parse_dh(p, kw, &s->pfs_group);
	else if (strcmp(kw, "remoteid") == 0)
		rc = parse_u32(p, kw, &s->remoteid);
	else if (strcmp(kw, "lifetime") == 0)
		rc = parse_lifetime(p, &s->lifetime_sec, &s->lifetime_bytes);
	else if (strcmp(kw, "encryption_algorithm") == 0 ||
		 strcmp(kw, "authentication_algorithm") == 0 ||
		 strcmp(kw, "compression_algorithm") == 0)
		rc = sainfo_algs(p, s, kw);
	else
		return parse_error_at(p, line, col, "unknown directive '%s' in sainfo section", kw);
	return rc < 0 ? rc : parse_semi(p);
}

static bool
said_eq(const struct cfg_said *a, const struct cfg_said *b)
{
	if (a->kind != b->kind || a->type != b->type)
		return false;
	if (a->kind == CFG_SAID_NAME)
		return strcmp(a->name, b->name) == 0;
	return addr_eq(&a->prefix.addr, &b->prefix.addr) && a->prefix.len == b->prefix.len &&
	       addr_eq(&a->range_end, &b->range_end) && a->port == b->port &&
	       a->proto == b->proto;
}

/* racoon refuses a second sainfo for the same IDs unless one side is anonymous. */
static bool
sainfo_dup(const struct cfg *c, const struct cfg_sainfo *s)
{
	for (size_t i = 0; i < c->n_sainfos; i++) {
		const struct cfg_sainfo *o = &c->sainfos[i];

		if (s->local.kind == CFG_SAID_ANONYMOUS || o->local.kind == CFG_SAID_ANONYMOUS)
			continue;
		if (said_eq(&s->local, &o->local) && said_eq(&s->remote, &o->remote) &&
		    s->remoteid == o->remoteid && s->has_from == o->has_from &&
		    (!s->has_from || (s->from.type == o->from.type &&
				      !strcmp(s->from.value ? s->from.value : "",
					      o->from.value ? o->from.value : ""))))
			return true;
	}
	return false;
}

int
parse_sainfo(struct parser *p)
{
	struct cfg_sainfo s = {.loc = parse_loc(p)}, *slot;
	int line = p->tok.line, col = p->tok.col, rc;

	if ((rc = parse_next(p)) < 0 || (rc = sainfo_header(p, &s)) < 0 ||
	    (rc = sainfo_params(p, &s)) < 0 || (rc = parse_section(p, "sainfo", sainfo_stmt, &s)) < 0)
		goto out;
	rc = -EINVAL;
	/* As racoon's cfparse.y: all three algorithm classes are mandatory. */
	if (!s.n_enc || !s.n_auth || !s.n_comp) {
		parse_error_at(p, line, col, "sainfo has no %s",
			       !s.n_enc ? "encryption_algorithm" : !s.n_auth ?
			       "authentication_algorithm" : "compression_algorithm");
		goto out;
	}
	if (sainfo_dup(p->cfg, &s)) {
		parse_error_at(p, line, col, "duplicated sainfo");
		goto out;
	}
	slot = parse_push(p, &p->cfg->sainfos, &p->cfg->n_sainfos, sizeof(*slot), 65536,
			  "sainfo sections");
	if (!slot)
		goto out;
	*slot = s;
	return 0;
out:
	cfg_sainfo_clear(&s);
	return rc;
}
