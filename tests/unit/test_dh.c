/*
 * src/crypto/dh: ECDH against RFC 5903 section 8 (the IKE encodings: x || y
 * public values, x-coordinate secrets), a MODP known answer and round trips,
 * and rejection of invalid public values.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "crypto/dh.h"
#include "lib/hex.h"

static size_t
unhex(const char *s, uint8_t *out, size_t cap)
{
	int n = hex_decode(s, strlen(s), out, cap);

	assert_true(n >= 0);
	return (size_t)n;
}

/* RFC 5903 8.1-8.3: i, g^i = gix || giy, r, g^r = grx || gry, girx. */
static const struct {
	enum dh_group group;
	const char *i, *gi, *r, *gr, *gir;
} ecp_cases[] = {
    {DH_ECP_256, "C88F01F510D9AC3F70A292DAA2316DE544E9AAB8AFE84049C62A9C57862D1433",
     "DAD0B65394221CF9B051E1FECA5787D098DFE637FC90B9EF945D0C3772581180"
     "5271A0461CDB8252D61F1C456FA3E59AB1F45B33ACCF5F58389E0577B8990BB3",
     "C6EF9C5D78AE012A011164ACB397CE2088685D8F06BF9BE0B283AB46476BEE53",
     "D12DFB5289C8D4F81208B70270398C342296970A0BCCB74C736FC7554494BF63"
     "56FBF3CA366CC23E8157854C13C58D6AAC23F046ADA30F8353E74F33039872AB",
     "D6840F6B42F6EDAFD13116E0E12565202FEF8E9ECE7DCE03812464D04B9442DE"},
    {DH_ECP_384,
     "099F3C7034D4A2C699884D73A375A67F7624EF7C6B3C0F160647B67414DCE655"
     "E35B538041E649EE3FAEF896783AB194",
     "667842D7D180AC2CDE6F74F37551F55755C7645C20EF73E31634FE72B4C55EE6"
     "DE3AC808ACB4BDB4C88732AEE95F41AA"
     "9482ED1FC0EEB9CAFC4984625CCFC23F65032149E0E144ADA024181535A0F38E"
     "EB9FCFF3C2C947DAE69B4C634573A81C",
     "41CB0779B4BDB85D47846725FBEC3C9430FAB46CC8DC5060855CC9BDA0AA2942"
     "E0308312916B8ED2960E4BD55A7448FC",
     "E558DBEF53EECDE3D3FCCFC1AEA08A89A987475D12FD950D83CFA41732BC509D"
     "0D1AC43A0336DEF96FDA41D0774A3571"
     "DCFBEC7AACF3196472169E838430367F66EEBE3C6E70C416DD5F0C68759DD1FF"
     "F83FA40142209DFF5EAAD96DB9E6386C",
     "11187331C279962D93D604243FD592CB9D0A926F422E47187521287E7156C5C4"
     "D603135569B9E9D09CF5D4A270F59746"},
    {DH_ECP_521,
     "0037ADE9319A89F4DABDB3EF411AACCCA5123C61ACAB57B5393DCE47608172A0"
     "95AA85A30FE1C2952C6771D937BA9777F5957B2639BAB072462F68C27A57382D4A52",
     "0015417E84DBF28C0AD3C278713349DC7DF153C897A1891BD98BAB4357C9ECBE"
     "E1E3BF42E00B8E380AEAE57C2D107564941885942AF5A7F4601723C4195D176CED3E"
     "017CAE20B6641D2EEB695786D8C946146239D099E18E1D5A514C739D7CB4A10A"
     "D8A788015AC405D7799DC75E7B7D5B6CF2261A6A7F1507438BF01BEB6CA3926F9582",
     "0145BA99A847AF43793FDD0E872E7CDFA16BE30FDC780F97BCCC3F078380201E"
     "9C677D600B343757A3BDBF2A3163E4C2F869CCA7458AA4A4EFFC311F5CB151685EB9",
     "00D0B3975AC4B799F5BEA16D5E13E9AF971D5E9B984C9F39728B5E5739735A21"
     "9B97C356436ADC6E95BB0352F6BE64A6C2912D4EF2D0433CED2B6171640012D9460F"
     "015C68226383956E3BD066E797B623C27CE0EAC2F551A10C2C724D9852077B87"
     "220B6536C5C408A1D2AEBB8E86D678AE49CB57091F4732296579AB44FCD17F0FC56A",
     "01144C7D79AE6956BC8EDB8E7C787C4521CB086FA64407F97894E5E6B2D79B04"
     "D1427E73CA4BAA240A34786859810C06B3C715A3A8CC3151F2BEE417996D19F3DDEA"},
};

