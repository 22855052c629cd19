/* remote sections: phase 1 parameters per peer, with inherit and proposal { } blocks. */
#include "config/parse_int.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* racoon.conf(5) defaults of a fresh remote. */
static void
remote_defaults(struct cfg_remote *r)
{
	r->port = 500;
	r->doi = 1;       /* IPsec DOI, RFC 2407 */
	r->situation = 1; /* SIT_IDENTITY_ONLY */
	r->my_id.type = CFG_ID_ADDRESS;
	r->send_cert = r->send_cr = r->match_empty_cr = r->verify_cert = true;
	r->initial_contact = true;
	r->dpd = true;
	r->nonce_size = 16;
	r->dpd_retry = 5;
	r->dpd_maxfail = 5;
	r->rekey = CFG_ON;
	r->proposal_check = CFG_PROPCHECK_STRICT;
}

void
cfg_ident_clear(struct cfg_ident *id)
{
	free(id->value);
	memset(id, 0, sizeof(*id));
}

int
cfg_ident_copy(struct cfg_ident *dst, const struct cfg_ident *src)
{
	*dst = *src;
	if (src->value && !(dst->value = strdup(src->value)))
		return -ENOMEM;
	return 0;
}

void
cfg_remote_clear(struct cfg_remote *r)
{
	free(r->name);
	free(r->inherit);
	cfg_ident_clear(&r->my_id);
	for (size_t i = 0; i < r->n_peers_ids; i++)
		cfg_ident_clear(&r->peers_ids[i]);
	free(r->peers_ids);
	free(r->xauth_login);
	free(r->cert_file);
	free(r->key_file);
	free(r->peers_certfile);
	free(r->ca_file);
	for (int i = 0; i < CFG_SCRIPT_COUNT; i++)
		free(r->script[i]);
	for (size_t i = 0; i < r->n_proposals; i++)
		free(r->proposals[i].gss_id);
	free(r->proposals);
	memset(r, 0, sizeof(*r));
}

static int
dup_str(char **dst, const char *src)
{
	*dst = NULL;
	return src && !(*dst = strdup(src)) ? -ENOMEM : 0;
}

/* Deep copy of parent's settings (racoon's duprmconf) into a zeroed r. */
static int
remote_copy(struct cfg_remote *r, const struct cfg_remote *parent)
{
	int rc = 0;

	*r = *parent;
	r->name = r->inherit = NULL;
	r->peers_ids = NULL;
	r->proposals = NULL;
	r->my_id.value = NULL;
	r->n_peers_ids = r->n_proposals = 0;
	rc |= dup_str(&r->xauth_login, parent->xauth_login);
	rc |= dup_str(&r->cert_file, parent->cert_file);
	rc |= dup_str(&r->key_file, parent->key_file);
	rc |= dup_str(&r->peers_certfile, parent->peers_certfile);
	rc |= dup_str(&r->ca_file, parent->ca_file);
	for (int i = 0; i < CFG_SCRIPT_COUNT; i++)
		rc |= dup_str(&r->script[i], parent->script[i]);
	rc |= cfg_ident_copy(&r->my_id, &parent->my_id);
	if (rc)
		return -ENOMEM;
	if (parent->n_peers_ids) {
		if (!(r->peers_ids = calloc(parent->n_peers_ids, sizeof(*r->peers_ids))))
			return -ENOMEM;
		for (; r->n_peers_ids < parent->n_peers_ids; r->n_peers_ids++)
			if (cfg_ident_copy(&r->peers_ids[r->n_peers_ids],
					   &parent->peers_ids[r->n_peers_ids]) < 0)
				return -ENOMEM;
	}
	if (parent->n_proposals) {
		if (!(r->proposals = calloc(parent->n_proposals, sizeof(*r->proposals))))
			return -ENOMEM;
		for (; r->n_proposals < parent->n_proposals; r->n_proposals++) {
			struct cfg_proposal *d = &r->proposals[r->n_proposals];

			*d = parent->proposals[r->n_proposals];
			if (dup_str(&d->gss_id, d->gss_id) < 0)
				return -ENOMEM;
		}
	}
	return 0;
}

/* State while one remote block is parsed. */
struct remote_ctx {
	struct cfg_remote *r;
	bool own_proposals, own_peers_ids; /* inherited lists are replaced, not extended */
};

