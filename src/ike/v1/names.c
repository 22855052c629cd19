/* Names of the IKEv1 wire constants, for logs (iked print_map style). */
#include "ike/v1/ikev1.h"

#include <stddef.h>

struct name_map {
	unsigned value;
	const char *name;
};

/* Linear search: the tables are short and names are only wanted for logs. */
static const char *
map_find(const struct name_map *m, size_t n, unsigned v)
{
	for (size_t i = 0; i < n; i++) {
		if (m[i].value == v)
			return m[i].name;
	}
	return "UNKNOWN";
}

#define MAP_FIND(m, v) map_find((m), sizeof(m) / sizeof((m)[0]), (v))

static const struct name_map exchange_names[] = {
    {IKEV1_EXCH_NONE, "NONE"},
    {IKEV1_EXCH_BASE, "BASE"},
    {IKEV1_EXCH_MAIN, "MAIN"},
    {IKEV1_EXCH_AUTH_ONLY, "AUTH_ONLY"},
    {IKEV1_EXCH_AGGRESSIVE, "AGGRESSIVE"},
    {IKEV1_EXCH_INFO, "INFO"},
    {IKEV1_EXCH_TRANSACTION, "TRANSACTION"},
    {IKEV1_EXCH_QUICK, "QUICK"},
    {IKEV1_EXCH_NEW_GROUP, "NEW_GROUP"},
};

const char *
ikev1_exchange_name(unsigned v)
{
	return MAP_FIND(exchange_names, v);
}

static const struct name_map payload_type_names[] = {
    {IKEV1_PL_NONE, "NONE"},
    {IKEV1_PL_SA, "SA"},
    {IKEV1_PL_P, "P"},
    {IKEV1_PL_T, "T"},
    {IKEV1_PL_KE, "KE"},
    {IKEV1_PL_ID, "ID"},
    {IKEV1_PL_CERT, "CERT"},
    {IKEV1_PL_CR, "CR"},
    {IKEV1_PL_HASH, "HASH"},
    {IKEV1_PL_SIG, "SIG"},
    {IKEV1_PL_NONCE, "NONCE"},
    {IKEV1_PL_N, "N"},
    {IKEV1_PL_D, "D"},
    {IKEV1_PL_VID, "VID"},
    {IKEV1_PL_ATTR, "ATTR"},
    {IKEV1_PL_NATD, "NATD"},
    {IKEV1_PL_NATOA, "NATOA"},
    {IKEV1_PL_NATD_DRAFT, "NATD_DRAFT"},
    {IKEV1_PL_NATOA_DRAFT, "NATOA_DRAFT"},
    {IKEV1_PL_FRAG, "FRAG"},
};

const char *
ikev1_payload_name(unsigned v)
{
	return MAP_FIND(payload_type_names, v);
}

static const struct name_map flag_names[] = {
    {IKEV1_FLAG_ENC, "ENC"},
    {IKEV1_FLAG_COMMIT, "COMMIT"},
    {IKEV1_FLAG_AUTH_ONLY, "AUTH_ONLY"},
};

const char *
ikev1_flag_name(unsigned v)
{
	return MAP_FIND(flag_names, v);
}

static const struct name_map doi_names[] = {
    {IKEV1_DOI_ISAKMP, "ISAKMP"},
    {IKEV1_DOI_IPSEC, "IPSEC"},
};

const char *
ikev1_doi_name(unsigned v)
{
	return MAP_FIND(doi_names, v);
}

static const struct name_map situation_names[] = {
    {IKEV1_SIT_IDENTITY_ONLY, "IDENTITY_ONLY"},
    {IKEV1_SIT_SECRECY, "SECRECY"},
    {IKEV1_SIT_INTEGRITY, "INTEGRITY"},
};

const char *
ikev1_situation_name(unsigned v)
{
	return MAP_FIND(situation_names, v);
}

static const struct name_map proto_names[] = {
    {IKEV1_PROTO_ISAKMP, "ISAKMP"},
    {IKEV1_PROTO_AH, "AH"},
    {IKEV1_PROTO_ESP, "ESP"},
    {IKEV1_PROTO_IPCOMP, "IPCOMP"},
};

const char *
ikev1_proto_name(unsigned v)
{
	return MAP_FIND(proto_names, v);
}

static const struct name_map isakmp_xform_names[] = {
    {IKEV1_KEY_IKE, "KEY_IKE"},
};

