/*
 * The admin protocol: versioned, length-prefixed binary messages over a
 * unix stream socket, shared by coatid, coatictl and coati-setkey.
 *
 *   0      1      2      3      4 ...   8 ...    12
 *   +------+------+------+------+-------+--------+---------
 *   | ver  | type | flags       | len   | seq    | payload (len bytes)
 *   +------+------+------+------+-------+--------+---------
 *
 * A reply carries the request's type | ADMIN_REPLY and seq; its payload
 * starts with a be32 status (0 or a negative errno, two's complement).
 */
#ifndef COATI_ADMIN_PROTO_H
#define COATI_ADMIN_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ipsec/ipsec.h"
#include "lib/buf.h"

#define ADMIN_VERSION 1
#define ADMIN_HDR_LEN 12
#define ADMIN_REQ_MAX (1u << 20)   /* requests a server accepts */
#define ADMIN_REPLY_MAX (64u << 20) /* replies a client accepts */
#define ADMIN_REPLY 0x80
#define ADMIN_DEFAULT_SOCKET "/run/coati/coatid.sock"
#define ADMIN_SOCKET_ENV "COATI_SOCKET"

enum admin_type {
	ADMIN_PING = 1,        /* -> be32 status, string version */
	ADMIN_SA_ADD = 2,      /* ipsec_sa */
	ADMIN_SA_UPDATE = 3,   /* ipsec_sa */
	ADMIN_SA_GET = 4,      /* addr dst, u8 proto, be32 spi -> one sa_info */
	ADMIN_SA_DELETE = 5,   /* addr dst, u8 proto, be32 spi */
	ADMIN_SA_DELETEALL = 6, /* addr src, addr dst, u8 proto */
	ADMIN_SA_FLUSH = 7,    /* u8 proto (0 = all) */
	ADMIN_SA_DUMP = 8,     /* u8 proto (0 = all) -> be32 n, n x sa_info */
	ADMIN_SPD_ADD = 9,     /* ipsec_policy */
	ADMIN_SPD_UPDATE = 10, /* ipsec_policy */
	ADMIN_SPD_DELETE = 11, /* selector, u8 dir */
	ADMIN_SPD_FLUSH = 12,
	ADMIN_SPD_DUMP = 13,   /* -> be32 n, n x spd_info */
	ADMIN_BATCH = 14,      /* be32 n, n x (u8 type, be32 len, body): all or nothing;
				* a failed reply carries the be32 index of the failing op */
	ADMIN_STATS = 15,      /* -> be32 n, n x (string name, be64 value) */
	ADMIN_STATUS = 16,     /* -> be32 n, n x (string key, string value) */
	ADMIN_RELOAD = 17,
	ADMIN_EVENTS = 18,     /* -> be32 n, n x (be64 unix time, string text) */
	ADMIN_IKE_SA_DUMP = 19, /* -> be32 n, n x ike_sa_info */
	ADMIN_IKE_ESTABLISH = 20, /* ike_establish -> addr peer, be32 its IPsec SA pairs so far */
	ADMIN_IKE_DELETE = 21,  /* addr local (unset: any), addr remote: delete its ISAKMP SAs */
	ADMIN_IKE_FLUSH = 22,   /* delete every ISAKMP SA */
	ADMIN_IKE_VC = 23,      /* addr gateway, string user, string password: connect */
};

/*
 * sa_info:  ipsec_sa, counters, be64 seq_out, u8 state, be64 age_seconds,
 *           be64 idle_seconds (UINT64_MAX = never used), be64 id
 * spd_info: ipsec_policy, be64 id, be64 hits, be64 age_seconds,
 *           be64 idle_seconds (UINT64_MAX = never used)
 * ike_sa_info: addr local, be16 lport, addr remote, be16 rport, 8 bytes initiator
 *           cookie, 8 bytes responder cookie, u8 flags (1 initiator, 2 established,
 *           4 NAT-T), u8 exchange type, string state, be32 child SA pairs, string
 *           Xauth user, addr mode config address, string banner
 * ike_establish: string remote name ("": by address), u8 kind (0 isakmp, else the
 *           IPsec protocol), then isakmp: addr local, addr remote; esp/ah: selector of
 *           the outbound policy to negotiate for
 * string:   be16 len, bytes (no NUL)
 */
struct admin_sa_info {
	struct ipsec_sa sa;
	struct ipsec_counters ctr;
	uint64_t seq_out;
	uint8_t state;
	uint64_t age, idle, id;
};

struct admin_spd_info {
	struct ipsec_policy pol;
	uint64_t id, hits, age, idle;
};

struct admin_ike_sa_info {
	struct addr local, remote;
	uint16_t lport, rport;
	uint8_t cky_i[8], cky_r[8];
	uint8_t flags; /* ADMIN_IKE_F_* */
	uint8_t exchange;
	char state[32];
	uint32_t nchildren;
	char user[65];      /* the Xauth login ("" none) */
	struct addr vaddr4; /* the mode config address handed out or received (0: none) */
	char banner[512];   /* a client's: the gateway's banner ("" none) */
};

#define ADMIN_IKE_F_INITIATOR 1
#define ADMIN_IKE_F_ESTABLISHED 2
#define ADMIN_IKE_F_NAT 4

struct admin_hdr {
	uint8_t version;
	uint8_t type;
	uint16_t flags;
	uint32_t len;
	uint32_t seq;
};

void admin_hdr_encode(uint8_t out[ADMIN_HDR_LEN], const struct admin_hdr *h);
/* Decode and check version; -EBADMSG or -EPROTONOSUPPORT. */
int admin_hdr_decode(const uint8_t in[ADMIN_HDR_LEN], struct admin_hdr *out);

void admin_string_encode(struct wr *w, const char *s);
/* Copy a string into out (cap bytes, NUL-terminated); -EBADMSG if it does not fit. */
int admin_string_decode(struct rd *r, char *out, size_t cap);
void admin_sa_info_encode(struct wr *w, const struct admin_sa_info *i);
int admin_sa_info_decode(struct rd *r, struct admin_sa_info *out);
void admin_spd_info_encode(struct wr *w, const struct admin_spd_info *i);
int admin_spd_info_decode(struct rd *r, struct admin_spd_info *out);
void admin_ike_sa_info_encode(struct wr *w, const struct admin_ike_sa_info *i);
int admin_ike_sa_info_decode(struct rd *r, struct admin_ike_sa_info *out);

/* Write all of buf to a stream socket (no SIGPIPE). 0 or -errno. */
int admin_write_full(int fd, const void *buf, size_t n);

/* Client side (blocking). */
struct admin_client {
	int fd;
	uint32_t seq;
};

/* Socket path: explicit, else $COATI_SOCKET, else the default. */
const char *admin_socket_path(const char *explicit_path);
/* Connect; 0 or -errno (-EACCES when the socket's permissions refuse us). */
int admin_connect(struct admin_client *c, const char *path);
void admin_close(struct admin_client *c);
/*
 * Send one request and wait for its reply (bounded by timeout_ms). On
 * success *reply is malloc'ed (caller frees), *reply_len its length past the
 * status, and the return value is the daemon's status (0 or -errno); a
 * transport failure returns -errno with *reply NULL.
 */
int admin_call(struct admin_client *c, uint8_t type, const void *req, size_t req_len,
	       uint8_t **reply, size_t *reply_len, int timeout_ms);

#endif
