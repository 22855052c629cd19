/*
 * A throwaway PKI made at test time with the OpenSSL API: RSA keys, a CA, end-entity
 * certificates with subjectAltNames, CRLs, and their PEM or DER forms. Nothing here is
 * a secret of any value; every key lives for one test run.
 */
#ifndef COATI_TESTS_PKI_TEST_H
#define COATI_TESTS_PKI_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "crypto/sig.h"
#include "crypto/x509.h"

struct pki_id {
	EVP_PKEY *key;
	X509 *cert;
};

static inline EVP_PKEY *
pki_rsa(int bits)
{
	EVP_PKEY *k = EVP_RSA_gen((unsigned)bits);

	assert_non_null(k);
	return k;
}

static inline void
pki_ext(X509 *x, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509_EXTENSION *e;

	X509V3_set_ctx(&ctx, issuer, x, NULL, NULL, 0);
	e = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
	assert_non_null(e);
	assert_true(X509_add_ext(x, e, -1));
	X509_EXTENSION_free(e);
}

/*
 * A certificate for subject ("/C=XX/O=coati test/CN=gw", OpenSSL's form) with a new key,
 * issued by issuer (NULL: self-signed CA), valid from days_from to days_to around now,
 * with the subjectAltName alt (NULL: none), serial serial.
 */
static inline struct pki_id
pki_make(const char *subject, const struct pki_id *issuer, bool ca, long days_from, long days_to,
         const char *alt, long serial)
{
	struct pki_id id = {pki_rsa(2048), X509_new()};
	uint8_t der[X509_DN_MAX];
	const unsigned char *p = der;
	X509_NAME *n;
	X509 *icert;
	size_t len;

	assert_non_null(id.cert);
	assert_int_equal(x509_dn_from_str(subject, der, sizeof(der), &len), 0);
	n = d2i_X509_NAME(NULL, &p, (long)len);
	assert_non_null(n);
	X509_set_version(id.cert, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(id.cert), serial);
	X509_gmtime_adj(X509_getm_notBefore(id.cert), days_from * 86400);
	X509_gmtime_adj(X509_getm_notAfter(id.cert), days_to * 86400);
	X509_set_subject_name(id.cert, n);
	icert = issuer ? issuer->cert : id.cert;
	X509_set_issuer_name(id.cert, issuer ? X509_get_subject_name(issuer->cert) : n);
	X509_set_pubkey(id.cert, id.key);
	pki_ext(id.cert, icert, NID_basic_constraints, ca ? "critical,CA:TRUE" : "CA:FALSE");
	if (ca)
		pki_ext(id.cert, icert, NID_key_usage, "critical,keyCertSign,cRLSign");
	pki_ext(id.cert, icert, NID_subject_key_identifier, "hash");
	if (alt)
		pki_ext(id.cert, icert, NID_subject_alt_name, alt);
	assert_true(X509_sign(id.cert, issuer ? issuer->key : id.key, EVP_sha256()) > 0);
	X509_NAME_free(n);
	return id;
}

static inline void
pki_free(struct pki_id *id)
{
	EVP_PKEY_free(id->key);
	X509_free(id->cert);
	memset(id, 0, sizeof(*id));
}

/* Our wrapper of id's certificate (through its DER, as from a CERT payload). */
static inline struct x509_cert *
pki_cert(const struct pki_id *id)
{
	unsigned char *der = NULL;
	int len = i2d_X509(id->cert, &der);
	struct x509_cert *c;

	assert_true(len > 0);
	assert_int_equal(x509_cert_from_der(der, (size_t)len, &c), 0);
	OPENSSL_free(der);
	return c;
}

static inline struct sig_key *
pki_key(const struct pki_id *id)
{
	BIO *b = BIO_new(BIO_s_mem());
	struct sig_key *k;
	char *pem;
	long len;

	assert_non_null(b);
	assert_true(PEM_write_bio_PrivateKey(b, id->key, NULL, NULL, 0, NULL, NULL));
	len = BIO_get_mem_data(b, &pem);
	assert_int_equal(sig_key_from_pem(pem, (size_t)len, &k), 0);
	BIO_free(b);
	return k;
}

/* A CRL of ca revoking the serials given (0-terminated), valid for a day. */
static inline X509_CRL *
pki_crl(const struct pki_id *ca, const long *revoked)
{
	X509_CRL *crl = X509_CRL_new();
	ASN1_TIME *t = ASN1_TIME_new();

	assert_non_null(crl);
	X509_CRL_set_version(crl, 1);
	X509_CRL_set_issuer_name(crl, X509_get_subject_name(ca->cert));
	X509_gmtime_adj(t, -3600);
	X509_CRL_set1_lastUpdate(crl, t);
	X509_gmtime_adj(t, 86400);
	X509_CRL_set1_nextUpdate(crl, t);
	for (; *revoked; revoked++) {
		X509_REVOKED *r = X509_REVOKED_new();
		ASN1_INTEGER *sn = ASN1_INTEGER_new();

		ASN1_INTEGER_set(sn, *revoked);
		X509_REVOKED_set_serialNumber(r, sn);
		X509_gmtime_adj(t, -60);
		X509_REVOKED_set_revocationDate(r, t);
		X509_CRL_add0_revoked(crl, r);
		ASN1_INTEGER_free(sn);
	}
	X509_CRL_sort(crl);
	assert_true(X509_CRL_sign(crl, ca->key, EVP_sha256()) > 0);
	ASN1_TIME_free(t);
	return crl;
}

/* Write id's certificate (and, with key, its key; with crl, a CRL) as PEM to path. */
static inline void
pki_write(const char *path, const struct pki_id *id, bool key, X509_CRL *crl)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	if (id && id->cert)
		assert_true(PEM_write_X509(f, id->cert));
	if (id && key)
		assert_true(PEM_write_PrivateKey(f, id->key, NULL, NULL, 0, NULL, NULL));
	if (crl)
		assert_true(PEM_write_X509_CRL(f, crl));
	fclose(f);
}

#endif
