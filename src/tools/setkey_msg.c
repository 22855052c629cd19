/* Encoding of setkey commands as admin requests (layouts in admin/proto.h). */
#include "tools/setkey_msg.h"

#include "admin/proto.h"
#include "ipsec/codec.h"

uint8_t
setkey_cmd_type(const struct setkey_cmd *c)
{
	switch (c->op) {
	case SETKEY_ADD:
		return ADMIN_SA_ADD;
	case SETKEY_UPDATE:
		return ADMIN_SA_UPDATE;
	case SETKEY_GET:
		return ADMIN_SA_GET;
	case SETKEY_DELETE:
		return ADMIN_SA_DELETE;
	case SETKEY_DELETEALL:
		return ADMIN_SA_DELETEALL;
	case SETKEY_FLUSH:
		return ADMIN_SA_FLUSH;
	case SETKEY_DUMP:
		return ADMIN_SA_DUMP;
	case SETKEY_SPDADD:
		return ADMIN_SPD_ADD;
	case SETKEY_SPDUPDATE:
		return ADMIN_SPD_UPDATE;
	case SETKEY_SPDDELETE:
		return ADMIN_SPD_DELETE;
	case SETKEY_SPDFLUSH:
		return ADMIN_SPD_FLUSH;
	case SETKEY_SPDDUMP:
		return ADMIN_SPD_DUMP;
	}
	return 0;
}

void
setkey_cmd_encode(struct wr *w, const struct setkey_cmd *c)
{
	switch (c->op) {
	case SETKEY_ADD:
	case SETKEY_UPDATE:
		ipsec_sa_encode(w, &c->sa);
		break;
	case SETKEY_GET:
	case SETKEY_DELETE:
		addr_encode(w, &c->sa.dst);
		wr_u8(w, c->sa.proto);
		wr_be32(w, c->sa.spi);
		break;
	case SETKEY_DELETEALL:
		addr_encode(w, &c->sa.src);
		addr_encode(w, &c->sa.dst);
		wr_u8(w, c->sa.proto);
		break;
	case SETKEY_FLUSH:
	case SETKEY_DUMP:
		wr_u8(w, c->sa.proto);
		break;
	case SETKEY_SPDADD:
	case SETKEY_SPDUPDATE:
		ipsec_policy_encode(w, &c->pol);
		break;
	case SETKEY_SPDDELETE:
		ipsec_selector_encode(w, &c->pol.sel);
		wr_u8(w, c->pol.dir);
		break;
	case SETKEY_SPDFLUSH:
	case SETKEY_SPDDUMP:
		break;
	}
}

void
setkey_batch_encode(struct wr *w, const struct setkey_cmd *cmds, size_t n)
{
	wr_be32(w, (uint32_t)n);
	for (size_t i = 0; i < n; i++) {
		size_t at, start;

		wr_u8(w, setkey_cmd_type(&cmds[i]));
		at = wr_reserve_be32(w);
		start = w->len;
		setkey_cmd_encode(w, &cmds[i]);
		wr_patch_be32(w, at, (uint32_t)(w->len - start));
	}
}
