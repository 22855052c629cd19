/*
 * racoon's certificate handling: certificate_type x509 "cert" "key", peers_certfile,
 * ca_type x509, the CA directory of "path certificate" (c_rehash links or plain PEM
 * names, CRLs among them) and asn1dn identities. Everything is loaded when the
 * configuration is (re)loaded, so a missing or wrong file is a configuration error with
 * its file:line, and a reload that fails keeps the running configuration.
 */
#include "daemon/ike_cert.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ike/v1/ikev1.h"
#include "lib/log.h"
#include "lib/safefile.h"
#include "lib/secmem.h"

#define KEY_FILE_MAX (1u << 20)

/* A file named in racoon.conf: relative names are under path certificate. */
static void
cert_path(const struct cfg *cfg, const char *name, char *buf, size_t cap)
{
	if (name[0] == '/' || !cfg->path_certificate)
		snprintf(buf, cap, "%s", name);
	else
		snprintf(buf, cap, "%s/%s", cfg->path_certificate, name);
}

static int
load_cert(const struct cfg *cfg, const struct cfg_loc *loc, const char *what, const char *name,
          struct x509_cert **out)
{
	char path[4096];
	int err;

	cert_path(cfg, name, path, sizeof(path));
	err = x509_cert_load(path, out);
	if (err < 0)
		log_err("%s:%d: %s %s: %s", loc->file, loc->line, what, path,
			err == -EBADMSG ? "no X.509 certificate in it" : strerror(-err));
	return err < 0 ? -EINVAL : 0;
}

/* The private key, read as a secret file, must be the certificate's. */
static int
load_key(const struct cfg *cfg, const struct cfg_remote *r, const struct x509_cert *cert,
         struct sig_key **out)
{
	const struct cfg_loc *loc = &r->cert_loc;
	char path[4096], *pem = NULL;
	size_t len = 0;
	int err;

	cert_path(cfg, r->key_file, path, sizeof(path));
	if (safefile_read(path, KEY_FILE_MAX, &pem, &len) < 0) {
		log_err("%s:%d: private key %s cannot be used (see above)", loc->file, loc->line,
			path);
		return -EINVAL;
	}
	err = sig_key_from_pem(pem, len, out);
	secmem_wipe(pem, len);
	free(pem);
	if (err < 0) {
		log_err("%s:%d: private key %s: no PEM private key in it", loc->file, loc->line,
			path);
		return -EINVAL;
	}
	if (!sig_key_is_rsa(*out) || !sig_key_matches(*out, cert)) {
		log_err("%s:%d: private key %s: %s", loc->file, loc->line, path,
			sig_key_is_rsa(*out) ? "does not match the certificate"
					     : "not an RSA key (only RSA signatures here)");
		sig_key_free(*out);
		*out = NULL;
		return -EINVAL;
	}
	return 0;
}

/* A store with the CAs and CRLs of path (a directory or a PEM file). */
static int
load_store(const struct cfg_loc *loc, const char *what, const char *path, bool must,
           struct x509_store **out)
{
	struct x509_store *s;
	int n, err = x509_store_new(&s);

	if (err < 0)
		return err;
	n = x509_store_add_path(s, path);
	if (n < 0 || (must && n == 0)) {
		log_err("%s:%d: %s %s: %s", loc->file, loc->line, what, path,
			n < 0 ? strerror(-n) : "no CA certificate in it");
		x509_store_free(s);
		return n == -ENOMEM ? n : -EINVAL;
	}
	log_info("%s %s: %zu CA certificate(s), %zu CRL(s)", what, path,
		 x509_store_ca_count(s), x509_store_crl_count(s));
	*out = s;
	return 0;
}

/* The store the peer's certificate is checked against: ca_type, else path certificate. */
static int
load_ca(const struct cfg *cfg, const struct cfg_remote *r, struct x509_store **shared,
        struct ike_cred *cred, const struct x509_store **out)
{
	char path[4096];
	int err;

