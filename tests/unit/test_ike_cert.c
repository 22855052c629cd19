/*
 * racoon.conf certificate directives through the daemon's mapping (ike_conf_build):
 * certificate_type x509 with path certificate (a c_rehash-named CA), asn1dn identities,
 * peers_certfile, and every configuration error reported with its file:line.
 */
#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/conf.h"
#include "daemon/ike_conf.h"
#include "ike/v1/ikev1.h"
#include "lib/log.h"
#include "pki_test.h"

static struct {
	struct pki_id ca, gw, laptop;
	char dir[64], log[96];
} K;

static void
write_at(const char *name, const struct pki_id *id, bool cert, bool key, mode_t mode)
{
	char path[160];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", K.dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	if (cert)
		assert_true(PEM_write_X509(f, id->cert));
	if (key)
		assert_true(PEM_write_PrivateKey(f, id->key, NULL, NULL, 0, NULL, NULL));
	fclose(f);
	assert_int_equal(chmod(path, mode), 0);
}

static int
setup(void **state)
{
	char name[32];

	(void)state;
	K.ca = pki_make("C=XX, O=coati test, CN=coati test CA", NULL, true, -1, 365, NULL, 1);
	K.gw = pki_make("C=XX, O=coati test, CN=gw", &K.ca, false, -1, 30, NULL, 2);
	K.laptop = pki_make("C=XX, O=coati test, CN=laptop", &K.ca, false, -1, 30, NULL, 3);
	snprintf(K.dir, sizeof(K.dir), "/tmp/coati-ikecert-%d", (int)getpid());
	snprintf(K.log, sizeof(K.log), "%s/log", K.dir);
	assert_int_equal(mkdir(K.dir, 0700), 0);
	snprintf(name, sizeof(name), "%08lx.0", X509_subject_name_hash(K.ca.cert));
	write_at(name, &K.ca, true, false, 0644);
	write_at("gw.pem", &K.gw, true, false, 0644);
	write_at("gw.key", &K.gw, false, true, 0600);
	write_at("laptop.key", &K.laptop, false, true, 0600);
	write_at("open.key", &K.gw, false, true, 0644);
	write_at("laptop.pem", &K.laptop, true, false, 0644);
	write_at("nokey.pem", &K.gw, true, false, 0600);
	log_init("test", true, LOG_LVL_INFO);
	assert_int_equal(log_open_file(K.log), 0);
	return 0;
}

static int
teardown(void **state)
{
	char cmd[96];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", K.dir);
	assert_int_equal(system(cmd), 0);
	pki_free(&K.ca);
	pki_free(&K.gw);
	pki_free(&K.laptop);
	return 0;
}

/* A racoon.conf: path certificate, then one remote with the given lines (line 3 on). */
static struct cfg *
conf(const char *remote_lines)
{
	char text[2048];
	struct cfg_error err;
	struct cfg *c = NULL;

	snprintf(text, sizeof(text),
	         "path certificate \"%s\";\n"
	         "remote anonymous {\n"
	         "%s"
	         "\tproposal { encryption_algorithm aes 128; hash_algorithm sha256;\n"
	         "\t\tauthentication_method rsasig; dh_group 14; }\n"
	         "}\n",
	         K.dir, remote_lines);
	if (cfg_parse_string("test.conf", text, &c, &err) != 0)
		fail_msg("parse failed: %s:%d: %s", err.file, err.line, err.msg);
	return c;
}

static bool
log_has(const char *what)
{
	char buf[8192];
	FILE *f = fopen(K.log, "r");
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = 0;
	return strstr(buf, what) != NULL;
}

static void
log_reset(void)
{
	assert_int_equal(truncate(K.log, 0), 0);
}

static void
assert_dn(const struct ikev1_ident *id, const struct pki_id *of)
{
	struct x509_cert *c = pki_cert(of);
	uint8_t dn[X509_DN_MAX];
	size_t len;

	assert_int_equal(id->type, IKEV1_ID_DER_ASN1_DN);
	assert_int_equal(x509_cert_subject(c, dn, sizeof(dn), &len), 0);
	assert_true(x509_dn_equal(id->data, id->len, dn, len));
	x509_cert_free(c);
}

