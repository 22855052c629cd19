/* IKEv1/ISAKMP wire constants (RFC 2407, 2408, 2409 and the drafts racoon speaks). */
#ifndef COATI_IKE_V1_IKEV1_H
#define COATI_IKE_V1_IKEV1_H

#include <stdint.h>

/* ISAKMP header version octet: major 1, minor 0 (RFC 2408 3.1). */
#define IKEV1_VERSION 0x10

/* Exchange types (RFC 2408 3.1, RFC 2409 5, mode cfg draft 6). */
enum ikev1_exchange {
	IKEV1_EXCH_NONE = 0,
	IKEV1_EXCH_BASE = 1,        /* RFC 2408 4.4 */
	IKEV1_EXCH_MAIN = 2,        /* Identity Protection, RFC 2408 4.5 */
	IKEV1_EXCH_AUTH_ONLY = 3,   /* RFC 2408 4.6 */
	IKEV1_EXCH_AGGRESSIVE = 4,  /* RFC 2408 4.7 */
	IKEV1_EXCH_INFO = 5,        /* RFC 2408 4.8 */
	IKEV1_EXCH_TRANSACTION = 6, /* draft-ietf-ipsec-isakmp-mode-cfg-05 */
	IKEV1_EXCH_QUICK = 32,      /* RFC 2409 5.5 */
	IKEV1_EXCH_NEW_GROUP = 33,  /* RFC 2409 5.6 */
};

/* Next payload types (RFC 2408 3.1, RFC 3947, racoon/Cisco fragmentation). */
enum ikev1_payload_type {
	IKEV1_PL_NONE = 0,
	IKEV1_PL_SA = 1,            /* RFC 2408 3.4 */
	IKEV1_PL_P = 2,             /* RFC 2408 3.5 */
	IKEV1_PL_T = 3,             /* RFC 2408 3.6 */
	IKEV1_PL_KE = 4,            /* RFC 2408 3.7 */
	IKEV1_PL_ID = 5,            /* RFC 2408 3.8 */
	IKEV1_PL_CERT = 6,          /* RFC 2408 3.9 */
	IKEV1_PL_CR = 7,            /* RFC 2408 3.10 */
	IKEV1_PL_HASH = 8,          /* RFC 2408 3.11 */
	IKEV1_PL_SIG = 9,           /* RFC 2408 3.12 */
	IKEV1_PL_NONCE = 10,        /* RFC 2408 3.13 */
	IKEV1_PL_N = 11,            /* RFC 2408 3.14 */
	IKEV1_PL_D = 12,            /* RFC 2408 3.15 */
	IKEV1_PL_VID = 13,          /* RFC 2408 3.16 */
	IKEV1_PL_ATTR = 14,         /* draft-ietf-ipsec-isakmp-mode-cfg-05 3.2 */
	IKEV1_PL_NATD = 20,         /* RFC 3947 3.2 */
	IKEV1_PL_NATOA = 21,        /* RFC 3947 5.2 */
	IKEV1_PL_NATD_DRAFT = 130,  /* draft-ietf-ipsec-nat-t-ike-02/03 */
	IKEV1_PL_NATOA_DRAFT = 131, /* draft-ietf-ipsec-nat-t-ike-02/03 */
	IKEV1_PL_FRAG = 132,        /* racoon isakmp_frag.c, Cisco IKE fragmentation */
};

/* Header flags (RFC 2408 3.1). */
enum ikev1_flag {
	IKEV1_FLAG_ENC = 0x01,
	IKEV1_FLAG_COMMIT = 0x02,
	IKEV1_FLAG_AUTH_ONLY = 0x04,
};

/* Domains of interpretation (RFC 2408 3.4, RFC 2407 4.2). */
enum ikev1_doi {
	IKEV1_DOI_ISAKMP = 0,
	IKEV1_DOI_IPSEC = 1,
};

/* IPsec DOI situation bits (RFC 2407 4.2). */
enum ikev1_situation {
	IKEV1_SIT_IDENTITY_ONLY = 0x01,
	IKEV1_SIT_SECRECY = 0x02,
	IKEV1_SIT_INTEGRITY = 0x04,
};

