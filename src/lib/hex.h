/* Hex encoding for keys in setkey input, dumps and logs. */
#ifndef COATI_LIB_HEX_H
#define COATI_LIB_HEX_H

#include <stddef.h>
#include <stdint.h>

/* Decode n hex digits (n even) into out (cap bytes). Returns bytes or -EINVAL/-ENOSPC. */
int hex_decode(const char *s, size_t n, uint8_t *out, size_t cap);
/* Encode n bytes as lower-case hex into out (2n+1 bytes). */
void hex_encode(const uint8_t *p, size_t n, char *out);

#endif