const char *
ikev1_isakmp_xform_name(unsigned v)
{
	return MAP_FIND(isakmp_xform_names, v);
}

static const struct name_map ah_xform_names[] = {
    {IKEV1_AH_MD5, "MD5"},
    {IKEV1_AH_SHA, "SHA"},
    {IKEV1_AH_DES, "DES"},
    {IKEV1_AH_SHA2_256, "SHA2_256"},
    {IKEV1_AH_SHA2_384, "SHA2_384"},
    {IKEV1_AH_SHA2_512, "SHA2_512"},
    {IKEV1_AH_RIPEMD, "RIPEMD"},
    {IKEV1_AH_AES_XCBC_MAC, "AES_XCBC_MAC"},
    {IKEV1_AH_AES_128_GMAC, "AES_128_GMAC"},
    {IKEV1_AH_AES_192_GMAC, "AES_192_GMAC"},
    {IKEV1_AH_AES_256_GMAC, "AES_256_GMAC"},
};

const char *
ikev1_ah_xform_name(unsigned v)
{
	return MAP_FIND(ah_xform_names, v);
}

static const struct name_map esp_xform_names[] = {
    {IKEV1_ESP_DES_IV64, "DES_IV64"},
    {IKEV1_ESP_DES, "DES"},
    {IKEV1_ESP_3DES, "3DES"},
    {IKEV1_ESP_RC5, "RC5"},
    {IKEV1_ESP_IDEA, "IDEA"},
    {IKEV1_ESP_CAST, "CAST"},
    {IKEV1_ESP_BLOWFISH, "BLOWFISH"},
    {IKEV1_ESP_3IDEA, "3IDEA"},
    {IKEV1_ESP_DES_IV32, "DES_IV32"},
    {IKEV1_ESP_RC4, "RC4"},
    {IKEV1_ESP_NULL, "NULL"},
    {IKEV1_ESP_AES_CBC, "AES_CBC"},
    {IKEV1_ESP_AES_CTR, "AES_CTR"},
    {IKEV1_ESP_AES_CCM_8, "AES_CCM_8"},
    {IKEV1_ESP_AES_CCM_12, "AES_CCM_12"},
    {IKEV1_ESP_AES_CCM_16, "AES_CCM_16"},
    {IKEV1_ESP_AES_GCM_8, "AES_GCM_8"},
    {IKEV1_ESP_AES_GCM_12, "AES_GCM_12"},
    {IKEV1_ESP_AES_GCM_16, "AES_GCM_16"},
    {IKEV1_ESP_SEED_CBC, "SEED_CBC"},
    {IKEV1_ESP_CAMELLIA, "CAMELLIA"},
    {IKEV1_ESP_NULL_AUTH_AES_GMAC, "NULL_AUTH_AES_GMAC"},
};

const char *
ikev1_esp_xform_name(unsigned v)
{
	return MAP_FIND(esp_xform_names, v);
}

static const struct name_map ipcomp_xform_names[] = {
    {IKEV1_IPCOMP_OUI, "OUI"},
    {IKEV1_IPCOMP_DEFLATE, "DEFLATE"},
    {IKEV1_IPCOMP_LZS, "LZS"},
    {IKEV1_IPCOMP_LZJH, "LZJH"},
};

const char *
ikev1_ipcomp_xform_name(unsigned v)
{
	return MAP_FIND(ipcomp_xform_names, v);
}

static const struct name_map p1_attr_names[] = {
    {IKEV1_P1_ENC, "ENC"},
    {IKEV1_P1_HASH, "HASH"},
    {IKEV1_P1_AUTH, "AUTH"},
    {IKEV1_P1_GROUP_DESC, "GROUP_DESC"},
    {IKEV1_P1_GROUP_TYPE, "GROUP_TYPE"},
    {IKEV1_P1_GROUP_PRIME, "GROUP_PRIME"},
    {IKEV1_P1_GROUP_GEN_ONE, "GROUP_GEN_ONE"},
    {IKEV1_P1_GROUP_GEN_TWO, "GROUP_GEN_TWO"},
    {IKEV1_P1_GROUP_CURVE_A, "GROUP_CURVE_A"},
    {IKEV1_P1_GROUP_CURVE_B, "GROUP_CURVE_B"},
    {IKEV1_P1_LIFE_TYPE, "LIFE_TYPE"},
    {IKEV1_P1_LIFE_DURATION, "LIFE_DURATION"},
    {IKEV1_P1_PRF, "PRF"},
    {IKEV1_P1_KEY_LENGTH, "KEY_LENGTH"},
    {IKEV1_P1_FIELD_SIZE, "FIELD_SIZE"},
    {IKEV1_P1_GROUP_ORDER, "GROUP_ORDER"},
};

