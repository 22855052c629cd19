/*
 * libFuzzer harness for esp_frag (dataplane/frag.h): an inner packet as read from the
 * TUN device (the first byte picks the piece size) is fragmented, and answered with an
 * ICMP error. Every fragment must parse as IPv4, fit the size and carry the packet's
 * bytes in order.
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "dataplane/frag.h"
#include "dataplane/ip.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct pkt out;
static uint8_t icmp[1400];

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct frag_ip4 it;
	size_t max, done = 0;

	if (size < 1)
		return 0;
	max = FRAG_IP4_MIN + (size_t)data[0] * 4;
	data++;
	size--;
	frag_too_big(data, size, max, icmp, sizeof(icmp));
	if (frag_ip4_begin(&it, data, size, max) != 0)
		return 0;
	while (frag_ip4_next(&it, &out)) {
		struct ip_info ii;
		size_t hl = (size_t)(out.data[0] & 0x0f) * 4;

		assert(out.len <= max);
		assert(ip_parse(out.data, out.len, &ii) == 0);
		assert(memcmp(out.data + hl, data + it.hl + done, out.len - hl) == 0);
		done += out.len - hl;
	}
	assert(it.hl + done == it.total);
	return 0;
}
