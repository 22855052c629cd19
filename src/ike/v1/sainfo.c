/* Choosing a racoon.conf sainfo for a Quick Mode (racoon's getsainfo, most specific first). */
#include "ike/v1/engine.h"

/* One side of a sainfo against one side of the selector: -1 no, 0 anonymous, 1 exact. */
static int
side_fit(const struct prefix *si, uint16_t si_port, const struct prefix *sel, uint16_t sel_port)
{
	if (si->addr.family == 0)
		return 0;
	if (si->len != sel->len || !addr_eq(&si->addr, &sel->addr))
		return -1;
	return si_port == 0 || si_port == sel_port ? 1 : -1;
}

/* How specifically si fits sel: -1 not at all, else the number of sides given exactly. */
static int
fit(const struct ikev1_sainfo *si, const struct ipsec_selector *sel)
{
	int l = side_fit(&si->local, si->lport, &sel->src, sel->sport);
	int r = side_fit(&si->remote, si->rport, &sel->dst, sel->dport);

	if (l < 0 || r < 0)
		return -1;
	if ((l || r) && si->proto && si->proto != IPSEC_ULP_ANY && si->proto != sel->proto)
		return -1;
	return l + r;
}

const struct ikev1_sainfo *
ikev1_sainfo_pick(const struct ikev1_remote *cfg, const struct ipsec_selector *sel)
{
	const struct ikev1_sainfo *best = NULL;
	int best_fit = -1;

	if (cfg->n_sainfos == 0)
		return fit(&cfg->sainfo, sel) < 0 ? NULL : &cfg->sainfo;
	for (size_t i = 0; i < cfg->n_sainfos; i++) {
		int f = fit(&cfg->sainfos[i], sel);

		/* ties go to the first in the file */
		if (f > best_fit) {
			best = &cfg->sainfos[i];
			best_fit = f;
		}
	}
	return best;
}
