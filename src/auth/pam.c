/* auth_source pam: a PAM service "coati" (racoon's "racoon" accepted), as racoon's xauth_login_pam. */
#include "auth/auth.h"

#include <errno.h>
#include <security/pam_appl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/secmem.h"

const char *
auth_pam_service(void)
{
	const char *s = getenv("COATI_PAM_SERVICE");

	if (s && *s && !strchr(s, '/'))
		return s;
	if (access("/etc/pam.d/coati", F_OK) != 0 && access("/etc/pam.d/racoon", F_OK) == 0)
		return "racoon";
	return "coati";
}

/* Answer the password prompts with the password; refuse anything else but messages. */
static int
pam_conv_cb(int n, const struct pam_message **msg, struct pam_response **resp, void *arg)
{
	struct pam_response *r;

	if (n <= 0 || n > PAM_MAX_NUM_MSG || (r = calloc((size_t)n, sizeof(*r))) == NULL)
		return PAM_CONV_ERR;
	for (int i = 0; i < n; i++) {
		switch (msg[i]->msg_style) {
		case PAM_PROMPT_ECHO_OFF:
			if ((r[i].resp = strdup(arg)) == NULL)
				goto fail;
			break;
		case PAM_ERROR_MSG:
		case PAM_TEXT_INFO:
			break;
		default:
			goto fail;
		}
	}
	*resp = r;
	return PAM_SUCCESS;
fail:
	for (int i = 0; i < n; i++) {
		if (r[i].resp) {
			secmem_wipe(r[i].resp, strlen(r[i].resp));
			free(r[i].resp);
		}
	}
	free(r);
	return PAM_CONV_ERR;
}

int
auth_pam(const char *user, const char *password)
{
	struct pam_conv conv = {pam_conv_cb, (void *)password};
	pam_handle_t *h = NULL;
	int rc;

	rc = pam_start(auth_pam_service(), user, &conv, &h);
	if (rc != PAM_SUCCESS)
		return -EIO;
	rc = pam_authenticate(h, PAM_SILENT | PAM_DISALLOW_NULL_AUTHTOK);
	if (rc == PAM_SUCCESS)
		rc = pam_acct_mgmt(h, PAM_SILENT);
	pam_end(h, rc);
	return rc == PAM_SUCCESS ? 0 : -EACCES;
}
