/*
 * setkey policy statements: spdadd, spdupdate, spddelete, spdflush,
 * spddump, with the selector ranges, the upper-layer spec and the "-P"
 * policy of ipsec_set_policy(3), including Linux's priority extension.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "tools/setkey_lex.h"

/* PF_KEY priority bases of ipsec-tools on Linux (lower value = matched first). */
#define PRIO_HIGH 0x40000000LL
#define PRIO_DEF 0x80000000LL
#define PRIO_LOW 0xC0000000LL
#define MANUAL_REQID_MAX (IPSEC_REQID_AUTO_MIN - 1) /* "unique:N" range of ipsec-tools */

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct {
	const char *name;
	uint8_t proto;
} upper_names[] = {
    {"any", IPSEC_ULP_ANY},
    {"icmp", 1},
    {"ip4", 4},
    {"ipip", 4},
    {"tcp", 6},
    {"udp", 17},
    {"gre", 47},
    {"esp", 50},
    {"ah", 51},
    {"icmp6", 58},
    {"ipv6-icmp", 58},
    {"ipcomp", 108},
    {"sctp", 132},
    {"udplite", 136},
};

static bool
has_ports(uint8_t proto)
{
	return proto == 6 || proto == 17 || proto == 132 || proto == 136 || proto == IPSEC_ULP_ANY;
}

static int
parse_range(struct setkey_parser *p, int family, struct prefix *out, uint16_t *port)
{
	return setkey_parse_addrport(p, family, true, out, port);
}

/* "icmp6 135,0": ICMP type and code ride in the selector's port fields. */
static int
parse_icmp_spec(struct setkey_parser *p, struct ipsec_selector *sel)
{
	char buf[SETKEY_TOK_MAX + 1];
	char *comma;
	unsigned long long type, code = 0;

	snprintf(buf, sizeof(buf), "%s", p->tok.text);
	comma = strchr(buf, ',');
	if (comma)
		*comma = '\0';
	if (!setkey_number(buf, 255, &type) || (comma && !setkey_number(comma + 1, 255, &code)))
		return setkey_error(p, &p->tok, "expected an ICMP type[,code] (0-255), got '%s'",
		                    p->tok.text);
	sel->sport = (uint16_t)type;
	sel->dport = (uint16_t)code;
	return setkey_lex_next(p);
}

static int
parse_upper(struct setkey_parser *p, struct ipsec_selector *sel)
{
	struct setkey_tok ut = p->tok;
	unsigned long long v;
	size_t i;
	int r;

	for (i = 0; i < N(upper_names); i++)
		if (setkey_is(p, upper_names[i].name))
			break;
	if (i < N(upper_names))
		sel->proto = upper_names[i].proto;
	else if (p->tok.type == SK_WORD && setkey_number(p->tok.text, 255, &v))
		sel->proto = (uint8_t)v;
	else
		return setkey_expected(p, "an upper-layer protocol (any, icmp, icmp6, tcp, udp, "
		                          "... or a number)");
	if ((sel->sport || sel->dport) && !has_ports(sel->proto))
		return setkey_error(p, &ut,
		                    "a port was given but upper-layer protocol '%s' has "
		                    "no ports",
		                    ut.text);
	if ((r = setkey_lex_next(p)) < 0)
		return r;
	if (p->tok.type != SK_WORD || p->tok.text[0] < '0' || p->tok.text[0] > '9')
		return 0;
	if (sel->proto == 1 || sel->proto == 58)
		return parse_icmp_spec(p, sel);
	return setkey_error(p, &p->tok,
	                    "'%s' after upper-layer protocol '%s' is not supported "
	                    "(only icmp and icmp6 take a type,code)",
	                    p->tok.text, ut.text);
}