const char *
ikev1_p1_attr_name(unsigned v)
{
	return MAP_FIND(p1_attr_names, v);
}

static const struct name_map p1_enc_names[] = {
    {IKEV1_ENC_DES, "DES"},           {IKEV1_ENC_IDEA, "IDEA"},
    {IKEV1_ENC_BLOWFISH, "BLOWFISH"}, {IKEV1_ENC_RC5, "RC5"},
    {IKEV1_ENC_3DES, "3DES"},         {IKEV1_ENC_CAST, "CAST"},
    {IKEV1_ENC_AES_CBC, "AES_CBC"},   {IKEV1_ENC_CAMELLIA, "CAMELLIA"},
};

const char *
ikev1_p1_enc_name(unsigned v)
{
	return MAP_FIND(p1_enc_names, v);
}

static const struct name_map p1_hash_names[] = {
    {IKEV1_HASH_MD5, "MD5"},           {IKEV1_HASH_SHA, "SHA"},
    {IKEV1_HASH_TIGER, "TIGER"},       {IKEV1_HASH_SHA2_256, "SHA2_256"},
    {IKEV1_HASH_SHA2_384, "SHA2_384"}, {IKEV1_HASH_SHA2_512, "SHA2_512"},
};

const char *
ikev1_p1_hash_name(unsigned v)
{
	return MAP_FIND(p1_hash_names, v);
}

static const struct name_map auth_names[] = {
    {IKEV1_AUTH_PSK, "PSK"},
    {IKEV1_AUTH_DSS, "DSS"},
    {IKEV1_AUTH_RSA_SIG, "RSA_SIG"},
    {IKEV1_AUTH_RSA_ENC, "RSA_ENC"},
    {IKEV1_AUTH_RSA_ENC_REV, "RSA_ENC_REV"},
    {IKEV1_AUTH_ECDSA_SHA256, "ECDSA_SHA256"},
    {IKEV1_AUTH_ECDSA_SHA384, "ECDSA_SHA384"},
    {IKEV1_AUTH_ECDSA_SHA512, "ECDSA_SHA512"},
    {IKEV1_AUTH_HYBRID_INIT_RSA, "HYBRID_INIT_RSA"},
    {IKEV1_AUTH_HYBRID_RESP_RSA, "HYBRID_RESP_RSA"},
    {IKEV1_AUTH_HYBRID_INIT_DSS, "HYBRID_INIT_DSS"},
    {IKEV1_AUTH_HYBRID_RESP_DSS, "HYBRID_RESP_DSS"},
    {IKEV1_AUTH_XAUTH_INIT_PSK, "XAUTH_INIT_PSK"},
    {IKEV1_AUTH_XAUTH_RESP_PSK, "XAUTH_RESP_PSK"},
    {IKEV1_AUTH_XAUTH_INIT_DSS, "XAUTH_INIT_DSS"},
    {IKEV1_AUTH_XAUTH_RESP_DSS, "XAUTH_RESP_DSS"},
    {IKEV1_AUTH_XAUTH_INIT_RSA, "XAUTH_INIT_RSA"},
    {IKEV1_AUTH_XAUTH_RESP_RSA, "XAUTH_RESP_RSA"},
    {IKEV1_AUTH_XAUTH_INIT_RSA_ENC, "XAUTH_INIT_RSA_ENC"},
    {IKEV1_AUTH_XAUTH_RESP_RSA_ENC, "XAUTH_RESP_RSA_ENC"},
    {IKEV1_AUTH_XAUTH_INIT_RSA_REV, "XAUTH_INIT_RSA_REV"},
    {IKEV1_AUTH_XAUTH_RESP_RSA_REV, "XAUTH_RESP_RSA_REV"},
};

const char *
ikev1_auth_name(unsigned v)
{
	return MAP_FIND(auth_names, v);
}

static const struct name_map group_type_names[] = {
    {IKEV1_GROUP_TYPE_MODP, "MODP"},
    {IKEV1_GROUP_TYPE_ECP, "ECP"},
    {IKEV1_GROUP_TYPE_EC2N, "EC2N"},
};