/*
 * MODP group 14 with fixed private values a, b (SHA-256 of "coati dh test a"
 * / "... b"); g^a, g^b and g^ab computed with Python's pow() over the
 * RFC 3526 section 3 prime, independently of OpenSSL.
 */
#define MODP_A "24a0cf64210be2a0804be4ca3ecc4d0bb59be0f742dfb48ec5c714b991432a54"
#define MODP_B "37d878af502a7534099edd0945490b93b89bedaeab3330e0fc83d3cb96504f22"
#define MODP_GA                                                                                    \
	"b1a9cb32cdae086650c45ae7bb9e2e9c5553eafa28e893d26365c44cb1ba4b25"                         \
	"80a07c6ddaec2c2e55bc3eee00ff16c3741831fe495569c7e9d9eb6ef8ec8fb7"                         \
	"e8568e73e8d0c42a3c2c2192c20d7f31c6b561adc79588e06553c9ee3586c898"                         \
	"6e4e9763bf015121236cc31901098f4acf33defc090e12a0d6aa33ea65d29336"                         \
	"dd76bb2699b42617720ccb7d188e98a9dbc52299716cbb448b1ee41a5479805d"                         \
	"399b640a16727dfc2cfe24284dad7ae1050131536a66b3f058f5da6f5b7e0a34"                         \
	"fce6da09e2eac342590b9af1d7298bd63e955a650b1abff216de20090848d076"                         \
	"62bdb6be2679d160dc2fa9a2a4dedbcd56385ba7d667a24f40daed01d2953761"
#define MODP_GB                                                                                    \
	"60c97985bcb005f923af7932dd11e2c5a27d129810d7bbc4e27f33e95ee28432"                         \
	"687a1d59ef8d2ab87474c93c59c8a09ae47498bb5363b5634864fe4304a183c7"                         \
	"cb55dc33a797c4745fed29ca7855d895e044c883296e32b837c8d4c62d29e1f1"                         \
	"6b4d69ac49395463d64e8deb333eb1c94395cdb0ad14151e7be7963269224e69"                         \
	"99df855b88b6acaeb8e58cd0fcf0c487e0ee538ff9fc668ef365367ee7cb4d93"                         \
	"0853a37d6c7be43ad81b0338a583a7d42cf7ecba08ebbc9f7e73b74227e4bfe9"                         \
	"340e72f98ca1cd6dc4c568d759adfd445f175fb89ae09c1b4f6a35a6653d9994"                         \
	"60b3096b9a2161e67be52e4247bc75a95705666468cc07ef2f913c36dcbcf480"
#define MODP_GAB                                                                                   \
	"426ec78a764c2f71fdbd96ba12ec4d88a6c2e9bc1d6d5d43f10dd43a81d3628e"                         \
	"1d9deae2a3885eeaa437d31c2c0d5ba6ede7592dcdf4a8e1a593589936ea037c"                         \
	"bb28cf77ee3b49b4783397c44f80313002338d76a93eaf19ef1967d2d5444d20"                         \
	"9f1ac04027af6d973457f91e3803449245763be204670273873974e378c54748"                         \
	"d86e3901d3c2d9083355e32a26dd5aca8c5c71586b29d6ae89d5f40ab3ed96c9"                         \
	"cd20d8001b013f752f24510304be49f00da1d03a9ecf16ad52670b0c489ac17f"                         \
	"e52ac5e6c91c461b4b2be6ce02e98d7e69edddd58555e1aa61f3857d37c68511"                         \
	"9761868dc36011c6ee2894982999e6d915db886d9b607e702ab9fbdfd0a12feb"

/* Our key from priv must publish pub, and agree on secret with peer_pub. */
static void
check_kat(enum dh_group group, const char *priv_hex, const char *pub_hex, const char *peer_pub_hex,
          const char *secret_hex)
{
	uint8_t priv[DH_SECRET_MAX], pub[DH_PUBLIC_MAX], peer[DH_PUBLIC_MAX];
	uint8_t want[DH_SECRET_MAX], got[DH_PUBLIC_MAX];
	size_t priv_len, pub_len, sec_len;
	struct dh *dh;

	priv_len = unhex(priv_hex, priv, sizeof(priv));
	pub_len = unhex(pub_hex, pub, sizeof(pub));
	assert_int_equal(unhex(peer_pub_hex, peer, sizeof(peer)), pub_len);
	sec_len = unhex(secret_hex, want, sizeof(want));
	assert_int_equal(pub_len, dh_public_len(group));
	assert_int_equal(sec_len, dh_secret_len(group));
	assert_int_equal(dh_new_with_private(group, priv, priv_len, &dh), 0);
	assert_int_equal(dh_get_group(dh), group);
	assert_int_equal(dh_public(dh, got, pub_len), 0);
	assert_memory_equal(got, pub, pub_len);
	assert_int_equal(dh_derive(dh, peer, pub_len, got, sec_len), 0);
	assert_memory_equal(got, want, sec_len);
	dh_free(dh);
}

