/* Reading secret files as racoon's safefile() asks: ours, not for group or others. */
#ifndef COATI_LIB_SAFEFILE_H
#define COATI_LIB_SAFEFILE_H

#include <stddef.h>

/*
 * Read a whole secret file (psk.txt, a private key) into a NUL-terminated malloc'd
 * buffer, after checking on the open fd that it is a regular file (symbolic links are
 * refused), owned by our euid, with no access for group or others, of at most max
 * bytes. Logs the refusal. 0, or -errno / -EPERM / -EFBIG. The caller wipes and frees.
 */
int safefile_read(const char *path, size_t max, char **ret_buf, size_t *ret_len);

#endif