const char *
ikev1_group_type_name(unsigned v)
{
	return MAP_FIND(group_type_names, v);
}

static const struct name_map group_names[] = {
    {IKEV1_GROUP_MODP768, "MODP768"},
    {IKEV1_GROUP_MODP1024, "MODP1024"},
    {IKEV1_GROUP_EC2N155, "EC2N155"},
    {IKEV1_GROUP_EC2N185, "EC2N185"},
    {IKEV1_GROUP_MODP1536, "MODP1536"},
    {IKEV1_GROUP_MODP2048, "MODP2048"},
    {IKEV1_GROUP_MODP3072, "MODP3072"},
    {IKEV1_GROUP_MODP4096, "MODP4096"},
    {IKEV1_GROUP_MODP6144, "MODP6144"},
    {IKEV1_GROUP_MODP8192, "MODP8192"},
    {IKEV1_GROUP_ECP256, "ECP256"},
    {IKEV1_GROUP_ECP384, "ECP384"},
    {IKEV1_GROUP_ECP521, "ECP521"},
    {IKEV1_GROUP_MODP1024_S160, "MODP1024_S160"},
    {IKEV1_GROUP_MODP2048_S224, "MODP2048_S224"},
    {IKEV1_GROUP_MODP2048_S256, "MODP2048_S256"},
    {IKEV1_GROUP_ECP192, "ECP192"},
    {IKEV1_GROUP_ECP224, "ECP224"},
};

const char *
ikev1_group_name(unsigned v)
{
	return MAP_FIND(group_names, v);
}

static const struct name_map life_type_names[] = {
    {IKEV1_LIFE_SECONDS, "SECONDS"},
    {IKEV1_LIFE_KILOBYTES, "KILOBYTES"},
};

const char *
ikev1_life_type_name(unsigned v)
{
	return MAP_FIND(life_type_names, v);
}

static const struct name_map p2_attr_names[] = {
    {IKEV1_P2_LIFE_TYPE, "LIFE_TYPE"},
    {IKEV1_P2_LIFE_DURATION, "LIFE_DURATION"},
    {IKEV1_P2_GROUP_DESC, "GROUP_DESC"},
    {IKEV1_P2_ENCAP_MODE, "ENCAP_MODE"},
    {IKEV1_P2_AUTH_ALG, "AUTH_ALG"},
    {IKEV1_P2_KEY_LENGTH, "KEY_LENGTH"},
    {IKEV1_P2_KEY_ROUNDS, "KEY_ROUNDS"},
    {IKEV1_P2_COMP_DICT_SIZE, "COMP_DICT_SIZE"},
    {IKEV1_P2_COMP_PRIVATE_ALG, "COMP_PRIVATE_ALG"},
    {IKEV1_P2_ECN_TUNNEL, "ECN_TUNNEL"},
    {IKEV1_P2_ESN, "ESN"},
};

const char *
ikev1_p2_attr_name(unsigned v)
{
	return MAP_FIND(p2_attr_names, v);
}

static const struct name_map encap_names[] = {
    {IKEV1_ENCAP_TUNNEL, "TUNNEL"},
    {IKEV1_ENCAP_TRANSPORT, "TRANSPORT"},
    {IKEV1_ENCAP_UDP_TUNNEL, "UDP_TUNNEL"},
    {IKEV1_ENCAP_UDP_TRANSPORT, "UDP_TRANSPORT"},
    {IKEV1_ENCAP_UDP_TUNNEL_DRAFT, "UDP_TUNNEL_DRAFT"},
    {IKEV1_ENCAP_UDP_TRANSPORT_DRAFT, "UDP_TRANSPORT_DRAFT"},
};

const char *
ikev1_encap_name(unsigned v)
{
	return MAP_FIND(encap_names, v);
}

static const struct name_map auth_alg_names[] = {
    {IKEV1_AALG_HMAC_MD5, "HMAC_MD5"},
    {IKEV1_AALG_HMAC_SHA, "HMAC_SHA"},
    {IKEV1_AALG_DES_MAC, "DES_MAC"},
    {IKEV1_AALG_KPDK, "KPDK"},
    {IKEV1_AALG_HMAC_SHA2_256, "HMAC_SHA2_256"},
    {IKEV1_AALG_HMAC_SHA2_384, "HMAC_SHA2_384"},
    {IKEV1_AALG_HMAC_SHA2_512, "HMAC_SHA2_512"},
    {IKEV1_AALG_HMAC_RIPEMD, "HMAC_RIPEMD"},
    {IKEV1_AALG_AES_XCBC_MAC, "AES_XCBC_MAC"},
    {IKEV1_AALG_SIG_RSA, "SIG_RSA"},
    {IKEV1_AALG_AES_128_GMAC, "AES_128_GMAC"},
    {IKEV1_AALG_AES_192_GMAC, "AES_192_GMAC"},
    {IKEV1_AALG_AES_256_GMAC, "AES_256_GMAC"},
};

