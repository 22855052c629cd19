/* racoon.conf parser: real-world samples, every section, includes, and exact error positions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/conf.h"
#include "lib/log.h"

static struct cfg *
parse_ok(const char *text)
{
	struct cfg_error err;
	struct cfg *c = NULL;
	int rc = cfg_parse_string("test.conf", text, &c, &err);

	if (rc != 0)
		fail_msg("parse failed: %s:%d:%d: %s", err.file, err.line, err.col, err.msg);
	assert_non_null(c);
	return c;
}

static void
assert_addr(const struct addr *a, const char *want)
{
	struct addr w;

	assert_int_equal(addr_parse(want, &w), 0);
	assert_true(addr_eq(a, &w));
}

static void
test_minimal_adminsock(void **state)
{
	struct cfg *c = parse_ok("listen { adminsock \"/tmp/x.sock\" \"root\" \"root\" 0660; }\n");

	assert_string_equal(c->adminsock.path, "/tmp/x.sock");
	assert_string_equal(c->adminsock.owner, "root");
	assert_string_equal(c->adminsock.group, "root");
	assert_int_equal(c->adminsock.mode, 0660);
	assert_false(c->adminsock.disabled);
	assert_int_equal(c->log_level, -1);
	assert_null(c->path_pidfile);
	assert_int_equal(c->n_remotes, 0);
	assert_int_equal(c->n_ignored, 0);
	cfg_free(c);
}

static void
test_adminsock_forms(void **state)
{
	struct cfg *c = parse_ok("listen {\n\tadminsock \"/run/coati/racoon.sock\";\n}\n");

	assert_string_equal(c->adminsock.path, "/run/coati/racoon.sock");
	assert_null(c->adminsock.owner);
	assert_null(c->adminsock.group);
	assert_int_equal(c->adminsock.mode, -1);
	cfg_free(c);

	c = parse_ok("listen { adminsock disabled; }");
	assert_true(c->adminsock.disabled);
	assert_null(c->adminsock.path);
	cfg_free(c);

	/* racoon reads the mode digits as octal even without a leading 0. */
	c = parse_ok("listen { adminsock \"/a.sock\" \"0\" \"0\" 600; }");
	assert_int_equal(c->adminsock.mode, 0600);
	cfg_free(c);
}

/* The two EXAMPLES of racoon.conf(5). */
static void
test_manpage_psk_example(void **state)
{
	struct cfg *c = parse_ok(
		"path pre_shared_key \"/usr/local/v6/etc/psk.txt\" ;\n"
		"remote anonymous\n"
		"{\n"
		"\texchange_mode aggressive,main,base;\n"
		"\tlifetime time 24 hour;\n"
		"\tproposal {\n"
		"\t\tencryption_algorithm 3des;\n"
		"\t\thash_algorithm sha1;\n"
		"\t\tauthentication_method pre_shared_key;\n"
		"\t\tdh_group 2;\n"
		"\t}\n"
		"}\n"
		"\n"
		"sainfo anonymous\n"
		"{\n"
		"\tpfs_group 2;\n"
		"\tlifetime time 12 hour ;\n"
		"\tencryption_algorithm 3des, blowfish 448, twofish, rijndael ;\n"
		"\tauthentication_algorithm hmac_sha1, hmac_md5 ;\n"
		"\tcompression_algorithm deflate ;\n"
		"}\n");
	const struct cfg_remote *r;
	const struct cfg_sainfo *s;

	assert_string_equal(c->path_pre_shared_key, "/usr/local/v6/etc/psk.txt");
	assert_int_equal(c->n_remotes, 1);
	r = cfg_remote_find(c, "anonymous");
	assert_non_null(r);
	assert_true(r->anonymous);
	assert_false(r->has_address);
	assert_int_equal(r->n_xmodes, 3);
	assert_int_equal(r->xmodes[0], CFG_XMODE_AGGRESSIVE);
	assert_int_equal(r->xmodes[1], CFG_XMODE_MAIN);
	assert_int_equal(r->xmodes[2], CFG_XMODE_BASE);
	assert_int_equal(r->lifetime_sec, 24 * 3600);
	assert_int_equal(r->n_proposals, 1);
	assert_int_equal(r->proposals[0].enc, CFG_ENC_3DES);
	assert_int_equal(r->proposals[0].hash, CFG_HASH_SHA1);
	assert_int_equal(r->proposals[0].ameth, CFG_AMETH_PSK);
	assert_int_equal(r->proposals[0].dh_group, CFG_DH_MODP1024);
	/* Defaults from racoon.conf(5). */
	assert_int_equal(r->port, 500);
	assert_int_equal(r->proposal_check, CFG_PROPCHECK_STRICT);
	assert_true(r->initial_contact);
	assert_int_equal(r->nonce_size, 16);
	assert_int_equal(r->nat_traversal, CFG_OFF);

	assert_int_equal(c->n_sainfos, 1);
	s = &c->sainfos[0];
	assert_int_equal(s->local.kind, CFG_SAID_ANONYMOUS);
	assert_int_equal(s->remote.kind, CFG_SAID_ANONYMOUS);
	assert_int_equal(s->pfs_group, CFG_DH_MODP1024);
	assert_int_equal(s->lifetime_sec, 12 * 3600);
	assert_int_equal(s->n_enc, 4);
	assert_int_equal(s->enc[0].alg, CFG_ENC_3DES);
	assert_int_equal(s->enc[1].alg, CFG_ENC_BLOWFISH);
	assert_int_equal(s->enc[1].keylen, 448);
	assert_int_equal(s->enc[2].alg, CFG_ENC_TWOFISH);
	assert_int_equal(s->enc[3].alg, CFG_ENC_AES);
	assert_int_equal(s->n_auth, 2);
	assert_int_equal(s->auth[0].alg, CFG_AUTH_HMAC_SHA1);
	assert_int_equal(s->auth[1].alg, CFG_AUTH_HMAC_MD5);
	assert_int_equal(s->n_comp, 1);
	assert_int_equal(s->comp[0].alg, CFG_COMP_DEFLATE);
	cfg_free(c);
}