static void
test_ecp_rfc5903(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ecp_cases) / sizeof(ecp_cases[0]); i++) {
		check_kat(ecp_cases[i].group, ecp_cases[i].i, ecp_cases[i].gi, ecp_cases[i].gr,
		          ecp_cases[i].gir);
		check_kat(ecp_cases[i].group, ecp_cases[i].r, ecp_cases[i].gr, ecp_cases[i].gi,
		          ecp_cases[i].gir);
	}
}

static void
test_modp_kat(void **state)
{
	(void)state;
	check_kat(DH_MODP_2048, MODP_A, MODP_GA, MODP_GB, MODP_GAB);
	check_kat(DH_MODP_2048, MODP_B, MODP_GB, MODP_GA, MODP_GAB);
}

/* Two fresh key pairs must derive the same secret, at the full length. */
static void
round_trip(enum dh_group group)
{
	uint8_t pa[DH_PUBLIC_MAX], pb[DH_PUBLIC_MAX], sa[DH_SECRET_MAX], sb[DH_SECRET_MAX];
	size_t pl = dh_public_len(group), sl = dh_secret_len(group);
	struct dh *a, *b;

	assert_true(dh_group_supported(group));
	assert_int_equal(dh_new(group, &a), 0);
	assert_int_equal(dh_new(group, &b), 0);
	assert_int_equal(dh_public(a, pa, pl), 0);
	assert_int_equal(dh_public(b, pb, pl), 0);
	assert_memory_not_equal(pa, pb, pl);
	assert_int_equal(dh_derive(a, pb, pl, sa, sl), 0);
	assert_int_equal(dh_derive(b, pa, pl, sb, sl), 0);
	assert_memory_equal(sa, sb, sl);
	dh_free(a);
	dh_free(b);
}

static void
test_round_trips(void **state)
{
	static const enum dh_group groups[] = {
	    DH_MODP_768,  DH_MODP_1024, DH_MODP_1536, DH_MODP_2048,
	    DH_MODP_3072, DH_ECP_256,   DH_ECP_384,   DH_ECP_521,
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(groups) / sizeof(groups[0]); i++)
		round_trip(groups[i]);
}