const char *
ikev1_auth_alg_name(unsigned v)
{
	return MAP_FIND(auth_alg_names, v);
}

static const struct name_map id_type_names[] = {
    {IKEV1_ID_IPV4_ADDR, "IPV4_ADDR"},
    {IKEV1_ID_FQDN, "FQDN"},
    {IKEV1_ID_USER_FQDN, "USER_FQDN"},
    {IKEV1_ID_IPV4_ADDR_SUBNET, "IPV4_ADDR_SUBNET"},
    {IKEV1_ID_IPV6_ADDR, "IPV6_ADDR"},
    {IKEV1_ID_IPV6_ADDR_SUBNET, "IPV6_ADDR_SUBNET"},
    {IKEV1_ID_IPV4_ADDR_RANGE, "IPV4_ADDR_RANGE"},
    {IKEV1_ID_IPV6_ADDR_RANGE, "IPV6_ADDR_RANGE"},
    {IKEV1_ID_DER_ASN1_DN, "DER_ASN1_DN"},
    {IKEV1_ID_DER_ASN1_GN, "DER_ASN1_GN"},
    {IKEV1_ID_KEY_ID, "KEY_ID"},
};

const char *
ikev1_id_type_name(unsigned v)
{
	return MAP_FIND(id_type_names, v);
}

static const struct name_map cert_enc_names[] = {
    {IKEV1_CERT_NONE, "NONE"},
    {IKEV1_CERT_PKCS7, "PKCS7"},
    {IKEV1_CERT_PGP, "PGP"},
    {IKEV1_CERT_DNS_SIGNED_KEY, "DNS_SIGNED_KEY"},
    {IKEV1_CERT_X509_SIG, "X509_SIG"},
    {IKEV1_CERT_X509_KE, "X509_KE"},
    {IKEV1_CERT_KERBEROS, "KERBEROS"},
    {IKEV1_CERT_CRL, "CRL"},
    {IKEV1_CERT_ARL, "ARL"},
    {IKEV1_CERT_SPKI, "SPKI"},
    {IKEV1_CERT_X509_ATTR, "X509_ATTR"},
};

const char *
ikev1_cert_enc_name(unsigned v)
{
	return MAP_FIND(cert_enc_names, v);
}

