/*
 * Mode config attributes (draft-dukes-ike-mode-cfg-02 3.3 and the Cisco Unity ones racoon
 * sends): the gateway's answers, the client's request, and the parser of what a gateway
 * sends back. Pure; see modecfg.h.
 */
#include "ike/v1/modecfg.h"

#include <errno.h>
#include <string.h>

#include "ike/v1/ikev1.h"

static void
mc_out_addr(struct ikev1_out *o, uint16_t type, const struct addr *a)
{
	if (a->family == AF_INET)
		ikev1_out_attr_tlv(o, type, &a->v4, 4);
}

static void
mc_out_text(struct ikev1_out *o, uint16_t type, const char *s)
{
	if (*s)
		ikev1_out_attr_tlv(o, type, s, strlen(s));
}

/* UNITY_SPLIT_INCLUDE / LOCAL_LAN: per network address, mask and 6 zero bytes. */
static void
mc_out_split(struct ikev1_out *o, uint16_t type, const struct ikev1_modecfg *mc)
{
	uint8_t b[IKEV1_MODECFG_SPLIT_MAX * IKEV1_UNITY_NET_LEN] = {0};
	size_t n = 0;

	for (size_t i = 0; i < mc->n_split_net; i++) {
		const struct prefix *p = &mc->split_net[i];
		uint32_t m = p->len ? ~0u << (32 - p->len) : 0;

		if (p->addr.family != AF_INET)
			continue;
		memcpy(b + n, &p->addr.v4, 4);
		be32_put(b + n + 4, m);
		n += IKEV1_UNITY_NET_LEN;
	}
	if (n)
		ikev1_out_attr_tlv(o, type, b, n);
}

void
ikev1_modecfg_out(struct ikev1_out *o, uint16_t type, const struct ikev1_modecfg *mc)
{
	switch (type) {
	case IKEV1_CFG_INTERNAL_IP4_ADDRESS:
		mc_out_addr(o, type, &mc->addr4);
		break;
	case IKEV1_CFG_INTERNAL_IP4_NETMASK:
		mc_out_addr(o, type, &mc->netmask4);
		break;
	case IKEV1_CFG_INTERNAL_IP4_DNS:
		for (size_t i = 0; i < mc->n_dns4; i++)
			mc_out_addr(o, type, &mc->dns4[i]);
		break;
	case IKEV1_CFG_INTERNAL_IP4_NBNS:
		for (size_t i = 0; i < mc->n_wins4; i++)
			mc_out_addr(o, type, &mc->wins4[i]);
		break;
	case IKEV1_CFG_APPLICATION_VERSION:
		mc_out_text(o, type, "coati " COATI_VERSION);
		break;
	case IKEV1_CFG_UNITY_BANNER:
		mc_out_text(o, type, mc->banner);
		break;
	case IKEV1_CFG_UNITY_DEF_DOMAIN:
		mc_out_text(o, type, mc->default_domain);
		break;
	case IKEV1_CFG_UNITY_SPLIT_DNS:
		mc_out_text(o, type, mc->split_dns);
		break;
	case IKEV1_CFG_UNITY_SPLIT_INCLUDE:
		if (mc->split == IKEV1_SPLIT_INCLUDE)
			mc_out_split(o, type, mc);
		break;
	case IKEV1_CFG_UNITY_LOCAL_LAN:
		if (mc->split == IKEV1_SPLIT_LOCAL_LAN)
			mc_out_split(o, type, mc);
		break;
	case IKEV1_CFG_UNITY_SAVE_PASSWD:
		ikev1_out_attr_tv(o, type, mc->save_passwd);
		break;
	case IKEV1_CFG_UNITY_PFS:
		if (mc->pfs_group)
			ikev1_out_attr_tv(o, type, mc->pfs_group);
		break;
	}
}

/* What a client asks for: everything a gateway hands out (first), and its version. */
static const uint16_t mc_requested[] = {
    IKEV1_CFG_INTERNAL_IP4_ADDRESS,
    IKEV1_CFG_INTERNAL_IP4_NETMASK,
    IKEV1_CFG_INTERNAL_IP4_DNS,
    IKEV1_CFG_INTERNAL_IP4_NBNS,
    IKEV1_CFG_UNITY_BANNER,
    IKEV1_CFG_UNITY_DEF_DOMAIN,
    IKEV1_CFG_UNITY_SPLIT_DNS,
    IKEV1_CFG_UNITY_SPLIT_INCLUDE,
    IKEV1_CFG_UNITY_LOCAL_LAN,
    IKEV1_CFG_UNITY_SAVE_PASSWD,
    IKEV1_CFG_UNITY_PFS,
    IKEV1_CFG_APPLICATION_VERSION,
};
#define MC_HANDED_OUT (sizeof(mc_requested) / sizeof(mc_requested[0]) - 1)

void
ikev1_modecfg_out_all(struct ikev1_out *o, const struct ikev1_modecfg *mc)
{
	for (size_t i = 0; i < MC_HANDED_OUT; i++)
		ikev1_modecfg_out(o, mc_requested[i], mc);
}

void
ikev1_modecfg_request(struct ikev1_out *o)
{
	for (size_t i = 0; i < sizeof(mc_requested) / sizeof(mc_requested[0]); i++) {
		uint16_t t = mc_requested[i];

		/* TV attributes are asked for with a zero value, the others empty */
		if (t == IKEV1_CFG_UNITY_SAVE_PASSWD || t == IKEV1_CFG_UNITY_PFS)
			ikev1_out_attr_tv(o, t, 0);
		else
			ikev1_out_attr_tlv(o, t, "", 0);
	}
}

