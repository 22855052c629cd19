/* coatid's remote access gateway; see ra.h. */
#include "daemon/ra.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth/auth.h"
#include "daemon/ra_pool.h"
#include "lib/log.h"

#define RA_BANNER_DEFAULT "/etc/motd" /* racoon's */

struct ike_ra {
	struct ra_pool pool;
	struct addr net4;
	uint32_t pool_size;
	struct auth_throttle throttle;
};

static void
ra_pool_setup(struct ike_ra *ra, const struct cfg_modecfg *m)
{
	char a[ADDR_STRLEN];
	int err;

	ra_pool_free(&ra->pool);
	ra->net4 = m->network4;
	ra->pool_size = m->pool_size;
	if (!m->present || m->network4.family == 0 || m->pool_size == 0)
		return;
	err = ra_pool_init(&ra->pool, &m->network4, m->pool_size);
	if (err < 0)
		log_warn("%s:%d: mode_cfg: no address pool from network4 %s pool_size %u: %s",
			 m->loc.file, m->loc.line, addr_ntop(&m->network4, a, sizeof(a)),
			 m->pool_size, strerror(-err));
}

static const char *
ra_source_name(enum cfg_auth_source s)
{
	switch (s) {
	case CFG_AUTHSRC_SYSTEM: return "system";
	case CFG_AUTHSRC_PAM: return "pam";
	case CFG_AUTHSRC_RADIUS: return "radius";
	case CFG_AUTHSRC_LDAP: return "ldap";
	}
	return "?";
}

/* What mode_cfg { } says that this gateway does not do yet, with its file:line. */
static void
ra_warn_unsupported(const struct cfg_modecfg *m)
{
	if (!m->present)
		return;
	if (m->auth_source != CFG_AUTHSRC_SYSTEM && m->auth_source != CFG_AUTHSRC_PAM)
		log_warn("%s:%d: mode_cfg: auth_source %s is not supported yet: Xauth logins "
			 "will be refused", m->loc.file, m->loc.line,
			 ra_source_name(m->auth_source));
	if (m->conf_source != CFG_CONFSRC_LOCAL)
		log_warn("%s:%d: mode_cfg: only conf_source local is supported", m->loc.file,
			 m->loc.line);
	if (m->accounting != CFG_ACCT_NONE)
		log_warn("%s:%d: mode_cfg: accounting is not supported yet: ignored", m->loc.file,
			 m->loc.line);
	if (m->group_source != CFG_GROUPSRC_SYSTEM)
		log_warn("%s:%d: mode_cfg: group_source ldap is not supported: auth_groups are "
			 "looked up in the system's groups", m->loc.file, m->loc.line);
}

int
ike_ra_new(const struct cfg *cfg, struct ike_ra **out)
{
	struct ike_ra *ra = calloc(1, sizeof(*ra));

	if (ra == NULL)
		return -ENOMEM;
	auth_throttle_init(&ra->throttle, cfg->modecfg.auth_throttle * 1000u);
	ra_pool_setup(ra, &cfg->modecfg);
	ra_warn_unsupported(&cfg->modecfg);
	*out = ra;
	return 0;
}

void
ike_ra_free(struct ike_ra *ra)
{
	if (ra == NULL)
		return;
	ra_pool_free(&ra->pool);
	free(ra);
}

void
ike_ra_reconfigure(struct ike_ra *ra, const struct cfg *cfg)
{
	const struct cfg_modecfg *m = &cfg->modecfg;

	ra->throttle.base_ms = m->auth_throttle * 1000u;
	if (!addr_eq(&ra->net4, &m->network4) || ra->pool_size != m->pool_size)
		ra_pool_setup(ra, m);
}

int
ike_ra_login(struct ike_ra *ra, const struct cfg *cfg, const struct ikev1_peer *p,
	     const char *user, const char *password, uint64_t now)
{
	const struct cfg_modecfg *m = &cfg->modecfg;
	char a[ADDR_STRLEN];
	int err;

	addr_ntop(&p->remote, a, sizeof(a));
	if (!auth_throttle_allowed(&ra->throttle, &p->remote, now)) {
		log_notice("Xauth: %s: login of %s refused: too many failures, throttled", a, user);
		return -EACCES;
	}
	switch (m->auth_source) {
	case CFG_AUTHSRC_SYSTEM: err = auth_system(user, password); break;
	case CFG_AUTHSRC_PAM: err = auth_pam(user, password); break;
	default:
		log_warn("Xauth: auth_source %s is not supported: login of %s refused",
			 ra_source_name(m->auth_source), user);
		return -EACCES;
	}
	if (err == 0 && !auth_in_groups(user, m->auth_groups, m->n_auth_groups)) {
		log_notice("Xauth: %s: user %s is in none of the auth_groups", a, user);
		err = -EACCES;
	}
	auth_throttle_record(&ra->throttle, &p->remote, err == 0, now);
	if (err)
		log_notice("Xauth: %s: login of %s failed (auth_source %s)", a, user,
			   ra_source_name(m->auth_source));
	else
		log_info("Xauth: %s: user %s logged in (auth_source %s)", a, user,
			 ra_source_name(m->auth_source));
	return err == 0 ? 0 : -EACCES;
}

