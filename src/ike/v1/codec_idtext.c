/* A phase 1 ID payload body as text, as racoon's ipsecdoi_id2str gives scripts REMOTE_ID. */
#include <string.h>

#include "ike/v1/codec.h"

/*
 * Body: type (1), protocol (1), port (2), data (RFC 2407 4.6.2). Names keep printable
 * ASCII only: the text goes into a script's environment, and the peer chose it.
 */
bool
ikev1_id_text(const uint8_t *body, size_t len, char *out, size_t cap)
{
	struct rd r = rd_init(body, len), data;
	struct addr a = {0};
	uint8_t type;
	size_t n;

	if (cap == 0 || !rd_u8(&r, &type) || !rd_skip(&r, 3) || !rd_bytes(&r, rd_left(&r), &data))
		return false;
	switch (type) {
	case IKEV1_ID_IPV4_ADDR:
	case IKEV1_ID_IPV6_ADDR:
		a.family = type == IKEV1_ID_IPV4_ADDR ? AF_INET : AF_INET6;
		if (rd_left(&data) != addr_len(&a) || !rd_copy(&data, a.bytes, addr_len(&a)))
			return false;
		return addr_ntop(&a, out, cap) != NULL;
	case IKEV1_ID_FQDN:
	case IKEV1_ID_USER_FQDN:
	case IKEV1_ID_KEY_ID:
		n = 0;
		for (uint8_t c; n + 1 < cap && rd_u8(&data, &c); n++)
			out[n] = c >= 0x20 && c < 0x7f ? (char)c : '?';
		out[n] = '\0';
		return n > 0;
	default:
		return false;
	}
}
