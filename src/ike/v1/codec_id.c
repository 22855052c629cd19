/* IPv4/IPv6 identification payload data as prefixes and ranges (RFC 2407 4.6.2.1). */
#include "ike/v1/codec.h"

#include <errno.h>
#include <string.h>

/* Address family of an address-carrying ID type, 0 if not one; its subnet/range form. */
static uint8_t
id_family(uint8_t type, bool *subnet, bool *range)
{
	*subnet = type == IKEV1_ID_IPV4_ADDR_SUBNET || type == IKEV1_ID_IPV6_ADDR_SUBNET;
	*range = type == IKEV1_ID_IPV4_ADDR_RANGE || type == IKEV1_ID_IPV6_ADDR_RANGE;
	switch (type) {
	case IKEV1_ID_IPV4_ADDR:
	case IKEV1_ID_IPV4_ADDR_SUBNET:
	case IKEV1_ID_IPV4_ADDR_RANGE:
		return AF_INET;
	case IKEV1_ID_IPV6_ADDR:
	case IKEV1_ID_IPV6_ADDR_SUBNET:
	case IKEV1_ID_IPV6_ADDR_RANGE:
		return AF_INET6;
	default:
		return 0;
	}
}

static bool
addr_read(struct rd *r, uint8_t family, struct addr *out)
{
	struct addr a;

	memset(&a, 0, sizeof(a));
	a.family = family;
	if (!rd_copy(r, a.bytes, addr_len(&a)))
		return false;
	*out = a;
	return true;
}

/* Length of a contiguous netmask, or -1 if the mask has holes (RFC 2407 4.6.2.5). */
static int
mask_len(const struct addr *mask)
{
	size_t n = addr_len(mask), i = 0;
	int bits = 0;
	uint8_t b;

	while (i < n && mask->bytes[i] == 0xff) {
		bits += 8;
		i++;
	}
	if (i < n) {
		b = mask->bytes[i++];
		while (b & 0x80) {
			bits++;
			b = (uint8_t)(b << 1);
		}
		if (b != 0)
			return -1;
	}
	for (; i < n; i++) {
		if (mask->bytes[i] != 0)
			return -1;
	}
	return bits;
}

/*
 * A subnet ID is the address followed by a netmask. Host bits set in the address are
 * cleared, so the prefix is usable as an SPD selector as is.
 */
int
ikev1_id_to_prefix(const struct ikev1_id *id, struct prefix *out)
{
	struct rd r = id->data;
	struct prefix p;
	struct addr mask;
	bool subnet, range;
	uint8_t family = id_family(id->type, &subnet, &range);
	int bits;

	if (family == 0 || range)
		return -EINVAL;
	if (!addr_read(&r, family, &p.addr))
		return -EBADMSG;
	p.len = addr_bits(&p.addr);
	if (subnet) {
		if (!addr_read(&r, family, &mask))
			return -EBADMSG;
		bits = mask_len(&mask);
		if (bits < 0)
			return -EBADMSG;
		p.len = (uint8_t)bits;
		prefix_mask(&p);
	}
	if (!rd_end(&r))
		return -EBADMSG;
	*out = p;
	return 0;
}

int
ikev1_id_to_range(const struct ikev1_id *id, struct addr *lo, struct addr *hi)
{
	struct rd r = id->data;
	struct addr a, b;
	bool subnet, range;
	uint8_t family = id_family(id->type, &subnet, &range);

	if (family == 0 || !range)
		return -EINVAL;
	if (!addr_read(&r, family, &a) || !addr_read(&r, family, &b) || !rd_end(&r))
		return -EBADMSG;
	if (addr_cmp(&a, &b) > 0)
		return -EBADMSG;
	*lo = a;
	*hi = b;
	return 0;
}
