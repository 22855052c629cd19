/* racoon.conf remote/sainfo + psk.txt -> struct ikev1_remote. */
#include "daemon/ike_conf.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "config/psk.h"
#include "ike/v1/ikev1.h"
#include "lib/log.h"
#include "lib/secmem.h"

static uint16_t
map_p1_enc(enum cfg_enc e)
{
	switch (e) {
	case CFG_ENC_AES: return IKEV1_ENC_AES_CBC;
	case CFG_ENC_3DES: return IKEV1_ENC_3DES;
	default: return 0;
	}
}

static uint16_t
map_p1_hash(enum cfg_hash h)
{
	switch (h) {
	case CFG_HASH_MD5: return IKEV1_HASH_MD5;
	case CFG_HASH_SHA1: return IKEV1_HASH_SHA;
	case CFG_HASH_SHA256: return IKEV1_HASH_SHA2_256;
	case CFG_HASH_SHA384: return IKEV1_HASH_SHA2_384;
	case CFG_HASH_SHA512: return IKEV1_HASH_SHA2_512;
	default: return 0;
	}
}

static uint8_t
map_p2_enc(enum cfg_enc e)
{
	switch (e) {
	case CFG_ENC_AES: return IPSEC_ENC_AES_CBC;
	case CFG_ENC_3DES: return IPSEC_ENC_3DES_CBC;
	case CFG_ENC_NULL: return IPSEC_ENC_NULL;
	default: return IPSEC_ENC_NONE;
	}
}

static uint8_t
map_p2_auth(enum cfg_auth a)
{
	switch (a) {
	case CFG_AUTH_HMAC_MD5: return IPSEC_AUTH_HMAC_MD5_96;
	case CFG_AUTH_HMAC_SHA1: return IPSEC_AUTH_HMAC_SHA1_96;
	case CFG_AUTH_HMAC_SHA256: return IPSEC_AUTH_HMAC_SHA256_128;
	case CFG_AUTH_HMAC_SHA384: return IPSEC_AUTH_HMAC_SHA384_192;
	case CFG_AUTH_HMAC_SHA512: return IPSEC_AUTH_HMAC_SHA512_256;
	default: return IPSEC_AUTH_NONE;
	}
}

static void
map_ident(const struct cfg_ident *in, struct ikev1_ident *out)
{
	size_t n;

	memset(out, 0, sizeof(*out));
	switch (in->type) {
	case CFG_ID_FQDN: out->type = IKEV1_ID_FQDN; break;
	case CFG_ID_USER_FQDN: out->type = IKEV1_ID_USER_FQDN; break;
	case CFG_ID_KEYID: out->type = in->qual == CFG_IDQUAL_TAG ? IKEV1_ID_KEY_ID : 0; break;
	default: return; /* address: the IKE endpoint */
	}
	n = in->value ? strlen(in->value) : 0;
	if (!n || n > sizeof(out->data)) {
		out->type = 0;
		return;
	}
	memcpy(out->data, in->value, n);
	out->len = (uint16_t)n;
}

static void
map_proposals(const struct cfg_remote *r, struct ikev1_remote *o)
{
	for (size_t i = 0; i < r->n_proposals && o->n_props < IKEV1_CFG_PROPOSALS_MAX; i++) {
		const struct cfg_proposal *p = &r->proposals[i];
		struct ikev1_p1_prop *q = &o->props[o->n_props];

		bool rsasig = p->ameth == CFG_AMETH_RSASIG && r->cert_type == CFG_CERT_X509;
		bool xauth = p->ameth == CFG_AMETH_XAUTH_PSK_SERVER ||
			     p->ameth == CFG_AMETH_XAUTH_PSK_CLIENT;

		if ((p->ameth != CFG_AMETH_PSK && !rsasig && !xauth) || !map_p1_enc(p->enc) ||
		    !map_p1_hash(p->hash) || !dh_group_supported((enum dh_group)p->dh_group)) {
			log_warn("%s:%d: proposal not supported by IKE yet (pre_shared_key, "
				 "xauth_psk_server/client, or rsasig with certificate_type x509; aes "
				 "or 3des, md5/sha1/sha2, MODP groups): skipped", p->loc.file,
				 p->loc.line);
			continue;
		}
		q->enc = map_p1_enc(p->enc);
		q->keylen = p->enc_keylen;
		q->hash = map_p1_hash(p->hash);
		/* XAUTHInitPreShared: the initiator logs in with Xauth after phase 1 */
		q->auth = rsasig ? IKEV1_AUTH_RSA_SIG
			  : xauth ? IKEV1_AUTH_XAUTH_INIT_PSK : IKEV1_AUTH_PSK;
		q->group = (uint16_t)p->dh_group;
		q->lifetime_sec = p->lifetime_sec ? p->lifetime_sec : r->lifetime_sec;
		o->n_props++;
	}
}

