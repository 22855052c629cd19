/* auth_groups: the user must belong to one of the listed groups (racoon's group check). */
#include "auth/auth.h"

#include <grp.h>
#include <pwd.h>
#include <string.h>

#define AUTH_GROUPS_MAX 256

bool
auth_in_groups(const char *user, char *const *groups, size_t n)
{
	gid_t gids[AUTH_GROUPS_MAX];
	int ng = AUTH_GROUPS_MAX;
	const struct passwd *pw;

	if (n == 0)
		return true;
	if ((pw = getpwnam(user)) == NULL ||
	    getgrouplist(user, pw->pw_gid, gids, &ng) < 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		const struct group *g = getgrnam(groups[i]);

		for (int j = 0; g && j < ng; j++)
			if (gids[j] == g->gr_gid)
				return true;
	}
	return false;
}
