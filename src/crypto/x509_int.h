/* What x509.c and sig.c share inside src/crypto: a certificate with its DER kept. */
#ifndef COATI_CRYPTO_X509_INT_H
#define COATI_CRYPTO_X509_INT_H

#include <openssl/x509.h>

#include "crypto/x509.h"

struct x509_cert {
	X509 *x;
	unsigned char *der;
	size_t der_len;
};

/*
 * The PEM passphrase callback of every read here: none. OpenSSL's default would prompt
 * on the terminal for an encrypted block (a key in a certificate directory).
 */
int x509_no_passphrase(char *buf, int size, int rwflag, void *u);

#endif