static void
test_cert_remote(void **state)
{
	struct cfg *c = conf("\tcertificate_type x509 \"gw.pem\" \"gw.key\";\n"
	                     "\tmy_identifier asn1dn;\n"
	                     "\tpeers_identifier asn1dn \"C=XX, O=coati test, CN=laptop\";\n"
	                     "\tverify_identifier on;\n"
	                     "\tsend_cr off;\n");
	struct ike_conf ic;
	const struct ikev1_remote *r;

	(void)state;
	assert_int_equal(ike_conf_build(c, &ic), 0);
	r = &ic.remotes[0];
	assert_int_equal(r->n_props, 1);
	assert_int_equal(r->props[0].auth, IKEV1_AUTH_RSA_SIG);
	assert_non_null(r->cert);
	assert_non_null(r->key);
	assert_non_null(r->ca);
	assert_null(r->peers_cert);
	assert_int_equal(x509_store_ca_count(r->ca), 1); /* the CA by its hashed name only */
	assert_dn(&r->my_id, &K.gw);
	assert_dn(&r->peers_id, &K.laptop);
	assert_true(r->send_cert && r->verify_cert);
	assert_false(r->send_cr);
	assert_int_equal(r->psk_len, 0);
	ike_conf_free(&ic);
	cfg_free(c);
}

/* peers_certfile (an absolute name) and peers_identifier asn1dn without a value. */
static void
test_peers_certfile(void **state)
{
	char lines[512];
	struct cfg *c;
	struct ike_conf ic;
	const struct ikev1_remote *r;

	(void)state;
	snprintf(lines, sizeof(lines),
	         "\tcertificate_type x509 \"gw.pem\" \"gw.key\";\n"
	         "\tpeers_certfile x509 \"%s/laptop.pem\";\n"
	         "\tpeers_identifier asn1dn;\n"
	         "\tverify_identifier on;\n",
	         K.dir);
	c = conf(lines);
	assert_int_equal(ike_conf_build(c, &ic), 0);
	r = &ic.remotes[0];
	assert_non_null(r->peers_cert);
	assert_dn(&r->peers_id, &K.laptop);
	assert_int_equal(r->my_id.type, 0); /* racoon's default: the address */
	ike_conf_free(&ic);
	cfg_free(c);
}

/* Each broken remote fails the build and says where (the remote starts at line 2). */
static void
refused(const char *lines, const char *why)
{
	struct cfg *c = conf(lines);
	struct ike_conf ic;

	log_reset();
	assert_int_equal(ike_conf_build(c, &ic), -EINVAL);
	if (!log_has(why))
		fail_msg("log lacks '%s'", why);
	assert_null(ic.remotes);
	cfg_free(c);
}

static void
test_errors(void **state)
{
	(void)state;
	refused("\tcertificate_type x509 \"missing.pem\" \"gw.key\";\n",
	        "test.conf:3: certificate ");
	assert_true(log_has("missing.pem: No such file or directory"));
	refused("\tcertificate_type x509 \"gw.key\" \"gw.key\";\n",
	        "gw.key: no X.509 certificate in it");
	refused("\n\tcertificate_type x509 \"gw.pem\" \"laptop.key\";\n",
	        "test.conf:4: private key ");
	assert_true(log_has("laptop.key: does not match the certificate"));
	refused("\tcertificate_type x509 \"gw.pem\" \"open.key\";\n",
	        "mode 0644 is readable by group or others");
	assert_true(log_has("test.conf:3: private key"));
	refused("\tcertificate_type x509 \"gw.pem\" \"nokey.pem\";\n", "no PEM private key in it");
	refused("\tcertificate_type x509 \"gw.pem\" \"gw.key\";\n"
	        "\tmy_identifier asn1dn \"not a name\";\n",
	        "my_identifier asn1dn \"not a name\": not a distinguished name");
	refused("\tmy_identifier asn1dn;\n", "my_identifier asn1dn without a value needs");
	refused("\tcertificate_type x509 \"gw.pem\" \"gw.key\";\n\tca_type x509 \"nothere.pem\";\n",
	        "test.conf:4: ca_type x509 ");
}

/* rsasig without certificate_type: the proposal is skipped, with its file:line. */
static void
test_rsasig_without_cert(void **state)
{
	struct cfg *c = conf("");
	struct ike_conf ic;

	(void)state;
	log_reset();
	assert_int_equal(ike_conf_build(c, &ic), 0);
	assert_int_equal(ic.remotes[0].n_props, 0);
	assert_true(log_has("test.conf:3: proposal not supported"));
	ike_conf_free(&ic);
	cfg_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_cert_remote),
	    cmocka_unit_test(test_peers_certfile),
	    cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_rsasig_without_cert),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
