/*
 * crypto/x509 and crypto/sig against a PKI made at run time: loading, chain verification
 * (trusted, wrong CA, expired, revoked by a CRL, intermediates), names and
 * subjectAltName, and raw PKCS#1 v1.5 signatures as IKEv1 uses them.
 */
#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pki_test.h"

struct pki {
	struct pki_id ca, other_ca, gw, laptop, old, revoked;
	char dir[64];
};

static struct pki P;

static int
setup(void **state)
{
	(void)state;
	P.ca = pki_make("C=XX, O=coati test, CN=coati test CA", NULL, true, -1, 365, NULL, 1);
	P.other_ca = pki_make("/C=XX/O=elsewhere/CN=other CA", NULL, true, -1, 365, NULL, 1);
	P.gw = pki_make("C=XX, O=coati test, CN=gw.coati.test", &P.ca, false, -1, 30,
	                "DNS:gw.coati.test,IP:192.0.2.2", 2);
	P.laptop = pki_make("C=XX, O=coati test, CN=laptop", &P.ca, false, -1, 30,
	                    "email:laptop@coati.test", 3);
	P.old = pki_make("C=XX, O=coati test, CN=old", &P.ca, false, -30, -1, NULL, 4);
	P.revoked = pki_make("C=XX, O=coati test, CN=revoked", &P.ca, false, -1, 30, NULL, 5);
	snprintf(P.dir, sizeof(P.dir), "/tmp/coati-x509-%d", (int)getpid());
	assert_int_equal(mkdir(P.dir, 0700), 0);
	return 0;
}

static int
teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", P.dir);
	assert_int_equal(system(cmd), 0);
	pki_free(&P.ca);
	pki_free(&P.other_ca);
	pki_free(&P.gw);
	pki_free(&P.laptop);
	pki_free(&P.old);
	pki_free(&P.revoked);
	return 0;
}

static struct x509_store *
store_of(const struct pki_id *ca)
{
	struct x509_store *s;
	struct x509_cert *c = pki_cert(ca);

	assert_int_equal(x509_store_new(&s), 0);
	assert_int_equal(x509_store_add_ca(s, c), 0);
	x509_cert_free(c);
	return s;
}

static int
verify(const struct x509_store *s, const struct pki_id *id, char *why)
{
	struct x509_cert *c = pki_cert(id);
	int err = x509_store_verify(s, c, NULL, 0, why, X509_REASON_MAX);

	x509_cert_free(c);
	return err;
}

static void
test_verify_chain(void **state)
{
	struct x509_store *s = store_of(&P.ca), *other = store_of(&P.other_ca);
	char why[X509_REASON_MAX];

	(void)state;
	assert_int_equal(verify(s, &P.gw, why), 0);
	assert_int_equal(verify(s, &P.laptop, why), 0);
	assert_int_equal(verify(other, &P.gw, why), -EACCES);
	assert_non_null(strstr(why, "untrusted CA"));
	assert_int_equal(verify(s, &P.old, why), -EACCES);
	assert_non_null(strstr(why, "expired"));
	/* an end-entity certificate is no trust anchor */
	{
		struct x509_cert *gw = pki_cert(&P.gw);

		assert_int_equal(x509_store_add_ca(other, gw), -EINVAL);
		x509_cert_free(gw);
	}
	assert_int_equal(x509_store_ca_count(s), 1);
	assert_int_equal(x509_store_crl_count(s), 0);
	x509_store_free(s);
	x509_store_free(other);
}

