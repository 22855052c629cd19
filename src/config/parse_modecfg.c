/* mode_cfg { } (what a gateway hands to remote-access clients), ldapcfg { } and radiuscfg { }. */
#include "config/parse_int.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
free_strv(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void
cfg_modecfg_clear(struct cfg_modecfg *m)
{
	free(m->default_domain);
	free(m->split_net);
	free_strv(m->split_dns, m->n_split_dns);
	free(m->banner);
	free_strv(m->auth_groups, m->n_auth_groups);
	memset(m, 0, sizeof(*m));
}

/* dns4/wins4: comma-separated IPv4 addresses, accumulated over several lines. */
static int
modecfg_addrs(struct parser *p, const char *kw, struct addr *v, size_t *n, size_t max)
{
	int rc;

	do {
		if (p->tok.type == TOK_COMMA && (rc = parse_next(p)) < 0)
			return rc;
		if (*n >= max)
			return parse_error(p, "too many %s addresses (max %zu)", kw, max);
		if ((rc = parse_addr(p, kw, &v[*n])) < 0)
			return rc;
		if (v[(*n)++].family != AF_INET)
			return parse_error_at(p, p->prev_line, p->prev_col,
					      "%s takes IPv4 addresses", kw);
	} while (p->tok.type == TOK_COMMA);
	return 0;
}

/* split_network include|local_lan a/len, ...; */
static int
modecfg_split_net(struct parser *p, struct cfg_modecfg *m)
{
	int rc;

	if (parse_is(p, "include"))
		m->split_type = CFG_SPLIT_INCLUDE;
	else if (parse_is(p, "local_lan"))
		m->split_type = CFG_SPLIT_LOCAL_LAN;
	else
		return parse_error(p, "expected 'include' or 'local_lan' after 'split_network'");
	do {
		struct prefix *pf;
		unsigned long len;

		if ((rc = parse_next(p)) < 0)
			return rc;
		pf = parse_push(p, &m->split_net, &m->n_split_net, sizeof(*pf), 256, "networks");
		if (!pf || (rc = parse_addr(p, "split_network", &pf->addr)) < 0)
			return pf ? rc : -EINVAL;
		if (p->tok.type != TOK_PREFIX)
			return parse_error(p, "expected '/prefix' after the split_network address");
		len = strtoul(p->tok.text, NULL, 10);
		if (p->tok.len > 3 || len > addr_bits(&pf->addr))
			return parse_error(p, "invalid prefix length /%s", p->tok.text);
		pf->len = (uint8_t)len;
		if ((rc = parse_next(p)) < 0)
			return rc;
	} while (p->tok.type == TOK_COMMA);
	return 0;
}

/* split_dns / auth_groups: comma-separated quoted strings. */
static int
modecfg_strings(struct parser *p, const char *kw, char ***v, size_t *n)
{
	int rc;

	do {
		char **slot;

		if (p->tok.type == TOK_COMMA && (rc = parse_next(p)) < 0)
			return rc;
		if (!(slot = parse_push(p, v, n, sizeof(*slot), 256, kw)))
			return -EINVAL;
		if ((rc = parse_string(p, kw, slot)) < 0)
			return rc;
	} while (p->tok.type == TOK_COMMA);
	return 0;
}

static int
modecfg_source(struct parser *p, const char *kw, struct cfg_modecfg *m)
{
	static const struct kw auth[] = {{"system", CFG_AUTHSRC_SYSTEM}, {"radius", CFG_AUTHSRC_RADIUS},
					 {"pam", CFG_AUTHSRC_PAM}, {"ldap", CFG_AUTHSRC_LDAP},
					 {NULL, 0}};
	static const struct kw group[] = {{"system", CFG_GROUPSRC_SYSTEM},
					  {"ldap", CFG_GROUPSRC_LDAP}, {NULL, 0}};
	static const struct kw conf[] = {{"local", CFG_CONFSRC_LOCAL}, {"radius", CFG_CONFSRC_RADIUS},
					 {"ldap", CFG_CONFSRC_LDAP}, {NULL, 0}};
	static const struct kw acct[] = {{"none", CFG_ACCT_NONE}, {"system", CFG_ACCT_SYSTEM},
					 {"radius", CFG_ACCT_RADIUS}, {"pam", CFG_ACCT_PAM},
					 {NULL, 0}};
	int v, rc;

	if (strcmp(kw, "auth_source") == 0) {
		rc = parse_kw(p, auth, "system, radius, pam or ldap", &v);
		m->auth_source = rc ? m->auth_source : (enum cfg_auth_source)v;
	} else if (strcmp(kw, "group_source") == 0) {
		rc = parse_kw(p, group, "system or ldap", &v);
		m->group_source = rc ? m->group_source : (enum cfg_group_source)v;
	} else if (strcmp(kw, "conf_source") == 0) {
		rc = parse_kw(p, conf, "local, radius or ldap", &v);
		m->conf_source = rc ? m->conf_source : (enum cfg_conf_source)v;
	} else {
		rc = parse_kw(p, acct, "none, system, radius or pam", &v);
		m->accounting = rc ? m->accounting : (enum cfg_accounting)v;
	}
	return rc;
}

static int
modecfg_args(struct parser *p, struct cfg_modecfg *m, const char *kw)
{
	int rc;

	if (strcmp(kw, "network4") == 0 || strcmp(kw, "netmask4") == 0) {
		struct addr *a = kw[3] == 'w' ? &m->network4 : &m->netmask4;

		if ((rc = parse_addr(p, kw, a)) < 0)
			return rc;
		return a->family == AF_INET ? 0 : parse_error_at(p, p->prev_line, p->prev_col,
								 "%s takes an IPv4 address", kw);
	}
	if (strcmp(kw, "dns4") == 0)
		return modecfg_addrs(p, kw, m->dns4, &m->n_dns4, CFG_MODECFG_DNS_MAX);
	if (strcmp(kw, "wins4") == 0 || strcmp(kw, "nbns4") == 0)
		return modecfg_addrs(p, kw, m->wins4, &m->n_wins4, CFG_MODECFG_WINS_MAX);
	if (strcmp(kw, "split_network") == 0)
		return modecfg_split_net(p, m);
	if (strcmp(kw, "split_dns") == 0)
		return modecfg_strings(p, kw, &m->split_dns, &m->n_split_dns);
	if (strcmp(kw, "auth_groups") == 0)
		return modecfg_strings(p, kw, &m->auth_groups, &m->n_auth_groups);
	if (strcmp(kw, "default_domain") == 0)
		return parse_string(p, kw, &m->default_domain);
	if (strcmp(kw, "banner") == 0)
		return parse_string(p, kw, &m->banner);
	if (strcmp(kw, "auth_source") == 0 || strcmp(kw, "group_source") == 0 ||
	    strcmp(kw, "conf_source") == 0 || strcmp(kw, "accounting") == 0)
		return modecfg_source(p, kw, m);
	if (strcmp(kw, "pool_size") == 0)
		return parse_u32(p, kw, &m->pool_size);
	if (strcmp(kw, "pfs_group") == 0)
		return parse_u32(p, kw, &m->pfs_group);
	if (strcmp(kw, "auth_throttle") == 0)
		return parse_u32(p, kw, &m->auth_throttle);
	if (strcmp(kw, "save_passwd") == 0)
		return parse_switch(p, kw, &m->save_passwd);
	return 1;
}

static int
modecfg_stmt(struct parser *p, void *arg)
{
	char kw[32];
	int line = p->tok.line, col = p->tok.col, rc;

	snprintf(kw, sizeof(kw), "%s", p->tok.text);
	if ((rc = parse_next(p)) < 0)
		return rc;
	rc = modecfg_args(p, &p->cfg->modecfg, kw);
	if (rc == 1)
		return parse_error_at(p, line, col, "unknown directive '%s' in mode_cfg section", kw);
	return rc < 0 ? rc : parse_semi(p);
}

int
parse_modecfg(struct parser *p)
{
	struct cfg_loc loc = parse_loc(p);
	int rc;

	p->cfg->modecfg.present = true;
	p->cfg->modecfg.loc = loc;
	if ((rc = parse_next(p)) < 0 || (rc = parse_section(p, "mode_cfg", modecfg_stmt, NULL)) < 0)
		return rc;
	return 0;
}

#define LSTR(f) {#f, offsetof(struct cfg_ldap, f), 's'}
#define LNUM(f) {#f, offsetof(struct cfg_ldap, f), 'n'}
static const struct {
	const char *name;
	size_t off;
	char kind;
} ldap_tab[] = {
	LNUM(version), LNUM(debug), LNUM(timeout), LNUM(port), LSTR(uri), LSTR(host), LSTR(base),
	LSTR(bind_dn), LSTR(bind_pw), LSTR(attr_user), LSTR(attr_addr), LSTR(attr_mask),
	LSTR(attr_group), LSTR(attr_member), {"subtree", offsetof(struct cfg_ldap, subtree), 'b'},
};
#undef LSTR
#undef LNUM

static int
ldap_stmt(struct parser *p, void *arg)
{
	char *base = (char *)&p->cfg->ldap;

	for (size_t i = 0; i < sizeof(ldap_tab) / sizeof(ldap_tab[0]); i++) {
		const char *kw = ldap_tab[i].name;
		void *f = base + ldap_tab[i].off;
		int rc;

		if (!parse_is(p, kw))
			continue;
		if ((rc = parse_next(p)) < 0)
			return rc;
		if (ldap_tab[i].kind == 'n')
			rc = parse_u32(p, kw, f);
		else if (ldap_tab[i].kind == 's')
			rc = parse_string(p, kw, f);
		else
			rc = parse_switch(p, kw, f);
		return rc < 0 ? rc : parse_semi(p);
	}
	return parse_error(p, "unknown directive '%s' in ldapcfg section", p->tok.text);
}

int
parse_ldapcfg(struct parser *p)
{
	struct cfg_loc loc = parse_loc(p);
	int rc;

	p->cfg->ldap.present = true;
	p->cfg->ldap.loc = loc;
	if ((rc = parse_next(p)) < 0 || (rc = parse_section(p, "ldapcfg", ldap_stmt, NULL)) < 0)
		return rc;
	return parse_ignored(p, "ldapcfg", CFG_NO_IKE, loc);
}

/* auth|acct "host" [port] "secret"; the port is a bare number here, not [port]. */
static int
radius_server(struct parser *p, struct cfg_radius_server *v, size_t *n, const char *kw)
{
	struct cfg_radius_server *s;
	uint64_t port = 0;
	int rc;

	if (*n >= CFG_RADIUS_SERVERS_MAX)
		return parse_error(p, "too many radius %s servers (max %d)", kw,
				   CFG_RADIUS_SERVERS_MAX);
	s = &v[(*n)++];
	if ((rc = parse_string(p, kw, &s->host)) < 0)
		return rc;
	if (p->tok.type == TOK_WORD && (rc = parse_uint(p, "radius host", 65535, &port)) < 0)
		return rc;
	s->port = (uint16_t)port;
	return parse_string(p, "radius host", &s->secret);
}

static int
radius_stmt(struct parser *p, void *arg)
{
	struct cfg_radius *r = &p->cfg->radius;
	char kw[32];
	int line = p->tok.line, col = p->tok.col, rc;

	snprintf(kw, sizeof(kw), "%s", p->tok.text);
	if ((rc = parse_next(p)) < 0)
		return rc;
	if (strcmp(kw, "auth") == 0)
		rc = radius_server(p, r->auth, &r->n_auth, kw);
	else if (strcmp(kw, "acct") == 0)
		rc = radius_server(p, r->acct, &r->n_acct, kw);
	else if (strcmp(kw, "timeout") == 0)
		rc = parse_u32(p, kw, &r->timeout);
	else if (strcmp(kw, "retries") == 0)
		rc = parse_u32(p, kw, &r->retries);
	else
		return parse_error_at(p, line, col, "unknown directive '%s' in radiuscfg section",
				      kw);
	return rc < 0 ? rc : parse_semi(p);
}

int
parse_radiuscfg(struct parser *p)
{
	struct cfg_loc loc = parse_loc(p);
	int rc;

	p->cfg->radius.present = true;
	p->cfg->radius.loc = loc;
	if ((rc = parse_next(p)) < 0 || (rc = parse_section(p, "radiuscfg", radius_stmt, NULL)) < 0)
		return rc;
	return parse_ignored(p, "radiuscfg", CFG_NO_IKE, loc);
}
