/*
 * X.509 certificates for IKE authentication by signatures (RFC 2409 5.1): certificates
 * and their names, trust stores (CA certificates and CRLs, racoon's "path certificate"
 * directory) and chain verification. The peer's certificate comes from the wire: every
 * parse here is of untrusted DER and fails cleanly.
 */
#ifndef COATI_CRYPTO_X509_H
#define COATI_CRYPTO_X509_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define X509_DN_MAX 1024     /* a DER distinguished name we keep */
#define X509_CERT_DER_MAX 16384
#define X509_REASON_MAX 256

struct x509_cert;
struct x509_store;

/* The first certificate of a PEM (or DER) file. 0, -errno of the open, -EBADMSG. */
int x509_cert_load(const char *path, struct x509_cert **out);
/* A certificate from DER (a CERT payload); -EBADMSG if it does not parse exactly. */
int x509_cert_from_der(const uint8_t *der, size_t len, struct x509_cert **out);
void x509_cert_free(struct x509_cert *c);
/* The certificate's DER encoding, owned by c. */
void x509_cert_der(const struct x509_cert *c, const uint8_t **der, size_t *len);
/* The subject as DER (ID_DER_ASN1_DN body) into buf[cap]; -E2BIG if it does not fit. */
int x509_cert_subject(const struct x509_cert *c, uint8_t *buf, size_t cap, size_t *ret_len);
/* The subject as "C=XX, O=coati, CN=gw" for logs (truncated to cap). */
void x509_cert_subject_str(const struct x509_cert *c, char *buf, size_t cap);
/* Same DER encoding. */
bool x509_cert_equal(const struct x509_cert *a, const struct x509_cert *b);

/* subjectAltName entry types an IKE identity can be checked against. */
enum x509_alt {
	X509_ALT_IP,    /* 4 or 16 address bytes (ID_IPV4_ADDR / ID_IPV6_ADDR) */
	X509_ALT_DNS,   /* ID_FQDN, compared without case */
	X509_ALT_EMAIL, /* ID_USER_FQDN, compared without case */
};

/* True if c's subjectAltName holds an entry of this type equal to v[len]. */
bool x509_cert_has_alt(const struct x509_cert *c, enum x509_alt type, const uint8_t *v,
                       size_t len);

/*
 * A distinguished name in racoon's text form ("C=XX, O=coati test, CN=gw", also with
 * "/" separators) as DER into der[cap]. 0, -EINVAL unparsable, -E2BIG.
 */
int x509_dn_from_str(const char *text, uint8_t *der, size_t cap, size_t *ret_len);
/* Two DER names equal in canonical form (case and spacing of strings folded). */
bool x509_dn_equal(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen);
/* A DER name as text for logs; -EBADMSG if it does not parse. */
int x509_dn_to_str(const uint8_t *der, size_t len, char *buf, size_t cap);

/* An empty trust store. 0 or -ENOMEM. */
int x509_store_new(struct x509_store **out);
void x509_store_free(struct x509_store *s);
/*
 * Add the CA certificates and CRLs of a PEM file, or of every file of a directory
 * (PEM files by any name, c_rehash's hashed links included; files that hold neither,
 * such as private keys, are skipped). Certificates that are not CAs are ignored.
 * Returns the number of CA certificates and CRLs added, or -errno for the path.
 */
int x509_store_add_path(struct x509_store *s, const char *path);
/* Add one CA certificate (a copy is kept). 0, -EINVAL if c is not a CA, -ENOMEM. */
int x509_store_add_ca(struct x509_store *s, const struct x509_cert *c);
/* Number of CA certificates, and the subject DER of the ith (for CR payloads). */
size_t x509_store_ca_count(const struct x509_store *s);
int x509_store_ca_subject(const struct x509_store *s, size_t i, uint8_t *buf, size_t cap,
                          size_t *ret_len);
size_t x509_store_crl_count(const struct x509_store *s);
/*
 * Verify c against the store at the current time, with the untrusted intermediates
 * chain[0..n) the peer sent; the CRLs are checked for c when the store holds any.
 * 0, -EACCES with a one-line reason in why ("untrusted CA", "expired", "revoked", ...),
 * -ENOMEM.
 */
int x509_store_verify(const struct x509_store *s, const struct x509_cert *c,
                      const struct x509_cert *const *chain, size_t n, char *why, size_t why_cap);

#endif
