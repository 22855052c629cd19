/*
 * X.509 through OpenSSL: certificates, names, subjectAltName, trust stores and chain
 * verification. Certificates from the wire are parsed with d2i_X509 and must use up
 * their whole DER; names are compared with X509_NAME_cmp (canonical encoding).
 */
#include "crypto/x509.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "crypto/x509_int.h"

struct x509_store {
	X509_STORE *st;
	STACK_OF(X509) *cas;      /* what was added, for CR payloads and duplicates */
	STACK_OF(X509_CRL) *crls;
};

int
x509_no_passphrase(char *buf, int size, int rwflag, void *u)
{
	return -1;
}

static int
cert_wrap(X509 *x, struct x509_cert **out)
{
	struct x509_cert *c = calloc(1, sizeof(*c));
	int n;

	if (!c) {
		X509_free(x);
		return -ENOMEM;
	}
	c->x = x;
	n = i2d_X509(x, &c->der);
	if (n <= 0) {
		x509_cert_free(c);
		return -EBADMSG;
	}
	c->der_len = (size_t)n;
	*out = c;
	return 0;
}

int
x509_cert_load(const char *path, struct x509_cert **out)
{
	BIO *b = BIO_new_file(path, "rb");
	X509 *x;

	if (!b) {
		int err = errno ? -errno : -ENOENT;

		ERR_clear_error();
		return err;
	}
	x = PEM_read_bio_X509(b, NULL, x509_no_passphrase, NULL);
	if (!x && BIO_reset(b) == 0)
		x = d2i_X509_bio(b, NULL);
	BIO_free(b);
	ERR_clear_error();
	if (!x)
		return -EBADMSG;
	return cert_wrap(x, out);
}

int
x509_cert_from_der(const uint8_t *der, size_t len, struct x509_cert **out)
{
	const unsigned char *p = der;
	X509 *x;

	if (len == 0 || len > X509_CERT_DER_MAX)
		return -EBADMSG;
	x = d2i_X509(NULL, &p, (long)len);
	ERR_clear_error();
	if (!x)
		return -EBADMSG;
	/* trailing bytes after the certificate: not what the peer meant */
	if ((size_t)(p - der) != len) {
		X509_free(x);
		return -EBADMSG;
	}
	return cert_wrap(x, out);
}

void
x509_cert_free(struct x509_cert *c)
{
	if (!c)
		return;
	X509_free(c->x);
	OPENSSL_free(c->der);
	free(c);
}

void
x509_cert_der(const struct x509_cert *c, const uint8_t **der, size_t *len)
{
	*der = c->der;
	*len = c->der_len;
}

static int
name_der(const X509_NAME *n, uint8_t *buf, size_t cap, size_t *ret_len)
{
	unsigned char *p = NULL;
	int len = i2d_X509_NAME(n, &p);

	if (len <= 0)
		return -EINVAL;
	if ((size_t)len > cap) {
		OPENSSL_free(p);
		return -E2BIG;
	}
	memcpy(buf, p, (size_t)len);
	OPENSSL_free(p);
	*ret_len = (size_t)len;
	return 0;
}

int
x509_cert_subject(const struct x509_cert *c, uint8_t *buf, size_t cap, size_t *ret_len)
{
	return name_der(X509_get_subject_name(c->x), buf, cap, ret_len);
}

/* RFC 2253-like, most significant first, ", " between RDNs: what racoon and charon print. */
static void
name_str(const X509_NAME *n, char *buf, size_t cap)
{
	BIO *b = BIO_new(BIO_s_mem());
	int len;

	if (cap == 0)
		return;
	buf[0] = 0;
	if (!b)
		return;
	if (X509_NAME_print_ex(b, n, 0, XN_FLAG_SEP_CPLUS_SPC | XN_FLAG_FN_SN |
	                       ASN1_STRFLGS_UTF8_CONVERT | ASN1_STRFLGS_ESC_CTRL) >= 0) {
		len = BIO_read(b, buf, (int)cap - 1);
		buf[len > 0 ? len : 0] = 0;
	}
	BIO_free(b);
}

