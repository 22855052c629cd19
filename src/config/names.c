/* racoon.conf keywords and the enum values they stand for; also the *_name() functions. */
#include "config/parse_int.h"

#include <string.h>

const struct kw kw_enc[] = {
	{"des", CFG_ENC_DES},           {"3des", CFG_ENC_3DES},
	{"des_iv64", CFG_ENC_DES_IV64}, {"des_iv32", CFG_ENC_DES_IV32},
	{"rc5", CFG_ENC_RC5},           {"rc4", CFG_ENC_RC4},
	{"idea", CFG_ENC_IDEA},         {"3idea", CFG_ENC_3IDEA},
	{"cast128", CFG_ENC_CAST128},   {"blowfish", CFG_ENC_BLOWFISH},
	{"null_enc", CFG_ENC_NULL},     {"null", CFG_ENC_NULL},
	{"twofish", CFG_ENC_TWOFISH},   {"aes", CFG_ENC_AES},
	{"rijndael", CFG_ENC_AES},      {"camellia", CFG_ENC_CAMELLIA},
	{NULL, 0},
};

const struct kw kw_hash[] = {
	{"md5", CFG_HASH_MD5},       {"sha1", CFG_HASH_SHA1},       {"tiger", CFG_HASH_TIGER},
	{"sha256", CFG_HASH_SHA256}, {"sha2_256", CFG_HASH_SHA256}, {"sha384", CFG_HASH_SHA384},
	{"sha2_384", CFG_HASH_SHA384}, {"sha512", CFG_HASH_SHA512}, {"sha2_512", CFG_HASH_SHA512},
	{NULL, 0},
};

const struct kw kw_auth[] = {
	{"hmac_md5", CFG_AUTH_HMAC_MD5},
	{"hmac_sha1", CFG_AUTH_HMAC_SHA1},
	{"hmac_sha256", CFG_AUTH_HMAC_SHA256},
	{"hmac_sha2_256", CFG_AUTH_HMAC_SHA256},
	{"hmac_sha384", CFG_AUTH_HMAC_SHA384},
	{"hmac_sha2_384", CFG_AUTH_HMAC_SHA384},
	{"hmac_sha512", CFG_AUTH_HMAC_SHA512},
	{"hmac_sha2_512", CFG_AUTH_HMAC_SHA512},
	{"des_mac", CFG_AUTH_DES_MAC},
	{"kpdk", CFG_AUTH_KPDK},
	{"non_auth", CFG_AUTH_NON_AUTH},
	{NULL, 0},
};

const struct kw kw_comp[] = {
	{"oui", CFG_COMP_OUI}, {"deflate", CFG_COMP_DEFLATE}, {"lzs", CFG_COMP_LZS}, {NULL, 0},
};

const struct kw kw_ameth[] = {
	{"pre_shared_key", CFG_AMETH_PSK},
	{"dsssig", CFG_AMETH_DSSSIG},
	{"rsasig", CFG_AMETH_RSASIG},
	{"rsaenc", CFG_AMETH_RSAENC},
	{"rsarev", CFG_AMETH_RSAREV},
	{"gssapi_krb", CFG_AMETH_GSSAPI_KRB},
	{"hybrid_rsa_server", CFG_AMETH_HYBRID_RSA_SERVER},
	{"hybrid_rsa_client", CFG_AMETH_HYBRID_RSA_CLIENT},
	{"hybrid_dss_server", CFG_AMETH_HYBRID_DSS_SERVER},
	{"hybrid_dss_client", CFG_AMETH_HYBRID_DSS_CLIENT},
	{"xauth_psk_server", CFG_AMETH_XAUTH_PSK_SERVER},
	{"xauth_psk_client", CFG_AMETH_XAUTH_PSK_CLIENT},
	{"xauth_rsa_server", CFG_AMETH_XAUTH_RSA_SERVER},
	{"xauth_rsa_client", CFG_AMETH_XAUTH_RSA_CLIENT},
	{NULL, 0},
};

const struct kw kw_dh[] = {
	{"modp768", CFG_DH_MODP768},   {"modp1024", CFG_DH_MODP1024}, {"ec2n155", CFG_DH_EC2N155},
	{"ec2n185", CFG_DH_EC2N185},   {"modp1536", CFG_DH_MODP1536}, {"modp2048", CFG_DH_MODP2048},
	{"modp3072", CFG_DH_MODP3072}, {"modp4096", CFG_DH_MODP4096}, {"modp6144", CFG_DH_MODP6144},
	{"modp8192", CFG_DH_MODP8192}, {NULL, 0},
};

const struct kw kw_idtype[] = {
	{"address", CFG_ID_ADDRESS}, {"subnet", CFG_ID_SUBNET},     {"fqdn", CFG_ID_FQDN},
	{"user_fqdn", CFG_ID_USER_FQDN}, {"keyid", CFG_ID_KEYID}, {"asn1dn", CFG_ID_ASN1DN},
	{NULL, 0},
};

const struct kw kw_xmode[] = {
	{"main", CFG_XMODE_MAIN}, {"aggressive", CFG_XMODE_AGGRESSIVE}, {"base", CFG_XMODE_BASE},
	{NULL, 0},
};

const struct kw kw_propcheck[] = {
	{"obey", CFG_PROPCHECK_OBEY}, {"strict", CFG_PROPCHECK_STRICT},
	{"claim", CFG_PROPCHECK_CLAIM}, {"exact", CFG_PROPCHECK_EXACT}, {NULL, 0},
};

const struct kw kw_tri[] = {
	{"off", CFG_OFF}, {"on", CFG_ON}, {"force", CFG_FORCE}, {NULL, 0},
};

/* racoon's UL_PROTO keywords; numbers are IANA protocol numbers. */
const struct kw kw_ulproto[] = {
	{"icmp", 1}, {"tcp", 6}, {"udp", 17}, {"gre", 47}, {"esp", 50}, {"ah", 51},
	{"icmp6", 58}, {"ipcomp", 108}, {"any", CFG_PROTO_ANY}, {NULL, 0},
};

bool
kw_lookup(const struct kw *t, const char *s, int *out)
{
	for (; t->name; t++) {
		if (strcmp(t->name, s) == 0) {
			*out = t->val;
			return true;
		}
	}
	return false;
}

const char *
kw_name(const struct kw *t, int v)
{
	for (; t->name; t++)
		if (t->val == v)
			return t->name;
	return "?";
}

const char *
cfg_xmode_name(enum cfg_xmode m)
{
	return kw_name(kw_xmode, (int)m);
}

const char *
cfg_id_type_name(enum cfg_id_type t)
{
	return kw_name(kw_idtype, (int)t);
}

const char *
cfg_enc_name(enum cfg_enc e)
{
	return kw_name(kw_enc, (int)e);
}

const char *
cfg_hash_name(enum cfg_hash h)
{
	return kw_name(kw_hash, (int)h);
}

const char *
cfg_auth_name(enum cfg_auth a)
{
	return kw_name(kw_auth, (int)a);
}

const char *
cfg_comp_name(enum cfg_comp c)
{
	return kw_name(kw_comp, (int)c);
}

const char *
cfg_ameth_name(enum cfg_ameth m)
{
	return kw_name(kw_ameth, (int)m);
}

const char *
cfg_dh_name(enum cfg_dh g)
{
	return kw_name(kw_dh, (int)g);
}

const char *
cfg_tri_name(enum cfg_tri t)
{
	return kw_name(kw_tri, (int)t);
}

const char *
cfg_propcheck_name(enum cfg_propcheck p)
{
	return kw_name(kw_propcheck, (int)p);
}
