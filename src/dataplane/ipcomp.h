/* IPComp (RFC 3173) with the deflate algorithm (RFC 2394). */
#ifndef COATI_DATAPLANE_IPCOMP_H
#define COATI_DATAPLANE_IPCOMP_H

#include <stddef.h>
#include <stdint.h>

#include "dataplane/dpsa.h"
#include "dataplane/ip.h"
#include "dataplane/pkt.h"
#include "ipsec/sad.h"

#define IPCOMP_HDR_LEN 4 /* next header, flags, CPI */
/* Smaller payloads are sent as they are: deflate rarely wins there (racoon, Linux: 90). */
#define IPCOMP_MIN_LEN 90
#define IPCOMP_SCRATCH 65536 /* largest decompressed payload we accept */

struct ipcomp_ctx;

/* Allocate the deflate/inflate streams and the scratch buffer. 0 or -ENOMEM. */
int ipcomp_ctx_new(struct ipcomp_ctx **out);
/* NULL is fine. */
void ipcomp_ctx_free(struct ipcomp_ctx *c);
/*
 * Raw deflate (no zlib header, RFC 2394 2) of len bytes into the context's
 * scratch; *out views the result until the next call. 0, or 1 when the
 * result plus the IPComp header would not be smaller than the input.
 */
int ipcomp_deflate(struct ipcomp_ctx *c, const uint8_t *src, size_t len, const uint8_t **out,
                   size_t *out_len);
/* Inflate into the scratch; -EINVAL on a corrupt stream or more than IPCOMP_SCRATCH bytes. */
int ipcomp_inflate(struct ipcomp_ctx *c, const uint8_t *src, size_t len, const uint8_t **out,
                   size_t *out_len);
/*
 * Compress p through IPComp SA e. 0, 1 (below IPCOMP_MIN_LEN or not
 * compressible: sent uncompressed, see ipsec_output), -EMSGSIZE, -EINVAL.
 */
int ipcomp_encap(struct sad_entry *e, struct dp_sa *d, struct pkt *p);
/* Decompress and strip IPComp. 0 or -EINVAL. */
int ipcomp_decap(struct sad_entry *e, struct dp_sa *d, struct pkt *p, const struct ip_info *ii);

#endif
