/*
 * racoon.conf top level: path, include, log, privsep, padding, listen, timer and the small
 * global switches; the big sections live in parse_remote.c, parse_sainfo.c, parse_modecfg.c.
 */
#include "config/parse_int.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/log.h"

static const struct kw kw_path[] = {
	{"include", 0}, {"pre_shared_key", 1}, {"certificate", 2}, {"script", 3},
	{"backupsa", 4}, {"pidfile", 5}, {NULL, 0},
};

/* racoon's LLV_* levels onto ours; "notify" is racoon's name for notice. */
static const struct kw kw_loglevel[] = {
	{"error", LOG_LVL_ERR},  {"warning", LOG_LVL_WARN}, {"notify", LOG_LVL_NOTICE},
	{"info", LOG_LVL_INFO},  {"debug", LOG_LVL_DEBUG},  {"debug2", LOG_LVL_DEBUG2},
	{NULL, 0},
};

static int
parse_path(struct parser *p)
{
	struct cfg *c = p->cfg;
	char **slot[] = {&c->path_include, &c->path_pre_shared_key, &c->path_certificate,
			 &c->path_script, &c->path_backupsa, &c->path_pidfile};
	struct cfg_loc loc = parse_loc(p);
	int t, rc;

	if ((rc = parse_next(p)) < 0 ||
	    (rc = parse_kw(p, kw_path, "a path type (include, pre_shared_key, certificate, "
			   "script, backupsa, pidfile)", &t)) < 0 ||
	    (rc = parse_string(p, kw_name(kw_path, t), slot[t])) < 0 || (rc = parse_semi(p)) < 0)
		return rc;
	/* pre_shared_key, certificate and script are read by IKE */
	if (t == 4)
		return parse_ignored(p, "path backupsa", "SA backup is not supported yet", loc);
	return 0;
}

static int
parse_log(struct parser *p)
{
	int lvl, rc;

	if ((rc = parse_next(p)) < 0 ||
	    (rc = parse_kw(p, kw_loglevel, "a log level (error, warning, notify, info, debug, "
			   "debug2)", &lvl)) < 0)
		return rc;
	p->cfg->log_level = lvl;
	return parse_semi(p);
}

static int
privsep_stmt(struct parser *p, void *arg)
{
	char **slot;
	int rc;

	if (parse_is(p, "user"))
		slot = &p->cfg->privsep.user;
	else if (parse_is(p, "group"))
		slot = &p->cfg->privsep.group;
	else if (parse_is(p, "chroot"))
		slot = &p->cfg->privsep.chroot;
	else
		return parse_error(p, "unknown directive '%s' in privsep section", p->tok.text);
	if ((rc = parse_next(p)) < 0)
		return rc;
	/* user and group take a quoted name or a bare numeric id. */
	if (slot != &p->cfg->privsep.chroot && p->tok.type == TOK_WORD && p->tok.text[0] >= '0' &&
	    p->tok.text[0] <= '9') {
		uint64_t id;
		char *s = strdup(p->tok.text);

		if (!s)
			return -ENOMEM;
		free(*slot);
		*slot = s;
		rc = parse_uint(p, "privsep", UINT32_MAX, &id);
	} else {
		rc = parse_string(p, slot == &p->cfg->privsep.chroot ? "chroot" : "privsep", slot);
	}
	return rc < 0 ? rc : parse_semi(p);
}

static int
padding_stmt(struct parser *p, void *arg)
{
	struct cfg *c = p->cfg;
	const char *kw = p->tok.text[0] ? p->tok.text : "?";
	bool *flag = NULL;
	char name[32];
	int rc;

	snprintf(name, sizeof(name), "%s", kw);
	if (parse_is(p, "randomize"))
		flag = &c->padding.randomize;
	else if (parse_is(p, "randomize_length"))
		flag = &c->padding.randomize_length;
	else if (parse_is(p, "exclusive_tail"))
		flag = &c->padding.exclusive_tail;
	else if (parse_is(p, "strict_check"))
		flag = &c->padding.strict_check;
	else if (!parse_is(p, "maximum_length"))
		return parse_error(p, "unknown directive '%s' in padding section", kw);
	if ((rc = parse_next(p)) < 0)
		return rc;
	if (flag)
		rc = parse_switch(p, name, flag);
	else
		rc = parse_u32(p, name, &c->padding.maximum_length);
	return rc < 0 ? rc : parse_semi(p);
}