/* Protocol IDs (RFC 2407 4.4.1). */
enum ikev1_proto {
	IKEV1_PROTO_ISAKMP = 1,
	IKEV1_PROTO_AH = 2,
	IKEV1_PROTO_ESP = 3,
	IKEV1_PROTO_IPCOMP = 4,
};

/* ISAKMP transform IDs (RFC 2407 4.4.2). */
enum ikev1_isakmp_xform {
	IKEV1_KEY_IKE = 1,
};

/* AH transform IDs (RFC 2407 4.4.3, RFC 4868, RFC 4543). */
enum ikev1_ah_xform {
	IKEV1_AH_MD5 = 2,
	IKEV1_AH_SHA = 3,
	IKEV1_AH_DES = 4,
	IKEV1_AH_SHA2_256 = 5,
	IKEV1_AH_SHA2_384 = 6,
	IKEV1_AH_SHA2_512 = 7,
	IKEV1_AH_RIPEMD = 8,
	IKEV1_AH_AES_XCBC_MAC = 9,
	IKEV1_AH_AES_128_GMAC = 11,
	IKEV1_AH_AES_192_GMAC = 12,
	IKEV1_AH_AES_256_GMAC = 13,
};

/* ESP transform IDs (RFC 2407 4.4.4, RFC 3602, 3686, 4309, 4106, 4543). */
enum ikev1_esp_xform {
	IKEV1_ESP_DES_IV64 = 1,
	IKEV1_ESP_DES = 2,
	IKEV1_ESP_3DES = 3,
	IKEV1_ESP_RC5 = 4,
	IKEV1_ESP_IDEA = 5,
	IKEV1_ESP_CAST = 6,
	IKEV1_ESP_BLOWFISH = 7,
	IKEV1_ESP_3IDEA = 8,
	IKEV1_ESP_DES_IV32 = 9,
	IKEV1_ESP_RC4 = 10,
	IKEV1_ESP_NULL = 11,
	IKEV1_ESP_AES_CBC = 12,
	IKEV1_ESP_AES_CTR = 13,
	IKEV1_ESP_AES_CCM_8 = 14,
	IKEV1_ESP_AES_CCM_12 = 15,
	IKEV1_ESP_AES_CCM_16 = 16,
	IKEV1_ESP_AES_GCM_8 = 18,
	IKEV1_ESP_AES_GCM_12 = 19,
	IKEV1_ESP_AES_GCM_16 = 20,
	IKEV1_ESP_SEED_CBC = 21,
	IKEV1_ESP_CAMELLIA = 22,
	IKEV1_ESP_NULL_AUTH_AES_GMAC = 23,
};

/* IPCOMP transform IDs (RFC 2407 4.4.5). */
enum ikev1_ipcomp_xform {
	IKEV1_IPCOMP_OUI = 1,
	IKEV1_IPCOMP_DEFLATE = 2,
	IKEV1_IPCOMP_LZS = 3,
	IKEV1_IPCOMP_LZJH = 4,
};

/* Phase 1 (Oakley) SA attribute classes (RFC 2409 Appendix A). */
enum ikev1_p1_attr {
	IKEV1_P1_ENC = 1,
	IKEV1_P1_HASH = 2,
	IKEV1_P1_AUTH = 3,
	IKEV1_P1_GROUP_DESC = 4,
	IKEV1_P1_GROUP_TYPE = 5,
	IKEV1_P1_GROUP_PRIME = 6,
	IKEV1_P1_GROUP_GEN_ONE = 7,
	IKEV1_P1_GROUP_GEN_TWO = 8,
	IKEV1_P1_GROUP_CURVE_A = 9,
	IKEV1_P1_GROUP_CURVE_B = 10,
	IKEV1_P1_LIFE_TYPE = 11,
	IKEV1_P1_LIFE_DURATION = 12,
	IKEV1_P1_PRF = 13,
	IKEV1_P1_KEY_LENGTH = 14,
	IKEV1_P1_FIELD_SIZE = 15,
	IKEV1_P1_GROUP_ORDER = 16,
};

/* Phase 1 encryption algorithms (RFC 2409 App A, RFC 3602, RFC 4312). */
enum ikev1_p1_enc {
	IKEV1_ENC_DES = 1,
	IKEV1_ENC_IDEA = 2,
	IKEV1_ENC_BLOWFISH = 3,
	IKEV1_ENC_RC5 = 4,
	IKEV1_ENC_3DES = 5,
	IKEV1_ENC_CAST = 6,
	IKEV1_ENC_AES_CBC = 7,
	IKEV1_ENC_CAMELLIA = 8,
};

