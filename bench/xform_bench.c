/*
 * Seal throughput of the ESP transforms on 1400-byte payloads, one core.
 * Not built by default. From the repository root (needs src/ipsec/ipsec.c):
 *
 *   cc -O2 -std=c17 -D_GNU_SOURCE -Isrc bench/xform_bench.c src/crypto/xform.c \
 *      src/crypto/rand.c src/ipsec/ipsec.c src/lib/addr.c -lcrypto -o /tmp/xform_bench
 *   /tmp/xform_bench [name]
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "crypto/xform.h"

#define PAYLOAD 1400
#define ROUNDS 200000

struct bench {
	const char *name;
	enum ipsec_enc enc;
	size_t enc_len;
	enum ipsec_auth auth;
	size_t auth_len;
};

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
bench_run(const struct bench *b)
{
	static uint8_t pkt[8 + 16 + PAYLOAD + 64 + 64];
	struct ipsec_key ek = {.len = (uint8_t)b->enc_len}, ak = {.len = (uint8_t)b->auth_len};
	struct xform *x;
	size_t len;
	double t0, dt;

	memset(ek.bytes, 0x42, sizeof(ek.bytes));
	memset(ak.bytes, 0x24, sizeof(ak.bytes));
	if (xform_new(b->enc, &ek, b->auth, &ak, &x) < 0) {
		fprintf(stderr, "%s: xform_new failed\n", b->name);
		return 1;
	}
	len = PAYLOAD + 2;
	len += (xform_block_len(x) - len % xform_block_len(x)) % xform_block_len(x);
	t0 = now();
	for (uint64_t seq = 1; seq <= ROUNDS; seq++)
		if (xform_esp_seal(x, pkt, len, seq, false) < 0) {
			fprintf(stderr, "%s: seal failed\n", b->name);
			xform_free(x);
			return 1;
		}
	dt = now() - t0;
	printf("%-28s %8.0f MB/s  %6.0f ns/packet\n", b->name, ROUNDS * (double)PAYLOAD / dt / 1e6,
	       dt / ROUNDS * 1e9);
	xform_free(x);
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct bench benches[] = {
	    {"aes-gcm-16-128", IPSEC_ENC_AES_GCM16, 20, IPSEC_AUTH_NONE, 0},
	    {"chacha20-poly1305", IPSEC_ENC_CHACHA20_POLY1305, 36, IPSEC_AUTH_NONE, 0},
	    {"aes-cbc-128+hmac-sha256", IPSEC_ENC_AES_CBC, 16, IPSEC_AUTH_HMAC_SHA256_128, 32},
	    {"aes-ctr-128+hmac-sha1", IPSEC_ENC_AES_CTR, 20, IPSEC_AUTH_HMAC_SHA1_96, 20},
	    {"3des-cbc+hmac-sha1", IPSEC_ENC_3DES_CBC, 24, IPSEC_AUTH_HMAC_SHA1_96, 20},
	};
	int rc = 0;

	/* an optional argument picks one transform by name, e.g. for perf record */
	for (size_t i = 0; i < sizeof(benches) / sizeof(benches[0]); i++)
		if (argc < 2 || strcmp(argv[1], benches[i].name) == 0)
			rc |= bench_run(&benches[i]);
	return rc;
}