static void
map_sainfo(const struct cfg_sainfo *s, struct ikev1_sainfo *o)
{
	uint64_t kb;

	memset(o, 0, sizeof(*o));
	if (s->local.kind == CFG_SAID_PREFIX)
		o->local = s->local.prefix;
	if (s->remote.kind == CFG_SAID_PREFIX)
		o->remote = s->remote.prefix;
	o->pfs_group = (uint16_t)s->pfs_group;
	o->lifetime_sec = s->lifetime_sec;
	/* RFC 2407 4.5 counts kilobytes: a partial one rounds up */
	kb = s->lifetime_bytes / 1024 + (s->lifetime_bytes % 1024 != 0);
	o->lifetime_kb = kb > UINT32_MAX ? UINT32_MAX : (uint32_t)kb;
	for (size_t i = 0; i < s->n_enc && o->n_enc < IKEV1_CFG_ALGS_MAX; i++) {
		uint8_t e = map_p2_enc((enum cfg_enc)s->enc[i].alg);

		if (e == IPSEC_ENC_NONE)
			continue;
		o->enc[o->n_enc].enc = e;
		o->enc[o->n_enc++].keylen = s->enc[i].keylen;
	}
	for (size_t i = 0; i < s->n_auth && o->n_auth < IKEV1_CFG_ALGS_MAX; i++) {
		uint8_t a = map_p2_auth((enum cfg_auth)s->auth[i].alg);

		if (a != IPSEC_AUTH_NONE)
			o->auth[o->n_auth++] = a;
	}
}

/* A sainfo whose IDs this daemon can compare: anonymous or an address/subnet each side. */
static bool
sainfo_usable(const struct cfg_sainfo *s)
{
	return (s->local.kind == CFG_SAID_ANONYMOUS || s->local.kind == CFG_SAID_PREFIX) &&
	       (s->remote.kind == CFG_SAID_ANONYMOUS || s->remote.kind == CFG_SAID_PREFIX);
}

/* Say once per sainfo what of it Quick Mode does not use. */
static void
warn_sainfos(const struct cfg *cfg)
{
	for (size_t i = 0; i < cfg->n_sainfos; i++) {
		const struct cfg_sainfo *s = &cfg->sainfos[i];

		if (!sainfo_usable(s))
			log_warn("%s:%d: sainfo with an address range or a name ID is not "
				 "compared with Quick Mode IDs yet: ignored", s->loc.file,
				 s->loc.line);
		else if (s->has_from || s->group)
			log_warn("%s:%d: sainfo 'from' and 'group' are not checked yet: the "
				 "sainfo serves any peer", s->loc.file, s->loc.line);
	}
}

/*
 * The remote's sainfos (those without remoteid, or with its ph1id) for Quick Mode to pick
 * from, in file order. 0 or -ENOMEM.
 */
static int
map_sainfos(const struct cfg *cfg, const struct cfg_remote *r, struct ikev1_remote *o)
{
	struct ikev1_sainfo *v;
	size_t n = 0;

	if (!cfg->n_sainfos)
		return 0;
	if (!(v = calloc(cfg->n_sainfos, sizeof(*v))))
		return -ENOMEM;
	for (size_t i = 0; i < cfg->n_sainfos; i++) {
		const struct cfg_sainfo *s = &cfg->sainfos[i];

		if (!sainfo_usable(s) || (s->remoteid && s->remoteid != r->ph1id))
			continue;
		map_sainfo(s, &v[n]);
		v[n].lport = s->local.port;
		v[n].rport = s->remote.port;
		v[n].proto = s->local.proto != CFG_PROTO_ANY ? s->local.proto : s->remote.proto;
		n++;
	}
	o->sainfos = v;
	o->n_sainfos = n;
	return 0;
}

static const struct cfg_sainfo *
pick_sainfo(const struct cfg *cfg)
{
	for (size_t i = 0; i < cfg->n_sainfos; i++)
		if (cfg->sainfos[i].local.kind == CFG_SAID_ANONYMOUS &&
		    cfg->sainfos[i].remote.kind == CFG_SAID_ANONYMOUS)
			return &cfg->sainfos[i];
	return cfg->n_sainfos ? &cfg->sainfos[0] : NULL;
}

/* racoon looks the key up by the peer's identifier, then by its address; a remote
 * without one (anonymous) is looked up per peer at negotiation time (ike_conf_psk). */