static void
test_manpage_rsa_example(void **state)
{
	struct cfg *c = parse_ok(
		"path certificate \"/usr/local/v6/etc\" ;\n"
		"remote anonymous\n"
		"{\n"
		"\texchange_mode main,base ;\n"
		"\tlifetime time 12 hour ;\n"
		"\tcertificate_type plain_rsa \"/usr/local/v6/etc/myrsakey.priv\";\n"
		"\tpeers_certfile plain_rsa \"/usr/local/v6/etc/yourrsakey.pub\";\n"
		"\tproposal {\n"
		"\t\tencryption_algorithm aes ;\n"
		"\t\thash_algorithm sha1 ;\n"
		"\t\tauthentication_method rsasig ;\n"
		"\t\tdh_group 2 ;\n"
		"\t}\n"
		"}\n");
	const struct cfg_remote *r = &c->remotes[0];

	assert_string_equal(c->path_certificate, "/usr/local/v6/etc");
	assert_int_equal(r->cert_type, CFG_CERT_PLAIN_RSA);
	assert_string_equal(r->key_file, "/usr/local/v6/etc/myrsakey.priv");
	assert_null(r->cert_file);
	assert_int_equal(r->peers_cert_type, CFG_CERT_PLAIN_RSA);
	assert_string_equal(r->peers_certfile, "/usr/local/v6/etc/yourrsakey.pub");
	assert_int_equal(r->proposals[0].ameth, CFG_AMETH_RSASIG);
	assert_int_equal(r->proposals[0].enc, CFG_ENC_AES);
	cfg_free(c);
}

/* The gateway of NetBSD's "remote user access VPN with racoon" guide (hybrid auth). */
static const char netbsd_gateway[] =
	"path certificate \"/etc/openssl/certs\";\n"
	"\n"
	"remote anonymous {\n"
	"\texchange_mode aggressive;\n"
	"\tcertificate_type x509 \"/etc/openssl/certs/vpngw.crt\"\n"
	"\t\t\"/etc/openssl/certs/vpngw.key\";\n"
	"\tmy_identifier asn1dn;\n"
	"\tpassive on;\n"
	"\tgenerate_policy on;\n"
	"\tproposal_check obey;\n"
	"\tnat_traversal on;\n"
	"\tdpd_delay 20;\n"
	"\tike_frag on;\n"
	"\tproposal {\n"
	"\t\tencryption_algorithm aes;\n"
	"\t\thash_algorithm sha1;\n"
	"\t\tauthentication_method hybrid_rsa_server;\n"
	"\t\tdh_group 2;\n"
	"\t}\n"
	"}\n"
	"\n"
	"sainfo anonymous {\n"
	"\tpfs_group 2;\n"
	"\tlifetime time 1 hour;\n"
	"\tencryption_algorithm aes;\n"
	"\tauthentication_algorithm hmac_sha1;\n"
	"\tcompression_algorithm deflate;\n"
	"}\n"
	"\n"
	"mode_cfg {\n"
	"\tnetwork4 10.99.99.1;\n"
	"\tpool_size 253;\n"
	"\tnetmask4 255.255.255.0;\n"
	"\tauth_source system;\n"
	"\tdns4 10.0.12.1;\n"
	"\twins4 10.0.12.1;\n"
	"\tbanner \"/etc/racoon/motd\";\n"
	"\tpfs_group 2;\n"
	"}\n";

static void
test_netbsd_gateway(void **state)
{
	struct cfg *c = parse_ok(netbsd_gateway);
	const struct cfg_remote *r = &c->remotes[0];
	const struct cfg_modecfg *m = &c->modecfg;

	assert_int_equal(r->n_xmodes, 1);
	assert_int_equal(r->xmodes[0], CFG_XMODE_AGGRESSIVE);
	assert_int_equal(r->cert_type, CFG_CERT_X509);
	assert_string_equal(r->cert_file, "/etc/openssl/certs/vpngw.crt");
	assert_string_equal(r->key_file, "/etc/openssl/certs/vpngw.key");
	assert_int_equal(r->my_id.type, CFG_ID_ASN1DN);
	assert_null(r->my_id.value);
	assert_true(r->passive);
	assert_int_equal(r->generate_policy, CFG_GENPOLICY_ON);
	assert_int_equal(r->proposal_check, CFG_PROPCHECK_OBEY);
	assert_int_equal(r->nat_traversal, CFG_ON);
	assert_int_equal(r->dpd_delay, 20);
	assert_int_equal(r->ike_frag, CFG_ON);
	assert_int_equal(r->proposals[0].ameth, CFG_AMETH_HYBRID_RSA_SERVER);
	assert_int_equal(c->sainfos[0].lifetime_sec, 3600);

	assert_true(m->present);
	assert_addr(&m->network4, "10.99.99.1");
	assert_addr(&m->netmask4, "255.255.255.0");
	assert_int_equal(m->pool_size, 253);
	assert_int_equal(m->auth_source, CFG_AUTHSRC_SYSTEM);
	assert_int_equal(m->n_dns4, 1);
	assert_addr(&m->dns4[0], "10.0.12.1");
	assert_int_equal(m->n_wins4, 1);
	assert_string_equal(m->banner, "/etc/racoon/motd");
	assert_int_equal(m->pfs_group, 2);
	assert_int_equal(m->auth_throttle, 1);
	cfg_free(c);
}

