/*
 * In-process Main and Aggressive Mode authenticated by RSA signatures (RFC 2409 5.1),
 * coati against coati, with a PKI made at run time: both roles, CR/CERT/SIG on the wire,
 * identities as ASN.1 DNs and as subjectAltNames, peers_certfile, and every refusal
 * (wrong CA, expired, revoked, ID mismatch, bad signature) with its reason.
 */
#include <sys/stat.h>
#include <unistd.h>

#include "ikev1_test_net.h"
#include "ike/v1/codec.h"
#include "ike/v1/engine_int.h"
#include "pki_test.h"

#define DN_A "C=XX, O=coati test, CN=laptop"
#define DN_B "C=XX, O=coati test, CN=gw"

struct id_set {
	struct x509_cert *cert;
	struct sig_key *key;
};

static struct {
	struct pki_id ca, other_ca, a, b, a_rogue, a_old, a_revoked;
	struct id_set A, B, rogue, old, revoked;
	struct x509_store *store, *store_crl, *store_other;
} K;

static struct id_set
set_of(const struct pki_id *id)
{
	return (struct id_set){pki_cert(id), pki_key(id)};
}

static int
setup(void **state)
{
	const long serials[] = {13, 0};
	struct x509_cert *ca;
	char path[64];
	X509_CRL *crl;

	(void)state;
	K.ca = pki_make("C=XX, O=coati test, CN=coati test CA", NULL, true, -1, 365, NULL, 1);
	K.other_ca = pki_make("C=XX, O=coati test, CN=other CA", NULL, true, -1, 365, NULL, 1);
	K.a = pki_make(DN_A, &K.ca, false, -1, 30, "IP:192.0.2.1,email:laptop@coati.test", 10);
	K.b = pki_make(DN_B, &K.ca, false, -1, 30, "DNS:gw.coati.test", 11);
	K.a_rogue = pki_make(DN_A, &K.other_ca, false, -1, 30, NULL, 10);
	K.a_old = pki_make(DN_A, &K.ca, false, -30, -2, NULL, 12);
	K.a_revoked = pki_make(DN_A, &K.ca, false, -1, 30, NULL, 13);
	K.A = set_of(&K.a);
	K.B = set_of(&K.b);
	K.rogue = set_of(&K.a_rogue);
	K.old = set_of(&K.a_old);
	K.revoked = set_of(&K.a_revoked);
	ca = pki_cert(&K.ca);
	assert_int_equal(x509_store_new(&K.store), 0);
	assert_int_equal(x509_store_add_ca(K.store, ca), 0);
	x509_cert_free(ca);
	ca = pki_cert(&K.other_ca);
	assert_int_equal(x509_store_new(&K.store_other), 0);
	assert_int_equal(x509_store_add_ca(K.store_other, ca), 0);
	x509_cert_free(ca);
	crl = pki_crl(&K.ca, serials);
	snprintf(path, sizeof(path), "/tmp/coati-cert-crl-%d.pem", (int)getpid());
	pki_write(path, &K.ca, false, crl);
	assert_int_equal(x509_store_new(&K.store_crl), 0);
	assert_int_equal(x509_store_add_path(K.store_crl, path), 2);
	unlink(path);
	X509_CRL_free(crl);
	return 0;
}

static void
set_free(struct id_set *s)
{
	x509_cert_free(s->cert);
	sig_key_free(s->key);
}

static int
teardown(void **state)
{
	(void)state;
	set_free(&K.A);
	set_free(&K.B);
	set_free(&K.rogue);
	set_free(&K.old);
	set_free(&K.revoked);
	x509_store_free(K.store);
	x509_store_free(K.store_crl);
	x509_store_free(K.store_other);
	pki_free(&K.ca);
	pki_free(&K.other_ca);
	pki_free(&K.a);
	pki_free(&K.b);
	pki_free(&K.a_rogue);
	pki_free(&K.a_old);
	pki_free(&K.a_revoked);
	return 0;
}

/* my_identifier asn1dn: the certificate's subject. */
static void
id_subject(struct ikev1_ident *id, const struct x509_cert *c)
{
	size_t len;

	id->type = IKEV1_ID_DER_ASN1_DN;
	assert_int_equal(x509_cert_subject(c, id->data, sizeof(id->data), &len), 0);
	id->len = (uint16_t)len;
}