static const struct name_map notify_type_names[] = {
    {IKEV1_N_INVALID_PAYLOAD_TYPE, "INVALID_PAYLOAD_TYPE"},
    {IKEV1_N_DOI_NOT_SUPPORTED, "DOI_NOT_SUPPORTED"},
    {IKEV1_N_SITUATION_NOT_SUPPORTED, "SITUATION_NOT_SUPPORTED"},
    {IKEV1_N_INVALID_COOKIE, "INVALID_COOKIE"},
    {IKEV1_N_INVALID_MAJOR_VERSION, "INVALID_MAJOR_VERSION"},
    {IKEV1_N_INVALID_MINOR_VERSION, "INVALID_MINOR_VERSION"},
    {IKEV1_N_INVALID_EXCHANGE_TYPE, "INVALID_EXCHANGE_TYPE"},
    {IKEV1_N_INVALID_FLAGS, "INVALID_FLAGS"},
    {IKEV1_N_INVALID_MESSAGE_ID, "INVALID_MESSAGE_ID"},
    {IKEV1_N_INVALID_PROTOCOL_ID, "INVALID_PROTOCOL_ID"},
    {IKEV1_N_INVALID_SPI, "INVALID_SPI"},
    {IKEV1_N_INVALID_TRANSFORM_ID, "INVALID_TRANSFORM_ID"},
    {IKEV1_N_ATTRIBUTES_NOT_SUPPORTED, "ATTRIBUTES_NOT_SUPPORTED"},
    {IKEV1_N_NO_PROPOSAL_CHOSEN, "NO_PROPOSAL_CHOSEN"},
    {IKEV1_N_BAD_PROPOSAL_SYNTAX, "BAD_PROPOSAL_SYNTAX"},
    {IKEV1_N_PAYLOAD_MALFORMED, "PAYLOAD_MALFORMED"},
    {IKEV1_N_INVALID_KEY_INFORMATION, "INVALID_KEY_INFORMATION"},
    {IKEV1_N_INVALID_ID_INFORMATION, "INVALID_ID_INFORMATION"},
    {IKEV1_N_INVALID_CERT_ENCODING, "INVALID_CERT_ENCODING"},
    {IKEV1_N_INVALID_CERTIFICATE, "INVALID_CERTIFICATE"},
    {IKEV1_N_CERT_TYPE_UNSUPPORTED, "CERT_TYPE_UNSUPPORTED"},
    {IKEV1_N_INVALID_CERT_AUTHORITY, "INVALID_CERT_AUTHORITY"},
    {IKEV1_N_INVALID_HASH_INFORMATION, "INVALID_HASH_INFORMATION"},
    {IKEV1_N_AUTHENTICATION_FAILED, "AUTHENTICATION_FAILED"},
    {IKEV1_N_INVALID_SIGNATURE, "INVALID_SIGNATURE"},
    {IKEV1_N_ADDRESS_NOTIFICATION, "ADDRESS_NOTIFICATION"},
    {IKEV1_N_NOTIFY_SA_LIFETIME, "NOTIFY_SA_LIFETIME"},
    {IKEV1_N_CERTIFICATE_UNAVAILABLE, "CERTIFICATE_UNAVAILABLE"},
    {IKEV1_N_UNSUPPORTED_EXCHANGE_TYPE, "UNSUPPORTED_EXCHANGE_TYPE"},
    {IKEV1_N_UNEQUAL_PAYLOAD_LENGTHS, "UNEQUAL_PAYLOAD_LENGTHS"},
    {IKEV1_N_CONNECTED, "CONNECTED"},
    {IKEV1_N_RESPONDER_LIFETIME, "RESPONDER_LIFETIME"},
    {IKEV1_N_REPLAY_STATUS, "REPLAY_STATUS"},
    {IKEV1_N_INITIAL_CONTACT, "INITIAL_CONTACT"},
    {IKEV1_N_R_U_THERE, "R_U_THERE"},
    {IKEV1_N_R_U_THERE_ACK, "R_U_THERE_ACK"},
    {IKEV1_N_UNITY_LOAD_BALANCE, "UNITY_LOAD_BALANCE"},
};

const char *
ikev1_notify_type_name(unsigned v)
{
	return MAP_FIND(notify_type_names, v);
}

static const struct name_map cfg_type_names[] = {
    {IKEV1_CFG_REQUEST, "REQUEST"},
    {IKEV1_CFG_REPLY, "REPLY"},
    {IKEV1_CFG_SET, "SET"},
    {IKEV1_CFG_ACK, "ACK"},
};

const char *
ikev1_cfg_type_name(unsigned v)
{
	return MAP_FIND(cfg_type_names, v);
}