static void
test_globals(void **state)
{
	struct cfg *c = parse_ok(
		"# comment line\n"
		"path include \"/etc/racoon\";\n"
		"path script \"/etc/racoon/scripts\";\n"
		"path backupsa \"/var/db/backupsa\";\n"
		"path pidfile \"/run/racoon.pid\";\n"
		"log debug2; # trailing comment\n"
		"privsep { user \"racoon\"; group 77; chroot \"/var/empty\"; }\n"
		"padding { randomize off; randomize_length on; maximum_length 40;\n"
		"  exclusive_tail off; strict_check on; }\n"
		"timer { counter 7; interval 3 sec; persend 2; phase1 1 min;\n"
		"  phase2 30 seconds; natt_keepalive 0 sec; }\n"
		"listen { isakmp 192.0.2.1 [7000]; isakmp ::1; isakmp_natt 192.0.2.1 [4500];\n"
		"  strict_address; }\n"
		"complex_bundle on;\n"
		"gss_id_enc latin1;\n"
		"pfkey_buffer 0x400;\n");

	assert_string_equal(c->path_include, "/etc/racoon");
	assert_string_equal(c->path_script, "/etc/racoon/scripts");
	assert_string_equal(c->path_backupsa, "/var/db/backupsa");
	assert_string_equal(c->path_pidfile, "/run/racoon.pid");
	assert_int_equal(c->log_level, LOG_LVL_DEBUG2);
	assert_true(c->privsep.present);
	assert_string_equal(c->privsep.user, "racoon");
	assert_string_equal(c->privsep.group, "77");
	assert_string_equal(c->privsep.chroot, "/var/empty");
	assert_false(c->padding.randomize);
	assert_true(c->padding.randomize_length);
	assert_int_equal(c->padding.maximum_length, 40);
	assert_false(c->padding.exclusive_tail);
	assert_true(c->padding.strict_check);
	assert_int_equal(c->timer.counter, 7);
	assert_int_equal(c->timer.interval, 3);
	assert_int_equal(c->timer.persend, 2);
	assert_int_equal(c->timer.phase1, 60);
	assert_int_equal(c->timer.phase2, 30);
	assert_int_equal(c->timer.natt_keepalive, 0);
	assert_int_equal(c->n_listen, 3);
	assert_addr(&c->listen[0].addr, "192.0.2.1");
	assert_int_equal(c->listen[0].port, 7000);
	assert_false(c->listen[0].natt);
	assert_addr(&c->listen[1].addr, "::1");
	assert_int_equal(c->listen[1].port, 500);
	assert_true(c->listen[2].natt);
	assert_int_equal(c->listen[2].port, 4500);
	assert_true(c->strict_address);
	assert_true(c->complex_bundle);
	assert_true(c->gss_id_enc_latin1);
	assert_int_equal(c->pfkey_buffer, 1024);
	cfg_free(c);
}

static void
test_log_levels(void **state)
{
	static const struct {
		const char *kw;
		int lvl;
	} t[] = {
		{"error", LOG_LVL_ERR}, {"warning", LOG_LVL_WARN}, {"notify", LOG_LVL_NOTICE},
		{"info", LOG_LVL_INFO}, {"debug", LOG_LVL_DEBUG}, {"debug2", LOG_LVL_DEBUG2},
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		char text[64];
		struct cfg *c;

		snprintf(text, sizeof(text), "log %s;", t[i].kw);
		c = parse_ok(text);
		assert_int_equal(c->log_level, t[i].lvl);
		cfg_free(c);
	}
}

static const char remote_full[] =
	"remote 192.0.2.7 [4500] {\n"
	"\texchange_mode main, aggressive;\n"
	"\tdoi ipsec_doi;\n"
	"\tsituation identity_only;\n"
	"\tmy_identifier keyid tag \"my-key-id\";\n"
	"\tpeers_identifier fqdn \"gw.example.net\";\n"
	"\tpeers_identifier user_fqdn \"vpn@example.net\";\n"
	"\tverify_identifier on;\n"
	"\tca_type x509 \"ca.pem\";\n"
	"\tpeers_certfile \"peer.pem\";\n"
	"\tsend_cert off; send_cr off; verify_cert off; match_empty_cr off;\n"
	"\tlifetime time 30 min;\n"
	"\tlifetime byte 5 MB;\n"
	"\tnonce_size 32;\n"
	"\tinitial_contact off;\n"
	"\tsupport_proxy on;\n"
	"\tgenerate_policy unique;\n"
	"\tnat_traversal force;\n"
	"\tdpd_delay 30; dpd_retry 3; dpd_maxfail 4; dpd off;\n"
	"\tike_frag force;\n"
	"\tesp_frag 552;\n"
	"\tscript \"up.sh\" phase1_up;\n"
	"\tscript \"down.sh\" phase1_down;\n"
	"\tscript \"dead.sh\" phase1_dead;\n"
	"\tmode_cfg on;\n"
	"\tweak_phase1_check on;\n"
	"\trekey off;\n"
	"\tph1id 3;\n"
	"\txauth_login \"alice\";\n"
	"\tdh_group modp2048;\n"
	"\tproposal_check claim;\n"
	"\tproposal {\n"
	"\t\tencryption_algorithm aes 256;\n"
	"\t\thash_algorithm sha256;\n"
	"\t\tauthentication_method xauth_psk_client;\n"
	"\t\tdh_group 14;\n"
	"\t\tlifetime time 2 hours;\n"
	"\t\tgss_id \"host/gw\";\n"
	"\t}\n"
	"\tproposal {\n"
	"\t\tencryption_algorithm camellia 192; hash_algorithm sha512;\n"
	"\t\tauthentication_method rsasig; dh_group modp8192;\n"
	"\t}\n"
	"}\n";