static int
proposal_stmt(struct parser *p, void *arg)
{
	struct cfg_proposal *pr = arg;
	int v, rc;

	if (parse_is(p, "lifetime")) {
		if ((rc = parse_next(p)) < 0 ||
		    (rc = parse_lifetime(p, &pr->lifetime_sec, &pr->lifetime_bytes)) < 0)
			return rc;
	} else if (parse_is(p, "dh_group")) {
		if ((rc = parse_next(p)) < 0 || (rc = parse_dh(p, "dh_group", &pr->dh_group)) < 0)
			return rc;
	} else if (parse_is(p, "gss_id") || parse_is(p, "gssapi_id")) {
		if ((rc = parse_next(p)) < 0 || (rc = parse_string(p, "gss_id", &pr->gss_id)) < 0)
			return rc;
	} else if (parse_is(p, "encryption_algorithm")) {
		if ((rc = parse_next(p)) < 0 ||
		    (rc = parse_kw(p, kw_enc, "an encryption algorithm", &v)) < 0)
			return rc;
		pr->enc = (enum cfg_enc)v;
		if (p->tok.type == TOK_WORD && p->tok.text[0] >= '0' && p->tok.text[0] <= '9') {
			int line = p->tok.line, col = p->tok.col;
			uint64_t bits;

			if ((rc = parse_uint(p, "encryption_algorithm", 65535, &bits)) < 0 ||
			    (rc = parse_keylen(p, pr->enc, bits, line, col)) < 0)
				return rc;
			pr->enc_keylen = (uint16_t)bits;
		}
	} else if (parse_is(p, "hash_algorithm")) {
		if ((rc = parse_next(p)) < 0 || (rc = parse_kw(p, kw_hash, "a hash algorithm", &v)) < 0)
			return rc;
		pr->hash = (enum cfg_hash)v;
	} else if (parse_is(p, "authentication_method")) {
		if ((rc = parse_next(p)) < 0 ||
		    (rc = parse_kw(p, kw_ameth, "an authentication method", &v)) < 0)
			return rc;
		pr->ameth = (enum cfg_ameth)v;
	} else {
		return parse_error(p, "unknown directive '%s' in proposal section", p->tok.text);
	}
	return parse_semi(p);
}

/* racoon's set_isakmp_proposal: four attributes are mandatory in every proposal. */
static int
proposal_check_complete(struct parser *p, const struct cfg_proposal *pr, int line, int col)
{
	const char *missing = !pr->enc ? "encryption_algorithm" : !pr->hash ? "hash_algorithm" :
			      !pr->ameth ? "authentication_method" : !pr->dh_group ? "dh_group" : NULL;

	if (missing)
		return parse_error_at(p, line, col, "proposal has no '%s'", missing);
	return 0;
}

static int
remote_proposal(struct parser *p, struct remote_ctx *x)
{
	struct cfg_proposal pr = {.loc = parse_loc(p)};
	struct cfg_proposal *slot;
	int line = p->tok.line, col = p->tok.col, rc;

	if ((rc = parse_next(p)) < 0 || (rc = parse_section(p, "proposal", proposal_stmt, &pr)) < 0 ||
	    (rc = proposal_check_complete(p, &pr, line, col)) < 0)
		goto out;
	if (!x->own_proposals) {
		for (size_t i = 0; i < x->r->n_proposals; i++)
			free(x->r->proposals[i].gss_id);
		x->r->n_proposals = 0;
		x->own_proposals = true;
	}
	rc = -EINVAL;
	slot = parse_push(p, &x->r->proposals, &x->r->n_proposals, sizeof(*slot), 64, "proposals");
	if (!slot)
		goto out;
	*slot = pr;
	return 0;
out:
	free(pr.gss_id);
	return rc;
}

/* racoon's scanner drops commas inside remote, so "main, aggressive" = "main aggressive". */
static int
remote_xmodes(struct parser *p, struct cfg_remote *r)
{
	int v, rc;

	r->n_xmodes = 0;
	do {
		if (r->n_xmodes == 3)
			return parse_error(p, "too many exchange modes");
		if ((rc = parse_kw(p, kw_xmode, "an exchange mode (main, aggressive, base)", &v)) < 0)
			return rc;
		r->xmodes[r->n_xmodes++] = (enum cfg_xmode)v;
		if (p->tok.type == TOK_COMMA && (rc = parse_next(p)) < 0)
			return rc;
	} while (p->tok.type == TOK_WORD && kw_lookup(kw_xmode, p->tok.text, &v));
	return 0;
}

