/*
 * libFuzzer harness for the Transaction exchange's attribute payload: the input is the
 * body of an ATTR payload (type, identifier, attributes), parsed as ikev1_cfg_parse does,
 * then as the mode config a client takes from a gateway (codec_modecfg.c), whose result
 * must stay within its limits; a parsed configuration is encoded back as a gateway's
 * REPLY and must parse again to the same address.
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ike/v1/ikev1.h"
#include "ike/v1/modecfg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ikev1_payload pl = {.type = IKEV1_PL_ATTR, .body = rd_init(data, size)};
	struct ikev1_hdr h = {.version = IKEV1_VERSION, .exchange = IKEV1_EXCH_TRANSACTION};
	static struct ikev1_modecfg mc, again;
	struct ikev1_cfg c, c2;
	struct ikev1_msg m;
	struct ikev1_out o;
	uint8_t buf[8192];
	int len;

	if (ikev1_cfg_parse(&pl, &c) < 0 || ikev1_modecfg_parse(&c.attrs, &mc) < 0)
		return 0;
	assert(mc.n_dns4 <= IKEV1_MODECFG_DNS_MAX && mc.n_wins4 <= IKEV1_MODECFG_WINS_MAX);
	assert(mc.n_split_net <= IKEV1_MODECFG_SPLIT_MAX);
	assert(strlen(mc.banner) < sizeof(mc.banner));
	ikev1_out_init(&o, buf, sizeof(buf), &h);
	ikev1_out_cfg_begin(&o, IKEV1_CFG_REPLY, c.identifier);
	ikev1_modecfg_out(&o, IKEV1_CFG_INTERNAL_IP4_ADDRESS, &mc);
	ikev1_modecfg_out(&o, IKEV1_CFG_UNITY_BANNER, &mc);
	ikev1_modecfg_out(&o, IKEV1_CFG_UNITY_SPLIT_INCLUDE, &mc);
	ikev1_modecfg_out(&o, IKEV1_CFG_UNITY_LOCAL_LAN, &mc);
	ikev1_out_end(&o);
	len = ikev1_out_finish(&o);
	assert(len > 0);
	assert(ikev1_parse(buf, (size_t)len, &m) == 0);
	assert(ikev1_cfg_parse(ikev1_msg_find(&m, IKEV1_PL_ATTR, 0), &c2) == 0);
	assert(ikev1_modecfg_parse(&c2.attrs, &again) == 0);
	assert(addr_eq(&again.addr4, &mc.addr4) || mc.addr4.family == 0);
	assert(strcmp(again.banner, mc.banner) == 0);
	return 0;
}
