/*
 * The setkey language parser, its admin encoding, the dump printers and
 * coatictl's verb tree. Inputs come from the ipsec-tools setkey(8) man page
 * and common configurations; every bad input names its exact position.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "admin/proto.h"
#include "ipsec/codec.h"
#include "tools/ctl_grammar.h"
#include "tools/setkey_msg.h"
#include "tools/setkey_parse.h"
#include "tools/setkey_print.h"

#define PRIO_DEF 0x80000000u

static struct setkey_script
parse_ok(const char *text)
{
	struct setkey_script s = {0};
	struct setkey_diag d;
	int r = setkey_parse(text, strlen(text), &s, &d);

	if (r != 0)
		fail_msg("unexpected error %u:%u: %s", d.error.line, d.error.col, d.error.msg);
	assert_false(d.failed);
	return s;
}

static void
parse_err(const char *text, unsigned line, unsigned col, const char *msg)
{
	struct setkey_script s = {0};
	struct setkey_diag d;
	int r = setkey_parse(text, strlen(text), &s, &d);

	assert_int_equal(r, -EINVAL);
	assert_true(d.failed);
	if (d.error.line != line || d.error.col != col || !strstr(d.error.msg, msg))
		fail_msg("got %u:%u: %s; want %u:%u: ...%s...", d.error.line, d.error.col,
		         d.error.msg, line, col, msg);
	/* nothing is returned from a script with an error anywhere */
	assert_int_equal(s.n, 0);
	assert_null(s.cmds);
}

static void
test_manpage_examples(void **state)
{
	struct setkey_script s =
	    parse_ok("add 3ffe:501:4819::1 3ffe:501:481d::1 esp 123457\n"
	             "\t-E 3des-cbc 0x3ffe05014819ffff3ffe05014819ffff3ffe05014819ffff ;\n"
	             "add 10.0.11.41 10.0.11.33 esp 0x10001\n"
	             "\t-E rijndael-cbc 0x3ffe05014819ffff3ffe05014819ffff\n"
	             "\t-A hmac-md5 \"authentication!!\" ;\n"
	             "get 3ffe:501:4819::1 3ffe:501:481d::1 ah 123456 ;\n"
	             "flush ;\n"
	             "dump esp ;\n"
	             "spdadd 10.0.11.41/32[21] 10.0.11.33/32[any] any\n"
	             "\t-P out ipsec esp/tunnel/192.168.0.1-192.168.1.2/require ;\n");
	const struct setkey_cmd *c = s.cmds;

	(void)state;
	assert_int_equal(s.n, 6);
	assert_int_equal(c[0].op, SETKEY_ADD);
	assert_int_equal(c[0].sa.src.family, AF_INET6);
	assert_int_equal(c[0].sa.proto, IPSEC_PROTO_ESP);
	assert_int_equal(c[0].sa.spi, 123457);
	assert_int_equal(c[0].sa.mode, IPSEC_MODE_ANY);
	assert_int_equal(c[0].sa.enc, IPSEC_ENC_3DES_CBC);
	assert_int_equal(c[0].sa.enc_key.len, 24);
	assert_int_equal(c[0].sa.enc_key.bytes[0], 0x3f);
	assert_int_equal(c[0].sa.auth, IPSEC_AUTH_NONE);
	assert_int_equal(c[0].sa.origin, IPSEC_ORIGIN_MANUAL);
	assert_int_equal(c[1].sa.enc, IPSEC_ENC_AES_CBC);
	assert_int_equal(c[1].sa.auth, IPSEC_AUTH_HMAC_MD5_96);
	assert_memory_equal(c[1].sa.auth_key.bytes, "authentication!!", 16);
	assert_int_equal(c[1].line, 3);
	assert_int_equal(c[2].op, SETKEY_GET);
	assert_int_equal(c[2].sa.proto, IPSEC_PROTO_AH);
	assert_int_equal(c[2].sa.spi, 123456);
	assert_int_equal(c[3].op, SETKEY_FLUSH);
	assert_int_equal(c[3].sa.proto, 0);
	assert_int_equal(c[4].op, SETKEY_DUMP);
	assert_int_equal(c[4].sa.proto, IPSEC_PROTO_ESP);
	assert_int_equal(c[5].op, SETKEY_SPDADD);
	assert_int_equal(c[5].pol.sel.sport, 21);
	assert_int_equal(c[5].pol.sel.dport, 0);
	assert_int_equal(c[5].pol.sel.proto, IPSEC_ULP_ANY);
	assert_int_equal(c[5].pol.dir, IPSEC_DIR_OUT);
	assert_int_equal(c[5].pol.action, IPSEC_ACTION_IPSEC);
	assert_int_equal(c[5].pol.priority, PRIO_DEF);
	assert_int_equal(c[5].pol.nreq, 1);
	assert_int_equal(c[5].pol.req[0].mode, IPSEC_MODE_TUNNEL);
	assert_int_equal(c[5].pol.req[0].level, IPSEC_LEVEL_REQUIRE);
	setkey_script_free(&s);
}

