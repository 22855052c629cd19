/*
 * libFuzzer harness for IKEv1 fragment datagrams and their reassembly (ike/v1/frag.h).
 * The input is a series of records: one byte of control (bits 0-1 the peer, bit 2 a
 * clock step past the reassembly timeout), a 16-bit length, then that many bytes of
 * datagram. Every datagram goes through the fragment parser and the reassembly table;
 * a completed message is parsed as ISAKMP and must be within the limits.
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "ike/v1/frag.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ikev1_reasm_tab tab;
	struct ikev1_peer peers[4] = {0};
	struct rd r = rd_init(data, size);
	uint64_t now = 0;
	uint8_t ctl;
	uint16_t len;
	struct rd dg;

	for (int i = 0; i < 4; i++) {
		addr_parse(i & 1 ? "192.0.2.2" : "2001:db8::2", &peers[i].remote);
		peers[i].rport = i & 2 ? 4500 : 500;
	}
	while (rd_u8(&r, &ctl) && rd_be16(&r, &len) && rd_bytes(&r, len, &dg)) {
		struct ikev1_hdr h;
		struct ikev1_frag f;
		struct ikev1_msg m;
		uint8_t *msg = NULL;
		size_t msg_len = 0;

		if (ctl & 4)
			now += IKEV1_FRAG_TIMEOUT_MS;
		ikev1_frag_dgram_parse(dg.p, rd_left(&dg), &h, &f);
		if (ikev1_reasm_add(&tab, &peers[ctl & 3], dg.p, rd_left(&dg), now, &msg,
		                    &msg_len) == 1) {
			assert(msg_len <= IKEV1_FRAG_BYTES_MAX);
			ikev1_parse(msg, msg_len, &m);
			free(msg);
		}
		assert(ikev1_reasm_pending(&tab) <= IKEV1_FRAG_PENDING);
	}
	ikev1_reasm_clear(&tab);
	return 0;
}
