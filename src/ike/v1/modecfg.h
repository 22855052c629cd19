/*
 * Mode config (draft-dukes-ike-mode-cfg-02 3.3, Cisco Unity attributes as racoon sends
 * them): what a gateway hands one client, and its attribute codec. Pure, like codec.h:
 * the parser reads untrusted attribute blocks through the bounds-checked reader only.
 */
#ifndef COATI_IKE_V1_MODECFG_H
#define COATI_IKE_V1_MODECFG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ike/v1/codec.h"
#include "lib/addr.h"

#define IKEV1_XAUTH_USER_MAX 64
#define IKEV1_XAUTH_PASS_MAX 128
#define IKEV1_MODECFG_DNS_MAX 3
#define IKEV1_MODECFG_WINS_MAX 4
#define IKEV1_MODECFG_SPLIT_MAX 16
#define IKEV1_MODECFG_TEXT_MAX 512
#define IKEV1_UNITY_NET_LEN 14  /* address, mask, 6 bytes protocol and ports (Cisco, strongSwan) */
#define IKEV1_UNITY_NET_8_LEN 8 /* address and mask only (strongSwan's attr plugin) */

/* Cisco Unity split networks: tunnel these (include) or leave the local LAN alone. */
enum ikev1_split {
	IKEV1_SPLIT_NONE = 0,
	IKEV1_SPLIT_INCLUDE,
	IKEV1_SPLIT_LOCAL_LAN,
};

/* What a mode config gateway hands one client. */
struct ikev1_modecfg {
	struct addr addr4, netmask4; /* family 0: none */
	struct addr dns4[IKEV1_MODECFG_DNS_MAX];
	size_t n_dns4;
	struct addr wins4[IKEV1_MODECFG_WINS_MAX];
	size_t n_wins4;
	enum ikev1_split split;
	struct prefix split_net[IKEV1_MODECFG_SPLIT_MAX];
	size_t n_split_net;
	char default_domain[IKEV1_MODECFG_TEXT_MAX];
	char split_dns[IKEV1_MODECFG_TEXT_MAX]; /* comma-separated domains */
	char banner[IKEV1_MODECFG_TEXT_MAX];
	bool save_passwd;
	uint16_t pfs_group; /* 0: not sent */
};

/* The gateway's answer to one requested attribute type, from mc (nothing when mc has
 * none of it). */
void ikev1_modecfg_out(struct ikev1_out *o, uint16_t type, const struct ikev1_modecfg *mc);
/* Every attribute of mc a gateway hands out (a push). */
void ikev1_modecfg_out_all(struct ikev1_out *o, const struct ikev1_modecfg *mc);
/* A client's REQUEST: every attribute above with an empty value. */
void ikev1_modecfg_request(struct ikev1_out *o);
/*
 * A REPLY or SET attribute block into out (zeroed first). Addresses must be 4 bytes,
 * texts without NUL and shorter than IKEV1_MODECFG_TEXT_MAX, split networks whole
 * entries (14 or 8 bytes) with contiguous masks; lists past their maximum are cut. Unknown
 * attributes are skipped. 0 or -EBADMSG (out then untouched).
 */
int ikev1_modecfg_parse(const struct rd *attrs, struct ikev1_modecfg *out);
/* A TLV attribute's text into out[cap], NUL-terminated: false when it is a TV one, holds
 * a NUL or does not fit. */
bool ikev1_attr_text(const struct ikev1_attr *a, char *out, size_t cap);

#endif