/* A two-host wireless link: AH+ESP transport bundle and a tunnel behind it. */
static void
test_wireless_config(void **state)
{
	struct setkey_script s = parse_ok(
	    "#!/usr/sbin/setkey -f\n"
	    "flush; spdflush;\n"
	    "# AH\n"
	    "add 192.168.0.1 192.168.0.2 ah 0x200 -A hmac-sha1\n"
	    "    0xc0291ff014dccdd03874d9e8e4cdf3e6a92bc8e2;\n"
	    "add 192.168.0.2 192.168.0.1 ah 0x300 -A hmac-sha256\n"
	    "    0x96358c90783bbfa3d7b196ceabe0536b96358c90783bbfa3d7b196ceabe0536b;\n"
	    "# ESP\n"
	    "add 192.168.0.1 192.168.0.2 esp 0x201 -m transport -E aes-cbc\n"
	    "    0x7aeaca3f87d060a12f4a4487d5a5c335;\n"
	    "add 192.168.0.1 192.168.0.2 esp 0x202 -m tunnel -r 4096 -u 7 -E aes-cbc\n"
	    "    0xf6ddb555acfd9d77b03ea3843f2653255afe8eb5573965df -A hmac-sha1\n"
	    "    0xc0291ff014dccdd03874d9e8e4cdf3e6a92bc8e2 ;\n"
	    "spdadd 192.168.0.1 192.168.0.2 any -P out ipsec\n"
	    "    esp/transport//require\n"
	    "    ah/transport//require;\n"
	    "spdadd 10.0.0.0/24 10.1.0.0/24 any -P out ipsec\n"
	    "    esp/tunnel/192.168.0.1-192.168.0.2/unique:7;\n"
	    "spdadd 10.1.0.0/24 10.0.0.0/24 any -P in ipsec "
	    "esp/tunnel/192.168.0.2-192.168.0.1/use;\n"
	    "spdadd 10.1.0.0/24 10.0.0.0/24 any -P fwd ipsec esp/tunnel/192.168.0.2-192.168.0.1/"
	    "default;\n");
	const struct setkey_cmd *c = s.cmds;

	(void)state;
	assert_int_equal(s.n, 10);
	assert_int_equal(c[0].op, SETKEY_FLUSH);
	assert_int_equal(c[1].op, SETKEY_SPDFLUSH);
	assert_int_equal(c[2].sa.auth, IPSEC_AUTH_HMAC_SHA1_96);
	assert_int_equal(c[2].sa.auth_key.len, 20);
	assert_int_equal(c[3].sa.auth, IPSEC_AUTH_HMAC_SHA256_128);
	assert_int_equal(c[4].sa.mode, IPSEC_MODE_TRANSPORT);
	assert_int_equal(c[4].sa.enc_key.len, 16);
	assert_int_equal(c[5].sa.mode, IPSEC_MODE_TUNNEL);
	assert_int_equal(c[5].sa.replay, 4096);
	assert_int_equal(c[5].sa.reqid, 7);
	assert_int_equal(c[5].sa.enc_key.len, 24);
	assert_int_equal(c[6].pol.nreq, 2);
	assert_int_equal(c[6].pol.req[0].proto, IPSEC_PROTO_ESP);
	assert_int_equal(c[6].pol.req[1].proto, IPSEC_PROTO_AH);
	assert_int_equal(c[6].pol.req[1].mode, IPSEC_MODE_TRANSPORT);
	assert_int_equal(c[6].pol.req[0].src.family, 0);
	assert_int_equal(c[6].pol.sel.src.len, 32);
	assert_int_equal(c[7].pol.sel.src.len, 24);
	assert_int_equal(c[7].pol.req[0].level, IPSEC_LEVEL_UNIQUE);
	assert_int_equal(c[7].pol.req[0].reqid, 7);
	assert_int_equal(c[7].pol.req[0].src.family, AF_INET);
	assert_int_equal(c[8].pol.dir, IPSEC_DIR_IN);
	assert_int_equal(c[8].pol.req[0].level, IPSEC_LEVEL_USE);
	assert_int_equal(c[9].pol.dir, IPSEC_DIR_FWD);
	assert_int_equal(c[9].pol.req[0].level, IPSEC_LEVEL_DEFAULT);
	setkey_script_free(&s);
}