/* peers_identifier asn1dn "text". */
static void
id_dn(struct ikev1_ident *id, const char *text)
{
	size_t len;

	id->type = IKEV1_ID_DER_ASN1_DN;
	assert_int_equal(x509_dn_from_str(text, id->data, sizeof(id->data), &len), 0);
	id->len = (uint16_t)len;
}

static void
cfg_sig(struct ikev1_remote *c, const struct id_set *me, const char *peer_dn)
{
	for (size_t i = 0; i < c->n_props; i++)
		c->props[i].auth = IKEV1_AUTH_RSA_SIG;
	c->psk_len = 0;
	c->cert = me->cert;
	c->key = me->key;
	c->ca = K.store;
	c->send_cert = c->send_cr = c->verify_cert = true;
	id_subject(&c->my_id, me->cert);
	if (peer_dn)
		id_dn(&c->peers_id, peer_dn);
}

static struct net *
net_sig(uint8_t mode)
{
	struct net *n = net_new(mode);

	cfg_sig(&n->s[0].cfg, &K.A, DN_B);
	cfg_sig(&n->s[1].cfg, &K.B, DN_A);
	return n;
}

static void
assert_up(struct net *n)
{
	assert_children_paired(n);
	assert_true(sa_of(&n->s[0]).info.established);
	assert_true(sa_of(&n->s[1]).info.established);
}

/* The payload types of the next queued datagram, in order (unencrypted ones only). */
static bool
next_has(const struct net *n, uint8_t type)
{
	struct ikev1_msg m;

	assert_true(n->nq > 0);
	assert_int_equal(ikev1_parse(n->q[0].buf, n->q[0].len, &m), 0);
	return ikev1_msg_find(&m, type, 0) != NULL;
}

static void
test_main_sig(void **state)
{
	(void)state;
	for (int initiator = 0; initiator < 2; initiator++) {
		struct net *n = net_sig(IKEV1_EXCH_MAIN);

		assert_int_equal(initiate(n, initiator), 0);
		assert_int_equal(net_step(n, !initiator), 0); /* MM1 */
		assert_int_equal(net_step(n, initiator), 0);  /* MM2 */
		assert_true(next_has(n, IKEV1_PL_CR));        /* MM3 asks for a certificate */
		assert_int_equal(net_step(n, !initiator), 0);
		assert_true(next_has(n, IKEV1_PL_CR)); /* MM4 too */
		net_run(n);
		assert_up(n);
		net_free(n);
	}
}

/*
 * The payloads of AM2 as they leave: CERT (X.509 signature encoding) holding B's own
 * certificate, CR naming our CA's subject, SIG as long as B's RSA modulus.
 */
static void
check_am2_wire(const struct net *n, const struct id_set *sender)
{
	uint8_t dn[X509_DN_MAX];
	struct x509_cert *c;
	struct ikev1_cert cert;
	struct ikev1_msg m;
	struct rd sig;
	size_t dn_len;

	assert_int_equal(ikev1_parse(n->q[0].buf, n->q[0].len, &m), 0);
	assert_int_equal(ikev1_cert_parse(ikev1_msg_find(&m, IKEV1_PL_CERT, 0), &cert), 0);
	assert_int_equal(cert.encoding, IKEV1_CERT_X509_SIG);
	assert_int_equal(x509_cert_from_der(cert.data.p, cert.data.len, &c), 0);
	assert_true(x509_cert_equal(c, sender->cert));
	x509_cert_free(c);
	assert_int_equal(ikev1_cert_parse(ikev1_msg_find(&m, IKEV1_PL_CR, 0), &cert), 0);
	assert_int_equal(x509_store_ca_subject(K.store, 0, dn, sizeof(dn), &dn_len), 0);
	assert_int_equal(cert.data.len, dn_len);
	assert_memory_equal(cert.data.p, dn, dn_len);
	assert_null(ikev1_msg_find(&m, IKEV1_PL_CR, 1));
	assert_int_equal(ikev1_opaque_parse(ikev1_msg_find(&m, IKEV1_PL_SIG, 0), &sig), 0);
	assert_int_equal(sig.len, 256);
}

