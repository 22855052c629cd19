/* Names and key-length rules of the IPsec transforms, as setkey spells them. */
#include "ipsec/ipsec.h"

#include <errno.h>
#include <string.h>

struct name_map {
	unsigned value;
	const char *name;
};

/* First entry of a value is its canonical name; later ones are input aliases. */
static const struct name_map enc_names[] = {
    {IPSEC_ENC_NONE, "none"},
    {IPSEC_ENC_NULL, "null"},
    {IPSEC_ENC_3DES_CBC, "3des-cbc"},
    {IPSEC_ENC_AES_CBC, "aes-cbc"},
    {IPSEC_ENC_AES_CBC, "rijndael-cbc"},
    {IPSEC_ENC_AES_CTR, "aes-ctr"},
    {IPSEC_ENC_AES_GCM16, "aes-gcm-16"},
    {IPSEC_ENC_CHACHA20_POLY1305, "chacha20-poly1305"},
};

static const struct name_map auth_names[] = {
    {IPSEC_AUTH_NONE, "none"},
    {IPSEC_AUTH_NULL, "null"},
    {IPSEC_AUTH_HMAC_MD5_96, "hmac-md5"},
    {IPSEC_AUTH_HMAC_SHA1_96, "hmac-sha1"},
    {IPSEC_AUTH_HMAC_SHA256_128, "hmac-sha256"},
    {IPSEC_AUTH_HMAC_SHA384_192, "hmac-sha384"},
    {IPSEC_AUTH_HMAC_SHA512_256, "hmac-sha512"},
};

static const struct name_map comp_names[] = {
    {IPSEC_COMP_NONE, "none"},
    {IPSEC_COMP_DEFLATE, "deflate"},
};

static const struct name_map proto_names[] = {
    {IPSEC_PROTO_ANY, "any"},
    {IPSEC_PROTO_ESP, "esp"},
    {IPSEC_PROTO_AH, "ah"},
    {IPSEC_PROTO_IPCOMP, "ipcomp"},
};

static const struct name_map mode_names[] = {
    {IPSEC_MODE_ANY, "any"},
    {IPSEC_MODE_TRANSPORT, "transport"},
    {IPSEC_MODE_TUNNEL, "tunnel"},
};

static const struct name_map dir_names[] = {
    {IPSEC_DIR_IN, "in"},
    {IPSEC_DIR_OUT, "out"},
    {IPSEC_DIR_FWD, "fwd"},
};

static const struct name_map level_names[] = {
    {IPSEC_LEVEL_DEFAULT, "default"},
    {IPSEC_LEVEL_USE, "use"},
    {IPSEC_LEVEL_REQUIRE, "require"},
    {IPSEC_LEVEL_UNIQUE, "unique"},
};

static const struct name_map action_names[] = {
    {IPSEC_ACTION_DISCARD, "discard"},
    {IPSEC_ACTION_NONE, "none"},
    {IPSEC_ACTION_IPSEC, "ipsec"},
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const char *
map_name(const struct name_map *m, size_t n, unsigned value)
{
	for (size_t i = 0; i < n; i++)
		if (m[i].value == value)
			return m[i].name;
	return NULL;
}

/* "none" is what we print for an absent transform, never a name setkey accepts. */
static int
map_lookup(const struct name_map *m, size_t n, const char *name, unsigned *out)
{
	if (!name || strcmp(name, "none") == 0)
		return -ENOENT;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(m[i].name, name) == 0) {
			*out = m[i].value;
			return 0;
		}
	}
	return -ENOENT;
}

bool
ipsec_enc_key_ok(enum ipsec_enc enc, size_t len)
{
	switch (enc) {
	case IPSEC_ENC_NONE:
	case IPSEC_ENC_NULL:
		return len == 0;
	case IPSEC_ENC_3DES_CBC:
		return len == 24;
	case IPSEC_ENC_AES_CBC:
		return len == 16 || len == 24 || len == 32;
	case IPSEC_ENC_AES_CTR:   /* RFC 3686: key || 4-byte nonce */
	case IPSEC_ENC_AES_GCM16: /* RFC 4106: key || 4-byte salt */
		return len == 20 || len == 28 || len == 36;
	case IPSEC_ENC_CHACHA20_POLY1305: /* RFC 7634: 32-byte key || 4-byte salt */
		return len == 36;
	case IPSEC_ENC__COUNT:
		break;
	}
	return false;
}

bool
ipsec_auth_key_ok(enum ipsec_auth auth, size_t len)
{
	switch (auth) {
	case IPSEC_AUTH_NONE:
	case IPSEC_AUTH_NULL:
		return len == 0;
	case IPSEC_AUTH_HMAC_MD5_96:
		return len == 16;
	case IPSEC_AUTH_HMAC_SHA1_96:
		return len == 20;
	case IPSEC_AUTH_HMAC_SHA256_128:
		return len == 32;
	case IPSEC_AUTH_HMAC_SHA384_192:
		return len == 48;
	case IPSEC_AUTH_HMAC_SHA512_256:
		return len == 64;
	case IPSEC_AUTH__COUNT:
		break;
	}
	return false;
}

bool
ipsec_enc_is_aead(enum ipsec_enc enc)
{
	return enc == IPSEC_ENC_AES_GCM16 || enc == IPSEC_ENC_CHACHA20_POLY1305;
}

const char *
ipsec_enc_name(enum ipsec_enc enc)
{
	return map_name(enc_names, N(enc_names), enc);
}

const char *
ipsec_auth_name(enum ipsec_auth auth)
{
	return map_name(auth_names, N(auth_names), auth);
}

const char *
ipsec_comp_name(enum ipsec_comp comp)
{
	return map_name(comp_names, N(comp_names), comp);
}

const char *
ipsec_proto_name(enum ipsec_proto proto)
{
	return map_name(proto_names, N(proto_names), proto);
}

const char *
ipsec_mode_name(enum ipsec_mode mode)
{
	return map_name(mode_names, N(mode_names), mode);
}

const char *
ipsec_dir_name(enum ipsec_dir dir)
{
	return map_name(dir_names, N(dir_names), dir);
}

const char *
ipsec_level_name(enum ipsec_level level)
{
	return map_name(level_names, N(level_names), level);
}

const char *
ipsec_action_name(enum ipsec_action action)
{
	return map_name(action_names, N(action_names), action);
}

int
ipsec_enc_from_name(const char *name, enum ipsec_enc *out)
{
	unsigned v;
	int rc = map_lookup(enc_names, N(enc_names), name, &v);

	if (rc == 0)
		*out = (enum ipsec_enc)v;
	return rc;
}

int
ipsec_auth_from_name(const char *name, enum ipsec_auth *out)
{
	unsigned v;
	int rc = map_lookup(auth_names, N(auth_names), name, &v);

	if (rc == 0)
		*out = (enum ipsec_auth)v;
	return rc;
}

int
ipsec_comp_from_name(const char *name, enum ipsec_comp *out)
{
	unsigned v;
	int rc = map_lookup(comp_names, N(comp_names), name, &v);

	if (rc == 0)
		*out = (enum ipsec_comp)v;
	return rc;
}