static void
test_v6_icmp_ipcomp(void **state)
{
	struct setkey_script s =
	    parse_ok("spdadd ::/0 ::/0 icmp6 135,0 -P in none ;\n"
	             "spdadd -6 2001:db8::/64[any] 2001:db8:1::/64[443] tcp -P out discard;\n"
	             "add 2001:db8::1 2001:db8::2 ipcomp 0x4000 -C deflate -R ;\n"
	             "spdadd 2001:db8::/64 2001:db8:1::/64 any -P out ipsec\n"
	             "  ipcomp/tunnel/2001:db8::1-2001:db8::2/use "
	             "esp/tunnel/2001:db8::1-2001:db8::2/require;\n"
	             "spdadd 10.0.0.1 10.0.0.2 icmp 8 -P out none;\n");
	const struct setkey_cmd *c = s.cmds;

	(void)state;
	assert_int_equal(s.n, 5);
	assert_int_equal(c[0].pol.sel.proto, 58);
	assert_int_equal(c[0].pol.sel.sport, 135);
	assert_int_equal(c[0].pol.sel.dport, 0);
	assert_int_equal(c[0].pol.sel.src.len, 0);
	assert_int_equal(c[0].pol.action, IPSEC_ACTION_NONE);
	assert_int_equal(c[1].pol.sel.proto, 6);
	assert_int_equal(c[1].pol.sel.dport, 443);
	assert_int_equal(c[1].pol.action, IPSEC_ACTION_DISCARD);
	assert_int_equal(c[2].sa.proto, IPSEC_PROTO_IPCOMP);
	assert_int_equal(c[2].sa.comp, IPSEC_COMP_DEFLATE);
	assert_int_equal(c[2].sa.spi, 0x4000);
	assert_int_equal(c[3].pol.nreq, 2);
	assert_int_equal(c[3].pol.req[0].proto, IPSEC_PROTO_IPCOMP);
	assert_int_equal(c[3].pol.req[0].src.family, AF_INET6);
	assert_int_equal(c[4].pol.sel.proto, 1);
	assert_int_equal(c[4].pol.sel.sport, 8);
	setkey_script_free(&s);
}

static void
test_extensions(void **state)
{
	struct setkey_script s = parse_ok(
	    "add 10.0.0.1[4501] 10.0.0.2 esp-udp 0x2000 -esn -E aes-gcm-16\n"
	    "  0x00112233445566778899aabbccddeeff01020304 ;\n"
	    "update 10.0.0.1 10.0.0.2 esp 0x3000 -f random-pad -f nocyclic-seq -lh 3600 -ls 3000\n"
	    "  -bh 1000000 -bs 900000 -E null -A hmac-sha512 \"0123456789012345678901234567890"
	    "123456789012345678901234567890123\";\n"
	    "add 10.0.0.1 10.0.0.2 esp 0x3001 -E chacha20-poly1305\n"
	    "  0x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20212223;\n"
	    "spdadd 10.0.0.0/8 10.0.0.0/8 any -P out prio 10 none;\n"
	    "spdadd 10.0.0.0/8 10.0.0.0/8 any -P out priority -10 none;\n"
	    "spdadd 10.0.0.0/8 10.0.0.0/8 any -P out prio high + 5 none;\n"
	    "spdadd 10.0.0.0/8 10.0.0.0/8 any -P out prio low none;\n"
	    "spddelete 10.0.0.0/8 10.0.0.0/8 any -P out; exit; this is not parsed");
	const struct setkey_cmd *c = s.cmds;
	struct setkey_diag d;
	struct setkey_script s2 = {0};
	static const char pad[] = "add 10.0.0.1 10.0.0.2 esp 0x3000 -f zero-pad -E null -A null;";

	(void)state;
	assert_int_equal(s.n, 8);
	assert_int_equal(c[0].sa.proto, IPSEC_PROTO_ESP);
	assert_true(c[0].sa.esn);
	assert_int_equal(c[0].sa.encap_sport, 4501);
	assert_int_equal(c[0].sa.encap_dport, 4500);
	assert_int_equal(c[0].sa.enc, IPSEC_ENC_AES_GCM16);
	assert_int_equal(c[0].sa.enc_key.len, 20);
	assert_int_equal(c[1].op, SETKEY_UPDATE);
	assert_int_equal(c[1].sa.hard.add_seconds, 3600);
	assert_int_equal(c[1].sa.soft.add_seconds, 3000);
	assert_int_equal(c[1].sa.hard.bytes, 1000000);
	assert_int_equal(c[1].sa.soft.bytes, 900000);
	assert_int_equal(c[1].sa.enc, IPSEC_ENC_NULL);
	assert_int_equal(c[1].sa.enc_key.len, 0);
	assert_int_equal(c[1].sa.auth_key.len, 64);
	assert_int_equal(c[1].sa.encap_sport, 0);
	assert_int_equal(c[2].sa.enc, IPSEC_ENC_CHACHA20_POLY1305);
	assert_int_equal(c[3].pol.priority, PRIO_DEF - 10);
	assert_int_equal(c[4].pol.priority, PRIO_DEF + 10);
	assert_int_equal(c[5].pol.priority, 0x40000000u - 5);
	assert_int_equal(c[6].pol.priority, 0xC0000000u);
	assert_int_equal(c[7].op, SETKEY_SPDDELETE);
	assert_int_equal(c[7].pol.dir, IPSEC_DIR_OUT);
	setkey_script_free(&s);

	/* ignored padding options are accepted with a warning, not silently */
	assert_int_equal(setkey_parse(pad, strlen(pad), &s2, &d), 0);
	assert_int_equal(d.nwarn, 1);
	assert_int_equal(d.warn[0].col, 37);
	assert_non_null(strstr(d.warn[0].msg, "ignored"));
	setkey_script_free(&s2);
}