/* The large groups are slow to generate: check sizes and one key each. */
static void
test_sizes(void **state)
{
	static const struct {
		enum dh_group group;
		size_t pub, secret;
		const char *name;
	} sizes[] = {
	    {DH_MODP_768, 96, 96, "modp768"},     {DH_MODP_1024, 128, 128, "modp1024"},
	    {DH_MODP_1536, 192, 192, "modp1536"}, {DH_MODP_2048, 256, 256, "modp2048"},
	    {DH_MODP_3072, 384, 384, "modp3072"}, {DH_MODP_4096, 512, 512, "modp4096"},
	    {DH_MODP_6144, 768, 768, "modp6144"}, {DH_MODP_8192, 1024, 1024, "modp8192"},
	    {DH_ECP_256, 64, 32, "ecp256"},       {DH_ECP_384, 96, 48, "ecp384"},
	    {DH_ECP_521, 132, 66, "ecp521"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		assert_int_equal(dh_public_len(sizes[i].group), sizes[i].pub);
		assert_int_equal(dh_secret_len(sizes[i].group), sizes[i].secret);
		assert_string_equal(dh_group_name(sizes[i].group), sizes[i].name);
	}
	assert_false(dh_group_supported((enum dh_group)3));
	assert_int_equal(dh_public_len((enum dh_group)22), 0);
	assert_string_equal(dh_group_name((enum dh_group)31), "unknown");
}

/* RFC 3526 section 3: the 2048-bit MODP prime. */
#define MODP2048_P                                                                                 \
	"FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74"                         \
	"020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F1437"                         \
	"4FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"                         \
	"EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF05"                         \
	"98DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB"                         \
	"9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B"                         \
	"E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF695581718"                         \
	"3995497CEA956AE515D2261898FA051015728E5A8AACAA68FFFFFFFFFFFFFFFF"

/*
 * y outside 1 < y < p-1 (0, 1, p-1, p, all ones) and values of the
 * wrong length must be refused before any exponentiation (small-subgroup
 * confinement, RFC 2412 / NIST SP 800-56A 5.6.2.3).
 */
static void
test_modp_invalid_public(void **state)
{
	uint8_t priv[32], y[DH_PUBLIC_MAX], s[256];
	struct dh *dh;

	(void)state;
	unhex(MODP_A, priv, sizeof(priv));
	assert_int_equal(dh_new_with_private(DH_MODP_2048, priv, sizeof(priv), &dh), 0);
	memset(y, 0, 256);
	assert_int_equal(dh_derive(dh, y, 256, s, 256), -EINVAL);
	y[255] = 1;
	assert_int_equal(dh_derive(dh, y, 256, s, 256), -EINVAL);
	y[255] = 2; /* the generator itself is a legal value */
	assert_int_equal(dh_derive(dh, y, 256, s, 256), 0);
	unhex(MODP2048_P, y, sizeof(y));
	assert_int_equal(dh_derive(dh, y, 256, s, 256), -EINVAL); /* p */
	y[255] = 0xfe;
	assert_int_equal(dh_derive(dh, y, 256, s, 256), -EINVAL); /* p - 1 */
	/*
	 * p - 2 is in range but a quadratic non-residue (p = 7 mod 8): OpenSSL
	 * knows q = (p-1)/2 for the RFC 3526 groups and also refuses values
	 * outside the order-q subgroup.
	 */
	y[255] = 0xfd;
	assert_int_equal(dh_derive(dh, y, 256, s, 256), -EINVAL);
	memset(y, 0xff, 256);
	assert_int_equal(dh_derive(dh, y, 256, s, 256), -EINVAL);
	/* the right value at the wrong length, and a wrong output length */
	unhex(MODP_GB, y, sizeof(y));
	assert_int_equal(dh_derive(dh, y, 255, s, 256), -EINVAL);
	assert_int_equal(dh_derive(dh, y, 257, s, 256), -EINVAL);
	assert_int_equal(dh_derive(dh, y, 256, s, 255), -EINVAL);
	assert_int_equal(dh_derive(dh, y, 256, s, 256), 0);
	assert_int_equal(dh_public(dh, y, 255), -EINVAL);
	dh_free(dh);
}

static void
test_ecp_invalid_public(void **state)
{
	uint8_t priv[32], q[64], s[32];
	struct dh *dh;

	(void)state;
	unhex(ecp_cases[0].i, priv, sizeof(priv));
	unhex(ecp_cases[0].gr, q, sizeof(q));
	assert_int_equal(dh_new_with_private(DH_ECP_256, priv, sizeof(priv), &dh), 0);
	assert_int_equal(dh_derive(dh, q, 64, s, 32), 0);
	q[63] ^= 1; /* off the curve */
	assert_int_equal(dh_derive(dh, q, 64, s, 32), -EINVAL);
	q[63] ^= 1;
	assert_int_equal(dh_derive(dh, q, 63, s, 32), -EINVAL);
	assert_int_equal(dh_derive(dh, q, 65, s, 32), -EINVAL);
	assert_int_equal(dh_derive(dh, q, 64, s, 31), -EINVAL);
	memset(q, 0, sizeof(q)); /* (0, 0): not a point, not infinity either */
	assert_int_equal(dh_derive(dh, q, 64, s, 32), -EINVAL);
	memset(q, 0xff, sizeof(q)); /* coordinates >= the field prime */
	assert_int_equal(dh_derive(dh, q, 64, s, 32), -EINVAL);
	dh_free(dh);
}

static void
test_invalid_private(void **state)
{
	uint8_t priv[DH_SECRET_MAX + 1];
	struct dh *dh = (struct dh *)priv;

	(void)state;
	memset(priv, 0, sizeof(priv));
	assert_int_equal(dh_new_with_private(DH_ECP_256, priv, 32, &dh), -EINVAL);
	assert_null(dh);
	assert_int_equal(dh_new_with_private(DH_MODP_2048, priv, 32, &dh), -EINVAL);
	memset(priv, 0xff, sizeof(priv)); /* above the group order / the prime */
	assert_int_equal(dh_new_with_private(DH_ECP_256, priv, 32, &dh), -EINVAL);
	assert_int_equal(dh_new_with_private(DH_MODP_2048, priv, 256, &dh), -EINVAL);
	assert_int_equal(dh_new_with_private(DH_ECP_256, priv, 33, &dh), -EINVAL);
	assert_int_equal(dh_new_with_private(DH_MODP_2048, priv, 0, &dh), -EINVAL);
	assert_int_equal(dh_new_with_private((enum dh_group)3, priv, 16, &dh), -EINVAL);
	assert_int_equal(dh_new((enum dh_group)22, &dh), -EINVAL);
	assert_null(dh);
	dh_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ecp_rfc5903),         cmocka_unit_test(test_modp_kat),
	    cmocka_unit_test(test_round_trips),         cmocka_unit_test(test_sizes),
	    cmocka_unit_test(test_modp_invalid_public), cmocka_unit_test(test_ecp_invalid_public),
	    cmocka_unit_test(test_invalid_private),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