/* Phase 1 hash algorithms (RFC 2409 App A, RFC 4868). */
enum ikev1_p1_hash {
	IKEV1_HASH_MD5 = 1,
	IKEV1_HASH_SHA = 2,
	IKEV1_HASH_TIGER = 3,
	IKEV1_HASH_SHA2_256 = 4,
	IKEV1_HASH_SHA2_384 = 5,
	IKEV1_HASH_SHA2_512 = 6,
};

/*
 * Phase 1 authentication methods (RFC 2409 App A, RFC 4754) and the private-use
 * values of draft-ietf-ipsec-isakmp-hybrid-auth-05 and draft-beaulieu-ike-xauth-02.
 */
enum ikev1_auth {
	IKEV1_AUTH_PSK = 1,
	IKEV1_AUTH_DSS = 2,
	IKEV1_AUTH_RSA_SIG = 3,
	IKEV1_AUTH_RSA_ENC = 4,
	IKEV1_AUTH_RSA_ENC_REV = 5,
	IKEV1_AUTH_ECDSA_SHA256 = 9,
	IKEV1_AUTH_ECDSA_SHA384 = 10,
	IKEV1_AUTH_ECDSA_SHA512 = 11,
	IKEV1_AUTH_HYBRID_INIT_RSA = 64221,
	IKEV1_AUTH_HYBRID_RESP_RSA = 64222,
	IKEV1_AUTH_HYBRID_INIT_DSS = 64223,
	IKEV1_AUTH_HYBRID_RESP_DSS = 64224,
	IKEV1_AUTH_XAUTH_INIT_PSK = 65001,
	IKEV1_AUTH_XAUTH_RESP_PSK = 65002,
	IKEV1_AUTH_XAUTH_INIT_DSS = 65003,
	IKEV1_AUTH_XAUTH_RESP_DSS = 65004,
	IKEV1_AUTH_XAUTH_INIT_RSA = 65005,
	IKEV1_AUTH_XAUTH_RESP_RSA = 65006,
	IKEV1_AUTH_XAUTH_INIT_RSA_ENC = 65007,
	IKEV1_AUTH_XAUTH_RESP_RSA_ENC = 65008,
	IKEV1_AUTH_XAUTH_INIT_RSA_REV = 65009,
	IKEV1_AUTH_XAUTH_RESP_RSA_REV = 65010,
};

/* Group types (RFC 2409 App A). */
enum ikev1_group_type {
	IKEV1_GROUP_TYPE_MODP = 1,
	IKEV1_GROUP_TYPE_ECP = 2,
	IKEV1_GROUP_TYPE_EC2N = 3,
};

/* Group descriptions (RFC 2409 6, RFC 3526, RFC 5114, RFC 5903). */
enum ikev1_group {
	IKEV1_GROUP_MODP768 = 1,
	IKEV1_GROUP_MODP1024 = 2,
	IKEV1_GROUP_EC2N155 = 3,
	IKEV1_GROUP_EC2N185 = 4,
	IKEV1_GROUP_MODP1536 = 5,
	IKEV1_GROUP_MODP2048 = 14,
	IKEV1_GROUP_MODP3072 = 15,
	IKEV1_GROUP_MODP4096 = 16,
	IKEV1_GROUP_MODP6144 = 17,
	IKEV1_GROUP_MODP8192 = 18,
	IKEV1_GROUP_ECP256 = 19,
	IKEV1_GROUP_ECP384 = 20,
	IKEV1_GROUP_ECP521 = 21,
	IKEV1_GROUP_MODP1024_S160 = 22,
	IKEV1_GROUP_MODP2048_S224 = 23,
	IKEV1_GROUP_MODP2048_S256 = 24,
	IKEV1_GROUP_ECP192 = 25,
	IKEV1_GROUP_ECP224 = 26,
};

/* Life types, phase 1 (RFC 2409 App A) and phase 2 (RFC 2407 4.5). */
enum ikev1_life_type {
	IKEV1_LIFE_SECONDS = 1,
	IKEV1_LIFE_KILOBYTES = 2,
};

