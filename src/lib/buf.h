/* Bounds-checked reader and writer for untrusted bytes (sshbuf/CBS style). */
#ifndef COATI_LIB_BUF_H
#define COATI_LIB_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * A reader is a non-owning view. Every rd_* returns true on success and
 * advances; on failure it consumes nothing and leaves outputs untouched.
 */
struct rd {
	const uint8_t *p;
	size_t len;
};

static inline struct rd
rd_init(const void *p, size_t len)
{
	struct rd r = {p, len};
	return r;
}

static inline size_t
rd_left(const struct rd *r)
{
	return r->len;
}

/* True only when nothing is left: rejects trailing bytes. */
static inline bool
rd_end(const struct rd *r)
{
	return r->len == 0;
}

bool rd_u8(struct rd *r, uint8_t *out);
bool rd_be16(struct rd *r, uint16_t *out);
bool rd_be32(struct rd *r, uint32_t *out);
bool rd_be64(struct rd *r, uint64_t *out);
/* Zero-copy: *out views the next n bytes. */
bool rd_bytes(struct rd *r, size_t n, struct rd *out);
bool rd_ptr(struct rd *r, size_t n, const uint8_t **out);
bool rd_copy(struct rd *r, void *dst, size_t n);
bool rd_skip(struct rd *r, size_t n);
/* A child reader bounded to the next n bytes (a length field's payload). */
bool rd_sub(struct rd *r, size_t n, struct rd *child);
/* Peek without consuming. */
bool rd_peek_u8(const struct rd *r, size_t off, uint8_t *out);
bool rd_peek_be32(const struct rd *r, size_t off, uint32_t *out);

/*
 * A writer over a fixed-capacity buffer with a sticky overflow flag: write
 * freely, check wr_ok() once at the end. Length fields are back-patched by
 * offset, never through a pointer into the buffer.
 */
struct wr {
	uint8_t *p;
	size_t cap;
	size_t len;
	bool overflow;
};

static inline struct wr
wr_init(void *p, size_t cap)
{
	struct wr w = {p, cap, 0, false};
	return w;
}

static inline bool
wr_ok(const struct wr *w)
{
	return !w->overflow;
}

/* Mark the writer failed: what it holds must not be used (e.g. a length field overflowed). */
static inline void
wr_fail(struct wr *w)
{
	w->overflow = true;
}

void wr_u8(struct wr *w, uint8_t v);
void wr_be16(struct wr *w, uint16_t v);
void wr_be32(struct wr *w, uint32_t v);
void wr_be64(struct wr *w, uint64_t v);
void wr_bytes(struct wr *w, const void *p, size_t n);
void wr_zero(struct wr *w, size_t n);
/* Reserve n bytes and return their offset (or SIZE_MAX after overflow). */
size_t wr_reserve(struct wr *w, size_t n);
size_t wr_reserve_be16(struct wr *w);
size_t wr_reserve_be32(struct wr *w);
void wr_patch_u8(struct wr *w, size_t at, uint8_t v);
void wr_patch_be16(struct wr *w, size_t at, uint16_t v);
void wr_patch_be32(struct wr *w, size_t at, uint32_t v);

/* Plain big-endian helpers for headers built in place (no bounds: caller checked). */
static inline uint16_t
be16_get(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t
be32_get(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline void
be16_put(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void
be32_put(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static inline void
be64_put(uint8_t *p, uint64_t v)
{
	be32_put(p, (uint32_t)(v >> 32));
	be32_put(p + 4, (uint32_t)v);
}

#endif