static void
test_remote_full(void **state)
{
	struct cfg *c = parse_ok(remote_full);
	const struct cfg_remote *r = cfg_remote_find(c, "192.0.2.7");

	assert_non_null(r);
	assert_true(r->has_address);
	assert_false(r->anonymous);
	assert_addr(&r->address, "192.0.2.7");
	assert_int_equal(r->port, 4500);
	assert_int_equal(r->n_xmodes, 2);
	assert_int_equal(r->my_id.type, CFG_ID_KEYID);
	assert_int_equal(r->my_id.qual, CFG_IDQUAL_TAG);
	assert_string_equal(r->my_id.value, "my-key-id");
	assert_int_equal(r->n_peers_ids, 2);
	assert_int_equal(r->peers_ids[0].type, CFG_ID_FQDN);
	assert_string_equal(r->peers_ids[1].value, "vpn@example.net");
	assert_true(r->verify_identifier);
	assert_string_equal(r->ca_file, "ca.pem");
	assert_int_equal(r->peers_cert_type, CFG_CERT_X509);
	assert_string_equal(r->peers_certfile, "peer.pem");
	assert_false(r->send_cert);
	assert_false(r->send_cr);
	assert_false(r->verify_cert);
	assert_false(r->match_empty_cr);
	assert_int_equal(r->lifetime_sec, 1800);
	assert_int_equal(r->lifetime_bytes, 5u << 20);
	assert_int_equal(r->nonce_size, 32);
	assert_false(r->initial_contact);
	assert_true(r->support_proxy);
	assert_int_equal(r->generate_policy, CFG_GENPOLICY_UNIQUE);
	assert_int_equal(r->nat_traversal, CFG_FORCE);
	assert_int_equal(r->dpd_delay, 30);
	assert_int_equal(r->dpd_retry, 3);
	assert_int_equal(r->dpd_maxfail, 4);
	assert_false(r->dpd);
	assert_int_equal(r->ike_frag, CFG_FORCE);
	assert_int_equal(r->esp_frag, 552);
	assert_string_equal(r->script[CFG_SCRIPT_PHASE1_UP], "up.sh");
	assert_string_equal(r->script[CFG_SCRIPT_PHASE1_DOWN], "down.sh");
	assert_string_equal(r->script[CFG_SCRIPT_PHASE1_DEAD], "dead.sh");
	assert_true(r->mode_cfg);
	assert_true(r->weak_phase1_check);
	assert_int_equal(r->rekey, CFG_OFF);
	assert_int_equal(r->ph1id, 3);
	assert_string_equal(r->xauth_login, "alice");
	assert_int_equal(r->dh_group, CFG_DH_MODP2048);
	assert_int_equal(r->proposal_check, CFG_PROPCHECK_CLAIM);
	assert_int_equal(r->n_proposals, 2);
	assert_int_equal(r->proposals[0].enc_keylen, 256);
	assert_int_equal(r->proposals[0].hash, CFG_HASH_SHA256);
	assert_int_equal(r->proposals[0].ameth, CFG_AMETH_XAUTH_PSK_CLIENT);
	assert_int_equal(r->proposals[0].dh_group, CFG_DH_MODP2048);
	assert_int_equal(r->proposals[0].lifetime_sec, 7200);
	assert_string_equal(r->proposals[0].gss_id, "host/gw");
	assert_int_equal(r->proposals[1].enc, CFG_ENC_CAMELLIA);
	assert_int_equal(r->proposals[1].enc_keylen, 192);
	assert_int_equal(r->proposals[1].dh_group, CFG_DH_MODP8192);
	cfg_free(c);
}

static void
test_remote_inherit(void **state)
{
	struct cfg *c = parse_ok(
		"remote \"base\" {\n"
		"  exchange_mode main; nat_traversal on; peers_identifier fqdn \"a\";\n"
		"  script \"up\" phase1_up;\n"
		"  proposal { encryption_algorithm aes; hash_algorithm sha1;\n"
		"    authentication_method pre_shared_key; dh_group 2; }\n"
		"}\n"
		"remote \"office\" inherit \"base\" {\n"
		"  remote_address 198.51.100.1;\n"
		"  peers_identifier fqdn \"b\";\n"
		"  proposal { encryption_algorithm 3des; hash_algorithm md5;\n"
		"    authentication_method pre_shared_key; dh_group 5; }\n"
		"}\n"
		"remote \"copy\" inherit \"base\";\n"
		"remote 203.0.113.9 inherit \"base\" { passive on; }\n");
	const struct cfg_remote *base = cfg_remote_find(c, "base");
	const struct cfg_remote *office = cfg_remote_find(c, "office");
	const struct cfg_remote *copy = cfg_remote_find(c, "copy");
	const struct cfg_remote *addr = cfg_remote_find(c, "203.0.113.9");

	assert_non_null(base);
	assert_non_null(office);
	assert_non_null(copy);
	assert_non_null(addr);
	assert_string_equal(office->inherit, "base");
	assert_true(office->named);
	assert_true(office->has_address);
	assert_addr(&office->address, "198.51.100.1");
	assert_int_equal(office->nat_traversal, CFG_ON);
	assert_string_equal(office->script[CFG_SCRIPT_PHASE1_UP], "up");
	/* A child's own proposals and peers_identifiers replace the inherited ones. */
	assert_int_equal(office->n_proposals, 1);
	assert_int_equal(office->proposals[0].enc, CFG_ENC_3DES);
	assert_int_equal(office->n_peers_ids, 1);
	assert_string_equal(office->peers_ids[0].value, "b");
	assert_int_equal(base->proposals[0].enc, CFG_ENC_AES);
	assert_int_equal(copy->n_proposals, 1);
	assert_int_equal(copy->proposals[0].enc, CFG_ENC_AES);
	assert_false(copy->has_address);
	assert_true(addr->has_address);
	assert_true(addr->passive);
	assert_int_equal(addr->nat_traversal, CFG_ON);
	cfg_free(c);
}