static bool
mc_addr(const struct ikev1_attr *a, struct addr *out)
{
	struct rd r = a->data;

	if (a->tv || rd_left(&r) != 4)
		return false;
	memset(out, 0, sizeof(*out));
	out->family = AF_INET;
	return rd_copy(&r, &out->v4, 4);
}

bool
ikev1_attr_text(const struct ikev1_attr *a, char *out, size_t cap)
{
	struct rd r = a->data;
	size_t n = rd_left(&r);

	if (a->tv || n >= cap || memchr(r.p, 0, n) || !rd_copy(&r, out, n))
		return false;
	out[n] = 0;
	return true;
}

/* One split network entry of entry bytes: address, contiguous mask, then (in the 14-byte
 * form) protocol and ports we do not use. */
static bool
mc_split(struct rd *r, size_t entry, struct prefix *out)
{
	uint32_t mask;
	uint8_t len = 0;
	struct rd addr;

	if (!rd_bytes(r, 4, &addr) || !rd_be32(r, &mask) || !rd_skip(r, entry - 8))
		return false;
	while (len < 32 && (mask & (0x80000000u >> len)))
		len++;
	if (len < 32 && (mask << len) != 0)
		return false;
	memset(out, 0, sizeof(*out));
	out->addr.family = AF_INET;
	memcpy(&out->addr.v4, addr.p, 4);
	out->len = len;
	prefix_mask(out);
	return true;
}

/*
 * Cisco (and strongSwan's unity plugin, and racoon) send 14 bytes per network; strongSwan's
 * attr plugin (a pool's split_include) sends 8, address and mask only. A length both
 * divide is taken as 14-byte entries when all their trailing 6 bytes are zero.
 */
static size_t
mc_split_entry(const struct rd *data)
{
	static const uint8_t none[IKEV1_UNITY_NET_LEN - 8];
	uint8_t pad[IKEV1_UNITY_NET_LEN - 8];
	size_t n = rd_left(data);
	struct rd r = *data;
	bool zero = n % IKEV1_UNITY_NET_LEN == 0;

	while (zero && !rd_end(&r))
		zero = rd_skip(&r, 8) && rd_copy(&r, pad, sizeof(pad)) &&
		       !memcmp(pad, none, sizeof(pad));
	if (zero && n)
		return IKEV1_UNITY_NET_LEN;
	return n % IKEV1_UNITY_NET_8_LEN == 0 ? IKEV1_UNITY_NET_8_LEN : 0;
}

static bool
mc_splits(const struct ikev1_attr *a, enum ikev1_split kind, struct ikev1_modecfg *mc)
{
	struct rd r = a->data;
	size_t entry;

	if (a->tv || (entry = mc_split_entry(&r)) == 0)
		return false;
	mc->split = kind;
	while (!rd_end(&r)) {
		struct prefix p;

		if (!mc_split(&r, entry, &p))
			return false;
		if (mc->n_split_net < IKEV1_MODECFG_SPLIT_MAX)
			mc->split_net[mc->n_split_net++] = p;
	}
	return true;
}

static bool
mc_attr(const struct ikev1_attr *a, struct ikev1_modecfg *mc)
{
	struct addr x;

	switch (a->type) {
	case IKEV1_CFG_INTERNAL_IP4_ADDRESS:
		return mc_addr(a, &mc->addr4);
	case IKEV1_CFG_INTERNAL_IP4_NETMASK:
		return mc_addr(a, &mc->netmask4);
	case IKEV1_CFG_INTERNAL_IP4_DNS:
		if (!mc_addr(a, &x))
			return false;
		if (mc->n_dns4 < IKEV1_MODECFG_DNS_MAX)
			mc->dns4[mc->n_dns4++] = x;
		return true;
	case IKEV1_CFG_INTERNAL_IP4_NBNS:
		if (!mc_addr(a, &x))
			return false;
		if (mc->n_wins4 < IKEV1_MODECFG_WINS_MAX)
			mc->wins4[mc->n_wins4++] = x;
		return true;
	case IKEV1_CFG_UNITY_BANNER:
		return ikev1_attr_text(a, mc->banner, sizeof(mc->banner));
	case IKEV1_CFG_UNITY_DEF_DOMAIN:
		return ikev1_attr_text(a, mc->default_domain, sizeof(mc->default_domain));
	case IKEV1_CFG_UNITY_SPLIT_DNS:
		return ikev1_attr_text(a, mc->split_dns, sizeof(mc->split_dns));
	case IKEV1_CFG_UNITY_SPLIT_INCLUDE:
		return mc_splits(a, IKEV1_SPLIT_INCLUDE, mc);
	case IKEV1_CFG_UNITY_LOCAL_LAN:
		return mc_splits(a, IKEV1_SPLIT_LOCAL_LAN, mc);
	case IKEV1_CFG_UNITY_SAVE_PASSWD:
		mc->save_passwd = a->tv && a->value;
		return a->tv;
	case IKEV1_CFG_UNITY_PFS:
		mc->pfs_group = a->tv ? a->value : 0;
		return a->tv;
	}
	return true;
}

int
ikev1_modecfg_parse(const struct rd *attrs, struct ikev1_modecfg *out)
{
	static struct ikev1_modecfg zero;
	struct ikev1_attr a[IKEV1_ATTRS_MAX];
	struct ikev1_modecfg mc = zero;
	size_t n;

	if (ikev1_attrs_parse(attrs, a, IKEV1_ATTRS_MAX, &n) < 0)
		return -EBADMSG;
	for (size_t i = 0; i < n; i++)
		if (!mc_attr(&a[i], &mc))
			return -EBADMSG;
	*out = mc;
	return 0;
}