static int
listen_isakmp(struct parser *p, bool natt)
{
	struct cfg_loc loc = parse_loc(p);
	struct cfg_listen_addr *la;
	const char *kw = natt ? "isakmp_natt" : "isakmp";
	int rc;

	if ((rc = parse_next(p)) < 0)
		return rc;
	la = parse_push(p, &p->cfg->listen, &p->cfg->n_listen, sizeof(*la), 1024,
			"listen addresses");
	if (!la)
		return -EINVAL;
	la->natt = natt;
	la->loc = loc;
	if ((rc = parse_addr(p, kw, &la->addr)) < 0 ||
	    (rc = parse_port_opt(p, natt ? 4500 : 500, &la->port)) < 0 || (rc = parse_semi(p)) < 0)
		return rc;
	/* NAT-T arrives on the data plane's UDP socket: one port (-P), every address */
	return natt ? parse_ignored(p, "listen isakmp_natt",
				    "NAT-T is received on every address, on the port of -P", loc)
		    : 0;
}

/* adminsock "path" ["owner" "group" mode]; | adminsock disabled; */
static int
listen_adminsock(struct parser *p)
{
	struct cfg *c = p->cfg;
	int rc, line, col;
	uint64_t mode;

	if ((rc = parse_next(p)) < 0)
		return rc;
	if (parse_is(p, "disabled")) {
		c->adminsock.disabled = true;
		return (rc = parse_next(p)) < 0 ? rc : parse_semi(p);
	}
	if ((rc = parse_string(p, "adminsock", &c->adminsock.path)) < 0)
		return rc;
	if (p->tok.type != TOK_STRING)
		return parse_semi(p);
	if ((rc = parse_string(p, "adminsock path", &c->adminsock.owner)) < 0 ||
	    (rc = parse_string(p, "adminsock owner", &c->adminsock.group)) < 0)
		return rc;
	/* racoon reads the mode's digits as octal whether or not they start with 0. */
	line = p->tok.line;
	col = p->tok.col;
	if (p->tok.type != TOK_WORD || strspn(p->tok.text, "01234567") != p->tok.len)
		return parse_error(p, "expected an octal mode after 'adminsock path owner group'");
	mode = strtoull(p->tok.text, NULL, 8);
	if (mode > 0777)
		return parse_error_at(p, line, col, "mode %s is invalid", p->tok.text);
	c->adminsock.mode = (int)mode;
	return (rc = parse_next(p)) < 0 ? rc : parse_semi(p);
}

static int
listen_stmt(struct parser *p, void *arg)
{
	if (parse_is(p, "isakmp") || parse_is(p, "isakmp_natt"))
		return listen_isakmp(p, parse_is(p, "isakmp_natt"));
	if (parse_is(p, "adminsock"))
		return listen_adminsock(p);
	if (parse_is(p, "strict_address")) {
		int rc = parse_next(p);

		p->cfg->strict_address = true;
		return rc < 0 ? rc : parse_semi(p);
	}
	return parse_error(p, "unknown directive '%s' in listen section", p->tok.text);
}

static int
timer_stmt(struct parser *p, void *arg)
{
	struct cfg *c = p->cfg;
	static const struct {
		const char *name;
		size_t off;
		bool timed;
	} tab[] = {
		{"counter", offsetof(struct cfg, timer.counter), false},
		{"interval", offsetof(struct cfg, timer.interval), true},
		{"persend", offsetof(struct cfg, timer.persend), false},
		{"phase1", offsetof(struct cfg, timer.phase1), true},
		{"phase2", offsetof(struct cfg, timer.phase2), true},
		{"natt_keepalive", offsetof(struct cfg, timer.natt_keepalive), true},
	};

	for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		uint32_t *v = (uint32_t *)((char *)c + tab[i].off);
		int rc;

		if (!parse_is(p, tab[i].name))
			continue;
		if ((rc = parse_next(p)) < 0)
			return rc;
		rc = tab[i].timed ? parse_time(p, tab[i].name, v) : parse_u32(p, tab[i].name, v);
		return rc < 0 ? rc : parse_semi(p);
	}
	return parse_error(p, "unknown directive '%s' in timer section", p->tok.text);
}