#define PROPOSAL "proposal { encryption_algorithm aes; hash_algorithm sha1; " \
		 "authentication_method pre_shared_key; dh_group 2; }"

/* Forms racoon's scanner accepted: commas are optional in exchange_mode, and several
 * remotes may share an address (only quoted names must be unique). */
static void
test_remote_compat(void **state)
{
	struct cfg *c = parse_ok(
		"remote anonymous { exchange_mode main aggressive; " PROPOSAL " }\n"
		"remote anonymous [4500] { exchange_mode base,main; " PROPOSAL " }\n"
		"remote ::1 { " PROPOSAL " }\n");

	assert_int_equal(c->n_remotes, 3);
	assert_int_equal(c->remotes[0].n_xmodes, 2);
	assert_int_equal(c->remotes[0].xmodes[1], CFG_XMODE_AGGRESSIVE);
	assert_false(c->remotes[0].named);
	assert_int_equal(c->remotes[1].port, 4500);
	assert_int_equal(c->remotes[1].xmodes[0], CFG_XMODE_BASE);
	assert_int_equal(c->remotes[2].n_xmodes, 1);
	assert_int_equal(c->remotes[2].xmodes[0], CFG_XMODE_MAIN);
	assert_int_equal(c->remotes[2].address.family, AF_INET6);
	cfg_free(c);
}

#define ALGS "{ encryption_algorithm aes; authentication_algorithm hmac_sha1; " \
	     "compression_algorithm deflate; }\n"

static void
test_sainfo_ids(void **state)
{
	struct cfg *c = parse_ok(
		"sainfo address 10.0.0.1 any address 10.0.1.1 tcp " ALGS
		"sainfo subnet 10.0.0.0/24 [any] any subnet 10.1.0.0/16 [80] 6 " ALGS
		"sainfo subnet 10.2.0.1-10.2.0.9 udp anonymous from fqdn \"peer\" " ALGS
		"sainfo anonymous clientaddr group \"staff\" " ALGS
		"sainfo fqdn \"a.example\" user_fqdn \"b@example\" " ALGS
		"sainfo subnet 2001:db8::/32 icmp6 anonymous { remoteid 7; lifetime byte 10 KB;"
		" encryption_algorithm null_enc; authentication_algorithm non_auth;"
		" compression_algorithm deflate; }\n");
	const struct cfg_sainfo *s = c->sainfos;

	assert_int_equal(c->n_sainfos, 6);
	assert_int_equal(s[0].local.kind, CFG_SAID_PREFIX);
	assert_int_equal(s[0].local.type, CFG_ID_ADDRESS);
	assert_addr(&s[0].local.prefix.addr, "10.0.0.1");
	assert_int_equal(s[0].local.prefix.len, 32);
	assert_int_equal(s[0].local.proto, CFG_PROTO_ANY);
	assert_int_equal(s[0].remote.proto, 6);
	assert_int_equal(s[1].local.prefix.len, 24);
	assert_int_equal(s[1].local.port, CFG_PORT_ANY);
	assert_int_equal(s[1].remote.prefix.len, 16);
	assert_int_equal(s[1].remote.port, 80);
	assert_int_equal(s[1].remote.proto, 6);
	assert_int_equal(s[2].local.kind, CFG_SAID_RANGE);
	assert_addr(&s[2].local.prefix.addr, "10.2.0.1");
	assert_addr(&s[2].local.range_end, "10.2.0.9");
	assert_int_equal(s[2].local.proto, 17);
	assert_int_equal(s[2].remote.kind, CFG_SAID_ANONYMOUS);
	assert_true(s[2].has_from);
	assert_int_equal(s[2].from.type, CFG_ID_FQDN);
	assert_string_equal(s[2].from.value, "peer");
	assert_int_equal(s[3].local.kind, CFG_SAID_ANONYMOUS);
	assert_int_equal(s[3].remote.kind, CFG_SAID_CLIENTADDR);
	assert_string_equal(s[3].group, "staff");
	assert_int_equal(s[4].local.kind, CFG_SAID_NAME);
	assert_string_equal(s[4].local.name, "a.example");
	assert_int_equal(s[4].remote.type, CFG_ID_USER_FQDN);
	assert_int_equal(s[5].local.prefix.addr.family, AF_INET6);
	assert_int_equal(s[5].local.proto, 58);
	assert_int_equal(s[5].remoteid, 7);
	assert_int_equal(s[5].lifetime_bytes, 10240);
	assert_int_equal(s[5].enc[0].alg, CFG_ENC_NULL);
	assert_int_equal(s[5].auth[0].alg, CFG_AUTH_NON_AUTH);
	cfg_free(c);
}

