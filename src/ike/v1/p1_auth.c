/*
 * Phase 1 authentication of Main and Aggressive Mode by the negotiated method: a HASH
 * payload for pre-shared keys (RFC 2409 5.4), or [CERT,] SIG for RSA signatures
 * (RFC 2409 5.1), where SIG_I/SIG_R is HASH_I/HASH_R signed with PKCS#1 v1.5 and no
 * DigestInfo. The peer's certificate must chain to our CAs (verify_cert) or be its
 * peers_certfile, and the identity it claims must be the certificate's: an ASN.1 DN equal
 * to the subject, or an address/FQDN/user FQDN among the subjectAltNames.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "crypto/sig.h"
#include "crypto/x509.h"
#include "ike/v1/engine_int.h"

#define CR_MAX 8       /* CA names we ask for in CR payloads */
#define CHAIN_MAX 4    /* intermediate certificates the peer may send along */

bool
ikev1_auth_is_sig(uint16_t auth)
{
	return auth == IKEV1_AUTH_RSA_SIG;
}

bool
ikev1_auth_usable(const struct ikev1_remote *cfg, uint16_t auth)
{
	/* XAUTHInitPreShared authenticates phase 1 like PSK; the login follows (x_txn.c) */
	if (auth == IKEV1_AUTH_PSK || auth == IKEV1_AUTH_XAUTH_INIT_PSK)
		return true;
	return auth == IKEV1_AUTH_RSA_SIG && cfg->cert && cfg->key;
}

uint16_t
ikev1_sa_auth(const struct ikev1_ike_sa *sa)
{
	/* before the choice (AM2 awaited) every proposal of ours has the same method */
	if (sa->prop.auth)
		return sa->prop.auth;
	return sa->cfg->n_props ? sa->cfg->props[0].auth : 0;
}

/* CR (RFC 2408 3.10): one per CA we trust, or an empty one (any CA) without a store. */
void
ikev1_p1_cr_build(struct ikev1_out *o, const struct ikev1_ike_sa *sa)
{
	const struct ikev1_remote *cfg = sa->cfg;
	uint8_t dn[X509_DN_MAX];
	struct ikev1_cert cr = {.encoding = IKEV1_CERT_X509_SIG};
	size_t n = cfg->ca ? x509_store_ca_count(cfg->ca) : 0, len, sent = 0;

	if (!ikev1_auth_is_sig(ikev1_sa_auth(sa)) || !cfg->send_cr)
		return;
	for (size_t i = 0; i < n && sent < CR_MAX; i++) {
		if (x509_store_ca_subject(cfg->ca, i, dn, sizeof(dn), &len) < 0)
			continue;
		cr.data = rd_init(dn, len);
		ikev1_out_cert(o, IKEV1_PL_CR, &cr);
		sent++;
	}
	if (sent == 0) {
		cr.data = rd_init(NULL, 0);
		ikev1_out_cert(o, IKEV1_PL_CR, &cr);
	}
}

int
ikev1_p1_auth_build(struct ikev1_out *o, const struct ikev1_ike_sa *sa,
                    const struct ikev1_phase1 *p1, const struct ikev1_keys *k, const uint8_t *id,
                    size_t id_len)
{
	const struct ikev1_remote *cfg = sa->cfg;
	uint8_t hash[PRF_MAX_LEN], sig[SIG_MAX];
	struct ikev1_cert cert = {.encoding = IKEV1_CERT_X509_SIG};
	const uint8_t *der;
	size_t sig_len, der_len;
	int err = ikev1_p1_auth_hash(sa, p1, k, sa->initiator, id, id_len, hash);

	if (err < 0)
		return err;
	if (!ikev1_auth_is_sig(sa->prop.auth)) {
		ikev1_out_opaque(o, IKEV1_PL_HASH, hash, k->prf_len);
		return 0;
	}
	if (!cfg->key || !cfg->cert)
		return -EINVAL;
	err = sig_rsa_sign(cfg->key, hash, k->prf_len, sig, sizeof(sig), &sig_len);
	if (err < 0)
		return err;
	if (cfg->send_cert) {
		x509_cert_der(cfg->cert, &der, &der_len);
		cert.data = rd_init(der, der_len);
		ikev1_out_cert(o, IKEV1_PL_CERT, &cert);
	}
	ikev1_out_opaque(o, IKEV1_PL_SIG, sig, sig_len);
	return 0;
}