static void
test_layout(void **state)
{
	/* several statements per line, one spread over lines, comments anywhere */
	struct setkey_script s = parse_ok("flush;spdflush ; # comment ; add\n"
	                                  "\n  dump\n  # in between\n  ah\n ;spddump;");

	(void)state;
	assert_int_equal(s.n, 4);
	assert_int_equal(s.cmds[2].op, SETKEY_DUMP);
	assert_int_equal(s.cmds[2].sa.proto, IPSEC_PROTO_AH);
	assert_int_equal(s.cmds[2].line, 3);
	assert_true(setkey_op_is_query(s.cmds[3].op));
	assert_false(setkey_op_is_query(s.cmds[0].op));
	setkey_script_free(&s);
	s = parse_ok("");
	assert_int_equal(s.n, 0);
	setkey_script_free(&s);
}

#define ADD "add 10.0.0.1 10.0.0.2 esp 0x1000\n"

static void
test_errors_sa(void **state)
{
	(void)state;
	parse_err(ADD "  -E aes-cbc\n  0x0102030405060708090a0b0c0d0e0f1011121314 ;", 3, 3,
	          "aes-cbc needs a key of 16, 24 or 32 bytes, got 20");
	parse_err(ADD "  -E blowfish-cbc 0x00;", 2, 6,
	          "unknown encryption algorithm 'blowfish-cbc'");
	parse_err(ADD "  -E aes-cbc 0x00112233445566778899aabbccddeeff -A hmac-sha3 0x00;", 2, 52,
	          "unknown authentication algorithm 'hmac-sha3'");
	parse_err(ADD "  -E aes-gcm-16 0x00112233445566778899aabbccddeeff01020304\n"
	              "  -A hmac-sha1 0xc0291ff014dccdd03874d9e8e4cdf3e6a92bc8e2;",
	          3, 3, "aes-gcm-16 is an AEAD cipher: give it with -E alone");
	parse_err(ADD "  -E aes-cbc 0x00112233445566778899aabbccddeeff", 2, 48,
	          "expected an option or ';', got end of input");
	parse_err("flush\nspdflush;", 2, 1, "expected ';', got 'spdflush' (missing ';'?)");
	parse_err("add 10.0.0.256 10.0.0.2 esp 0x1000 -E null;", 1, 5,
	          "expected a numeric IPv4 or IPv6 address, got '10.0.0.256'");
	parse_err("add gw.example.com 10.0.0.2 esp 0x1000 -E null;", 1, 5,
	          "host names are not resolved");
	parse_err("add 10.0.0.1 ::1 esp 0x1000 -E null;", 1, 14, "address families differ");
	parse_err("add -6 10.0.0.1 10.0.0.2 esp 0x1000 -E null;", 1, 8, "is not an IPv6 address");
	parse_err(ADD "  -E aes-cbc \"0123456789abcdef;\n", 2, 14, "unterminated string");
	parse_err("add 10.0.0.1 10.0.0.2 esp-old 0x1000 -E null;", 1, 23, "not supported, use esp");
	parse_err("add 10.0.0.1 10.0.0.2 tcp 0x1000 -A tcp-md5 \"secret\";", 1, 23,
	          "TCP-MD5 signatures, RFC 2385) is not supported");
	parse_err("add 10.0.0.1 10.0.0.2 esp 255 -E null;", 1, 27, "SPI 255 is reserved");
	parse_err(ADD "  -r 5000 -E null;", 2, 6, "-r 5000 exceeds the maximum of 4096");
	parse_err(ADD "  -m beet -E null;", 2, 6, "expected a mode (transport, tunnel or any)");
	parse_err(ADD "  -A hmac-sha1 0xc0291ff014dccdd03874d9e8e4cdf3e6a92bc8e2;", 1, 23,
	          "esp needs -E");
	parse_err("add 10.0.0.1 10.0.0.2 ah 0x1000 -E null -A null;", 1, 33, "ah takes only -A");
	parse_err("add 10.0.0.1 10.0.0.2 ipcomp 0x10000 -C deflate;", 1, 30,
	          "IPComp CPI must be 1 to 65535");
	parse_err(ADD "  -E null -A null -lh 10 -ls 20;", 2, 26,
	          "soft lifetime (-ls) exceeds hard");
	parse_err(ADD "  -E null -E null;", 2, 11, "-E given twice");
	parse_err(ADD "  -E null;", 2, 3, "-E null needs -A");
	parse_err(ADD "  -E aes-cbc 0x0011223;", 2, 14, "bad hex key");
	parse_err(ADD "  -ctx 1 1 \"x\";", 2, 3, "-ctx (security labels) is not supported");
	parse_err("add 10.0.0.1 10.0.0.2 esp-udp 10.0.0.9 0x1000 -E null;", 1, 31, "NAT-OA");
	parse_err("getspi 10.0.0.1 10.0.0.2 esp 0x1000;", 1, 1, "getspi is not supported");
	parse_err("frobnicate;", 1, 1, "expected a command");
	parse_err("dump esp spddump;", 1, 10, "expected ';', got 'spddump'");
	parse_err("add 10.0.0.1 10.0.0.2 esp 0x1000 -E null -A null;\x01", 1, 50,
	          "expected a command");
}

