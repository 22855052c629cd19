/*
 * libFuzzer harness for what coati does with a certificate from a CERT payload and a
 * distinguished name from an ID or CR payload: parse the DER (OpenSSL's d2i under our
 * exact-length check), take its subject as DER and text, look up subjectAltNames,
 * check a signature with its key; the same bytes as a DN: text form and comparison.
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto/sig.h"
#include "crypto/x509.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
cert_walk(const uint8_t *data, size_t size)
{
	static const uint8_t ip4[] = {192, 0, 2, 2};
	uint8_t dn[X509_DN_MAX], sig[64] = {0};
	const uint8_t *der;
	struct x509_cert *c;
	char text[256];
	size_t len;

	if (x509_cert_from_der(data, size, &c) != 0)
		return;
	x509_cert_der(c, &der, &len);
	assert(len > 0);
	if (x509_cert_subject(c, dn, sizeof(dn), &len) == 0)
		assert(x509_dn_equal(dn, len, dn, len));
	x509_cert_subject_str(c, text, sizeof(text));
	x509_cert_has_alt(c, X509_ALT_IP, ip4, sizeof(ip4));
	x509_cert_has_alt(c, X509_ALT_DNS, (const uint8_t *)"gw.coati.test", 13);
	x509_cert_has_alt(c, X509_ALT_EMAIL, (const uint8_t *)"a@coati.test", 12);
	sig_rsa_verify(c, data, size < 32 ? size : 32, sig, sizeof(sig));
	x509_cert_free(c);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char text[256];

	cert_walk(data, size);
	if (x509_dn_to_str(data, size, text, sizeof(text)) == 0)
		assert(x509_dn_equal(data, size, data, size));
	return 0;
}