/* The ID for an event: a DN as text, an address, or the printable bytes of a name. */
static void
id_text(const struct ikev1_id *id, char *buf, size_t cap)
{
	struct prefix p;
	size_t n = 0;

	if (id->type == IKEV1_ID_DER_ASN1_DN &&
	    x509_dn_to_str(id->data.p, rd_left(&id->data), buf, cap) == 0)
		return;
	if ((id->type == IKEV1_ID_IPV4_ADDR || id->type == IKEV1_ID_IPV6_ADDR) &&
	    ikev1_id_to_prefix(id, &p) == 0) {
		addr_ntop(&p.addr, buf, cap);
		return;
	}
	for (size_t i = 0; i < rd_left(&id->data) && n + 1 < cap; i++) {
		uint8_t c = id->data.p[i];

		buf[n++] = c >= 0x20 && c < 0x7f ? (char)c : '?';
	}
	if (cap)
		buf[n] = 0;
}

/* The identity the peer claims (RFC 2409 5.1) must be its certificate's. */
static int
cert_id_check(struct ikev1_ike_sa *sa, const struct x509_cert *c, const struct ikev1_id *id)
{
	const uint8_t *v = id->data.p;
	size_t len = rd_left(&id->data);
	uint8_t dn[X509_DN_MAX];
	char subj[128], idt[128];
	size_t dn_len;
	bool ok;

	switch (id->type) {
	case IKEV1_ID_DER_ASN1_DN:
		ok = x509_cert_subject(c, dn, sizeof(dn), &dn_len) == 0 &&
		     x509_dn_equal(v, len, dn, dn_len);
		break;
	case IKEV1_ID_IPV4_ADDR:
	case IKEV1_ID_IPV6_ADDR: ok = x509_cert_has_alt(c, X509_ALT_IP, v, len); break;
	case IKEV1_ID_FQDN: ok = x509_cert_has_alt(c, X509_ALT_DNS, v, len); break;
	case IKEV1_ID_USER_FQDN: ok = x509_cert_has_alt(c, X509_ALT_EMAIL, v, len); break;
	default: ok = false; break;
	}
	if (ok)
		return 0;
	x509_cert_subject_str(c, subj, sizeof(subj));
	id_text(id, idt, sizeof(idt));
	ikev1_sa_event(sa, "authentication failed: ID %s '%s' does not match certificate '%s'",
	               ikev1_id_type_name(id->type), idt, subj);
	return -EACCES;
}

static void
certs_free(struct x509_cert *leaf, struct x509_cert **chain, size_t n)
{
	x509_cert_free(leaf);
	for (size_t i = 0; i < n; i++)
		x509_cert_free(chain[i]);
}

/*
 * The peer's X.509 certificates: the first is its own, the next ones intermediates
 * (strongSwan and racoon send theirs first). On failure nothing is left allocated.
 */
static int
cert_of_peer(struct ikev1_ike_sa *sa, const struct ikev1_msg *m, struct x509_cert **leaf,
             struct x509_cert **chain, size_t *nchain)
{
	const struct ikev1_payload *pl;
	struct ikev1_cert cert;
	struct x509_cert *c;
	int err = 0;

	*leaf = NULL;
	*nchain = 0;
	for (size_t i = 0; err == 0 && (pl = ikev1_msg_find(m, IKEV1_PL_CERT, i)) != NULL; i++) {
		if (ikev1_cert_parse(pl, &cert) < 0) {
			err = -EBADMSG;
		} else if (cert.encoding != IKEV1_CERT_X509_SIG) {
			continue;
		} else if (x509_cert_from_der(cert.data.p, rd_left(&cert.data), &c) < 0) {
			ikev1_sa_event(sa, "authentication failed: the peer's certificate does not "
			                   "parse");
			err = -EACCES;
		} else if (*leaf == NULL) {
			*leaf = c;
		} else if (*nchain < CHAIN_MAX) {
			chain[(*nchain)++] = c;
		} else {
			x509_cert_free(c);
		}
	}
	if (err < 0) {
		certs_free(*leaf, chain, *nchain);
		*leaf = NULL;
		*nchain = 0;
	}
	return err;
}

/* Chain to our CAs, or equality with peers_certfile; the reason goes to the event. */
static int
cert_trust(struct ikev1_ike_sa *sa, const struct x509_cert *c,
           const struct x509_cert *const *chain, size_t nchain)
{
	const struct ikev1_remote *cfg = sa->cfg;
	char why[X509_REASON_MAX], subj[128];
	int err;

	x509_cert_subject_str(c, subj, sizeof(subj));
	if (cfg->peers_cert) {
		if (x509_cert_equal(c, cfg->peers_cert))
			return 0;
		ikev1_sa_event(sa, "authentication failed: certificate '%s' is not peers_certfile",
		               subj);
		return -EACCES;
	}
	if (!cfg->verify_cert)
		return 0;
	if (!cfg->ca) {
		ikev1_sa_event(sa, "authentication failed: certificate '%s': no CA to verify it",
		               subj);
		return -EACCES;
	}
	err = x509_store_verify(cfg->ca, c, chain, nchain, why, sizeof(why));
	if (err == -EACCES)
		ikev1_sa_event(sa, "authentication failed: certificate '%s' refused: %s", subj,
		               why);
	return err;
}

