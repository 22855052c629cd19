/*
 * The racoon.conf model: every directive of ipsec-tools 0.8.x racoon.conf(5), typed.
 * cfg_load() builds a complete struct cfg or nothing; the daemon only reads it.
 */
#ifndef COATI_CONFIG_CONF_H
#define COATI_CONFIG_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/addr.h"

#define CFG_ERRMSG_MAX 256
#define CFG_ERRFILE_MAX 256
#define CFG_INCLUDE_DEPTH 10       /* racoon's MAX_INCLUDE_DEPTH */
#define CFG_FILE_MAX (4u << 20)    /* refuse config files above 4 MiB */
#define CFG_MODECFG_DNS_MAX 3      /* racoon: MAXNS */
#define CFG_MODECFG_WINS_MAX 4
#define CFG_RADIUS_SERVERS_MAX 5
#define CFG_PORT_ANY 0

/* Where a directive came from; file points into cfg->files. */
struct cfg_loc {
	const char *file;
	int line;
};

/* First error of a failed parse, for tests and for callers that show it themselves. */
struct cfg_error {
	char file[CFG_ERRFILE_MAX];
	int line, col;
	char msg[CFG_ERRMSG_MAX];
};

/* Exchange types, RFC 2408 3.1 (the values racoon's exchange_mode keywords select). */
enum cfg_xmode {
	CFG_XMODE_BASE = 1,       /* RFC 2408 4.4 */
	CFG_XMODE_MAIN = 2,       /* Identity Protection, RFC 2409 5 */
	CFG_XMODE_AGGRESSIVE = 4, /* RFC 2409 5 */
};

/* Identification types of my_identifier/peers_identifier/sainfo ids (RFC 2407 4.6.2.1). */
enum cfg_id_type {
	CFG_ID_NONE = 0,
	CFG_ID_ADDRESS,   /* ID_IPV4_ADDR / ID_IPV6_ADDR by family */
	CFG_ID_SUBNET,    /* ID_IPV4_ADDR_SUBNET / ID_IPV6_ADDR_SUBNET (also ranges) */
	CFG_ID_FQDN,      /* ID_FQDN */
	CFG_ID_USER_FQDN, /* ID_USER_FQDN */
	CFG_ID_KEYID,     /* ID_KEY_ID */
	CFG_ID_ASN1DN,    /* ID_DER_ASN1_DN */
};

enum cfg_id_qual {
	CFG_IDQUAL_NONE = 0,
	CFG_IDQUAL_FILE, /* keyid read from a file (racoon's default for keyid) */
	CFG_IDQUAL_TAG,  /* keyid given inline */
};

/* A phase 1 identity; value NULL means "derive it" (own address, certificate subject). */
struct cfg_ident {
	enum cfg_id_type type;
	enum cfg_id_qual qual;
	char *value;
};

/* Phase 1 (Oakley) encryption and phase 2 ESP ciphers, racoon's names. */
enum cfg_enc {
	CFG_ENC_NONE = 0,
	CFG_ENC_DES,
	CFG_ENC_3DES,
	CFG_ENC_DES_IV64,
	CFG_ENC_DES_IV32,
	CFG_ENC_RC5,
	CFG_ENC_RC4,
	CFG_ENC_IDEA,
	CFG_ENC_3IDEA,
	CFG_ENC_CAST128,
	CFG_ENC_BLOWFISH,
	CFG_ENC_NULL,
	CFG_ENC_TWOFISH,
	CFG_ENC_AES,
	CFG_ENC_CAMELLIA,
};

/* Phase 1 hash_algorithm. */
enum cfg_hash {
	CFG_HASH_NONE = 0,
	CFG_HASH_MD5,
	CFG_HASH_SHA1,
	CFG_HASH_TIGER,
	CFG_HASH_SHA256,
	CFG_HASH_SHA384,
	CFG_HASH_SHA512,
};

/* Phase 2 authentication_algorithm (ESP/AH integrity). */
enum cfg_auth {
	CFG_AUTH_NONE = 0,
	CFG_AUTH_HMAC_MD5,
	CFG_AUTH_HMAC_SHA1,
	CFG_AUTH_HMAC_SHA256,
	CFG_AUTH_HMAC_SHA384,
	CFG_AUTH_HMAC_SHA512,
	CFG_AUTH_DES_MAC,
	CFG_AUTH_KPDK,
	CFG_AUTH_NON_AUTH, /* ESP without integrity */
};

/* Phase 2 compression_algorithm (IPComp, RFC 3173). */
enum cfg_comp {
	CFG_COMP_NONE = 0,
	CFG_COMP_OUI,
	CFG_COMP_DEFLATE,
	CFG_COMP_LZS,
};