static void
test_units(void **state)
{
	static const struct {
		const char *unit;
		uint32_t mult;
	} t[] = {
		{"sec", 1}, {"secs", 1}, {"second", 1}, {"seconds", 1}, {"min", 60},
		{"mins", 60}, {"minute", 60}, {"minutes", 60}, {"hour", 3600}, {"hours", 3600},
	};
	static const struct {
		const char *unit;
		uint64_t mult;
	} b[] = {{"B", 1}, {"byte", 1}, {"bytes", 1}, {"KB", 1024}, {"MB", 1 << 20},
		 {"GB", 1 << 30}, {"TB", 1 << 30}};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		char text[128];
		struct cfg *c;

		snprintf(text, sizeof(text), "timer { phase1 3 %s; }", t[i].unit);
		c = parse_ok(text);
		assert_int_equal(c->timer.phase1, 3 * t[i].mult);
		cfg_free(c);
	}
	for (size_t i = 0; i < sizeof(b) / sizeof(b[0]); i++) {
		char text[256];
		struct cfg *c;

		snprintf(text, sizeof(text), "sainfo anonymous { lifetime byte 3 %s; "
			 "encryption_algorithm aes; authentication_algorithm hmac_sha1; "
			 "compression_algorithm deflate; }", b[i].unit);
		c = parse_ok(text);
		assert_int_equal(c->sainfos[0].lifetime_bytes, 3 * b[i].mult);
		cfg_free(c);
	}
}

static void
test_modecfg_ldap_radius(void **state)
{
	struct cfg *c = parse_ok(
		"mode_cfg {\n"
		"  dns4 10.0.0.53, 10.0.0.54; dns4 10.0.0.55;\n"
		"  nbns4 10.0.0.60;\n"
		"  default_domain \"corp.example\";\n"
		"  split_network include 10.0.0.0/8, 172.16.0.0/12;\n"
		"  split_dns \"corp.example\", \"lab.example\";\n"
		"  auth_source ldap; group_source ldap; conf_source radius;\n"
		"  accounting pam; auth_groups \"vpn\", \"admins\";\n"
		"  save_passwd on; auth_throttle 5;\n"
		"}\n"
		"ldapcfg { version 2; host \"ldap.example\"; port 636; base \"dc=example\";\n"
		"  subtree on; bind_dn \"cn=racoon\"; bind_pw \"secret\"; attr_user \"uid\";\n"
		"  attr_addr \"a\"; attr_mask \"m\"; attr_group \"g\"; attr_member \"mm\";\n"
		"  timeout 9; debug 1; uri \"ldaps://ldap.example\"; }\n"
		"radiuscfg { auth \"10.0.0.5\" \"s1\"; auth \"10.0.0.6\" 1812 \"s2\";\n"
		"  acct \"10.0.0.5\" 1813 \"s3\"; timeout 4; retries 2; }\n");
	const struct cfg_modecfg *m = &c->modecfg;

	assert_int_equal(m->n_dns4, 3);
	assert_addr(&m->dns4[2], "10.0.0.55");
	assert_int_equal(m->n_wins4, 1);
	assert_string_equal(m->default_domain, "corp.example");
	assert_int_equal(m->split_type, CFG_SPLIT_INCLUDE);
	assert_int_equal(m->n_split_net, 2);
	assert_int_equal(m->split_net[1].len, 12);
	assert_int_equal(m->n_split_dns, 2);
	assert_string_equal(m->split_dns[1], "lab.example");
	assert_int_equal(m->auth_source, CFG_AUTHSRC_LDAP);
	assert_int_equal(m->group_source, CFG_GROUPSRC_LDAP);
	assert_int_equal(m->conf_source, CFG_CONFSRC_RADIUS);
	assert_int_equal(m->accounting, CFG_ACCT_PAM);
	assert_int_equal(m->n_auth_groups, 2);
	assert_true(m->save_passwd);
	assert_int_equal(m->auth_throttle, 5);
	assert_true(c->ldap.present);
	assert_int_equal(c->ldap.version, 2);
	assert_int_equal(c->ldap.port, 636);
	assert_true(c->ldap.subtree);
	assert_string_equal(c->ldap.bind_pw, "secret");
	assert_string_equal(c->ldap.attr_member, "mm");
	assert_string_equal(c->ldap.uri, "ldaps://ldap.example");
	assert_int_equal(c->radius.n_auth, 2);
	assert_int_equal(c->radius.auth[0].port, 0);
	assert_int_equal(c->radius.auth[1].port, 1812);
	assert_string_equal(c->radius.auth[1].secret, "s2");
	assert_int_equal(c->radius.n_acct, 1);
	assert_int_equal(c->radius.timeout, 4);
	assert_int_equal(c->radius.retries, 2);
	cfg_free(c);
}