/* A directory as racoon's "path certificate": CA by name and by hash, CRL, keys. */
static void
test_store_dir_crl(void **state)
{
	const long serials[] = {5, 0};
	X509_CRL *crl = pki_crl(&P.ca, serials);
	char path[128], link[128], why[X509_REASON_MAX];
	struct x509_store *s;

	(void)state;
	snprintf(path, sizeof(path), "%s/ca.pem", P.dir);
	pki_write(path, &P.ca, false, NULL);
	snprintf(link, sizeof(link), "%s/%08lx.0", P.dir, X509_subject_name_hash(P.ca.cert));
	assert_int_equal(symlink("ca.pem", link), 0);
	snprintf(path, sizeof(path), "%s/gw.pem", P.dir); /* an end entity with its key */
	pki_write(path, &P.gw, true, NULL);
	{
		/* an encrypted key among them is skipped without a prompt */
		FILE *f;

		snprintf(path, sizeof(path), "%s/enc.key", P.dir);
		assert_non_null(f = fopen(path, "w"));
		assert_true(PEM_write_PrivateKey(f, P.laptop.key, EVP_aes_128_cbc(),
		                                 (unsigned char *)"pass", 4, NULL, NULL));
		fclose(f);
	}
	assert_int_equal(x509_store_new(&s), 0);
	assert_int_equal(x509_store_add_path(s, P.dir), 1); /* the CA once; gw is no CA */
	assert_int_equal(verify(s, &P.revoked, why), 0);    /* no CRL yet */
	snprintf(path, sizeof(path), "%s/%08lx.r0", P.dir, X509_subject_name_hash(P.ca.cert));
	pki_write(path, NULL, false, crl);
	x509_store_free(s);
	assert_int_equal(x509_store_new(&s), 0);
	assert_int_equal(x509_store_add_path(s, P.dir), 2);
	assert_int_equal(x509_store_crl_count(s), 1);
	assert_int_equal(verify(s, &P.revoked, why), -EACCES);
	assert_non_null(strstr(why, "revoked"));
	assert_int_equal(verify(s, &P.gw, why), 0);
	assert_int_equal(x509_store_add_path(s, "/nonexistent/coati"), -ENOENT);
	x509_store_free(s);
	X509_CRL_free(crl);
}

/* The peer sends its intermediate CA along: the chain goes through it. */
static void
test_verify_intermediate(void **state)
{
	struct pki_id sub = pki_make("C=XX, O=coati test, CN=sub CA", &P.ca, true, -1, 30, NULL, 9);
	struct pki_id leaf = pki_make("C=XX, O=coati test, CN=leaf", &sub, false, -1, 30, NULL, 2);
	struct x509_store *s = store_of(&P.ca);
	struct x509_cert *c = pki_cert(&leaf), *i = pki_cert(&sub);
	const struct x509_cert *chain[] = {i};
	char why[X509_REASON_MAX];

	(void)state;
	assert_int_equal(x509_store_verify(s, c, NULL, 0, why, sizeof(why)), -EACCES);
	assert_int_equal(x509_store_verify(s, c, chain, 1, why, sizeof(why)), 0);
	x509_cert_free(c);
	x509_cert_free(i);
	x509_store_free(s);
	pki_free(&sub);
	pki_free(&leaf);
}