/* certificate_type x509 "cert" "key"; | certificate_type plain_rsa "key"; */
static int
remote_certificate_type(struct parser *p, struct cfg_remote *r)
{
	int rc;

	r->cert_loc = parse_loc(p);
	if (parse_is(p, "x509")) {
		r->cert_type = CFG_CERT_X509;
		if ((rc = parse_next(p)) < 0 || (rc = parse_string(p, "x509", &r->cert_file)) < 0)
			return rc;
		return parse_string(p, "x509 certificate", &r->key_file);
	}
	if (parse_is(p, "plain_rsa")) {
		r->cert_type = CFG_CERT_PLAIN_RSA;
		if ((rc = parse_next(p)) < 0)
			return rc;
		return parse_string(p, "plain_rsa", &r->key_file);
	}
	return parse_error(p, "expected 'x509' or 'plain_rsa' after 'certificate_type'");
}

/* peers_certfile "file" | x509 "file" | plain_rsa "file" | dnssec */
static int
remote_peers_certfile(struct parser *p, struct cfg_remote *r)
{
	int rc;

	r->peers_cert_loc = parse_loc(p);
	if (parse_is(p, "dnssec")) {
		r->peers_cert_type = CFG_CERT_DNSSEC;
		free(r->peers_certfile);
		r->peers_certfile = NULL;
		return parse_next(p);
	}
	r->peers_cert_type = CFG_CERT_X509;
	if (parse_is(p, "x509") || parse_is(p, "plain_rsa")) {
		if (parse_is(p, "plain_rsa"))
			r->peers_cert_type = CFG_CERT_PLAIN_RSA;
		if ((rc = parse_next(p)) < 0)
			return rc;
	}
	return parse_string(p, "peers_certfile", &r->peers_certfile);
}

static int
remote_script(struct parser *p, struct cfg_remote *r)
{
	static const char *const when[CFG_SCRIPT_COUNT] = {"phase1_up", "phase1_down",
							    "phase1_dead"};
	char *path = NULL;
	int rc;

	if ((rc = parse_string(p, "script", &path)) < 0) {
		free(path);
		return rc;
	}
	for (int i = 0; i < CFG_SCRIPT_COUNT; i++) {
		if (parse_is(p, when[i])) {
			free(r->script[i]);
			r->script[i] = path;
			return parse_next(p);
		}
	}
	free(path);
	return parse_error(p, "expected phase1_up, phase1_down or phase1_dead after the script");
}

static int
remote_generate_policy(struct parser *p, struct cfg_remote *r)
{
	if (parse_is(p, "on") || parse_is(p, "require"))
		r->generate_policy = CFG_GENPOLICY_ON;
	else if (parse_is(p, "off"))
		r->generate_policy = CFG_GENPOLICY_OFF;
	else if (parse_is(p, "unique"))
		r->generate_policy = CFG_GENPOLICY_UNIQUE;
	else
		return parse_error(p, "expected on, off, require or unique after 'generate_policy'");
	return parse_next(p);
}

static int
remote_situation(struct parser *p, struct cfg_remote *r)
{
	/* RFC 2407 4.2 situation bits. */
	static const struct kw sit[] = {
		{"identity_only", 1}, {"secrecy", 2}, {"integrity", 4}, {NULL, 0},
	};
	int v, rc = parse_kw(p, sit, "a situation (identity_only, secrecy, integrity)", &v);

	if (rc == 0)
		r->situation = (uint32_t)v;
	return rc;
}

static int
remote_ident(struct parser *p, struct remote_ctx *x, bool mine)
{
	struct cfg_remote *r = x->r;
	struct cfg_ident *id;

	if (mine)
		return parse_ident(p, true, &r->my_id);
	if (!x->own_peers_ids) {
		for (size_t i = 0; i < r->n_peers_ids; i++)
			cfg_ident_clear(&r->peers_ids[i]);
		r->n_peers_ids = 0;
		x->own_peers_ids = true;
	}
	id = parse_push(p, &r->peers_ids, &r->n_peers_ids, sizeof(*id), 64, "peers_identifier");
	if (!id)
		return -EINVAL;
	return parse_ident(p, true, id);
}

#define RFLAG(f) {#f, offsetof(struct cfg_remote, f)}
static const struct {
	const char *name;
	size_t off;
} remote_flags[] = {
	RFLAG(verify_identifier), RFLAG(verify_cert), RFLAG(send_cert), RFLAG(send_cr),
	RFLAG(match_empty_cr), RFLAG(passive), RFLAG(mode_cfg), RFLAG(weak_phase1_check),
	RFLAG(support_proxy), RFLAG(initial_contact), RFLAG(dpd),
}, remote_nums[] = {
	RFLAG(nonce_size), RFLAG(esp_frag), RFLAG(dpd_delay), RFLAG(dpd_retry), RFLAG(dpd_maxfail),
	RFLAG(ph1id),
}, remote_tris[] = {
	RFLAG(ike_frag), RFLAG(nat_traversal), RFLAG(rekey),
};
#undef RFLAG