static void
test_errors_spd(void **state)
{
	(void)state;
	parse_err("spdadd 10.0.0.1[80] 10.0.0.2 icmp -P out none;", 1, 30,
	          "a port was given but upper-layer protocol 'icmp' has no ports");
	parse_err("spdadd 10.0.0.0/24 10.1.0.0/24 any -P out ipsec\n"
	          "  esp/transport//require ah/transport//require ipcomp/transport//use\n"
	          "  esp/transport//require;",
	          3, 3, "too many requests in the bundle (at most 3)");
	parse_err("spdadd 10.0.0.0/24 10.1.0.0/24 any -P in default;", 1, 42,
	          "expected an action (discard, none or ipsec), got 'default'");
	parse_err("spdadd 10.0.0.0/24 10.1.0.0/24 any -P out ipsec esp/tunnel//require;", 1, 49,
	          "tunnel mode needs endpoints");
	parse_err("spdadd 10.0.0.0/24 10.1.0.0/24 any -P out ipsec;", 1, 48,
	          "expected a request protocol/mode/src-dst/level after ipsec");
	parse_err("spdadd 10.0.0.0/24 10.1.0.0/24 any -P out none esp/transport//require;", 1, 48,
	          "expected ';'");
	parse_err("spdadd 10.0.0.0/24 10.1.0.0/24 any -P up none;", 1, 39,
	          "expected a direction (in, out or fwd)");
	parse_err("spdadd 10.0.0.0/24 10.1.0.0/24 any -P out ipsec esp/transport//always;", 1, 49,
	          "expected a level");
	parse_err("spdadd 10.0.0.0/24 10.1.0.0/24 any -P out ipsec esp/transport//unique:99999;", 1,
	          49, "expected a level");
	parse_err("spdadd 10.0.0.0/24 10.1.0.0/24 any -P out ipsec esp/beet//require;", 1, 49,
	          "expected transport or tunnel");
	parse_err("spdadd 10.0.0.0/24 10.1.0.0/24 any -P out ipsec "
	          "esp/tunnel/10.0.0.1-::1/require;",
	          1, 49, "different address families");
	parse_err("spdadd 10.0.0.0/33 10.1.0.0/24 any -P out none;", 1, 8,
	          "expected a numeric address or prefix");
	parse_err("spdadd 10.0.0.0/24 ::/0 any -P out none;", 1, 20, "address families differ");
	parse_err("spdadd 10.0.0.0/24 10.1.0.0/24 bogus -P out none;", 1, 32,
	          "expected an upper-layer protocol");
	parse_err("spdadd 10.0.0.0/24 10.1.0.0/24 gre 1234 -P out none;", 1, 36,
	          "only icmp and icmp6 take a type,code");
	parse_err("spdadd 10.0.0.0/24 10.1.0.0/24 any out none;", 1, 36, "expected -P");
	parse_err("spdadd 10.0.0.0/24 10.1.0.0/24 any -P out prio bogus none;", 1, 48,
	          "expected a priority");
	parse_err("spdadd 10.0.0.0/24 10.1.0.0/24 any -P out bypass;", 1, 43, "per-socket");
	parse_err("spdadd tagged \"x\" -P out none;", 1, 8, "tagged policies");
}