/* Phase 1 authentication_method, RFC 2409 App. A plus the Xauth/hybrid draft methods. */
enum cfg_ameth {
	CFG_AMETH_NONE = 0,
	CFG_AMETH_PSK,
	CFG_AMETH_DSSSIG,
	CFG_AMETH_RSASIG,
	CFG_AMETH_RSAENC,
	CFG_AMETH_RSAREV,
	CFG_AMETH_GSSAPI_KRB,
	CFG_AMETH_HYBRID_RSA_SERVER,
	CFG_AMETH_HYBRID_RSA_CLIENT,
	CFG_AMETH_HYBRID_DSS_SERVER,
	CFG_AMETH_HYBRID_DSS_CLIENT,
	CFG_AMETH_XAUTH_PSK_SERVER,
	CFG_AMETH_XAUTH_PSK_CLIENT,
	CFG_AMETH_XAUTH_RSA_SERVER,
	CFG_AMETH_XAUTH_RSA_CLIENT,
};

/* Oakley groups by their IANA number (RFC 2409 6, RFC 3526). */
enum cfg_dh {
	CFG_DH_NONE = 0,
	CFG_DH_MODP768 = 1,
	CFG_DH_MODP1024 = 2,
	CFG_DH_EC2N155 = 3,
	CFG_DH_EC2N185 = 4,
	CFG_DH_MODP1536 = 5,
	CFG_DH_MODP2048 = 14,
	CFG_DH_MODP3072 = 15,
	CFG_DH_MODP4096 = 16,
	CFG_DH_MODP6144 = 17,
	CFG_DH_MODP8192 = 18,
};

/* Values of the three-way racoon switches (nat_traversal, ike_frag, rekey). */
enum cfg_tri {
	CFG_OFF = 0,
	CFG_ON,
	CFG_FORCE,
};

enum cfg_propcheck {
	CFG_PROPCHECK_OBEY,
	CFG_PROPCHECK_STRICT, /* racoon's default */
	CFG_PROPCHECK_CLAIM,
	CFG_PROPCHECK_EXACT,
};

enum cfg_genpolicy {
	CFG_GENPOLICY_OFF,
	CFG_GENPOLICY_ON, /* "on" and "require" are the same */
	CFG_GENPOLICY_UNIQUE,
};

enum cfg_cert_type {
	CFG_CERT_NONE,
	CFG_CERT_X509,
	CFG_CERT_PLAIN_RSA,
	CFG_CERT_DNSSEC, /* peers_certfile dnssec */
};

enum cfg_script {
	CFG_SCRIPT_PHASE1_UP,
	CFG_SCRIPT_PHASE1_DOWN,
	CFG_SCRIPT_PHASE1_DEAD,
	CFG_SCRIPT_COUNT,
};

/* One ISAKMP proposal { } of a remote. */
struct cfg_proposal {
	enum cfg_enc enc;
	uint16_t enc_keylen; /* bits; 0 = algorithm default */
	enum cfg_hash hash;
	enum cfg_ameth ameth;
	enum cfg_dh dh_group;
	uint32_t lifetime_sec; /* 0 = the remote's lifetime */
	uint64_t lifetime_bytes;
	char *gss_id;
	struct cfg_loc loc;
};

struct cfg_remote {
	char *name;        /* quoted name, the address text, or "anonymous" */
	bool named;        /* the remote "name" form: names are unique, addresses need not be */
	char *inherit;     /* parent's name, NULL if none */
	bool anonymous;
	bool has_address;  /* remote_address or the address form */
	struct addr address;
	uint16_t port;     /* ISAKMP port of the peer; 500 by default */
	enum cfg_xmode xmodes[3]; /* in order of preference */
	size_t n_xmodes;
	uint32_t doi;       /* 1 = IPsec DOI (RFC 2407) */
	uint32_t situation; /* 1 = SIT_IDENTITY_ONLY (RFC 2407 4.2) */
	struct cfg_ident my_id;
	struct cfg_ident *peers_ids; /* alternatives */
	size_t n_peers_ids;
	bool verify_identifier;
	char *xauth_login;
	enum cfg_cert_type cert_type; /* certificate_type */
	char *cert_file;   /* x509 certificate */
	char *key_file;    /* private key (x509 or plain_rsa) */
	enum cfg_cert_type peers_cert_type; /* peers_certfile */
	char *peers_certfile;
	char *ca_file;     /* ca_type x509 */
	bool send_cert, send_cr, match_empty_cr, verify_cert;
	uint32_t nonce_size;
	enum cfg_dh dh_group; /* remote-level dh_group (aggressive mode) */
	bool passive;
	enum cfg_tri ike_frag;
	uint32_t esp_frag;
	char *script[CFG_SCRIPT_COUNT];
	bool mode_cfg;
	bool weak_phase1_check;
	enum cfg_genpolicy generate_policy;
	bool support_proxy;
	bool initial_contact;
	enum cfg_tri nat_traversal;
	bool dpd;           /* negotiate DPD (RFC 3706) */
	uint32_t dpd_delay; /* 0 = do not probe */
	uint32_t dpd_retry;
	uint32_t dpd_maxfail;
	enum cfg_tri rekey;
	uint32_t ph1id;
	uint32_t lifetime_sec;
	uint64_t lifetime_bytes;
	enum cfg_propcheck proposal_check;
	struct cfg_proposal *proposals; /* in order of preference */
	size_t n_proposals;
	struct cfg_loc loc;
	/* where certificate_type, peers_certfile and ca_type stand */
	struct cfg_loc cert_loc, peers_cert_loc, ca_loc;
};