void
x509_cert_subject_str(const struct x509_cert *c, char *buf, size_t cap)
{
	name_str(X509_get_subject_name(c->x), buf, cap);
}

bool
x509_cert_equal(const struct x509_cert *a, const struct x509_cert *b)
{
	return a->der_len == b->der_len && memcmp(a->der, b->der, a->der_len) == 0;
}

static bool
alt_match(const GENERAL_NAME *g, enum x509_alt type, const uint8_t *v, size_t len)
{
	const ASN1_STRING *s;
	int want;

	switch (type) {
	case X509_ALT_IP: want = GEN_IPADD; break;
	case X509_ALT_DNS: want = GEN_DNS; break;
	case X509_ALT_EMAIL: want = GEN_EMAIL; break;
	default: return false;
	}
	if (g->type != want)
		return false;
	s = g->d.ia5; /* the union's members are all ASN1_STRINGs for these three types */
	if ((size_t)ASN1_STRING_length(s) != len)
		return false;
	if (type == X509_ALT_IP)
		return memcmp(ASN1_STRING_get0_data(s), v, len) == 0;
	return strncasecmp((const char *)ASN1_STRING_get0_data(s), (const char *)v, len) == 0;
}

bool
x509_cert_has_alt(const struct x509_cert *c, enum x509_alt type, const uint8_t *v, size_t len)
{
	GENERAL_NAMES *names = X509_get_ext_d2i(c->x, NID_subject_alt_name, NULL, NULL);
	bool found = false;

	ERR_clear_error();
	if (!names)
		return false;
	for (int i = 0; i < sk_GENERAL_NAME_num(names) && !found; i++)
		found = alt_match(sk_GENERAL_NAME_value(names, i), type, v, len);
	GENERAL_NAMES_free(names);
	return found;
}

/* One "key=value" of a DN text; backslash escapes the separators. */
static int
dn_add_rdn(X509_NAME *n, const char *s, size_t len)
{
	char field[64], value[256];
	size_t i = 0, f = 0, v = 0;

	while (i < len && s[i] == ' ')
		i++;
	while (i < len && s[i] != '=' && f + 1 < sizeof(field))
		field[f++] = s[i++];
	while (f && field[f - 1] == ' ')
		f--;
	field[f] = 0;
	if (i >= len || s[i] != '=' || f == 0)
		return -EINVAL;
	for (i++; i < len && s[i] == ' '; i++)
		;
	for (; i < len && v + 1 < sizeof(value); i++) {
		if (s[i] == '\\' && i + 1 < len)
			i++;
		value[v++] = s[i];
	}
	if (i < len)
		return -E2BIG;
	while (v && value[v - 1] == ' ')
		v--;
	value[v] = 0;
	if (v == 0 ||
	    !X509_NAME_add_entry_by_txt(n, field, MBSTRING_UTF8, (unsigned char *)value, -1, -1, 0))
		return -EINVAL;
	return 0;
}

int
x509_dn_from_str(const char *text, uint8_t *der, size_t cap, size_t *ret_len)
{
	X509_NAME *n = X509_NAME_new();
	const char *start;
	char sep;
	int err = 0;

	if (!n)
		return -ENOMEM;
	/* "/C=XX/O=coati/CN=gw" (OpenSSL's form) or "C=XX, O=coati, CN=gw" (racoon's) */
	sep = text[0] == '/' ? '/' : ',';
	start = text[0] == '/' ? text + 1 : text;
	for (const char *p = start;; p++) {
		bool escaped = p > start && p[-1] == '\\';

		if (*p && (*p != sep || escaped))
			continue;
		if ((err = dn_add_rdn(n, start, (size_t)(p - start))) < 0 || !*p)
			break;
		start = p + 1;
	}
	if (err == 0)
		err = X509_NAME_entry_count(n) ? name_der(n, der, cap, ret_len) : -EINVAL;
	X509_NAME_free(n);
	ERR_clear_error();
	return err;
}

