/* Backend-neutral IPsec model: SA parameters, policies, selectors. */
#ifndef COATI_IPSEC_IPSEC_H
#define COATI_IPSEC_IPSEC_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/addr.h"

/* IP protocol numbers of the IPsec protocols. */
enum ipsec_proto {
	IPSEC_PROTO_ANY = 0,
	IPSEC_PROTO_ESP = 50,    /* RFC 4303 */
	IPSEC_PROTO_AH = 51,     /* RFC 4302 */
	IPSEC_PROTO_IPCOMP = 108, /* RFC 3173 */
};

enum ipsec_mode {
	IPSEC_MODE_ANY = 0,
	IPSEC_MODE_TRANSPORT = 1,
	IPSEC_MODE_TUNNEL = 2,
};

/* Encryption transforms (names as setkey spells them in comments). */
enum ipsec_enc {
	IPSEC_ENC_NONE = 0,          /* AH or IPComp: no cipher */
	IPSEC_ENC_NULL,              /* "null", RFC 2410: tests only */
	IPSEC_ENC_3DES_CBC,          /* "3des-cbc", RFC 2451, 24-byte key */
	IPSEC_ENC_AES_CBC,           /* "aes-cbc"/"rijndael-cbc", RFC 3602, 16/24/32 */
	IPSEC_ENC_AES_CTR,           /* "aes-ctr", RFC 3686, key + 4-byte nonce */
	IPSEC_ENC_AES_GCM16,         /* "aes-gcm-16", RFC 4106, key + 4-byte salt */
	IPSEC_ENC_CHACHA20_POLY1305, /* "chacha20-poly1305", RFC 7634, 32 + 4-byte salt */
	IPSEC_ENC__COUNT
};

/* Integrity transforms. */
enum ipsec_auth {
	IPSEC_AUTH_NONE = 0,
	IPSEC_AUTH_NULL,             /* "null": no ICV, tests only */
	IPSEC_AUTH_HMAC_MD5_96,      /* "hmac-md5", RFC 2403 */
	IPSEC_AUTH_HMAC_SHA1_96,     /* "hmac-sha1", RFC 2404 */
	IPSEC_AUTH_HMAC_SHA256_128,  /* "hmac-sha256", RFC 4868 */
	IPSEC_AUTH_HMAC_SHA384_192,  /* "hmac-sha384", RFC 4868 */
	IPSEC_AUTH_HMAC_SHA512_256,  /* "hmac-sha512", RFC 4868 */
	IPSEC_AUTH__COUNT
};

enum ipsec_comp {
	IPSEC_COMP_NONE = 0,
	IPSEC_COMP_DEFLATE = 2, /* IPCOMP transform ID, RFC 2394 */
};

#define IPSEC_KEY_MAX 68 /* chacha20 32 + salt 4; hmac-sha512 64 */
#define IPSEC_REPLAY_MAX 4096

struct ipsec_key {
	uint8_t len;
	uint8_t bytes[IPSEC_KEY_MAX];
};

/* Lifetime limits; 0 means unlimited. */
struct ipsec_lifetime {
	uint64_t bytes;
	uint64_t add_seconds; /* from installation */
	uint64_t use_seconds; /* from first use */
};

/* Origin of an SA or policy: manual ones (setkey) go to the state store. */
enum ipsec_origin {
	IPSEC_ORIGIN_MANUAL = 0,
	IPSEC_ORIGIN_IKE = 1,
};

/*
 * One SA as setkey's "add" describes it. Identity is (dst, proto, spi); for
 * IPComp the spi holds the CPI in its low 16 bits.
 */
struct ipsec_sa {
	struct addr src, dst;  /* outer addresses */
	uint8_t proto;         /* enum ipsec_proto */
	uint8_t mode;          /* enum ipsec_mode; ANY is "any" in setkey (used as transport) */
	uint32_t spi;
	uint32_t reqid;        /* 0: none */
	uint16_t replay;       /* window in packets, 0 disables anti-replay */
	bool esn;              /* RFC 4303 extended sequence numbers */
	uint8_t enc;           /* enum ipsec_enc */
	uint8_t auth;          /* enum ipsec_auth */
	uint8_t comp;          /* enum ipsec_comp */
	struct ipsec_key enc_key;  /* cipher key || salt/nonce where the RFC has one */
	struct ipsec_key auth_key;
	/* UDP encapsulation (RFC 3948): ports in host order, 0/0 = raw ESP */
	uint16_t encap_sport, encap_dport;
	struct ipsec_lifetime soft, hard;
	uint8_t origin;        /* enum ipsec_origin */
	/* racoon's esp_frag: outbound ESP-in-UDP tunnel packets at most this long (the inner
	 * IPv4 packet is fragmented before encapsulation); 0 = off */
	uint16_t frag_size;
};

