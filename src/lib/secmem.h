/* Wiping secrets and comparing them in constant time. */
#ifndef COATI_LIB_SECMEM_H
#define COATI_LIB_SECMEM_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

static inline void
secmem_wipe(void *p, size_t n)
{
	if (p && n)
		explicit_bzero(p, n);
}

/* Constant-time equality of two n-byte secrets. */
static inline bool
secmem_eq(const void *a, const void *b, size_t n)
{
	const volatile unsigned char *x = a, *y = b;
	unsigned char d = 0;

	for (size_t i = 0; i < n; i++)
		d |= x[i] ^ y[i];
	return d == 0;
}

#endif