static X509_NAME *
dn_parse(const uint8_t *der, size_t len)
{
	const unsigned char *p = der;
	X509_NAME *n;

	if (len == 0 || len > X509_DN_MAX)
		return NULL;
	n = d2i_X509_NAME(NULL, &p, (long)len);
	ERR_clear_error();
	if (n && (size_t)(p - der) != len) {
		X509_NAME_free(n);
		return NULL;
	}
	return n;
}

bool
x509_dn_equal(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
	X509_NAME *na = dn_parse(a, alen), *nb = dn_parse(b, blen);
	bool eq = na && nb && X509_NAME_cmp(na, nb) == 0;

	X509_NAME_free(na);
	X509_NAME_free(nb);
	ERR_clear_error();
	return eq;
}

int
x509_dn_to_str(const uint8_t *der, size_t len, char *buf, size_t cap)
{
	X509_NAME *n = dn_parse(der, len);

	if (!n)
		return -EBADMSG;
	name_str(n, buf, cap);
	X509_NAME_free(n);
	return 0;
}

int
x509_store_new(struct x509_store **out)
{
	struct x509_store *s = calloc(1, sizeof(*s));

	if (!s)
		return -ENOMEM;
	s->st = X509_STORE_new();
	s->cas = sk_X509_new_null();
	s->crls = sk_X509_CRL_new_null();
	if (!s->st || !s->cas || !s->crls) {
		x509_store_free(s);
		return -ENOMEM;
	}
	*out = s;
	return 0;
}

void
x509_store_free(struct x509_store *s)
{
	if (!s)
		return;
	X509_STORE_free(s->st);
	sk_X509_pop_free(s->cas, X509_free);
	sk_X509_CRL_pop_free(s->crls, X509_CRL_free);
	free(s);
}

/* 1 added, 0 a duplicate or not a CA, -ENOMEM. */
static int
store_add_x509(struct x509_store *s, X509 *x)
{
	if (X509_check_ca(x) < 1)
		return 0;
	for (int i = 0; i < sk_X509_num(s->cas); i++)
		if (X509_cmp(sk_X509_value(s->cas, i), x) == 0)
			return 0;
	if (!X509_STORE_add_cert(s->st, x) || !X509_up_ref(x))
		return -ENOMEM;
	if (!sk_X509_push(s->cas, x)) {
		X509_free(x);
		return -ENOMEM;
	}
	return 1;
}

static int
store_add_crl(struct x509_store *s, X509_CRL *crl)
{
	for (int i = 0; i < sk_X509_CRL_num(s->crls); i++)
		if (X509_CRL_match(sk_X509_CRL_value(s->crls, i), crl) == 0)
			return 0;
	if (!X509_STORE_add_crl(s->st, crl) || !X509_CRL_up_ref(crl))
		return -ENOMEM;
	if (!sk_X509_CRL_push(s->crls, crl)) {
		X509_CRL_free(crl);
		return -ENOMEM;
	}
	/* racoon's rule: revocation is checked once a CRL is there, and only then */
	X509_STORE_set_flags(s->st, X509_V_FLAG_CRL_CHECK);
	return 1;
}

/* Every certificate and CRL of one PEM file; a file with none of them adds nothing. */
static int
store_add_file(struct x509_store *s, const char *path)
{
	STACK_OF(X509_INFO) *infos;
	BIO *b = BIO_new_file(path, "rb");
	int n = 0, r = 0;

	if (!b) {
		ERR_clear_error();
		return -errno;
	}
	infos = PEM_X509_INFO_read_bio(b, NULL, x509_no_passphrase, NULL);
	BIO_free(b);
	ERR_clear_error();
	for (int i = 0; infos && i < sk_X509_INFO_num(infos) && r >= 0; i++) {
		X509_INFO *xi = sk_X509_INFO_value(infos, i);

		if (xi->x509 && (r = store_add_x509(s, xi->x509)) > 0)
			n++;
		if (r >= 0 && xi->crl && (r = store_add_crl(s, xi->crl)) > 0)
			n++;
	}
	sk_X509_INFO_pop_free(infos, X509_INFO_free);
	return r < 0 ? r : n;
}