/* "prio N", "prio -N", "prio low|def|high [+|- N]", as Linux ipsec-tools. */
static int
parse_priority(struct setkey_parser *p, struct ipsec_policy *pol)
{
	struct setkey_tok at;
	long long base = PRIO_DEF, sign = 1, v;
	unsigned long long off = 0;
	int r;

	if ((r = setkey_lex_next(p)) < 0)
		return r;
	at = p->tok;
	if (setkey_is(p, "low") || setkey_is(p, "def") || setkey_is(p, "high")) {
		base = p->tok.text[0] == 'l'   ? PRIO_LOW
		       : p->tok.text[0] == 'd' ? PRIO_DEF
		                               : PRIO_HIGH;
		if ((r = setkey_lex_next(p)) < 0)
			return r;
		if (!setkey_is(p, "+") && !setkey_is(p, "-"))
			goto done;
	}
	if (setkey_is(p, "+") || setkey_is(p, "-")) {
		/* after a base the sign moves away from it; alone, "-" lowers the priority */
		sign = p->tok.text[0] == '+' ? 1 : -1;
		if ((r = setkey_lex_next(p)) < 0)
			return r;
	} else if (p->tok.type == SK_WORD && p->tok.text[0] == '-') {
		sign = -1;
		memmove(p->tok.text, p->tok.text + 1, p->tok.len--);
	}
	if (p->tok.type != SK_WORD || !setkey_number(p->tok.text, UINT32_MAX, &off))
		return setkey_expected(p, "a priority (N, low, def or high [+|- N])");
	if ((r = setkey_lex_next(p)) < 0)
		return r;
done:
	/* a higher setkey priority is a lower value, matched first */
	v = base - sign * (long long)off;
	if (v < 0 || v > (long long)UINT32_MAX)
		return setkey_error(p, &at, "priority out of range");
	pol->priority = (uint32_t)v;
	return 0;
}

static int
parse_endpoints(struct setkey_parser *p, char *s, struct ipsec_request *req)
{
	char *dash = strchr(s, '-');

	if (strchr(s, '['))
		return setkey_error(p, &p->tok, "ports in tunnel endpoints are not supported");
	if (!dash)
		return setkey_error(p, &p->tok, "expected SRC-DST tunnel endpoints, got '%s'", s);
	*dash = '\0';
	if (addr_parse(s, &req->src) < 0 || addr_parse(dash + 1, &req->dst) < 0)
		return setkey_error(p, &p->tok,
		                    "expected numeric tunnel endpoints SRC-DST in "
		                    "'%s'",
		                    p->tok.text);
	if (req->src.family != req->dst.family)
		return setkey_error(p, &p->tok, "tunnel endpoints of different address families");
	return 0;
}

static int
parse_level(struct setkey_parser *p, const char *s, struct ipsec_request *req)
{
	unsigned long long v;

	if (!*s || strcmp(s, "default") == 0)
		req->level = IPSEC_LEVEL_DEFAULT;
	else if (strcmp(s, "use") == 0)
		req->level = IPSEC_LEVEL_USE;
	else if (strcmp(s, "require") == 0)
		req->level = IPSEC_LEVEL_REQUIRE;
	else if (strcmp(s, "unique") == 0)
		req->level = IPSEC_LEVEL_UNIQUE;
	else if (strncmp(s, "unique:", 7) == 0 && setkey_number(s + 7, MANUAL_REQID_MAX, &v) && v) {
		req->level = IPSEC_LEVEL_UNIQUE;
		req->reqid = (uint32_t)v;
	} else {
		return setkey_error(p, &p->tok,
		                    "expected a level (default, use, require, unique "
		                    "or unique:1-%d), got '%s'",
		                    MANUAL_REQID_MAX, s);
	}
	return 0;
}

/* One bundle element: protocol/mode/src-dst/level. */
static int
parse_request(struct setkey_parser *p, struct ipsec_request *req)
{
	char buf[SETKEY_TOK_MAX + 1];
	char *part[4] = {buf, NULL, NULL, NULL}, *s;
	int n = 1, r;

	snprintf(buf, sizeof(buf), "%s", p->tok.text);
	for (s = buf; (s = strchr(s, '/')) != NULL; *s++ = '\0') {
		if (n == 4)
			return setkey_error(p, &p->tok, "too many '/' in '%s'", p->tok.text);
		part[n++] = s + 1;
	}
	memset(req, 0, sizeof(*req));
	if (strcmp(part[0], "esp") == 0)
		req->proto = IPSEC_PROTO_ESP;
	else if (strcmp(part[0], "ah") == 0)
		req->proto = IPSEC_PROTO_AH;
	else if (strcmp(part[0], "ipcomp") == 0)
		req->proto = IPSEC_PROTO_IPCOMP;
	else
		return setkey_expected(p, "a request protocol/mode/src-dst/level (esp, ah or "
		                          "ipcomp)");
	if (!part[1] || (strcmp(part[1], "transport") != 0 && strcmp(part[1], "tunnel") != 0))
		return setkey_error(p, &p->tok, "expected transport or tunnel after '%s/' in '%s'",
		                    part[0], p->tok.text);
	req->mode = part[1][1] == 'r' ? IPSEC_MODE_TRANSPORT : IPSEC_MODE_TUNNEL;
	if (part[2] && *part[2] && (r = parse_endpoints(p, part[2], req)) < 0)
		return r;
	if (req->mode == IPSEC_MODE_TUNNEL && !req->src.family)
		return setkey_error(p, &p->tok,
		                    "tunnel mode needs endpoints: %s/tunnel/SRC-DST/"
		                    "level",
		                    part[0]);
	if ((r = parse_level(p, part[3] ? part[3] : "", req)) < 0)
		return r;
	return setkey_lex_next(p);
}