/* Phase 2 (IPsec DOI) SA attribute classes (RFC 2407 4.5, RFC 3168, RFC 4304). */
enum ikev1_p2_attr {
	IKEV1_P2_LIFE_TYPE = 1,
	IKEV1_P2_LIFE_DURATION = 2,
	IKEV1_P2_GROUP_DESC = 3,
	IKEV1_P2_ENCAP_MODE = 4,
	IKEV1_P2_AUTH_ALG = 5,
	IKEV1_P2_KEY_LENGTH = 6,
	IKEV1_P2_KEY_ROUNDS = 7,
	IKEV1_P2_COMP_DICT_SIZE = 8,
	IKEV1_P2_COMP_PRIVATE_ALG = 9,
	IKEV1_P2_ECN_TUNNEL = 10,
	IKEV1_P2_ESN = 11,
};

/* Encapsulation modes (RFC 2407 4.5, RFC 3947 5.1, draft-ietf-ipsec-nat-t-ike-02). */
enum ikev1_encap {
	IKEV1_ENCAP_TUNNEL = 1,
	IKEV1_ENCAP_TRANSPORT = 2,
	IKEV1_ENCAP_UDP_TUNNEL = 3,
	IKEV1_ENCAP_UDP_TRANSPORT = 4,
	IKEV1_ENCAP_UDP_TUNNEL_DRAFT = 61443,
	IKEV1_ENCAP_UDP_TRANSPORT_DRAFT = 61444,
};

/* Phase 2 authentication algorithms (RFC 2407 4.5, RFC 4868, RFC 4543). */
enum ikev1_auth_alg {
	IKEV1_AALG_HMAC_MD5 = 1,
	IKEV1_AALG_HMAC_SHA = 2,
	IKEV1_AALG_DES_MAC = 3,
	IKEV1_AALG_KPDK = 4,
	IKEV1_AALG_HMAC_SHA2_256 = 5,
	IKEV1_AALG_HMAC_SHA2_384 = 6,
	IKEV1_AALG_HMAC_SHA2_512 = 7,
	IKEV1_AALG_HMAC_RIPEMD = 8,
	IKEV1_AALG_AES_XCBC_MAC = 9,
	IKEV1_AALG_SIG_RSA = 10,
	IKEV1_AALG_AES_128_GMAC = 11,
	IKEV1_AALG_AES_192_GMAC = 12,
	IKEV1_AALG_AES_256_GMAC = 13,
};

/* Identification types (RFC 2407 4.6.2.1). */
enum ikev1_id_type {
	IKEV1_ID_IPV4_ADDR = 1,
	IKEV1_ID_FQDN = 2,
	IKEV1_ID_USER_FQDN = 3,
	IKEV1_ID_IPV4_ADDR_SUBNET = 4,
	IKEV1_ID_IPV6_ADDR = 5,
	IKEV1_ID_IPV6_ADDR_SUBNET = 6,
	IKEV1_ID_IPV4_ADDR_RANGE = 7,
	IKEV1_ID_IPV6_ADDR_RANGE = 8,
	IKEV1_ID_DER_ASN1_DN = 9,
	IKEV1_ID_DER_ASN1_GN = 10,
	IKEV1_ID_KEY_ID = 11,
};

/* Certificate encodings (RFC 2408 3.9). */
enum ikev1_cert_enc {
	IKEV1_CERT_NONE = 0,
	IKEV1_CERT_PKCS7 = 1,
	IKEV1_CERT_PGP = 2,
	IKEV1_CERT_DNS_SIGNED_KEY = 3,
	IKEV1_CERT_X509_SIG = 4,
	IKEV1_CERT_X509_KE = 5,
	IKEV1_CERT_KERBEROS = 6,
	IKEV1_CERT_CRL = 7,
	IKEV1_CERT_ARL = 8,
	IKEV1_CERT_SPKI = 9,
	IKEV1_CERT_X509_ATTR = 10,
};

/*
 * Notify message types: errors (RFC 2408 3.14.1), status (RFC 2408, RFC 2407 4.6.3),
 * DPD (RFC 3706 5) and Cisco's load balance redirect as racoon knows it.
 */