/* A section whose directives are parsed but unused yet: remember it, then parse it. */
static int
parse_block(struct parser *p, const char *name, int (*stmt)(struct parser *, void *),
	    const char *reason)
{
	struct cfg_loc loc = parse_loc(p);
	int rc;

	if ((rc = parse_next(p)) < 0 || (rc = parse_section(p, name, stmt, NULL)) < 0)
		return rc;
	return reason ? parse_ignored(p, name, reason, loc) : 0;
}

/* gss_id_enc, complex_bundle, pfkey_buffer: single-value global statements. */
static int
parse_global_misc(struct parser *p)
{
	struct cfg *c = p->cfg;
	struct cfg_loc loc = parse_loc(p);
	char what[32];
	int rc;

	snprintf(what, sizeof(what), "%s", p->tok.text);
	if ((rc = parse_next(p)) < 0)
		return rc;
	if (strcmp(what, "complex_bundle") == 0) {
		rc = parse_switch(p, what, &c->complex_bundle);
	} else if (strcmp(what, "pfkey_buffer") == 0) {
		rc = parse_u32(p, what, &c->pfkey_buffer);
	} else if (parse_is(p, "latin1") || parse_is(p, "utf-16le")) {
		c->gss_id_enc_latin1 = parse_is(p, "latin1");
		rc = parse_next(p);
	} else {
		rc = parse_error(p, "expected 'latin1' or 'utf-16le' after 'gss_id_enc'");
	}
	if (rc < 0 || (rc = parse_semi(p)) < 0)
		return rc;
	return parse_ignored(p, what, strcmp(what, "pfkey_buffer") == 0 ?
				      "there is no PF_KEY socket" : CFG_NO_IKE, loc);
}

static int
parse_statement(struct parser *p)
{
	parse_stmt_begin(p);
	if (parse_is(p, "path"))
		return parse_path(p);
	if (parse_is(p, "include"))
		return parse_include(p);
	if (parse_is(p, "log"))
		return parse_log(p);
	if (parse_is(p, "privsep")) {
		p->cfg->privsep.present = true;
		return parse_block(p, "privsep", privsep_stmt,
				   "privilege separation is not implemented yet");
	}
	if (parse_is(p, "padding"))
		return parse_block(p, "padding", padding_stmt, CFG_NO_IKE);
	if (parse_is(p, "listen"))
		return parse_block(p, "listen", listen_stmt, NULL);
	if (parse_is(p, "timer"))
		return parse_block(p, "timer", timer_stmt, NULL);
	if (parse_is(p, "remote"))
		return parse_remote(p);
	if (parse_is(p, "sainfo"))
		return parse_sainfo(p);
	if (parse_is(p, "mode_cfg"))
		return parse_modecfg(p);
	if (parse_is(p, "ldapcfg"))
		return parse_ldapcfg(p);
	if (parse_is(p, "radiuscfg"))
		return parse_radiuscfg(p);
	if (parse_is(p, "gss_id_enc") || parse_is(p, "complex_bundle") ||
	    parse_is(p, "pfkey_buffer"))
		return parse_global_misc(p);
	if (p->tok.type == TOK_WORD)
		return parse_error(p, "unknown directive '%s'", p->tok.text);
	return parse_error(p, "expected a directive, got %s", lex_tok_name(p->tok.type));
}

int
parse_file(struct parser *p, const char *name, const char *src, size_t len)
{
	struct parser saved = *p;
	struct lexer lx;
	int rc;

	lex_init(&lx, name, src, len);
	p->lx = &lx;
	p->file = name;
	p->prev_end = p->stmt_start = 0;
	p->prev_line = p->prev_col = 1;
	rc = parse_next(p);
	while (rc == 0 && p->tok.type != TOK_EOF)
		rc = parse_statement(p);
	lex_free(&lx);
	if (rc == 0) {
		/* Back to the includer, just after its include statement. */
		p->lx = saved.lx;
		p->tok = saved.tok;
		p->file = saved.file;
		p->prev_end = saved.prev_end;
		p->prev_line = saved.prev_line;
		p->prev_col = saved.prev_col;
		p->stmt_start = saved.stmt_start;
	}
	return rc;
}
