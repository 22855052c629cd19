/* Bounds-checked reader and writer. */
#include "lib/buf.h"

#include <stdint.h>
#include <string.h>

bool
rd_u8(struct rd *r, uint8_t *out)
{
	if (r->len < 1)
		return false;
	*out = r->p[0];
	r->p++;
	r->len--;
	return true;
}

bool
rd_be16(struct rd *r, uint16_t *out)
{
	if (r->len < 2)
		return false;
	*out = be16_get(r->p);
	r->p += 2;
	r->len -= 2;
	return true;
}

bool
rd_be32(struct rd *r, uint32_t *out)
{
	if (r->len < 4)
		return false;
	*out = be32_get(r->p);
	r->p += 4;
	r->len -= 4;
	return true;
}

bool
rd_be64(struct rd *r, uint64_t *out)
{
	if (r->len < 8)
		return false;
	*out = (uint64_t)be32_get(r->p) << 32 | be32_get(r->p + 4);
	r->p += 8;
	r->len -= 8;
	return true;
}

bool
rd_ptr(struct rd *r, size_t n, const uint8_t **out)
{
	if (n > r->len)
		return false;
	*out = r->p;
	r->p += n;
	r->len -= n;
	return true;
}

bool
rd_bytes(struct rd *r, size_t n, struct rd *out)
{
	const uint8_t *p;

	if (!rd_ptr(r, n, &p))
		return false;
	out->p = p;
	out->len = n;
	return true;
}

bool
rd_sub(struct rd *r, size_t n, struct rd *child)
{
	return rd_bytes(r, n, child);
}

bool
rd_copy(struct rd *r, void *dst, size_t n)
{
	const uint8_t *p;

	if (!rd_ptr(r, n, &p))
		return false;
	if (n)
		memcpy(dst, p, n);
	return true;
}

bool
rd_skip(struct rd *r, size_t n)
{
	const uint8_t *p;

	return rd_ptr(r, n, &p);
}

bool
rd_peek_u8(const struct rd *r, size_t off, uint8_t *out)
{
	if (off >= r->len)
		return false;
	*out = r->p[off];
	return true;
}

bool
rd_peek_be32(const struct rd *r, size_t off, uint32_t *out)
{
	if (off > r->len || r->len - off < 4)
		return false;
	*out = be32_get(r->p + off);
	return true;
}

size_t
wr_reserve(struct wr *w, size_t n)
{
	size_t at;

	if (w->overflow || n > w->cap - w->len) {
		w->overflow = true;
		return SIZE_MAX;
	}
	at = w->len;
	w->len += n;
	return at;
}

void
wr_bytes(struct wr *w, const void *p, size_t n)
{
	size_t at = wr_reserve(w, n);

	if (at != SIZE_MAX && n)
		memcpy(w->p + at, p, n);
}

void
wr_zero(struct wr *w, size_t n)
{
	size_t at = wr_reserve(w, n);

	if (at != SIZE_MAX && n)
		memset(w->p + at, 0, n);
}

void
wr_u8(struct wr *w, uint8_t v)
{
	wr_bytes(w, &v, 1);
}

void
wr_be16(struct wr *w, uint16_t v)
{
	uint8_t b[2];

	be16_put(b, v);
	wr_bytes(w, b, 2);
}

void
wr_be32(struct wr *w, uint32_t v)
{
	uint8_t b[4];

	be32_put(b, v);
	wr_bytes(w, b, 4);
}

void
wr_be64(struct wr *w, uint64_t v)
{
	uint8_t b[8];

	be64_put(b, v);
	wr_bytes(w, b, 8);
}

size_t
wr_reserve_be16(struct wr *w)
{
	return wr_reserve(w, 2);
}

size_t
wr_reserve_be32(struct wr *w)
{
	return wr_reserve(w, 4);
}

void
wr_patch_u8(struct wr *w, size_t at, uint8_t v)
{
	if (w->overflow || at >= w->len)
		return;
	w->p[at] = v;
}

void
wr_patch_be16(struct wr *w, size_t at, uint16_t v)
{
	if (w->overflow || at > w->len || w->len - at < 2)
		return;
	be16_put(w->p + at, v);
}

void
wr_patch_be32(struct wr *w, size_t at, uint32_t v)
{
	if (w->overflow || at > w->len || w->len - at < 4)
		return;
	be32_put(w->p + at, v);
}
