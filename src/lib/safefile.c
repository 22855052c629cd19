/* Secret files checked on the fd (open O_NOFOLLOW, then fstat), never stat-then-open. */
#include "lib/safefile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/log.h"
#include "lib/secmem.h"

static int
safefile_check(const char *path, int fd, size_t max, size_t *size)
{
	struct stat st;

	if (fstat(fd, &st) < 0) {
		log_err("%s: %s", path, strerror(errno));
		return -errno;
	}
	if (!S_ISREG(st.st_mode)) {
		log_err("%s: not a regular file", path);
		return -EPERM;
	}
	if (st.st_uid != geteuid()) {
		log_err("%s: owned by uid %u, not by uid %u running coatid", path,
			(unsigned)st.st_uid, (unsigned)geteuid());
		return -EPERM;
	}
	if (st.st_mode & 077) {
		log_err("%s: mode %04o is %s by group or others; chmod 600 it", path,
			(unsigned)(st.st_mode & 07777), st.st_mode & 044 ? "readable" :
			st.st_mode & 022 ? "writable" : "accessible");
		return -EPERM;
	}
	if ((uint64_t)st.st_size > max) {
		log_err("%s: larger than %zu bytes", path, max);
		return -EFBIG;
	}
	*size = (size_t)st.st_size;
	return 0;
}

int
safefile_read(const char *path, size_t max, char **ret_buf, size_t *ret_len)
{
	size_t size = 0, n = 0;
	char *buf;
	int fd, rc;

	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		rc = -errno;
		log_err("%s: %s%s", path, strerror(errno),
			errno == ELOOP ? " (symbolic links are refused)" : "");
		return rc;
	}
	if ((rc = safefile_check(path, fd, max, &size)) < 0)
		goto out;
	rc = -ENOMEM;
	if (!(buf = malloc(size + 1)))
		goto out;
	while (n < size) {
		ssize_t r = read(fd, buf + n, size - n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	buf[n] = 0;
	*ret_buf = buf;
	*ret_len = n;
	rc = 0;
out:
	close(fd);
	return rc;
}