enum cfg_said_kind {
	CFG_SAID_ANONYMOUS,
	CFG_SAID_CLIENTADDR, /* the peer's address or its mode_cfg address */
	CFG_SAID_PREFIX,     /* address/subnet a/len [port] proto */
	CFG_SAID_RANGE,      /* subnet a-b [port] proto */
	CFG_SAID_NAME,       /* fqdn/user_fqdn/keyid "string" */
};

#define CFG_PROTO_ANY 255 /* racoon's IPSEC_ULPROTO_ANY */

/* One side of an sainfo: the phase 2 ID it matches exactly. */
struct cfg_said {
	enum cfg_said_kind kind;
	enum cfg_id_type type;
	struct prefix prefix;   /* PREFIX: address and length; RANGE: first address */
	struct addr range_end;  /* RANGE: last address */
	uint16_t port;          /* CFG_PORT_ANY or a port */
	uint8_t proto;          /* IP protocol number or CFG_PROTO_ANY */
	char *name;             /* NAME */
};

struct cfg_alg {
	int alg;         /* enum cfg_enc, cfg_auth or cfg_comp */
	uint16_t keylen; /* bits, 0 = default */
};

struct cfg_sainfo {
	struct cfg_said local, remote;
	bool has_from;
	struct cfg_ident from; /* only for peers with this phase 1 id */
	char *group;           /* Xauth group required */
	enum cfg_dh pfs_group; /* CFG_DH_NONE = no PFS required */
	uint32_t remoteid;     /* matches cfg_remote.ph1id */
	uint32_t lifetime_sec;
	uint64_t lifetime_bytes;
	struct cfg_alg *enc, *auth, *comp;
	size_t n_enc, n_auth, n_comp;
	struct cfg_loc loc;
};

enum cfg_auth_source {
	CFG_AUTHSRC_SYSTEM,
	CFG_AUTHSRC_RADIUS,
	CFG_AUTHSRC_PAM,
	CFG_AUTHSRC_LDAP,
};

enum cfg_group_source {
	CFG_GROUPSRC_SYSTEM,
	CFG_GROUPSRC_LDAP,
};

enum cfg_conf_source {
	CFG_CONFSRC_LOCAL,
	CFG_CONFSRC_RADIUS,
	CFG_CONFSRC_LDAP,
};

enum cfg_accounting {
	CFG_ACCT_NONE,
	CFG_ACCT_SYSTEM,
	CFG_ACCT_RADIUS,
	CFG_ACCT_PAM,
};

enum cfg_split {
	CFG_SPLIT_NONE,
	CFG_SPLIT_INCLUDE,
	CFG_SPLIT_LOCAL_LAN,
};

/* mode_cfg { }: what the gateway hands out (draft-dukes-ike-mode-cfg) and Xauth sources. */
struct cfg_modecfg {
	bool present;
	struct addr network4, netmask4;
	uint32_t pool_size;
	struct addr dns4[CFG_MODECFG_DNS_MAX];
	size_t n_dns4;
	struct addr wins4[CFG_MODECFG_WINS_MAX];
	size_t n_wins4;
	char *default_domain;
	enum cfg_split split_type;
	struct prefix *split_net;
	size_t n_split_net;
	char **split_dns;
	size_t n_split_dns;
	char *banner;
	enum cfg_auth_source auth_source;
	enum cfg_group_source group_source;
	enum cfg_conf_source conf_source;
	enum cfg_accounting accounting;
	char **auth_groups;
	size_t n_auth_groups;
	uint32_t pfs_group; /* sent to Cisco clients, 0 = none */
	bool save_passwd;
	uint32_t auth_throttle; /* seconds */
	struct cfg_loc loc;
};