/* racoon's banner is a file (default /etc/motd): its text (cut at cap - 1 bytes), or ""
 * when unreadable (logged unless it is the default). */
static void
ra_banner(const char *path, char *out, size_t cap)
{
	const char *p = path ? path : RA_BANNER_DEFAULT;
	int fd = open(p, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	ssize_t n = fd < 0 ? -1 : read(fd, out, cap - 1);

	if (n < 0) {
		if (path)
			log_warn("mode_cfg: banner %s: %s", path, strerror(errno));
		n = 0;
	}
	if (fd >= 0)
		close(fd);
	out[n] = 0; /* sent up to its first NUL */
}

/* Everything but the address, from mode_cfg { } (conf_source local). */
static void
ra_fill(const struct cfg_modecfg *m, struct ikev1_modecfg *out)
{
	out->netmask4 = m->netmask4;
	for (size_t i = 0; i < m->n_dns4 && i < IKEV1_MODECFG_DNS_MAX; i++)
		out->dns4[out->n_dns4++] = m->dns4[i];
	for (size_t i = 0; i < m->n_wins4 && i < IKEV1_MODECFG_WINS_MAX; i++)
		out->wins4[out->n_wins4++] = m->wins4[i];
	out->split = m->split_type == CFG_SPLIT_INCLUDE     ? IKEV1_SPLIT_INCLUDE
		     : m->split_type == CFG_SPLIT_LOCAL_LAN ? IKEV1_SPLIT_LOCAL_LAN
							    : IKEV1_SPLIT_NONE;
	for (size_t i = 0; i < m->n_split_net && i < IKEV1_MODECFG_SPLIT_MAX; i++)
		out->split_net[out->n_split_net++] = m->split_net[i];
	snprintf(out->default_domain, sizeof(out->default_domain), "%s",
		 m->default_domain ? m->default_domain : "");
	for (size_t i = 0, n = 0; i < m->n_split_dns; i++) {
		int w = snprintf(out->split_dns + n, sizeof(out->split_dns) - n, "%s%s",
				 n ? "," : "", m->split_dns[i]);

		if (w < 0 || (size_t)w >= sizeof(out->split_dns) - n) {
			out->split_dns[n] = 0;
			break;
		}
		n += (size_t)w;
	}
	ra_banner(m->banner, out->banner, sizeof(out->banner));
	out->save_passwd = m->save_passwd;
	out->pfs_group = (uint16_t)m->pfs_group;
}

int
ike_ra_lease(struct ike_ra *ra, const struct cfg *cfg, const struct ikev1_peer *p,
	     const char *user, struct ikev1_modecfg *out)
{
	const struct cfg_modecfg *m = &cfg->modecfg;
	char owner[RA_OWNER_MAX], a[ADDR_STRLEN];
	int err;

	if (!m->present)
		return -ENOENT;
	if (m->conf_source != CFG_CONFSRC_LOCAL) {
		log_warn("mode_cfg: only conf_source local is supported");
		return -ENOTSUP;
	}
	ra_fill(m, out);
	if (ra->pool.size == 0)
		return 0;
	/* the address follows the user; without Xauth, the peer's address */
	if (user)
		snprintf(owner, sizeof(owner), "%s", user);
	else
		addr_ntop(&p->remote, owner, sizeof(owner));
	err = ra_pool_lease(&ra->pool, owner, &out->addr4);
	if (err < 0) {
		log_warn("mode_cfg: address pool exhausted (%u addresses): nothing for %s",
			 ra->pool.size, owner);
		return err;
	}
	log_info("mode_cfg: %s leased to %s", addr_ntop(&out->addr4, a, sizeof(a)), owner);
	return 0;
}

void
ike_ra_release(struct ike_ra *ra, const struct addr *a)
{
	char t[ADDR_STRLEN];

	if (ra_pool_release(&ra->pool, a) == 0)
		log_info("mode_cfg: %s released", addr_ntop(a, t, sizeof(t)));
}