enum ikev1_notify_type {
	IKEV1_N_INVALID_PAYLOAD_TYPE = 1,
	IKEV1_N_DOI_NOT_SUPPORTED = 2,
	IKEV1_N_SITUATION_NOT_SUPPORTED = 3,
	IKEV1_N_INVALID_COOKIE = 4,
	IKEV1_N_INVALID_MAJOR_VERSION = 5,
	IKEV1_N_INVALID_MINOR_VERSION = 6,
	IKEV1_N_INVALID_EXCHANGE_TYPE = 7,
	IKEV1_N_INVALID_FLAGS = 8,
	IKEV1_N_INVALID_MESSAGE_ID = 9,
	IKEV1_N_INVALID_PROTOCOL_ID = 10,
	IKEV1_N_INVALID_SPI = 11,
	IKEV1_N_INVALID_TRANSFORM_ID = 12,
	IKEV1_N_ATTRIBUTES_NOT_SUPPORTED = 13,
	IKEV1_N_NO_PROPOSAL_CHOSEN = 14,
	IKEV1_N_BAD_PROPOSAL_SYNTAX = 15,
	IKEV1_N_PAYLOAD_MALFORMED = 16,
	IKEV1_N_INVALID_KEY_INFORMATION = 17,
	IKEV1_N_INVALID_ID_INFORMATION = 18,
	IKEV1_N_INVALID_CERT_ENCODING = 19,
	IKEV1_N_INVALID_CERTIFICATE = 20,
	IKEV1_N_CERT_TYPE_UNSUPPORTED = 21,
	IKEV1_N_INVALID_CERT_AUTHORITY = 22,
	IKEV1_N_INVALID_HASH_INFORMATION = 23,
	IKEV1_N_AUTHENTICATION_FAILED = 24,
	IKEV1_N_INVALID_SIGNATURE = 25,
	IKEV1_N_ADDRESS_NOTIFICATION = 26,
	IKEV1_N_NOTIFY_SA_LIFETIME = 27,
	IKEV1_N_CERTIFICATE_UNAVAILABLE = 28,
	IKEV1_N_UNSUPPORTED_EXCHANGE_TYPE = 29,
	IKEV1_N_UNEQUAL_PAYLOAD_LENGTHS = 30,
	IKEV1_N_CONNECTED = 16384,
	IKEV1_N_RESPONDER_LIFETIME = 24576,
	IKEV1_N_REPLAY_STATUS = 24577,
	IKEV1_N_INITIAL_CONTACT = 24578,
	IKEV1_N_R_U_THERE = 36136,
	IKEV1_N_R_U_THERE_ACK = 36137,
	IKEV1_N_UNITY_LOAD_BALANCE = 40501,
};

/* Mode config message types (draft-ietf-ipsec-isakmp-mode-cfg-05 3.2). */
enum ikev1_cfg_type {
	IKEV1_CFG_REQUEST = 1,
	IKEV1_CFG_REPLY = 2,
	IKEV1_CFG_SET = 3,
	IKEV1_CFG_ACK = 4,
};

/*
 * Mode config attributes (draft-dukes-ike-mode-cfg-02 / draft-ietf-ipsec-isakmp-mode-cfg-05
 * 3.3), Xauth (draft-beaulieu-ike-xauth-02 6.2) and Cisco Unity (racoon isakmp_unity.h).
 */
