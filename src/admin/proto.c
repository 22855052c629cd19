/* Admin protocol encodings shared by coatid and the tools. */
#include "admin/proto.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "ipsec/codec.h"

void
admin_hdr_encode(uint8_t out[ADMIN_HDR_LEN], const struct admin_hdr *h)
{
	struct wr w = wr_init(out, ADMIN_HDR_LEN);

	wr_u8(&w, h->version);
	wr_u8(&w, h->type);
	wr_be16(&w, h->flags);
	wr_be32(&w, h->len);
	wr_be32(&w, h->seq);
}

int
admin_hdr_decode(const uint8_t in[ADMIN_HDR_LEN], struct admin_hdr *out)
{
	struct rd r = rd_init(in, ADMIN_HDR_LEN);
	struct admin_hdr h;

	if (!rd_u8(&r, &h.version) || !rd_u8(&r, &h.type) || !rd_be16(&r, &h.flags) ||
	    !rd_be32(&r, &h.len) || !rd_be32(&r, &h.seq))
		return -EBADMSG;
	if (h.version != ADMIN_VERSION)
		return -EPROTONOSUPPORT;
	*out = h;
	return 0;
}

void
admin_string_encode(struct wr *w, const char *s)
{
	size_t n = strlen(s);

	if (n > UINT16_MAX)
		n = UINT16_MAX;
	wr_be16(w, (uint16_t)n);
	wr_bytes(w, s, n);
}

int
admin_string_decode(struct rd *r, char *out, size_t cap)
{
	struct rd save = *r, s;
	uint16_t n;

	if (!rd_be16(r, &n) || !rd_bytes(r, n, &s) || n >= cap) {
		*r = save;
		return -EBADMSG;
	}
	memcpy(out, s.p, n);
	out[n] = '\0';
	return 0;
}

void
admin_sa_info_encode(struct wr *w, const struct admin_sa_info *i)
{
	ipsec_sa_encode(w, &i->sa);
	ipsec_counters_encode(w, &i->ctr);
	wr_be64(w, i->seq_out);
	wr_u8(w, i->state);
	wr_be64(w, i->age);
	wr_be64(w, i->idle);
	wr_be64(w, i->id);
}

int
admin_sa_info_decode(struct rd *r, struct admin_sa_info *out)
{
	struct rd save = *r;
	struct admin_sa_info i;

	memset(&i, 0, sizeof(i));
	if (ipsec_sa_decode(r, &i.sa) < 0 || ipsec_counters_decode(r, &i.ctr) < 0 ||
	    !rd_be64(r, &i.seq_out) || !rd_u8(r, &i.state) || !rd_be64(r, &i.age) ||
	    !rd_be64(r, &i.idle) || !rd_be64(r, &i.id)) {
		*r = save;
		return -EBADMSG;
	}
	*out = i;
	return 0;
}

void
admin_ike_sa_info_encode(struct wr *w, const struct admin_ike_sa_info *i)
{
	addr_encode(w, &i->local);
	wr_be16(w, i->lport);
	addr_encode(w, &i->remote);
	wr_be16(w, i->rport);
	wr_bytes(w, i->cky_i, sizeof(i->cky_i));
	wr_bytes(w, i->cky_r, sizeof(i->cky_r));
	wr_u8(w, i->flags);
	wr_u8(w, i->exchange);
	admin_string_encode(w, i->state);
	wr_be32(w, i->nchildren);
	admin_string_encode(w, i->user);
	addr_encode(w, &i->vaddr4);
	admin_string_encode(w, i->banner);
}

int
admin_ike_sa_info_decode(struct rd *r, struct admin_ike_sa_info *out)
{
	struct rd save = *r;
	struct admin_ike_sa_info i;

	memset(&i, 0, sizeof(i));
	if (addr_decode(r, &i.local) < 0 || !rd_be16(r, &i.lport) ||
	    addr_decode(r, &i.remote) < 0 || !rd_be16(r, &i.rport) ||
	    !rd_copy(r, i.cky_i, sizeof(i.cky_i)) || !rd_copy(r, i.cky_r, sizeof(i.cky_r)) ||
	    !rd_u8(r, &i.flags) || !rd_u8(r, &i.exchange) ||
	    admin_string_decode(r, i.state, sizeof(i.state)) < 0 || !rd_be32(r, &i.nchildren) ||
	    admin_string_decode(r, i.user, sizeof(i.user)) < 0 || addr_decode(r, &i.vaddr4) < 0 ||
	    admin_string_decode(r, i.banner, sizeof(i.banner)) < 0) {
		*r = save;
		return -EBADMSG;
	}
	*out = i;
	return 0;
}

void
admin_spd_info_encode(struct wr *w, const struct admin_spd_info *i)
{
	ipsec_policy_encode(w, &i->pol);
	wr_be64(w, i->id);
	wr_be64(w, i->hits);
	wr_be64(w, i->age);
	wr_be64(w, i->idle);
}

int
admin_spd_info_decode(struct rd *r, struct admin_spd_info *out)
{
	struct rd save = *r;
	struct admin_spd_info i;

	memset(&i, 0, sizeof(i));
	if (ipsec_policy_decode(r, &i.pol) < 0 || !rd_be64(r, &i.id) || !rd_be64(r, &i.hits) ||
	    !rd_be64(r, &i.age) || !rd_be64(r, &i.idle)) {
		*r = save;
		return -EBADMSG;
	}
	*out = i;
	return 0;
}

int
admin_write_full(int fd, const void *buf, size_t n)
{
	const uint8_t *p = buf;

	while (n) {
		ssize_t put = send(fd, p, n, MSG_NOSIGNAL);

		if (put < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += put;
		n -= (size_t)put;
	}
	return 0;
}
