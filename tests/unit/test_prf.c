/*
 * src/crypto prf, hash and ikecipher: the IKE PRFs against RFC 2202 (HMAC-MD5,
 * HMAC-SHA-1) and RFC 4231 (HMAC-SHA-2), the digests against FIPS 180 "abc",
 * and IKE CBC against RFC 3602 with the caller-chained IV.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "crypto/hash.h"
#include "crypto/ikecipher.h"
#include "crypto/prf.h"
#include "lib/hex.h"

static size_t
unhex(const char *s, uint8_t *out, size_t cap)
{
	int n = hex_decode(s, strlen(s), out, cap);

	assert_true(n >= 0);
	return (size_t)n;
}

/*
 * One HMAC case: the key is khex if set, else klen bytes of kfill; the data
 * is the string data if set, else dlen bytes of dfill.
 */
struct prf_case {
	enum hash_alg alg;
	const char *khex;
	uint8_t kfill;
	size_t klen;
	const char *data;
	uint8_t dfill;
	size_t dlen;
	const char *mac;
};

#define HI "Hi There"
#define JEFE "what do ya want for nothing?"
#define KEY25 "0102030405060708090a0b0c0d0e0f10111213141516171819"
#define LONG1 "Test Using Larger Than Block-Size Key - Hash Key First"
#define LONG2 "Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data"
#define LONG3                                                                                      \
	"This is a test using a larger than block-size key and a larger than block-size data. "    \
	"The key needs to be hashed before being used by the HMAC algorithm."