static void
test_aggressive_sig(void **state)
{
	(void)state;
	for (int initiator = 0; initiator < 2; initiator++) {
		struct net *n = net_sig(IKEV1_EXCH_AGGRESSIVE);

		assert_int_equal(initiate(n, initiator), 0);
		assert_true(next_has(n, IKEV1_PL_CR));
		assert_int_equal(net_step(n, !initiator), 0); /* AM1 */
		assert_true(next_has(n, IKEV1_PL_CERT) && next_has(n, IKEV1_PL_SIG));
		assert_false(next_has(n, IKEV1_PL_HASH));
		check_am2_wire(n, initiator ? &K.A : &K.B);
		assert_int_equal(net_step(n, initiator), 0); /* AM2 */
		assert_true(next_has(n, IKEV1_PL_CERT) && next_has(n, IKEV1_PL_SIG));
		net_run(n);
		assert_up(n);
		net_free(n);
	}
}

/*
 * Run Main Mode to MM5 and deliver it to B: it must be refused with -EACCES and the
 * reason in B's event, B must answer with an unprotected notify, nobody is up.
 */
static void
mm5_refused(struct net *n, const char *reason, uint16_t notify)
{
	struct ikev1_msg m;
	struct ikev1_notify nt;

	assert_int_equal(initiate(n, 0), 0);
	for (int i = 0; i < 4; i++)
		assert_int_equal(net_step(n, n->q[0].to), 0);
	assert_int_equal(net_step(n, 1), -EACCES);
	assert_non_null(strstr(n->s[1].last_event, reason));
	assert_int_equal(n->nq, 1);
	assert_int_equal(n->q[0].to, 0);
	assert_int_equal(ikev1_parse(n->q[0].buf, n->q[0].len, &m), 0);
	assert_int_equal(m.hdr.exchange, IKEV1_EXCH_INFO);
	assert_int_equal(ikev1_notify_parse(ikev1_msg_find(&m, IKEV1_PL_N, 0), &nt), 0);
	assert_int_equal(nt.type, notify);
	assert_false(sa_of(&n->s[1]).info.established);
	assert_false(sa_of(&n->s[0]).info.established);
	assert_int_equal(n->s[0].ninstalled + n->s[1].ninstalled, 0);
	net_free(n);
}

static void
test_refused_wrong_ca(void **state)
{
	struct net *n = net_sig(IKEV1_EXCH_MAIN);

	(void)state;
	cfg_sig(&n->s[0].cfg, &K.rogue, DN_B);
	mm5_refused(n, "untrusted CA", IKEV1_N_INVALID_CERTIFICATE);
	/* the same certificate is fine for a responder that trusts the other CA */
	n = net_sig(IKEV1_EXCH_MAIN);
	cfg_sig(&n->s[0].cfg, &K.rogue, DN_B);
	n->s[1].cfg.ca = K.store_other;
	n->s[0].cfg.verify_cert = false; /* A does not know B's CA then */
	assert_int_equal(initiate(n, 0), 0);
	net_run(n);
	assert_up(n);
	net_free(n);
}

static void
test_refused_expired_revoked(void **state)
{
	struct net *n = net_sig(IKEV1_EXCH_MAIN);

	(void)state;
	cfg_sig(&n->s[0].cfg, &K.old, DN_B);
	mm5_refused(n, "expired", IKEV1_N_INVALID_CERTIFICATE);
	n = net_sig(IKEV1_EXCH_MAIN);
	cfg_sig(&n->s[0].cfg, &K.revoked, DN_B);
	n->s[1].cfg.ca = K.store_crl;
	mm5_refused(n, "revoked", IKEV1_N_INVALID_CERTIFICATE);
	/* the CRL does not list A's own certificate */
	n = net_sig(IKEV1_EXCH_MAIN);
	n->s[1].cfg.ca = K.store_crl;
	assert_int_equal(initiate(n, 0), 0);
	net_run(n);
	assert_up(n);
	net_free(n);
}

/* A claims an identity its certificate does not carry. */
static void
test_refused_id_mismatch(void **state)
{
	struct net *n = net_sig(IKEV1_EXCH_MAIN);
	const char *name = "gw.coati.test";

	(void)state;
	id_dn(&n->s[0].cfg.my_id, DN_B);
	n->s[1].cfg.peers_id.type = 0;
	mm5_refused(n, "does not match certificate", IKEV1_N_INVALID_CERTIFICATE);
	n = net_sig(IKEV1_EXCH_MAIN);
	n->s[0].cfg.my_id.type = IKEV1_ID_FQDN;
	n->s[0].cfg.my_id.len = (uint16_t)strlen(name);
	memcpy(n->s[0].cfg.my_id.data, name, strlen(name));
	n->s[1].cfg.peers_id.type = 0;
	mm5_refused(n, "does not match certificate", IKEV1_N_INVALID_CERTIFICATE);
}