/* SIG_I or SIG_R over the peer's HASH, by the certificate's key. */
static int
sig_check(struct ikev1_ike_sa *sa, const struct ikev1_msg *m, const struct x509_cert *c,
          const struct ikev1_phase1 *p1, const struct ikev1_keys *k, struct ikev1_bytes id)
{
	uint8_t want[PRF_MAX_LEN];
	struct rd sig;
	char subj[128];
	int err;

	if (ikev1_opaque_parse(ikev1_msg_find(m, IKEV1_PL_SIG, 0), &sig) < 0)
		return -EBADMSG;
	err = ikev1_p1_auth_hash(sa, p1, k, !sa->initiator, id.p, id.len, want);
	if (err < 0)
		return err;
	err = sig_rsa_verify(c, want, k->prf_len, sig.p, rd_left(&sig));
	if (err == 0)
		return 0;
	x509_cert_subject_str(c, subj, sizeof(subj));
	ikev1_sa_event(sa, "authentication failed: bad %s signature by '%s'",
	               sa->initiator ? "SIG_R" : "SIG_I", subj);
	return -EACCES;
}

/* Certificate, identity and signature of the peer; -EACCES with the notify to send. */
static int
sig_verify(struct ikev1_ike_sa *sa, const struct ikev1_msg *m, const struct ikev1_phase1 *p1,
           const struct ikev1_keys *k, struct ikev1_bytes id_b, uint16_t *notify)
{
	struct x509_cert *leaf, *chain[CHAIN_MAX];
	const struct x509_cert *c;
	struct ikev1_payload pl = {IKEV1_PL_ID, rd_init(id_b.p, id_b.len)};
	struct ikev1_id id;
	char subj[128];
	size_t n;
	int err;

	if (ikev1_id_parse(&pl, &id) < 0)
		return -EBADMSG;
	*notify = IKEV1_N_INVALID_CERTIFICATE;
	if ((err = cert_of_peer(sa, m, &leaf, chain, &n)) < 0)
		return err;
	c = leaf ? leaf : sa->cfg->peers_cert;
	if (c == NULL) {
		ikev1_sa_event(sa, "authentication failed: the peer sent no certificate");
		*notify = IKEV1_N_CERTIFICATE_UNAVAILABLE;
		err = -EACCES;
	} else if ((err = cert_trust(sa, c, (const struct x509_cert *const *)chain, n)) == 0 &&
	           (err = cert_id_check(sa, c, &id)) == 0) {
		*notify = IKEV1_N_INVALID_SIGNATURE;
		err = sig_check(sa, m, c, p1, k, id_b);
	}
	if (err == 0) {
		x509_cert_subject_str(c, subj, sizeof(subj));
		ikev1_sa_event(sa, "peer authenticated by RSA signature, certificate '%s'", subj);
	}
	certs_free(leaf, chain, n);
	return err;
}

int
ikev1_p1_auth_verify(const struct ikev1_rx *rx, struct ikev1_ike_sa *sa,
                     const struct ikev1_phase1 *p1, const struct ikev1_keys *k,
                     struct ikev1_bytes id_b)
{
	uint8_t want[PRF_MAX_LEN];
	uint16_t notify = 0;
	struct rd hash;
	int err;

	if (ikev1_auth_is_sig(sa->prop.auth)) {
		err = sig_verify(sa, &rx->msg, p1, k, id_b, &notify);
		if (err == -EACCES && notify)
			ikev1_notify_plain(rx->e, &rx->peer, &rx->msg.hdr, notify);
		return err;
	}
	if (ikev1_opaque_parse(ikev1_msg_find(&rx->msg, IKEV1_PL_HASH, 0), &hash) < 0)
		return -EBADMSG;
	err = ikev1_p1_auth_hash(sa, p1, k, !sa->initiator, id_b.p, id_b.len, want);
	if (err < 0)
		return err;
	if (!ikev1_hash_verify(want, k->prf_len, (struct ikev1_bytes){hash.p, hash.len})) {
		ikev1_sa_event(sa, "%s mismatch: wrong pre-shared key?",
		               sa->initiator ? "HASH_R" : "HASH_I");
		return -EACCES;
	}
	return 0;
}
