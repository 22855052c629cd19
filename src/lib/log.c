/* Logging. */
#include "lib/log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

static struct {
	const char *ident;
	bool foreground;
	enum log_level level;
	FILE *file;
} logger = {"coati", true, LOG_LVL_NOTICE, NULL};

static const int syslog_prio[] = {
	[LOG_LVL_ERR] = LOG_ERR,     [LOG_LVL_WARN] = LOG_WARNING, [LOG_LVL_NOTICE] = LOG_NOTICE,
	[LOG_LVL_INFO] = LOG_INFO,   [LOG_LVL_DEBUG] = LOG_DEBUG,  [LOG_LVL_DEBUG2] = LOG_DEBUG,
};

static const char *const level_tag[] = {
	[LOG_LVL_ERR] = "ERROR",  [LOG_LVL_WARN] = "WARNING", [LOG_LVL_NOTICE] = "NOTICE",
	[LOG_LVL_INFO] = "INFO",  [LOG_LVL_DEBUG] = "DEBUG",  [LOG_LVL_DEBUG2] = "DEBUG2",
};

void
log_init(const char *ident, bool foreground, enum log_level level)
{
	logger.ident = ident;
	logger.foreground = foreground;
	logger.level = level;
	if (!foreground)
		openlog(ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

int
log_open_file(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0600);
	FILE *f;

	if (fd < 0)
		return -errno;
	f = fdopen(fd, "a");
	if (!f) {
		close(fd);
		return -ENOMEM;
	}
	setvbuf(f, NULL, _IOLBF, 0);
	if (logger.file)
		fclose(logger.file);
	logger.file = f;
	return 0;
}

void
log_set_level(enum log_level level)
{
	logger.level = level;
}

enum log_level
log_get_level(void)
{
	return logger.level;
}

bool
log_enabled(enum log_level level)
{
	return level <= logger.level;
}

static void
log_stream(FILE *f, enum log_level level, const char *func, const char *msg)
{
	struct timespec ts;
	struct tm tm;
	char when[32];

	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
	fprintf(f, "%s.%03ld [%d] %s: %s%s%s\n", when, ts.tv_nsec / 1000000, (int)getpid(),
		level_tag[level], func ? func : "", func ? ": " : "", msg);
}

void
log_vmsg(enum log_level level, const char *func, const char *fmt, va_list ap)
{
	char msg[1024];
	int saved = errno;

	if (level > logger.level)
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (logger.file)
		log_stream(logger.file, level, func, msg);
	if (logger.foreground)
		log_stream(stderr, level, func, msg);
	else if (!logger.file)
		syslog(syslog_prio[level], "%s%s%s", func ? func : "", func ? ": " : "", msg);
	errno = saved;
}

void
log_msg(enum log_level level, const char *func, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(level, func, fmt, ap);
	va_end(ap);
}

void
fatal(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(LOG_LVL_ERR, NULL, fmt, ap);
	va_end(ap);
	exit(1);
}