static const struct name_map cfg_attr_names[] = {
    {IKEV1_CFG_INTERNAL_IP4_ADDRESS, "INTERNAL_IP4_ADDRESS"},
    {IKEV1_CFG_INTERNAL_IP4_NETMASK, "INTERNAL_IP4_NETMASK"},
    {IKEV1_CFG_INTERNAL_IP4_DNS, "INTERNAL_IP4_DNS"},
    {IKEV1_CFG_INTERNAL_IP4_NBNS, "INTERNAL_IP4_NBNS"},
    {IKEV1_CFG_INTERNAL_ADDRESS_EXPIRY, "INTERNAL_ADDRESS_EXPIRY"},
    {IKEV1_CFG_INTERNAL_IP4_DHCP, "INTERNAL_IP4_DHCP"},
    {IKEV1_CFG_APPLICATION_VERSION, "APPLICATION_VERSION"},
    {IKEV1_CFG_INTERNAL_IP6_ADDRESS, "INTERNAL_IP6_ADDRESS"},
    {IKEV1_CFG_INTERNAL_IP6_NETMASK, "INTERNAL_IP6_NETMASK"},
    {IKEV1_CFG_INTERNAL_IP6_DNS, "INTERNAL_IP6_DNS"},
    {IKEV1_CFG_INTERNAL_IP6_NBNS, "INTERNAL_IP6_NBNS"},
    {IKEV1_CFG_INTERNAL_IP6_DHCP, "INTERNAL_IP6_DHCP"},
    {IKEV1_CFG_INTERNAL_IP4_SUBNET, "INTERNAL_IP4_SUBNET"},
    {IKEV1_CFG_SUPPORTED_ATTRIBUTES, "SUPPORTED_ATTRIBUTES"},
    {IKEV1_CFG_INTERNAL_IP6_SUBNET, "INTERNAL_IP6_SUBNET"},
    {IKEV1_CFG_XAUTH_TYPE, "XAUTH_TYPE"},
    {IKEV1_CFG_XAUTH_USER_NAME, "XAUTH_USER_NAME"},
    {IKEV1_CFG_XAUTH_USER_PASSWORD, "XAUTH_USER_PASSWORD"},
    {IKEV1_CFG_XAUTH_PASSCODE, "XAUTH_PASSCODE"},
    {IKEV1_CFG_XAUTH_MESSAGE, "XAUTH_MESSAGE"},
    {IKEV1_CFG_XAUTH_CHALLENGE, "XAUTH_CHALLENGE"},
    {IKEV1_CFG_XAUTH_DOMAIN, "XAUTH_DOMAIN"},
    {IKEV1_CFG_XAUTH_STATUS, "XAUTH_STATUS"},
    {IKEV1_CFG_XAUTH_NEXT_PIN, "XAUTH_NEXT_PIN"},
    {IKEV1_CFG_XAUTH_ANSWER, "XAUTH_ANSWER"},
    {IKEV1_CFG_UNITY_BANNER, "UNITY_BANNER"},
    {IKEV1_CFG_UNITY_SAVE_PASSWD, "UNITY_SAVE_PASSWD"},
    {IKEV1_CFG_UNITY_DEF_DOMAIN, "UNITY_DEF_DOMAIN"},
    {IKEV1_CFG_UNITY_SPLIT_DNS, "UNITY_SPLIT_DNS"},
    {IKEV1_CFG_UNITY_SPLIT_INCLUDE, "UNITY_SPLIT_INCLUDE"},
    {IKEV1_CFG_UNITY_NATT_PORT, "UNITY_NATT_PORT"},
    {IKEV1_CFG_UNITY_LOCAL_LAN, "UNITY_LOCAL_LAN"},
    {IKEV1_CFG_UNITY_PFS, "UNITY_PFS"},
    {IKEV1_CFG_UNITY_FW_TYPE, "UNITY_FW_TYPE"},
    {IKEV1_CFG_UNITY_BACKUP_SERVERS, "UNITY_BACKUP_SERVERS"},
    {IKEV1_CFG_UNITY_DDNS_HOSTNAME, "UNITY_DDNS_HOSTNAME"},
};

const char *
ikev1_cfg_attr_name(unsigned v)
{
	return MAP_FIND(cfg_attr_names, v);
}

static const struct name_map xauth_type_names[] = {
    {IKEV1_XAUTH_GENERIC, "GENERIC"},
    {IKEV1_XAUTH_RADIUS_CHAP, "RADIUS_CHAP"},
    {IKEV1_XAUTH_OTP, "OTP"},
    {IKEV1_XAUTH_SKEY, "SKEY"},
};

const char *
ikev1_xauth_type_name(unsigned v)
{
	return MAP_FIND(xauth_type_names, v);
}

static const struct name_map frag_flag_names[] = {
    {IKEV1_FRAG_LAST, "LAST"},
};

const char *
ikev1_frag_flag_name(unsigned v)
{
	return MAP_FIND(frag_flag_names, v);
}

static const struct name_map frag_cap_names[] = {
    {IKEV1_FRAG_CAP_BASE, "BASE"},
    {IKEV1_FRAG_CAP_AGG, "AGG"},
};

const char *
ikev1_frag_cap_name(unsigned v)
{
	return MAP_FIND(frag_cap_names, v);
}

const char *
ikev1_xform_name(unsigned proto, unsigned v)
{
	switch (proto) {
	case IKEV1_PROTO_ISAKMP:
		return ikev1_isakmp_xform_name(v);
	case IKEV1_PROTO_AH:
		return ikev1_ah_xform_name(v);
	case IKEV1_PROTO_ESP:
		return ikev1_esp_xform_name(v);
	case IKEV1_PROTO_IPCOMP:
		return ikev1_ipcomp_xform_name(v);
	default:
		return "UNKNOWN";
	}
}