struct cfg_ldap {
	bool present;
	uint32_t version, debug, timeout, port;
	bool subtree;
	char *uri, *host, *base, *bind_dn, *bind_pw;
	char *attr_user, *attr_addr, *attr_mask, *attr_group, *attr_member;
	struct cfg_loc loc;
};

struct cfg_radius_server {
	char *host;
	uint16_t port; /* 0 = the service default */
	char *secret;
};

struct cfg_radius {
	bool present;
	struct cfg_radius_server auth[CFG_RADIUS_SERVERS_MAX], acct[CFG_RADIUS_SERVERS_MAX];
	size_t n_auth, n_acct;
	uint32_t timeout, retries;
	struct cfg_loc loc;
};

struct cfg_listen_addr {
	struct addr addr;
	uint16_t port;
	bool natt; /* isakmp_natt: also takes UDP-encapsulated ESP (RFC 3948) */
	struct cfg_loc loc;
};

/* A directive kept in the model that the daemon does not act on yet. */
struct cfg_ignored {
	char *what;
	const char *reason;
	struct cfg_loc loc;
};

struct cfg {
	char *path_include, *path_pre_shared_key, *path_certificate, *path_script;
	char *path_backupsa, *path_pidfile;
	int log_level; /* enum log_level, -1 = not set */
	struct {
		char *user, *group; /* name or decimal id as written; NULL = not set */
		char *chroot;
		bool present;
	} privsep;
	struct {
		char *path;         /* NULL = not set */
		char *owner, *group; /* NULL = not set */
		int mode;           /* -1 = not set */
		bool disabled;
	} adminsock;
	struct cfg_listen_addr *listen;
	size_t n_listen;
	bool strict_address;
	struct {
		uint32_t counter, interval, persend, phase1, phase2, natt_keepalive;
	} timer;
	struct {
		bool randomize, randomize_length, exclusive_tail, strict_check;
		uint32_t maximum_length;
	} padding;
	bool complex_bundle;
	uint32_t pfkey_buffer; /* KiB, 0 = OS default */
	bool gss_id_enc_latin1;
	struct cfg_remote *remotes;
	size_t n_remotes;
	struct cfg_sainfo *sainfos;
	size_t n_sainfos;
	struct cfg_modecfg modecfg;
	struct cfg_ldap ldap;
	struct cfg_radius radius;
	struct cfg_ignored *ignored;
	size_t n_ignored;
	char **files; /* every file read, for cfg_loc.file */
	size_t n_files;
};

/* Parse racoon.conf at path (and its includes). On success *out owns a complete model and 0 is
 * returned; on failure nothing is allocated, the error is logged and -EINVAL/-ENOENT/-ENOMEM
 * returned. */
int cfg_load(const char *path, struct cfg **out);
/* Like cfg_load with the text given; name is used in messages. Includes resolve against
 * `path include` or the cwd. err (may be NULL) receives the first error's location. */
int cfg_parse_string(const char *name, const char *text, struct cfg **out, struct cfg_error *err);
#define CFG_F_NO_INCLUDE 1u /* treat `include` as an error (fuzzing, untrusted text) */
/* Same with an explicit length and CFG_F_* flags; NUL bytes in text are an error. */
int cfg_parse_buf(const char *name, const char *text, size_t len, unsigned flags,
		  struct cfg **out, struct cfg_error *err);
/* Free the model; NULL is fine. Wipes strings that may hold secrets (RADIUS, LDAP). */
void cfg_free(struct cfg *cfg);
/* Log one warning per directive that is parsed but not acted upon yet, with its file:line. */
void cfg_warn_unsupported(const struct cfg *cfg);
/* Both list the same listen isakmp/isakmp_natt addresses and ports, in the same order. */
bool cfg_listen_same(const struct cfg *a, const struct cfg *b);
/* Look up a remote by name ("anonymous", an address text or a quoted name); NULL if none. */
const struct cfg_remote *cfg_remote_find(const struct cfg *cfg, const char *name);

/* Names for logs; each returns a racoon.conf keyword or "?". */
const char *cfg_xmode_name(enum cfg_xmode m);
const char *cfg_id_type_name(enum cfg_id_type t);
const char *cfg_enc_name(enum cfg_enc e);
const char *cfg_hash_name(enum cfg_hash h);
const char *cfg_auth_name(enum cfg_auth a);
const char *cfg_comp_name(enum cfg_comp c);
const char *cfg_ameth_name(enum cfg_ameth m);
const char *cfg_dh_name(enum cfg_dh g);
const char *cfg_tri_name(enum cfg_tri t);
const char *cfg_propcheck_name(enum cfg_propcheck p);

#endif