static void
map_psk(const struct psk_db *db, const struct cfg_remote *r, struct ikev1_remote *o)
{
	char a[ADDR_STRLEN];
	const uint8_t *key = NULL;
	size_t len = 0;
	bool found = false;

	for (size_t i = 0; i < r->n_peers_ids && !found; i++)
		found = r->peers_ids[i].value &&
			psk_find(db, r->peers_ids[i].value, &key, &len) == 0;
	if (!found && r->has_address)
		found = psk_find(db, addr_ntop(&r->address, a, sizeof(a)), &key, &len) == 0;
	if (!found || len > sizeof(o->psk)) {
		/* racoon's way: looked up again by the peer's ID or address when it calls */
		if (!r->anonymous)
			log_warn("%s:%d: no pre-shared key for remote %s in psk.txt (yet)",
				 r->loc.file, r->loc.line, r->name);
		return;
	}
	memcpy(o->psk, key, len);
	o->psk_len = len;
}

/* Settings of a remote that IKE does not act on yet: say so, with the file:line. */
static void
warn_unsupported(const struct cfg_remote *r)
{
	const char *what[8];
	size_t n = 0;

	if (r->cert_type == CFG_CERT_PLAIN_RSA || r->peers_cert_type == CFG_CERT_PLAIN_RSA ||
	    r->peers_cert_type == CFG_CERT_DNSSEC)
		what[n++] = "plain_rsa/dnssec keys";
	for (size_t i = 0; i < n; i++)
		log_warn("%s:%d: remote %s: %s is not supported by IKE yet: ignored", r->loc.file,
			 r->loc.line, r->name, what[i]);
}

static uint32_t
sec_to_ms(uint32_t s)
{
	return s > UINT32_MAX / 1000 ? UINT32_MAX : s * 1000;
}

static bool
uses_psk(const struct ikev1_remote *o)
{
	for (size_t i = 0; i < o->n_props; i++)
		if (o->props[i].auth == IKEV1_AUTH_PSK)
			return true;
	return false;
}

static int
map_remote(const struct cfg *cfg, const struct cfg_remote *r, const struct psk_db *db,
	   struct ike_conf *c, size_t idx)
{
	struct ikev1_remote *o = &c->remotes[idx];
	const struct cfg_sainfo *s = pick_sainfo(cfg);

	memset(o, 0, sizeof(*o));
	warn_unsupported(r);
	for (size_t i = 0; i < r->n_xmodes && o->n_modes < 2; i++)
		if (r->xmodes[i] == CFG_XMODE_MAIN || r->xmodes[i] == CFG_XMODE_AGGRESSIVE)
			o->modes[o->n_modes++] = (uint8_t)r->xmodes[i];
	map_proposals(r, o);
	o->proposal_check = (enum ikev1_propcheck)r->proposal_check;
	map_ident(&r->my_id, &o->my_id);
	if (r->verify_identifier && r->n_peers_ids)
		map_ident(&r->peers_ids[0], &o->peers_id);
	o->nonce_size = r->nonce_size;
	o->natt = r->nat_traversal == CFG_FORCE ? IKEV1_NATT_FORCE
		  : r->nat_traversal == CFG_ON ? IKEV1_NATT_ON : IKEV1_NATT_OFF;
	o->initial_contact = r->initial_contact;
	if (db && uses_psk(o))
		map_psk(db, r, o);
	if (s)
		map_sainfo(s, &o->sainfo);
	o->generate_policy = r->generate_policy != CFG_GENPOLICY_OFF;
	o->retry_counter = cfg->timer.counter;
	o->retry_interval_ms = cfg->timer.interval * 1000;
	o->phase1_ms = sec_to_ms(cfg->timer.phase1);
	o->phase2_ms = sec_to_ms(cfg->timer.phase2);
	/* a responder may still be checking AM3 (charon ignores a Quick Mode meanwhile) */
	o->aggr_qm_delay_ms = 100;
	o->frag = r->ike_frag == CFG_FORCE ? IKEV1_FRAG_FORCE
		  : r->ike_frag == CFG_ON ? IKEV1_FRAG_ON : IKEV1_FRAG_OFF;
	o->esp_frag = r->esp_frag > UINT16_MAX ? UINT16_MAX : (uint16_t)r->esp_frag;
	/* racoon's "dpd off" turns DPD off whatever dpd_delay says */
	o->dpd_delay_ms = r->dpd ? sec_to_ms(r->dpd_delay) : 0;
	o->dpd_retry_ms = sec_to_ms(r->dpd_retry);
	o->dpd_maxfail = r->dpd_maxfail;
	/* racoon's gateway answers mode config whenever a mode_cfg { } section exists */
	o->modecfg_server = cfg->modecfg.present;
	o->modecfg_client = r->mode_cfg;
	o->passive = r->passive;
	o->p1_rekey = r->rekey == CFG_OFF ? IKEV1_REKEY_OFF
		      : r->rekey == CFG_FORCE ? IKEV1_REKEY_FORCE : IKEV1_REKEY_ON;
	if (map_sainfos(cfg, r, o) < 0)
		return -ENOMEM;
	return ike_cert_remote(cfg, r, &c->ca, &c->creds[idx], o);
}

