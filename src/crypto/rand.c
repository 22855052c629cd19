/* Random bytes for IVs and nonces: OpenSSL's DRBG, seeded from the kernel. */
#include "crypto/xform.h"

#include <errno.h>
#include <limits.h>

#include <openssl/rand.h>

int
crypto_random(void *buf, size_t n)
{
	unsigned char *p = buf;

	/* RAND_bytes takes an int: feed huge requests in pieces, never truncate. */
	while (n > 0) {
		int chunk = n > INT_MAX ? INT_MAX : (int)n;

		if (RAND_bytes(p, chunk) != 1)
			return -EIO;
		p += chunk;
		n -= (size_t)chunk;
	}
	return 0;
}