static void
test_names(void **state)
{
	struct x509_cert *gw = pki_cert(&P.gw), *laptop = pki_cert(&P.laptop);
	uint8_t subj[X509_DN_MAX], want[X509_DN_MAX];
	const uint8_t ip[] = {192, 0, 2, 2}, ip_other[] = {192, 0, 2, 3};
	size_t sl, wl;
	char text[256];

	(void)state;
	assert_int_equal(x509_cert_subject(gw, subj, sizeof(subj), &sl), 0);
	x509_cert_subject_str(gw, text, sizeof(text));
	assert_string_equal(text, "C=XX, O=coati test, CN=gw.coati.test");
	assert_int_equal(x509_dn_to_str(subj, sl, text, sizeof(text)), 0);
	assert_string_equal(text, "C=XX, O=coati test, CN=gw.coati.test");
	/* racoon's text form, another spacing and case: the same name */
	assert_int_equal(x509_dn_from_str("C=XX,O=Coati  Test, CN=GW.coati.test", want,
	                                  sizeof(want), &wl), 0);
	assert_true(x509_dn_equal(subj, sl, want, wl));
	assert_int_equal(x509_dn_from_str("/C=XX/O=coati test/CN=gw.coati.test", want,
	                                  sizeof(want), &wl), 0);
	assert_int_equal(wl, sl);
	assert_memory_equal(want, subj, sl);
	assert_int_equal(x509_dn_from_str("C=XX, O=coati test, CN=laptop", want, sizeof(want),
	                                  &wl), 0);
	assert_false(x509_dn_equal(subj, sl, want, wl));
	assert_false(x509_dn_equal(subj, sl - 1, want, wl));
	assert_int_equal(x509_dn_from_str("no equals sign", want, sizeof(want), &wl), -EINVAL);
	assert_int_equal(x509_dn_from_str("XYZ=1", want, sizeof(want), &wl), -EINVAL);
	assert_int_equal(x509_dn_from_str("CN=gw", want, 4, &wl), -E2BIG);
	assert_true(x509_cert_has_alt(gw, X509_ALT_IP, ip, 4));
	assert_false(x509_cert_has_alt(gw, X509_ALT_IP, ip_other, 4));
	assert_true(x509_cert_has_alt(gw, X509_ALT_DNS, (const uint8_t *)"GW.coati.test", 13));
	assert_false(x509_cert_has_alt(gw, X509_ALT_DNS, (const uint8_t *)"gw.coati.tes", 12));
	assert_false(x509_cert_has_alt(gw, X509_ALT_EMAIL, (const uint8_t *)"gw.coati.test", 13));
	assert_true(x509_cert_has_alt(laptop, X509_ALT_EMAIL, (const uint8_t *)"laptop@coati.test",
	                              17));
	assert_false(x509_cert_has_alt(laptop, X509_ALT_IP, ip, 4));
	assert_false(x509_cert_equal(gw, laptop));
	x509_cert_free(gw);
	x509_cert_free(laptop);
}

/* Truncated, extended or flipped DER never parses into a certificate. */
static void
test_der_untrusted(void **state)
{
	struct x509_cert *gw = pki_cert(&P.gw), *c;
	uint8_t buf[X509_CERT_DER_MAX + 1];
	const uint8_t *der;
	size_t len;

	(void)state;
	x509_cert_der(gw, &der, &len);
	memcpy(buf, der, len);
	for (size_t n = 0; n < len; n += 7)
		assert_int_equal(x509_cert_from_der(buf, n, &c), -EBADMSG);
	buf[len] = 0;
	assert_int_equal(x509_cert_from_der(buf, len + 1, &c), -EBADMSG);
	for (size_t i = 0; i < 16; i++) {
		buf[i] ^= 0x80;
		if (x509_cert_from_der(buf, len, &c) == 0)
			x509_cert_free(c);
		buf[i] ^= 0x80;
	}
	assert_int_equal(x509_cert_from_der(buf, len, &c), 0);
	assert_true(x509_cert_equal(c, gw));
	x509_cert_free(c);
	x509_cert_free(gw);
}

/* A certificate file as PEM or as DER; an empty file or none at all does not load. */
static void
test_cert_files(void **state)
{
	struct x509_cert *c, *gw = pki_cert(&P.gw);
	const uint8_t *der;
	char path[128];
	size_t len;
	FILE *f;

	(void)state;
	snprintf(path, sizeof(path), "%s/gw.der", P.dir);
	x509_cert_der(gw, &der, &len);
	assert_non_null(f = fopen(path, "wb"));
	assert_int_equal(fwrite(der, 1, len, f), len);
	fclose(f);
	assert_int_equal(x509_cert_load(path, &c), 0);
	assert_true(x509_cert_equal(c, gw));
	x509_cert_free(c);
	snprintf(path, sizeof(path), "%s/gw-only.pem", P.dir);
	pki_write(path, &P.gw, false, NULL);
	assert_int_equal(x509_cert_load(path, &c), 0);
	assert_true(x509_cert_equal(c, gw));
	x509_cert_free(c);
	snprintf(path, sizeof(path), "%s/empty.pem", P.dir);
	pki_write(path, NULL, false, NULL);
	assert_int_equal(x509_cert_load(path, &c), -EBADMSG);
	snprintf(path, sizeof(path), "%s/absent.pem", P.dir);
	assert_int_equal(x509_cert_load(path, &c), -ENOENT);
	x509_cert_free(gw);
}