static void
test_errors(void **state)
{
	static const struct {
		const char *text;
		int line, col;
		const char *msg;
	} t[] = {
		{"log debug\nlisten { }\n", 1, 10, "expected ';' after 'log debug'"},
		{"remote anonymous {\n  lifetime time 1 hour\n}\n", 2, 23,
		 "expected ';' after 'lifetime time 1 hour'"},
		{"remote anonymous {\n\tfoo 1;\n}\n", 2, 2, "unknown directive 'foo' in remote section"},
		{"\n  foo;\n", 2, 3, "unknown directive 'foo'"},
		{"timer { phase1 3 weeks; }", 1, 18,
		 "expected a time unit (sec, min, hour) after '3'"},
		{"listen { isakmp 1.2.3; }", 1, 17, "'1.2.3' is not an IPv4 or IPv6 address"},
		{"path include \"/x;\n", 1, 14, "unterminated quoted string"},
		{"sainfo anonymous { encryption_algorithm aes; authentication_algorithm hmac_sha1; }",
		 1, 1, "sainfo has no compression_algorithm"},
		{"padding {\n randomize on;\n", 3, 1, "expected '}' to close 'padding' opened at line 1"},
		{"remote anonymous { proposal { encryption_algorithm md5; } }", 1, 52,
		 "'md5' is not an encryption algorithm"},
		{"remote anonymous { proposal { encryption_algorithm aes; } }", 1, 20,
		 "proposal has no 'hash_algorithm'"},
		{"remote anonymous { exchange_mode main; }", 1, 8,
		 "remote \"anonymous\" has no proposal"},
		{"listen { adminsock \"/a.sock\" \"u\" \"g\" 0999; }", 1, 38,
		 "expected an octal mode after 'adminsock path owner group'"},
		{"remote \"x\" inherit \"nope\";", 1, 8, "parent remote \"nope\" does not exist"},
		{"remote anonymous { dh_group 7; }", 1, 29,
		 "7 is not a supported DH group (1, 2, 3, 4, 5, 14-18)"},
		{"sainfo anonymous { encryption_algorithm aes 100; }", 1, 45,
		 "invalid key length 100 for 'aes'"},
		{"sainfo anonymous { encryption_algorithm 3des 128; }", 1, 46,
		 "'3des' takes no key length"},
		{"sainfo address 10.0.0.1 icmp address 10.0.0.2 [80] icmp { }", 1, 52,
		 "port number must be \"any\" for ICMP"},
		{"padding { randomize maybe; }", 1, 21, "expected 'on' or 'off' after 'randomize'"},
		{"log loud;", 1, 5, "'loud' is not a log level (error, warning, notify, info, debug, "
		 "debug2)"},
		{"timer { counter 99999999999; }", 1, 17, "number 99999999999 is too large "
		 "(max 4294967295)"},
		{"listen { isakmp 10.0.0.1 [70000]; }", 1, 26, "invalid port '[70000]'"},
		{"timer { counter 0x; }", 1, 17, "'0x' is not a number"},
		{"timer { counter 0x-1; }", 1, 17, "'0x-1' is not a number"},
		{"timer { counter 12ab; }", 1, 17, "'12ab' is not a number"},
		{"include \"/nonexistent-dir/*.conf\";", 1, 9,
		 "include \"/nonexistent-dir/*.conf\": no file matches"},
		{"mode_cfg { dns4 1.1.1.1, 2.2.2.2, 3.3.3.3, 4.4.4.4; }", 1, 44,
		 "too many dns4 addresses (max 3)"},
		{"listen { @ }", 1, 10, "unknown directive '@' in listen section"},
		{"listen { ; }", 1, 10, "expected a directive in listen section, got ';'"},
		{"path include \"a\" \"b\";", 1, 17, "expected ';' after 'path include \"a\"'"},
		{"remote anonymous {\n\texchange_mode main\n\tpassive on;\n}", 2, 20,
		 "expected ';' after 'exchange_mode main'"},
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct cfg_error err;
		struct cfg *c = (struct cfg *)&err;
		int rc = cfg_parse_string("bad.conf", t[i].text, &c, &err);

		if (rc != -EINVAL || strcmp(err.msg, t[i].msg) != 0 || err.line != t[i].line ||
		    err.col != t[i].col)
			fail_msg("case %zu: rc %d, got %d:%d '%s', want %d:%d '%s'", i, rc, err.line,
				 err.col, err.msg, t[i].line, t[i].col, t[i].msg);
		assert_string_equal(err.file, "bad.conf");
		assert_null(c);
	}
}

static void
test_nul_byte(void **state)
{
	static const char text[] = "log\0 info;";
	struct cfg_error err;
	struct cfg *c;

	assert_int_equal(cfg_parse_buf("nul.conf", text, sizeof(text) - 1, 0, &c, &err), -EINVAL);
	assert_null(c);
	assert_int_equal(err.line, 1);
	assert_int_equal(err.col, 4);
	assert_string_equal(err.msg, "NUL byte in configuration");
	/* Fuzzing and untrusted text may forbid reading other files. */
	assert_int_equal(cfg_parse_buf("x", "include \"/etc/*\";", 17, CFG_F_NO_INCLUDE, &c, &err),
			 -EINVAL);
	assert_string_equal(err.msg, "include is disabled here");
}

/* A long statement is cut in the message, which stays within its buffer. */
static void
test_long_statement(void **state)
{
	char text[300];
	struct cfg_error err;
	struct cfg *c;

	snprintf(text, sizeof(text), "path include \"%0200d\" x;", 0);
	assert_int_equal(cfg_parse_string("l.conf", text, &c, &err), -EINVAL);
	assert_int_equal(err.col, 216);
	assert_int_equal(strncmp(err.msg, "expected ';' after 'path include \"000", 37), 0);
	assert_string_equal(err.msg + strlen(err.msg) - 5, "0...'");
	assert_true(strlen(err.msg) < 100);
}

static void
test_duplicates(void **state)
{
	struct cfg_error err;
	struct cfg *c;

	assert_int_equal(cfg_parse_string("d.conf", "remote \"a\" { proposal { encryption_algorithm "
					  "aes; hash_algorithm sha1; authentication_method rsasig; "
					  "dh_group 2; } }\nremote \"a\" { }", &c, &err), -EINVAL);
	assert_string_equal(err.msg, "remote \"a\" is already defined");
	assert_int_equal(err.line, 2);
	assert_int_equal(cfg_parse_string("d.conf", "sainfo address 10.0.0.1 any address 10.0.0.2 "
					  "any " ALGS "sainfo address 10.0.0.1 any address "
					  "10.0.0.2 any " ALGS, &c, &err), -EINVAL);
	assert_string_equal(err.msg, "duplicated sainfo");
	assert_int_equal(err.line, 2);
}