/* Directives that take one on/off, number or on/off/force: table driven. */
static int
remote_simple(struct parser *p, struct cfg_remote *r, const char *kw, bool *found)
{
	char *base = (char *)r;
	int v;

	*found = true;
	for (size_t i = 0; i < sizeof(remote_flags) / sizeof(remote_flags[0]); i++)
		if (strcmp(kw, remote_flags[i].name) == 0)
			return parse_switch(p, kw, (bool *)(base + remote_flags[i].off));
	for (size_t i = 0; i < sizeof(remote_nums) / sizeof(remote_nums[0]); i++)
		if (strcmp(kw, remote_nums[i].name) == 0)
			return parse_u32(p, kw, (uint32_t *)(base + remote_nums[i].off));
	for (size_t i = 0; i < sizeof(remote_tris) / sizeof(remote_tris[0]); i++) {
		if (strcmp(kw, remote_tris[i].name) == 0) {
			int rc = parse_kw(p, kw_tri, "on, off or force", &v);

			if (rc == 0)
				*(enum cfg_tri *)(base + remote_tris[i].off) = (enum cfg_tri)v;
			return rc;
		}
	}
	*found = false;
	return 0;
}

static int
remote_stmt_args(struct parser *p, struct remote_ctx *x, const char *kw)
{
	struct cfg_remote *r = x->r;
	bool found;
	int rc, v;

	if ((rc = remote_simple(p, r, kw, &found)) < 0 || found)
		return rc;
	if (strcmp(kw, "remote_address") == 0) {
		if ((rc = parse_addr(p, kw, &r->address)) < 0)
			return rc;
		r->has_address = true;
		return parse_port_opt(p, 500, &r->port);
	}
	if (strcmp(kw, "exchange_mode") == 0)
		return remote_xmodes(p, r);
	if (strcmp(kw, "doi") == 0) {
		if (!parse_is(p, "ipsec_doi"))
			return parse_error(p, "expected 'ipsec_doi' after 'doi'");
		r->doi = 1;
		return parse_next(p);
	}
	if (strcmp(kw, "situation") == 0)
		return remote_situation(p, r);
	if (strcmp(kw, "my_identifier") == 0 || strcmp(kw, "peers_identifier") == 0)
		return remote_ident(p, x, kw[0] == 'm');
	if (strcmp(kw, "xauth_login") == 0) {
		free(r->xauth_login);
		r->xauth_login = NULL;
		if (p->tok.type != TOK_STRING && p->tok.type != TOK_WORD)
			return 0;
		if (!(r->xauth_login = strdup(p->tok.text)))
			return -ENOMEM;
		return parse_next(p);
	}
	if (strcmp(kw, "certificate_type") == 0)
		return remote_certificate_type(p, r);
	if (strcmp(kw, "peers_certfile") == 0)
		return remote_peers_certfile(p, r);
	if (strcmp(kw, "ca_type") == 0) {
		r->ca_loc = parse_loc(p);
		if (!parse_is(p, "x509"))
			return parse_error(p, "expected 'x509' after 'ca_type'");
		return (rc = parse_next(p)) < 0 ? rc : parse_string(p, "ca_type x509", &r->ca_file);
	}
	if (strcmp(kw, "dh_group") == 0)
		return parse_dh(p, kw, &r->dh_group);
	if (strcmp(kw, "generate_policy") == 0)
		return remote_generate_policy(p, r);
	if (strcmp(kw, "script") == 0)
		return remote_script(p, r);
	if (strcmp(kw, "lifetime") == 0)
		return parse_lifetime(p, &r->lifetime_sec, &r->lifetime_bytes);
	if (strcmp(kw, "proposal_check") == 0) {
		rc = parse_kw(p, kw_propcheck, "a proposal_check level (obey, strict, claim, exact)",
			      &v);
		r->proposal_check = rc == 0 ? (enum cfg_propcheck)v : r->proposal_check;
		return rc;
	}
	return 1;
}

static int
remote_stmt(struct parser *p, void *arg)
{
	struct remote_ctx *x = arg;
	char kw[32];
	int line = p->tok.line, col = p->tok.col, rc;

	if (parse_is(p, "proposal"))
		return remote_proposal(p, x);
	snprintf(kw, sizeof(kw), "%s", p->tok.text);
	if ((rc = parse_next(p)) < 0)
		return rc;
	rc = remote_stmt_args(p, x, kw);
	if (rc == 1)
		return parse_error_at(p, line, col, "unknown directive '%s' in remote section", kw);
	return rc < 0 ? rc : parse_semi(p);
}

