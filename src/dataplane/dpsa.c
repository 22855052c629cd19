/* Per-SA data-plane state: the keyed transform or the IPComp streams, and the replay window. */
#include "dataplane/dpsa.h"

#include <errno.h>
#include <stdlib.h>

#include "dataplane/frag.h"
#include "dataplane/ipcomp.h"
#include "lib/secmem.h"

static int
dp_sa_key(struct dp_sa *d, const struct ipsec_sa *sa)
{
	switch (sa->proto) {
	case IPSEC_PROTO_ESP:
		/* integrity-only ESP is ESP with the NULL cipher (RFC 2410) */
		return xform_new(sa->enc == IPSEC_ENC_NONE ? IPSEC_ENC_NULL : sa->enc, &sa->enc_key,
		                 sa->auth, &sa->auth_key, &d->x);
	case IPSEC_PROTO_AH:
		if (sa->enc != IPSEC_ENC_NONE)
			return -EINVAL;
		return xform_new(IPSEC_ENC_NONE, NULL, sa->auth, &sa->auth_key, &d->x);
	case IPSEC_PROTO_IPCOMP:
		if (sa->comp != IPSEC_COMP_DEFLATE)
			return -EINVAL;
		return ipcomp_ctx_new(&d->comp);
	default:
		return -EINVAL;
	}
}

int
dp_sa_new(const struct ipsec_sa *sa, struct dp_sa **out)
{
	struct dp_sa *d;
	int rc;

	if (sa->replay > IPSEC_REPLAY_MAX)
		return -EINVAL;
	if (!(d = calloc(1, sizeof(*d))))
		return -ENOMEM;
	if ((rc = dp_sa_key(d, sa)) < 0)
		goto out;
	/* IPComp has no sequence numbers (RFC 3173): its window stays disabled */
	replay_init(&d->replay, sa->proto == IPSEC_PROTO_IPCOMP ? 0 : sa->replay);
	/* an unpredictable start for the outer IPv4 IDs (RFC 6864 4.1) */
	if ((rc = crypto_random(&d->ip_id, sizeof(d->ip_id))) < 0)
		goto out;
	if (sa->proto == IPSEC_PROTO_ESP && sa->mode == IPSEC_MODE_TUNNEL && sa->encap_dport)
		d->frag_inner = (uint16_t)frag_inner_max(sa, d->x);
	*out = d;
	return 0;
out:
	dp_sa_free(d);
	return rc;
}

void
dp_sa_free(struct dp_sa *d)
{
	if (!d)
		return;
	xform_free(d->x);
	ipcomp_ctx_free(d->comp);
	secmem_wipe(d, sizeof(*d));
	free(d);
}