/* Every prefix and many byte mutations of a valid script parse or fail cleanly. */
static void
test_truncation_and_mutation(void **state)
{
	static const char text[] =
	    "add 10.0.0.1[4500] 10.0.0.2 esp-udp 0x2000 -m tunnel -E aes-cbc "
	    "0x00112233445566778899aabbccddeeff -A hmac-sha1 \"01234567890123456789\";\n"
	    "spdadd 10.0.0.0/24[any] 10.1.0.0/24 icmp 8,0 -P out prio def + 3 ipsec "
	    "esp/tunnel/10.0.0.1-10.0.0.2/unique:3 ah/transport//use;\n";
	size_t n = strlen(text);
	char *buf = malloc(n);
	struct setkey_script s = {0};
	struct setkey_diag d;

	(void)state;
	assert_non_null(buf);
	for (size_t len = 0; len <= n; len++) {
		memcpy(buf, text, len);
		if (setkey_parse(buf, len, &s, &d) == 0)
			setkey_script_free(&s);
		else
			assert_true(d.failed && s.n == 0);
	}
	for (size_t i = 0; i < n; i++) {
		static const char subst[] = {'\0', ';', '"', '#', ' ', '/',
		                             '-',  '[', ']', 'x', '9'};

		for (size_t k = 0; k < sizeof(subst); k++) {
			memcpy(buf, text, n);
			buf[i] = subst[k];
			if (setkey_parse(buf, n, &s, &d) == 0)
				setkey_script_free(&s);
			else
				assert_true(d.failed && s.n == 0);
		}
	}
	free(buf);
}

/* The batch body decodes back into the same SAs and policies. */
static void
test_batch_encoding(void **state)
{
	struct setkey_script s = parse_ok("add 10.0.0.1 10.0.0.2 esp 0x1001 -m tunnel -E aes-cbc "
	                                  "0x00112233445566778899aabbccddeeff;\n"
	                                  "spdadd 10.0.0.0/24 10.1.0.0/24 any -P out ipsec "
	                                  "esp/tunnel/10.0.0.1-10.0.0.2/require;\n"
	                                  "delete 10.0.0.1 10.0.0.2 esp 0x1001;\n");
	uint8_t buf[4096];
	struct wr w = wr_init(buf, sizeof(buf));
	struct rd r, body;
	struct ipsec_sa sa;
	struct ipsec_policy pol;
	struct addr dst;
	uint32_t n = 0, len = 0, spi = 0;
	uint8_t type = 0, proto = 0;

	(void)state;
	setkey_batch_encode(&w, s.cmds, s.n);
	assert_true(wr_ok(&w));
	r = rd_init(buf, w.len);
	assert_true(rd_be32(&r, &n));
	assert_int_equal(n, 3);
	assert_true(rd_u8(&r, &type) && rd_be32(&r, &len) && rd_sub(&r, len, &body));
	assert_int_equal(type, ADMIN_SA_ADD);
	assert_int_equal(ipsec_sa_decode(&body, &sa), 0);
	assert_true(rd_end(&body));
	assert_int_equal(sa.spi, 0x1001);
	assert_int_equal(sa.mode, IPSEC_MODE_TUNNEL);
	assert_memory_equal(sa.enc_key.bytes, s.cmds[0].sa.enc_key.bytes, 16);
	assert_true(rd_u8(&r, &type) && rd_be32(&r, &len) && rd_sub(&r, len, &body));
	assert_int_equal(type, ADMIN_SPD_ADD);
	assert_int_equal(ipsec_policy_decode(&body, &pol), 0);
	assert_int_equal(pol.nreq, 1);
	assert_int_equal(pol.sel.dst.len, 24);
	assert_true(rd_u8(&r, &type) && rd_be32(&r, &len) && rd_sub(&r, len, &body));
	assert_int_equal(type, ADMIN_SA_DELETE);
	assert_int_equal(addr_decode(&body, &dst), 0);
	assert_true(rd_u8(&body, &proto) && rd_be32(&body, &spi) && rd_end(&body));
	assert_int_equal(proto, IPSEC_PROTO_ESP);
	assert_int_equal(spi, 0x1001);
	assert_true(rd_end(&r));
	setkey_script_free(&s);
}

