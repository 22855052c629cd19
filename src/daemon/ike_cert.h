/* racoon.conf certificate directives -> the IKEv1 engine's signature credentials. */
#ifndef COATI_DAEMON_IKE_CERT_H
#define COATI_DAEMON_IKE_CERT_H

#include "config/conf.h"
#include "crypto/sig.h"
#include "crypto/x509.h"
#include "ike/v1/engine.h"

/* What one remote's engine view points to; owned by the struct ike_conf. */
struct ike_cred {
	struct x509_cert *cert, *peers_cert;
	struct sig_key *key;
	struct x509_store *ca; /* ca_type: a store of the remote's own; else NULL */
};

/*
 * Load r's certificate_type x509 certificate and key (the key read as a secret file,
 * checked to match the certificate), peers_certfile, ca_type, and point o at them with
 * send_cert/send_cr/verify_cert; my_identifier asn1dn (the certificate's subject when no
 * value is given) and peers_identifier asn1dn become DER. Relative names are under
 * path certificate, whose CAs and CRLs are loaded once into *shared when a remote first
 * needs them. Errors are logged with racoon.conf file:line: -EINVAL, -ENOMEM.
 */
int ike_cert_remote(const struct cfg *cfg, const struct cfg_remote *r,
                    struct x509_store **shared, struct ike_cred *cred, struct ikev1_remote *o);
/* Free (the key is cleared by OpenSSL). NULL members are fine. */
void ike_cred_free(struct ike_cred *c);

#endif