enum ikev1_cfg_attr {
	IKEV1_CFG_INTERNAL_IP4_ADDRESS = 1,
	IKEV1_CFG_INTERNAL_IP4_NETMASK = 2,
	IKEV1_CFG_INTERNAL_IP4_DNS = 3,
	IKEV1_CFG_INTERNAL_IP4_NBNS = 4,
	IKEV1_CFG_INTERNAL_ADDRESS_EXPIRY = 5,
	IKEV1_CFG_INTERNAL_IP4_DHCP = 6,
	IKEV1_CFG_APPLICATION_VERSION = 7,
	IKEV1_CFG_INTERNAL_IP6_ADDRESS = 8,
	IKEV1_CFG_INTERNAL_IP6_NETMASK = 9,
	IKEV1_CFG_INTERNAL_IP6_DNS = 10,
	IKEV1_CFG_INTERNAL_IP6_NBNS = 11,
	IKEV1_CFG_INTERNAL_IP6_DHCP = 12,
	IKEV1_CFG_INTERNAL_IP4_SUBNET = 13,
	IKEV1_CFG_SUPPORTED_ATTRIBUTES = 14,
	IKEV1_CFG_INTERNAL_IP6_SUBNET = 15,
	IKEV1_CFG_XAUTH_TYPE = 16520,
	IKEV1_CFG_XAUTH_USER_NAME = 16521,
	IKEV1_CFG_XAUTH_USER_PASSWORD = 16522,
	IKEV1_CFG_XAUTH_PASSCODE = 16523,
	IKEV1_CFG_XAUTH_MESSAGE = 16524,
	IKEV1_CFG_XAUTH_CHALLENGE = 16525,
	IKEV1_CFG_XAUTH_DOMAIN = 16526,
	IKEV1_CFG_XAUTH_STATUS = 16527,
	IKEV1_CFG_XAUTH_NEXT_PIN = 16528,
	IKEV1_CFG_XAUTH_ANSWER = 16529,
	IKEV1_CFG_UNITY_BANNER = 28672,
	IKEV1_CFG_UNITY_SAVE_PASSWD = 28673,
	IKEV1_CFG_UNITY_DEF_DOMAIN = 28674,
	IKEV1_CFG_UNITY_SPLIT_DNS = 28675,
	IKEV1_CFG_UNITY_SPLIT_INCLUDE = 28676,
	IKEV1_CFG_UNITY_NATT_PORT = 28677,
	IKEV1_CFG_UNITY_LOCAL_LAN = 28678,
	IKEV1_CFG_UNITY_PFS = 28679,
	IKEV1_CFG_UNITY_FW_TYPE = 28680,
	IKEV1_CFG_UNITY_BACKUP_SERVERS = 28681,
	IKEV1_CFG_UNITY_DDNS_HOSTNAME = 28682,
};

/* Xauth types (draft-beaulieu-ike-xauth-02 6.2). */
enum ikev1_xauth_type {
	IKEV1_XAUTH_GENERIC = 0,
	IKEV1_XAUTH_RADIUS_CHAP = 1,
	IKEV1_XAUTH_OTP = 2,
	IKEV1_XAUTH_SKEY = 3,
};

/* IKE fragment payload flags (racoon isakmp_frag.h). */
enum ikev1_frag_flag {
	IKEV1_FRAG_LAST = 0x01,
};

/* Fragmentation capability bits carried after the FRAGMENTATION vendor ID (racoon). */
enum ikev1_frag_cap {
	IKEV1_FRAG_CAP_BASE = 0x40000000,
	IKEV1_FRAG_CAP_AGG = 0x80000000, /* also in Main Mode: racoon and strongSwan send it */
};

/* Names for logs; an unknown value yields "UNKNOWN" (never NULL). */
const char *ikev1_exchange_name(unsigned v);
const char *ikev1_payload_name(unsigned v);
const char *ikev1_flag_name(unsigned v);
const char *ikev1_doi_name(unsigned v);
const char *ikev1_situation_name(unsigned v);
const char *ikev1_proto_name(unsigned v);
const char *ikev1_isakmp_xform_name(unsigned v);
const char *ikev1_ah_xform_name(unsigned v);
const char *ikev1_esp_xform_name(unsigned v);
const char *ikev1_ipcomp_xform_name(unsigned v);
/* Transform ID name for a protocol ID (ISAKMP, AH, ESP or IPCOMP). */
const char *ikev1_xform_name(unsigned proto, unsigned v);
const char *ikev1_p1_attr_name(unsigned v);
const char *ikev1_p1_enc_name(unsigned v);
const char *ikev1_p1_hash_name(unsigned v);
const char *ikev1_auth_name(unsigned v);
const char *ikev1_group_type_name(unsigned v);
const char *ikev1_group_name(unsigned v);
const char *ikev1_life_type_name(unsigned v);
const char *ikev1_p2_attr_name(unsigned v);
const char *ikev1_encap_name(unsigned v);
const char *ikev1_auth_alg_name(unsigned v);
const char *ikev1_id_type_name(unsigned v);
const char *ikev1_cert_enc_name(unsigned v);
const char *ikev1_notify_type_name(unsigned v);
const char *ikev1_cfg_type_name(unsigned v);
const char *ikev1_cfg_attr_name(unsigned v);
const char *ikev1_xauth_type_name(unsigned v);
const char *ikev1_frag_flag_name(unsigned v);
const char *ikev1_frag_cap_name(unsigned v);

#endif