static char *
capture(void (*fn)(FILE *, const void *, time_t), const void *arg)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	assert_non_null(f);
	fn(f, arg, 1700000000);
	fclose(f);
	return out;
}

static void
print_sa(FILE *f, const void *i, time_t now)
{
	setkey_print_sa(f, i, now);
}

static void
print_pol(FILE *f, const void *i, time_t now)
{
	setkey_print_policy(f, i, now);
}

static void
json_sa(FILE *f, const void *i, time_t now)
{
	setkey_json_sa(f, i, now);
}

static void
json_pol(FILE *f, const void *i, time_t now)
{
	setkey_json_policy(f, i, now);
}

static void
test_print(void **state)
{
	struct setkey_script s =
	    parse_ok("add 192.0.2.1 192.0.2.2 esp 4097 -m tunnel -r 32 -E aes-cbc "
	             "0x00112233445566778899aabbccddeeff -A hmac-sha256 "
	             "0x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f;\n"
	             "spdadd 10.2.0.0/24 10.1.0.0/24 any -P out ipsec "
	             "esp/tunnel/192.0.2.1-192.0.2.2/require;\n"
	             "spdadd 10.2.0.1 10.1.0.0/24 icmp 8,0 -P in prio 10 discard;\n");
	struct admin_sa_info sa = {.sa = s.cmds[0].sa, .id = 5, .age = 10, .idle = UINT64_MAX};
	struct admin_spd_info pol = {.pol = s.cmds[1].pol, .id = 1, .hits = 42, .idle = 3};
	char *t;

	(void)state;
	sa.ctr.packets = 7;
	sa.ctr.auth_fail = 2;
	t = capture(print_sa, &sa);
	assert_non_null(strstr(t, "192.0.2.1 192.0.2.2 \n\tesp mode=tunnel spi=4097(0x00001001) "
	                          "reqid=0(0x00000000)\n"));
	assert_non_null(strstr(t, "\tE: aes-cbc  00112233 44556677 8899aabb ccddeeff\n"));
	assert_non_null(strstr(t, "\tA: hmac-sha256  00010203 04050607"));
	assert_non_null(strstr(t, "\tseq=0x00000000 replay=32 flags=0x00000000 state=mature \n"));
	assert_non_null(strstr(t, "\tdiff: 10(s)\thard: 0(s)\tsoft: 0(s)\n"));
	assert_non_null(strstr(t, "\tpackets: 7\tauth_fail: 2\t"));
	free(t);
	t = capture(json_sa, &sa);
	assert_non_null(strstr(t, "\"spi\":4097"));
	assert_non_null(strstr(t, "\"enc_key\":\"00112233445566778899aabbccddeeff\""));
	assert_non_null(strstr(t, "\"idle\":null"));
	assert_non_null(strstr(t, "\"auth_fail\":2"));
	free(t);
	t = capture(print_pol, &pol);
	assert_non_null(strstr(t, "10.2.0.0/24[any] 10.1.0.0/24[any] any\n\tout prio def ipsec\n"
	                          "\tesp/tunnel/192.0.2.1-192.0.2.2/require\n\tcreated: "));
	assert_non_null(strstr(t, "\tspid=1 seq=0 pid=0\n"));
	free(t);
	pol.pol = s.cmds[2].pol;
	t = capture(print_pol, &pol);
	assert_non_null(strstr(t, "10.2.0.1 10.1.0.0/24 icmp 8,0\n\tin prio def + 10 discard\n"));
	free(t);
	t = capture(json_pol, &pol);
	assert_non_null(strstr(t, "\"dir\":\"in\""));
	assert_non_null(strstr(t, "\"requests\":[]"));
	assert_non_null(strstr(t, "\"hits\":42"));
	free(t);
	setkey_script_free(&s);
}