int
ike_conf_build(const struct cfg *cfg, struct ike_conf *out)
{
	struct psk_db *db = NULL;
	int err;

	memset(out, 0, sizeof(*out));
	out->cfg = cfg;
	if (!cfg->n_remotes)
		return 0;
	if (cfg->path_pre_shared_key && (err = psk_load(cfg->path_pre_shared_key, &db)) < 0)
		return err;
	out->remotes = calloc(cfg->n_remotes, sizeof(*out->remotes));
	out->creds = calloc(cfg->n_remotes, sizeof(*out->creds));
	out->n = cfg->n_remotes;
	out->psk = db;
	err = out->remotes && out->creds ? 0 : -ENOMEM;
	warn_sainfos(cfg);
	for (size_t i = 0; i < cfg->n_remotes && err == 0; i++)
		err = map_remote(cfg, &cfg->remotes[i], db, out, i);
	if (err < 0)
		ike_conf_free(out);
	return err;
}

void
ike_conf_free(struct ike_conf *c)
{
	for (size_t i = 0; c->remotes && i < c->n; i++)
		free((void *)c->remotes[i].sainfos);
	if (c->remotes)
		secmem_wipe(c->remotes, c->n * sizeof(*c->remotes));
	free(c->remotes);
	for (size_t i = 0; c->creds && i < c->n; i++)
		ike_cred_free(&c->creds[i]);
	free(c->creds);
	x509_store_free(c->ca);
	psk_free(c->psk);
	memset(c, 0, sizeof(*c));
}

int
ike_conf_psk(const struct ike_conf *c, const struct addr *peer, uint8_t id_type,
	     const uint8_t *id, size_t id_len, uint8_t *key, size_t *key_len)
{
	char text[IKEV1_CFG_ID_MAX + 1];
	const uint8_t *k;
	struct addr a = {0};
	size_t len;
	bool text_id = id_type == IKEV1_ID_FQDN || id_type == IKEV1_ID_USER_FQDN ||
		       id_type == IKEV1_ID_KEY_ID;

	if (!c->psk)
		return -ENOENT;
	text[0] = '\0';
	if (id && text_id && id_len < sizeof(text) && !memchr(id, '\0', id_len)) {
		memcpy(text, id, id_len);
		text[id_len] = '\0';
	} else if (id && (id_type == IKEV1_ID_IPV4_ADDR || id_type == IKEV1_ID_IPV6_ADDR) &&
		   id_len == (id_type == IKEV1_ID_IPV4_ADDR ? 4 : 16)) {
		a.family = id_type == IKEV1_ID_IPV4_ADDR ? AF_INET : AF_INET6;
		memcpy(a.bytes, id, id_len);
		addr_ntop(&a, text, sizeof(text));
	}
	if (!text[0] || psk_find(c->psk, text, &k, &len) < 0) {
		addr_ntop(peer, text, sizeof(text));
		if (psk_find(c->psk, text, &k, &len) < 0)
			return -ENOENT;
	}
	if (len > IKEV1_PSK_MAX)
		return -ENOENT;
	memcpy(key, k, len);
	*key_len = len;
	return 0;
}

const struct cfg_remote *
ike_conf_cfg(const struct ike_conf *c, const struct ikev1_remote *r)
{
	return &c->cfg->remotes[r - c->remotes];
}

const struct ikev1_remote *
ike_conf_find(const struct ike_conf *c, const struct addr *peer)
{
	const struct ikev1_remote *anon = NULL;

	for (size_t i = 0; i < c->n; i++) {
		const struct cfg_remote *r = &c->cfg->remotes[i];

		if (r->has_address && addr_eq(&r->address, peer))
			return &c->remotes[i];
		if (r->anonymous && !anon)
			anon = &c->remotes[i];
	}
	return anon;
}

const char *
ike_conf_script(const struct ike_conf *c, const struct ikev1_remote *r, enum cfg_script which)
{
	for (size_t i = 0; i < c->n; i++)
		if (&c->remotes[i] == r)
			return c->cfg->remotes[i].script[which];
	return NULL;
}