static const struct prf_case prf_cases[] = {
    /* RFC 2202 2: HMAC-MD5 test cases 1-4, 6, 7 */
    {HASH_MD5, NULL, 0x0b, 16, HI, 0, 0, "9294727a3638bb1c13f48ef8158bfc9d"},
    {HASH_MD5, "4a656665", 0, 0, JEFE, 0, 0, "750c783e6ab0b503eaa86e310a5db738"},
    {HASH_MD5, NULL, 0xaa, 16, NULL, 0xdd, 50, "56be34521d144c88dbb8c733f0e8b3f6"},
    {HASH_MD5, KEY25, 0, 0, NULL, 0xcd, 50, "697eaf0aca3a3aea3a75164746ffaa79"},
    {HASH_MD5, NULL, 0xaa, 80, LONG1, 0, 0, "6b1ab7fe4bd7bf8f0b62e6ce61b9d0cd"},
    {HASH_MD5, NULL, 0xaa, 80, LONG2, 0, 0, "6f630fad67cda0ee1fb1f562db3aa53e"},
    /* RFC 2202 3: HMAC-SHA-1 test cases 1-4, 6, 7 */
    {HASH_SHA1, NULL, 0x0b, 20, HI, 0, 0, "b617318655057264e28bc0b6fb378c8ef146be00"},
    {HASH_SHA1, "4a656665", 0, 0, JEFE, 0, 0, "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"},
    {HASH_SHA1, NULL, 0xaa, 20, NULL, 0xdd, 50, "125d7342b9ac11cd91a39af48aa17b4f63f175d3"},
    {HASH_SHA1, KEY25, 0, 0, NULL, 0xcd, 50, "4c9007f4026250c6bc8414f9bf50c86c2d7235da"},
    {HASH_SHA1, NULL, 0xaa, 80, LONG1, 0, 0, "aa4ae5e15272d00e95705637ce8a3b55ed402112"},
    {HASH_SHA1, NULL, 0xaa, 80, LONG2, 0, 0, "e8e99d0f45237d786d6bbaa7965c7808bbff1a91"},
    /* RFC 4231 4.2-4.5, 4.7, 4.8 (4.6 is a truncated output) */
    {HASH_SHA256, NULL, 0x0b, 20, HI, 0, 0,
     "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
    {HASH_SHA256, "4a656665", 0, 0, JEFE, 0, 0,
     "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
    {HASH_SHA256, NULL, 0xaa, 20, NULL, 0xdd, 50,
     "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"},
    {HASH_SHA256, KEY25, 0, 0, NULL, 0xcd, 50,
     "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"},
    {HASH_SHA256, NULL, 0xaa, 131, LONG1, 0, 0,
     "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"},
    {HASH_SHA256, NULL, 0xaa, 131, LONG3, 0, 0,
     "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"},
    {HASH_SHA384, NULL, 0x0b, 20, HI, 0, 0,
     "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59c"
     "faea9ea9076ede7f4af152e8b2fa9cb6"},
    {HASH_SHA384, "4a656665", 0, 0, JEFE, 0, 0,
     "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e"
     "8e2240ca5e69e2c78b3239ecfab21649"},
    {HASH_SHA384, NULL, 0xaa, 131, LONG1, 0, 0,
     "4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c6"
     "0c2ef6ab4030fe8296248df163f44952"},
    {HASH_SHA384, NULL, 0xaa, 131, LONG3, 0, 0,
     "6617178e941f020d351e2f254e8fd32c602420feb0b8fb9adccebb82461e99c5"
     "a678cc31e799176d3860e6110c46523e"},
    {HASH_SHA512, NULL, 0x0b, 20, HI, 0, 0,
     "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde"
     "daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854"},
    {HASH_SHA512, KEY25, 0, 0, NULL, 0xcd, 50,
     "b0ba465637458c6990e5a8c5f61d4af7e576d97ff94b872de76f8050361ee3db"
     "a91ca5c11aa25eb4d679275cc5788063a5f19741120c4f2de2adebeb10a298dd"},
    {HASH_SHA512, NULL, 0xaa, 131, LONG3, 0, 0,
     "e37b6a775dc87dbaa4dfa9f96e5e3ffddebd71f8867289865df5a32d20cdc944"
     "b6022cac3c4982b10d5eeb55c3e4de15134676fb6de0446065c97440fa8c6a58"},
};

static void
test_prf_vectors(void **state)
{
	uint8_t key[256], data[256], want[PRF_MAX_LEN], got[PRF_MAX_LEN];
	size_t i, klen, dlen;

	(void)state;
	for (i = 0; i < sizeof(prf_cases) / sizeof(prf_cases[0]); i++) {
		const struct prf_case *c = &prf_cases[i];
		struct iovec iov;

		if (c->khex) {
			klen = unhex(c->khex, key, sizeof(key));
		} else {
			klen = c->klen;
			memset(key, c->kfill, klen);
		}
		if (c->data) {
			dlen = strlen(c->data);
			memcpy(data, c->data, dlen);
		} else {
			dlen = c->dlen;
			memset(data, c->dfill, dlen);
		}
		assert_int_equal(unhex(c->mac, want, sizeof(want)), prf_len(c->alg));
		iov = (struct iovec){data, dlen};
		assert_int_equal(prf_compute(c->alg, key, klen, &iov, 1, got), 0);
		assert_memory_equal(got, want, prf_len(c->alg));
	}
}

/* The IKE formulas concatenate inputs: any split must give the same MAC. */
static void
test_prf_iovec_split(void **state)
{
	static const uint8_t key[4] = "Jefe";
	char msg[] = JEFE;
	uint8_t want[32], got[32];
	struct iovec iov[4] = {{msg, 4}, {NULL, 0}, {msg + 4, 10}, {msg + 14, sizeof(msg) - 15}};

	(void)state;
	unhex("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", want,
	      sizeof(want));
	assert_int_equal(prf_compute(HASH_SHA256, key, sizeof(key), iov, 4, got), 0);
	assert_memory_equal(got, want, 32);
}

/* An empty key is legal HMAC (RFC 2104 zero-pads it); value from Python's hmac. */
static void
test_prf_empty_key(void **state)
{
	uint8_t want[32], got[32];

	(void)state;
	unhex("b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad", want,
	      sizeof(want));
	assert_int_equal(prf_compute(HASH_SHA256, NULL, 0, NULL, 0, got), 0);
	assert_memory_equal(got, want, 32);
	assert_int_equal(prf_compute((enum hash_alg)0, NULL, 0, NULL, 0, got), -EINVAL);
	assert_int_equal(prf_len((enum hash_alg)99), 0);
}

/* FIPS 180-2 Appendix A/B/C and RFC 1321 A.5: the digest of "abc". */
static void
test_hash_abc(void **state)
{
	static const struct {
		enum hash_alg alg;
		const char *md;
	} cases[] = {
	    {HASH_MD5, "900150983cd24fb0d6963f7d28e17f72"},
	    {HASH_SHA1, "a9993e364706816aba3e25717850c26c9cd0d89d"},
	    {HASH_SHA256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
	    {HASH_SHA384, "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed"
	                  "8086072ba1e7cc2358baeca134c825a7"},
	    {HASH_SHA512, "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
	                  "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"},
	};
	char a[] = "a", bc[] = "bc";
	struct iovec iov[2] = {{a, 1}, {bc, 2}};
	uint8_t want[HASH_MAX_LEN], got[HASH_MAX_LEN];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(unhex(cases[i].md, want, sizeof(want)), hash_len(cases[i].alg));
		assert_int_equal(hash_compute(cases[i].alg, iov, 2, got), 0);
		assert_memory_equal(got, want, hash_len(cases[i].alg));
	}
	assert_int_equal(hash_compute((enum hash_alg)0, iov, 2, got), -EINVAL);
	assert_string_equal(hash_alg_name(HASH_SHA384), "sha384");
}

/* RFC 3602 4: AES-128-CBC test cases 1-4 (plaintext, IV, ciphertext). */
static const struct {
	const char *key, *iv, *pt, *ct;
} cbc_cases[] = {
    {"06a9214036b8a15b512e03d534120006", "3dafba429d9eb430b422da802c9fac41",
     "53696e676c6520626c6f636b206d7367", "e353779c1079aeb82708942dbe77181a"},
    {"c286696d887c9aa0611bbb3e2025a45a", "562e17996d093d28ddb3ba695a2e6f58",
     "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
     "d296cd94c2cccf8a3a863028b5e1dc0a7586602d253cfff91b8266bea6d61ab1"},
    {"6c3ea0477630ce21a2ce334aa746c2cd", "c782dc4c098c66cbd9cd27d825682c81",
     "5468697320697320612034382d62797465206d657373616765202865786163746c"
     "7920332041455320626c6f636b7329",
     "d0a02b3836451753d493665d33f0e8862dea54cdb293abc7506939276772f8d5"
     "021c19216bad525c8579695d83ba2684"},
    {"56e47a38c5598974bc46903dba290349", "8ce82eefbea0da3c44699ed7db51b7d9",
     "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"
     "c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf",
     "c30e32ffedc0774e6aff6af0869f71aa0f3af07a9a31a9c684db207eb0ef8e4e"
     "35907aa632c3ffdf868bb7b29d3d46ad83ce9f9a102ee99d49a53e87f4c3da55"},
};

static void
test_cbc_rfc3602(void **state)
{
	uint8_t key[16], iv[16], pt[64], ct[64], buf[64];
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof(cbc_cases) / sizeof(cbc_cases[0]); i++) {
		struct ikecipher *c;

		unhex(cbc_cases[i].key, key, sizeof(key));
		n = unhex(cbc_cases[i].pt, pt, sizeof(pt));
		assert_int_equal(unhex(cbc_cases[i].ct, ct, sizeof(ct)), n);
		assert_int_equal(ikecipher_new(IKECIPHER_AES_CBC, key, 16, &c), 0);
		assert_int_equal(ikecipher_block_len(c), 16);
		unhex(cbc_cases[i].iv, iv, sizeof(iv));
		memcpy(buf, pt, n);
		assert_int_equal(ikecipher_encrypt(c, buf, n, iv), 0);
		assert_memory_equal(buf, ct, n);
		assert_memory_equal(iv, ct + n - 16, 16); /* next IV = last cipher block */
		unhex(cbc_cases[i].iv, iv, sizeof(iv));
		assert_int_equal(ikecipher_decrypt(c, buf, n, iv), 0);
		assert_memory_equal(buf, pt, n);
		assert_memory_equal(iv, ct + n - 16, 16);
		ikecipher_free(c);
	}
}

/* Case 4 as two messages of 32 bytes: the returned IV carries the chain. */
static void
test_cbc_chaining(void **state)
{
	uint8_t key[16], iv[16], pt[64], ct[64], buf[64];
	struct ikecipher *c;

	(void)state;
	unhex(cbc_cases[3].key, key, sizeof(key));
	unhex(cbc_cases[3].pt, pt, sizeof(pt));
	unhex(cbc_cases[3].ct, ct, sizeof(ct));
	assert_int_equal(ikecipher_new(IKECIPHER_AES_CBC, key, 16, &c), 0);
	unhex(cbc_cases[3].iv, iv, sizeof(iv));
	memcpy(buf, pt, 64);
	assert_int_equal(ikecipher_encrypt(c, buf, 32, iv), 0);
	assert_int_equal(ikecipher_encrypt(c, buf + 32, 32, iv), 0);
	assert_memory_equal(buf, ct, 64);
	unhex(cbc_cases[3].iv, iv, sizeof(iv));
	assert_int_equal(ikecipher_decrypt(c, buf, 32, iv), 0);
	assert_memory_equal(iv, ct + 16, 16);
	assert_int_equal(ikecipher_decrypt(c, buf + 32, 32, iv), 0);
	assert_memory_equal(buf, pt, 64);
	/* a partial block is refused and leaves the IV alone */
	assert_int_equal(ikecipher_encrypt(c, buf, 17, iv), -EINVAL);
	assert_memory_equal(iv, ct + 48, 16);
	assert_int_equal(ikecipher_decrypt(c, buf, 0, iv), 0);
	assert_memory_equal(iv, ct + 48, 16);
	ikecipher_free(c);
}

/* 3DES-CBC (RFC 2451): expected value computed with Python's cryptography. */
static void
test_cbc_3des(void **state)
{
	uint8_t key[24], iv[8], buf[32], ct[32];
	static const char pt[] = "IKEv1 3DES-CBC test vector 32by.";
	struct ikecipher *c;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(key); i++)
		key[i] = (uint8_t)(i + 1);
	unhex("6b663423a0e34d8bb97bb388bac29eaf47bbb27fa910bbd68715e9e942c49ce3", ct, sizeof(ct));
	assert_int_equal(ikecipher_new(IKECIPHER_3DES_CBC, key, 24, &c), 0);
	assert_int_equal(ikecipher_block_len(c), 8);
	unhex("0001020304050607", iv, sizeof(iv));
	memcpy(buf, pt, 32);
	assert_int_equal(ikecipher_encrypt(c, buf, 32, iv), 0);
	assert_memory_equal(buf, ct, 32);
	assert_memory_equal(iv, ct + 24, 8);
	unhex("0001020304050607", iv, sizeof(iv));
	assert_int_equal(ikecipher_decrypt(c, buf, 32, iv), 0);
	assert_memory_equal(buf, pt, 32);
	ikecipher_free(c);
}

static void
test_cbc_bad_keys(void **state)
{
	uint8_t key[32] = {0};
	struct ikecipher *c = (struct ikecipher *)key;

	(void)state;
	assert_int_equal(ikecipher_new(IKECIPHER_AES_CBC, key, 15, &c), -EINVAL);
	assert_null(c);
	assert_int_equal(ikecipher_new(IKECIPHER_3DES_CBC, key, 16, &c), -EINVAL);
	assert_int_equal(ikecipher_new((enum ikecipher_alg)0, key, 16, &c), -EINVAL);
	assert_int_equal(ikecipher_new(IKECIPHER_AES_CBC, key, 24, &c), 0);
	ikecipher_free(c);
	assert_int_equal(ikecipher_new(IKECIPHER_AES_CBC, key, 32, &c), 0);
	ikecipher_free(c);
	ikecipher_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_prf_vectors),   cmocka_unit_test(test_prf_iovec_split),
	    cmocka_unit_test(test_prf_empty_key), cmocka_unit_test(test_hash_abc),
	    cmocka_unit_test(test_cbc_rfc3602),   cmocka_unit_test(test_cbc_chaining),
	    cmocka_unit_test(test_cbc_3des),      cmocka_unit_test(test_cbc_bad_keys),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