static void
test_ctl_grammar(void **state)
{
	char *a1[] = {"show-sa", "esp"}, *a2[] = {"show-sa", "isakmp"}, *a3[] = {"vc", "-u", "x", "gw"};
	char *a4[] = {"delete-sa", "10.0.0.1", "10.0.0.2", "esp", "0x1000"};
	char *a5[] = {"delete-sa", "esp", "inet", "10.0.0.1/32/0", "10.0.0.2/32/0", "any"};
	char *a6[] = {"show-sa", "bogus"}, *a7[] = {"frob"}, *a8[] = {"flush-sa"};
	char *a9[] = {"establish-sa", "-w", "isakmp", "inet", "192.0.2.1", "192.0.2.2"};
	char *a10[] = {"delete-sa", "isakmp", "inet", "192.0.2.1", "192.0.2.2"};
	char *a11[] = {"flush-sa", "isakmp"}, *a12[] = {"vd", "192.0.2.2"}, *a13[] = {"vd"};
	struct ctl_cmd c;
	char err[256];

	(void)state;
	assert_int_equal(ctl_grammar_match(2, a1, &c, err, sizeof(err)), 0);
	assert_int_equal(c.verb, CTL_SHOW_SA);
	assert_int_equal(c.proto, IPSEC_PROTO_ESP);
	assert_int_equal(ctl_grammar_match(2, a2, &c, err, sizeof(err)), 0);
	assert_int_equal(c.verb, CTL_SHOW_ISAKMP);
	assert_int_equal(ctl_grammar_match(4, a3, &c, err, sizeof(err)), 0);
	assert_int_equal(c.verb, CTL_VPN_CONNECT);
	assert_int_equal(c.nargs, 3);
	{
		char *lu[] = {"logout-user", "x"};

		assert_int_equal(ctl_grammar_match(2, lu, &c, err, sizeof(err)), 0);
		assert_int_equal(c.verb, CTL_UNSUPPORTED);
		assert_non_null(strstr(c.missing, "Xauth"));
	}
	assert_int_equal(ctl_grammar_match(6, a9, &c, err, sizeof(err)), 0);
	assert_int_equal(c.verb, CTL_ESTABLISH);
	assert_int_equal(c.nargs, 5);
	assert_int_equal(ctl_grammar_match(5, a10, &c, err, sizeof(err)), 0);
	assert_int_equal(c.verb, CTL_DELETE_ISAKMP);
	assert_int_equal(c.nargs, 3);
	assert_int_equal(ctl_grammar_match(2, a11, &c, err, sizeof(err)), 0);
	assert_int_equal(c.verb, CTL_FLUSH_ISAKMP);
	assert_int_equal(ctl_grammar_match(2, a12, &c, err, sizeof(err)), 0);
	assert_int_equal(c.verb, CTL_VPN_DISCONNECT);
	assert_int_equal(ctl_grammar_match(1, a13, &c, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "usage: vd HOST"));
	assert_int_equal(ctl_grammar_match(5, a4, &c, err, sizeof(err)), 0);
	assert_int_equal(c.verb, CTL_DELETE_SA);
	assert_int_equal(c.nargs, 4);
	assert_int_equal(ctl_grammar_match(6, a5, &c, err, sizeof(err)), 0);
	assert_int_equal(c.verb, CTL_DELETE_SA_PAIR);
	assert_int_equal(c.proto, IPSEC_PROTO_ESP);
	assert_int_equal(c.nargs, 4);
	assert_int_equal(ctl_grammar_match(2, a6, &c, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "unexpected 'bogus', expected one of: esp, ah"));
	assert_int_equal(ctl_grammar_match(1, a7, &c, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "unknown command 'frob'"));
	assert_int_equal(ctl_grammar_match(1, a8, &c, err, sizeof(err)), 0);
	assert_int_equal(c.verb, CTL_FLUSH_SA);
	assert_int_equal(c.proto, 0);
	assert_int_equal(ctl_grammar_match(3, a4, &c, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "usage: delete-sa SRC DST"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_manpage_examples), cmocka_unit_test(test_wireless_config),
	    cmocka_unit_test(test_v6_icmp_ipcomp),   cmocka_unit_test(test_extensions),
	    cmocka_unit_test(test_layout),           cmocka_unit_test(test_errors_sa),
	    cmocka_unit_test(test_errors_spd),       cmocka_unit_test(test_truncation_and_mutation),
	    cmocka_unit_test(test_batch_encoding),   cmocka_unit_test(test_print),
	    cmocka_unit_test(test_ctl_grammar),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