/* Identities in subjectAltName: A's address and e-mail, B's DNS name; and canonical DNs. */
static void
test_alt_names(void **state)
{
	static const char email[] = "laptop@coati.test", fqdn[] = "gw.coati.test";
	struct net *n = net_sig(IKEV1_EXCH_MAIN);

	(void)state;
	memset(&n->s[0].cfg.my_id, 0, sizeof(n->s[0].cfg.my_id)); /* our address: IP:192.0.2.1 */
	n->s[1].cfg.peers_id.type = 0;
	n->s[1].cfg.my_id.type = IKEV1_ID_FQDN;
	n->s[1].cfg.my_id.len = sizeof(fqdn) - 1;
	memcpy(n->s[1].cfg.my_id.data, fqdn, sizeof(fqdn) - 1);
	n->s[0].cfg.peers_id = n->s[1].cfg.my_id;
	assert_int_equal(initiate(n, 0), 0);
	net_run(n);
	assert_up(n);
	net_free(n);

	n = net_sig(IKEV1_EXCH_AGGRESSIVE);
	n->s[0].cfg.my_id.type = IKEV1_ID_USER_FQDN;
	n->s[0].cfg.my_id.len = sizeof(email) - 1;
	memcpy(n->s[0].cfg.my_id.data, email, sizeof(email) - 1);
	n->s[1].cfg.peers_id = n->s[0].cfg.my_id;
	id_dn(&n->s[0].cfg.peers_id, "C=XX,O=COATI TEST,CN=gw"); /* another case and spacing */
	assert_int_equal(initiate(n, 0), 0);
	net_run(n);
	assert_up(n);
	net_free(n);
}

/* peers_identifier asn1dn names someone else: the initiator refuses MM6. */
static void
test_refused_peers_identifier(void **state)
{
	struct net *n = net_sig(IKEV1_EXCH_MAIN);

	(void)state;
	id_dn(&n->s[0].cfg.peers_id, "C=XX, O=coati test, CN=someone else");
	assert_int_equal(initiate(n, 0), 0);
	for (int i = 0; i < 5; i++)
		assert_int_equal(net_step(n, n->q[0].to), 0);
	assert_true(sa_of(&n->s[1]).info.established);
	assert_int_equal(net_step(n, 0), -EACCES); /* MM6 */
	assert_non_null(strstr(n->s[0].last_event, "peers_identifier"));
	assert_false(sa_of(&n->s[0]).info.established);
	net_free(n);
}

/* peers_certfile: the peer's certificate is known, no CA needed, none need be sent. */
static void
test_peers_certfile(void **state)
{
	struct net *n = net_sig(IKEV1_EXCH_MAIN);

	(void)state;
	n->s[0].cfg.send_cert = false;
	n->s[1].cfg.peers_cert = K.A.cert;
	n->s[1].cfg.ca = NULL;
	assert_int_equal(initiate(n, 0), 0);
	net_run(n);
	assert_up(n);
	net_free(n);

	n = net_sig(IKEV1_EXCH_MAIN);
	n->s[1].cfg.peers_cert = K.rogue.cert;
	mm5_refused(n, "is not peers_certfile", IKEV1_N_INVALID_CERTIFICATE);

	n = net_sig(IKEV1_EXCH_MAIN);
	n->s[0].cfg.send_cert = false;
	mm5_refused(n, "sent no certificate", IKEV1_N_CERTIFICATE_UNAVAILABLE);
}

/* A flipped bit in AM3's signature (sent in the clear): refused, the SA keeps waiting. */
static void
test_bad_signature(void **state)
{
	struct net *n = net_sig(IKEV1_EXCH_AGGRESSIVE);
	const struct ikev1_payload *sig;
	struct ikev1_msg m;
	struct dgram d;

	(void)state;
	assert_int_equal(initiate(n, 0), 0);
	assert_int_equal(net_step(n, 1), 0);
	assert_int_equal(net_step(n, 0), 0);
	d = net_pop(n);
	assert_int_equal(ikev1_parse(d.buf, d.len, &m), 0);
	sig = ikev1_msg_find(&m, IKEV1_PL_SIG, 0);
	assert_non_null(sig);
	d.buf[(size_t)(sig->body.p - d.buf) + 20] ^= 0x04;
	assert_int_equal(net_deliver(n, &d), -EACCES);
	assert_non_null(strstr(n->s[1].last_event, "bad SIG_I signature"));
	assert_false(sa_of(&n->s[1]).info.established);
	d.buf[(size_t)(sig->body.p - d.buf) + 20] ^= 0x04; /* the genuine one still works */
	assert_int_equal(net_deliver(n, &d), 0);
	assert_true(sa_of(&n->s[1]).info.established);
	net_free(n);
}

