/* auth_source system: the shadow database through crypt(3), as racoon's xauth_login_system. */
#include "auth/auth.h"

#include <crypt.h>
#include <errno.h>
#include <pwd.h>
#include <shadow.h>
#include <stdlib.h>
#include <string.h>

#include "lib/secmem.h"

/* A hash an unknown user's password is checked against, so both take a crypt's time. */
#define AUTH_DUMMY_HASH "$6$coatidummy$"

int
auth_system(const char *user, const char *password)
{
	struct crypt_data *cd = calloc(1, sizeof(*cd));
	char hash[CRYPT_OUTPUT_SIZE];
	const struct spwd *sp;
	const struct passwd *pw;
	const char *h = NULL, *out;
	bool ok = false;

	if (cd == NULL)
		return -ENOMEM;
	/* getspnam's result lives in static storage: copy it at once */
	if ((sp = getspnam(user)) != NULL)
		h = sp->sp_pwdp;
	else if ((pw = getpwnam(user)) != NULL)
		h = pw->pw_passwd;
	if (h == NULL || strlen(h) >= sizeof(hash))
		h = AUTH_DUMMY_HASH;
	strcpy(hash, h);
	/* "!", "*" or "x" (no shadow access) never match: crypt fails or returns "*0".
	 * crypt_rn, not crypt_r: sanitizers intercept crypt_r, and with --as-needed the
	 * interceptor then finds no libcrypt to call. */
	out = crypt_rn(password, hash, cd, (int)sizeof(*cd));
	if (out && out[0] != '*' && hash[0] != '!' && strcmp(hash, AUTH_DUMMY_HASH) != 0 &&
	    strlen(out) == strlen(hash))
		ok = secmem_eq(out, hash, strlen(hash));
	secmem_wipe(cd, sizeof(*cd));
	free(cd);
	secmem_wipe(hash, sizeof(hash));
	return ok ? 0 : -EACCES;
}