/* anonymous [port] | address [port]: racoon's remote_index. Sets name and address. */
static int
remote_index(struct parser *p, char **name, struct cfg_remote *r)
{
	struct addr a;
	uint16_t port;
	int rc;

	if (parse_is(p, "anonymous")) {
		if (!(*name = strdup("anonymous")))
			return -ENOMEM;
		if ((rc = parse_next(p)) < 0 || (rc = parse_port_opt(p, 500, &port)) < 0)
			return rc;
		if (r) {
			r->anonymous = true;
			r->port = port;
		}
		return 0;
	}
	if (p->tok.type != TOK_WORD)
		return parse_error(p, "expected a name, an address or 'anonymous' after 'remote'");
	if (!(*name = strdup(p->tok.text)))
		return -ENOMEM;
	if ((rc = parse_addr(p, "remote", &a)) < 0 || (rc = parse_port_opt(p, 500, &port)) < 0)
		return rc;
	if (r) {
		r->address = a;
		r->has_address = true;
		r->port = port;
	}
	return 0;
}

/* Header "remote X [inherit Y]"; fills r and returns the parent's name in *parent. */
static int
remote_header(struct parser *p, struct cfg_remote *r, char **parent)
{
	int rc;

	if (p->tok.type == TOK_STRING) {
		if (!(r->name = strdup(p->tok.text)))
			return -ENOMEM;
		r->named = true;
		rc = parse_next(p);
	} else {
		rc = remote_index(p, &r->name, r);
	}
	if (rc < 0 || !parse_is(p, "inherit"))
		return rc;
	if ((rc = parse_next(p)) < 0)
		return rc;
	if (p->tok.type == TOK_STRING) {
		if (!(*parent = strdup(p->tok.text)))
			return -ENOMEM;
		return parse_next(p);
	}
	return remote_index(p, parent, NULL);
}

/* Start r as a copy of its parent, keeping what the header itself set. */
static int
remote_inherit(struct parser *p, struct cfg_remote *r, const char *parent, int line, int col)
{
	const struct cfg_remote *from = cfg_remote_find(p->cfg, parent);
	struct cfg_remote head = *r;
	int rc;

	if (!from)
		return parse_error_at(p, line, col, "parent remote \"%s\" does not exist", parent);
	rc = remote_copy(r, from);
	r->name = head.name;
	r->named = head.named;
	if (rc < 0)
		return rc;
	r->loc = head.loc;
	r->anonymous = head.anonymous;
	if (head.has_address || head.anonymous) {
		r->has_address = head.has_address;
		r->address = head.address;
		r->port = head.port;
	}
	if (!(r->inherit = strdup(parent)))
		return -ENOMEM;
	return 0;
}

int
parse_remote(struct parser *p)
{
	struct cfg_remote r = {.loc = parse_loc(p)}, *slot;
	struct remote_ctx x = {.r = &r};
	char *parent = NULL;
	int line, col, rc;

	remote_defaults(&r);
	if ((rc = parse_next(p)) < 0)
		goto out;
	line = p->tok.line;
	col = p->tok.col;
	if ((rc = remote_header(p, &r, &parent)) < 0)
		goto out;
	rc = -EINVAL;
	if (r.named && cfg_remote_find(p->cfg, r.name)) {
		parse_error_at(p, line, col, "remote \"%s\" is already defined", r.name);
		goto out;
	}
	if (parent) {
		if ((rc = remote_inherit(p, &r, parent, line, col)) < 0)
			goto out;
		x.own_proposals = x.own_peers_ids = false;
	} else {
		x.own_proposals = x.own_peers_ids = true;
	}
	/* "remote b inherit a;" copies a without changes. */
	if (parent && p->tok.type == TOK_SEMI)
		rc = parse_next(p);
	else
		rc = parse_section(p, "remote", remote_stmt, &x);
	if (rc < 0)
		goto out;
	rc = -EINVAL;
	if (r.n_proposals == 0) {
		parse_error_at(p, line, col, "remote \"%s\" has no proposal", r.name);
		goto out;
	}
	/* racoon requires exchange_mode; main mode is what its examples use. */
	if (r.n_xmodes == 0)
		r.xmodes[r.n_xmodes++] = CFG_XMODE_MAIN;
	slot = parse_push(p, &p->cfg->remotes, &p->cfg->n_remotes, sizeof(*slot), 65536,
			  "remote sections");
	if (!slot)
		goto out;
	*slot = r;
	free(parent);
	return 0;
out:
	free(parent);
	cfg_remote_clear(&r);
	return rc;
}