static int
parse_action(struct setkey_parser *p, struct ipsec_policy *pol)
{
	if (setkey_is(p, "discard"))
		pol->action = IPSEC_ACTION_DISCARD;
	else if (setkey_is(p, "none"))
		pol->action = IPSEC_ACTION_NONE;
	else if (setkey_is(p, "ipsec"))
		pol->action = IPSEC_ACTION_IPSEC;
	else if (setkey_is(p, "bypass") || setkey_is(p, "entrust"))
		return setkey_error(p, &p->tok,
		                    "'%s' is for per-socket policies, not supported "
		                    "(use none)",
		                    p->tok.text);
	else
		return setkey_expected(p, "an action (discard, none or ipsec)");
	return setkey_lex_next(p);
}

/* "-P dir [priority] action [requests...]"; spddelete may stop after the direction. */
static int
parse_policy(struct setkey_parser *p, struct ipsec_policy *pol, bool del)
{
	int r;

	if (!setkey_is(p, "-P"))
		return setkey_expected(p, "-P");
	if ((r = setkey_lex_next(p)) < 0)
		return r;
	if (setkey_is(p, "in"))
		pol->dir = IPSEC_DIR_IN;
	else if (setkey_is(p, "out"))
		pol->dir = IPSEC_DIR_OUT;
	else if (setkey_is(p, "fwd"))
		pol->dir = IPSEC_DIR_FWD;
	else
		return setkey_expected(p, "a direction (in, out or fwd)");
	pol->priority = PRIO_DEF;
	if ((r = setkey_lex_next(p)) < 0)
		return r;
	if (del && p->tok.type == SK_SEMI)
		return 0;
	if ((setkey_is(p, "prio") || setkey_is(p, "priority")) && (r = parse_priority(p, pol)) < 0)
		return r;
	if ((r = parse_action(p, pol)) < 0)
		return r;
	while (pol->action == IPSEC_ACTION_IPSEC && p->tok.type == SK_WORD) {
		if (pol->nreq == IPSEC_BUNDLE_MAX)
			return setkey_error(p, &p->tok,
			                    "too many requests in the bundle (at most "
			                    "%d)",
			                    IPSEC_BUNDLE_MAX);
		if ((r = parse_request(p, &pol->req[pol->nreq])) < 0)
			return r;
		pol->nreq++;
	}
	if (pol->action == IPSEC_ACTION_IPSEC && pol->nreq == 0 && !del)
		return setkey_expected(p, "a request protocol/mode/src-dst/level after ipsec");
	return 0;
}

int
setkey_parse_spd(struct setkey_parser *p, struct setkey_cmd *c)
{
	struct ipsec_selector *sel = &c->pol.sel;
	struct setkey_tok dt;
	int family = 0, r;
	const char *s = p->tok.text;

	if (c->op == SETKEY_SPDFLUSH || c->op == SETKEY_SPDDUMP)
		goto end;
	if (p->tok.type == SK_WORD && s[0] == '-' && s[1] &&
	    strspn(s + 1, "46n") == strlen(s + 1)) {
		family = strchr(s, '4') && !strchr(s, '6')   ? AF_INET
		         : strchr(s, '6') && !strchr(s, '4') ? AF_INET6
		                                             : 0;
		if ((r = setkey_lex_next(p)) < 0)
			return r;
	}
	if (setkey_is(p, "tagged"))
		return setkey_error(p, &p->tok, "tagged policies (PF tags) are not supported");
	if ((r = parse_range(p, family, &sel->src, &sel->sport)) < 0)
		return r;
	dt = p->tok;
	if ((r = parse_range(p, family, &sel->dst, &sel->dport)) < 0)
		return r;
	if (sel->src.addr.family != sel->dst.addr.family)
		return setkey_error(p, &dt, "source and destination address families differ");
	if ((r = parse_upper(p, sel)) < 0)
		return r;
	if (setkey_is(p, "-ctx"))
		return setkey_error(p, &p->tok, "-ctx (security labels) is not supported by coati");
	if ((r = parse_policy(p, &c->pol, c->op == SETKEY_SPDDELETE)) < 0)
		return r;
end:
	if (p->tok.type != SK_SEMI)
		return setkey_expected(p, "';'");
	return setkey_lex_next(p);
}