/* A proposal for signatures is not chosen without a certificate and key of our own. */
static void
test_no_key_no_proposal(void **state)
{
	struct net *n = net_sig(IKEV1_EXCH_MAIN);

	(void)state;
	n->s[1].cfg.key = NULL;
	assert_int_equal(initiate(n, 0), 0);
	assert_int_equal(net_step(n, 1), -ENOENT);
	assert_false(sa_of(&n->s[1]).n);
	net_free(n);
}

/* A message of the given payload types (bodies of one byte) for the row checks. */
static void
msg_of(const uint8_t *types, size_t n, uint8_t *buf, struct ikev1_msg *m)
{
	static const uint8_t id[] = {IKEV1_ID_FQDN, 0, 0, 0, 'x'}, cert[] = {4, 1};
	struct ikev1_hdr h = {.version = IKEV1_VERSION, .exchange = IKEV1_EXCH_MAIN};
	struct ikev1_out o;
	int len;

	ikev1_out_init(&o, buf, MSG_MAX, &h);
	for (size_t i = 0; i < n; i++) {
		if (types[i] == IKEV1_PL_ID)
			ikev1_out_opaque(&o, types[i], id, sizeof(id));
		else
			ikev1_out_opaque(&o, types[i], cert, sizeof(cert));
	}
	len = ikev1_out_finish(&o);
	assert_true(len > 0);
	assert_int_equal(ikev1_parse(buf, (size_t)len, m), 0);
}

/* The row of MM5 by the SA's method: HASH for PSK, SIG (with CERT, CR) for RSA_SIG. */
static void
test_rows_by_auth(void **state)
{
	static const uint8_t psk[] = {IKEV1_PL_ID, IKEV1_PL_HASH};
	static const uint8_t sig[] = {IKEV1_PL_ID, IKEV1_PL_CERT, IKEV1_PL_SIG};
	const struct ikev1_row *rp, *rs;
	uint8_t buf[MSG_MAX];
	struct ikev1_msg m;

	(void)state;
	rp = ikev1_row_find_auth(ST_MM_R2, IKEV1_EXCH_MAIN, false, IKEV1_AUTH_PSK);
	rs = ikev1_row_find_auth(ST_MM_R2, IKEV1_EXCH_MAIN, false, IKEV1_AUTH_RSA_SIG);
	assert_ptr_equal(rp, ikev1_row_find(ST_MM_R2, IKEV1_EXCH_MAIN, false));
	assert_ptr_not_equal(rp, rs);
	assert_ptr_equal(rp->handler, rs->handler);
	msg_of(psk, 2, buf, &m);
	assert_int_equal(ikev1_row_check(rp, &m), 0);
	assert_int_equal(ikev1_row_check(rs, &m), -EPROTO);
	msg_of(sig, 3, buf, &m);
	assert_int_equal(ikev1_row_check(rs, &m), 0);
	assert_int_equal(ikev1_row_check(rp, &m), -EPROTO);
	msg_of(sig, 1, buf, &m); /* ID alone */
	assert_int_equal(ikev1_row_check(rs, &m), -EPROTO);
	/* Quick Mode has no signature rows */
	rs = ikev1_row_find_auth(ST_P1_DONE, IKEV1_EXCH_QUICK, false, IKEV1_AUTH_RSA_SIG);
	assert_ptr_equal(rs, ikev1_row_find(ST_P1_DONE, IKEV1_EXCH_QUICK, false));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_main_sig),
	    cmocka_unit_test(test_aggressive_sig),
	    cmocka_unit_test(test_refused_wrong_ca),
	    cmocka_unit_test(test_refused_expired_revoked),
	    cmocka_unit_test(test_refused_id_mismatch),
	    cmocka_unit_test(test_alt_names),
	    cmocka_unit_test(test_refused_peers_identifier),
	    cmocka_unit_test(test_peers_certfile),
	    cmocka_unit_test(test_bad_signature),
	    cmocka_unit_test(test_no_key_no_proposal),
	    cmocka_unit_test(test_rows_by_auth),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