static void
write_file(const char *dir, const char *name, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void
test_includes(void **state)
{
	char dir[] = "/tmp/coati-cfg-XXXXXX", path[512], text[1024], sub[600];
	struct cfg_error err;
	struct cfg *c;

	assert_non_null(mkdtemp(dir));
	snprintf(sub, sizeof(sub), "%s/conf.d", dir);
	assert_int_equal(mkdir(sub, 0700), 0);
	snprintf(text, sizeof(text), "path include \"%s\";\ninclude \"conf.d/*.conf\";\nlog info;\n",
		 dir);
	write_file(dir, "racoon.conf", text);
	write_file(dir, "conf.d/a.conf", "\nremote anonymous { proposal { encryption_algorithm "
		   "aes; hash_algorithm sha1; authentication_method rsasig; dh_group 2; } }\n");
	write_file(dir, "conf.d/b.conf", "listen { adminsock \"/x.sock\"; }\n");
	write_file(dir, "bad.inc", "log info;\nremote anonymous { bogus; }\n");
	write_file(dir, "loop.inc", "include \"loop.inc\";\n");

	snprintf(path, sizeof(path), "%s/racoon.conf", dir);
	assert_int_equal(cfg_load(path, &c), 0);
	assert_int_equal(c->n_remotes, 1);
	assert_string_equal(c->adminsock.path, "/x.sock");
	assert_int_equal(c->log_level, LOG_LVL_INFO);
	assert_int_equal(c->n_ignored, 0);
	assert_int_equal(c->remotes[0].loc.line, 2);
	snprintf(path, sizeof(path), "%s/conf.d/a.conf", dir);
	assert_string_equal(c->remotes[0].loc.file, path);
	cfg_free(c);

	/* An error inside an include names the included file. */
	snprintf(text, sizeof(text), "path include \"%s\";\ninclude \"bad.inc\";\n", dir);
	assert_int_equal(cfg_parse_string("main.conf", text, &c, &err), -EINVAL);
	snprintf(path, sizeof(path), "%s/bad.inc", dir);
	assert_string_equal(err.file, path);
	assert_int_equal(err.line, 2);
	assert_int_equal(err.col, 20);
	assert_string_equal(err.msg, "unknown directive 'bogus' in remote section");

	snprintf(text, sizeof(text), "path include \"%s\";\ninclude \"loop.inc\";\n", dir);
	assert_int_equal(cfg_parse_string("main.conf", text, &c, &err), -EINVAL);
	assert_string_equal(err.msg, "includes nested too deeply (max 10)");

	snprintf(path, sizeof(path), "%s/missing.conf", dir);
	assert_int_equal(cfg_load(path, &c), -ENOENT);
	assert_null(c);

	const char *names[] = {"conf.d/a.conf", "conf.d/b.conf", "bad.inc", "loop.inc",
			       "racoon.conf"};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		unlink(path);
	}
	rmdir(sub);
	rmdir(dir);
}

static void
test_warn_unsupported(void **state)
{
	struct cfg *c = parse_ok(netbsd_gateway);

	/* remote, sainfo, path certificate and mode_cfg are IKE's now: IKE reports what it
	 * does not use */
	assert_int_equal(c->n_ignored, 0);
	cfg_warn_unsupported(c);
	cfg_free(c);
}

/* Every truncation and single-byte substitution of real files parses or fails cleanly. */
static void
test_mutation_sweep(void **state)
{
	static const char subst[] = {'\0', '{', '}', ';', '"', ' ', '\n', 'x', '9', '/', '[', ',',
				     '-', '#'};
	const char *samples[] = {netbsd_gateway, remote_full};
	int saved = dup(2), null = open("/dev/null", O_WRONLY);

	dup2(null, 2);
	for (size_t s = 0; s < sizeof(samples) / sizeof(samples[0]); s++) {
		size_t n = strlen(samples[s]);
		char *buf = malloc(n);

		assert_non_null(buf);
		for (size_t i = 0; i < n; i++) {
			struct cfg *c;

			memcpy(buf, samples[s], n);
			if (cfg_parse_buf("m", buf, i, 0, &c, NULL) == 0)
				cfg_free(c);
			for (size_t k = 0; k < sizeof(subst); k++) {
				buf[i] = subst[k];
				if (cfg_parse_buf("m", buf, n, 0, &c, NULL) == 0)
					cfg_free(c);
				else
					assert_null(c);
			}
		}
		free(buf);
	}
	dup2(saved, 2);
	close(saved);
	close(null);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_minimal_adminsock),
		cmocka_unit_test(test_adminsock_forms),
		cmocka_unit_test(test_manpage_psk_example),
		cmocka_unit_test(test_manpage_rsa_example),
		cmocka_unit_test(test_netbsd_gateway),
		cmocka_unit_test(test_globals),
		cmocka_unit_test(test_log_levels),
		cmocka_unit_test(test_remote_full),
		cmocka_unit_test(test_remote_inherit),
		cmocka_unit_test(test_remote_compat),
		cmocka_unit_test(test_sainfo_ids),
		cmocka_unit_test(test_units),
		cmocka_unit_test(test_modecfg_ldap_radius),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_nul_byte),
		cmocka_unit_test(test_long_statement),
		cmocka_unit_test(test_duplicates),
		cmocka_unit_test(test_includes),
		cmocka_unit_test(test_warn_unsupported),
		cmocka_unit_test(test_mutation_sweep),
	};

	log_init("test_config", true, LOG_LVL_WARN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