int
x509_store_add_path(struct x509_store *s, const char *path)
{
	char file[4096];
	struct dirent *de;
	struct stat st;
	DIR *d;
	int n = 0, r;

	if (stat(path, &st) < 0)
		return -errno;
	if (!S_ISDIR(st.st_mode))
		return store_add_file(s, path);
	if (!(d = opendir(path)))
		return -errno;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' ||
		    snprintf(file, sizeof(file), "%s/%s", path, de->d_name) >= (int)sizeof(file))
			continue;
		if (stat(file, &st) < 0 || !S_ISREG(st.st_mode))
			continue;
		if ((r = store_add_file(s, file)) == -ENOMEM) {
			closedir(d);
			return r;
		}
		n += r > 0 ? r : 0;
	}
	closedir(d);
	return n;
}

int
x509_store_add_ca(struct x509_store *s, const struct x509_cert *c)
{
	int r;

	if (X509_check_ca(c->x) < 1)
		return -EINVAL;
	r = store_add_x509(s, c->x);
	return r < 0 ? r : 0;
}

size_t
x509_store_ca_count(const struct x509_store *s)
{
	return (size_t)sk_X509_num(s->cas);
}

int
x509_store_ca_subject(const struct x509_store *s, size_t i, uint8_t *buf, size_t cap,
                      size_t *ret_len)
{
	if (i >= x509_store_ca_count(s))
		return -ENOENT;
	return name_der(X509_get_subject_name(sk_X509_value(s->cas, (int)i)), buf, cap, ret_len);
}

size_t
x509_store_crl_count(const struct x509_store *s)
{
	return (size_t)sk_X509_CRL_num(s->crls);
}

static const char *
verify_reason(int code)
{
	switch (code) {
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
	case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
	case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
	case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
		return "untrusted CA";
	case X509_V_ERR_CERT_HAS_EXPIRED: return "expired";
	case X509_V_ERR_CERT_NOT_YET_VALID: return "not yet valid";
	case X509_V_ERR_CERT_REVOKED: return "revoked";
	case X509_V_ERR_CERT_SIGNATURE_FAILURE: return "bad certificate signature";
	case X509_V_ERR_UNABLE_TO_GET_CRL: return "no CRL from its CA";
	case X509_V_ERR_CRL_HAS_EXPIRED: return "CRL expired";
	default: return NULL;
	}
}

int
x509_store_verify(const struct x509_store *s, const struct x509_cert *c,
                  const struct x509_cert *const *chain, size_t n, char *why, size_t why_cap)
{
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	STACK_OF(X509) *untrusted = sk_X509_new_null();
	int err = -ENOMEM, code;

	if (why_cap)
		why[0] = 0;
	if (!ctx || !untrusted)
		goto out;
	for (size_t i = 0; i < n; i++)
		if (!sk_X509_push(untrusted, chain[i]->x))
			goto out;
	if (!X509_STORE_CTX_init(ctx, s->st, c->x, untrusted))
		goto out;
	if (X509_verify_cert(ctx) == 1) {
		err = 0;
		goto out;
	}
	/* short: the reason goes into a one-line event with the subject */
	code = X509_STORE_CTX_get_error(ctx);
	if (verify_reason(code))
		snprintf(why, why_cap, "%s", verify_reason(code));
	else
		snprintf(why, why_cap, "%s", X509_verify_cert_error_string(code));
	err = -EACCES;
out:
	X509_STORE_CTX_free(ctx);
	sk_X509_free(untrusted); /* the certificates stay their owners' */
	ERR_clear_error();
	return err;
}