	if (r->ca_file) {
		cert_path(cfg, r->ca_file, path, sizeof(path));
		if ((err = load_store(&r->ca_loc, "ca_type x509", path, true, &cred->ca)) < 0)
			return err;
		*out = cred->ca;
		return 0;
	}
	if (!*shared && cfg->path_certificate &&
	    (err = load_store(&r->cert_loc, "path certificate", cfg->path_certificate, false,
			      shared)) < 0)
		return err;
	*out = *shared;
	if (r->verify_cert && !r->peers_certfile && (!*out || !x509_store_ca_count(*out)))
		log_warn("%s:%d: remote %s: no CA certificate (path certificate, ca_type): peers' "
			 "certificates cannot be verified", r->cert_loc.file, r->cert_loc.line,
			 r->name);
	return 0;
}

/* asn1dn identities as DER: the text form, or a certificate's subject. */
static int
map_dn(const struct cfg_remote *r, const char *what, const char *text,
       const struct x509_cert *c, struct ikev1_ident *id)
{
	size_t len;
	int err;

	memset(id, 0, sizeof(*id));
	if (text)
		err = x509_dn_from_str(text, id->data, sizeof(id->data), &len);
	else if (c)
		err = x509_cert_subject(c, id->data, sizeof(id->data), &len);
	else
		return 0;
	if (err < 0) {
		log_err("%s:%d: remote %s: %s asn1dn \"%s\": %s", r->loc.file, r->loc.line,
			r->name, what, text ? text : "(certificate subject)",
			err == -E2BIG ? "too long" : "not a distinguished name");
		return -EINVAL;
	}
	id->type = IKEV1_ID_DER_ASN1_DN;
	id->len = (uint16_t)len;
	return 0;
}

static int
map_ids(const struct cfg_remote *r, const struct ike_cred *cred, struct ikev1_remote *o)
{
	int err = 0;

	if (r->my_id.type == CFG_ID_ASN1DN) {
		if (!r->my_id.value && !cred->cert) {
			log_err("%s:%d: remote %s: my_identifier asn1dn without a value needs "
				"certificate_type x509", r->loc.file, r->loc.line, r->name);
			return -EINVAL;
		}
		err = map_dn(r, "my_identifier", r->my_id.value, cred->cert, &o->my_id);
	}
	if (err == 0 && r->verify_identifier && r->n_peers_ids &&
	    r->peers_ids[0].type == CFG_ID_ASN1DN)
		err = map_dn(r, "peers_identifier", r->peers_ids[0].value, cred->peers_cert,
			     &o->peers_id);
	return err;
}

int
ike_cert_remote(const struct cfg *cfg, const struct cfg_remote *r, struct x509_store **shared,
                struct ike_cred *cred, struct ikev1_remote *o)
{
	int err;

	memset(cred, 0, sizeof(*cred));
	o->send_cert = r->send_cert;
	o->send_cr = r->send_cr;
	o->verify_cert = r->verify_cert;
	if (r->cert_type == CFG_CERT_X509) {
		if ((err = load_cert(cfg, &r->cert_loc, "certificate", r->cert_file,
				     &cred->cert)) < 0 ||
		    (err = load_key(cfg, r, cred->cert, &cred->key)) < 0 ||
		    (err = load_ca(cfg, r, shared, cred, &o->ca)) < 0)
			goto fail;
		o->cert = cred->cert;
		o->key = cred->key;
	}
	if (r->peers_certfile && r->peers_cert_type == CFG_CERT_X509) {
		if ((err = load_cert(cfg, &r->peers_cert_loc, "peers_certfile", r->peers_certfile,
				     &cred->peers_cert)) < 0)
			goto fail;
		o->peers_cert = cred->peers_cert;
	}
	if ((err = map_ids(r, cred, o)) < 0)
		goto fail;
	return 0;
fail:
	ike_cred_free(cred);
	o->cert = o->peers_cert = NULL;
	o->key = NULL;
	o->ca = NULL;
	return err;
}

void
ike_cred_free(struct ike_cred *c)
{
	x509_cert_free(c->cert);
	x509_cert_free(c->peers_cert);
	sig_key_free(c->key);
	x509_store_free(c->ca);
	memset(c, 0, sizeof(*c));
}