static void
test_sign_verify(void **state)
{
	struct sig_key *k = pki_key(&P.gw), *other = pki_key(&P.laptop);
	struct x509_cert *gw = pki_cert(&P.gw), *laptop = pki_cert(&P.laptop);
	uint8_t hash[32], sig[SIG_MAX], raw[SIG_MAX];
	size_t len;
	EVP_PKEY_CTX *ctx;
	size_t n = sizeof(raw);

	(void)state;
	for (size_t i = 0; i < sizeof(hash); i++)
		hash[i] = (uint8_t)(i * 7 + 1);
	assert_true(sig_key_matches(k, gw));
	assert_false(sig_key_matches(k, laptop));
	assert_true(sig_key_is_rsa(k));
	assert_int_equal(sig_rsa_sign(k, hash, sizeof(hash), sig, 16, &len), -E2BIG);
	assert_int_equal(sig_rsa_sign(k, hash, sizeof(hash), sig, sizeof(sig), &len), 0);
	assert_int_equal(len, 256);
	assert_int_equal(sig_rsa_verify(gw, hash, sizeof(hash), sig, len), 0);
	assert_int_equal(sig_rsa_verify(laptop, hash, sizeof(hash), sig, len), -EACCES);
	assert_int_equal(sig_rsa_verify(gw, hash, sizeof(hash) - 1, sig, len), -EACCES);
	/* no DigestInfo: the public operation gives back exactly 00 01 FF.. 00 | hash */
	ctx = EVP_PKEY_CTX_new(P.gw.key, NULL);
	assert_non_null(ctx);
	assert_int_equal(EVP_PKEY_verify_recover_init(ctx), 1);
	assert_int_equal(EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_NO_PADDING), 1);
	assert_int_equal(EVP_PKEY_verify_recover(ctx, raw, &n, sig, len), 1);
	EVP_PKEY_CTX_free(ctx);
	assert_int_equal(n, 256);
	assert_int_equal(raw[0], 0);
	assert_int_equal(raw[1], 1);
	assert_int_equal(raw[256 - 33], 0);
	assert_memory_equal(raw + 256 - 32, hash, 32);
	sig[10] ^= 1;
	assert_int_equal(sig_rsa_verify(gw, hash, sizeof(hash), sig, len), -EACCES);
	assert_int_equal(sig_key_from_pem("junk", 4, &other), -EBADMSG);
	{
		/* an encrypted key is refused, not prompted for */
		BIO *b = BIO_new(BIO_s_mem());
		char *pem;
		long pem_len;

		assert_true(PEM_write_bio_PrivateKey(b, P.gw.key, EVP_aes_128_cbc(),
		                                     (unsigned char *)"pass", 4, NULL, NULL));
		pem_len = BIO_get_mem_data(b, &pem);
		assert_int_equal(sig_key_from_pem(pem, (size_t)pem_len, &other), -EBADMSG);
		BIO_free(b);
	}
	sig_key_free(k);
	sig_key_free(other);
	x509_cert_free(gw);
	x509_cert_free(laptop);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_verify_chain),     cmocka_unit_test(test_store_dir_crl),
	    cmocka_unit_test(test_verify_intermediate), cmocka_unit_test(test_names),
	    cmocka_unit_test(test_der_untrusted),    cmocka_unit_test(test_cert_files),
	    cmocka_unit_test(test_sign_verify),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
