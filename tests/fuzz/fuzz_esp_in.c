/*
 * libFuzzer harness for the inbound IPsec path: the input is a full IP
 * packet handed to ipsec_input() as the data plane would, peeling up to
 * IPSEC_BUNDLE_MAX headers. The SAD holds SAs of several transforms with
 * fixed keys; ESP null/null and IPComp let mutations reach the trailer and
 * decapsulation code behind the ICV check.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dataplane/dpsa.h"
#include "dataplane/ip.h"
#include "dataplane/ipsec_io.h"
#include "ipsec/sad.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct fuzz_sa {
	uint8_t proto, mode, enc, auth;
	uint32_t spi;
	const char *src, *dst;
	bool esn;
};

/* The seed corpus (tests/fuzz/corpus/esp_in) was produced through these SAs. */
static const struct fuzz_sa fuzz_sas[] = {
    {IPSEC_PROTO_ESP, IPSEC_MODE_TUNNEL, IPSEC_ENC_AES_GCM16, IPSEC_AUTH_NONE, 0x100, "192.0.2.1",
     "192.0.2.2", false},
    {IPSEC_PROTO_ESP, IPSEC_MODE_TRANSPORT, IPSEC_ENC_AES_CBC, IPSEC_AUTH_HMAC_SHA1_96, 0x101,
     "2001:db8::1", "2001:db8::2", false},
    {IPSEC_PROTO_ESP, IPSEC_MODE_TUNNEL, IPSEC_ENC_CHACHA20_POLY1305, IPSEC_AUTH_NONE, 0x102,
     "2001:db8::1", "2001:db8::2", true},
    {IPSEC_PROTO_ESP, IPSEC_MODE_TUNNEL, IPSEC_ENC_NULL, IPSEC_AUTH_NULL, 0x103, "192.0.2.1",
     "192.0.2.2", false},
    {IPSEC_PROTO_ESP, IPSEC_MODE_TRANSPORT, IPSEC_ENC_NULL, IPSEC_AUTH_NULL, 0x104, "192.0.2.1",
     "192.0.2.2", true},
    {IPSEC_PROTO_AH, IPSEC_MODE_TRANSPORT, IPSEC_ENC_NONE, IPSEC_AUTH_HMAC_SHA256_128, 0x200,
     "192.0.2.1", "192.0.2.2", false},
    {IPSEC_PROTO_IPCOMP, IPSEC_MODE_TUNNEL, IPSEC_ENC_NONE, IPSEC_AUTH_NONE, 0x300, "192.0.2.1",
     "192.0.2.2", false},
    {IPSEC_PROTO_IPCOMP, IPSEC_MODE_TRANSPORT, IPSEC_ENC_NONE, IPSEC_AUTH_NONE, 0x301,
     "2001:db8::1", "2001:db8::2", false},
};
#define FUZZ_NSAS (sizeof(fuzz_sas) / sizeof(fuzz_sas[0]))

static struct sad *fuzz_sad;
static struct sad_entry *fuzz_entries[FUZZ_NSAS];
static struct pkt fuzz_pkt;

static void
fuzz_removed(struct sad_entry *e, void *arg)
{
	(void)arg;
	dp_sa_free(e->backend);
	e->backend = NULL;
}

/* Smallest valid key length, a fixed pattern. */
static void
fuzz_key(struct ipsec_key *k, bool enc, uint8_t alg)
{
	size_t len = 0;

	while (len < IPSEC_KEY_MAX &&
	       !(enc ? ipsec_enc_key_ok(alg, len) : ipsec_auth_key_ok(alg, len)))
		len++;
	k->len = (uint8_t)len;
	for (size_t i = 0; i < len; i++)
		k->bytes[i] = (uint8_t)(0x40 + i);
}

static void
fuzz_setup(void)
{
	struct sad_hooks hooks = {.removed = fuzz_removed};

	fuzz_sad = sad_new(&hooks);
	if (!fuzz_sad)
		abort();
	for (size_t i = 0; i < FUZZ_NSAS; i++) {
		const struct fuzz_sa *f = &fuzz_sas[i];
		struct ipsec_sa sa;
		struct dp_sa *d;

		memset(&sa, 0, sizeof(sa));
		sa.proto = f->proto;
		sa.mode = f->mode;
		sa.spi = f->spi;
		sa.enc = f->enc;
		sa.auth = f->auth;
		sa.esn = f->esn;
		sa.replay = 64;
		sa.comp = f->proto == IPSEC_PROTO_IPCOMP ? IPSEC_COMP_DEFLATE : IPSEC_COMP_NONE;
		fuzz_key(&sa.enc_key, true, f->enc);
		fuzz_key(&sa.auth_key, false, f->auth);
		if (addr_parse(f->src, &sa.src) < 0 || addr_parse(f->dst, &sa.dst) < 0 ||
		    sad_add(fuzz_sad, &sa, 0, &fuzz_entries[i]) < 0 || dp_sa_new(&sa, &d) < 0)
			abort();
		fuzz_entries[i]->backend = d;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sad_entry *e;

	if (!fuzz_sad)
		fuzz_setup();
	if (size > PKT_DATA_MAX)
		return 0;
	/* every input starts from fresh windows, so runs are reproducible */
	for (size_t i = 0; i < FUZZ_NSAS; i++) {
		struct dp_sa *d = fuzz_entries[i]->backend;

		replay_init(&d->replay, 64);
	}
	pkt_reset(&fuzz_pkt);
	memcpy(fuzz_pkt.data, data, size);
	fuzz_pkt.len = size;
	for (int n = 0; n < IPSEC_BUNDLE_MAX; n++) {
		struct ip_info ii;

		if (ipsec_input(fuzz_sad, &fuzz_pkt, &e) != 0)
			break;
		/* as the worker: peel further only transport-mode IPsec headers */
		if (ip_parse(fuzz_pkt.data, fuzz_pkt.len, &ii) < 0 ||
		    e->sa.mode == IPSEC_MODE_TUNNEL)
			break;
	}
	return 0;
}