/* A traffic selector: what a policy matches. Port 0 = any; proto 0/255 = any. */
struct ipsec_selector {
	struct prefix src, dst;
	uint8_t proto;          /* upper-layer protocol, IPSEC_ULP_ANY for any */
	uint16_t sport, dport;  /* host order, 0 = any */
	/* ICMP: type/code ride in sport/dport as setkey's "icmp type,code" */
};

#define IPSEC_ULP_ANY 255

enum ipsec_dir {
	IPSEC_DIR_IN = 0,
	IPSEC_DIR_OUT = 1,
	IPSEC_DIR_FWD = 2,
	IPSEC_DIR__COUNT
};

enum ipsec_action {
	IPSEC_ACTION_DISCARD = 0,
	IPSEC_ACTION_NONE = 1,   /* bypass */
	IPSEC_ACTION_IPSEC = 2,
};

enum ipsec_level {
	IPSEC_LEVEL_DEFAULT = 0,
	IPSEC_LEVEL_USE = 1,
	IPSEC_LEVEL_REQUIRE = 2,
	IPSEC_LEVEL_UNIQUE = 3,
};

/* One element of a policy's bundle, e.g. "esp/tunnel/192.0.2.1-192.0.2.2/require". */
struct ipsec_request {
	uint8_t proto;  /* ESP, AH or IPCOMP */
	uint8_t mode;   /* TRANSPORT or TUNNEL */
	uint8_t level;  /* enum ipsec_level */
	uint32_t reqid; /* "unique:N", automatic for a bare "unique", or 0 */
	struct addr src, dst; /* tunnel endpoints; unset in transport mode */
};

/* Automatic reqids start here; "unique:N" takes N below (KAME's IPSEC_MANUAL_REQID_MAX). */
#define IPSEC_REQID_AUTO_MIN 0x4000

#define IPSEC_BUNDLE_MAX 3

/* A security policy as setkey's "spdadd" describes it. */
struct ipsec_policy {
	struct ipsec_selector sel;
	uint8_t dir;       /* enum ipsec_dir */
	uint8_t action;    /* enum ipsec_action */
	/*
	 * Lower value wins, as Linux's PF_KEY priorities: unset (0) ranks as
	 * 0x80000000 ("prio def"); setkey's "prio N" is 0x80000000 - N.
	 * Equal priorities fall back to specificity, then age.
	 */
	uint32_t priority;
	uint8_t nreq;
	struct ipsec_request req[IPSEC_BUNDLE_MAX]; /* applied in order on output: first = innermost */
	uint8_t origin;    /* enum ipsec_origin */
};

/* Traffic counters: the answer to "is my traffic really going through IPsec?" */
struct ipsec_counters {
	uint64_t packets, bytes;    /* successfully processed */
	uint64_t auth_fail;         /* ICV mismatch */
	uint64_t replay;            /* replayed or too old */
	uint64_t invalid;           /* bad padding, next header, length, decompression */
	uint64_t policy_drop;       /* inner packet not allowed by the SA's policy */
	uint64_t seq_overflow;      /* outbound drops: sequence number would wrap */
};

/* Key length in bytes a transform accepts (including salt); 0 = none allowed. */
bool ipsec_enc_key_ok(enum ipsec_enc enc, size_t len);
bool ipsec_auth_key_ok(enum ipsec_auth auth, size_t len);
/* Is the cipher an AEAD (no separate integrity transform)? */
bool ipsec_enc_is_aead(enum ipsec_enc enc);
/* Names as setkey spells them; NULL if unknown. */
const char *ipsec_enc_name(enum ipsec_enc enc);
const char *ipsec_auth_name(enum ipsec_auth auth);
const char *ipsec_comp_name(enum ipsec_comp comp);
const char *ipsec_proto_name(enum ipsec_proto proto);
const char *ipsec_mode_name(enum ipsec_mode mode);
const char *ipsec_dir_name(enum ipsec_dir dir);
const char *ipsec_level_name(enum ipsec_level level);
const char *ipsec_action_name(enum ipsec_action action);
/* Lookup by setkey name (aliases included: rijndael-cbc = aes-cbc). Return 0 or -ENOENT. */
int ipsec_enc_from_name(const char *name, enum ipsec_enc *out);
int ipsec_auth_from_name(const char *name, enum ipsec_auth *out);
int ipsec_comp_from_name(const char *name, enum ipsec_comp *out);

#endif
